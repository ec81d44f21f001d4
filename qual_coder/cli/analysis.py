"""Analysis: matrices, framework charts, co-occurrence, quotes, the report."""

from __future__ import annotations

from pathlib import Path

import click

from .. import services
from ..core.files import private_output
from ..core.text import strict_json
from ..errors import QualCoderError
from ..services import reading
from ..storage import open_project
from .common import (
    cli,
    coder_opt,
    emit,
    exports_allowed,
    out_opt,
    parse_where,
    project_arg,
    where_opt,
)


@cli.command()
@project_arg
@click.option("--rows", type=click.Choice(["code"]), default="code", show_default=True)
@click.option("--cols", default="stakeholder_type", show_default=True,
              help="A participant or transcript attribute: stakeholder_type, role, site, kind, "
                   "participant, transcript, or your own.")
@click.option("--measure", default="excerpts", show_default=True,
              type=click.Choice(["excerpts", "participants", "percent", "transcripts", "words",
                                 "presence"]))
@click.option("--codebook", "book", help="Only this codebook's codes.")
@click.option("--include-interviewer", is_flag=True, help="Count interviewers' turns too.")
@click.option("--coder", "coders", multiple=True,
              help="Only this coder's codings (repeatable). By default every coder's, a "
                   "passage several coders coded counting once.")
@click.option("--by-coder", is_flag=True, help="Each coder's counts side by side.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "xlsx", "md", "json"]))
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@out_opt
def matrix(project: Path, rows: str, cols: str, measure: str, book: str | None,
           include_interviewer: bool, coders: tuple[str, ...], by_coder: bool, fmt: str | None,
           as_json: bool, out: Path | None) -> None:
    """Theme frequency: codes (parents rolling up children) by an attribute, with totals."""
    from ..reports.tables import format_for, write_frame
    from ..services.analyses import frequency_matrix

    with open_project(project) as proj:
        m = frequency_matrix(proj, cols, measure, book, include_interviewer, list(coders),
                             by_coder)
    df = m.labelled()
    fmt = "json" if as_json else format_for(out, fmt)
    emit(write_frame(df, fmt, out, sheet=f"{measure} by {cols}", json_data=m.to_json()), out)
    if fmt in ("table", "md") and out is None:
        click.echo(f"\n({measure}: {m.counting})")
    elif fmt != "json":
        click.echo(f"counting: {m.counting}", err=True)


@cli.command()
@project_arg
@click.option("--theme", "themes", multiple=True, required=True,
              help="Code whose children are the columns (repeat for one sheet per theme).")
@click.option("--cases", type=click.Choice(["participant", "transcript", "site"]),
              default="participant", show_default=True)
@click.option("--group-by", help="Sort and group cases by an attribute (stakeholder_type, "
                                 "site, ...).")
@click.option("--set", "set_cell", nargs=3, metavar="CASE CODE SUMMARY",
              help="Store the analyst's summary of one cell (empty text clears it).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "xlsx", "md", "json"]))
@click.option("--only-coder", "coders", multiple=True,
              help="Only this coder's codings in the cells (repeatable); by default "
                   "everyone's, a passage several coders coded shown once.")
@out_opt
@coder_opt
def framework(project: Path, themes: tuple[str, ...], cases: str, group_by: str | None,
              set_cell: tuple[str, str, str] | None,
              fmt: str | None, coders: tuple[str, ...], out: Path | None,
              coder: str | None) -> None:
    """Framework matrix: cases by the codes of a theme, summaries or excerpts in cells."""
    from ..reports.tables import format_for, write_frame, write_xlsx
    from ..services.analyses import framework_matrix
    from ..services.framework import set_summary

    with open_project(project) as proj:
        if not set_cell:
            exports_allowed(proj)
        if set_cell:
            set_summary(proj, themes[0], cases, set_cell[0], set_cell[1], set_cell[2],
                        coder or services.default_coder(proj))
            click.echo(f"summary saved for {set_cell[0]} × {set_cell[1]}")
            return
        charts = [framework_matrix(proj, t, cases, group_by, list(coders)) for t in themes]
    fmt = format_for(out, fmt)
    if fmt == "xlsx":
        if out is None:
            raise QualCoderError("XLSX needs a file: add -o FILE.xlsx")
        write_xlsx({c.theme_name: c.frame for c in charts}, out, wrap=True,
                   widths={name: 48 for c in charts for name in c.frame.columns[-len(c.codes):]})
        click.echo(f"wrote {out}")
        return
    if fmt == "json":
        emit(write_frame(charts[0].frame, "json", out,
                          json_data={"themes": [c.to_json() for c in charts]}), out)
        return
    parts = []
    for c in charts:
        if fmt == "table":  # a terminal: one case at a time, wrapped, no NaN
            import shutil

            from ..reports.tables import framework_text

            width = min(shutil.get_terminal_size((100, 24)).columns, 120)
            parts.append(framework_text(c.theme_name, c.frame, list(c.frame.columns[
                -len(c.codes):]), width) + "\n\n(wide charts read best as XLSX: -o chart.xlsx)")
            continue
        text = write_frame(c.frame, fmt, None)
        parts.append((f"## {c.theme_name}\n\n" if fmt == "md" else "") + (text or ""))
    text = "\n\n".join(parts)
    if out is not None:
        with private_output(out):
            out.write_text(text + "\n", encoding="utf-8")
    emit(None if out else text, out)


@cli.command()
@project_arg
@click.option("--within", type=click.Choice(["overlap", "turn"]), default="overlap",
              show_default=True, help="Codes on overlapping text, or anywhere in one turn.")
@click.option("--codebook", "book")
@click.option("--list", "as_list", is_flag=True, help="List the co-coded excerpts.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "xlsx", "md", "json"]))
@click.option("--coder", "coders", multiple=True,
              help="Only this coder's codings (repeatable); by default everyone's, each "
                   "code's passages merged across coders.")
@out_opt
def cooccurrence(project: Path, within: str, book: str | None, as_list: bool, fmt: str | None,
                 out: Path | None, coders: tuple[str, ...]) -> None:
    """Which codes are applied together, as counts (and the excerpts, with --list).

    Each code's codings are merged across coders into passages first: a passage two
    coders coded pairs once, and one coder's code never pairs with another coder's
    version of the same code (--coder keeps only some coders' codings)."""
    from ..reports.tables import format_for, write_frame
    from ..services.analyses import cooccurrence as co

    with open_project(project) as proj:
        if as_list:
            exports_allowed(proj)
        matrix_, pairs = co(proj, within, book, list(coders) or None)
        texts = reading.transcript_texts(proj, by="name")
    fmt = format_for(out, fmt)
    if as_list:
        for p in pairs:
            p["text"] = texts[p["transcript"]][p["start"]:p["end"]]
        if fmt == "json":
            emit(strict_json(pairs, indent=2, ensure_ascii=False), None)
        else:
            for p in pairs:
                click.echo(f"{' + '.join(p['codes'])}  {p['transcript']} {p['start']}-{p['end']}"
                           f"  ‘{' '.join(p['text'].split())[:80]}’")
        return
    emit(write_frame(matrix_, fmt, out, sheet="co-occurrence",
                      json_data={"codes": list(matrix_.index),
                                 "cells": matrix_.values.tolist(), "within": within}), out)


@cli.command()
@project_arg
@click.option("--code", "codes", multiple=True, required=True, help="Code key (repeatable).")
@click.option("--all", "mode", flag_value="all", help="Text coded with every --code.")
@click.option("--any", "mode", flag_value="any", default=True, help="Text coded with any.")
@where_opt
@click.option("--search", help="Only quotes containing these words (full-text search).")
@click.option("--coder", "coders", multiple=True,
              help="Only this coder's codings (repeatable); by default everyone's, "
                   "overlapping codings one quote.")
@click.option("--format", "fmt", type=click.Choice(["md", "csv", "docx", "json"]))
@out_opt
def quotes(project: Path, codes: tuple[str, ...], mode: str, wheres: tuple[str, ...],
           search: str | None, coders: tuple[str, ...], fmt: str | None, out: Path | None) -> None:
    """Quotes by theme, overlapping excerpts merged, attributed as reports quote them."""
    from ..reports.quotes import write_quotes
    from ..services.analyses import find_quotes

    where = parse_where(wheres)
    with open_project(project) as proj:
        exports_allowed(proj)
        found = find_quotes(proj, list(codes), mode, where, search, coders=list(coders))
        names = {c["key"]: c["name"] for c in services.tree(proj)}
    fmt = fmt or (out.suffix.lower().lstrip(".") if out else "md")
    labels = [names.get(c, c) for c in codes]  # a heading people read: the codes' names
    title = " + ".join(labels) if mode == "all" else ", ".join(labels)
    emit(write_quotes(found, fmt, out, title), out)

@cli.command()
@project_arg
@click.option("--kind", type=click.Choice(["cascade", "themes", "survey", "relations",
                                           "saturation"]), required=True,
              help="cascade: the ratings shift per domain; themes: a heat map of themes by "
                   "stakeholder type; survey: paired items' means with 95% CIs; relations: "
                   "a heat map of how often codes meet; saturation: codes seen by transcript.")
@click.option("--codebook", "book", help="themes, relations: only this codebook's codes.")
@click.option("--within", type=click.Choice(["overlap", "turn"]), default="overlap",
              show_default=True, help="relations: codes on overlapping text, or in one turn.")
@click.option("--by", help="saturation: one line per stakeholder_type.")
@click.option("-o", "--output", "out", required=True,
              type=click.Path(dir_okay=False, path_type=Path), help="fig.png or fig.svg")
def chart(project: Path, kind: str, book: str | None, within: str, by: str | None,
          out: Path) -> None:
    """One figure for a report, from the same numbers as its table (PNG at 300 dpi or SVG)."""
    from ..services.report import make_chart

    with open_project(project) as proj:
        figure = make_chart(proj, kind, book, within, by)
    figure.save(out)
    click.echo(f"wrote {out}: {figure.title}")
    click.echo(f"alt text: {figure.alt}")


@cli.command()
@project_arg
@click.option("-o", "--output", "out", required=True,
              type=click.Path(dir_okay=False, path_type=Path), help="report.docx, .md or .html")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True,
              help="Page size of a .docx report.")
def report(project: Path, out: Path, paper: str) -> None:
    """A report skeleton: sample, themes, quotes, CASCADE table, survey, joint display."""
    from ..services.report import write_report

    with open_project(project) as proj:
        exports_allowed(proj)
        write_report(proj, out, paper)
    click.echo(f"wrote {out}")
