"""Figures for reports (issue 22): drawn from the same numbers as the tables beside
them, written as PNG/SVG, and carried into .docx (image with alt text), .html (inline
SVG with alt text) and .md (PNG files beside it)."""

from __future__ import annotations

import re
import zipfile

import pytest

from qual_coder import services
from qual_coder.analysis.matrix import frequency_matrix
from qual_coder.quant.cascade import cascade_table
from qual_coder.quant.survey import survey_summary
from qual_coder.reports.charts import cascade_chart, survey_chart, themes_chart
from qual_coder.services.report import make_chart
from qual_coder.storage import open_project


def test_figures_plot_the_tables_numbers(demo_path):
    with open_project(demo_path) as project:
        table = cascade_table(project)
        chart = cascade_chart(table)
        expected = [[p or 0.0 for p in ws["percent"]] for d in table["domains"]
                    for ws in d["workshops"]]
        assert chart.data["rows"] == expected
        # the bars drawn are those numbers (matplotlib's own patches, read back)
        widths = [round(b.get_width(), 6) for b in chart.figure.axes[0].patches]
        assert widths[:len(expected)] == [round(r[0], 6) for r in expected]
        assert "Z = " in chart.alt and "p < .001" in chart.alt
        # the layout a report keeps: its title, one legend entry per level, a row per
        # domain and workshop, the axis in percent
        ax = chart.figure.axes[0]
        assert ax.get_title() == chart.title
        assert [t.get_text() for t in ax.get_legend().get_texts()] == list(table["levels"])
        assert len(ax.get_yticklabels()) == len(expected)
        assert ax.get_xlim() == (0, 100) and ax.get_xlabel() == "% of areas rated at each level"
        # the ordered levels run dark to light (a sequential palette, lightness monotone)
        from matplotlib.colors import to_rgb

        def lightness(colour):
            r, g, b = to_rgb(colour)
            return 0.2126 * r + 0.7152 * g + 0.0722 * b

        shades = [lightness(h.get_facecolor()) for h in ax.get_legend().legend_handles]
        assert shades == sorted(shades)
        assert any("n = " in t.get_text() and "Wilcoxon" in t.get_text()
                   for t in chart.figure.texts)  # n and the test on the figure
        assert chart.figure.get_figwidth() <= 6.3  # drawn at the text block's width
        m = frequency_matrix(project, "stakeholder_type", "percent")
        heat = themes_chart(m)
        inner = m.frame.drop(index="Total", columns="Total")
        assert heat.data["cells"] == inner.to_numpy(dtype=float).tolist()
        ticks = [t.get_text() for t in heat.figure.axes[0].get_xticklabels()]
        assert all("(n = " in t for t in ticks)  # each group with its size
        summary = survey_summary(project)
        paired = survey_chart(summary)
        contact = next(i for i in summary["items"] if i["key"] == "contact_cypmhs")
        first = next(r for r in paired.data["items"] if r["label"] == contact["label"])
        # the matched respondents' means, as the paired test compares them
        assert first[summary["waves"][0]][0] == pytest.approx(
            contact["paired"]["matched_means"][0])
        assert str(summary["respondents"]["matched"]) in paired.title
        # a 1-5 Likert item and a 1-10 scale never share an axis: a panel per scale
        scales = {i["key"]: i["scale"] for i in summary["items"] if i["type"] != "categorical"}
        assert len(set(scales.values())) == 2 == len(paired.figure.axes)
        for ax in paired.figure.axes:
            shown = {t.get_text().replace("\n", " ") for t in ax.get_yticklabels()}
            on_axis = {i["scale"] for i in summary["items"]
                       if i["label"] in shown or any(i["label"].startswith(x.rstrip("…"))
                                                     for x in shown)}
            assert len(on_axis) == 1


def test_chart_command_writes_png_and_svg(demo_path, tmp_path, run):
    png = tmp_path / "cascade.png"
    result = run("chart", demo_path, "--kind", "cascade", "-o", png)
    assert result.exit_code == 0, result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = tmp_path / "themes.svg"
    assert run("chart", demo_path, "--kind", "themes", "-o", svg).exit_code == 0
    assert svg.read_text().startswith("<svg")
    bad = run("chart", demo_path, "--kind", "cascade", "-o", tmp_path / "x.gif")
    assert bad.exit_code == 1 and "as .png or .svg" in bad.output


def test_reports_carry_the_figures(demo_path, tmp_path, run):
    docx = tmp_path / "report.docx"
    assert run("report", demo_path, "-o", docx).exit_code == 0
    with zipfile.ZipFile(docx) as archive:
        images = [n for n in archive.namelist() if n.startswith("word/media/")]
        body = archive.read("word/document.xml").decode()
    assert len(images) >= 3  # themes (per codebook), CASCADE, survey
    assert re.search(r'descr="CASCADE ratings by domain[^"]*Z = ', body)
    html = tmp_path / "report.html"
    assert run("report", demo_path, "-o", html).exit_code == 0
    page = html.read_text()
    assert page.count("<svg") >= 3 and 'role="img" aria-label="Themes by stakeholder' in page
    md = tmp_path / "report.md"
    assert run("report", demo_path, "-o", md).exit_code == 0
    figures = sorted((tmp_path / "report_figures").glob("*.png"))
    assert len(figures) >= 3
    assert f"](report_figures/{figures[0].name})" in md.read_text()


def test_relations_chart_plots_the_cooccurrence_counts(demo_path, tmp_path, run):
    from qual_coder.services.analyses import cooccurrence

    with open_project(demo_path) as p:
        for within in ("overlap", "turn"):
            chart = make_chart(p, "relations", within=within)
            matrix, _ = cooccurrence(p, within)
            names = {c["key"]: c["name"] for c in services.tree(p)}
            used = [k for k in matrix.index if matrix.loc[k].sum() > 0]
            assert chart.data["rows"] == [names[k] for k in used]
            assert chart.data["cells"] == matrix.loc[used, used].to_numpy().tolist()
            first = max((int(matrix.loc[a, b]), a, b) for a in used for b in used if a != b)
            assert f"{first[0]}" in chart.alt
    out = tmp_path / "rel.svg"
    assert run("chart", demo_path, "--kind", "relations", "--within", "turn", "-o",
               out).exit_code == 0
    assert out.read_text().lstrip().startswith("<svg")
