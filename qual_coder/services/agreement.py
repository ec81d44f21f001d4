"""Settling a disagreement between coders: keep one coder's version, keep both, or
merge them. One action each, undoable like any coding action."""

from __future__ import annotations

import uuid

from ..analysis.agreement import Cluster, disagreements
from ..errors import QualCoderError
from ..storage import Project, action_rows, code_rows, coding_rows, utcnow
from .codings import default_coder

DECISIONS = ("keep", "both", "merge")


def resolve(project: Project, coders: list[str], cluster: Cluster, decision: str,
            keep: str | None = None, by: str | None = None) -> str:
    """`keep` makes every coder's codings in the cluster equal to `keep`'s; `merge` gives
    every coder the union of all versions; `both` leaves the codings and remembers the
    decision. Returns a one-line description of what changed."""
    by = by or default_coder(project)
    now = utcnow()
    if decision not in DECISIONS:
        raise QualCoderError(f"decide one of {', '.join(DECISIONS)}, not '{decision}'")
    with project.transaction():
        conn = project.conn
        if decision == "both":
            coding_rows.record_resolution(conn, cluster.transcript_id, cluster.code,
                                          cluster.start, cluster.end, coders, "both", by, now)
            return f"kept both versions of {cluster.code} in {cluster.transcript}"
        if decision == "keep":
            if keep not in cluster.versions:
                raise QualCoderError(f"keep whose version? one of {', '.join(cluster.versions)}")
            target = cluster.versions[keep]
        else:
            target = [(cluster.start, cluster.end)]
        # The kept coder's own codings stay as they are (with their memos).
        changing = [c for c in coders if decision == "merge" or c != keep]
        code_id = code_rows.code(conn, cluster.code)["id"]
        ids = coding_rows.final_ids_within(conn, cluster.transcript_id, code_id, cluster.start,
                                           cluster.end, changing)
        before = action_rows.snapshot(conn, ids)
        for coding_id in ids:
            coding_rows.delete(conn, coding_id)
        new = [coding_rows.insert(conn, cluster.transcript_id, code_id, a, b, coder, "final",
                                  f"resolved ({decision})", str(uuid.uuid4()), now)
               for coder in changing for a, b in target]
        action_rows.record(conn, f"resolve {cluster.code}", before,
                           action_rows.snapshot(conn, new), by, now)
    what = f"{keep}'s version" if decision == "keep" else "the merged span"
    return f"{cluster.code} in {cluster.transcript}: every coder now has {what}"


def find_cluster(project: Project, coders: list[str], transcript: str, code: str,
                 start: int, unit: str = "character") -> Cluster:
    for cluster in disagreements(project, coders, [transcript], unit, [code]):
        if cluster.start <= start < cluster.end:
            return cluster
    raise QualCoderError(f"no open disagreement on {code} in {transcript} at {start}; "
                         "`qual-coder agreement PROJECT --coders ... --disagreements` lists them")
