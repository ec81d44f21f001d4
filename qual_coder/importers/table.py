"""Transcripts exported as a table, one utterance a row (Sonix, Trint, Happy Scribe,
Descript and many in-house tools): .csv or .tsv with a header row naming a speaker
column and a text column, and often a start time; and speech-to-text JSON with
diarised segments (WhisperX, AssemblyAI).

The stored text is what a reader would write out: `Speaker (start): words`, a blank line
between turns; one speaker's consecutive rows are one turn, an empty speaker cell
continues the turn above. The turns come from the table's speaker column itself, as
captions' come from their cues: whatever a speaker cell holds ("Okafor, Grace",
"5th year student") is that speaker, and a role in brackets becomes their role.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..core.limits import ROWS
from ..core.text import plural
from ..core.transcripts import TIMESTAMP, ParsedTranscript, written_out
from ..errors import ImportRefused
from .decode import csv_records

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
    rows = csv_records(text, delimiter)
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

    def utterances() -> Iterator[tuple[str, str, str]]:
        for n, row in enumerate(rows, start=2):
            if n > ROWS.value + 1:
                raise ROWS.refuse(name, f"more than {plural(ROWS.value, 'row')}")
            cell = [row[i] if i is not None and i < len(row) else "" for i in (who, when, said)]
            yield cell[0], cell[1], cell[2]

    parsed = _transcript(utterances(), name, f"column '{header[said]}'")
    parsed.format = "tsv" if delimiter == "\t" else "csv"
    parsed.how = {label: f"table column '{header[who].strip()}'" for label in parsed.how}
    return parsed


def read_json(text: str, name: str) -> ParsedTranscript:
    """Speech-to-text JSON with diarised segments: WhisperX's `segments` and AssemblyAI's
    `utterances` (each with `speaker`, `text` and `start`, seconds or milliseconds), or a
    bare list of such objects."""
    import json

    try:
        data = json.loads(text)
    except ValueError as err:
        raise ImportRefused(f"{name}: not JSON ({err})") from None
    items = data
    if isinstance(data, dict):
        items = next((data[k] for k in ("utterances", "segments", "results")
                      if isinstance(data.get(k), list)), None)
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ImportRefused(f"{name}: expected a list of segments with 'speaker' and 'text' "
                            "(WhisperX 'segments', AssemblyAI 'utterances')")
    if len(items) > ROWS.value:
        raise ROWS.refuse(name, f"{len(items):,} segments")
    millis = "utterances" in data if isinstance(data, dict) else False

    def seconds(value: object) -> str:
        if not isinstance(value, (int, float)):
            return str(value or "")
        return str(value / 1000 if millis else value)

    parsed = _transcript(((str(i.get("speaker") or ""), seconds(i.get("start")),
                           str(i.get("text") or "")) for i in items), name, "any segment")
    parsed.format = "json"
    parsed.how = {label: "segment speaker (JSON)" for label in parsed.how}
    return parsed


def _transcript(utterances: Iterable[tuple[str, str, str]], name: str,
                where: str) -> ParsedTranscript:
    """(speaker, start, text) in order -> the transcript a reader would write out, its
    turns made here from the table's own speakers (not re-read from the text: a speaker
    cell such as "Okafor, Grace" or "5th year student" is not a label the text parser
    would take)."""
    from .text import NAME_AND_ROLE

    groups: list[tuple[str | None, str | None, list[str]]] = []
    for who_cell, when_cell, said_cell in utterances:
        said = " ".join(said_cell.split())
        if not said:
            continue
        speaker = " ".join(who_cell.split()).rstrip(":") or None
        if groups and (speaker is None or speaker == groups[-1][0]):
            groups[-1][2].append(said)  # (speaker or None, start, texts)
        else:
            groups.append((speaker, _stamp(when_cell) or None, [said]))
    if not groups:
        raise ImportRefused(f"{name}: no text in {where}; nothing to import")
    roles: dict[str, str] = {}

    def labelled(speaker: str | None, stamp: str | None,
                 texts: list[str]) -> tuple[str | None, str, str, str | None]:
        if speaker:
            role = NAME_AND_ROLE.match(speaker)
            if role:
                speaker = role.group("name")
                roles.setdefault(speaker, " ".join(role.group("role").split()))
        label = f"{speaker} ({stamp}): " if speaker and stamp else f"{speaker}: " if speaker \
            else ""
        return speaker, label, "\n\n".join(texts), stamp

    text, turns = written_out(labelled(*g) for g in groups)
    return ParsedTranscript(text, turns, "table", roles=roles,
                            how={t.speaker: "table" for t in turns if t.speaker})
