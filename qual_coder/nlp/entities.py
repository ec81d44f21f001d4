"""Names spaCy's named-entity recogniser finds, for pseudonymisation's proposals: people,
organisations and places, when a trained English pipeline is installed (the blank
pipeline has none, and nothing is ever downloaded). Loaded through the pipeline's cache
and lock, as every other spaCy use here."""

from __future__ import annotations

from .pipeline import LOCK, load

TRAINED = ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm")
KINDS = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "FAC": "place"}


def installed_ner() -> str | None:
    """The first trained English pipeline installed, if any (asked of the import system:
    importing spaCy to ask would cost a second when, as by default, there is none)."""
    from importlib.util import find_spec

    return next((n for n in TRAINED if find_spec(n) is not None), None)


def named_entities(texts: list[str]) -> list[tuple[str, str]]:
    """(name as written, person / org / place) of what the recogniser finds, capitalised
    names only; none without a trained pipeline."""
    name = installed_ner()
    if name is None:
        return []
    seen: dict[str, str] = {}
    with LOCK:
        nlp = load(name)
        for doc in nlp.pipe(texts, batch_size=8):
            for ent in doc.ents:
                if ent.label_ in KINDS and ent.text[:1].isupper():
                    seen.setdefault(ent.text.strip(), KINDS[ent.label_])
    return sorted(seen.items())
