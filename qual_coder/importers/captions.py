"""Caption files: WebVTT (.vtt, from Teams, Zoom, Otter) and SubRip (.srt).

A speaker comes from a `<v Speaker>` voice tag or a `Speaker:` prefix on the cue.
Consecutive cues of one speaker join into one turn, as people read them. The
stored text is one `Speaker: words` paragraph per turn; each turn keeps the
start time of its first cue.
"""

from __future__ import annotations

import io
import re

from ..core.transcripts import ParsedTranscript, ParsedTurn
from ..errors import ImportRefused

_PREFIX = re.compile(r"^(?P<name>[^\W\d_][\w'’.\- ]{0,40}?)\s*:\s+")
_TAGS = re.compile(r"</?[a-zA-Z][^>]*>")


def read_captions(text: str, filename: str, fmt: str) -> ParsedTranscript:
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    try:
        captions = webvtt.WebVTT.from_buffer(io.StringIO(text), format=fmt)
    except (MalformedFileError, MalformedCaptionError) as err:
        raise ImportRefused(
            f"{filename}: not a valid {fmt.upper()} file ({err}); check the file opens in a "
            "player, or export the transcript as .txt or .docx"
        ) from None
    except Exception as err:  # webvtt-py raises plain errors on some broken files
        raise ImportRefused(
            f"{filename}: could not read as {fmt.upper()} ({type(err).__name__}: {err})"
        ) from None

    merged: list[list] = []  # [speaker, [texts], start]
    last_speaker: str | None = None
    for cue in captions:
        speaker = getattr(cue, "voice", None)
        words = " ".join(_TAGS.sub("", cue.text).split())
        if not speaker:
            m = _PREFIX.match(words)
            if m:
                speaker, words = m.group("name"), words[m.end():]
            else:
                speaker = last_speaker
        if not words:
            continue
        speaker = " ".join((speaker or "Speaker").split())
        if merged and merged[-1][0] == speaker:
            merged[-1][1].append(words)
        else:
            merged.append([speaker, [words], cue.start])
        last_speaker = speaker
    if not merged:
        raise ImportRefused(f"{filename}: no captions with text; nothing to import")

    parts: list[str] = []
    turns: list[ParsedTurn] = []
    offset = 0
    for speaker, texts, start_time in merged:
        label = f"{speaker}: "
        said = " ".join(texts)
        turns.append(ParsedTurn(speaker, offset + len(label), offset + len(label) + len(said),
                                start_time.split(".")[0]))
        chunk = label + said + "\n\n"
        parts.append(chunk)
        offset += len(chunk)
    warnings = []
    if {t.speaker for t in turns} == {"Speaker"}:
        warnings.append(f"{filename}: captions name no speakers: the whole file is one speaker")
    return ParsedTranscript("".join(parts), turns, fmt, warnings=warnings)
