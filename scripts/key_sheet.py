"""Write docs/guide/keys.md, the one-page key sheet, from the workbench's actions table (the
same table that makes the bindings, the palette and the help screen).

    python scripts/key_sheet.py
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from qual_coder.tui.actions import ACTIONS  # noqa: E402

NAMES = {"slash": "/", "question_mark": "?", "greater_than_sign": ">", "less_than_sign": "<",
         "enter": "Enter"}


def keys(spec: str) -> str:
    return " ".join(f"`{NAMES.get(k, k)}`" for k in spec.split(","))


def main() -> None:
    lines = ["# qual-coder workbench: the keys", "",
             "Print this page. Everything is saved as you go; `?` shows this in the app and "
             "`ctrl+p` finds any action by name.", ""]
    pinned = [a for a in ACTIONS if a.action.startswith("pinned(")]
    groups: dict[str, list[str]] = {}
    for a in ACTIONS:
        if a in pinned[1:]:
            continue
        row = ("| `1`…`9` | Code with pinned code 1…9 |" if a is pinned[0] else
               f"| {keys(a.keys)} | {a.description} |")
        groups.setdefault(a.group, []).append(row)
    for group, rows in groups.items():
        lines += ["", f"**{group}**", "", "| keys | what |", "|---|---|", *rows]
    lines += ["", "**Reading** also: `↑ ↓` `PgUp PgDn` move, `← →` by word (`shift` extends), "
              "`.` `,` by sentence, `}` `{` by turn, `v` select sentence, `t` select turn, "
              "`]` `[` next / previous coding."]
    (REPO / "docs" / "guide" / "keys.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
