"""Three suggestion engines and how their scores combine.

1. Rules: each code's `keywords`, matched on lemmas (spaCy PhraseMatcher, attr LEMMA,
   patterns made with the full pipeline so they carry lemmas too), and `patterns`
   (spaCy Matcher token patterns).
2. Model: a multi-label text classifier (spaCy textcat_multilabel, bag-of-words
   architecture) trained on the project's coded sentences, and its coded passages whole,
   against uncoded sentences. Codes with fewer than MIN_EXAMPLES coded sentences and
   passages are left to the other engines.
3. Similar: the nearest coded sentences by lemma TF-IDF cosine; useful from the very
   first codings, before a classifier has anything to learn from.

Every score is in [0, 1]; per code they combine by noisy-OR, 1 - prod(1 - w * s), so
agreeing engines reinforce each other and one confident engine is enough.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.text import plural
from .words import content_words

if TYPE_CHECKING:
    from scipy import sparse
    from spacy.language import Language
    from spacy.tokens import Doc

    from ..storage.row_types import CodeRow

MIN_EXAMPLES = 5
SURE_WORDS = 3  # content words a similarity needs to count in full
NEGATIVES_PER_POSITIVE = 2
WEIGHTS = {"rules": 0.85, "model": 1.0, "similar": 0.9}
COMPRESSED = b"QCZ1"  # zlib-compressed model bytes; older projects hold them raw
TEXTCAT_CONFIG = {"model": {"@architectures": "spacy.TextCatBOW.v3",
                            "exclusive_classes": False, "ngram_size": 2,
                            "no_output_layer": False, "length": 65536}}


# what a RuleEngine matched in a doc: words per code, and the codes a pattern matched
Matches = tuple[dict[str, list[str]], set[str]]


@dataclass
class Suggestion:
    code: str
    score: float
    engine: str
    why: str


@dataclass
class Example:
    """A sentence the project has coded (codes) or left uncoded (no codes)."""
    lemmas: str
    codes: frozenset[str]
    label: str = ""  # "Site B / CCG lead": where it was said, for the similar engine's reason
    rejected: frozenset[str] = frozenset()  # codes a coder said no to here


# -- rules ----------------------------------------------------------------------------

class RuleEngine:
    name = "rules"

    def __init__(self, nlp: Language, codes: list[CodeRow]):
        from spacy.matcher import Matcher, PhraseMatcher

        self.nlp = nlp
        self.phrases = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.matcher = Matcher(nlp.vocab)
        self.problems: list[str] = []
        for code in codes:
            if not code["codable"]:
                continue
            keywords = [k for k in code["keywords"] if k.strip()]
            if keywords:
                self.phrases.add(code["key"], list(nlp.pipe(keywords)))
            for n, pattern in enumerate(code["patterns"]):
                try:
                    self.matcher.add(f"{code['key']}\x1f{n}", [pattern])
                except (ValueError, TypeError, KeyError) as err:
                    self.problems.append(f"code '{code['key']}': pattern {n + 1} is not a "
                                         f"spaCy Matcher pattern ({str(err).splitlines()[0]})")

    def matches(self, docs: Iterable[Doc]) -> list[Matches]:
        """Per doc, the words each code's keywords and patterns matched, and the codes a
        pattern matched."""
        out = []
        strings = self.nlp.vocab.strings
        for doc in docs:
            found: dict[str, list[str]] = {}
            for match_id, a, b in self.phrases(doc):
                found.setdefault(strings[match_id], []).append(doc[a:b].text.lower())
            patterned: set[str] = set()
            for match_id, a, b in self.matcher(doc) if len(self.matcher) else ():
                key = strings[match_id].split("\x1f")[0]
                patterned.add(key)
                found.setdefault(key, []).append(doc[a:b].text.lower())
            out.append((found, patterned))
        return out

    @staticmethod
    def merged(parts: Iterable[Matches]) -> Matches:
        """What several docs matched (the sentences of a turn), as if one doc."""
        found: dict[str, list[str]] = {}
        patterned: set[str] = set()
        for words, keys in parts:
            for key, matched in words.items():
                found.setdefault(key, []).extend(matched)
            patterned |= keys
        return found, patterned

    def scored(self, matches: list[Matches]) -> list[list[Suggestion]]:
        out = []
        for found, patterned in matches:
            row = []
            for key, words in found.items():
                distinct = sorted(set(words), key=words.index)
                score = min(0.9, 0.55 + 0.15 * (len(distinct) - 1) + (0.1 if key in patterned
                                                                         else 0))
                quoted = ", ".join(f"'{w}'" for w in distinct[:3])
                row.append(Suggestion(key, score, self.name,
                                      f"matched keyword{'s' if len(distinct) > 1 else ''} "
                                      f"{quoted}"))
            out.append(row)
        return out

    def suggest(self, docs: Iterable[Doc]) -> list[list[Suggestion]]:
        return self.scored(self.matches(docs))


# -- learned classifier ---------------------------------------------------------------

class ModelEngine:
    name = "model"

    def __init__(self, nlp_tc: Language, labels: list[str], examples: int,
                 counts: dict[str, int]):
        self.nlp = nlp_tc
        self.labels = labels
        self.examples = examples
        self.counts = counts

    @classmethod
    def train(cls, examples: list[Example], epochs: int | None = None,
              seed: int = 0, passages: list[Example] | None = None) -> ModelEngine | None:
        """`examples`: sentences, coded or not; `passages`: coded passages whole, extra
        positives for the codes that are learned (those with MIN_EXAMPLES sentences)."""
        import random

        import spacy
        from spacy.training import Example as SpacyExample
        from spacy.util import fix_random_seed, minibatch

        counts: dict[str, int] = {}
        for e in examples + (passages or []):
            for c in e.codes:
                counts[c] = counts.get(c, 0) + 1
        labels = sorted(c for c, n in counts.items() if n >= MIN_EXAMPLES)
        if not labels:
            return None
        fix_random_seed(seed)
        rng = random.Random(seed)
        # Uncoded sentences outnumber coded ones many times over; keep at most
        # NEGATIVES_PER_POSITIVE of them so rare codes still register.
        positives = [e for e in examples if e.codes & set(labels)]
        extra = [e for e in passages or [] if e.codes & set(labels)]
        negatives = [e for e in examples if not e.codes & set(labels)]
        rng.shuffle(negatives)
        # A rejected suggestion is the most telling negative: always keep those.
        negatives.sort(key=lambda e: not e.rejected)
        examples = positives + extra + negatives[:max(NEGATIVES_PER_POSITIVE * len(positives),
                                              sum(1 for e in negatives if e.rejected))]
        nlp = spacy.blank("en")
        textcat: Any = nlp.add_pipe("textcat_multilabel", config=TEXTCAT_CONFIG)
        for label in labels:
            textcat.add_label(label)
        def example(e: Example) -> SpacyExample:
            return SpacyExample.from_dict(nlp.make_doc(e.lemmas), {"cats": {
                label: float(label in e.codes) for label in labels}})

        # A batch's examples are made as it is trained on, never all at once: at 80,000
        # codings the whole set held 1.2 GB (two docs an example), a batch a few MB.
        data = examples
        optimizer = nlp.initialize(lambda: [example(e) for e in data[:10]])
        # Small projects need passes to learn anything; large ones need to stay under a
        # minute on two cores: fewer passes as the examples grow. Batches of 128 (they
        # were 32 below 2,000 examples) take a quarter of the optimiser steps and rank
        # better on the demo: model alone recall@3 at 50% coded 0.39 -> 0.50
        # (bench/suggest_quality.py), the first suggest 3.7 s -> 3.0 s. At most 8 passes
        # (12 before the coded passages were examples too): the model alone 0.56 -> 0.58
        # at 50% coded, combined the same (0.83), the first suggest 2.2 s -> 1.9-2.0 s;
        # 6 passes gave the model 0.60 but the combination 0.82.
        epochs = epochs or max(4, min(8, 24_000 // len(data)))
        size = 128
        # The component's own update: Language.update would first copy every example
        # of every batch (so that annotating components cannot change them), a third
        # of the training time here, and the classifier annotates nothing.
        for _ in range(epochs):
            rng.shuffle(data)
            for batch in minibatch(data, size=size):  # type: ignore[no-untyped-call]  # thinc
                textcat.update([example(e) for e in batch], sgd=optimizer, drop=0.2)
        return cls(nlp, labels, len(positives), {k: counts[k] for k in labels})

    def to_bytes(self) -> bytes:
        """The pipeline, compressed: the bag-of-words model is a hashed table that is
        mostly zeros (21 MB raw, about 1 MB compressed on the demo), and every backup
        copies what the project holds."""
        import zlib

        return COMPRESSED + zlib.compress(self.nlp.to_bytes(), 6)

    @classmethod
    def from_bytes(cls, data: bytes, labels: list[str], examples: int) -> ModelEngine:
        import zlib

        import spacy

        if data.startswith(COMPRESSED):
            data = zlib.decompress(data[len(COMPRESSED):])
        nlp = spacy.blank("en")
        textcat: Any = nlp.add_pipe("textcat_multilabel", config=TEXTCAT_CONFIG)
        for label in labels:
            textcat.add_label(label)
        nlp.from_bytes(data)
        return cls(nlp, labels, examples, {})

    def suggest(self, lemma_strings: list[str], floor: float = 0.05) -> list[list[Suggestion]]:
        out = []
        for doc in self.nlp.pipe(lemma_strings, batch_size=512):
            row = [Suggestion(label, float(p), self.name,
                              f"model {p:.2f}, trained on {plural(self.examples, 'excerpt')}")
                   for label, p in doc.cats.items() if p >= floor]
            out.append(row)
        return out


# -- similarity to coded sentences -----------------------------------------------------

EXEMPLARS_PER_CODE = 400


def exemplars(examples: list[Example], per_code: int = EXEMPLARS_PER_CODE) -> list[Example]:
    """The coded sentences the similarity engine compares with: every one while no code
    has more than `per_code`; past that, `per_code` of each code's, spread evenly over its
    sentences (in their order), an example kept if any of its codes keeps it."""
    keep: set[int] = set()
    by_code: dict[str, list[int]] = {}
    for j, e in enumerate(examples):
        for code in e.codes:
            by_code.setdefault(code, []).append(j)
    for indices in by_code.values():
        step = max(1.0, len(indices) / per_code)
        keep.update(indices[int(i * step)] for i in range(min(per_code, len(indices))))
    return [e for j, e in enumerate(examples) if j in keep]


class SimilarEngine:
    name = "similar"

    def __init__(self, examples: list[Example], corpus: list[str]):
        """examples: coded sentences; corpus: every sentence's lemmas, for the idf. A code
        is compared by at most EXEMPLARS_PER_CODE of its sentences (spread evenly over
        them), so a suggestion costs the same however much has been coded and autocoding
        a project grows with its size, not with its size times its coding."""
        from scipy import sparse

        self.examples = exemplars([e for e in examples if e.codes])
        # (code, example) pairs grouped by code: each code's best match is a max over its
        # slice of a segment's similarities
        codes = sorted({c for e in self.examples for c in e.codes})
        index = {c: i for i, c in enumerate(codes)}
        pairs = sorted((index[c], j) for j, e in enumerate(self.examples) for c in e.codes)
        self._codes = codes
        self._pair_example = np.array([j for _, j in pairs], dtype=np.int64)
        self._starts = np.array([i for i, (c, _) in enumerate(pairs)
                                 if i == 0 or pairs[i - 1][0] != c], dtype=np.int64)
        vocab: dict[str, int] = {}
        df: dict[int, int] = {}
        for text in corpus:
            for term in set(content_words(text)):
                i = vocab.setdefault(term, len(vocab))
                df[i] = df.get(i, 0) + 1
        self.vocab = vocab
        n = max(len(corpus), 1)
        self.idf = np.array([math.log((1 + n) / (1 + df.get(i, 0))) + 1
                             for i in range(len(vocab))])
        self.matrix = self._vectors([e.lemmas for e in self.examples]) if self.examples \
            else sparse.csr_matrix((0, len(vocab)))

    def _vectors(self, texts: list[str]) -> sparse.csr_matrix:
        from scipy import sparse

        rows, cols, vals = [], [], []
        for r, text in enumerate(texts):
            counts: dict[int, int] = {}
            for term in content_words(text):
                i = self.vocab.get(term)
                if i is not None:
                    counts[i] = counts.get(i, 0) + 1
            for i, c in counts.items():
                rows.append(r)
                cols.append(i)
                vals.append((1 + math.log(c)) * self.idf[i])
        m = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(self.vocab)))
        norms = np.sqrt(m.multiply(m).sum(axis=1)).A1
        norms[norms == 0] = 1
        return sparse.diags(1 / norms) @ m

    def suggest(self, lemma_strings: list[str], floor: float = 0.08) -> list[list[Suggestion]]:
        if not self.examples:
            return [[] for _ in lemma_strings]
        sims = (self._vectors(lemma_strings) @ self.matrix.T).toarray()
        # A two-word sentence can match a coded one perfectly by chance: trust a match
        # in proportion to the words it rests on, up to SURE_WORDS.
        sure = np.array([min(1.0, len(content_words(t)) / SURE_WORDS) for t in lemma_strings])
        sims *= sure[:, None]
        # each code's best example per segment (the first of equals), and the first
        # example over the floor, which orders the codes as a scan of the examples would
        by_pair = sims[:, self._pair_example]
        ends = [*self._starts[1:], len(self._pair_example)]
        best = np.stack([self._pair_example[a + by_pair[:, a:b].argmax(axis=1)]
                         for a, b in zip(self._starts, ends, strict=True)], axis=1)
        top = np.take_along_axis(sims, best, axis=1)
        never = len(self.examples)
        first = np.minimum.reduceat(np.where(by_pair >= floor, self._pair_example, never),
                                    self._starts, axis=1)
        out = []
        for r in range(len(lemma_strings)):
            found = sorted((int(first[r, k]), k) for k in np.flatnonzero(first[r] < never))
            out.append([Suggestion(self._codes[k], float(top[r, k]), self.name,
                                   self._why(int(best[r, k]), float(top[r, k])))
                        for _, k in found])
        return out


    def _why(self, j: int, score: float) -> str:
        where = self.examples[j].label
        return f"like your excerpt{' in ' + where if where else ''} ({score:.2f})"


# -- combining -------------------------------------------------------------------------

@dataclass
class Combined:
    code: str
    score: float
    engine: str  # the strongest contributor
    why: str
    parts: list[Suggestion] = field(default_factory=list)


def combine(per_engine: list[list[Suggestion]], weights: dict[str, float] = WEIGHTS
            ) -> list[Combined]:
    """One ranked list from several engines' suggestions for one segment."""
    by_code: dict[str, list[Suggestion]] = {}
    for suggestions in per_engine:
        for s in suggestions:
            by_code.setdefault(s.code, []).append(s)
    out = []
    for code, parts in by_code.items():
        miss = 1.0
        for s in parts:
            miss *= 1 - weights.get(s.engine, 1.0) * s.score
        parts.sort(key=lambda s: weights.get(s.engine, 1.0) * s.score, reverse=True)
        out.append(Combined(code, 1 - miss, parts[0].engine,
                            "; ".join(s.why for s in parts), parts))
    out.sort(key=lambda c: c.score, reverse=True)
    return out
