"""Importers: one module per format, chosen by file suffix.

`read_transcript(path, known_speakers)` returns a ParsedTranscript and writes
nothing; storing is the service layer's job, so a failed file leaves no trace.
"""

from __future__ import annotations

from pathlib import Path

from ..core.transcripts import ParsedTranscript
from ..errors import ImportRefused
from .decode import decode_text

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
SUFFIXES = TEXT_SUFFIXES | {".docx", ".vtt", ".srt"}


def read_transcript(
    path: Path, data: bytes | None = None, known_speakers: set[str] | None = None
) -> ParsedTranscript:
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
    if suffix == ".docx":
        from .docx import read_docx

        if not data:
            raise ImportRefused(f"{name}: the file is empty; nothing to import")
        parsed = read_docx(data, name)
        parsed.encoding = "docx"
        return parsed
    text, encoding, warnings = decode_text(data, name)
    if suffix in {".vtt", ".srt"}:
        from .captions import read_captions

        parsed = read_captions(text, name, suffix[1:])
    else:
        from .text import parse_text

        parsed = parse_text(text, "markdown" if suffix in {".md", ".markdown"} else "text",
                            known_speakers)
    parsed.encoding = encoding
    parsed.warnings = warnings + [f"{name}: {w}" if not w.startswith(name) else w
                                  for w in parsed.warnings]
    return parsed
