"""The triangulation joint display: per CASCADE domain, the rating shift, linked survey
changes, how often and by whom the linked codes were raised, and exemplar quotes.

Links come from three places: a domain's own code (same key), the `links` declared in the
cascade codebook's metadata, and `qual-coder link`. Strands disagree when the ratings moved
significantly but most linked excerpts come from sites still rated Major challenge at the
last workshop, or when the ratings did not move but a linked survey item did.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..core.cascade import LEVELS
from ..core.transcripts import NOT_RECORDED
from ..storage import Project, code_rows, rating_rows, survey_rows, transcript_rows
from .cascade import cascade_table
from .stats import apa_p

if TYPE_CHECKING:
    import pandas as pd


def linked_codes(project: Project, domain: str) -> list[str]:
    conn = project.conn
    codes = []
    if code_rows.code_exists(conn, domain):
        codes.append(domain)
    book = code_rows.codebook_row(conn, "cascade")
    declared = (book["metadata"] if book else {}).get("links", {}).get(domain, []) or []
    codes += [c for c in declared if code_rows.code_exists(conn, c)]
    codes += [code for _, code in rating_rows.links(conn, "cascade", source=domain)]
    return list(dict.fromkeys(codes))


def site_ratings(project: Project) -> dict[tuple[str, str, str], int]:
    """(site as named in transcripts, workshop, domain) -> rating (see storage.rating_rows)."""
    from ..storage.rating_rows import site_ratings as stored

    return stored(project.conn)


def triangulate(project: Project, exemplars: int = 3) -> dict[str, Any]:
    from ..analysis.excerpts import excerpt_links, participant_table, transcript_table
    from ..analysis.quotes import find_quotes, pick_exemplars

    table = cascade_table(project)
    last = table["workshops"][-1]
    ratings = site_ratings(project)
    links = excerpt_links(project)
    people = participant_table(project)
    transcripts = transcript_table(project)
    links = links.merge(people[["participant_id", "stakeholder_type"]], on="participant_id") \
        .merge(transcripts[["transcript_id", "site"]], on="transcript_id")
    survey = _survey_changes(project)
    rows = []
    for d in table["domains"]:
        codes = linked_codes(project, d["key"])
        members = set()
        for c in codes:
            members |= {c, *code_rows.descendant_keys(project.conn, c)}
        mine = links[links["code"].isin(members)]
        by_type = {t: {"excerpts": int(g["coding_id"].nunique()),
                       "participants": int(g["participant_id"].nunique())}
                   for t, g in mine.groupby(mine["stakeholder_type"].fillna(NOT_RECORDED))}
        challenged = [s for s in mine["site"].dropna().unique()
                      if ratings.get((s, last, d["key"])) == 0]
        share = (mine[mine["site"].isin(challenged)]["coding_id"].nunique() /
                 mine["coding_id"].nunique()) if len(mine) else 0.0
        quotes = pick_exemplars(find_quotes(project, codes) if codes else [], exemplars)
        w = d.get("wilcoxon", {})
        linked_items = [survey[i] for i in _survey_links(project, d["key"], codes)
                        if i in survey]
        improved = bool(w.get("significant") and (w.get("z") or 0) < 0
                        and _mean_level(d["workshops"][-1]) > _mean_level(d["workshops"][0]))
        notes = []
        if improved and share > 0.5:
            notes.append(f"ratings improved, but {share:.0%} of the linked excerpts come from "
                         f"sites still rated {LEVELS[0]} at workshop {last}")
        if not improved and any(s.get("significant") for s in linked_items):
            notes.append("ratings did not move significantly, but a linked survey item did")
        rows.append({
            "key": d["key"], "name": d["name"], "workshops": d["workshops"], "wilcoxon": w,
            "linked_codes": codes, "survey": linked_items,
            "excerpts": int(mine["coding_id"].nunique()),
            "participants": int(mine["participant_id"].nunique()),
            "by_stakeholder_type": by_type,
            "sites_still_major_challenge": sorted(challenged),
            "quotes": [q.formatted() for q in quotes],
            "strands_disagree": bool(notes), "notes": notes})
    labels = {s["key"]: s["label"] for s in transcript_rows.stakeholder_types(project.conn)}
    return {"workshops": table["workshops"], "rows": rows,
            # by_stakeholder_type is keyed as stored; these are the names people read
            "stakeholder_type_labels": {t: labels.get(t, t) for r in rows
                                        for t in r["by_stakeholder_type"]},
            "rule": "strands disagree when ratings improved significantly but most linked "
                    "excerpts come from sites still rated Major challenge at the last workshop, "
                    "or ratings did not move but a linked survey item changed significantly"}


def _mean_level(workshop: dict[str, Any]) -> float:
    pct = [p or 0 for p in workshop["percent"]]
    return sum(i * p for i, p in enumerate(pct)) / (sum(pct) or 1)


def _survey_links(project: Project, domain: str, codes: list[str]) -> list[str]:
    return list(dict.fromkeys(
        source for source, _ in rating_rows.links(project.conn, "survey", codes=codes)))


def _survey_changes(project: Project) -> dict[str, dict[str, Any]]:
    if not survey_rows.items(project.conn):
        return {}
    from .survey import survey_summary

    out = {}
    for item in survey_summary(project)["items"]:
        p = item.get("paired")
        if p:
            out[item["key"]] = {"key": item["key"], "label": item["label"],
                                "mean_difference": p["mean_difference"], "t": p["t"],
                                "p": p["p"], "n": p["n"],
                                "significant": p["p"] is not None and p["p"] < 0.05}
    return out


def joint_display_markdown(data: dict[str, Any]) -> str:
    first, last = data["workshops"][0], data["workshops"][-1]
    lines = ["# Joint display: CASCADE ratings, surveys and interviews", "",
             f"| Domain | {first} → {last} (% Major challenge) | Z, p | Survey | Excerpts "
             "(participants) by stakeholder type | Exemplar quotes | Strands |",
             "|---|---|---|---|---|---|---|"]
    for r in data["rows"]:
        w = r["wilcoxon"]
        shift = f"{r['workshops'][0]['percent'][0]:.0f}% → {r['workshops'][-1]['percent'][0]:.0f}%"
        zp = f"{w['z']:.2f}, {apa_p(w['p'])}" if w.get("z") is not None else "–"
        survey = "; ".join(f"{s['label']}: Δ {s['mean_difference']:+.2f} ({apa_p(s['p'])})"
                           for s in r["survey"]) or "–"
        named = data.get("stakeholder_type_labels", {})
        by_type = "; ".join(f"{named.get(t, t)} {v['excerpts']} ({v['participants']})"
                            for t, v in r["by_stakeholder_type"].items()) or "–"
        quotes = "<br>".join(r["quotes"]) or "–"
        strands = "; ".join(r["notes"]) if r["strands_disagree"] else "agree"
        lines.append(f"| {r['name']} | {shift} | {zp} | {survey} | {by_type} | {quotes} | "
                     f"{strands} |")
    lines += ["", f"Strands: {data['rule']}."]
    return "\n".join(lines)


def joint_display_frame(data: dict[str, Any]) -> pd.DataFrame:
    """The joint display as one row per domain, for HTML and spreadsheets."""
    import pandas as pd

    return pd.DataFrame([{
        "Domain": r["name"],
        **{f"% Major challenge {w['label']}": w["percent"][0] for w in r["workshops"]},
        "Z": r["wilcoxon"].get("z"), "p": r["wilcoxon"].get("p"),
        "Survey": "\n".join(f"{s['label']}: {s['mean_difference']:+.2f} ({apa_p(s['p'])})"
                            for s in r["survey"]),
        "Excerpts": r["excerpts"], "Participants": r["participants"],
        "Quotes": "\n".join(r["quotes"]), "Strands": "; ".join(r["notes"]) or "agree"}
        for r in data["rows"]])
