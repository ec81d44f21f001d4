"""What the workbench and reports read: transcripts with their turns and codings,
coding progress, and attributed excerpts. Queries only; nothing here writes."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ..core.spans import Segments, SpanIndex, sentence_spans
from ..core.text import visible
from ..errors import QualCoderError
from ..storage import Project, code_rows, coding_rows, transcript_rows
from ..storage.row_types import (
    CodebookRow,
    ParticipantRow,
    StakeholderTypeRow,
    TranscriptRow,
    TurnRow,
)

F = TypeVar("F", bound=Callable[..., Any])


def _shown(value: Any) -> Any:
    """Every string in `value` (dicts, lists, dataclasses) with control characters as
    visible symbols: a name, memo or file name carrying ESC ] ... BEL reaches a screen as
    ␛]…␇, never as a command to the terminal. One symbol for one character, so offsets
    into a transcript's text still line up."""
    if isinstance(value, str):
        return visible(value)
    if value is None or isinstance(value, (int, float)):
        return value
    if isinstance(value, dict):
        return {k: _shown(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_shown(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            setattr(value, f.name, _shown(getattr(value, f.name)))
        return value
    return value


def shown(fn: F) -> F:
    """What `fn` reads, made safe to show (see _shown)."""
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return _shown(fn(*args, **kwargs))
    return wrapper  # type: ignore[return-value]


@dataclass
class Turn:
    seq: int
    start: int
    end: int
    speaker: str | None
    participant: str | None
    stakeholder_type: str | None
    role: str | None
    timestamp: str | None
    is_interviewer: bool


@dataclass
class CodingSpan:
    id: int
    start: int
    end: int
    code: str
    name: str
    color: str
    coder: str
    status: str


@dataclass
class TranscriptDoc:
    """A transcript as the workbench holds it: text, turns and codings. The codings are
    kept in a SpanIndex and a coding change is applied to it (`replace_codings`), with
    the share of participants' turns coded kept beside: a coding key costs the same
    whatever the transcript already holds."""

    id: int
    name: str
    kind: str
    site: str | None
    text: str
    turns: list[Turn]
    sha256: str = ""  # the version shown: codings are refused if it has been replaced
    _index: SpanIndex[CodingSpan] = field(default_factory=SpanIndex, repr=False)
    _sentences: Segments | None = None
    _turns: Segments | None = None
    _cover: list[int] | None = field(default=None, repr=False)  # final codings per turn
    _counted: list[bool] = field(default_factory=list, repr=False)  # turns progress counts
    _coded: int = 0  # counted turns with at least one final coding
    _finals: int = 0

    @property
    def codings(self) -> list[CodingSpan]:
        """Every coding on the transcript, in text order (read, do not change)."""
        return self._index.items

    @codings.setter
    def codings(self, spans: list[CodingSpan]) -> None:
        self._index = SpanIndex(spans)
        self._cover = None
        self._finals = sum(1 for c in spans if c.status == "final")

    @property
    def final_count(self) -> int:
        return self._finals

    def replace_codings(self, ids: Iterable[int], spans: Iterable[CodingSpan]) -> None:
        """The codings `ids` as they are now: each is taken out, and `spans` (those of
        them that still exist, read again) put in."""
        for coding_id in ids:
            old = self._index.discard(coding_id)
            if old is not None and old.status == "final":
                self._finals -= 1
                self._cover_by(old, -1)
        for span in spans:
            self._index.add(span)
            if span.status == "final":
                self._finals += 1
                self._cover_by(span, 1)

    def _cover_by(self, span: CodingSpan, step: int) -> None:
        """Count a final coding on (or off) the counted turns it touches."""
        if self._cover is None:
            return
        i = self.turn_segments.index_at(span.start) or 0
        while i < len(self.turns) and self.turns[i].start < span.end:
            if self.turns[i].end > span.start and self._counted[i]:
                was = self._cover[i]
                self._cover[i] += step
                self._coded += (was == 0) - (self._cover[i] == 0)
            i += 1

    def progress(self) -> float:
        """Share of participants' turns (a speaker who is not an interviewer) with a
        final coding, as storage.coding_rows.progress counts it; kept as codings change, so
        right only while `codings` holds every coder's codings."""
        if self._cover is None:
            self._counted = [t.speaker is not None and not t.is_interviewer
                             for t in self.turns]
            self._cover, self._coded = [0] * len(self.turns), 0
            for span in self.codings:
                if span.status == "final":
                    self._cover_by(span, 1)
        total = sum(self._counted)
        return self._coded / total if total else 0.0

    @property
    def turn_segments(self) -> Segments:
        if self._turns is None:
            self._turns = Segments([(t.start, t.end) for t in self.turns])
        return self._turns

    @property
    def sentences(self) -> Segments:
        if self._sentences is None:
            spans: list[tuple[int, int]] = []
            for t in self.turns:
                spans.extend(sentence_spans(self.text, t.start, t.end))
            self._sentences = Segments(spans)
        return self._sentences

    def turn_at(self, offset: int) -> Turn | None:
        i = self.turn_segments.index_at(offset)
        return self.turns[i] if i is not None else None

    def codings_at(self, offset: int) -> list[CodingSpan]:
        return self._index.at(offset)

    def codings_over(self, start: int, end: int) -> list[CodingSpan]:
        """The codings sharing a character with [start, end), in text order."""
        return self._index.overlapping(start, end)

    def next_coding(self, offset: int) -> int | None:
        return self._index.next_start(offset)

    def prev_coding(self, offset: int) -> int | None:
        return self._index.prev_start(offset)


@shown
def load_doc(project: Project, transcript: str | int) -> TranscriptDoc:
    conn = project.conn
    t = transcript_rows.transcript_by_ref(conn, transcript)
    turns = [Turn(r["seq"], r["start"], r["end"], r["speaker"], r["participant"],
                  r["stakeholder_type"], r["role"], r["timestamp"], bool(r["is_interviewer"]))
             for r in transcript_rows.turns(conn, t["id"])]
    doc = TranscriptDoc(t["id"], t["name"], t["kind"], t["site"], t["text"], turns,
                        t["sha256"])
    doc.codings = transcript_codings(project, t["id"])
    return doc


def text_sha(project: Project, transcript_id: int) -> str | None:
    """The sha256 of a transcript's current version (None if it is gone)."""
    try:
        return str(transcript_rows.transcript_by_ref(project.conn, transcript_id)["sha256"])
    except QualCoderError:
        return None


def transcript_codings(project: Project, transcript_id: int, coder: str | None = None,
                       ids: Iterable[int] | None = None) -> list[CodingSpan]:
    """A transcript's codings for the reading view (only `coder`'s, only those of
    `ids` that still exist, when given), their names safe to show (as `shown` makes
    them). Thousands of codings carry a few codes and coders: each distinct
    text is made visible once (8,000 codings: 35 ms through `shown`, a few here)."""
    seen: dict[str, str] = {}

    def safe(text: str) -> str:
        if text not in seen:
            seen[text] = visible(text)
        return seen[text]

    return [CodingSpan(cid, a, b, safe(key), safe(name), safe(color), safe(who), status)
            for cid, a, b, key, name, color, who, status
            in coding_rows.in_transcript(project.conn, transcript_id, coder, ids)]


# Up to this many transcripts, the list shows every transcript's progress at once; past
# it, progress is None and the workbench fills it in from a thread (progress_by_path)
# after the first screen: at 5,000 transcripts and 200,000 codings it takes 0.3 s.
PROGRESS_AT_ONCE = 500


@shown
def transcript_overview(project: Project, progress: bool | None = None,
                        ) -> list[dict[str, Any]]:
    """Transcripts with stakeholder types present and coding progress: the share of
    participants' (not interviewers') turns that carry at least one coding (None unless
    `progress`; by default, for up to PROGRESS_AT_ONCE transcripts)."""
    conn = project.conn
    listing = transcript_rows.list_transcripts(conn)
    if progress is None:
        progress = len(listing) <= PROGRESS_AT_ONCE
    shares = _progress(project) if progress else {}
    for t in listing:
        t["progress"] = shares.get(t["id"], 0.0) if progress else None
        t["stakeholder_types"] = sorted({s["stakeholder_type"] for s in t["speakers"]
                                         if s["stakeholder_type"]
                                         and s["stakeholder_type"] != "interviewer"})
    return listing


@dataclass
class Excerpt:
    coding_id: int
    transcript_id: int
    transcript: str
    start: int
    end: int
    text: str
    code: str
    coder: str
    participants: list[str]
    role: str
    site: str | None

    @property
    def attribution(self) -> str:
        where = ", ".join(x for x in (self.role, self.site) if x)
        return f"‘{' '.join(self.text.split())}’ ({where})" if where else self.text


@shown
def excerpts(project: Project, code: str, with_children: bool = True) -> list[Excerpt]:
    """Every excerpt coded at `code` (and its children) with who said it."""
    conn = project.conn
    key = code_rows.code(conn, code)["key"]
    keys = [key] + (code_rows.descendant_keys(conn, key) if with_children else [])
    out = []
    for cid, tid, tname, start, end, text, ckey, coder, site in coding_rows.excerpt_rows(
            conn, keys):
        speakers = transcript_rows.participants_within(conn, tid, start, end)
        names = [n for n, _ in speakers if n]
        roles = list(dict.fromkeys(r for _, r in speakers if r))
        out.append(Excerpt(cid, tid, tname, start, end, text, ckey, coder, names,
                           " / ".join(roles), site))
    return out


@shown
def code_tree(project: Project) -> list[dict[str, Any]]:
    """The codebook for display: every code with its codebook's name, colour, whether it
    is codable, and its number of codings."""
    counts = code_rows.coding_counts(project.conn)
    names = {b["key"]: b["name"] for b in code_rows.codebooks(project.conn)}
    return [{**r, "codings": counts.get(r["key"], 0), "codebook_name": names[r["codebook"]]}
            for r in code_rows.all_codes(project.conn)]


def coding_count(project: Project, keys: list[str]) -> dict[str, int]:
    counts = code_rows.coding_counts(project.conn, keys)
    return {k: counts.get(k, 0) for k in keys}


def transcript_progress(project: Project, transcript_id: int) -> float:
    return _progress(project, transcript_id).get(transcript_id, 0.0)


def _progress(project: Project, transcript_id: int | None = None) -> dict[int, float]:
    return coding_rows.progress(project.conn, transcript_id)


def progress_by_path(path: str | Path) -> dict[int, float]:
    """Every transcript's progress, read on a connection of its own (for a thread: a
    connection belongs to the thread that opened it)."""
    from ..storage import open_project

    with open_project(path) as project:
        return _progress(project)


def code_keys(project: Project, code_ids: list[int]) -> list[str]:
    return code_rows.keys_of(project.conn, code_ids)



@shown
def search_project(project: Project, words: str, limit: int = 500) -> list[dict[str, Any]]:
    """Turns across the project containing every word (SQLite FTS5), each with its
    transcript, site, speaker and the matching sentence, in transcript order."""
    conn = project.conn
    hits = transcript_rows.turn_hits(conn, transcript_rows.turns_matching(project, words),
                                     limit)
    wanted = [w.casefold() for w in words.split()]
    for h in hits:
        text = transcript_rows.text_between(conn, h["transcript_id"], h["start"], h["end"])
        h["at"], h["at_end"] = h["start"], h["end"]
        for a, b in sentence_spans(text, 0, len(text)):
            if any(w in text[a:b].casefold() for w in wanted):
                h["text"] = " ".join(text[a:b].split())
                h["at"], h["at_end"] = h["start"] + a, h["start"] + b
                break
        else:
            h["text"] = " ".join(text.split())[:200]
    return hits


@shown
def where_said(project: Project, transcript_id: int, offset: int) -> str:
    """"turn 12, Claire Watson (P1)": where an offset is, as a reader would say it."""
    found = transcript_rows.turn_containing(project.conn, transcript_id, offset)
    if found is None:
        return "before the first turn"
    seq, label, person = found
    who = person or label or "no speaker"
    if label and person and label.casefold() not in person.casefold():
        who = f"{person} ({label})"
    return f"turn {seq}, {who}"


# -- what the screens and commands look up ---------------------------------------------

@shown
def stakeholder_labels(project: Project) -> dict[str, str]:
    return {t["key"]: t["label"] for t in transcript_rows.stakeholder_types(project.conn)}


def stakeholder_types(project: Project) -> list[StakeholderTypeRow]:
    return transcript_rows.stakeholder_types(project.conn)


def codebooks(project: Project) -> list[CodebookRow]:
    return code_rows.codebooks(project.conn)


def transcript_texts(project: Project, by: str = "id") -> dict[Any, str]:
    """Every transcript's text by id (or by name, `by="name"`)."""
    return transcript_rows.texts_by(project.conn, by)


def transcript_text(project: Project, transcript_id: int, start: int = 0,
                    end: int | None = None) -> str:
    if end is None:
        return transcript_rows.text_of(project.conn, transcript_id)[start:]
    return transcript_rows.text_between(project.conn, transcript_id, start, end)


def transcript_id(project: Project, name: str) -> int | None:
    return transcript_rows.id_named(project.conn, name)


def transcripts(project: Project) -> list[dict[str, Any]]:
    """Every transcript with its speakers, words and turns (the `transcripts` listing)."""
    return transcript_rows.list_transcripts(project.conn)


def transcript_by_ref(project: Project, ref: str | int) -> TranscriptRow:
    """A transcript by its id or its name (a name's case aside)."""
    return transcript_rows.transcript_by_ref(project.conn, ref)


def turns(project: Project, transcript_id: int) -> list[TurnRow]:
    return transcript_rows.turns(project.conn, transcript_id)


@shown
def participants(project: Project) -> list[ParticipantRow]:
    return transcript_rows.participants(project.conn)


@shown
def summary(project: Project) -> dict[str, Any]:
    return transcript_rows.summary(project.conn)


def coders_by_reach(project: Project) -> list[str]:
    """Coders with final codings, those who coded the most transcripts first."""
    return coding_rows.coders_by_reach(project.conn)
