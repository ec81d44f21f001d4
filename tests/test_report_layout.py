"""The report as a funder's template takes it, checked as a person would see it: the Word
file rendered to PDF by LibreOffice (A4, no word in a table broken across lines), the
HTML in Chromium at 1280x800 (nothing wider than the window)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_the_word_report_is_a4_with_tables_fitted_and_headers_repeated(demo_path, tmp_path,
                                                                       run):
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Mm

    out = tmp_path / "report.docx"
    assert run("report", demo_path, "-o", out).exit_code == 0
    document = docx.Document(str(out))
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    text_width = section.page_width - section.left_margin - section.right_margin
    for table in document.tables:
        header = table.rows[0]._tr
        assert header.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        widths = [int(c.get(qn("w:w"))) * 635 for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(widths) <= text_width + Mm(1)
    for shape in document.inline_shapes:
        assert shape.width <= text_width + Mm(1)  # figures no wider than the text block
    letter = tmp_path / "letter.docx"
    assert run("report", demo_path, "-o", letter, "--paper", "letter").exit_code == 0
    assert abs(docx.Document(str(letter)).sections[0].page_width - Mm(215.9)) < Mm(1)


@pytest.mark.slow
@pytest.mark.skipif(not (SOFFICE and PDFTOTEXT), reason="needs LibreOffice and pdftotext "
                    "(apt-get install libreoffice-writer-nogui poppler-utils)")
def test_no_word_in_a_table_breaks_when_the_word_report_is_rendered(demo_path, tmp_path, run):
    import docx

    out = tmp_path / "report.docx"
    assert run("report", demo_path, "-o", out).exit_code == 0
    subprocess.run([SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(out)], check=True, capture_output=True, timeout=240,
                   env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    text = subprocess.run([PDFTOTEXT, str(tmp_path / "report.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    said = set(re.findall(r"[A-Za-z]{4,}", text))
    words = {w for table in docx.Document(str(out)).tables for row in table.rows
             for cell in row.cells for w in re.findall(r"[A-Za-z]{4,}", cell.text)}
    assert words and words <= said, sorted(words - said)[:10]  # a broken word is two


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (apt-get install chromium)")
def test_the_html_report_fits_a_1280_pixel_window(demo_path, tmp_path, run):
    playwright = pytest.importorskip("playwright.sync_api")
    pages = []
    for name, args in (("report.html", ("report",)), ("joint.html", ("triangulate",))):
        out = tmp_path / name
        assert run(*args, demo_path, "-o", out).exit_code == 0
        pages.append(out)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            for out in pages:
                page.goto(out.as_uri())
                wide = page.evaluate("document.documentElement.scrollWidth")
                assert wide <= 1280, (out.name, wide)
                figures = page.evaluate(
                    "[...document.querySelectorAll('figure svg')].map(s => "
                    "s.getBoundingClientRect().right)")
                assert all(right <= 1280 for right in figures)
                aligned = page.evaluate(
                    "[...document.querySelectorAll('td.num')].map(td => "
                    "getComputedStyle(td).textAlign)")
                assert set(aligned) <= {"right"}
                if out.name == "report.html":  # its tables of counts
                    assert aligned
        finally:
            browser.close()


def test_report_quotes_are_whole_sentences_or_say_where_they_were_cut(demo_path, tmp_path,
                                                                       run):
    out = tmp_path / "report.md"
    assert run("report", demo_path, "-o", out).exit_code == 0
    quotes = re.findall(r"^> ‘(.+)’ \(", out.read_text(), re.M)
    assert quotes
    for q in quotes:
        head = q.lstrip("'\"“(")
        assert head[0].isupper() or q.startswith("…"), q
        assert q.rstrip("'\"”)").endswith((".", "?", "!", "…")), q
    whole = [q for q in quotes if not q.startswith("…") and not q.endswith("…")]
    assert len(whole) >= len(quotes) * 0.8  # whole sentences chosen first


def test_the_survey_is_a_table_of_matched_and_all_respondents(demo_path, tmp_path, run):
    out = tmp_path / "report.md"
    assert run("report", demo_path, "-o", out).exit_code == 0
    survey = out.read_text().split("## Survey", 1)[1]
    assert "| Item" in survey and "matched" in survey and "[likert]" not in survey
    assert "Attrition:" in survey  # 29.5% matched on the demo


def test_every_table_has_a_numbered_caption_above_and_a_note_below(demo_path, tmp_path, run):
    import docx

    out = tmp_path / "report.docx"
    assert run("report", demo_path, "-o", out).exit_code == 0
    document = docx.Document(str(out))
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"
                and p.text.startswith("Table ")]
    assert [c.split(".")[0] for c in captions] == [f"Table {n}" for n in
                                                   range(1, len(document.tables) + 1)]
    md = tmp_path / "report.md"
    assert run("report", demo_path, "-o", md).exit_code == 0
    text = md.read_text()
    assert text.count("**Table ") == len(document.tables) and "*Note.* n: areas rated" in text
    assert "p < .0071" in text  # p as journals print it, no leading zero


def test_a_terminal_table_lines_up_wide_names_and_keeps_each_columns_precision():
    """`--format table` (matrix, words, co-occurrence, query matrices): a column starts
    at the same cell on every line whatever the names before it, and a column of fractions
    is printed to the places its most precise value needs, as pandas prints it."""
    import pandas as pd
    from rich.cells import cell_len

    from qual_coder.reports.tables import frame_text

    df = pd.DataFrame({"count": [15, 7, 3], "per_1000": [13.95, 2.7, float("nan")]},
                      index=pd.Index(["王芳 (school staff)", "Zoë 🙂", "Siobhán"], name="who"))
    lines = frame_text(df).splitlines()
    assert lines[0].split() == ["who", "count", "per_1000"]
    ends = {cell_len(line[:line.index(v) + len(v)])
            for line, v in zip(lines[1:], ["13.95", "2.70"])}
    assert len(ends) == 1  # right-aligned to the same cell
    assert lines[3].rstrip().endswith("3")  # the missing value is blank, not NaN
