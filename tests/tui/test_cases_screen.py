"""F2: participants' and transcripts' attributes edited in the workbench, by keys."""

from __future__ import annotations

from textual.widgets import DataTable

from qual_coder.storage.transcript_rows import participant_by_name
from qual_coder.tui.screens.cases import CasesScreen


def cells(screen) -> list[list[str]]:
    table = screen.query_one(DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_edit_a_role_and_add_an_attribute_by_keys(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CasesScreen)
        first = cells(screen)[0][0]
        await pilot.press("right", "right", "enter")  # the role column
        await pilot.pause()
        await pilot.press(*"Deputy head", "enter")
        await pilot.pause()
        assert participant_by_name(app.project.conn, first)["role"] == "Deputy head"
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"years_in_post=6", "enter")
        await pilot.pause()
        assert "years_in_post" in [str(c.label) for c in screen.query_one(
            DataTable).columns.values()][-1].replace(" ", "_")
        value = app.project.conn.execute(
            "SELECT value FROM attributes a JOIN participants p ON p.id = a.owner_id WHERE "
            "a.scope = 'participant' AND p.name = ? AND a.name = 'years_in_post'",
            [first]).fetchone()
        assert value[0] == "6"
        await pilot.press("tab")
        await pilot.pause()
        assert "transcripts" in str(screen.query_one("#cases-title").render()).lower()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CasesScreen)
