"""Importers: one module per format, chosen by file suffix.

`read_transcript(path, known_speakers)` returns a ParsedTranscript and writes
nothing; storing is the service layer's job, so a failed file leaves no trace.
"""

from __future__ import annotations

from pathlib import Path

from ..core.limits import TURNS, check_size
from ..core.text import control_positions, plural
from ..core.transcripts import ParsedTranscript
from ..errors import ImportRefused
from .decode import decode_text

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
SUFFIXES = TEXT_SUFFIXES | {".docx", ".vtt", ".srt", ".csv", ".tsv", ".json"}


def read_transcript(
    path: Path, data: bytes | None = None, known_speakers: set[str] | None = None,
    separate: set[str] | None = None,
) -> ParsedTranscript:
    """`known_speakers` (from a manifest) are trusted as labels; labels in `separate`
    are never read as a typing or OCR slip for another."""
    suffix = path.suffix.lower()
    name = str(path)
    if suffix not in SUFFIXES:
        raise ImportRefused(
            f"{name}: unsupported file type '{suffix or '(none)'}'; qual-coder imports "
            + ", ".join(sorted(SUFFIXES))
        )
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as err:
            raise ImportRefused(f"{name}: cannot read ({err.strerror})") from None
    check_size(name, len(data))
    if suffix == ".docx":
        from .docx import read_docx

        if not data:
            raise ImportRefused(f"{name}: the file is empty; nothing to import")
        parsed = read_docx(data, name, separate)
        parsed.encoding = "docx"
        return _finished(parsed, name)
    text, encoding, warnings = decode_text(data, name)
    if suffix in {".vtt", ".srt"}:
        from .captions import read_captions

        parsed = read_captions(text, name, suffix[1:])
    elif suffix in {".csv", ".tsv"}:
        from .table import read_table

        parsed = read_table(text, name, suffix == ".tsv")
    elif suffix == ".json":
        from .table import read_json

        parsed = read_json(text, name)
    else:
        from .text import parse_text

        parsed = parse_text(text, "markdown" if suffix in {".md", ".markdown"} else "text",
                            known_speakers, separate)
    parsed.encoding = encoding
    parsed.warnings = warnings + [f"{name}: {w}" if not w.startswith(name) else w
                                  for w in parsed.warnings]
    return _finished(parsed, name)


def _finished(parsed: ParsedTranscript, name: str) -> ParsedTranscript:
    """What every format gets: the turn limit checked, control characters dropped."""
    if len(parsed.turns) > TURNS.value:
        raise TURNS.refuse(name, f"{plural(len(parsed.turns), 'turn')}")
    return _without_controls(parsed, name)


def _without_controls(parsed: ParsedTranscript, name: str) -> ParsedTranscript:
    """Drop control characters (an escape sequence would reach the terminal of whoever
    reads the transcript), moving turn offsets with the text; the count is reported."""
    at = control_positions(parsed.text)
    if not at:
        return parsed
    parsed.delete([(i, i + 1) for i in at])
    parsed.warnings.append(f"{name}: {len(at)} control characters (such as terminal escape "
                           "sequences) removed from the text")
    return parsed
