"""Which words carry content: spaCy's English stop words and the fillers of talk are
left out wherever words are counted (similarity, discovery)."""

from __future__ import annotations

from functools import lru_cache

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
