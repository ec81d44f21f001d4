"""Snapshot tests of the main screens (SVGs under __snapshots__/; update with
`pytest tests/tui/test_snapshots.py --snapshot-update` and review the diff)."""

from __future__ import annotations

import pytest

from qual_coder.tui.app import make_app


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

    assert snap_compare(fresh_app(), terminal_size=(140, 44), run_before=run_before)
