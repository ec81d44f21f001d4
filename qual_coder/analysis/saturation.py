"""Thematic saturation as Guest, Namey & Chen (2020, PLOS ONE 15(5): e0232076) define it.

Transcripts are taken in interview-date order (then name; undated ones last, by name). A
code is new in a transcript when no earlier transcript has a final coding of it; every
code key counts on its own. The base is the distinct codes of the first `base`
transcripts. Each run of `run` transcripts after the base, sliding by one, has a
new-information ratio: the codes first seen in the run over the base's codes, as a
percentage. Saturation is reached at the last transcript of the first run whose ratio is
at or below the threshold. `by`: the same within each stakeholder type, each transcript
counted for a type by the codings on its participants' turns of that type.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from ..errors import QualCoderError
from ..storage import Project, coding_rows, transcript_rows

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def interview_date(text: str | None) -> dt.date | None:
    """A transcript's date as people write it: ISO (2016-07-12, with or without a time),
    or day first as in the UK (12/07/2016, 12 July 2016). None when there is none."""
    if not text or not text.strip():
        return None
    m = _ISO.match(text.strip())
    try:
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        from dateutil import parser

        parsed: dt.datetime = parser.parse(text, dayfirst=True,
                                           default=dt.datetime(1900, 1, 1))
        return parsed.date()
    except (ValueError, OverflowError):
        return None


@dataclass
class Saturation:
    base: int
    run: int
    threshold: float
    order: list[dict[str, Any]] = field(default_factory=list)
    base_codes: int = 0
    runs: list[dict[str, Any]] = field(default_factory=list)
    saturation_at: str | None = None
    group: str | None = None  # the stakeholder type, with --by

    @property
    def statement(self) -> str:
        """One sentence a Methods section can keep."""
        n = len(self.order)
        who = f" among {self.group}" if self.group else ""
        rule = (f"new information of {self.threshold:g}% or less in a run of {self.run} "
                f"transcripts after a base of {self.base}; Guest, Namey & Chen, 2020")
        if n < self.base + self.run:
            return (f"Saturation{who} could not be assessed: {n} transcript"
                    f"{'s' if n != 1 else ''} with codings, fewer than the base of {self.base} "
                    f"and a run of {self.run} need ({rule}).")
        if not self.base_codes:
            return f"Saturation{who} could not be assessed: the base transcripts have no codings."
        if self.saturation_at is None:
            last = self.runs[-1]["ratio"] if self.runs else None
            return (f"Saturation{who} was not reached ({rule}): the last run still added "
                    f"{last:g}% new codes." if last is not None else
                    f"Saturation{who} was not reached ({rule}).")
        at = next(i for i, o in enumerate(self.order, 1) if o["transcript"] == self.saturation_at)
        total = self.order[-1]["cumulative"]
        found = self.order[at - 1]["cumulative"]
        return (f"Saturation{who} was reached at transcript {at} of {n} "
                f"({self.saturation_at}), when {found} of the {total} codes had been seen "
                f"({rule}).")

    def to_json(self) -> dict[str, Any]:
        return {"group": self.group, "base": self.base, "run": self.run,
                "threshold": self.threshold, "order": self.order, "base_codes": self.base_codes,
                "runs": self.runs, "saturation_at": self.saturation_at,
                "statement": self.statement}


def assess(sequence: list[tuple[str, str | None, set[str]]], base: int = 4, run: int = 2,
           threshold: float = 5.0, group: str | None = None) -> Saturation:
    """Saturation over (transcript, date, codes) already in order."""
    if base < 1 or run < 1:
        raise QualCoderError("--base and --run are at least 1")
    if threshold < 0:
        raise QualCoderError("--threshold is a percentage, 0 or more")
    out = Saturation(base, run, threshold, group=group)
    seen: set[str] = set()
    first_seen: list[set[str]] = []
    for name, date, codes in sequence:
        new = codes - seen
        seen |= codes
        first_seen.append(new)
        out.order.append({"transcript": name, "date": date, "new_codes": sorted(new),
                          "cumulative": len(seen)})
    out.base_codes = len(set().union(*first_seen[:base])) if first_seen else 0
    if not out.base_codes:
        return out
    for start in range(base, len(sequence) - run + 1):
        window = range(start, start + run)
        added = sum(len(first_seen[i]) for i in window)
        out.runs.append({"transcripts": [sequence[i][0] for i in window], "new": added,
                         "ratio": round(100 * added / out.base_codes, 1)})
        if out.saturation_at is None and 100 * added / out.base_codes <= threshold:
            out.saturation_at = sequence[start + run - 1][0]
    return out


def saturation(project: Project, base: int = 4, run: int = 2, threshold: float = 5.0,
               by: str | None = None) -> list[Saturation]:
    """Saturation over the project's transcripts with final codings (one result), or
    within each stakeholder type (`by="stakeholder_type"`, one result per type)."""
    if by is not None and "_".join(by.split()).casefold() != "stakeholder_type":
        raise QualCoderError(f"--by stakeholder_type is the grouping saturation knows, "
                             f"not '{by}'")
    conn = project.conn
    rows = {t["id"]: t for t in transcript_rows.list_transcripts(conn)}
    coded: dict[int, list[tuple[int, int, str]]] = {}
    for _, tid, key, _, start, end in coding_rows.final_coded(conn):
        coded.setdefault(tid, []).append((start, end, key))

    def ordered(ids: list[int]) -> list[int]:
        def key(tid: int) -> tuple[bool, dt.date, str]:
            when = interview_date(rows[tid]["date"])
            return (when is None, when or dt.date.min, rows[tid]["name"])
        return sorted(ids, key=key)

    if by is None:
        seq = [(rows[t]["name"], rows[t]["date"], {k for _, _, k in coded[t]})
               for t in ordered(list(coded))]
        return [assess(seq, base, run, threshold)]
    labels = {t["key"]: t["label"] or t["key"] for t in transcript_rows.stakeholder_types(conn)}
    turns = transcript_rows.turns_by_type(conn)  # tid -> [(start, end, type)]
    per_type: dict[str, dict[int, set[str]]] = {}
    for tid, spans in coded.items():
        typed = turns.get(tid, [])
        starts = [s for s, _, _ in typed]
        for start, end, key in spans:
            i = max(bisect_right(starts, start) - 1, 0)
            while i < len(typed) and typed[i][0] < end:
                s, e, stype = typed[i]
                if e > start:
                    per_type.setdefault(stype, {}).setdefault(tid, set()).add(key)
                i += 1
    order = [k for k in labels if k in per_type]
    return [assess([(rows[t]["name"], rows[t]["date"], per_type[stype][t])
                    for t in ordered(list(per_type[stype]))], base, run, threshold,
                   group=labels[stype]) for stype in order]
