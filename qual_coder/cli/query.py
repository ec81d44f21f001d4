"""Queries: coding queries (saved and re-run), word frequency, keyword in context."""

from __future__ import annotations

from pathlib import Path

import click

from ..core.text import plural, strict_json
from ..errors import QualCoderError
from ..storage import open_project
from .common import (
    cli,
    emit,
    exports_allowed,
    out_opt,
    parse_where,
    project_arg,
    terminal_width,
    where_opt,
)

QUERY_HELP = """Where codes meet, and where one occurs without another (NVivo's coding
query, MAXQDA's complex coding query).

\b
EXPR joins codes (a key or a label; quote a label that has spaces and an
operator's word; =key is the code without its sub-codes) with:
  A AND B          text coded with both
  A OR B           text coded with either
  A AND NOT B      text coded with A and not with B;  NOT A: text not coded with A
  A NEAR/n B       A's passages within n words of B (same transcript; NEAR alone: 10)
  A SAME TURN B    A's passages in a turn that also holds B
  A FOLLOWED BY B  A's passages that B follows in a later turn (FOLLOWED BY/n: within n)
and parentheses. Relations bind tightest, then NOT, AND, OR.

\b
Each code is the set of characters its final codings cover (everyone's, unless
--coder); results are the merged spans, each with its transcript, offsets, the words
said, who said them and the codes present. Passages only the interviewer spoke are
left out unless --include-interviewer. @NAME runs a saved query.

\b
  qual-coder query study.db "access AND NOT =waiting_times" --where site=Northmoor
  qual-coder query study.db "relationships NEAR/20 trust" --save "trust near"
  qual-coder query study.db @"trust near" --matrix stakeholder_type
"""


@cli.command(help=QUERY_HELP)
@project_arg
@click.argument("expression", required=False)
@where_opt
@click.option("--coder", "coders", multiple=True,
              help="Only this coder's codings (repeatable); by default everyone's.")
@click.option("--include-interviewer", is_flag=True, help="Keep passages only interviewers spoke.")
@click.option("--matrix", "matrix_by", metavar="FIELD",
              help="Count the hits by stakeholder_type, role, site, kind, participant or "
                   "transcript instead of listing them.")
@click.option("--code-as", "code_as", metavar="KEY",
              help="Code every hit at KEY (made as an inductive code if new): one action, "
                   "which `undo` takes back.")
@click.option("--as", "acting", metavar="CODER",
              help="With --code-as or --save: who is acting (default: $QUAL_CODER_CODER or login).")
@click.option("--save", "save_as", metavar="NAME", help="Save the query by this name, then run it.")
@click.option("--saved", "list_saved", is_flag=True, help="List the saved queries.")
@click.option("--delete", "delete_name", metavar="NAME", help="Delete a saved query.")
@click.option("--format", "fmt", type=click.Choice(["md", "csv", "docx", "json", "table", "xlsx"]),
              help="Hits: md (default), csv, docx or json; --matrix: table, csv, xlsx, md, json.")
@out_opt
def query(project: Path, expression: str | None, wheres: tuple[str, ...],
          coders: tuple[str, ...], include_interviewer: bool, matrix_by: str | None,
          code_as: str | None, acting: str | None, save_as: str | None, list_saved: bool,
          delete_name: str | None, fmt: str | None, out: Path | None) -> None:
    from ..reports.quotes import write_quotes
    from ..services.query import (
        answer_query,
        code_results,
        delete_query,
        query_matrix,
        save_query,
        saved_queries,
    )

    where = parse_where(wheres)
    with open_project(project) as proj:
        if list_saved or delete_name:
            if delete_name:
                delete_query(proj, delete_name)
                click.echo(f"deleted the saved query '{delete_name}'")
            for q in saved_queries(proj):
                options = "".join(f" --where {f}={v}" for f, vs in q["options"].get(
                    "where", {}).items() for v in vs) + "".join(
                    f" --coder {c}" for c in q["options"].get("coders", []))
                click.echo(f"@{q['name']}: {q['expression']}{options}  "
                           f"({q['saved_by']}, {q['saved_at'][:10]})")
            return
        if not expression:
            raise QualCoderError("give a query, e.g. \"access AND NOT waiting_times\", or "
                                 "@NAME for a saved one (--saved lists them)")
        if save_as:
            replaced = save_query(proj, save_as, expression, where, list(coders),
                                  include_interviewer, acting)
            click.echo(f"{'replaced' if replaced else 'saved'} the query @{save_as}", err=True)
        result = answer_query(proj, expression, where, list(coders), include_interviewer)
        if code_as:
            done = code_results(proj, result, code_as, acting)
            click.echo(f"coded {plural(done['passages'], 'passage')} at {done['code']}"
                       + (" (a new code)" if done["created"] else "")
                       + "; `qual-coder undo` takes it back")
            return
        if matrix_by:
            from ..reports.tables import format_for, write_frame

            frame = query_matrix(proj, result.quotes, matrix_by)
            kind = format_for(out, fmt)
            emit(write_frame(frame, kind, out, sheet="query", json_data={
                "query": result.expression, "rows": list(frame.index),
                "cols": list(frame.columns), "cells": frame.values.tolist()}), out)
            return
        exports_allowed(proj)
    kind = fmt or (out.suffix.lower().lstrip(".") if out else "md")
    if kind not in ("md", "csv", "docx", "json"):
        raise QualCoderError(f"hits are written as md, csv, docx or json, not {kind}")
    emit(write_quotes(result.quotes, kind, out, result.expression), out)


@cli.command()
@project_arg
@click.option("--by", help="Key words of each stakeholder_type, site, kind or transcript "
                           "against the rest (log-likelihood G2).")
@click.option("--top", default=30, show_default=True, type=click.IntRange(1),
              help="Words listed (per group, with --by).")
@click.option("--min-count", default=2, show_default=True, type=click.IntRange(1),
              help="Leave out words said fewer times.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "xlsx", "md", "json"]))
@out_opt
def words(project: Path, by: str | None, top: int, min_count: int, fmt: str | None,
          out: Path | None) -> None:
    """Word frequency of what participants said: lemmas, stop words, fillers and names of
    people and places left out, interviewers excluded; with --by, each group's key words
    (said more than by the rest, ranked by Dunning's G2; 3.84 is p < .05, 6.63 p < .01)."""
    from ..reports.tables import format_for, write_frame
    from ..services.analyses import word_frequency

    by = by or None  # --by "" is no grouping
    with open_project(project) as proj:
        frame = word_frequency(proj, by, top, min_count)
    kind = format_for(out, fmt)
    emit(write_frame(frame.set_index("word" if by is None else ["group", "word"]), kind, out,
                     sheet="words", json_data={"by": by, "words": frame.to_dict("records")}),
         out)


@cli.command()
@project_arg
@click.argument("phrase")
@click.option("--kwic", is_flag=True, help="Keyword in context: one line a hit, the phrase "
                                           "centred, the words either side.")
@click.option("--width", default=40, show_default=True, type=click.IntRange(10, 200),
              help="Characters of context either side (--kwic; four times as many without).")
@where_opt
@click.option("--include-interviewer", is_flag=True, help="Search interviewers' turns too.")
@click.option("--limit", type=click.IntRange(1), help="Stop after this many hits.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "md", "json"]))
@out_opt
def search(project: Path, phrase: str, kwic: bool, width: int, wheres: tuple[str, ...],
           include_interviewer: bool, limit: int | None, fmt: str | None,
           out: Path | None) -> None:
    """Where a word or phrase was said (whole words, any case; referr* finds every ending),
    with who said it; --kwic lines them up as a concordance."""
    import csv
    import io

    from ..core.text import defuse
    from ..services.analyses import kwic as find

    with open_project(project) as proj:
        exports_allowed(proj)
        lines = find(proj, phrase, width if kwic else 4 * width, parse_where(wheres),
                     include_interviewer, limit)
    kind = fmt or (out.suffix.lower().lstrip(".") if out else "table")
    if kind == "json":
        text = strict_json([ln.to_json() for ln in lines], indent=2, ensure_ascii=False)
    elif kind == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["transcript", "start", "end", "left", "keyword", "right", "attribution"])
        for ln in lines:
            w.writerow([defuse(str(v)) for v in (ln.transcript, ln.start, ln.end, ln.left,
                                                 ln.keyword, ln.right, ln.attribution)])
        text = buf.getvalue()
    elif kind == "md":
        rows = ["| left | keyword | right | who | transcript |", "|--:|:-:|:--|---|---|"]
        rows += [f"| {_cell(ln.left)} | **{_cell(ln.keyword)}** | {_cell(ln.right)} | "
                 f"{_cell(ln.attribution)} | {_cell(ln.transcript)} |" for ln in lines]
        text = "\n".join(rows)
    elif kwic:  # the keyword in one column, its left context set flush against it
        from ..core.text import aligned

        text = aligned(["", "", "", ""], [
            (ln.left, ln.keyword, ln.right,
             f"[{ln.attribution or 'unattributed'} · {ln.transcript}]") for ln in lines],
            right=[0], show_head=False)
    else:
        text = "\n".join(f"{ln.transcript} {ln.start}: ‘{ln.as_said}’ "
                         f"({ln.attribution or 'unattributed'})" for ln in lines)
    _show(text, out, f"{plural(len(lines), 'hit')} for ‘{phrase}’")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


@cli.command()
@project_arg
@click.option("--base", default=4, show_default=True, type=click.IntRange(1),
              help="Transcripts in the base.")
@click.option("--run", "run_size", default=2, show_default=True, type=click.IntRange(1),
              help="Transcripts in each run after the base.")
@click.option("--threshold", default=5.0, show_default=True, type=click.FloatRange(0),
              help="New information (% of the base's codes) at or below which a run saturates.")
@click.option("--by", help="stakeholder_type: saturation within each type.")
@click.option("--format", "fmt", type=click.Choice(["table", "md", "json"]), default="table",
              show_default=True)
@out_opt
def saturation(project: Path, base: int, run_size: int, threshold: float, by: str | None,
               fmt: str, out: Path | None) -> None:
    """Thematic saturation (Guest, Namey & Chen 2020): transcripts in interview-date order,
    the codes each adds, and the new-information ratio of each run after the base.

    A code is new in a transcript when no earlier transcript has a final coding of it
    (each code key on its own); a run's ratio is the codes new in it over the base's codes.
    Saturation is the last transcript of the first run at or below --threshold. Only
    transcripts with final codings count; undated ones come last, by name."""
    from ..reports.tables import format_saturation
    from ..services.analyses import saturation as assess

    with open_project(project) as proj:
        results = assess(proj, base, run_size, threshold, by)
    if fmt == "json":
        data = results[0].to_json() if by is None else {
            "by": "stakeholder_type", "groups": [r.to_json() for r in results]}
        _show(strict_json(data, indent=2, ensure_ascii=False), out)
        return
    _show(format_saturation(results, fmt, None if out else terminal_width()), out)


def _show(text: str, out: Path | None, summary: str | None = None) -> None:
    """`text` on the terminal (a summary of it on stderr), or written to `out` (0600) with
    the summary said."""
    if out is None:
        if text:
            click.echo(text)
        if summary:
            click.echo(summary, err=True)
        return
    from ..core.files import private_output

    with private_output(out):
        out.write_text(text + "\n", encoding="utf-8")
    click.echo(f"wrote {out}" + (f": {summary}" if summary else ""))


@cli.command()
@project_arg
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "table"]),
              help="csv (default with -o), json, or a table on the terminal (default).")
@out_opt
def audit(project: Path, fmt: str | None, out: Path | None) -> None:
    """The audit trail (Lincoln & Guba's dependability): every coding action, codebook
    change, merge, import, agreement and suggestion decision, memo and framework summary,
    with who and when, oldest first. An undone coding action is marked 'undone'."""
    import csv
    import io

    from ..core.text import defuse
    from ..services.audit import COLUMNS, audit_trail

    with open_project(project) as proj:
        rows = audit_trail(proj)
    kind = fmt or ("table" if out is None else "json" if out.suffix.lower() == ".json"
                   else "csv")
    if kind == "json":
        text = strict_json(rows, indent=2, ensure_ascii=False)
    elif kind == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(COLUMNS)
        for r in rows:
            w.writerow([defuse(str(r[c])) for c in COLUMNS])
        text = buf.getvalue().rstrip("\n")
    else:
        from ..core.text import aligned

        text = aligned(["when", "who", "what", "detail"],
                       [(r["at"][:19], r["who"], r["what"], r["detail"] + (
                           f"  [{r['status']}]" if r["status"] else "")) for r in rows])
    # The count is said beside a file only: on the terminal the trail is the whole output.
    _show(text, out, f"{plural(len(rows), 'entry', 'entries')} in the trail" if out else None)


@cli.command()
@project_arg
@click.option("--unit", type=click.Choice(["character", "sentence", "turn"]),
              default="character", show_default=True, help="Agreement's unit of decision.")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md",
              show_default=True, help="md: the prose; json: the figures in it.")
@out_opt
def methods(project: Path, unit: str, fmt: str, out: Path | None) -> None:
    """A Methods section to edit: the sample, fieldwork dates, coders, double coding and
    agreement, the codebook, machine-assisted codings and saturation, every figure the
    same as the command that reports it (the report opens with it)."""
    from ..reports.methods import methods_markdown
    from ..services.analyses import methods_facts

    with open_project(project) as proj:
        facts = methods_facts(proj, unit)
    text = strict_json(facts, indent=2, ensure_ascii=False) if fmt == "json" else \
        methods_markdown(facts)
    _show(text.rstrip(), out)
