"""Inductive discovery: what do participants talk about that no code covers yet?

Candidates are lemma n-grams (1-3 words) of the sentences no coding covers, and,
with a trained pipeline, their noun phrases (a blank pipeline has no parser). Each
is ranked by keyness against the coded rest of the corpus: Dunning's log-likelihood
G2, keeping only what is over-used in the uncoded text, weighted by how rare the
words are in everyday English (`rarity`). Interviewer turns are left
out. A candidate carries its frequency, how many participants and stakeholder types
said it, and example sentences.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..storage import Project, code_rows, coding_rows, nlp_rows, transcript_rows
from .pipeline import LOCK, load, pipeline_name
from .suggester import covers
from .words import name_words, stop_words

if TYPE_CHECKING:
    from spacy.language import Language


@dataclass
class Candidate:
    phrase: str  # lemmas: "counsel service"
    shown: str  # the words most often said: "counselling service"
    keyness: float
    frequency: int
    participants: int
    stakeholder_types: int
    examples: list[dict[str, Any]] = field(default_factory=list)


def log_likelihood(a: int, b: int, c: int, d: int) -> float:
    """Dunning's G2 for a term seen a times in c tokens and b times in d tokens."""
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    g2 = 0.0
    if a:
        g2 += a * math.log(a / e1)
    if b:
        g2 += b * math.log(b / e2)
    return 2 * g2


# word -> its log probability in everyday English, of the words looked up so far (None:
# not in the table); the table itself is never kept
_PROBABILITIES: dict[str, float | None] = {}


def word_probabilities(words: Iterable[str]) -> dict[str, float | None] | None:
    """The log probabilities of `words` in spacy-lookups-data's English table (None when
    the package is not installed). The table has a million entries, 477 MB as the dict
    spaCy would build of it; only the words asked for are kept. The gzipped JSON holds an
    entry a line as the package writes it, so its lines are read and only the wanted keys
    parsed; any other layout is parsed whole."""
    wanted = {w for w in words if w not in _PROBABILITIES}
    if wanted:
        try:
            import spacy_lookups_data
        except ImportError:
            return None
        listed = Path(str(spacy_lookups_data.en["lexeme_prob"]))  # stored gzipped
        raw = (listed.read_bytes() if listed.exists() else
               gzip.decompress(listed.with_name(listed.name + ".gz").read_bytes()))
        keys = {json.dumps(w, ensure_ascii=ascii_only).encode(): w for w in wanted
                for ascii_only in (True, False)}  # "na\u00efve" or "naïve", as the file has it
        lines = raw.split(b"\n")
        if len(lines) > 1000:
            for line in lines:
                key, _, value = line.strip().rstrip(b",").rpartition(b":")
                if key in keys:
                    _PROBABILITIES[keys[key]] = float(value)
        else:
            table = json.loads(raw)
            _PROBABILITIES.update({w: table[w] for w in wanted if w in table})
        for w in wanted:
            _PROBABILITIES.setdefault(w, None)
    return _PROBABILITIES


def rarity(phrase: str, probabilities: dict[str, float | None] | None) -> float:
    """How far from everyday English a phrase is, 0.1-1, from the word log-probabilities
    in spacy-lookups-data (`word_probabilities` of its words): "month" and "maybe" are
    everywhere, "counsellor" is not, and "SENCo" is not in the table at all. Keyness alone
    ranks everyday words high in a small corpus; weighting by rarity brings the themes
    up."""
    if probabilities is None:
        return 1.0
    words = phrase.split()
    rarest = min(p if (p := probabilities.get(w)) is not None else -20.0 for w in words)
    weight = min(1.0, max(0.1, (-rarest - 8.0) / 6.0))
    return float(max(weight, 0.6) if len(words) > 1 else weight)


def _ngrams(words: list[str], stop: set[str] | frozenset[str],
            n_max: int = 3) -> Iterator[str]:
    for n in range(1, n_max + 1):
        for i in range(len(words) - n + 1):
            gram = words[i:i + n]
            if gram[0] in stop or gram[-1] in stop:
                continue
            if any(len(w) < 3 and not w.isalpha() for w in gram) or any(
                    w.isdigit() for w in gram):
                continue
            if n == 1 and len(gram[0]) < 4:
                continue
            yield " ".join(gram)


def discover(project: Project, top: int = 25, min_frequency: int = 3,
             min_participants: int = 2, examples: int = 3,
             names: Iterable[str] = ()) -> list[Candidate]:
    """`names`: more names of people and places to leave out (what pseudonymisation
    would replace), besides sites, participants and speaker labels."""
    with LOCK:
        return _discover(project, top, min_frequency, min_participants, examples, names)


def _discover(project: Project, top: int, min_frequency: int, min_participants: int,
              examples: int, more_names: Iterable[str] = ()) -> list[Candidate]:
    conn = project.conn
    stop = stop_words()
    known: set[str] = set()
    for code in code_rows.all_codes(conn):
        known.update(k.lower() for k in code["keywords"])
        known.add(code["name"].lower())
    # Names of places and people are who and where, not what: leave them out.
    names = name_words(project, more_names)
    codings: dict[int, list[tuple[int, int]]] = {}
    for _, tid, _, _, a, b in coding_rows.final_coded(conn):
        codings.setdefault(tid, []).append((a, b))
    speakers = nlp_rows.turn_speakers(conn)
    target: dict[str, int] = {}
    reference: dict[str, int] = {}
    where: dict[str, list[tuple[int, int, int, int]]] = {}  # (transcript, seq, start, end)
    n_target = n_reference = 0
    uncoded_rows = []
    for _, tid, seq, a, b, lemmas, not_said in nlp_rows.sentences(conn):
        if not_said or speakers.get((tid, seq), (None,))[0] is None:
            continue  # the interviewer's or no one's words, or a speaker with no participant
        words = lemmas.split()
        coded = any(covers(a, b, ca, cb) for ca, cb in codings.get(tid, []))
        counts = reference if coded else target
        grams = set(_ngrams(words, stop))
        if coded:
            n_reference += len(words)
        else:
            n_target += len(words)
            uncoded_rows.append((tid, seq, a, b))
        for gram in grams:
            counts[gram] = counts.get(gram, 0) + 1
            if not coded:
                where.setdefault(gram, []).append((tid, seq, a, b))
    nlp = load(pipeline_name(project))
    if nlp.has_pipe("parser"):  # noun_chunks needs a dependency parse
        _noun_phrases(project, nlp, uncoded_rows, stop, target, where)
    found = []
    for gram, a in target.items():
        b = reference.get(gram, 0)
        if a < min_frequency or gram in known or a / max(n_target, 1) <= b / max(n_reference, 1):
            continue
        if any(w in names for w in gram.split()):
            continue
        people = {speakers.get((tid, seq), (None, None)) for tid, seq, _, _ in where[gram]}
        named = {p for p, _ in people if p}
        if len(named) < min_participants:
            continue
        keyness = log_likelihood(a, b, max(n_target, 1), max(n_reference, 1))
        found.append(Candidate(gram, gram, keyness, a, len(named),
                               len({t for _, t in people if t})))
    probabilities = word_probabilities({w for c in found for w in c.phrase.split()})
    for cand in found:
        cand.keyness *= rarity(cand.phrase, probabilities)
    found.sort(key=lambda c: c.keyness, reverse=True)
    proper = _proper_nouns(transcript_rows.texts_by(conn).values(),
                           {w for c in found[:top * 4] for w in c.phrase.split()})
    found = [c for c in found if not any(w in proper for w in c.phrase.split())]
    chosen: list[Candidate] = []
    for cand in found:  # "waiting list" makes "waiting" redundant when it says the same
        if any(cand.phrase in c.phrase.split(" ") or f" {cand.phrase} " in f" {c.phrase} "
               for c in chosen if c.frequency >= 0.8 * cand.frequency):
            continue
        chosen.append(cand)
        if len(chosen) == top:
            break
    texts: dict[int, tuple[str, str]] = {}
    for cand in chosen:
        for tid, seq, a, b in where[cand.phrase][:examples]:
            if tid not in texts:
                t = transcript_rows.transcript_by_id(conn, tid)
                texts[tid] = (t["name"], t["text"])
            name, text = texts[tid]
            cand.examples.append(dict(transcript=name, start=a, end=b, text=text[a:b],
                                      speaker=speakers.get((tid, seq), (None, None))[0]))
    _surface_forms(nlp, chosen)
    return chosen


def _proper_nouns(texts: Iterable[str], words: set[str]) -> set[str]:
    """Which of `words` the transcripts write with a capital inside a sentence nearly
    every time: names of people, places and organisations that no list holds ("Alicia",
    "Youth Space"), found without a gazetteer."""
    import re

    if not words:
        return set()
    pattern = re.compile(r"(?<![\w'’])(" + "|".join(re.escape(w) for w in sorted(words))
                         + r")(?![\w'’])", re.I)
    capital: dict[str, int] = {}
    lower: dict[str, int] = {}
    for text in texts:
        for m in pattern.finditer(text):
            before = text[max(0, m.start() - 3):m.start()].rstrip(" \t\"'‘“(")
            if not before or before[-1] in ".?!:\n]":
                continue  # a sentence's first word is capitalised whatever it is
            said, word = m.group(1), m.group(1).lower()
            if said[0].isupper() and (said[1:].islower() or len(said) == 1):  # Alicia, not SENCo
                capital[word] = capital.get(word, 0) + 1
            else:
                lower[word] = lower.get(word, 0) + 1
    return {w for w, n in capital.items() if n >= 2 and n >= 9 * lower.get(w, 0)}


def _surface_forms(nlp: Language, chosen: list[Candidate]) -> None:
    """Show each candidate as its examples said it, not as lemmas."""
    for cand in chosen:
        target = cand.phrase.split()
        said: dict[str, int] = {}
        for doc in nlp.pipe(e["text"] for e in cand.examples):
            words = [t for t in doc if not (t.is_space or t.is_punct)]
            for i in range(len(words) - len(target) + 1):
                if [t.lemma_ for t in words[i:i + len(target)]] == target:
                    text = doc[words[i].i:words[i + len(target) - 1].i + 1].text.lower()
                    said[text] = said.get(text, 0) + 1
        if said:
            cand.shown = max(said, key=lambda phrase: said[phrase])


def _noun_phrases(project: Project, nlp: Language, rows: list[tuple[int, int, int, int]],
                  stop: set[str] | frozenset[str], target: dict[str, int],
                  where: dict[str, list[tuple[int, int, int, int]]]) -> None:
    """With a trained pipeline: noun phrases of the uncoded sentences as candidates too."""
    conn = project.conn
    texts = {}
    for tid, _, _, _ in rows:
        if tid not in texts:
            texts[tid] = transcript_rows.text_of(conn, tid)
    docs = nlp.pipe((texts[tid][a:b] for tid, _, a, b in rows), batch_size=256)
    for row, doc in zip(rows, docs):
        for chunk in doc.noun_chunks:
            words = [t.lemma_.lower() for t in chunk if not (t.is_stop or t.is_punct)]
            if len(words) < 2 or words[0] in stop:
                continue
            phrase = " ".join(words)
            target[phrase] = target.get(phrase, 0) + 1
            where.setdefault(phrase, []).append(row)
