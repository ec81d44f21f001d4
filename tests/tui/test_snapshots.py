"""Snapshot tests of the main screens (SVGs under __snapshots__/; update with
`pytest tests/tui/test_snapshots.py --snapshot-update` and review the diff)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qual_coder.tui.app import make_app

TRANSCRIPTS = Path(__file__).resolve().parents[2] / "transcripts"


@pytest.fixture
def fresh_app(demo_path):
    apps = []

    def factory():
        app = make_app(demo_path)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        app.project.close()


async def _open_focus_group(pilot):
    screen = pilot.app.screen
    tid = pilot.app.project.conn.execute(
        "SELECT id FROM transcripts WHERE name = 'northmoor_mixed_focus_group'").fetchone()[0]
    screen.open_transcript(tid)
    screen.reader.move_to(screen.doc.text.index("And it's made a huge difference"))
    screen.codebook.select("agreed_contact")
    screen.reader.focus()
    await pilot.pause()


def test_workbench_wide(snap_compare, fresh_app):
    assert snap_compare(fresh_app(), terminal_size=(140, 44), run_before=_open_focus_group)


def test_workbench_80x24(snap_compare, fresh_app):
    assert snap_compare(fresh_app(), terminal_size=(80, 24), run_before=_open_focus_group)


def test_code_picker(snap_compare, fresh_app):
    async def run_before(pilot):
        await _open_focus_group(pilot)
        await pilot.press("v", "c", *"refer")
        await pilot.pause()

    assert snap_compare(fresh_app(), terminal_size=(120, 36), run_before=run_before)


def test_help_screen(snap_compare, fresh_app):
    async def run_before(pilot):
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(fresh_app(), terminal_size=(120, 40), run_before=run_before)


def test_agreement_screen(snap_compare, fresh_app):
    async def run_before(pilot):
        await pilot.press("f4")
        await pilot.pause()

    assert snap_compare(fresh_app(), terminal_size=(120, 36), run_before=run_before)


def test_reviewing_suggestions(snap_compare, fresh_app):
    async def run_before(pilot):
        await _open_focus_group(pilot)
        await pilot.press("S")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        # The toasts ("Looking for suggestions…", "N to review") time out on the wall
        # clock: whether they show depends on the machine's speed, not on the screen.
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(fresh_app(), terminal_size=(140, 44), run_before=run_before)


# Every screen a key opens, at the two sizes people use (issue 16). The codebook cursor is
# on a theme, so F6 charts it and F7 lists its quotes.
SCREENS = {
    "matrix": ("f5",), "framework": ("f6",), "quotes": ("f7",), "cascade": ("f8",),
    "survey": ("f9",), "joint": ("f10",), "discover": ("f3",), "agreement": ("f4",),
    "help": ("question_mark",), "palette": ("ctrl+p",), "cases": ("f2",),
    "search": ("ctrl+f", *"folder", "enter"),
    "saturation": ("ctrl+n",),
    # the import preview of two focus groups (the typed path is gone from the screen)
    "import": ("ctrl+o", *f"{TRANSCRIPTS}/kelsey_vale_*_focus_group.*", "enter"),
    "query": ("ctrl+k", *"timescale_capacity", "space", *"SAME", "space", *"TURN", "space",
              *"sustainability", "enter"),
}


@pytest.mark.slow
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_every_screen_at_both_sizes(snap_compare, fresh_app, screen, size):
    async def run_before(pilot):
        await _open_focus_group(pilot)
        pilot.app.screen.codebook.select("outcomes_sustainability")
        await pilot.pause()
        await pilot.press(*SCREENS[screen])
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.3)

    assert snap_compare(fresh_app(), terminal_size=size, run_before=run_before)
