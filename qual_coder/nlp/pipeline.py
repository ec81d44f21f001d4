"""The NLP pipeline: spaCy's blank English with the sentencizer and the lookup
lemmatizer from spacy-lookups-data (PyPI only, nothing downloaded), or a trained
English pipeline when the project's `nlp.model` setting names one that is installed.

spaCy is imported here and only here, on first use: it costs most of a second.
"""

from __future__ import annotations

import threading
from functools import lru_cache

from ..errors import QualCoderError

BLANK = "blank-en"
SETTING = "nlp.model"
# One shared pipeline per process; the workbench runs NLP on worker threads, and a
# spaCy pipeline is not meant to be used by two threads at once. Entry points hold this.
LOCK = threading.RLock()


def pipeline_name(project) -> str:
    return project.setting(SETTING) or BLANK


def load(name: str = BLANK):
    """The pipeline for `name` (cached per process, however it is asked for)."""
    return _load(name or BLANK)


@lru_cache(maxsize=4)
def _load(name: str):
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
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("qc_lemma_fallback")
    nlp.initialize()  # loads the lookup table from spacy-lookups-data, locally
    return nlp


_REGISTERED = False


def _register_components() -> None:
    global _REGISTERED
    if _REGISTERED:
        return
    from spacy.language import Language

    @Language.factory("qc_lemma_fallback")
    def make_lemma_fallback(nlp, name):
        return _LemmaFallback(nlp)

    _REGISTERED = True


class _LemmaFallback:
    """The lookup table is case-sensitive ("Teachers" stays "Teachers"): look the
    lower-cased word up when the cased one was not found, and lower-case every lemma,
    so "Referrals" and "referral" match. The table is the lookup lemmatizer's own,
    not a second copy of it."""

    def __init__(self, nlp):
        self.nlp = nlp
        self.table = None

    def _table(self):
        if self.table is None:
            if self.nlp.has_pipe("lemmatizer"):
                lookups = self.nlp.get_pipe("lemmatizer").lookups
                if lookups.has_table("lemma_lookup"):
                    self.table = lookups.get_table("lemma_lookup")
            if self.table is None:  # no lookup lemmatizer: lower-case only
                self.table = {}
        return self.table

    def __call__(self, doc):
        table = self._table()
        for token in doc:
            lemma = token.lemma_
            if not lemma or lemma == token.text:
                lemma = table.get(token.lower_, token.lower_)
            token.lemma_ = lemma.lower()
        return doc


def describe(name: str) -> str:
    nlp = load(name)
    return f"{name}: {', '.join(nlp.pipe_names)} (spaCy {__import__('spacy').__version__})"
