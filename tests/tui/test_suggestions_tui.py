"""Suggestions in the workbench: S asks for them on a worker thread, R reviews them,
Enter accepts, x rejects, J steps on; F3 lists candidate themes."""

from __future__ import annotations

from qual_coder.services import reading
from qual_coder.tui.screens.discover import DiscoverScreen
from qual_coder.tui.screens.review import SuggestionPanel
from tests.tui.test_workbench import open_named

SIZE = (140, 44)


async def test_ask_review_accept_and_reject_suggestions(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await open_named(pilot, "eastbridge_camhs_lead_interview")
        await pilot.press("S")
        await app.workers.wait_for_complete()
        await pilot.pause()
        panel = screen.query_one(SuggestionPanel)
        assert screen.reviewing and panel.display and panel.rows
        assert not screen.query_one("#excerpts").display
        first = panel.rows[0]
        assert screen.reader.selection == (first["start"], first["end"])
        assert any(c.status == "suggested" for c in screen.doc.codings)
        await pilot.press("enter")  # accept
        await pilot.pause()
        conn = app.project.conn
        final = conn.execute(
            'SELECT COUNT(*) FROM codings g JOIN codes c ON c.id = g.code_id WHERE c.key = ? '
            "AND g.status = 'final' AND g.coder = 'tester' AND g.start <= ? AND g.\"end\" >= ?",
            [first["code"], first["start"], first["end"]]).fetchone()[0]
        assert final == 1
        left = len(panel.rows)
        second = panel.rows[panel.highlighted]
        await pilot.press("x")  # reject
        await pilot.pause()
        assert len(panel.rows) == left - 1 and second["id"] not in {r["id"] for r in panel.rows}
        assert conn.execute("SELECT decision FROM suggestion_decisions ORDER BY id").fetchall() \
            == [("accepted",), ("rejected",)]
        # kept decision by decision, the transcript is what a fresh read shows
        fresh = reading.load_doc(app.project, screen.doc.id)
        assert [(c.id, c.start, c.end, c.code, c.status) for c in screen.doc.codings] == [
            (c.id, c.start, c.end, c.code, c.status) for c in fresh.codings]
        at = panel.highlighted
        await pilot.press("J")
        assert panel.highlighted == (at + 1) % len(panel.rows)
        await pilot.press("R")
        assert not screen.reviewing and screen.query_one("#excerpts").display


async def test_discover_lists_candidates_and_makes_a_code(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DiscoverScreen) and len(screen.found) >= 10
        first = screen.found[0]
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")  # accept the proposed name
        await pilot.pause()
        made = app.project.conn.execute(
            "SELECT origin, keywords FROM codes WHERE key = ?", [screen.made]).fetchone()
        assert made == ("inductive", f'["{first.shown}"]')
        await pilot.press("escape")
        await pilot.pause()
        assert screen.made in app.screen.codebook.codes
