"""The shapes storage's read functions return: typed rows (TypedDicts), so a key typed
wrong or a value used as the wrong type is a type error, while services can still hand
the rows to the CLI's JSON and the TUI's tables as they are."""

from __future__ import annotations

from typing import Any, TypedDict


class CodeRow(TypedDict):
    id: int
    key: str
    name: str
    parent: str | None  # the parent code's key
    description: str
    include: str
    exclude: str
    example: str
    keywords: list[str]
    patterns: list[Any]  # spaCy Matcher patterns, each a list of token specs
    color: str | None
    origin: str
    codable: bool
    guid: str
    codebook: str  # the codebook's key
    sort: int
    created_by: str | None
    created_at: str


class CodebookRow(TypedDict):
    id: int
    key: str
    name: str
    description: str
    metadata: dict[str, Any]  # as the codebook file gave it
    source_file: str | None
    guid: str
    sort: int


class CodingRow(TypedDict):
    id: int
    transcript_id: int
    transcript: str  # its name
    start: int
    end: int
    code: str  # the code's key
    coder: str
    status: str  # final | suggested
    source: str  # manual, qdpx, suggest:<engine>, ...
    guid: str
    created_at: str


class TranscriptRow(TypedDict):
    id: int
    name: str
    source_file: str
    format: str
    encoding: str
    sha256: str
    kind: str  # interview | focus_group
    site: str | None
    date: str | None
    words: int
    text: str
    imported_at: str
    attributes: dict[str, str]


class TurnRow(TypedDict):
    id: int
    seq: int
    start: int
    end: int
    timestamp: str | None
    speaker: str | None  # the label as written
    participant: str | None
    stakeholder_type: str | None
    role: str | None
    is_interviewer: int


class ParticipantRow(TypedDict):
    id: int
    name: str
    stakeholder_type: str | None
    role: str | None
    is_interviewer: bool
    transcripts: int  # how many transcripts they speak in
    turns: int
    attributes: dict[str, str]


class StakeholderTypeRow(TypedDict):
    key: str
    label: str
    is_interviewer: bool


class MemoRow(TypedDict):
    id: int
    scope: str  # project | transcript | code | coding
    owner_id: int | None  # None for the project's memo
    text: str
    author: str | None
    created_at: str
    updated_at: str


class HistoryRow(TypedDict):
    id: int
    code: str  # the code's key when it happened
    action: str
    detail: str
    coder: str | None
    at: str


class ModelRow(TypedDict):
    data: bytes  # the spaCy textcat's bytes
    labels: list[str]
    examples: int
    codings: int  # final codings when it was trained
    trained_at: str
