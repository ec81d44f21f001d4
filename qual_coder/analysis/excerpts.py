"""Excerpts with who said them: the long table every matrix is built from.

An excerpt (a coding) counts for the participant(s) whose turns it covers;
interviewer and facilitator turns are left out unless asked for, so a coding
that covers only the interviewer's question counts for no one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from ..core.transcripts import count_words
from ..storage import Project, frames, transcript_rows

if TYPE_CHECKING:
    import pandas as pd


def participant_table(project: Project) -> pd.DataFrame:
    """One row per participant: id, name, stakeholder_type, role, is_interviewer, and
    their free attributes as columns."""
    df = frames.participants(project.conn)
    return _with_attributes(df, frames.attributes(project.conn, "participant",
                                                  "participant_id"), "participant_id")


def _with_attributes(df: pd.DataFrame, attrs: pd.DataFrame, id_column: str) -> pd.DataFrame:
    """`df` with the free attributes in `attrs` (long: id, name, value), one column each."""
    if attrs.empty:
        return df
    wide = attrs.pivot(index=id_column, columns="name", values="value").reset_index()
    return df.merge(wide, on=id_column, how="left")


def transcript_table(project: Project) -> pd.DataFrame:
    conn = project.conn
    df = _with_attributes(frames.transcripts(conn),
                          frames.attributes(conn, "transcript", "transcript_id"),
                          "transcript_id")
    # A site's CASCADE ratings as attributes (cascade.<domain>.<workshop>), so any matrix
    # can be cut by them: areas are matched to sites by name.
    from ..core.cascade import LEVELS
    from ..storage.rating_rows import site_ratings

    for (site, workshop, domain), rating in site_ratings(conn).items():
        col = f"cascade.{domain}.{workshop}"
        if col not in df.columns:
            df[col] = None
        df.loc[df["site"] == site, col] = LEVELS[rating]
    return df


def _clustered(codings: pd.DataFrame) -> pd.DataFrame:
    """Codings sorted, with `cluster`: the same number for overlapping codings of one code
    in one transcript (touching spans stay apart)."""
    c = codings.sort_values(["transcript_id", "code_id", "start", "end"], kind="stable")
    same = (c["transcript_id"].eq(c["transcript_id"].shift())
            & c["code_id"].eq(c["code_id"].shift()))
    reach = c.groupby(["transcript_id", "code_id"], sort=False)["end"].cummax().shift()
    return c.assign(cluster=(~same | (c["start"] >= reach)).cumsum())


def _said_texts(texts: dict[int, str], turns: pd.DataFrame) -> dict[int, str]:
    """Each transcript's text with everything outside its turns blanked (same length)."""
    out = {}
    for key, group in turns.groupby("transcript_id"):
        tid = cast(int, key)
        text = texts[tid]
        parts, at = [], 0
        for a, b in sorted(zip(group["t_start"], group["t_end"])):
            if a > at:
                parts.append(" " * (a - at))
            if b > max(a, at):
                parts.append(text[max(a, at):b])
            at = max(at, b)
        parts.append(" " * (len(text) - at))
        out[int(tid)] = "".join(parts)
    for tid, text in texts.items():
        out.setdefault(tid, text)
    return out


def passages(codings: pd.DataFrame) -> pd.DataFrame:
    """Overlapping codings of one code in one transcript as one passage: the union of
    their spans, under the lowest coding id."""
    if codings.empty:
        return codings
    merged = _clustered(codings).groupby("cluster", sort=False).agg(
        coding_id=("coding_id", "min"), code_id=("code_id", "first"),
        transcript_id=("transcript_id", "first"), start=("start", "min"), end=("end", "max"))
    return merged.reset_index(drop=True)


def excerpt_links(project: Project, include_interviewer: bool = False,
                  status: str = "final", with_words: bool = False,
                  coders: list[str] | None = None, merge_coders: bool = True) -> pd.DataFrame:
    """One row per (excerpt, participant it is attributed to): coding_id, code,
    transcript_id, participant_id, start, end (and words, when asked).

    An excerpt is a passage coded with a code: overlapping codings of one code by
    different coders are one excerpt (its span their union, its id the lowest coding
    id), so a double-coded transcript is not counted twice. `merge_coders=False` keeps
    each coding apart; `coders` keeps only those coders' codings.

    The turn each excerpt starts in is found for all at once (merge_asof); only those
    that run past their first turn are followed turn by turn.
    """
    import pandas as pd

    conn = project.conn
    codings = frames.codings(conn, status)
    if coders is not None:
        wanted = [c.casefold() for c in coders]
        coder_of = frames.coder_of_codings(conn, status)
        codings = codings[codings["coding_id"].map(coder_of).str.casefold().isin(wanted)]
    if merge_coders:
        codings = passages(codings)
    keys = frames.code_keys(conn)
    codings["code"] = codings["code_id"].map(keys)  # a Series map is vectorised; a dict's isn't
    speaker_of = frames.speaker_people(conn)
    turns = frames.turns(conn)
    turns["participant_id"] = turns["speaker_id"].map(
        pd.Series({sid: v[0] for sid, v in speaker_of.items()}, dtype="float64"))
    turns["is_interviewer"] = turns["speaker_id"].map(
        pd.Series({sid: v[1] for sid, v in speaker_of.items()}, dtype="float64")).fillna(0)
    columns = ["coding_id", "code", "transcript_id", "participant_id", "start", "end"]
    if codings.empty or turns.empty:
        out = pd.DataFrame(columns=columns + (["words"] if with_words else []))
        return out.astype({"coding_id": int, "transcript_id": int, "start": int, "end": int})
    turns = turns.sort_values("t_start", kind="stable")
    first = pd.merge_asof(codings.sort_values("start"), turns, left_on="start",
                          right_on="t_start", by="transcript_id", direction="backward")
    links = [first[first["t_end"] > first["start"]]]
    spill = first[first["end"] > first["t_end"]]
    if not spill.empty:
        # Codings that run into later turns (a focus-group exchange): walk those turns.
        by_transcript = {tid: g.to_numpy() for tid, g in turns.groupby("transcript_id")[
            ["t_start", "t_end", "participant_id", "is_interviewer"]]}
        extra = []
        row: Any  # a row's fields are the frame's columns
        for row in spill.itertuples(index=False):
            for t_start, t_end, pid, interviewer in by_transcript[row.transcript_id]:
                if t_start >= row.end:
                    break
                if t_start > row.start and t_end > row.start:
                    extra.append((row.coding_id, row.code, row.transcript_id, row.start,
                                  row.end, t_start, t_end, pid, interviewer))
        links.append(pd.DataFrame(extra, columns=["coding_id", "code", "transcript_id",
                                                  "start", "end", "t_start", "t_end",
                                                  "participant_id", "is_interviewer"]))
    out = pd.concat(links, ignore_index=True)
    out = out[out["participant_id"].notna()]
    if not include_interviewer:
        out = out[out["is_interviewer"] == 0]
    out = out[columns].drop_duplicates(["coding_id", "participant_id"])
    out["participant_id"] = out["participant_id"].astype(int)
    if with_words:
        # Words said: only what lies inside turns counts (not the speaker labels between
        # them, which a coding over several turns spans), without stage directions.
        said = _said_texts(transcript_rows.texts_by(conn), turns)
        out["words"] = [count_words(said[t][a:b]) for t, a, b in
                        zip(out["transcript_id"], out["start"], out["end"])]
    return out.reset_index(drop=True)
