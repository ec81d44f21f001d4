"""Caption files: WebVTT (.vtt, from Teams, Zoom, Otter) and SubRip (.srt).

A speaker comes from a `<v Speaker>` voice tag (Teams), a `Speaker:` prefix on the cue
(Zoom; `Sarah (CCG lead):` gives a role too; `>> Name:` and `- Name:` as broadcast and
SRT files write it; `[SPEAKER_00]:` as WhisperX writes it), or a `(Speaker)` line opening
the cue; a cue without one is said
by the speaker before it (SRT often names a speaker on a turn's first cue only).
Consecutive cues of one speaker join into one turn, as people read them. The
stored text is one `Speaker: words` paragraph per turn; each turn keeps the
start time of its first cue.
"""

from __future__ import annotations

import io
import re

from ..core.transcripts import ParsedTranscript, written_out
from ..errors import ImportRefused

_PREFIX = re.compile(
    r"^(?:>>\s*|-\s*)?(?:(?P<name>[^\W\d_][\w'’.\- ]{0,40}?(?:,\s[^\W\d_][\w'’.\- ]{0,30}?)?)"
    r"(?:\s*\((?P<role>[^():]{1,40})\))?"
    r"\s*:\s+|\((?P<pname>[^\W\d_][\w'’.\- ]{0,40}?)\)\s+"
    # WhisperX and other diarising tools: `[SPEAKER_00]: words`
    r"|\[(?P<bname>[^\W\d_][\w'’.\- ]{0,40}?)\]:\s+)")
_TAGS = re.compile(r"</?[a-zA-Z][^>]*>")


def _capitalised(name: str | None) -> bool:
    """`(Dana Bettinger)` or `Dana:` opening a line names its speaker; `(laughs)` or
    `so:` does not."""
    return name is not None and name != "" and all(w[0].isupper() for w in name.split())


def _interjection(name: str) -> bool:
    """`Yes, Sarah:` opens a sentence; `Okafor, Grace:` (Zoom's "Surname, Given") names
    the speaker."""
    from .text import _INTERJECTIONS

    return "," in name and name.split(",")[0].strip().lower() in _INTERJECTIONS


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

    merged: list[tuple[str, list[str], str]] = []  # (speaker, texts, start)
    last_speaker: str | None = None
    roles: dict[str, str] = {}
    for cue in captions.captions:
        voice = getattr(cue, "voice", None)
        speaker = " ".join(voice.split()) if voice else last_speaker
        for line in _TAGS.sub("", cue.text).split("\n"):
            words = " ".join(line.split())
            m = None if voice else _PREFIX.match(words + " ")
            found = (m.group("name") or m.group("pname") or m.group("bname")) if m else None
            if m and found and _capitalised(found) and not _interjection(found):
                speaker = " ".join(found.split())
                words = words[m.end():].strip() if m.end() <= len(words) else ""
                if m.group("role"):
                    roles.setdefault(speaker, " ".join(m.group("role").split()))
            if not words or words == "-":
                continue
            speaker = speaker or "Speaker"
            if merged and merged[-1][0] == speaker:
                merged[-1][1].append(words)
            else:
                merged.append((speaker, [words], cue.start))
            last_speaker = speaker
    if not merged:
        raise ImportRefused(f"{filename}: no captions with text; nothing to import")

    text, turns = written_out((speaker, f"{speaker}: ", " ".join(texts),
                                start_time.split(".")[0])
                               for speaker, texts, start_time in merged)
    warnings = []
    if {t.speaker for t in turns} == {"Speaker"}:
        warnings.append(f"{filename}: captions name no speakers: the whole file is one speaker")
    how = {t.speaker: "caption speaker" for t in turns if t.speaker}
    return ParsedTranscript(text, turns, fmt, warnings=warnings, roles=roles, how=how)
