"""Copy the workbench screens the guide shows from the snapshot tests (which keep them true
to the app) into docs/guide/img/. Run after `pytest tests/tui/test_snapshots.py
--snapshot-update` changes a screen; tests/test_guide.py fails until you do.

    python scripts/guide_pictures.py
"""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SNAPSHOTS = REPO / "tests" / "tui" / "__snapshots__" / "test_snapshots"
SCREENS = ("matrix", "framework", "quotes", "cascade", "survey", "joint", "discover",
           "agreement", "search", "query", "saturation", "cases", "help")


def main() -> None:
    out = REPO / "docs" / "guide" / "img"
    out.mkdir(parents=True, exist_ok=True)
    for screen in SCREENS:
        shutil.copyfile(SNAPSHOTS / f"test_every_screen_at_both_sizes[{screen}-120x40].svg",
                        out / f"{screen}.svg")
        print(f"docs/guide/img/{screen}.svg")


if __name__ == "__main__":
    main()
