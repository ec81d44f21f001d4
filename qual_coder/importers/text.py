"""Plain-text and Markdown transcripts with speaker turns.

Recognised speaker labels, at the start of a line:
  `Name:` `NAME:` `P1:` `Q:`/`A:`, `**Name:**` (Markdown bold), `[00:01:02] Name:`,
  `Name (00:01:02):`, and Otter's `Name  00:01` alone on a line (text follows below).
An escaped or plain timestamp opening a turn (`\\[04:05\\]`, `[04:05]`) becomes the
turn's timestamp. Lines without a label continue the current turn, blank-line
paragraphs included.

A plain `Word:` at a line start is ambiguous ("Note: ...", "Example: ..."), so
such a label counts as a speaker only when it recurs, is a conventional label
(Interviewer, P1, Q), is known from the manifest, or looks like a person's name
in a file that already has speakers.
"""

from __future__ import annotations

import re
from collections import Counter

from ..core.transcripts import ParsedTranscript, ParsedTurn, looks_like_interviewer

_TS = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_NAME = r"[^\W\d_][\w'’.\-]*(?:[ \t]+[\w'’.\-&]+){0,4}?"

# One alternation, tried once per line; the group that matched says which form.
_LABEL = re.compile(
    rf"""
    (?:\*\*(?P<bold>[^*\n:]{{1,60}}?)[ \t]*(?::\*\*|\*\*[ \t]*:)[ \t]*)
  | (?:\\?\[(?P<bts>{_TS})\\?\][ \t]*(?P<bname>{_NAME})[ \t]*:(?:[ \t]+|$))
  | (?:(?P<pname>{_NAME})[ \t]*\((?P<pts>{_TS})\)[ \t]*(?::[ \t]*|$))
  | (?:(?P<oname>{_NAME})[ \t]{{2,}}(?P<ots>{_TS})[ \t]*$)
  | (?:(?P<name>{_NAME})[ \t]*:(?:[ \t]+|$))
    """,
    re.VERBOSE,
)
_OPENING_TS = re.compile(rf"\\?\[(?P<ts>{_TS})\\?\][ \t]*")
_CONVENTIONAL = re.compile(r"(?i)^(?:[PRC]\d{1,3}|Q|A|Speaker \d{1,3}|Participant \d{1,3})$")
_NOT_SPEAKERS = frozenset(
    """note notes nb ps date time site location venue present attendees example examples
    title subject re summary update transcript interview focus group topic question
    answer section part chapter source file duration recording keywords tags""".split()
)


def _normalise(name: str) -> str:
    return " ".join(name.split()).rstrip(".")


def _name_like(name: str) -> bool:
    words = name.split()
    if not 1 <= len(words) <= 3 or name.lower() in _NOT_SPEAKERS:
        return False
    return all(w[0].isupper() or w.lower() in {"de", "van", "von", "da"} for w in words)


class _Candidate:
    __slots__ = ("line", "name", "ts", "content", "strong")

    def __init__(self, line: int, name: str, ts: str | None, content: int, strong: bool):
        self.line, self.name, self.ts, self.content, self.strong = line, name, ts, content, strong


def _candidates(lines: list[str]) -> list[_Candidate]:
    found = []
    for i, line in enumerate(lines):
        if not line or line[0] in " \t":
            continue
        m = _LABEL.match(line)
        if m is None:
            continue
        kind = m.lastgroup
        if m.group("bold") is not None:
            name, ts, strong = m.group("bold"), None, True
        elif m.group("bname") is not None:
            name, ts, strong = m.group("bname"), m.group("bts"), True
        elif m.group("pname") is not None:
            name, ts, strong = m.group("pname"), m.group("pts"), True
        elif m.group("oname") is not None:
            name, ts, strong = m.group("oname"), m.group("ots"), True
        else:
            name, ts = m.group("name"), None
            strong = bool(_CONVENTIONAL.match(_normalise(name))) or looks_like_interviewer(name)
        del kind
        name = _normalise(name)
        if name:
            found.append(_Candidate(i, name, ts, m.end(), strong))
    return found


def _accepted(cands: list[_Candidate], known: set[str], lines: list[str]) -> list[_Candidate]:
    if known:
        # The manifest (or a Word turn table) names this file's speakers: trust it
        # over guesses, so "Note:" or a title line is never taken for a person.
        return [c for c in cands if c.strong or c.name in known]
    cands = [c for c in cands if c.strong or c.name not in _repeated_headings(cands, lines)]
    weak_counts = Counter(c.name for c in cands if not c.strong)
    sure = {c.name for c in cands if c.strong} | {n for n, k in weak_counts.items() if k >= 2}
    first_turn = min((c.line for c in cands if c.name in sure), default=len(cands) and 10**9)
    # A one-off "Name:" counts only after the first certain turn, so header lines
    # such as "Labels: I = interviewer" stay header.
    return [c for c in cands
            if c.name in sure or (c.line > first_turn and _name_like(c.name))]


def _repeated_headings(cands: list[_Candidate], lines: list[str]) -> set[str]:
    """Lines like "Topic: the same words", each said three times or more on average,
    are repeated titles, not a person speaking: people say something new each turn,
    or repeat something short ("Yes."). Exports of comment threads and survey dumps
    repeat such lines for every record."""
    said: dict[str, Counter] = {}
    for c in cands:
        said.setdefault(c.name, Counter())[lines[c.line][c.content:].strip()] += 1
    return {name for name, texts in said.items()
            if sum(texts.values()) >= 3 and len(texts) * 3 <= sum(texts.values())
            and all(len(t) >= 12 for t in texts)}  # "Yes." said six times stays speech


def parse_text(text: str, fmt: str = "text", known_speakers: set[str] | None = None) -> ParsedTranscript:
    """Split `text` into turns. `text` is kept exactly; turns are spans into it."""
    lines = text.split("\n")
    labels = {c.line: c for c in _accepted(_candidates(lines), known_speakers or set(), lines)}
    warnings: list[str] = []
    if not labels:
        return ParsedTranscript(text, _paragraph_turns(lines, "Speaker"), fmt, warnings=[
            "no speaker labels found: the whole file is one speaker, 'Speaker'; "
            "rename it with `qual-coder participants` or add labels and re-import"
        ])

    turns: list[ParsedTurn] = []
    speaker: str | None = None
    start = end = -1
    ts: str | None = None

    def close() -> None:
        if start >= 0 and end > start:
            turns.append(ParsedTurn(speaker, start, end, ts))

    offset = 0
    for i, line in enumerate(lines):
        label = labels.get(i)
        content_at = 0
        if label is not None:
            close()
            speaker, ts, start, end = label.name, label.ts, -1, -1
            content_at = label.content
        body = line[content_at:]
        stripped = body.strip()
        if stripped:
            if start < 0:
                lead = len(body) - len(body.lstrip())
                first = offset + content_at + lead
                m = _OPENING_TS.match(line, content_at + lead)
                if m and m.end() < len(line.rstrip()):
                    ts = ts or m.group("ts")
                    first = offset + m.end()
                start = first
            end = offset + content_at + len(body.rstrip())
        offset += len(line) + 1
    close()
    return ParsedTranscript(text, turns, fmt, warnings=warnings)


def _paragraph_turns(lines: list[str], speaker: str) -> list[ParsedTurn]:
    turns, offset, start, end = [], 0, -1, -1
    for line in lines:
        if line.strip():
            if start < 0:
                start = offset + len(line) - len(line.lstrip())
            end = offset + len(line.rstrip())
        elif start >= 0:
            turns.append(ParsedTurn(speaker, start, end))
            start = -1
        offset += len(line) + 1
    if start >= 0:
        turns.append(ParsedTurn(speaker, start, end))
    return turns
