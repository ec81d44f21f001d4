"""Survey exports as the tools write them, recognised from their header rows.

- Qualtrics (CSV or XLSX): three header rows: column names (Q1, Q2_1...), the question
  text, and `{"ImportId":"QID1"}`. Metadata: StartDate, Progress, Finished, ResponseId...
  A response is unfinished when Finished is False/0 or Progress is under 100.
- SurveyMonkey (CSV or XLSX): two header rows: the question text in the first (blank
  over a question's further sub-answers), "Response" or each sub-answer's label in the
  second; metadata columns Respondent ID, Collector ID, Start Date, End Date, IP Address...
- Microsoft Forms (XLSX): one header row: ID, Start time, Completion time, Email, Name,
  then one column per question, named by its text.
- JISC Online Surveys (CSV or XLSX): one header row: Response ID (or Unique Response
  Number), Started, Completed, then questions numbered as the survey numbers them
  ("1. Your role", "2.a. ..."); a response with no Completed time is unfinished.
- Anything else is a table: one header row of column names.

A layout gives each column a name and the question text it was exported with, so an
items file can point at a column either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_QUALTRICS_META = {
    "startdate", "enddate", "status", "ipaddress", "progress", "duration (in seconds)",
    "finished", "recordeddate", "responseid", "recipientlastname", "recipientfirstname",
    "recipientemail", "externalreference", "locationlatitude", "locationlongitude",
    "distributionchannel", "userlanguage", "q_recaptchascore", "q_relevantidduplicate",
    "q_relevantidduplicatescore", "q_relevantidfraudscore", "q_relevantidlaststartdate"}
_MONKEY_META = {"respondent id", "collector id", "start date", "end date", "ip address",
                "email address", "first name", "last name", "custom data 1", "custom data"}
_FORMS_META = {"id", "start time", "completion time", "email", "name", "total points",
               "quiz feedback", "last modified time"}
_JISC_META = {"response id", "unique response number", "started", "completed",
              "timestamp", "respondent", "username", "user name", "token"}


@dataclass
class Layout:
    tool: str
    columns: list[str]  # unique names
    texts: dict[str, str]  # column -> the question text the tool exported (if any)
    rows: list[tuple[int, list[str]]]  # (row number in the file, cells) of responses
    metadata: set[str] = field(default_factory=set)  # columns that are not answers
    incomplete_reason: str = ""  # what makes a response unfinished, for the report

    def unfinished(self, row: dict[str, str]) -> bool:
        if self.tool == "Qualtrics":
            finished = _get(row, "Finished").lower()
            progress = _get(row, "Progress")
            if finished in ("false", "0", "no"):
                return True
            try:
                return bool(progress) and float(progress) < 100
            except ValueError:
                return False
        if self.tool == "JISC Online Surveys":
            return "completed" in _named(row) and not _get(row, "Completed")
        return False


def _named(row: dict[str, str]) -> dict[str, str]:
    return {k.lower(): k for k in row}


def _get(row: dict[str, str], name: str) -> str:
    key = _named(row).get(name.lower())
    return row.get(key, "") if key else ""


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names):
        name = name or f"column {i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        out.append(name)
    return out


def detect(rows: list[tuple[int, list[str]]]) -> Layout:
    header = rows[0][1]
    lower = {h.lower() for h in header}
    second = rows[1][1] if len(rows) > 1 else []
    third = rows[2][1] if len(rows) > 2 else []
    if third and sum(c.startswith('{"ImportId"') for c in third) >= len(header) // 2:
        names = _unique(header)
        return Layout("Qualtrics", names, dict(zip(names, second, strict=False)), rows[3:],
                      {n for n in names if n.lower() in _QUALTRICS_META},
                      "Finished is False or Progress under 100")
    if {"respondent id", "collector id"} <= lower:
        named, question = [], ""
        for top, sub in zip(header, second or [""] * len(header), strict=False):
            if top:
                question = top
            if not sub or sub == "Response" or (top and top.lower() in _MONKEY_META):
                name = question
            else:  # one answer of several under a question (a matrix, a checkbox list)
                name = f"{question} - {sub}" if question else sub
            named.append((name, question))
        names = _unique([n for n, _ in named])
        texts = {n: q for n, (_, q) in zip(names, named, strict=True)}
        return Layout("SurveyMonkey", names, texts, rows[2:],
                      {n for n in names if n.lower() in _MONKEY_META},
                      "every answer blank")
    if {"id", "start time", "completion time"} <= lower:
        names = _unique(header)
        return Layout("Microsoft Forms", names, {n: n for n in names}, rows[1:],
                      {n for n in names if n.lower() in _FORMS_META}, "every answer blank")
    if ("started" in lower and "completed" in lower) and (
            "response id" in lower or "unique response number" in lower):
        names = _unique(header)
        return Layout("JISC Online Surveys", names, {n: _unnumbered(n) for n in names},
                      rows[1:], {n for n in names if n.lower() in _JISC_META},
                      "no Completed time")
    names = _unique(header)
    return Layout("table", names, {}, rows[1:], set(), "every answer blank")


_NUMBERING = re.compile(r"^\s*(?:Q?\d+(?:\.\d+)*[.)]?(?:\s*[a-z][.)])*|[a-z][.)])\s+", re.I)


def _unnumbered(text: str) -> str:
    """"1. Your role" -> "Your role"; "2.a. How often" -> "How often"."""
    return _NUMBERING.sub("", text).strip()


def normalised(text: str) -> str:
    """For matching a column by name or question text: case and spacing ignored."""
    return " ".join(text.split()).casefold()


def find_column(layout: Layout, wanted: str) -> str | None:
    """A column by its exact name, then by name or question text ignoring case and
    spacing, then by the question text without its numbering."""
    if wanted in layout.columns:
        return wanted
    key = normalised(wanted)
    for column in layout.columns:
        if normalised(column) == key:
            return column
    for column in layout.columns:
        text = layout.texts.get(column, "")
        if text and (normalised(text) == key or normalised(_unnumbered(text)) == key
                     or normalised(_unnumbered(column)) == key):
            return column
    return None
