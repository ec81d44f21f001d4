"""The Methods section as editable prose, every figure from analysis.methods (the same
computations `transcripts`, `agreement`, `codebook`, `codings` and `saturation` print)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..core.text import plural

Block = tuple[Any, ...]


def _list(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _lower(label: str) -> str:
    """"School staff" -> "school staff" inside a sentence; "NHS CYPMHS" stays."""
    return label[0].lower() + label[1:] if len(label) > 1 and label[1].islower() else label


def _month(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.strftime('%B')} {d.year}"


def _kappa(k: float | None) -> str:
    return "not defined" if k is None else f"{k:.2f}"


def methods_paragraphs(f: dict[str, Any]) -> list[str]:
    kinds = _list([plural(n, k.replace("_", " ")) for k, n in f["kinds"].items()])
    people = "; ".join(f"{_lower(label)}, {n}" for label, n in f["participants"].items())
    sites = (f" across {plural(len(f['sites']), 'site')} ({_list(f['sites'])})"
             if f["sites"] else "")
    out = [f"The data are {plural(f['transcripts'], 'transcript')} ({kinds}; "
           f"{plural(f['words'], 'word')}){sites}, with "
           f"{plural(sum(f['participants'].values()), 'participant')}"
           + (f" (by stakeholder type: {people})" if people else "")
           + ". Interviewers and facilitators are not counted as participants."]
    field = f["fieldwork"]
    if field["first"]:
        span = (_month(field["first"]) if field["first"][:7] == field["last"][:7] else
                f"{_month(field['first'])} to {_month(field['last'])}")
        out.append(f"Fieldwork took place from {span} ({field['first']} to {field['last']})"
                   + (f"; {plural(field['undated'], 'transcript')} carry no date."
                      if field["undated"] else "."))
    book = f["codebook"]
    out.append(
        f"The transcripts were coded with qual-coder against a codebook of "
        f"{plural(book['codes'], 'code')}: {book['deductive']} deductive, from the study's "
        f"framework, and {book['inductive']} inductive, added while reading (Framework "
        f"Method; Ritchie & Spencer). "
        + (f"The codebook changed {plural(book['changes_since_coding_began'], 'time')} after "
           "coding began (the project's audit trail lists each change)."
           if book["changes_since_coding_began"] else
           "The codebook did not change after coding began."))
    codings = f["codings"]
    coders = f["coders"]
    text = (f"The {'coder was' if len(coders) == 1 else 'coders were'} {_list(coders)}, who made "
            f"{plural(codings['final'], 'final coding')} in "
            f"{plural(f['coded_transcripts'], 'transcript')}")
    if f["double_coded"]:
        text += (f"; {plural(f['double_coded'], 'transcript')} "
                 f"({f['double_coded_share']:g}%) {'was' if f['double_coded'] == 1 else 'were'}"
                 " coded independently by two coders")
    out.append(text + ".")
    a = f["agreement"]
    if a:
        rng = a["kappa_range"]
        out.append(
            f"Agreement between {_list(a['coders'])} on the "
            f"{plural(a['transcripts'], 'transcript')} both coded, per {a['unit']}, was a "
            "pooled Cohen's kappa of "
            f"{_kappa(a['pooled_kappa'])} across {plural(a['codes'], 'code')}"
            + (f" (per code from {rng[0]:.2f} to {rng[1]:.2f})" if rng else "")
            + (f"; {plural(a['settled'], 'disagreement')} "
               f"{'was' if a['settled'] == 1 else 'were'} settled by discussion, as the "
               "audit trail records." if a["settled"] else "."))
    if codings["final"] and not codings["from_suggestions"]:
        out.append("No coding began as a machine suggestion: every coding was made by hand.")
    elif codings["final"]:
        out.append(
            f"{plural(codings['from_suggestions'], 'coding')} "
            f"({codings['from_suggestions_share']:g}% of the final codings) began as "
            "machine suggestions (spaCy rules and a classifier trained on the project's own "
            "coding) that a coder read and accepted; every other coding was made by hand.")
    out.append(f["saturation"]["statement"])
    return out


def methods_blocks(f: dict[str, Any]) -> list[Block]:
    return [("h2", "Methods")] + [("p", text) for text in methods_paragraphs(f)]


def methods_markdown(f: dict[str, Any]) -> str:
    return "## Methods\n\n" + "\n\n".join(methods_paragraphs(f)) + "\n"
