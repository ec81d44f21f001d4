"""The figures a Methods section states, each from the computation its own command runs:
the sample (transcripts by kind, participants by stakeholder type, sites), fieldwork dates,
coders, the share double-coded and agreement (pooled kappa and the per-code range, with the
unit), the codebook (deductive and inductive codes, changes since coding began), codings
that began as accepted suggestions, and the saturation statement."""

from __future__ import annotations

import math
from typing import Any

from ..storage import Project, code_rows, coding_rows, transcript_rows
from .saturation import interview_date, saturation


def methods_facts(project: Project, unit: str = "character") -> dict[str, Any]:
    conn = project.conn
    s = transcript_rows.summary(conn)
    types = {t["key"]: t for t in transcript_rows.stakeholder_types(conn)}
    listed = transcript_rows.list_transcripts(conn)
    dates = sorted(d for t in listed if (d := interview_date(t["date"])) is not None)
    coded_by: dict[int, set[str]] = {}  # transcript id -> its coders
    for _, tid, _, coder, _, _ in coding_rows.final_coded(conn):
        coded_by.setdefault(tid, set()).add(coder)
    coders = coding_rows.coders_by_reach(conn)
    double = [t for t, who in coded_by.items() if len(who) > 1]
    facts: dict[str, Any] = {
        "transcripts": s["transcripts"],
        "kinds": dict(sorted(s["kinds"].items())),
        "words": s["words"],
        "participants": {(types[k]["label"] if k in types else k): n
                         for k, n in s["by_stakeholder_type"].items()
                         if not (k in types and types[k]["is_interviewer"])},
        "sites": s["sites"],
        "fieldwork": {"first": dates[0].isoformat() if dates else None,
                      "last": dates[-1].isoformat() if dates else None,
                      "undated": len(listed) - len(dates)},
        "coders": coders,
        "coded_transcripts": len(coded_by),
        "double_coded": len(double),
        "double_coded_share": round(100 * len(double) / len(coded_by), 1) if coded_by else None,
        "agreement": None,
    }
    if len(coders) >= 2 and double:
        from .agreement import agreement

        pair = coders[:2]
        result = agreement(project, pair, unit=unit)
        kappas = [c["kappa"] for c in result["codes"] if c["kappa"] is not None
                  and not math.isnan(c["kappa"])]
        facts["agreement"] = {
            "coders": pair, "unit": unit, "transcripts": len(result["transcripts"]),
            "pooled_kappa": result["overall"]["kappa"],
            "alpha": result["overall"]["alpha"],
            "kappa_range": [min(kappas), max(kappas)] if kappas else None,
            "codes": len(result["codes"]),
            "settled": len(coding_rows.resolutions(conn))}
    codes = code_rows.all_codes(conn)
    first_coding = coding_rows.first_final_at(conn)
    history = code_rows.history(conn)
    facts["codebook"] = {
        "codes": len(codes),
        "deductive": sum(1 for c in codes if c["origin"] == "deductive"),
        "inductive": sum(1 for c in codes if c["origin"] == "inductive"),
        "changes_since_coding_began": sum(1 for h in history if first_coding and
                                          h["at"] > first_coding),
    }
    final = coding_rows.final_count(conn)
    accepted = coding_rows.final_from_suggestions(conn)
    facts["codings"] = {"final": final, "from_suggestions": accepted,
                        "from_suggestions_share": round(100 * accepted / final, 1)
                        if final else None}
    facts["saturation"] = saturation(project)[0].to_json()
    return facts
