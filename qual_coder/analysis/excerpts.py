"""Excerpts with who said them: the long table every matrix is built from.

An excerpt (a coding) counts for the participant(s) whose turns it covers;
interviewer and facilitator turns are left out unless asked for, so a coding
that covers only the interviewer's question counts for no one.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict

from ..core.transcripts import count_words
from ..storage import Project


def participant_table(project: Project):
    """One row per participant: id, name, stakeholder_type, role, is_interviewer, and
    their free attributes as columns."""
    import pandas as pd

    conn = project.conn
    df = pd.read_sql_query(
        "SELECT p.id AS participant_id, p.name AS participant, p.stakeholder_type, p.role, "
        "COALESCE(st.is_interviewer, 0) AS is_interviewer FROM participants p "
        "LEFT JOIN stakeholder_types st ON st.key = p.stakeholder_type", conn)
    attrs = pd.read_sql_query("SELECT owner_id AS participant_id, name, value FROM attributes "
                              "WHERE scope = 'participant'", conn)
    if not attrs.empty:
        wide = attrs.pivot(index="participant_id", columns="name", values="value").reset_index()
        df = df.merge(wide, on="participant_id", how="left")
    return df


def transcript_table(project: Project):
    import pandas as pd

    conn = project.conn
    df = pd.read_sql_query("SELECT id AS transcript_id, name AS transcript, site, kind, date "
                           "FROM transcripts", conn)
    attrs = pd.read_sql_query("SELECT owner_id AS transcript_id, name, value FROM attributes "
                              "WHERE scope = 'transcript'", conn)
    if not attrs.empty:
        wide = attrs.pivot(index="transcript_id", columns="name", values="value").reset_index()
        df = df.merge(wide, on="transcript_id", how="left")
    return df


def excerpt_links(project: Project, include_interviewer: bool = False,
                  status: str = "final"):
    """One row per (coding, participant it is attributed to): coding_id, code,
    transcript_id, participant_id, start, end, words."""
    import pandas as pd

    conn = project.conn
    turns: dict[int, list[tuple[int, int, int | None, bool]]] = defaultdict(list)
    for tid, start, end, pid, interviewer in conn.execute(
        """SELECT t.transcript_id, t.start, t."end", s.participant_id,
                  COALESCE(st.is_interviewer, 0)
           FROM turns t LEFT JOIN speakers s ON s.id = t.speaker_id
           LEFT JOIN participants p ON p.id = s.participant_id
           LEFT JOIN stakeholder_types st ON st.key = p.stakeholder_type
           ORDER BY t.transcript_id, t.start"""):
        turns[tid].append((start, end, pid, bool(interviewer)))
    starts = {tid: [t[0] for t in ts] for tid, ts in turns.items()}
    texts: dict[int, str] = {}
    rows = []
    for cid, key, tid, start, end in conn.execute(
        'SELECT g.id, c.key, g.transcript_id, g.start, g."end" FROM codings g '
        "JOIN codes c ON c.id = g.code_id WHERE g.status = ? ORDER BY g.transcript_id",
        [status]):
        if tid not in texts:
            texts.clear()  # one transcript's text at a time
            texts[tid] = conn.execute("SELECT text FROM transcripts WHERE id = ?",
                                      [tid]).fetchone()[0]
        words = count_words(texts[tid][start:end])
        ts, st = turns.get(tid, []), starts.get(tid, [])
        i = max(bisect_right(st, start) - 1, 0)
        seen = set()
        while i < len(ts) and ts[i][0] < end:
            t_start, t_end, pid, interviewer = ts[i]
            if t_end > start and pid is not None and pid not in seen and (
                    include_interviewer or not interviewer):
                seen.add(pid)
                rows.append((cid, key, tid, pid, start, end, words))
            i += 1
    return pd.DataFrame(rows, columns=["coding_id", "code", "transcript_id", "participant_id",
                                       "start", "end", "words"])
