"""Transcripts exported as a table, one utterance a row (Sonix, Trint, Happy Scribe,
Descript and many in-house tools): .csv or .tsv with a header row naming a speaker
column and a text column, and often a start time.

The stored text is what a reader would write out: `Speaker (start): words`, a blank line
between turns; one speaker's consecutive rows are one turn, an empty speaker cell
continues the turn above. The result goes through the plain-text parser with the
table's speakers known, so the turns are found the one way every format uses.
"""

from __future__ import annotations

import csv
import io
import re

from ..core.limits import ROWS
from ..core.transcripts import TIMESTAMP, ParsedTranscript
from ..errors import ImportRefused
from .text import parse_text

_SPEAKER = ("speaker", "speaker name", "speaker_name", "name", "who", "participant", "voice",
            "person", "talker")
_TEXT = ("text", "transcript", "transcription", "utterance", "content", "words", "speech",
         "dialogue", "sentence", "line", "caption")
_START = ("start", "start time", "start_time", "starttime", "timestamp", "time", "in",
          "begin", "start (hh:mm:ss)", "start timecode", "timecode", "from")
_TS = re.compile(rf"^\[?({TIMESTAMP})\]?$")
_SECONDS = re.compile(r"^\d+(?:\.\d+)?$")


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    norm = [" ".join(h.strip().lower().replace("_", " ").split()) for h in header]
    for name in names:
        wanted = name.replace("_", " ")
        if wanted in norm:
            return norm.index(wanted)
    return None


def _stamp(value: str) -> str:
    value = value.strip()
    m = _TS.match(value)
    if m:
        return m.group(1)
    if _SECONDS.match(value):  # seconds from the start, as some exports give them
        s = int(float(value))
        return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"
    return ""


def read_table(text: str, name: str, tsv: bool) -> ParsedTranscript:
    sample = text[:4096]
    delimiter = "\t" if tsv or sample.count("\t") > sample.count(",") else ","
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(rows, None)
    if not header:
        raise ImportRefused(f"{name}: the file is empty; nothing to import")
    who, said, when = _column(header, _SPEAKER), _column(header, _TEXT), _column(header, _START)
    if who is None or said is None:
        raise ImportRefused(
            f"{name}: row 1 should name a speaker column and a text column (for example "
            f"'Speaker,Start Time,Text'); found {', '.join(repr(h) for h in header[:8])}. "
            "Rename the columns, or save the transcript as text with 'Name: words' lines "
            "(a manifest goes with --manifest)")
    lines: list[str] = []
    speakers: set[str] = set()
    current = None
    for n, row in enumerate(rows, start=2):
        if n > ROWS.value + 1:
            raise ROWS.refuse(name, f"more than {ROWS.value:,} rows")
        if not any(c.strip() for c in row):
            continue
        cell = (row[said] if said < len(row) else "").strip()
        if not cell:
            continue
        speaker = " ".join((row[who] if who < len(row) else "").split()).rstrip(":")
        if not speaker or speaker == current:
            lines += ["", cell] if lines else [cell]
            continue
        stamp = _stamp(row[when]) if when is not None and when < len(row) else ""
        if lines:
            lines.append("")
        lines.append(f"{speaker} ({stamp}): {cell}" if stamp else f"{speaker}: {cell}")
        speakers.add(speaker)
        current = speaker
    if not lines:
        raise ImportRefused(f"{name}: no row has any text in column '{header[said]}'")
    parsed = parse_text("\n".join(lines) + "\n", "text", known_speakers=speakers)
    parsed.format = "tsv" if delimiter == "\t" else "csv"
    parsed.how = {label: f"table column '{header[who].strip()}'" for label in parsed.how}
    return parsed
