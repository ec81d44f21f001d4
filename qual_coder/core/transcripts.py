"""Transcripts as parsed from a file, before they are stored.

Offsets everywhere are indices into `text` in Unicode code points (Python str
indices), so a coding means the same words whatever the file's encoding was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_WORD = re.compile(r"\S+")

# Labels that conventionally mark the person asking the questions.
INTERVIEWER_LABELS = frozenset(
    {"interviewer", "facilitator", "moderator", "researcher", "q", "i", "int", "iv"}
)


def count_words(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


@dataclass(frozen=True)
class ParsedTurn:
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


def looks_like_interviewer(label: str) -> bool:
    return label.strip().lower().rstrip(".") in INTERVIEWER_LABELS
