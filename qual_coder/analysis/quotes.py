"""Quotes by theme: excerpts of one or several codes, overlapping ones merged,
attributed the way reports do it: ‘…’ (School lead, Northmoor)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.intervals import intersect, overlaps, union
from ..errors import QualCoderError
from ..storage import Project, code_rows, coding_rows, transcript_rows

if TYPE_CHECKING:
    import sqlite3


@dataclass
class Quote:
    transcript: str
    transcript_id: int
    start: int
    end: int
    text: str
    codes: list[str]
    participants: list[str]
    roles: list[str]
    stakeholder_types: list[str]
    site: str | None

    @property
    def attribution(self) -> str:
        return ", ".join(x for x in (" / ".join(self.roles), self.site or "") if x)

    @property
    def whole(self) -> bool:
        """Starts as the speaker began a sentence and ends where one ends."""
        words = self.text.strip().lstrip("‘'\"“([")
        return bool(words) and words[0].isupper() and self.text.rstrip().rstrip(
            "’'\"”)]").endswith((".", "?", "!", "…"))

    def as_said(self) -> str:
        """The quote on one line, an ellipsis where it was cut inside a sentence."""
        words = " ".join(self.text.split())
        head = words.lstrip("‘'\"“([")
        if head and not head[0].isupper() and not words.startswith("…"):
            words = "…" + words
        if not words.rstrip("’'\"”)]").endswith((".", "?", "!", "…")):
            words += "…"
        return words

    def formatted(self) -> str:
        words = " ".join(self.text.split())
        return f"‘{words}’ ({self.attribution})" if self.attribution else f"‘{words}’"

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "attribution": self.attribution, "transcript": self.transcript,
                "start": self.start, "end": self.end, "codes": self.codes,
                "participants": self.participants, "roles": self.roles,
                "stakeholder_types": self.stakeholder_types, "site": self.site}


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, set[str]]]:
    out: list[tuple[int, int, set[str]]] = []
    for s, e, k in sorted(spans):
        if out and s <= out[-1][1]:
            ps, pe, pk = out[-1]
            out[-1] = (ps, max(pe, e), pk | {k})
        else:
            out.append((s, e, {k}))
    return out


def find_quotes(project: Project, codes: list[str], mode: str = "any",
                where: Where | None = None, search: str | None = None,
                include_interviewer: bool = False,
                coders: list[str] | None = None) -> list[Quote]:
    """Quotes for `codes` (each with its children; `=key` for the code alone, without
    its sub-codes): overlapping codings, whoever coded them, are one quote; `coders`
    keeps only those coders' codings. Text only the interviewer spoke is left out unless
    `include_interviewer`, as in the matrices. A quote's text is what was said: speaker
    labels between its turns and timestamps are left out (the turns and offsets say
    where it stands)."""
    if not codes:
        raise QualCoderError("name at least one --code")
    if mode not in ("any", "all"):
        raise QualCoderError("mode is any or all")
    conn = project.conn
    where = resolve_where(conn, where or {})
    from .matrix import check_coders

    coders = check_coders(project, coders)
    groups = {}
    for c in codes:
        alone = c.startswith("=")
        key = code_rows.code(conn, c[1:] if alone else c)["key"]
        groups[key] = [key] + ([] if alone else code_rows.descendant_keys(conn, key))
    spans: dict[int, dict[str, list[tuple[int, int, str]]]] = defaultdict(
        lambda: defaultdict(list))
    for key, members in groups.items():
        for tid, start, end in coding_rows.final_spans(conn, members, coders):
            spans[tid][key].append((start, end, key))
    matching_turns = None
    if search:
        matching_turns = transcript_rows.turns_matching(project, search)
        # Only spans overlapping a matching turn can be matching quotes: find those before
        # reading any transcript.
        hits: dict[int, tuple[list[int], list[int]]] = {}
        for tid, start, end in transcript_rows.turn_spans(conn, matching_turns):
            starts, ends = hits.setdefault(tid, ([], []))
            starts.append(start)
            ends.append(end)
        for starts, ends in hits.values():  # sorted here, whatever plan SQLite chose
            order = sorted(range(len(starts)), key=starts.__getitem__)
            starts[:] = [starts[i] for i in order]
            ends[:] = [ends[i] for i in order]
        spans = {tid: v for tid, v in spans.items() if tid in hits}
    merged_by: dict[int, list[tuple[int, int, set[str]]]] = {}
    for tid, per_code in spans.items():
        if mode == "all":
            both = union((s, e) for s, e, _ in per_code.get(next(iter(groups)), []))
            for k in list(groups)[1:]:
                both = intersect(both, union((s, e) for s, e, _ in per_code.get(k, [])))
            merged = [(s, e, set(groups)) for s, e in both]  # every code is present
        else:
            merged = _merge([(s, e, k) for k in groups for s, e, k in per_code.get(k, [])])
        if search:
            starts, ends = hits[tid]
            merged = [m for m in merged if overlaps(starts, ends, m[0], m[1])]
        if merged:
            merged_by[tid] = merged
    keep: Callable[[str, list[int]], bool] | None = None
    if matching_turns is not None:
        words = [w.lower() for w in (search or "").split()]
        found = matching_turns

        def has_words(text: str, covered: list[int]) -> bool:
            return any(t in found for t in covered) and all(w in text.lower() for w in words)
        keep = has_words
    return attributed(project, merged_by, where, include_interviewer, keep)


def attributed(project: Project, merged_by: dict[int, list[tuple[int, int, set[str]]]],
               where: dict[str, list[str]], include_interviewer: bool = False,
               keep: Callable[[str, list[int]], bool] | None = None) -> list[Quote]:
    """Quotes of the disjoint, sorted spans of each transcript (with the codes present in
    each), attributed to who spoke in them and kept when `where` (resolved) matches.
    Spans only the interviewer spoke in are left out unless `include_interviewer`;
    `keep(text, covered turn ids)` may refuse a span."""
    conn = project.conn
    quotes: list[Quote] = []
    # Who each speaker is, read once: (name, role, stakeholder type, interviewer?, label).
    who = transcript_rows.speaker_identities(conn)
    none = (None, None, None, 0, None)
    for tid, merged in merged_by.items():
        if not merged:
            continue
        # Read only the stretch of the transcript the quotes lie in, and its turns.
        low, high = merged[0][0], max(m[1] for m in merged)
        t = transcript_rows.stretch(conn, tid, low, high)
        turns = [(tid_, start_, end_, *(none if sid is None else who.get(sid, none)))
                 for tid_, start_, end_, sid in transcript_rows.turns_overlapping(
                     conn, tid, low, high)]
        turns.sort(key=lambda tu: tu[1])
        starts = [tu[1] for tu in turns]
        people: dict[tuple[int, ...], tuple[bool, list[str], list[str], list[str]]] = {}
        for start, end, keys in merged:
            i = max(bisect_right(starts, start) - 1, 0)
            covered = []
            while i < len(turns) and turns[i][1] < end:
                if turns[i][2] > start:
                    covered.append(turns[i])
                i += 1
            if keep is not None and not keep(t[3][start - low:end - low],
                                             [tu[0] for tu in covered]):
                continue
            ids = tuple(tu[0] for tu in covered)
            if ids not in people:  # who spoke these turns, worked out once per set of turns
                speakers = [tu for tu in covered if tu[3] and not tu[6]]
                people[ids] = (
                    bool(speakers), list(dict.fromkeys(str(tu[3]) for tu in speakers)),
                    list(dict.fromkeys(str(tu[4] or tu[7] or tu[3]) for tu in speakers)),
                    list(dict.fromkeys(tu[5] for tu in speakers if tu[5])))
            spoken, named, roles, types = people[ids]
            if not spoken and not include_interviewer:
                continue
            said = spoken_text(t[3], low, start, end, [(tu[1], tu[2]) for tu in covered])
            quote = Quote(t[0], tid, start, end, said, sorted(keys), list(named), list(roles),
                          list(types), t[1])
            if _matches(quote, t, where):
                quotes.append(quote)
    quotes.sort(key=lambda q: (q.transcript, q.start))
    return quotes


# A timestamp as transcribers write it inside a turn: [00:02:00], (06:06):, 00:01:02 -
_TIMESTAMP = re.compile(r"[\[(]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[\])]:?[ \t]?"
                        r"|(?m:^\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[ \t]*[-–:]?[ \t]*)")


def spoken_text(text: str, offset: int, start: int, end: int,
                turns: list[tuple[int, int]]) -> str:
    """The words said in [start, end) of a transcript (`text` begins at `offset`): each
    covered turn's part, without the speaker labels between turns or timestamps, turns
    joined by a space. Text outside every turn (a header) is not quoted."""
    parts = []
    for t_start, t_end in turns:
        a, b = max(start, t_start), min(end, t_end)
        if a < b:
            part = _TIMESTAMP.sub("", text[a - offset:b - offset]).strip()
            if part:
                parts.append(part)
    if not turns:
        return _TIMESTAMP.sub("", text[start - offset:end - offset]).strip()
    return " ".join(parts)


WHERE_FIELDS = ("stakeholder_type", "role", "site", "kind", "participant")


Where = dict[str, str] | dict[str, list[str]] | dict[str, str | list[str]]


def resolve_where(conn: sqlite3.Connection, where: Where) -> dict[str, list[str]]:
    """Filters as the user typed them (a field's name or a value's key or label, any
    case; several values of one field are alternatives) to the values stored; an unknown
    field or value is an error listing the known ones, never an empty result."""
    out: dict[str, list[str]] = {}
    for field, given in where.items():
        name = "_".join(field.split()).casefold()
        if name not in WHERE_FIELDS:
            raise QualCoderError(f"--where can filter on {', '.join(WHERE_FIELDS)}, not "
                                 f"'{field}'")
        if name == "stakeholder_type":
            known = {t["key"]: t["label"] for t in transcript_rows.stakeholder_types(conn)}
            choices = {k.casefold(): k for k in known} | {
                lab.casefold(): k for k, lab in known.items() if lab}
            listed = ", ".join(f"{k} ({lab})" for k, lab in known.items())
        else:
            values = transcript_rows.distinct_values(conn, name)
            choices = {v.casefold(): v for v in values}
            if name == "kind":
                choices |= {"focus group": "focus_group", "focus-group": "focus_group"}
            listed = ", ".join(sorted(values))
        for value in [given] if isinstance(given, str) else given:
            key = " ".join(value.split()).casefold()
            if key not in choices:
                raise QualCoderError(f"--where {field}={value}: no such "
                                     f"{name.replace('_', ' ')}; known: {listed or 'none'}")
            out.setdefault(name, [])
            if choices[key] not in out[name]:
                out[name].append(choices[key])
    return out


def _matches(quote: Quote, transcript_row: tuple[str, str | None, str, str],
             where: dict[str, list[str]]) -> bool:
    return where_met(where, {"stakeholder_type": quote.stakeholder_types,
                             "role": quote.roles, "site": [quote.site],
                             "kind": [transcript_row[2]], "participant": quote.participants})


def where_met(where: dict[str, list[str]], said: Mapping[str, Sequence[str | None]]) -> bool:
    """Filters resolved by `resolve_where` against what a passage's speakers are: every
    field matches (AND), each by any of its values (OR), case ignored."""
    for field, values in where.items():
        wanted = {v.lower() for v in values}
        if not wanted.intersection((v or "").lower() for v in said[field]):
            return False
    return True


def pick_exemplars(quotes: list[Quote], n: int) -> list[Quote]:
    """Quotes from different stakeholder types and sites first, shortest first within
    each, so the exemplars show the range of voices rather than one transcript."""
    # Whole sentences first (a fragment starting in lower case reads as a misquote), then
    # shortest, so the exemplars are quotable as they stand.
    pool = sorted(quotes, key=lambda q: (not q.whole, len(q.text)))
    chosen, seen = [], set()
    for q in pool:
        who = (tuple(q.stakeholder_types), q.site)
        if who not in seen and len(q.text.split()) >= 6:
            chosen.append(q)
            seen.add(who)
        if len(chosen) == n:
            return chosen
    return (chosen + [q for q in pool if q not in chosen])[:n]
