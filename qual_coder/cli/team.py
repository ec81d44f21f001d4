"""Team work: REFI-QDA project exchange, merging projects, inter-coder agreement."""

from __future__ import annotations

from pathlib import Path

import click

from ..storage import open_project
from .common import cli, exports_allowed, handles_errors, project_arg, warn


def import_project_file(project: Path, file: Path) -> None:
    from ..services.exchange import import_qdpx

    with open_project(project) as proj:
        report = import_qdpx(proj, file)
    warn(report.notes)
    click.echo(f"imported {file} (from {report.origin or 'an unnamed tool'}):")
    if report.codebooks:
        click.echo(f"  codebooks {', '.join(report.codebooks)}: "
                   f"{report.codes_added} codes added")
    for name in report.transcripts_added:
        click.echo(f"  transcript {name} (positions counted in {report.positions[name]})")
    for name in report.transcripts_matched:
        click.echo(f"  transcript {name}: already in the project, codings added to it")
    click.echo(f"  {report.codings_added} codings added, {report.codings_present} already "
               f"present; {report.participants} cases; {report.memos} notes as memos")
    if report.not_carried:
        click.echo(f"not carried ({len(report.not_carried)}):")
        for line in report.not_carried:
            click.echo(f"  - {line}")


@cli.command("export")
@project_arg
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@handles_errors
def export(project: Path, out: Path) -> None:
    """Write the project as REFI-QDA Project Exchange (.qdpx) for NVivo, ATLAS.ti,
    MAXQDA or QualCoder: codebook, transcripts, codings, cases, memos."""
    from ..services.exchange import export_qdpx

    with open_project(project) as proj:
        exports_allowed(proj)
        counts = export_qdpx(proj, out)
    click.echo(f"wrote {out}: {counts['transcripts']} transcripts, {counts['codes']} codes, "
               f"{counts['codings']} codings, {counts['cases']} cases (validated against "
               "the REFI-QDA Project schema)")
