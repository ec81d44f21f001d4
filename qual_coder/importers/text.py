"""Plain-text and Markdown transcripts with speaker turns.

Recognised speaker labels, at the start of a line (a role in brackets after the name,
`Sarah (CCG lead):`, becomes the speaker's role):
  `Name:` `NAME:` `P1:` `Q:`/`A:` `Q.`/`A.` `I:`/`R:`, `**Name:**` (Markdown bold),
  `[00:01:02] Name:` or `00:01:02 Name:`, Zoom's `[Name] 10:03:32` alone on a line,
  `Name (00:01:02):` (Rev; a bare `(01:10):` line continues the
  turn), `Speaker 1 [00:00:05]` and Otter's `Name  00:01` alone on a line (the words
  follow below; also Teams' Word export, `Surname, Given (Organisation)   0:03`, and
  Descript's `**Name** [00:00:01]`, Word Transcribe's `00:00:03 Speaker 1`; one person's
  answer cut into several such segments is one turn), and a name alone on its own line
  above its paragraphs (a time line may sit between, as in Teams' web transcript), when
  several names recur that way.
An escaped or plain timestamp opening a turn (`\\[04:05\\]`, `[04:05]`) becomes the
turn's timestamp; a time alone on a line (Google Meet's five-minute marks) and meeting
notices ("Sam started transcription") are in no one's turn. Lines without a label
continue the current turn, blank-line paragraphs included.

Not speakers: a header block (front matter; `DATE:`, `PLACE:`, `INTERVIEWER: Jane Smith`
above the first turn), headings, and stage directions given as labels (`Break:`,
`Music:`): their text is kept as no one's turn.

A plain `Word:` at a line start is ambiguous ("Note: ...", "Example: ..."), so
such a label counts as a speaker only when it recurs, is a conventional label
(Interviewer, P1, Q), is known from the manifest, or looks like a person's name
in a file that already has speakers.

Labels that differ from a frequent one by a slip (OCR's `Yeagei:r` for `Yeager`, or
`SMITH` beside `Smith`) are read as that speaker, and listed as ambiguous.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter

from ..core.text import plural
from ..core.transcripts import (
    TIMESTAMP,
    ParsedTranscript,
    ParsedTurn,
    looks_like_interviewer,
)

_TS = TIMESTAMP
_NAME = r"[^\W\d_][\w'’.\-]*(?::[^\W\d_]+)*(?:[ \t]+[\w'’.\-&]+){0,4}?"
_NAME_ROLE = rf"{_NAME}(?:[ \t]*\([^()\n:]{{1,40}}\))?"
# Teams' Word transcript writes display names "Surname, Given (Organisation)".
_NAME_COMMA_ROLE = rf"{_NAME}(?:,[ \t]+{_NAME})?(?:[ \t]*\([^()\n:]{{1,40}}\))?"

# One alternation, tried once per line; the group that matched says which form.
_LABEL = re.compile(
    rf"""
    (?:\*\*(?P<bold>[^*\n:]{{1,60}}?)[ \t]*(?::\*\*|\*\*[ \t]*:)[ \t]*)
  | (?:(?:\\?\[(?P<bts>{_TS})\\?\]|(?P<nts>{_TS}))[ \t]*(?P<bname>{_NAME_ROLE})[ \t]*
       :(?:[ \t]+|$))
  | (?:\[(?P<sqname>{_NAME_ROLE})\](?:[ \t]+(?P<sqts>{_TS}))?[ \t]*(?::[ \t]*|$))
  | (?:(?P<pname>{_NAME_ROLE})[ \t]*(?:\((?P<pts>{_TS})\)|\\?\[(?P<sts>{_TS})\\?\])
       [ \t]*(?::[ \t]*|$))
  | (?:(?P<oname>{_NAME_COMMA_ROLE})[ \t]+(?P<ots>{_TS})[ \t]*$)
  | (?:(?:\\?\[(?P<tlts>{_TS})\\?\]|(?P<tlnts>{_TS}))[ \t]+(?P<tlname>{_NAME_COMMA_ROLE})[ \t]*$)
  | (?:\*\*(?P<boldline>[^*\n:]{{1,60}}?)\*\*[ \t]*
       (?:\\?\[(?P<blts>{_TS})\\?\]|\((?P<blpts>{_TS})\)|(?P<blnts>{_TS}))?[ \t]*$)
  | (?:(?P<qa>[QA])\.[ \t]+)
  | (?:(?P<name>{_NAME_ROLE})[ \t]*:(?:[ \t]+|$))
  | (?:(?P<alone>{_NAME_COMMA_ROLE})[ \t]*$)
    """,
    re.VERBOSE,
)
# The commonest label, "Name: words", on its own: the same as _LABEL's `name` branch without
# the role, and no branch before that one can match a line that starts with a letter and
# is not "Q." or "A." (they need "**", a bracket, a digit, a backslash, or a time or a
# bracket after the name, where this needs the colon). Tried first, it spares such lines
# eight branches.
_PLAIN_LABEL = re.compile(rf"(?P<name>{_NAME})[ \t]*:(?:[ \t]+|$)")
# The last group a branch closes names the branch (one regex match, no search).
_KIND_OF = {"bold": "bold", "bname": "bts", "sqname": "sqname", "sqts": "sqname",
            "pname": "pname", "pts": "pname", "sts": "pname", "oname": "oname", "ots": "oname",
            "tlname": "tlname",
            "boldline": "boldline", "blts": "boldline", "blpts": "boldline",
            "blnts": "boldline", "qa": "qa", "name": "name", "alone": "alone"}
# "Name (role)": a label with the speaker's role after it, as many transcribers write it.
NAME_AND_ROLE = re.compile(r"^(?P<name>.*?)[ \t]*\((?P<role>[^()\n:]{1,40})\)$")
_OPENING_TS = re.compile(rf"(?:\\?\[(?P<ts>{_TS})\\?\]|\((?P<pts>{_TS})\):?)[ \t]*")
_HEADING = re.compile(r"^#{1,6}[ \t]")
_SYSTEM_START = tuple("0123456789[(\\")
# A transcriber's or editor's note on a line of its own (never a person's label).
_NOTE_LINE = re.compile(r"(?i:note|nb|n\.b\.|transcriber'?s?'? note|editor'?s?'? note)"
                        r"[ \t]*:[ \t]+\S")
_NOTE_START = tuple("NnTtEe")
_SYSTEM_END = ("transcription", "recording", "meeting", "call")
_TS_LINE = re.compile(rf"^[ \t]*\\?[\[(]?({_TS})\\?[\])]?[ \t]*$")
_SYSTEM_LINE = re.compile(
    rf"^[ \t]*\\?[\[(]?{_TS}\\?[\])]?[ \t]*$"
    r"|^[^\W\d_][\w'’.\- ,]{0,60}? (?:started|stopped|paused|resumed) (?:transcription|"
    r"recording)[ \t]*$"
    r"|^[^\W\d_][\w'’.\- ,]{0,60}? (?:joined|left) the (?:meeting|call)[ \t]*$")
_CONVENTIONAL = re.compile(
    r"(?i)^(?:[PRC]\d{1,3}|Q|A|I|R|Int|Interviewer|Interviewee|Respondent|Participant"
    r"|Moderator|Facilitator|Researcher|Speaker \d{1,3}|Participant \d{1,3}"
    r"|Respondent \d{1,3}|Interviewee \d{1,3})$")
_NOT_SPEAKERS = frozenset(
    """note notes nb ps date time site location venue present attendees example examples
    title subject re summary update transcript interview focus group topic
    section part chapter source file duration recording keywords tags place
    transcriber transcribed transcription recorded audio tape length project collection
    copyright rights language format restrictions abstract description identifier session
    setting speakers participants apologies minutes agenda slide page side theme
    yes no okay ok right thanks mm hmm yeah sure so well and but end""".split()
)
# Fields of an oral history's header: `INTERVIEWER: Jane Smith` names a person and says
# their part; it is not Jane speaking.
_HEADER_ROLES = {"interviewer": "Interviewer", "interviewers": "Interviewer",
                 "interviewee": "Interviewee", "narrator": "Narrator",
                 "respondent": "Respondent", "informant": "Informant",
                 "moderator": "Moderator", "facilitator": "Facilitator",
                 "researcher": "Researcher", "participant": "Participant"}
# Labels a transcriber uses for what happens, not for who speaks.
_STAGE = frozenset(
    """break jingle music intro outro ad ads advert advertisement sponsor sponsors promo
    commercial crosstalk cross-talk laughter laughs applause silence inaudible
    unintelligible pause sound sfx interlude transition theme noise clip montage
    background""".split()
) | {  # several people at once: the words are kept, but they are no one participant's
    "all", "both", "everyone", "group", "several", "several voices", "multiple speakers",
    "multiple voices", "various", "voices", "together", "in unison", "multiple", "many",
    "others", "audience", "unknown", "unknown speaker", "unidentified",
    "unidentified speaker", "unclear speaker", "inaudible speaker"}
CONVENTIONAL_HOW = "conventional label (Interviewer:, P1:)"
_HOW = {"bold": "bold label (**Name:**)", "bts": "timestamp then name ([00:01] Name:)",
        "sqname": "name in brackets ([Name] 00:01)",
        "pname": "name with timestamp (Name (00:01):)",
        "oname": "name and time line (Otter, Teams, Descript)",
        "qa": "Q./A. label", "name": "label (Name:)", "alone": "name alone above its text"}

# How a label was recognised, for those ways no transcript's prose produces by chance:
# a source from another tool is split into speakers only when it has one of these.
TRANSCRIBER_HOW = frozenset({_HOW[k] for k in ("bold", "bts", "pname", "oname", "qa")}
                            | {CONVENTIONAL_HOW})

@functools.lru_cache(maxsize=4096)
def normalise_label(name: str) -> str:
    """A speaker label as labels are compared: runs of white space one space, no final full
    stop ("Dr.  Ahmed." and "Dr. Ahmed" are one speaker)."""
    return " ".join(name.split()).rstrip(".")


# A transcript says the same few labels thousands of times: both are asked once per label.
@functools.lru_cache(maxsize=4096)
def _never_speaker(name: str) -> bool:
    low = name.lower()
    first = low.split()[0] if low else ""
    return low in _NOT_SPEAKERS or (first in _NOT_SPEAKERS and len(low.split()) == 2
                                    and low.split()[1].isdigit())


# Lower-case words inside surnames: "Maria de la Cruz", "Ludwig van Beethoven".
_PARTICLES = frozenset({"de", "van", "von", "da", "der", "la", "le", "del", "della", "di",
                        "du", "dos", "das", "den", "ter", "ten", "bin", "ibn", "al", "el"})


def _name_like(name: str) -> bool:
    words = name.split()
    if not 1 <= len(words) <= 4 or _never_speaker(name) or name[-1] in ".,;!?":
        return False
    return all(w[0].isupper() or w.lower() in {"de", "van", "von", "da", "der", "la", "le"}
               for w in words)


class _Candidate:
    __slots__ = ("line", "name", "role", "ts", "content", "strong", "kind")

    def __init__(self, line: int, name: str, role: str | None, ts: str | None, content: int,
                 strong: bool, kind: str):
        self.line, self.name, self.role, self.ts = line, name, role, ts
        self.content, self.strong, self.kind = content, strong, kind


def _front_matter(lines: list[str]) -> int:
    """Lines of a `---` front-matter block at the top (0 if none)."""
    if not lines or lines[0].strip() != "---":
        return 0
    for i in range(1, min(len(lines), 200)):
        if lines[i].strip() in ("---", "..."):
            return i + 1
    return 0


def _candidates(lines: list[str], skip: int) -> list[_Candidate]:
    found = []
    conventional: dict[str, bool] = {}
    for i in range(skip, len(lines)):
        line = lines[i]
        if not line or line[0] in " \t#":
            continue
        m = None if line[1:2] == "." and line[0] in "QA" else _PLAIN_LABEL.match(line)
        if m is None:
            m = _LABEL.match(line)
            if m is None:
                continue
        kind = _KIND_OF[m.lastgroup or ""]
        if kind == "bts" and m.group("bts") is None:
            kind = "nts"
        ts = None
        raw = m.group(kind)
        if kind == "bts":
            raw, ts = m.group("bname"), m.group("bts")
        elif kind == "nts":
            kind, raw, ts = "bts", m.group("bname"), m.group("nts")
        elif kind == "sqname":
            # "[Sarah Jones] 10:03:32" (Zoom's text transcript); "[laughs]" is an aside
            raw, ts = m.group("sqname"), m.group("sqts")
            words = raw.lower().split()
            if not words or words[0] in _STAGE or words[0] in _INTERJECTIONS or not (
                    _name_like(raw.strip()) or raw.isupper()):
                continue
        elif kind == "pname":
            ts = m.group("pts") or m.group("sts")
        elif kind == "oname":
            ts = m.group("ots")
        elif kind == "tlname":
            # "00:00:03 Speaker 1" alone on a line, the words below (Word's Transcribe);
            # the name is checked below, so "09:15 Arrived at school" in a diary is not one.
            raw, ts = m.group("tlname"), m.group("tlts") or m.group("tlnts")
        elif kind == "boldline":
            # "**Name** [00:00:01]" alone on a line, the words below (Descript, many
            # Markdown write-ups); without a time it is a name alone above its text.
            ts = m.group("blts") or m.group("blpts") or m.group("blnts")
            kind = "oname" if ts else "alone"
        role = None
        if raw.rstrip().endswith(")"):
            r = NAME_AND_ROLE.match(raw.strip())
            if r:
                raw, role = r.group("name"), " ".join(r.group("role").split())
        name = normalise_label(raw)
        if not name:
            continue
        if kind == "tlname":
            if not (_name_like(name.replace(",", "")) or _CONVENTIONAL.match(name)
                    or name.isupper()):
                continue
            kind = "oname"
        if kind == "alone" or (kind == "sqname" and ts is None):
            strong = False
        elif kind == "name":
            strong = conventional.get(name)  # type: ignore[assignment]
            if strong is None:
                strong = conventional[name] = bool(_CONVENTIONAL.match(name)) or \
                    looks_like_interviewer(name)
        else:
            strong = True
        found.append(_Candidate(i, name, role, ts, m.end(), strong, kind))
    return found


# Between the people a header field names: "Jane Smith and Ali Khan", "Selma Šabanovic
# with Peter Asaro", "A; B", "A & B".
_PEOPLE_SEP = re.compile(r"[;,]| and | & | with ")


def _header_fields(cands: list[_Candidate], lines: list[str]
                   ) -> tuple[set[int], dict[str, tuple[str, str]]]:
    """Lines of an oral history's header (`INTERVIEWER: Jane Smith` among `DATE:` and
    `PLACE:` lines, above the first turn) and the roles they give names."""
    header: set[int] = set()
    roles: dict[str, tuple[str, str]] = {}
    fields = [c.line for c in cands if c.kind == "name" and _never_speaker(c.name)]
    recurring = {n for n, k in Counter(c.name for c in cands).items() if k >= 2}
    for c in cands:
        role = _HEADER_ROLES.get(c.name.lower())
        if role is None:
            if c.kind != "alone" and (c.strong or c.name in recurring) and not (
                    c.kind == "name" and _never_speaker(c.name)):
                break  # the first turn: the header is above it
            continue
        value = lines[c.line][c.content:].strip()
        names = [v.strip() for v in _PEOPLE_SEP.split(value) if v.strip()]
        if not names or not all(_name_like(v) or v.isupper() for v in names):
            break
        beside = [d.line for d in cands if d.name.lower() in _HEADER_ROLES and d is not c]
        if not any(abs(c.line - f) <= 3 for f in fields + beside):
            break
        header.add(c.line)
        _note_roles(roles, value, role)
    return header, roles


_INTERVIEWED_BY = re.compile(
    r"(?i)^[ \t]*(?:interviewed|interview(?:s)? conducted|conducted|interviewer\(s\)) by"
    r"[ \t:]+(?P<names>[^\n]{1,120}?)[ \t.]*$")


# A key to the labels above the first turn: "Key: JS = Jane Smith (interviewer); MC = Mark
# Carter (SENCo)", "I = Interviewer, R = Respondent". An equals sign or a dash with spaces.
_KEY_ENTRY = re.compile(
    r"(?<![\w])(?P<label>[A-Z][A-Za-z0-9]{0,5})[ \t]*(?:=|[ \t][–—])[ \t]*"
    r"(?P<who>[^;,()=\n]{1,60}?)[ \t]*(?:\((?P<role>[^()\n]{1,40})\))?[ \t]*(?=[;,.]|$)")


def _key_entries(lines: list[str]) -> dict[str, tuple[str, str | None]]:
    """label -> (who, role) from a key to the labels in these lines."""
    out: dict[str, tuple[str, str | None]] = {}
    for line in lines:
        if "=" in line or "–" in line or "—" in line:
            for m in _KEY_ENTRY.finditer(line):
                out.setdefault(m.group("label"), (" ".join(m.group("who").split()),
                                                  m.group("role")))
    return out


def _note_roles(roles: dict[str, tuple[str, str]], value: str, role: str) -> None:
    """`Jane Smith and Ali Khan` named as interviewers: each name, surname and initials
    (the labels transcribers use for them) get the role and the person's whole name. A
    surname with its particles counts whole too: `Maria de la Cruz` is labelled
    `DE LA CRUZ`."""
    for person in _PEOPLE_SEP.split(value):
        parts = [p for p in person.replace("Dr.", "").replace("Dr ", "").split() if p]
        if not parts:
            continue
        particle = next((i for i in range(1, len(parts) - 1)
                         if parts[i].lower() in _PARTICLES), len(parts) - 1)
        whole = " ".join(parts)
        for key in {k.lower() for k in (whole, parts[-1], " ".join(parts[particle:]),
                                        "".join(p[0] for p in parts))}:
            had = roles.get(key)
            # Two people the key fits (Jane and John Smith, for SMITH): neither's name,
            # and a role only if both have it.
            roles[key] = (role, whole) if had is None else (
                had[0] if had[0] == role else "", had[1] if had[1] == whole else "")


def _accepted(cands: list[_Candidate], known: set[str], lines: list[str]) -> list[_Candidate]:
    if known:
        # The manifest (or a Word turn table) names this file's speakers: trust it
        # over guesses, so "Note:" or a title line is never taken for a person.
        return [c for c in cands
                if (c.strong and c.kind != "alone") or c.name in known
                or c.name.lower() in _STAGE]
    labels = [c for c in cands if c.kind != "alone" and not (
        c.kind == "name" and _never_speaker(c.name) and not c.strong)]
    headings = _repeated_headings(labels, lines)
    labels = [c for c in labels if c.strong or c.name not in headings]
    weak_counts = Counter(c.name for c in labels if not c.strong)
    sure = {c.name for c in labels if c.strong} | {n for n, k in weak_counts.items() if k >= 2}
    people = sure - {n for n in sure if n.lower() in _STAGE}
    if not people:
        return _alone_names(cands, lines)
    first_turn = min(c.line for c in labels if c.name in people)
    # A one-off "Name:" counts only after the first certain turn, so header lines
    # such as "Labels: I = interviewer" stay header.
    return [c for c in labels
            if c.name in sure or (c.line > first_turn and (
                _name_like(c.name) or c.name.lower() in _STAGE))]


_INTERJECTIONS = frozenset("yes no okay ok right thanks thank you mm hmm yeah sure so well "
                           "and but oh ah um uh erm er laughs pause".split())


def _alone_names(cands: list[_Candidate], lines: list[str]) -> list[_Candidate]:
    """A name alone on a line above its paragraphs, as in many oral histories, counts
    when at least two such names each recur: one title line is not a conversation."""
    alone = []
    for c in cands:
        if c.kind != "alone" or c.name.lower() in _INTERJECTIONS or not (
                _name_like(c.name) or c.name.isupper()) or _never_speaker(c.name):
            continue
        following = next((ln for ln in lines[c.line + 1:c.line + 3] if ln.strip()), "")
        m = _LABEL.match(following)
        named = bool(m and m.group("alone") and _name_like(normalise_label(m.group("alone"))))
        if following and not named:
            alone.append(c)
    counts = Counter(c.name for c in alone)
    names = {n for n, k in counts.items() if k >= 2}
    if len(names) < 2:
        return []
    # Once the pattern is plain, a name said once in the same style (capitals, a blank
    # line above) is a speaker too: the one participant who spoke only once.
    shouting = all(n.isupper() for n in names)
    first = min(c.line for c in alone if c.name in names)
    return [c for c in alone if c.name in names or (
        c.line > first and c.name.isupper() == shouting and len(c.name.split()) <= 3
        and (c.line == 0 or not lines[c.line - 1].strip()))]


def _repeated_headings(cands: list[_Candidate], lines: list[str]) -> set[str]:
    """Lines like "Topic: the same words", each said three times or more on average,
    are repeated titles, not a person speaking: people say something new each turn,
    or repeat something short ("Yes."). Exports of comment threads and survey dumps
    repeat such lines for every record."""
    total = Counter(c.name for c in cands)
    said: dict[str, set[str]] = {name: set() for name, n in total.items() if n >= 3}
    for c in cands:
        texts = said.get(c.name)
        if texts is None:
            continue  # said fewer than three times, or already plainly speech
        text = lines[c.line][c.content:].strip()
        texts.add(text)
        # Speech as soon as it says something short ("Yes." said six times stays speech)
        # or more different things than a third of its lines: a speaker's turns are
        # left after a third of them, not all read.
        if len(text) < 12 or len(texts) * 3 > total[c.name]:
            del said[c.name]
    return set(said)


def _slips(counts: Counter[str], known: set[str]) -> dict[str, str]:
    """Rare labels that are a slip for a frequent one: `SMITH` beside `Smith`, OCR's
    `Yeagei:r` beside `Yeager`, `Fr-eono.h` beside `French` (a one-off whose letters are
    broken by OCR's punctuation, like a frequent label's). Each maps to the frequent one."""
    from rapidfuzz import fuzz

    frequent = [n for n, k in counts.most_common() if k >= 3]
    out: dict[str, str] = {}
    for name, k in counts.items():
        if k > 2 or name in known or name in frequent:
            continue
        key = name.lower().replace(":", "")
        ocr = k == 1 and bool(re.search(r"\w[-.,'’0-9]+\w", name))
        letters = re.sub(r"[^a-z]", "", key)
        for other in frequent:
            if counts[other] < 3 * k:
                continue
            okey = other.lower()
            if key == okey or (min(len(key), len(okey)) >= 4 and abs(len(key) - len(okey)) <= 2
                               and fuzz.ratio(key, okey) >= 80):
                out[name] = other
                break
            if ocr and letters[:1] == okey[:1] and fuzz.ratio(
                    letters, re.sub(r"[^a-z]", "", okey)) >= 60:
                out[name] = other
                break
    return out


def parse_text(text: str, fmt: str = "text", known_speakers: set[str] | None = None,
               separate: set[str] | None = None) -> ParsedTranscript:
    """Split `text` into turns; turns are spans into the text. Plain text is kept
    exactly; Markdown loses its markup (escapes, emphasis, heading marks, link targets).
    Labels in `separate` are never read as a slip for another label."""
    lines = text.split("\n")
    known = known_speakers or set()
    skip = _front_matter(lines)
    cands = _candidates(lines, skip)
    # Above the first turn, an oral history's header is no one's turn even when a
    # manifest names the speakers (its INTERVIEWEE: is not one of them).
    header, header_roles = _header_fields(cands, lines)
    cands = [c for c in cands if c.line not in header]
    accepted = _accepted(cands, known, lines)
    labels = {c.line: c for c in accepted}
    if not labels:
        parsed = ParsedTranscript(text, paragraph_turns(lines, "Speaker"), fmt, warnings=[
            "no speaker labels found: the whole file is one speaker, 'Speaker'; "
            "rename it with `qual-coder participants` or add labels and re-import"
        ])
        return _markdown_cleaned(parsed) if fmt == "markdown" else parsed

    counts = Counter(c.name for c in accepted if c.name.lower() not in _STAGE)
    slips = _slips(counts, known | (separate or set()))
    parsed = ParsedTranscript(text, [], fmt)
    for c in accepted:
        name = slips.get(c.name, c.name)
        if c.name.lower() in _STAGE and c.name not in known:
            parsed.how.setdefault(c.name, "stage direction or several voices: not one "
                                          "participant")
            continue
        parsed.how.setdefault(name, CONVENTIONAL_HOW if c.kind == "name" and c.strong
                              else _HOW[c.kind])
        if c.role and name not in parsed.roles:
            parsed.roles[name] = c.role
    first_label = min(labels)
    for i in range(skip, first_label):
        m = _INTERVIEWED_BY.match(lines[i])
        if m:
            _note_roles(header_roles, m.group("names"), "Interviewer")
    for name in parsed.how:
        role, person = header_roles.get(name.lower(), ("", ""))
        if role and name not in parsed.roles:
            parsed.roles[name] = role
        if person and " " in person and name not in known:  # WALSH is Doreen Walsh
            parsed.names.setdefault(name, person)
    # A key above the first turn says who each label is: the person's name, and their
    # role where it gives one ("JS = Jane Smith (interviewer)"), or only the role
    # ("I = Interviewer").
    for keyed, (who, given) in _key_entries(lines[skip:first_label]).items():
        if keyed not in parsed.how or keyed in known:
            continue
        as_role = _HEADER_ROLES.get(who.lower())
        if as_role or looks_like_interviewer(who):
            parsed.roles.setdefault(keyed, as_role or who)
            continue
        if _name_like(who):
            parsed.names[keyed] = who
        if given:
            given = " ".join(given.split())
            parsed.roles.setdefault(keyed, given[:1].upper() + given[1:])
    for slip, name in slips.items():
        where = ", ".join(str(c.line + 1) for c in accepted if c.name == slip)
        parsed.ambiguous.append(
            f"label '{slip}' (line {where}) read as '{name}' ({plural(counts[name], 'turn')}), "
            "a slip of typing or OCR; if it is someone else, map it with "
            f"--speaker '{slip}={slip}'")
    if header:
        parsed.ambiguous.append("header lines not read as speakers: " + ", ".join(
            str(i + 1) for i in sorted(header)))

    headings = {i for i in range(skip, len(lines)) if fmt == "markdown"
                and _HEADING.match(lines[i]) and i not in labels}
    turns: list[ParsedTurn] = []
    speaker: str | None = None
    start = end = -1
    ts: str | None = None

    def close() -> None:
        if start >= 0 and end > start:
            turns.append(ParsedTurn(speaker, start, end, ts))

    # Otter, Teams and Descript cut one person's long answer into segments, each under
    # its own name-and-time line: the repeated line goes and the answer is one turn.
    joins: list[tuple[int, int]] = []
    marked: str | None = None
    offset = 0
    for i, line in enumerate(lines):
        label = labels.get(i)
        content_at = 0
        if (label is not None and label.kind == "oname" and start >= 0
                and speaker is not None and slips.get(label.name, label.name) == speaker):
            joins.append((offset, min(offset + len(line) + 1, len(text))))
            offset += len(line) + 1
            continue
        if label is not None:
            close()
            stage = label.name.lower() in _STAGE and label.name not in known
            speaker = None if stage else slips.get(label.name, label.name)
            ts, start, end = label.ts or marked, -1, -1
            marked = None
            content_at = label.content
        elif i in headings:
            close()
            speaker, ts, start, end = None, None, -1, -1
        elif len(line) < 90 and (line.lstrip()[:1] in _SYSTEM_START or line.rstrip().endswith(
                _SYSTEM_END)) and _SYSTEM_LINE.match(line):
            # A time mark alone on a line (Google Meet every five minutes) or a meeting
            # tool's notice ("Sam started transcription"): in no one's turn, so it is not
            # counted as words said; the words after it stay with the same speaker.
            close()
            m = _TS_LINE.match(line)
            marked = m.group(1) if m else marked  # the time of the turn that follows
            ts, start, end = marked, -1, -1
            offset += len(line) + 1
            continue
        elif line[:1] in _NOTE_START and _NOTE_LINE.match(line):
            # "Note: the recording cut out here." between a speaker's paragraphs is the
            # transcriber's, not the speaker's: a turn of no one's (shown, never counted
            # or coded by suggestion), the words after it staying with the same speaker.
            close()
            note = line.rstrip()
            turns.append(ParsedTurn(None, offset, offset + len(note)))
            ts, start, end = None, -1, -1
            offset += len(line) + 1
            continue
        said = (line[content_at:] if content_at else line).rstrip()  # one copy a line
        if said:
            if start < 0:
                lead = len(said) - len(said.lstrip())
                first = offset + content_at + lead
                m = _OPENING_TS.match(line, content_at + lead) \
                    if said[lead] in "[(\\" else None
                if m and m.end() < content_at + len(said):
                    ts = ts or m.group("ts") or m.group("pts")
                    first = offset + m.end()
                start = first
            end = offset + content_at + len(said)
        offset += len(line) + 1
    close()
    parsed.turns = _split_mid_line(text, turns, counts, known, parsed)
    parsed.delete(joins)
    return _markdown_cleaned(parsed) if fmt == "markdown" else parsed


# A label after a sentence's end, inside a line: "...this group? French: Well".
_MID_LINE_LABEL = re.compile(r"[.?!…][\"'”’)\]]?(?P<gap>[ \t]+)(?P<label>[A-Z][\w'’.\-]{0,30}"
                             r"(?:[ \t][A-Z][\w'’.\-]{0,30}){0,2})[ \t]*:[ \t]+(?=\S)")


def _split_mid_line(text: str, turns: list[ParsedTurn], counts: Counter[str],
                    known: set[str], parsed: ParsedTranscript) -> list[ParsedTurn]:
    """An OCR'd typescript runs some turns on: "...in this group? French: Well, I'm
    trying to think." A label of a speaker known from line starts (two turns or more, or
    named by a manifest) right after a sentence's end starts a turn of its own there, when
    the file does it more than once (one "... so. Mark: you remember?" is left as said)."""
    people = {n for n, k in counts.items() if k >= 2 and n.lower() not in _STAGE} | known
    people = {p for p in people if p and len(p) <= 40}
    if not people or not turns:
        return turns
    starts = [t.start for t in turns]
    hits: dict[int, list[tuple[int, int, str]]] = {}
    n = 0
    for m in _MID_LINE_LABEL.finditer(text):  # one pass over the text: cheap when none
        label = m.group("label")
        if label not in people:
            continue
        i = bisect.bisect_right(starts, m.start("gap")) - 1
        if i >= 0 and turns[i].speaker is not None and m.end() <= turns[i].end:
            hits.setdefault(i, []).append((m.start("gap"), m.end(), label))
            n += 1
    if n < 2:
        return turns
    out: list[ParsedTurn] = []
    for i, t in enumerate(turns):
        at, speaker, ts = t.start, t.speaker, t.timestamp
        for start, end, label in hits.get(i, []):
            if start > at:
                out.append(ParsedTurn(speaker, at, start, ts))
            at, speaker, ts = end, label, None
        if t.end > at:
            out.append(ParsedTurn(speaker, at, t.end, ts))
    parsed.ambiguous.append(f"{plural(n, 'label')} of known speakers found inside a "
                            "line (after a sentence's end) started turns of their own")
    return out


def paragraph_turns(lines: list[str], speaker: str | None) -> list[ParsedTurn]:
    """One turn per blank-line paragraph, all `speaker`'s (None: no one's)."""
    turns, offset, start, end = [], 0, -1, -1
    for line in lines:
        if line.strip():
            if start < 0:
                start = offset + len(line) - len(line.lstrip())
            end = offset + len(line.rstrip())
        elif start >= 0:
            turns.append(ParsedTurn(speaker, start, end))
            start = -1
        offset += len(line) + 1
    if start >= 0:
        turns.append(ParsedTurn(speaker, start, end))
    return turns


# -- Markdown read as Markdown ----------------------------------------------------------

_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_MARKUP = re.compile(
    r"""(?P<strong>\*\*|__)(?=\S)(?P<sin>[^\n]+?)(?<=\S)(?P=strong)
    | (?<![\w*\\])\*(?=[^\s*])(?P<ein>[^*\n]+?)(?<=[^\s\\])\*(?![\w*])
    | (?<![\w\\])_(?=[^\s_])(?P<uin>[^_\n]+?)(?<=\S)_(?!\w)
    | (?P<img>!?)\[(?P<ltext>[^\]\n]*)\]\((?P<url>[^()\s]*(?:\s+"[^"\n]*")?)\)
    | ^(?P<hash>\#{1,6}[ \t]+)
    """,
    re.VERBOSE | re.MULTILINE,
)


def _markdown_edits(text: str) -> list[tuple[int, int]]:
    """Spans to delete that turn Markdown into the text a reader sees."""
    edits = [(m.start(), m.start() + 1) for m in _ESCAPE.finditer(text)]
    # Escaped characters must not pair up as markup: look for markup in a copy where
    # each escaped character is a letter.
    masked = _ESCAPE.sub("\\\\x", text) if edits else text
    for m in _MARKUP.finditer(masked):
        if m.group("strong"):
            n = len(m.group("strong"))
            edits += [(m.start(), m.start() + n), (m.end() - n, m.end())]
        elif m.group("ein") is not None or m.group("uin") is not None:
            edits += [(m.start(), m.start() + 1), (m.end() - 1, m.end())]
        elif m.group("ltext") is not None:
            edits += [(m.start(), m.start("ltext")), (m.end("ltext"), m.end())]
        elif m.group("hash"):
            edits.append((m.start(), m.end()))
    edits.sort()
    out: list[tuple[int, int]] = []
    for e in edits:
        if not out or e[0] >= out[-1][1]:
            out.append(e)
    return out


def _markdown_cleaned(parsed: ParsedTranscript) -> ParsedTranscript:
    if parsed.delete(_markdown_edits(parsed.text)):
        parsed.turns = [t for t in parsed.turns if t.end > t.start]  # a turn that was markup
    return parsed
