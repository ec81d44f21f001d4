"""Keyword in context: every place a word or phrase was said, with the words either side,
who said it and where, as concordancers (AntConc, NVivo's text search) lay it out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..errors import QualCoderError
from ..storage import Project, transcript_rows
from .quotes import Where, resolve_where, where_met


@dataclass
class Line:
    transcript: str
    start: int  # of the keyword, in the transcript
    end: int
    left: str
    keyword: str
    right: str
    participant: str | None
    speaker: str | None
    stakeholder_type: str | None
    role: str | None
    site: str | None
    joined: tuple[bool, bool] = (True, True)  # a space before and after the keyword?

    def to_json(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        del out["joined"]
        return out | {"attribution": self.attribution}

    @property
    def as_said(self) -> str:
        """The hit in its words as they were written (no space put before a comma)."""
        return (self.left + (" " if self.joined[0] and self.left else "") + self.keyword
                + (" " if self.joined[1] and self.right else "") + self.right)

    @property
    def attribution(self) -> str:
        return ", ".join(x for x in (self.role or self.participant or self.speaker or "",
                                     self.site or "") if x)


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """Whole words, any case, any spacing or line break between them; a trailing * on a
    word matches any ending (referr* finds referral, referrals, referred)."""
    words = phrase.split()
    if not words:
        raise QualCoderError("search for at least one word")
    parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") and len(w) > 1 else re.escape(w)
             for w in words]
    return re.compile(r"(?<!\w)" + r"\W+".join(parts) + r"(?!\w)", re.IGNORECASE)


def kwic(project: Project, phrase: str, width: int = 40, where: Where | None = None,
         include_interviewer: bool = False, limit: int | None = None) -> list[Line]:
    """Each occurrence of `phrase` in a turn, with `width` characters of context either
    side (cut at a word, on one line), in transcript then text order. Interviewers' turns
    are left out unless `include_interviewer`; `where` filters by who spoke."""
    pattern = phrase_pattern(phrase)
    wanted = resolve_where(project.conn, where or {})
    turns = transcript_rows.turn_hits(project.conn,
                                      transcript_rows.turns_matching(project, phrase),
                                      limit=10**9)
    lines: list[Line] = []
    for t in turns:
        if t["interviewer"] and not include_interviewer:
            continue
        if not where_met(wanted, {"stakeholder_type": [t["stakeholder_type"]],
                                  "role": [t["role"]], "site": [t["site"]],
                                  "kind": [t["kind"]], "participant": [t["participant"]]}):
            continue
        text = transcript_rows.text_between(project.conn, t["transcript_id"], t["start"], t["end"])
        for m in pattern.finditer(text):
            left = " ".join(text[:m.start()].split())
            right = " ".join(text[m.end():].split())
            if len(left) > width:
                left = "…" + left[-width:].split(" ", 1)[-1]
            if len(right) > width:
                right = right[:width].rsplit(" ", 1)[0] + "…"
            lines.append(Line(t["transcript"], t["start"] + m.start(), t["start"] + m.end(),
                              left, " ".join(m.group().split()), right, t["participant"],
                              t["speaker"], t["stakeholder_type"], t["role"],
                              t["site"], (text[m.start() - 1:m.start()].isspace(),
                                          text[m.end():m.end() + 1].isspace())))
            if limit is not None and len(lines) >= limit:
                return lines
    return lines
