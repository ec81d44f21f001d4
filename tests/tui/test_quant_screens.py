"""CASCADE, survey and joint-display screens in the workbench (demo ships ratings)."""

from __future__ import annotations

from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from qual_coder.tui.screens.analysis import QuotesScreen
from qual_coder.tui.screens.quant import CascadeScreen, JointScreen, SurveyScreen

SIZE = (140, 44)


async def test_cascade_screen_draws_a_chart_per_domain(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, CascadeScreen)
        plots = app.screen.query(PlotextPlot)
        assert len(plots) == 7
        assert "Z = -3.58" in str(app.screen.query(".domain-title")[0].render())


async def test_survey_screen_shows_the_demo_survey(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, SurveyScreen)
        text = str(app.screen.query_one("#survey-text", Static).render())
        assert "matched 49 of 166 (29.5%)" in text and "paired t(48)" in text


async def test_joint_display_rows_open_their_quotes(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, JointScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == 7
        table.move_cursor(row=1)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuotesScreen)
        assert app.screen.codes == ["agreed_contact", "single_point_of_contact"]
        assert app.screen.quotes
