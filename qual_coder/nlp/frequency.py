"""Word frequency as NVivo's and MAXQDA's word frequency query gives it, over what
participants said: lemmas from the sentence cache (so "referrals" and "referral" are one
word), spaCy's stop words, the fillers of talk and names of people and places left out,
interviewers' turns excluded. By an attribute, each group's words are ranked by keyness:
Dunning's log-likelihood G2 of the group against the rest of the corpus (Rayson & Garside
2000); a group lists only the words it uses more than the rest."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import QualCoderError
from ..storage import Project, nlp_rows, transcript_rows
from .discover import log_likelihood
from .words import content_words, name_words

if TYPE_CHECKING:
    import pandas as pd

BY_FIELDS = ("stakeholder_type", "site", "kind", "transcript")


@dataclass
class WordCounts:
    """Counts of content words, overall and by group (`by` None: one group, "all")."""
    by: str | None
    counts: dict[str, Counter[str]]  # group -> lemma -> occurrences
    tokens: dict[str, int]  # group -> content words said
    speakers: dict[str, dict[str, set[str]]]  # group -> lemma -> participants saying it
    labels: dict[str, str]  # group -> what people read


def count_words(project: Project, by: str | None = None,
                names: Iterable[str] = ()) -> WordCounts:
    """Content lemmas participants said (interviewers' and no one's turns left out), by
    stakeholder type, site, transcript kind or transcript. The sentence cache must be
    current (services.sentences.ensure_sentences)."""
    field = "_".join(by.split()).casefold() if by else None
    if field is not None and field not in BY_FIELDS:
        raise QualCoderError(f"--by is one of {', '.join(BY_FIELDS)}, not '{by}'")
    conn = project.conn
    left_out = name_words(project, names)
    speakers = nlp_rows.turn_speakers(conn)
    transcripts = {t["id"]: t for t in transcript_rows.list_transcripts(conn)}
    labels = {t["key"]: t["label"] or t["key"] for t in transcript_rows.stakeholder_types(conn)}
    counts: dict[str, Counter[str]] = {}
    tokens: Counter[str] = Counter()
    who: dict[str, dict[str, set[str]]] = {}
    shown: dict[str, str] = {}
    for _, tid, seq, _, _, lemmas, not_said in nlp_rows.sentences(conn):
        person, stype = speakers.get((tid, seq), (None, None))
        if not_said or person is None:
            continue
        if field is None:
            group = "all"
        elif field == "stakeholder_type":
            group = stype or "(not recorded)"
            shown[group] = labels.get(group, group)
        elif field == "transcript":
            group = transcripts[tid]["name"]
        else:
            group = transcripts[tid][field] or "(not recorded)"
        words = [w for w in content_words(lemmas) if w not in left_out]
        counts.setdefault(group, Counter()).update(words)
        tokens[group] += len(words)
        people = who.setdefault(group, {})
        for w in words:
            people.setdefault(w, set()).add(person)
    return WordCounts(field, counts, dict(tokens), who,
                      {g: shown.get(g, g) for g in counts})


def frequency_table(wc: WordCounts, top: int = 30, min_count: int = 2) -> pd.DataFrame:
    """Without groups: the `top` words by count (word, count, per 1,000 words, participants).
    By groups: each group's `top` key words (over-used against the rest, G2 > 0) with the
    group's count, the rest's count, per 1,000 words in each, and G2, groups in order."""
    import pandas as pd

    total = sum(wc.tokens.values())
    if wc.by is None:
        counts = wc.counts.get("all", Counter())
        people = wc.speakers.get("all", {})
        rows = [{"word": w, "count": n, "per_1000": round(1000 * n / max(total, 1), 2),
                 "participants": len(people.get(w, ()))}
                for w, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
                if n >= min_count][:top]
        return pd.DataFrame(rows, columns=["word", "count", "per_1000", "participants"])
    everywhere: Counter[str] = Counter()
    for c in wc.counts.values():
        everywhere.update(c)
    rows = []
    for group in sorted(wc.counts, key=lambda g: (g.startswith("("), wc.labels[g].casefold())):
        here, size = wc.counts[group], wc.tokens[group]
        rest_size = total - size
        ranked = []
        for w, a in here.items():
            b = everywhere[w] - a
            if a < min_count or not rest_size:
                continue
            g2 = log_likelihood(a, b, size, rest_size)
            if a / size > b / rest_size:
                ranked.append((g2, w, a, b))
        ranked.sort(key=lambda r: (-r[0], r[1]))
        for g2, w, a, b in ranked[:top]:
            rows.append({"group": wc.labels[group], "word": w, "count": a,
                         "per_1000": round(1000 * a / size, 2), "rest_count": b,
                         "rest_per_1000": round(1000 * b / rest_size, 2),
                         "participants": len(wc.speakers[group].get(w, ())),
                         "keyness_g2": round(g2, 2)})
    return pd.DataFrame(rows, columns=["group", "word", "count", "per_1000", "rest_count",
                                       "rest_per_1000", "participants", "keyness_g2"])
