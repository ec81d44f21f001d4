"""spaCy-assisted coding: suggestions, autocoding for review, inductive discovery,
the pipeline setting."""

from __future__ import annotations

from pathlib import Path

import click

from ..core.text import plural, shorten
from ..errors import QualCoderError
from ..storage import open_project
from .common import (
    cli,
    coder_opt,
    echo_table,
    json_opt,
    list_options_command,
    originals_notice,
    print_json,
    project_arg,
    warn,
)

engine_opt = click.option("--engine", "engines", multiple=True, metavar="NAME ...",
                          type=click.Choice(["rules", "model", "similar"]),
                          help="Only these engines (default: all three).")


@cli.command(cls=list_options_command("--engine"))
@project_arg
@click.argument("transcript")
@click.option("--top", default=3, show_default=True, help="Suggestions per segment.")
@click.option("--unit", type=click.Choice(["sentence", "turn"]), default="sentence",
              show_default=True)
@click.option("--min-score", default=0.2, show_default=True)
@engine_opt
@coder_opt
@json_opt
def suggest(project: Path, transcript: str, top: int, unit: str, min_score: float,
            engines: tuple[str, ...], coder: str | None, as_json: bool) -> None:
    """Suggest codes for a transcript's sentences (or turns), best first, each with its
    score, engine and reason. Nothing is written."""
    from ..services.suggest import suggest as run

    with open_project(project) as proj:
        found = run(proj, transcript, top=top, unit=unit, engines=engines, min_score=min_score,
                    coder=coder)
    if as_json:
        print_json(found)
        return
    for seg in found:
        click.echo(f"{seg['start']}-{seg['end']}  {shorten(' '.join(seg['text'].split()), 100)}")
        echo_table(["score", "code", "engine", "why"],
                   [(f"{s['score']:.2f}", s["code"], s["engine"], s["why"])
                    for s in seg["suggestions"]], right=[0], indent=4, show_head=False)
    click.echo(f"{len(found)} segments with suggestions")


@cli.command(cls=list_options_command("--engine", "--transcripts"))
@project_arg
@click.option("--transcripts", multiple=True, metavar="T ...", help="Only these transcripts.")
@click.option("--min-score", default=0.6, show_default=True,
              help="Write suggestions scoring at least this.")
@click.option("--unit", type=click.Choice(["sentence", "turn"]), default="sentence",
              show_default=True)
@engine_opt
@coder_opt
def autocode(project: Path, transcripts: tuple[str, ...], min_score: float, unit: str,
             engines: tuple[str, ...], coder: str | None) -> None:
    """Write suggestions as codings flagged for review (status 'suggested'), never as
    final codings; accept or reject them with `review` or in the workbench."""
    from ..services.suggest import autocode as run

    with open_project(project) as proj:
        report = run(proj, list(transcripts) or None, min_score=min_score, engines=engines,
                     unit=unit, coder=coder)
    warn(report["problems"])
    click.echo(f"{plural(report['suggested'], 'suggestion')} written for review over "
               f"{plural(report['transcripts'], 'transcript')} (`qual-coder review {project}`)")
    if report["capped"]:
        click.echo(f"{report['capped']} more left out: no code is suggested for more of a "
                   "transcript's sentences than its share of the sentences coded so far")


@cli.command(cls=list_options_command("--accept", "--reject"))
@project_arg
@click.argument("transcript", required=False)
@click.option("--accept", multiple=True, type=int, metavar="ID ...",
              help="Accept these suggestions: they become final codings.")
@click.option("--reject", multiple=True, type=int, metavar="ID ...",
              help="Reject these suggestions (remembered; the model learns from it).")
@coder_opt
@json_opt
def review(project: Path, transcript: str | None, accept: tuple[int, ...], reject: tuple[int, ...],
           coder: str | None, as_json: bool) -> None:
    """List the suggestions waiting for review, or accept and reject them."""
    from ..services.suggest import accept as accept_suggestion
    from ..services.suggest import pending
    from ..services.suggest import reject as reject_suggestion

    with open_project(project) as proj:
        for cid in accept:
            done = accept_suggestion(proj, cid, coder)
            click.echo(f"accepted #{cid}: {done['code']} {done['start']}-{done['end']} "
                       f"(coding #{done['coding']})")
        for cid in reject:
            done = reject_suggestion(proj, cid, coder)
            click.echo(f"rejected #{cid}: {done['code']} {done['start']}-{done['end']}")
        if accept or reject:
            return
        rows = pending(proj, transcript)
    if as_json:
        print_json(rows)
        return
    echo_table(["id", "score", "transcript", "span", "code", "why", "text"],
               [(f"#{r['id']}", "-" if r["score"] is None else f"{r['score']:.2f}",
                 r["transcript"], f"{r['start']}-{r['end']}", r["code"], r["why"],
                 shorten(r["text"], 100)) for r in rows], right=[1, 3])
    click.echo(f"{plural(len(rows), 'suggestion')} to review")


@cli.command()
@project_arg
@click.option("--top", default=25, show_default=True)
@click.option("--min-frequency", default=3, show_default=True)
@click.option("--make-code", metavar="PHRASE",
              help="Turn this candidate into an inductive code (its words become keywords).")
@click.option("--key", help="Key of the new code (default: from the phrase).")
@click.option("--parent", help="Put the new code under this code.")
@coder_opt
@json_opt
def discover(project: Path, top: int, min_frequency: int, make_code: str | None, key: str | None,
             parent: str | None, coder: str | None, as_json: bool) -> None:
    """Candidate new themes: phrases over-used where no code covers the text yet, with
    how many participants and stakeholder types said them, and examples."""
    from ..services.analyses import discover as run

    with open_project(project) as proj:
        originals_notice(proj)
        if make_code:
            from ..services.suggest import code_from_candidate

            made = code_from_candidate(proj, make_code, key=key, parent=parent, coder=coder)
            click.echo(f"created {made['key']} (inductive, keywords: "
                       f"{', '.join(made['keywords'])})")
            return
        found = run(proj, top=top, min_frequency=min_frequency)
    if as_json:
        print_json([dict(phrase=c.shown, lemmas=c.phrase, keyness=round(c.keyness, 2),
                         frequency=c.frequency, participants=c.participants,
                         stakeholder_types=c.stakeholder_types, examples=c.examples)
                    for c in found])
        return
    rows = []
    for c in found:
        e = c.examples[0] if c.examples else None
        rows.append((c.shown, f"{c.keyness:.1f}", c.frequency, c.participants,
                     c.stakeholder_types, f"{shorten(' '.join(e['text'].split()), 90)} "
                     f"({e['speaker']})" if e else ""))
    echo_table(["phrase", "keyness", "said", "people", "types", "for example"], rows,
               right=[1, 2, 3, 4])
    click.echo("make one a code: qual-coder discover PROJECT --make-code PHRASE")


@cli.command()
@project_arg
@click.option("--model", help="A trained spaCy pipeline installed in this environment "
                              "(e.g. en_core_web_sm), or blank-en for the default.")
@click.option("--train", is_flag=True, help="Retrain the learned engine now.")
def nlp(project: Path, model: str | None, train: bool) -> None:
    """Show or set the NLP pipeline; retrain the engine learned from your coding."""
    from ..services.suggest import pipeline_description, set_pipeline

    with open_project(project) as proj:
        if model:
            set_pipeline(proj, model)
        click.echo(f"pipeline {pipeline_description(proj)}")
        if train:
            from ..services.suggest import train as run

            done = run(proj)
            if not done["trained"]:
                raise QualCoderError("too few coded excerpts to learn from: a code needs 5 "
                                     "coded sentences before the model learns it")
            click.echo(f"trained on {plural(done['examples'], 'excerpt')}: "
                       f"{plural(len(done['labels']), 'code')} "
                       f"({', '.join(done['labels'])})")
