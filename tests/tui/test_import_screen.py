"""Import with a preview, by keys: ctrl+o, a path, the speakers shown, a label marked
"not a speaker" and another filed under a participant, then i imports."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from qual_coder.tui.screens.importing import ImportScreen
from qual_coder.tui.widgets.transcript_list import TranscriptList

TEXT = ("INTERVIEWEE: Doreen Walsh\nINTERVIEWER: Peter Hale\nDATE: 14 March 2003\n\n"
        "HALE: Where were you working then?\nWALSH: At the clinic. [laughs]\n"
        "HALE: And before?\nWALSH: Teaching, for years.\nNarration: Tape ends.\n"
        "WALSH: Then more.\nNarration: Tape two.\n")


def table_text(screen) -> list[list[str]]:
    table = screen.query_one(DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_preview_then_import_by_keys(app, tmp_path):
    path = tmp_path / "walsh_oral_history.txt"
    path.write_text(TEXT)
    async with app.run_test(size=(120, 40)) as pilot:
        before = app.project.conn.execute("SELECT COUNT(*) FROM transcripts").fetchone()[0]
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press(*str(tmp_path / "walsh_*.txt"), "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        rows = table_text(screen)
        assert [r[1] for r in rows] == ["HALE", "WALSH", "Narration"]
        assert rows[0][5] == "Interviewer" and rows[1][2] == "3"
        assert "header lines not read as speakers" in str(
            screen.query_one("#import-notes", Static).render())
        # nothing written yet
        assert app.project.conn.execute("SELECT COUNT(*) FROM transcripts").fetchone()[0] \
            == before
        await pilot.press("down", "down", "n")  # Narration is not a speaker
        await pilot.pause()
        rows = table_text(screen)
        assert [r[1] for r in rows] == ["HALE", "WALSH", "Narration"]
        assert rows[2][4] == "not a speaker"
        # the header named them; the reader corrects one
        assert (rows[0][4], rows[1][4]) == ("Peter Hale", "Doreen Walsh")
        await pilot.press("up", "up", "m")  # HALE is Peter J. Hale
        await pilot.pause()
        await pilot.press(*"Peter J. Hale", "enter")  # typing replaces the name shown
        await pilot.pause()
        assert table_text(screen)[0][4] == "Peter J. Hale"
        await pilot.press("i")
        await pilot.pause()
        assert not isinstance(app.screen, ImportScreen)
        names = [t["name"] for t in app.screen.query_one(TranscriptList).transcripts]
        assert "walsh_oral_history" in names
        got = app.project.conn.execute(
            "SELECT s.label, p.name FROM speakers s JOIN participants p "
            "ON p.id = s.participant_id JOIN transcripts t ON t.id = s.transcript_id "
            "WHERE t.name = 'walsh_oral_history' ORDER BY s.id").fetchall()
        assert [tuple(r) for r in got] == [("HALE", "Peter J. Hale"),
                                           ("WALSH", "Doreen Walsh")]


async def test_preview_fits_a_small_terminal_and_cancels(app, tmp_path):
    path = tmp_path / "two.txt"
    path.write_text("Interviewer: Hi.\nSam: Hello.\nInterviewer: Bye.\nSam: Bye.\n")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.press(*str(path), "enter")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        assert [r[1] for r in table_text(app.screen)] == ["Interviewer", "Sam"]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ImportScreen)
        assert app.project.conn.execute(
            "SELECT COUNT(*) FROM transcripts WHERE name = 'two'").fetchone()[0] == 0
