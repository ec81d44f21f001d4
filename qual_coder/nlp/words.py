"""Which words carry content: spaCy's English stop words, the fillers of talk and the
names of the project's people and places are left out wherever words are counted
(similarity, discovery, word frequency)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from ..storage import Project, transcript_rows

# Talk that carries no theme, on top of spaCy's stop words.
FILLERS = frozenset({
    "yeah", "yes", "know", "think", "like", "mean", "sort", "kind", "thing", "things",
    "really", "actually", "just", "lot", "bit", "okay", "ok", "right", "well", "um", "er",
    "erm", "mm", "get", "got", "go", "say", "said", "quite", "pretty", "way", "laugh",
    "pause", "interviewer", "inaudible", "crosstalk", "honestly",
    "bite",  # "a bit" -> "bite": an artefact of lookup lemmas
})


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | FILLERS


def content_words(lemmas: str) -> list[str]:
    stop = stop_words()
    return [w for w in lemmas.split() if w not in stop and any(ch.isalpha() for ch in w)]


def name_words(project: Project, more: Iterable[str] = ()) -> set[str]:
    """Lower-case words of the project's sites, participants, speaker labels and `more`
    names: who and where, never what was talked about."""
    conn = project.conn
    names: set[str] = set()
    for field in ("site", "participant", "speaker"):
        for value in transcript_rows.distinct_values(conn, field):
            names |= {w.lower().strip(".,()'’") for w in value.split()}
    names |= {w.lower().strip(".,()'’") for name in more for w in name.split()}
    return names - {""}
