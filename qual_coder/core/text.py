"""Control characters in imported text: never passed to a terminal.

A transcript is data from someone else's file. C0 and C1 control characters in it (an
ESC starting an OSC or CSI sequence, a BEL, a backspace) would retitle or blank the
terminal that prints it, or hide words. Importers drop them (and say how many); what
remains in older projects or other tools' files is shown as a visible symbol, one
character for one, so offsets into the text still line up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

# C0 except tab and newline, DEL, and C1.
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def control_positions(text: str) -> list[int]:
    return [m.start() for m in CONTROLS.finditer(text)]


def _picture(m: re.Match[str]) -> str:
    code = ord(m.group())
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode control pictures: ␛ for ESC, ␇ for BEL
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1: the replacement character


def visible(text: str) -> str:
    """`text` with every control character (but tab and newline) as a visible symbol."""
    return CONTROLS.sub(_picture, text) if CONTROLS.search(text) else text


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV
# Injection"): a quote "=HYPERLINK(...)" or a code named "=cmd|' /C calc'!A0".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: object) -> object:
    """A text cell a spreadsheet will show as text: a leading ' before a formula start."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def undefuse(value: str) -> str:
    """A cell read back from a CSV we wrote: the ' that `defuse` added taken off again."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def shorten(text: str, limit: int) -> str:
    """`text` on one line (each run of white space one space), cut before a word with …
    to at most `limit` characters when it is longer."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return (cut if cut else text[: limit - 1]) + "…"


def aligned(head: Sequence[str], rows: Iterable[Sequence[object]], right: Iterable[int] = (),
            show_head: bool = True, width: int | None = None) -> str:
    """Rows as plain-text columns, laid out by rich: a cell is measured as a terminal
    shows it (a wide character takes two cells, a combining mark none), so a long or
    non-Latin name never pushes the columns after it out of line. `right`: the columns
    (by position) of numbers, set flush right. Cells are plain text (a name in [brackets]
    is not markup). Within `width` text wraps within its column (numbers never do); with
    no width the table is as wide as its widest cells. No line ends in spaces."""
    import io

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    flush = set(right)
    table = Table(box=None, show_header=show_head, header_style="", pad_edge=False,
                  padding=(0, 1), show_edge=False)
    for i, name in enumerate(head):  # a number is never broken; text wraps at words
        table.add_column(Text(name), justify="right" if i in flush else "left",
                         no_wrap=i in flush, overflow="fold")
    for row in rows:
        table.add_row(*(Text("" if cell is None else str(cell)) for cell in row))
    out = io.StringIO()
    Console(file=out, width=max(width or 100_000, 20), color_system=None, highlight=False,
            emoji=False, markup=False, legacy_windows=False).print(table)
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines())


def plural(n: int, word: str, many: str | None = None) -> str:
    """"1 coding", "2 codings", "1 match", "2 matches" (`many` where -s or -es is wrong)."""
    if n == 1:
        return f"{n:,} {word}"
    if many is None:
        many = word + ("es" if word.endswith(("s", "sh", "ch", "x", "z")) else "s")
    return f"{n:,} {many}"


def did_you_mean(name: str, choices: Iterable[str], n: int = 3) -> str:
    """"; did you mean 'precarity'?" for the closest of `choices` to a misspelt `name`
    (rapidfuzz's ratio, case ignored; those within 8 points of the best), or "" when
    nothing is close."""
    from rapidfuzz import fuzz, process, utils

    found = process.extract(name, list(dict.fromkeys(choices)), scorer=fuzz.ratio,
                            processor=utils.default_process, limit=n, score_cutoff=60)
    if not found:
        return ""
    best = found[0][1]
    return "; did you mean " + " or ".join(f"'{c}'" for c, score, _ in found
                                           if score >= best - 8) + "?"


def strict_json(data: object, **options: object) -> str:
    """JSON every strict parser reads: a statistic that is undefined (NaN) or infinite is
    null, never NaN or Infinity (which json.dumps writes by default and JSON forbids)."""
    import json
    import math

    def clean(value: object) -> object:
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [clean(v) for v in value]
        return value

    return json.dumps(clean(data), allow_nan=False, **options)  # type: ignore[arg-type]
