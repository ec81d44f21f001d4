"""Quantitative companions: CASCADE ratings, surveys, links, the joint display."""

from __future__ import annotations

from pathlib import Path

import click

from ..core.files import private_output
from ..core.text import strict_json
from ..errors import QualCoderError
from ..storage import open_project
from .common import (
    cli,
    dry_run_opt,
    dry_run_said,
    exports_allowed,
    json_opt,
    open_for,
    out_opt,
    print_json,
    project_arg,
    warn,
)


@cli.group()
def cascade() -> None:
    """CASCADE framework ratings: import and the Table 1 summary."""


@cascade.command("import")
@project_arg
@click.argument("file", type=click.Path(path_type=Path))
@dry_run_opt
def cascade_import(project: Path, file: Path, dry_run: bool) -> None:
    """Import ratings from CSV or XLSX (long: area, workshop, domain, rating; or wide)."""
    from ..services.quant import import_ratings

    with open_for(project, dry_run) as proj:
        result = import_ratings(proj, file)
    warn(result.notes)
    click.echo(f"imported {result.ratings} ratings for {result.areas} areas at workshops "
               f"{', '.join(result.workshops)}"
               + (f" (replacing {result.replaced})" if result.replaced else ""))
    dry_run_said(project, dry_run)


@cascade.command("table")
@project_arg
@json_opt
def cascade_table_cmd(project: Path, as_json: bool) -> None:
    """Per domain: % of areas at each level per workshop, Wilcoxon Z and p, alpha."""
    from ..services.analyses import cascade_table, format_table

    with open_project(project) as proj:
        table = cascade_table(proj)
    if as_json:
        print_json(table)
    else:
        click.echo(format_table(table))


@cli.group()
def survey() -> None:
    """Pre/post surveys: import and the summary with paired comparisons."""


@survey.command("import")
@project_arg
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--items", type=click.Path(path_type=Path),
              help="YAML naming each item's label, type, levels, groups and column, and the "
                   "respondent column.")
@click.option("--wave", help="The wave this file holds (baseline, follow-up...); without "
                             "it the file needs a wave column.")
@click.option("--include-incomplete", is_flag=True,
              help="Keep unfinished and blank responses (left out and counted by default).")
@dry_run_opt
def survey_import(project: Path, file: Path, items: Path | None, wave: str | None,
                  include_incomplete: bool, dry_run: bool) -> None:
    """Import responses from CSV or XLSX: a table (respondent_id, wave, one column per
    item), or one wave's export from Qualtrics, SurveyMonkey, Microsoft Forms or JISC
    Online Surveys (import each wave's file with its --wave)."""
    from ..services.quant import import_survey

    with open_for(project, dry_run) as proj:
        r = import_survey(proj, file, items, wave=wave, include_incomplete=include_incomplete)
    warn(r["notes"])
    click.echo(f"read {file} as {r['tool']}: imported {r['respondents']} respondents, "
               f"{r['items']} items, wave {', '.join(r['waves'])}")
    left = [f"{r['incomplete']} unfinished ({r['incomplete_rule']})" if r["incomplete"] else "",
            f"{r['blank']} blank" if r["blank"] else ""]
    if any(left):
        click.echo("left out: " + ", ".join(x for x in left if x)
                   + " (--include-incomplete keeps them)")
    if r["matched"] is not None:
        others = ", ".join(w for w in r["all_waves"] if w not in r["waves"])
        click.echo(f"matched with the other waves ({others}): {r['matched']} of "
                   f"{r['respondents']}; only in this wave {r['only_here']}, only in the "
                   f"others {r['only_other']}")
    dry_run_said(project, dry_run)


@survey.command("summary")
@project_arg
@json_opt
def survey_summary_cmd(project: Path, as_json: bool) -> None:
    """Respondents per wave, match rate, per item distributions and paired tests."""
    from ..services.analyses import format_summary, survey_summary

    with open_project(project) as proj:
        summary_ = survey_summary(proj)
    if as_json:
        print_json(summary_)
    else:
        click.echo(format_summary(summary_))


@cli.command()
@project_arg
@click.option("--domain", help="CASCADE domain key.")
@click.option("--survey-item", help="Survey item key.")
@click.option("--code", "code_key", required=True, help="Code key to link.")
@click.option("--remove", is_flag=True, help="Remove the link instead.")
def link(project: Path, domain: str | None, survey_item: str | None, code_key: str,
         remove: bool) -> None:
    """Link a CASCADE domain or a survey item to a code, for triangulation."""
    from ..services.quant import set_link

    source = domain or survey_item
    if source is None or (domain and survey_item):
        raise QualCoderError("name one --domain or one --survey-item")
    with open_project(project) as proj:
        set_link(proj, "cascade" if domain else "survey", source, code_key, remove)
    click.echo(f"{'unlinked' if remove else 'linked'} {source} - {code_key}")


@cli.command()
@project_arg
@click.option("--format", "fmt", type=click.Choice(["md", "json", "html", "xlsx"]))
@out_opt
def triangulate(project: Path, fmt: str | None, out: Path | None) -> None:
    """Joint display per CASCADE domain: ratings, survey, interviews, quotes."""
    from ..services.analyses import joint_display_frame, joint_display_markdown
    from ..services.analyses import triangulate as tri

    fmt = fmt or (out.suffix.lower().lstrip(".") if out else "md")
    with open_project(project) as proj:
        exports_allowed(proj)
        data = tri(proj)
    if fmt == "json":
        text = strict_json(data, indent=2, ensure_ascii=False)
    elif fmt == "md":
        text = joint_display_markdown(data)
    elif fmt == "html":
        from ..services.analyses import joint_display_html

        text = joint_display_html(data)
    elif fmt == "xlsx":
        if out is None:
            raise QualCoderError("XLSX needs a file: add -o FILE.xlsx")
        from ..reports.tables import write_xlsx

        write_xlsx({"Joint display": joint_display_frame(data)}, out, wrap=True, index=False)
        click.echo(f"wrote {out}")
        return
    else:
        raise QualCoderError(f"unknown format '{fmt}'")
    if out:
        with private_output(out):
            out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}")
    else:
        click.echo(text)
