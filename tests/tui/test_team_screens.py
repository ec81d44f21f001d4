"""The agreement screen (F4): figures for the coder pair, disagreements side by side,
settled with a key and undone, and a jump to the words in the workbench."""

from __future__ import annotations

from qual_coder.analysis.agreement import disagreements
from qual_coder.tui.screens.team import AgreementScreen
from qual_coder.tui.screens.workbench import WorkbenchScreen

SIZE = (120, 36)


async def test_agreement_screen_settles_and_undoes(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        assert sorted(screen.pair) == ["ana", "ben"]
        summary = str(screen.query_one("#agreement-summary").render())
        open_before = len(disagreements(app.project, screen.pair, unit="sentence"))
        assert f"{open_before} to discuss" in summary and "kappa" in summary
        first = screen.found[0]
        await pilot.press("1")  # keep the left coder's version
        await pilot.pause()
        assert len(screen.found) == open_before - 1
        left, right = screen.pair
        kept = [(s, e) for s, e in first.versions[left]]
        right_now = app.project.conn.execute(
            'SELECT start, "end" FROM codings g JOIN codes c ON c.id = g.code_id WHERE '
            "g.coder = ? AND c.key = ? AND g.transcript_id = ? AND g.start < ? AND g.\"end\" > ?",
            [right, first.code, first.transcript_id, first.end, first.start]).fetchall()
        assert sorted(right_now) == sorted(kept)
        await pilot.press("u")
        await pilot.pause()
        assert len(screen.found) == open_before
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, WorkbenchScreen)
        assert app.screen.doc.id == first.transcript_id
