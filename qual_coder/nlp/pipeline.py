"""The NLP pipeline: spaCy's blank English with the lookup lemmatizer from
spacy-lookups-data (PyPI only, nothing downloaded), or a trained English pipeline when
the project's `nlp.model` setting names one that is installed. Sentences come from
core.spans (the one splitter), so the blank pipeline has no sentencizer.

spaCy is imported inside nlp/ only (tests/test_docs_and_boundaries.py keeps it so), on
first use: it costs most of a second. Pipelines are loaded here, once per process.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..errors import QualCoderError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from ..storage import Project

BLANK = "blank-en"
SETTING = "nlp.model"
# One shared pipeline per process; the workbench runs NLP on worker threads, and a
# spaCy pipeline is not meant to be used by two threads at once. Entry points hold this.
LOCK = threading.RLock()


def pipeline_name(project: Project) -> str:
    return project.setting(SETTING) or BLANK


def load(name: str = BLANK) -> Language:
    """The pipeline for `name` (cached per process, however it is asked for)."""
    return _load(name or BLANK)


@lru_cache(maxsize=4)
def _load(name: str) -> Language:
    import spacy

    _register_components()
    if name != BLANK:
        if not spacy.util.is_package(name):
            raise QualCoderError(
                f"spaCy pipeline '{name}' is not installed; install it with pip, or go back "
                f"to the default with `qual-coder nlp PROJECT --model {BLANK}`")
        nlp = spacy.load(name, exclude=["textcat", "textcat_multilabel"])
        if "qc_lemma_fallback" not in nlp.pipe_names and "lemmatizer" not in nlp.pipe_names:
            nlp.add_pipe("qc_lemma_fallback", last=True)
        return nlp
    nlp = spacy.blank("en")
    # spaCy's lookup lemmatizer, done on the doc's arrays (its own makes a Token object
    # per word: half the cache's time); under the same name, as `qual-coder nlp` shows it.
    nlp.add_pipe("qc_lookup_lemmatizer", name="lemmatizer")
    nlp.add_pipe("qc_lemma_fallback")
    nlp.initialize()
    return nlp


_REGISTERED = False


def _register_components() -> None:
    global _REGISTERED
    if _REGISTERED:
        return
    from spacy.language import Language

    @Language.factory("qc_lemma_fallback")
    def make_lemma_fallback(nlp: Language, name: str) -> _LemmaFallback:
        return _LemmaFallback(nlp)

    @Language.factory("qc_lookup_lemmatizer")
    def make_lookup_lemmatizer(nlp: Language, name: str) -> _LookupLemmatizer:
        return _LookupLemmatizer(nlp)

    _REGISTERED = True


class _LookupLemmatizer:
    """What spaCy's lemmatizer does in lookup mode (each word's lemma is the word's entry
    in spacy-lookups-data's English table, or the word itself), read from and written to
    the doc's arrays with each distinct word looked up once per process. `lookups` is
    spaCy's Lookups, as the lemmatizer's own, so the fallback below reads the same table."""

    def __init__(self, nlp: Language):
        from spacy.lookups import load_lookups

        self.lookups = load_lookups(nlp.lang or "en", ["lemma_lookup"])  # installed, local
        self.table = self.lookups.get_table("lemma_lookup")
        self.memo: dict[int, int] = {}  # word -> lemma, as string hashes

    def __call__(self, doc: Doc) -> Doc:
        import numpy
        from spacy.attrs import LEMMA, ORTH

        if not len(doc):
            return doc
        table, strings, memo = self.table, doc.vocab.strings, self.memo
        out = []
        for orth in doc.to_array(ORTH).tolist():
            lemma = memo.get(orth)
            if lemma is None:
                word = strings[orth]
                lemma = memo[orth] = strings.add(table.get(word, word))
            out.append(lemma)
        lemmas: Any = numpy.array(out, dtype="uint64").reshape(-1, 1)  # thinc's Ints2d
        doc.from_array([LEMMA], lemmas)
        return doc


class _LemmaFallback:
    """The lookup table is case-sensitive ("Teachers" stays "Teachers"): look the
    lower-cased word up when the cased one was not found, and lower-case every lemma,
    so "Referrals" and "referral" match. The table is the lookup lemmatizer's own,
    not a second copy of it."""

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self.table: Any = None  # spaCy's lemma_lookup Table, or {} when there is none
        self.memo: dict[tuple[int, int], int] = {}  # (lemma or 0, lower) -> new lemma

    def _table(self) -> Any:
        if self.table is None:
            if self.nlp.has_pipe("lemmatizer"):
                lemmatizer: Any = self.nlp.get_pipe("lemmatizer")  # typed as a bare callable
                lookups = lemmatizer.lookups
                if lookups.has_table("lemma_lookup"):
                    self.table = lookups.get_table("lemma_lookup")
            if self.table is None:  # no lookup lemmatizer: lower-case only
                self.table = {}
        return self.table

    def __call__(self, doc: Doc) -> Doc:
        """On the doc's arrays, not Token objects: each distinct (lemma, word) pair is
        worked out once per process and remembered as a string hash."""
        import numpy
        from spacy.attrs import LEMMA, LOWER, ORTH

        if not len(doc):
            return doc
        table = self._table()
        strings = doc.vocab.strings
        memo = self.memo
        out = []
        for orth, lower, lemma in doc.to_array([ORTH, LOWER, LEMMA]).tolist():
            key = (lemma if lemma and lemma != orth else 0, lower)
            new = memo.get(key)
            if new is None:
                word = strings[lower]
                text = strings[lemma] if key[0] else table.get(word, word)
                new = memo[key] = strings.add(text.lower())
            out.append(new)
        lemmas: Any = numpy.array(out, dtype="uint64").reshape(-1, 1)  # thinc's Ints2d
        doc.from_array([LEMMA], lemmas)
        return doc


def describe(name: str) -> str:
    nlp = load(name)
    return f"{name}: {', '.join(nlp.pipe_names)} (spaCy {__import__('spacy').__version__})"
