"""Transcripts, participants and attributes; the workbench; backups and safety."""

from __future__ import annotations

from pathlib import Path

import click

from .. import services
from ..core.text import plural, visible
from ..errors import QualCoderError
from ..services import reading
from ..storage import init_project, open_project
from .common import (
    cli,
    dry_run_opt,
    dry_run_said,
    echo_table,
    json_opt,
    open_for,
    originals_notice,
    print_json,
    project_arg,
    warn,
)


@cli.command()
@project_arg
@click.option("--template", type=click.Choice(["cascade", "none"]), default="cascade",
              show_default=True,
              help="Stakeholder types to start with: the local area reviews' (school staff, "
                   "NHS CYPMHS, other CYPMHS, commissioner) or none but interviewer.")
def init(project: Path, template: str) -> None:
    """Create an empty project file."""
    with init_project(project) as proj:
        if template == "none":
            services.start_without_stakeholder_types(proj)
    click.echo(f"created {project}" + (" (stakeholder types: interviewer only; a manifest "
                                       "or `stakeholder-types --add` adds them)"
                                       if template == "none" else ""))


@cli.command("import")
@project_arg
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--manifest", type=click.Path(path_type=Path),
              help="CSV naming each file's kind, site, date and speakers.")
@click.option("--kind", type=click.Choice(["interview", "focus_group"]))
@click.option("--site", help="Local area (site) of every file imported.")
@click.option("--skip-existing", is_flag=True, help="Pass over files already imported.")
@click.option("--dry-run", is_flag=True,
              help="Write nothing: show each file's speakers, turns, first words and how "
                   "each label was recognised, and anything ambiguous.")
@click.option("--speaker", "speaker_map", multiple=True, metavar="LABEL=PARTICIPANT",
              help="File a label's turns under this participant (repeatable).")
@click.option("--not-speaker", multiple=True, metavar="LABEL",
              help="This label is not a speaker: its turns are no one's (repeatable).")
@click.option("--allow-missing-speakers", is_flag=True,
              help="Import even when a manifest speaker is not found in the file.")
@click.option("--speakers", "refi_speakers", is_flag=True,
              help="For a .qdpx: split its sources into speaker turns by their labels "
                   "(otherwise only when every label is one a transcriber writes).")
@json_opt
def import_(project: Path, files: tuple[Path, ...], manifest: Path | None, kind: str | None,
            site: str | None, skip_existing: bool, dry_run: bool, speaker_map: tuple[str, ...],
            not_speaker: tuple[str, ...], allow_missing_speakers: bool, refi_speakers: bool,
            as_json: bool) -> None:
    """Import transcripts (.txt .md .docx .vtt .srt; .csv/.tsv with a row per utterance:
    speaker, start, text columns; speech-to-text .json with diarised segments) as one
    transaction, or a REFI-QDA
    project (.qdpx, or a .qde beside its sources) exported by NVivo, ATLAS.ti, MAXQDA,
    QualCoder or qual-coder. Preview first with --dry-run."""
    exchange = [f for f in files if f.suffix.lower() in (".qdpx", ".qde")]
    if exchange:
        if len(files) > 1:
            raise QualCoderError("import one .qdpx project at a time, on its own")
        from .team import import_project_file

        import_project_file(project, exchange[0], refi_speakers, dry_run)
        return
    speakers = services.SpeakerMap.from_options(speaker_map, not_speaker)
    if dry_run:
        preview = services.preview_transcripts(files, manifest, speakers)
        if as_json:
            print_json(preview)
        else:
            show_preview(preview)
        if any("error" in f or (f["missing"] and not allow_missing_speakers)
               for f in preview):
            raise SystemExit(1)
        return
    with open_project(project) as proj:
        report = services.import_transcripts(proj, files, manifest=manifest, kind=kind,
                                             site=site, skip_existing=skip_existing,
                                             speakers=speakers,
                                             allow_missing_speakers=allow_missing_speakers)
    warn(report.warnings)
    for line in report.skipped:
        click.echo(f"skipped {line}")
    for t in report.imported:
        click.echo(f"imported {t['name']}: {plural(t['words'], 'word')}, "
                   f"{plural(t['turns'], 'turn')}, "
                   f"{t['speakers']} speakers")
    click.echo(f"{plural(len(report.imported), 'transcript')}, {plural(report.words, 'word')} "
               f"imported")


def show_preview(preview: list[dict]) -> None:
    for f in preview:
        click.echo(f["file"])
        if "error" in f:
            click.echo(f"  error: {f['error']}")
            continue
        click.echo(f"  {f['format']}, {f['encoding']}: {plural(f['turns'], 'turn')}, "
                   f"{plural(f['words'], 'word')} spoken")
        echo_table(["speaker", "turns", "words", "participant", "how", "first words"],
                   [(s["label"], s["turns"], f"{s['words']:,}",
                     s["participant"] + (f", {s['role']}" if s["role"] else ""), s["how"],
                     f"\"{s['first_words']}\"") for s in f["speakers"]],
                   right=[1, 2], indent=2)
        if f["not_speakers"]:
            click.echo("  not speakers: " + ", ".join(f["not_speakers"]))
        for line in f["missing"] + f["ambiguous"]:
            click.echo(f"  check: {line}")
        for line in f["warnings"]:
            click.echo(f"  warning: {line}")


@cli.command()
@project_arg
@json_opt
@click.option("--rename", nargs=2, metavar="TRANSCRIPT NEW_NAME",
              help="Give a transcript (name or id) a new name and exit; its text, speakers "
                   "and codings stay (as `qual-coder rename`).")
def transcripts(project: Path, as_json: bool, rename: tuple[str, str] | None) -> None:
    """List transcripts with their speakers (or rename one)."""
    if rename:
        _rename(project, *rename)
        return
    with open_project(project) as proj:
        listing = reading.transcripts(proj)
    if as_json:
        print_json([{k: t[k] for k in ("id", "name", "kind", "site", "date", "words", "turns",
                                         "speakers")} for t in listing])
        return
    # One row a speaker, the transcript's own columns on its first.
    rows = []
    for t in listing:
        first = [t["id"], t["name"], t["kind"], t["site"] or "-", f"{t['words']:,}", t["turns"]]
        for s in t["speakers"] or [{"label": "", "participant": "", "stakeholder_type": None,
                                    "role": None}]:
            extra = ", ".join(x for x in (s["stakeholder_type"], s["role"]) if x)
            who = (s["participant"] or "?") + (f" ({extra})" if extra else "")
            rows.append([*first, s["label"], who if s["label"] else ""])
            first = [""] * len(first)
    echo_table(["id", "transcript", "kind", "site", "words", "turns", "speaker", "participant"],
               rows, right=[0, 4, 5])


@cli.command()
@project_arg
@click.argument("transcript")
@click.argument("new_name")
def rename(project: Path, transcript: str, new_name: str) -> None:
    """Give TRANSCRIPT (its name or id) a new name; its text, speakers and codings stay.
    A manifest's `name` column names transcripts as they are imported."""
    _rename(project, transcript, new_name)


def _rename(project: Path, transcript: str, new_name: str) -> None:
    with open_project(project) as proj:
        old = services.rename_transcript(proj, transcript, new_name)
    click.echo(f"renamed {old} to {' '.join(new_name.split())}")


@cli.command()
@project_arg
@click.argument("transcript")
@json_opt
def show(project: Path, transcript: str, as_json: bool) -> None:
    """Print one transcript, turn by turn, with its speakers (--json: who said what, with
    offsets, for scripts). Control characters are shown as symbols, never sent."""
    with open_project(project) as proj:
        originals_notice(proj)
        t = reading.transcript_by_ref(proj, transcript)
        turn_rows = reading.turns(proj, t["id"])
    if as_json:
        print_json({"name": t["name"], "turns": [
            {"speaker": r["speaker"], "participant": r["participant"],
             "role": r["role"], "stakeholder_type": r["stakeholder_type"],
             "start": r["start"], "end": r["end"], "timestamp": r["timestamp"],
             "text": t["text"][r["start"]:r["end"]]} for r in turn_rows]})
        return
    click.secho(f"{t['name']}  ({t['kind']}, {t['site'] or 'no site'}, {t['date'] or 'no date'}, "
                f"{plural(t['words'], 'word')}, from {t['source_file']})", bold=True)
    for turn in turn_rows:
        who = turn["speaker"] or ""
        if turn["participant"] and turn["participant"] != turn["speaker"]:
            who += f" = {turn['participant']}"
        if turn["role"] or turn["stakeholder_type"]:
            who += f" [{turn['role'] or turn['stakeholder_type']}]"
        stamp = f"{turn['timestamp']} " if turn["timestamp"] else ""
        click.echo()
        if who:
            click.secho(f"{stamp}{who}", fg="cyan")
        click.echo(visible(t["text"][turn["start"]:turn["end"]]))


@cli.command()
@project_arg
@click.argument("name", required=False)
@click.option("--stakeholder-type", help="Key or label of a stakeholder type.")
@click.option("--role", help="Role used in quote attributions, e.g. 'School lead'.")
@click.option("--rename", help="New name for the participant.")
@json_opt
def participants(project: Path, name: str | None, stakeholder_type: str | None, role: str | None,
                 rename: str | None, as_json: bool) -> None:
    """List participants, or change one: NAME --stakeholder-type T --role R."""
    with open_project(project) as proj:
        if name:
            services.set_participant(proj, name, stakeholder_type, role, rename)
        listing = reading.participants(proj)
    if as_json:
        print_json(listing)
        return
    echo_table(["participant", "stakeholder type", "role", "transcripts", "turns"],
               [(p["name"], p["stakeholder_type"] or "?", p["role"] or "", p["transcripts"],
                 p["turns"]) for p in listing], right=[3, 4])


@cli.command("stakeholder-types")
@project_arg
@click.option("--add", nargs=2, metavar="KEY LABEL", help="Add or relabel a stakeholder type.")
@click.option("--interviewer", is_flag=True, help="With --add: excluded from counts.")
def stakeholder_types(project: Path, add: tuple[str, str] | None, interviewer: bool) -> None:
    """List the project's stakeholder types, or add one."""
    with open_project(project) as proj:
        if add:
            services.add_stakeholder_type(proj, add[0], add[1], interviewer)
        types = reading.stakeholder_types(proj)
    echo_table(["key", "label", ""], [(t["key"], t["label"], "(not counted: interviewers)"
                                       if t["is_interviewer"] else "") for t in types])


@cli.group()
def attributes() -> None:
    """Attributes of participants and transcripts."""


@attributes.command("set")
@project_arg
@click.option("--participant", help="Participant name.")
@click.option("--transcript", help="Transcript id or name.")
@click.argument("pairs", nargs=-1, required=True)
def attributes_set(project: Path, participant: str | None, transcript: str | None,
                   pairs: tuple[str, ...]) -> None:
    """Set KEY=VALUE pairs (site, kind, date, stakeholder_type, role, or your own)."""
    owner = participant or transcript
    if owner is None or (participant and transcript):
        raise QualCoderError("name one --participant or one --transcript")
    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QualCoderError(f"'{pair}' is not KEY=VALUE")
        values[key.strip()] = value.strip()
    with open_project(project) as proj:
        services.set_attributes(proj, "participant" if participant else "transcript",
                                owner, values)
    click.echo(f"set {', '.join(values)}")


@attributes.command("list")
@project_arg
@json_opt
def attributes_list(project: Path, as_json: bool) -> None:
    """Show every transcript's and participant's attributes."""
    from ..services.transcripts import attribute_tables

    with open_project(project) as proj:
        data = attribute_tables(proj)
        # the listing shows every participant, interviewers too
        data["participants"] = [
            {"name": p["name"], "stakeholder_type": p["stakeholder_type"], "role": p["role"],
             **p["attributes"]} for p in reading.participants(proj)]
    if as_json:
        print_json(data)
        return
    for scope, items in data.items():
        click.secho(scope, bold=True)
        for item in items:
            click.echo("  " + ", ".join(f"{k}={v}" for k, v in item.items() if v is not None))


@cli.command()
@project_arg
@click.argument("transcript")
@click.argument("label")
@click.argument("participant")
def assign(project: Path, transcript: str, label: str, participant: str) -> None:
    """Say that speaker LABEL in TRANSCRIPT is PARTICIPANT."""
    with open_project(project) as proj:
        services.assign_speaker(proj, transcript, label, participant)
    click.echo(f"{label} in {transcript} is now {participant}")


@cli.command()
@project_arg
@json_opt
def summary(project: Path, as_json: bool) -> None:
    """What the project holds: transcripts, words, participants by stakeholder type."""
    with open_project(project) as proj:
        s = reading.summary(proj)
        types = reading.stakeholder_types(proj)
    if as_json:
        print_json(s)
        return
    _echo_summary(project, s, types)


def _echo_summary(project: Path, s: dict, types: list) -> None:
    kinds = ", ".join(plural(n, k.replace("_", " ")) for k, n in sorted(s["kinds"].items()))
    label = {t["key"]: t["label"] for t in types}
    interviewer = {t["key"] for t in types if t["is_interviewer"]}
    click.secho(f"{project}", bold=True)
    click.echo(f"  {plural(s['transcripts'], 'transcript')} ({kinds or 'none'}), "
               f"{plural(s['words'], 'word')}, {plural(s['turns'], 'turn')}")
    click.echo(f"  sites: {', '.join(s['sites']) or '-'}")
    click.echo(f"  {plural(s['participants'], 'participant')}, by stakeholder type:")
    counted = {k: n for k, n in s["by_stakeholder_type"].items() if k not in interviewer}
    echo_table(["type", "participants"], [(label.get(stype) or stype, n)
                                          for stype, n in counted.items()],
               right=[1], indent=4, show_head=False)
    others = sum(n for k, n in s["by_stakeholder_type"].items() if k in interviewer)
    if others:
        who = plural(others, "interviewer or facilitator", "interviewers or facilitators")
        click.echo(f"  and {who} (not counted as participants)")


@cli.command()
@project_arg
@click.option("--from", "source", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of demo transcripts (default: the shipped transcripts/).")
@click.option("--force", is_flag=True, help="Replace PROJECT if it exists.")
def demo(project: Path, source: Path | None, force: bool) -> None:
    """Build the demo project from the shipped transcripts and codebooks."""
    from ..demo import build_demo

    report = build_demo(project, source, force=force)
    warn(report.warnings)
    click.echo(f"built {project}: {plural(len(report.imported), 'transcript')}, "
               f"{plural(report.words, 'word')}")


@cli.command()
@project_arg
def tui(project: Path) -> None:
    """Open the coding workbench on PROJECT."""
    from ..tui.app import run

    open_project(project).close()  # fail here, with a clear message, not inside the app
    run(project)


@cli.command()
@project_arg
@click.argument("dest", required=False, type=click.Path(path_type=Path))
@click.option("--keep", type=int, help="Set how many automatic backups the workbench keeps "
                                       "(0: none).")
def backup(project: Path, dest: Path | None, keep: int | None) -> None:
    """Back up PROJECT (consistent while the workbench has it open)."""
    from ..services.backups import backup_now, keep_backups

    if keep is not None:
        with open_project(project) as proj:
            kept = keep_backups(proj, keep)
        click.echo(f"the workbench keeps {kept} automatic backups")
        if dest is None:
            return
    click.echo(f"backed up to {backup_now(project, dest)}")


@cli.command()
@project_arg
@click.argument("backup_file", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True,
              help="Restore even while another program (a workbench) has PROJECT open.")
def restore(project: Path, backup_file: Path, force: bool) -> None:
    """Replace PROJECT's contents with a backup (the current state is backed up first).

    Refused while another process has PROJECT open, since it would go on working beside
    the restored contents; close it first, or use --force."""
    from ..services.backups import restore as do_restore

    safety = do_restore(project, backup_file, force=force)
    click.echo(f"restored {backup_file}; the state before is in {safety}")


def _middle_cut(text: str, keep: int = 60) -> str:
    """Both ends of a long quote (where a re-anchored span's edges are), one line."""
    text = " ".join(text.split())
    return text if len(text) <= 2 * keep + 3 else f"{text[:keep]} … {text[-keep:]}"


@cli.command()
@project_arg
@click.argument("transcript")
@click.argument("file", type=click.Path(path_type=Path))
@json_opt
@dry_run_opt
def reimport(project: Path, transcript: str, file: Path, as_json: bool, dry_run: bool) -> None:
    """Replace TRANSCRIPT with a corrected FILE, keeping its codings (re-anchored)."""
    with open_for(project, dry_run) as proj:
        r = services.reimport_transcript(proj, transcript, file)
    if as_json:
        print_json({"transcript": r.transcript, "same": r.same, "moved": r.moved,
                     "changed": r.changed, "unplaced": r.unplaced})
        return
    click.echo(f"{r.transcript}: {plural(r.total, 'coding')}: {r.same} in place, {r.moved} "
               f"moved with "
               f"their words unchanged, {len(r.changed)} whose words changed, "
               f"{len(r.unplaced)} could not be placed")
    for f in r.changed:
        click.echo(f"  words changed, coding #{f['coding']} (similarity {f['similarity']}); "
                   "check it still says what was coded:")
        click.echo(f"    was: ‘{_middle_cut(f['was'])}’")
        click.echo(f"    now: ‘{_middle_cut(f['now'])}’")
    for u in r.unplaced:
        click.echo(f"  UNPLACED (kept in unplaced_codings): ‘{u['quote'][:70]}’")
        if u["elsewhere"]:
            click.echo(f"    the same words stand at {u['elsewhere'][0]}-{u['elsewhere'][1]}: "
                       "code them there (`qual-coder code ... --start --end`) if that is "
                       "where they went")
    dry_run_said(project, dry_run)


@cli.command()
@project_arg
@click.option("--propose", "propose_to", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the names found and their proposed replacements to this CSV.")
@click.option("--apply", "apply_from", type=click.Path(dir_okay=False, path_type=Path),
              help="The reviewed CSV (name, replacement; blank keeps the name).")
@click.option("--to", "dest", type=click.Path(dir_okay=False, path_type=Path),
              help="With --apply: the pseudonymised copy to create.")
@click.option("--allow-exports", is_flag=True, help="Allow exports from this project again.")
def pseudonymise(project: Path, propose_to: Path | None, apply_from: Path | None,
                 dest: Path | None, allow_exports: bool) -> None:
    """Find names of people, schools and places; replace them in a copy, codings kept."""
    from ..services.pseudonymise import apply, propose, write_proposal

    if allow_exports:
        with open_project(project) as proj:
            proj.set_setting("exports.pseudonymised_only", "no")
        click.echo("exports of quotes and text are allowed from this project")
        return
    if apply_from:
        if dest is None:
            raise QualCoderError("--apply needs --to COPY.db, the pseudonymised copy to create")
        result = apply(project, apply_from, dest)
        click.echo(f"wrote {result['copy']}: {result['replacements']} replacements of "
                   f"{plural(result['names'], 'name')}; export quotes and text from the copy")
        return
    with open_project(project) as proj:
        found = propose(proj)
    if propose_to:
        write_proposal(found, propose_to)
        click.echo(f"wrote {plural(len(found), 'name')} to {propose_to}: review, then --apply it")
    else:
        echo_table(["kind", "name", "replacement", "occurrences"],
                   [(c["kind"], c["name"], c["replacement"], c["occurrences"]) for c in found],
                   right=[3])
