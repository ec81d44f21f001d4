"""Messages the workbench's widgets post upward (attributes down, messages up)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class CursorMoved(Message):
    offset: int
    selection: tuple[int, int] | None


@dataclass
class OpenTranscript(Message):
    transcript_id: int
    start: int | None = None
    end: int | None = None


@dataclass
class CodeHighlighted(Message):
    key: str | None
