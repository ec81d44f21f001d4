"""Team work: REFI-QDA project exchange, merging projects, inter-coder agreement."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..core.text import plural
from ..errors import QualCoderError
from ..storage import Project, open_project

if TYPE_CHECKING:
    from ..services.analyses import Cluster
from .common import (
    cli,
    dry_run_opt,
    dry_run_said,
    echo_table,
    exports_allowed,
    json_opt,
    list_options_command,
    open_for,
    originals_notice,
    print_json,
    project_arg,
    warn,
)


def import_project_file(project: Path, file: Path, speakers: bool = False,
                        dry_run: bool = False) -> None:
    from ..services.exchange import import_qdpx

    with open_for(project, dry_run) as proj:
        report = import_qdpx(proj, file, speakers=speakers)
    warn(report.notes)
    click.echo(f"imported {file} (from {report.origin or 'an unnamed tool'}):")
    if report.codebooks:
        click.echo(f"  codebooks {', '.join(report.codebooks)}: "
                   f"{plural(report.codes_added, 'code')} added")
    for name in report.transcripts_added:
        click.echo(f"  transcript {name} (positions counted in {report.positions[name]})")
    for name in report.transcripts_matched:
        click.echo(f"  transcript {name}: already in the project, codings added to it")
    click.echo(f"  {plural(report.codings_added, 'coding')} added, {report.codings_present} "
               f"already "
               f"present; {plural(report.participants, 'case')}; {plural(report.memos, 'note')} "
               f"as memos")
    if report.suggestions or report.summaries or report.ratings or report.survey_answers:
        click.echo(f"  {plural(report.suggestions, 'suggestion')} waiting for review, "
                   f"{plural(report.summaries, 'framework summary', 'framework summaries')}, "
                   f"{plural(report.ratings, 'CASCADE rating')}, "
                   f"{plural(report.survey_answers, 'survey answer')}")
    if report.sets:
        click.echo("  sets of sources, now transcript attributes: " + ", ".join(report.sets))
    if report.not_carried:
        click.echo(f"not carried ({len(report.not_carried)}):")
        for line in report.not_carried:
            click.echo(f"  - {line}")
    dry_run_said(project, dry_run)


@cli.command("export")
@project_arg
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--positions", type=click.Choice(["code-points", "utf16"]),
              default="code-points", show_default=True,
              help="How positions count characters: code points (the standard; QualCoder, "
                   "ATLAS.ti, MAXQDA) or UTF-16 units (NVivo).")
def export(project: Path, out: Path, positions: str) -> None:
    """Write the project as REFI-QDA Project Exchange (.qdpx) for NVivo, ATLAS.ti,
    MAXQDA or QualCoder: codebook, transcripts, codings, cases, memos."""
    from ..services.exchange import export_qdpx

    with open_project(project) as proj:
        exports_allowed(proj)
        counts = export_qdpx(proj, out, positions.replace("-", " "))
    warn(counts["warnings"])
    click.echo(f"wrote {out}: {plural(counts['transcripts'], 'transcript')}, "
               f"{plural(counts['codes'], 'code')}, "
               f"{plural(counts['codings'], 'coding')}, {plural(counts['cases'], 'case')}, "
               f"positions in "
               f"{counts['positions']} (validated against the REFI-QDA Project schema)")


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


@cli.command(cls=list_options_command("--coders", "--transcripts", "--codes"))
@project_arg
@click.option("--coders", multiple=True, required=True, metavar="A B ...",
              help="Two or more coders to compare.")
@click.option("--transcripts", multiple=True, metavar="T ...",
              help="Transcripts to compare (default: those every coder has coded).")
@click.option("--codes", multiple=True, metavar="KEY ...", help="Only these codes.")
@click.option("--unit", type=click.Choice(["character", "sentence", "turn"]),
              default="character", show_default=True,
              help="What counts as one decision (NVivo's kappa is per character).")
@click.option("--per-transcript", is_flag=True,
              help="Per code, each transcript's figures too (NVivo's coding comparison).")
@click.option("--disagreements", "show_disagreements", is_flag=True,
              help="List the spans where the coders differ, versions side by side.")
@click.option("--resolve", metavar="TRANSCRIPT:CODE:OFFSET",
              help="Settle the disagreement on CODE at OFFSET in TRANSCRIPT (see --keep, "
                   "--both, --merge).")
@click.option("--keep", "keep_coder", metavar="CODER", help="Resolve: keep this coder's version.")
@click.option("--both", "keep_both", is_flag=True, help="Resolve: keep both versions.")
@click.option("--merge", "merge_versions", is_flag=True,
              help="Resolve: every coder gets the union of the versions.")
@json_opt
def agreement(project: Path, coders: tuple[str, ...], transcripts: tuple[str, ...],
              codes: tuple[str, ...], unit: str, per_transcript: bool, show_disagreements: bool,
              resolve: str | None, keep_coder: str | None, keep_both: bool, merge_versions: bool,
              as_json: bool) -> None:
    """Inter-coder agreement: percent agreement, Cohen's kappa (two coders) and
    Krippendorff's alpha (nominal) per code and overall, plus agreement over the units
    either coder coded."""
    from ..services.analyses import agreement as measure
    from ..services.analyses import disagreements

    names = list(coders)
    among, only = list(transcripts) or None, list(codes) or None
    with open_project(project) as proj:
        if resolve:
            _resolve(proj, names, resolve, unit, keep_coder, keep_both, merge_versions)
            return
        if show_disagreements:
            originals_notice(proj)
            found = disagreements(proj, names, among, unit, only)
            if as_json:
                print_json([dict(transcript=c.transcript, code=c.code, start=c.start,
                                 end=c.end, versions={
                                     who: [dict(start=a, end=b, text=_text(proj, c, a, b))
                                           for a, b in spans]
                                     for who, spans in c.versions.items()})
                            for c in found])
                return
            for c in found:
                click.echo(f"{c.transcript}:{c.code}:{c.start}  ({c.start}-{c.end})")
                echo_table(["coder", "coded"], [
                    (f"{who}:", " | ".join(_text(proj, c, a, b) for a, b in spans)
                     or "(not coded)") for who, spans in c.versions.items()],
                    right=[0], indent=2, show_head=False)
            click.echo(f"{len(found)} disagreements; settle one with --resolve "
                       "TRANSCRIPT:CODE:OFFSET and --keep CODER, --both or --merge")
            return
        result = measure(proj, names, among, unit, only)
    if as_json:
        print_json(result)
        return
    click.echo(f"{' vs '.join(names)}, per {unit}, over {len(result['transcripts'])} "
               f"transcripts: {', '.join(result['transcripts'])}")
    rows: list[list[str]] = []

    def line(label: str, row: dict) -> None:
        rows.append([label, _pct(row["agreement"]), _num(row["kappa"]), _num(row["alpha"]),
                     f"{row['units']:,}", f"{row['coded_units']:,}",
                     _pct(row["coded_agreement"])])

    for row in result["codes"]:
        line(row["key"] + (" (pooled)" if per_transcript else ""), row)
        if per_transcript:
            for t in row["transcripts"]:
                line(f"  {t['transcript']}", t)
    line("pooled, all codes", result["overall"])
    echo_table(["code", "agreement", "kappa", "alpha", "units", "coded", "agree|coded"], rows,
               right=range(1, 7))
    nv = result["nvivo"]
    if nv["mean_kappa"] is not None:
        click.echo(f"\nHeadline, as NVivo's coding comparison gives it: kappa per code per "
                   f"transcript, mean {_num(nv['mean_kappa'])} over "
                   f"{plural(nv['comparisons'], 'comparison')}; {nv['neither_used']} of them are "
                   "of a code neither coder used there (kappa 1 by NVivo's convention), "
                   f"without which the mean is {_num(nv['mean_kappa_when_used'])}. The "
                   f"'pooled, all codes' row instead pools every code's decisions on every "
                   f"{unit} into one series (kappa {_num(result['overall']['kappa'])}); "
                   "NVivo gives no figure across sources.")
    click.echo("agreement counts every unit, uncoded ones too; agree|coded is the share of "
               "the units any coder coded that every coder coded. Per code, figures are "
               "pooled over the transcripts" + ("; indented rows are each transcript's, as "
                                                "NVivo's coding comparison gives them."
                                                if per_transcript else
                                                " (--per-transcript: each transcript's, as "
                                                "NVivo gives them)."))


def _text(proj: Project, cluster: Cluster, a: int, b: int) -> str:
    from ..services.reading import transcript_text

    return " ".join(transcript_text(proj, cluster.transcript_id, a, b).split())


def _resolve(proj: Project, coders: list[str], where: str, unit: str, keep_coder: str | None,
             keep_both: bool, merge_versions: bool) -> None:
    from ..errors import QualCoderError
    from ..services.agreement import find_cluster, resolve

    try:
        transcript, code, at = where.rsplit(":", 2)
        offset = int(at)
    except ValueError:
        raise QualCoderError(f"--resolve {where}: write TRANSCRIPT:CODE:OFFSET, as "
                             "--disagreements prints it") from None
    chosen = [d for d, on in (("keep", keep_coder), ("both", keep_both),
                              ("merge", merge_versions)) if on]
    if len(chosen) != 1:
        raise QualCoderError("say how to settle it: one of --keep CODER, --both, --merge")
    cluster = find_cluster(proj, coders, transcript, code, offset, unit)
    click.echo(resolve(proj, coders, cluster, chosen[0], keep=keep_coder))


@cli.command()
@project_arg
@click.argument("other", type=click.Path(dir_okay=False, path_type=Path))
@dry_run_opt
def merge(project: Path, other: Path, dry_run: bool) -> None:
    """Bring another project's codes and codings (another coder's work) into this one:
    transcripts matched by sha256, codes by GUID or key; nothing duplicated."""
    from ..services.merge import merge_project

    with open_for(project, dry_run) as proj:
        report = merge_project(proj, other)
    click.echo(f"merged {other}: {plural(len(report.codes_added), 'code')}, "
               f"{plural(len(report.transcripts_added), 'transcript')} added "
               f"({report.transcripts_matched} already here), "
               f"{plural(report.codings_added, 'coding')} "
               f"added ({report.codings_present} already here), "
               f"{plural(report.memos_added, 'memo')}")
    if report.conflicts:
        click.echo(f"conflicts ({len(report.conflicts)}):")
        for line in report.conflicts:
            click.echo(f"  - {line}")
    dry_run_said(project, dry_run)


@cli.command()
@project_arg
@click.option("--coder", "coders", multiple=True, metavar="NAME",
              help="A coder who gets a personal link (repeatable).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 serves the network (put TLS in front).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--public-url", help="The address people open, when behind a reverse proxy "
                                   "(e.g. https://coding.example.org).")
@click.option("--new-link", "renew", metavar="NAME", help="Make a new link for NAME (the old "
                                                          "one stops working) and exit.")
@click.option("--revoke", metavar="NAME", help="Stop NAME's link from working and exit.")
@click.option("--status", is_flag=True, help="List who has a workbench open on the project "
                                             "now (in a browser or a terminal) and exit.")
@click.option("--max-sessions", default=20, show_default=True, type=click.IntRange(1, 1000),
              help="Open workbenches in all; past it the oldest idle one closes.")
@click.option("--max-per-coder", default=3, show_default=True, type=click.IntRange(1, 100),
              help="Open workbenches per coder (browser tabs); past it their oldest idle "
                   "one closes.")
def serve(project: Path, coders: tuple[str, ...], host: str, port: int, public_url: str | None,
          renew: str | None, revoke: str | None, status: bool, max_sessions: int,
          max_per_coder: int) -> None:
    """The workbench in a browser for a team: one personal link per coder; each link
    opens that coder's own workbench on this machine's copy of the project."""
    from ..services.links import coders_with_links, new_link_token
    from ..services.links import revoke as revoke_link

    base = (public_url or f"http://{host}:{port}").rstrip("/")
    with open_project(project) as proj:
        if not (status or revoke or renew):
            _check_address(host, port)  # before any link is made or printed
        if status:
            _print_status(proj)
            return
        if revoke:
            if not revoke_link(proj, revoke):
                raise QualCoderError(f"{revoke} has no link; links: "
                                     + (", ".join(coders_with_links(proj)) or "none"))
            click.echo(f"{revoke}'s link no longer works")
            return
        if renew:
            click.echo(f"{renew}: {base}/?token={new_link_token(proj, renew)}")
            return
        have = set(coders_with_links(proj))
        made = {c: new_link_token(proj, c) for c in coders if c not in have}
        everyone = sorted(have | set(coders))
    if not everyone:
        raise QualCoderError("no coder has a link yet: name them with --coder NAME")
    for coder in everyone:
        if coder in made:
            click.echo(f"{coder}: {base}/?token={made[coder]}")
        else:
            click.echo(f"{coder}: the link made before still works (--new-link {coder} for "
                       "another)")
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.secho(f"warning: serving on {host} without encryption: tokens and transcripts "
                    "cross the network in clear; put a TLS reverse proxy in front (README: "
                    "Serving a team) and give it --public-url", fg="yellow", err=True)
    from ..services.backups import rotating_backup
    from ..tui.serve import TeamServer

    with open_project(project) as proj:  # one backup for the session, not one per coder
        rotating_backup(proj.path, proj.setting("backup.keep"))
    TeamServer(project, host, port, public_url, max_sessions, max_per_coder).serve()


def _check_address(host: str, port: int) -> None:
    """The address can be listened on: a bad host or a port in use is a message, given
    before links are made."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise QualCoderError(f"--host {host!r} is not an address this machine has ({err}); "
                             "use 127.0.0.1 (the default) or 0.0.0.0") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as err:
            raise QualCoderError(f"cannot listen on {host}:{port} ({err.strerror}); choose "
                                 "another --port or stop what is using it") from None


def _print_status(proj: Project) -> None:
    from ..services import presence

    here = presence.active(proj)
    if not here:
        click.echo("no one has a workbench open on this project")
        return
    click.echo(f"{len(here)} workbench{'es' if len(here) != 1 else ''} open:")
    rows = []
    for p in here:
        where = "browser" if p.served else f"terminal on {p.host}"
        rows.append((p.coder, where, p.transcript or "(no transcript open)",
                     f"{p.started_at[11:16]} UTC", f"{p.seen_at[11:19]} UTC"))
    echo_table(["coder", "where", "transcript", "since", "last seen"], rows, indent=2)
