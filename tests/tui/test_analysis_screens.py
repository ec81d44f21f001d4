"""The matrix, quotes and framework screens, driven with the Pilot."""

from __future__ import annotations

from textual.coordinate import Coordinate
from textual.widgets import DataTable, OptionList

from qual_coder.analysis.framework import framework_matrix
from qual_coder.tui.screens.analysis import (
    FrameworkScreen,
    MatrixScreen,
    QuotesScreen,
    SummaryEditor,
)

SIZE = (140, 44)


async def settle(pilot) -> None:
    """Let a key's screen mount and its workers finish before looking at it."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def put_cursor_on(screen: FrameworkScreen, case: str, code: str) -> None:
    """Move the framework table's cursor to a case's cell for a code (the table's first
    column is the case, then its attributes, then one column per code)."""
    chart = screen.chart
    assert chart is not None
    row = list(chart.frame.index).index(case)
    col = len(chart.frame.columns) - len(chart.codes) + 1 + chart.codes.index(code)
    screen.query_one(DataTable).cursor_coordinate = Coordinate(row, col)


async def test_matrix_cell_opens_its_quotes_and_a_quote_opens_the_transcript(app):
    async with app.run_test(size=SIZE) as pilot:
        workbench = app.screen
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, MatrixScreen)
        table = app.screen.query_one(DataTable)
        m = app.screen.matrix
        row = m.rows.index("tension_offloading")
        col = app.screen._order.index("school_staff") + 1  # the Total stands first
        expected = int(m.frame.loc["tension_offloading", "school_staff"])
        table.cursor_coordinate = (row, col)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, QuotesScreen)
        quotes = app.screen.quotes
        assert len(quotes) == expected
        assert all("school_staff" in q.stakeholder_types for q in quotes)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is workbench
        assert workbench.doc.id == quotes[0].transcript_id
        assert workbench.reader.selection == (quotes[0].start, quotes[0].end)


async def test_matrix_measure_changes_and_quote_search(app):
    async with app.run_test(size=SIZE) as pilot:
        app.screen.codebook.select("development_integrated")
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QuotesScreen)
        everything = len(screen.quotes)
        await pilot.press("ctrl+f", *"GP", "enter")
        await settle(pilot)
        assert 0 < len(screen.quotes) < everything
        assert all("gp" in q.text.lower() for q in screen.quotes)
        assert screen.query_one(OptionList).option_count == len(screen.quotes)


async def test_framework_screen_summarises_a_cell(app):
    async with app.run_test(size=SIZE) as pilot:
        app.screen.codebook.select("outcomes_sustainability")
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FrameworkScreen)
        case, code = "Sarah Whitfield", "timescale_capacity"
        put_cursor_on(screen, case, code)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SummaryEditor)
        assert any("not enough to change a system" in e for e in app.screen.excerpts)
        await pilot.press(*"Two days too short; capacity always", "ctrl+s")
        await settle(pilot)
        again = framework_matrix(app.project, "outcomes_sustainability", "participant")
        assert again.frame.loc[case, "Timescale and capacity"] == \
            "Two days too short; capacity always"
        await pilot.press("g")
        assert screen.group_by == "stakeholder_type"


async def test_framework_cell_opens_its_excerpt_and_quotes_filter_by_type(app):
    async with app.run_test(size=SIZE) as pilot:
        workbench = app.screen
        workbench.codebook.select("outcomes_sustainability")
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        screen = app.screen
        case, code = "Sarah Whitfield", "timescale_capacity"
        put_cursor_on(screen, case, code)
        links = screen.chart.links[(case, code)]
        assert all(link["turn"] for link in links)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("enter")  # the picker: first excerpt
        await settle(pilot)
        assert app.screen is workbench
        assert workbench.reader.selection == (links[0]["start"], links[0]["end"])
        workbench.codebook.select("timescale_capacity")
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        quotes = app.screen
        everything = len(quotes.quotes)
        await pilot.press("ctrl+f", *"type:commissioner", "enter")
        await settle(pilot)
        assert 0 < len(quotes.quotes) < everything
        assert all("commissioner" in q.stakeholder_types for q in quotes.quotes)


def _keys(text: str) -> list[str]:
    return ["space" if ch == " " else ch for ch in text]


async def test_query_screen_lists_hits_and_opens_one(app):
    from qual_coder.services.query import answer_query as query
    from qual_coder.tui.screens.query import QueryScreen

    expected = query(app.project, "timescale_capacity OR sustainability").quotes
    async with app.run_test(size=SIZE) as pilot:
        workbench = app.screen
        await pilot.press("ctrl+k", *_keys("timescale_capacity OR"), "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QueryScreen)
        assert "position" in str(screen.query_one("#query-count").render())  # the error shown
        await pilot.press(*_keys(" sustainability"), "enter")
        await pilot.pause()
        assert [(q.transcript_id, q.start) for q in screen.hits] == [
            (q.transcript_id, q.start) for q in expected]
        assert screen.query_one(OptionList).option_count == len(expected) > 0
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.screen is workbench
        assert workbench.doc.id == expected[1].transcript_id
        assert workbench.reader.selection == (expected[1].start, expected[1].end)


async def test_saturation_screen_shows_the_statement_and_groups(app):
    from qual_coder.services.analyses import saturation
    from qual_coder.tui.screens.saturation import SaturationScreen

    overall = saturation(app.project)[0]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SaturationScreen)
        shown = str(screen.query_one("#saturation-text").render())
        assert overall.statement.split(" (")[0] in " ".join(shown.split())
        await pilot.press("s")
        await pilot.pause()
        assert {r.group for r in screen.results} == {
            r.group for r in saturation(app.project, by="stakeholder_type")}
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SaturationScreen)
