"""Transcripts as parsed from a file, before they are stored.

Offsets everywhere are indices into `text` in Unicode code points (Python str
indices), so a coding means the same words whatever the file's encoding was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

# What is in a transcript but was not said: stage directions and transcriber's notes in
# brackets ("[laughs]", "[inaudible 00:07:04]", "<crew talk>"), timestamps in brackets or
# parentheses, and the usual parenthesised asides ("(laughs)"). They stay in the text;
# word counts and the NLP pipeline leave them out.
TIMESTAMP = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"  # 4:05, 00:01:02, 00:07:04.15
# Every alternative starts with a literal character (a backslash, [, < or a parenthesis): the
# regex engine skips ahead to those characters instead of trying each position, twice as
# fast over a corpus as an optional backslash in front of the first alternative.
ASIDE = re.compile(
    rf"""\\\[[^\]\n]{{0,200}}?\\?\]  # an escaped Markdown bracket, \[laughter\]
    | \[[^\]\n]{{0,200}}?\\?\]
    | <[^<>\n]{{1,200}}>
    | \(\s*{TIMESTAMP}\s*\):?
    | \((?i:laugh|chuckl|giggl|inaudible|unintelligible|indistinct|crosstalk|cross-talk
        |overlapping|pause|long\ pause|silence|cough|sigh|music|applause|interrupt
        |background|phone|door|coughs|sighs|smil|nod|gestur)[^()\n]{{0,60}}\)
    """,
    re.VERBOSE,
)

# How every table, matrix and report shows a value nobody recorded (a participant
# without a stakeholder type, a transcript without a site): one phrase everywhere.
NOT_RECORDED = "(not recorded)"

# Labels that conventionally mark the person asking the questions.
INTERVIEWER_LABELS = frozenset(
    {"interviewer", "facilitator", "moderator", "researcher", "q", "i", "int", "iv", "question"}
)


def _may_have_asides(text: str) -> bool:
    return "[" in text or "<" in text or "(" in text


def count_words(text: str) -> int:
    """Words said: stage directions and bracketed timestamps are not counted. (Each aside
    becomes one space: a count needs no offsets, and a constant replacement spares a
    Python call per aside.)"""
    return len((ASIDE.sub(" ", text) if _may_have_asides(text) else text).split())


def mask_asides(text: str) -> str:
    """`text` with its asides blanked out, the same length, so offsets still hold."""
    if not _may_have_asides(text):
        return text
    return ASIDE.sub(lambda m: " " * len(m.group()), text)


class ParsedTurn(NamedTuple):
    """A turn as an importer found it: a named tuple, as cheap to make as a tuple (a
    two-hour focus group has thousands; a frozen dataclass costs three times as much)."""
    speaker: str | None  # None for text before the first speaker label (a header)
    start: int
    end: int
    timestamp: str | None = None


@dataclass
class ParsedTranscript:
    text: str
    turns: list[ParsedTurn]
    format: str
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)  # label -> role given in the file
    how: dict[str, str] = field(default_factory=dict)  # label -> how it was recognised
    names: dict[str, str] = field(default_factory=dict)  # label -> the person a key names
    # What a reader should check: labels read as another's (OCR noise), lines not taken
    # for speakers though they looked like labels, guesses made.
    ambiguous: list[str] = field(default_factory=list)

    def delete(self, spans: list[tuple[int, int]]) -> int:
        """Remove these sorted, non-overlapping spans of the text, moving every turn's
        offsets with it (a turn starting inside a removed span starts after it); returns
        how many characters went."""
        from .pseudonyms import OffsetMap, apply_edits

        if not spans:
            return 0
        edits = [(a, b, "") for a, b in spans]
        move = OffsetMap(edits)
        self.text = apply_edits(self.text, edits)
        self.turns = [t._replace(start=move(t.start, is_start=True), end=move(t.end))
                      for t in self.turns]
        return sum(b - a for a, b in spans)

    def spoken_words(self) -> int:
        """Words in the speakers' turns: no labels, header, timestamps or stage directions."""
        # The turns joined by newlines (no aside spans a line): one count, not one per turn.
        return count_words("\n".join([self.text[t.start:t.end] for t in self.turns
                                      if t.speaker is not None]))

    @property
    def speakers(self) -> list[str]:
        """Speaker labels in order of first appearance."""
        seen: dict[str, None] = {}
        for turn in self.turns:
            if turn.speaker is not None:
                seen.setdefault(turn.speaker, None)
        return list(seen)

    def turn_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for turn in self.turns:
            if turn.speaker is not None:
                counts[turn.speaker] = counts.get(turn.speaker, 0) + 1
        return counts


def written_out(turns: Iterable[tuple[str | None, str, str, str | None]],
                ) -> tuple[str, list[ParsedTurn]]:
    """Turns known by who said them (caption cues, table rows) written out as a reader
    would: each `label` then its words, a blank line between turns. `turns` gives
    (speaker or None, label, words, timestamp); returns the text and its turns, each
    spanning its words only."""
    parts: list[str] = []
    out: list[ParsedTurn] = []
    offset = 0
    for speaker, label, said, timestamp in turns:
        out.append(ParsedTurn(speaker, offset + len(label), offset + len(label) + len(said),
                              timestamp))
        chunk = label + said + "\n\n"
        parts.append(chunk)
        offset += len(chunk)
    return "".join(parts), out


def looks_like_interviewer(label: str) -> bool:
    return label.strip().lower().rstrip(".") in INTERVIEWER_LABELS
