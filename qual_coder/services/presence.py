"""Who is working on the project now: each workbench (in a terminal or served to a
browser) says which transcript it has open and refreshes that every HEARTBEAT seconds;
`qual-coder serve --status` and the workbench's status line read it. Rows of processes
that died without saying goodbye stop counting after STALE seconds."""

from __future__ import annotations

import datetime as dt
import os
import socket

from ..storage import Project, presence_rows, utcnow
from ..storage.presence_rows import Presence
from ..storage.project import DatabaseError, ProjectBusy

HEARTBEAT = 20
STALE = 3 * HEARTBEAT

__all__ = ["HEARTBEAT", "STALE", "Presence", "announce", "leave", "active", "others_on"]


def _me() -> tuple[str, int]:
    return socket.gethostname(), os.getpid()


def _cutoff(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.timezone.utc)
    return (now - dt.timedelta(seconds=STALE)).isoformat(timespec="seconds")


def announce(project: Project, coder: str, transcript_id: int | None, served: bool) -> bool:
    """This workbench is open (on `transcript_id`); call again to stay counted. Never
    waits: while another program writes (a long import), the beat is skipped (False)."""
    try:
        with project.transaction_if_free():
            presence_rows.touch(project.conn, *_me(), coder, transcript_id, served, utcnow())
    except ProjectBusy:
        return False
    return True


def leave(project: Project) -> None:
    with project.transaction():
        presence_rows.leave(project.conn, *_me())


def active(project: Project, now: dt.datetime | None = None) -> list[Presence]:
    """Workbenches seen within STALE seconds of `now` (older rows are removed)."""
    cutoff = _cutoff(now)
    with project.transaction():
        presence_rows.forget_before(project.conn, cutoff)
        return presence_rows.active(project.conn, cutoff)


def others_on(project: Project, transcript_id: int, coder: str) -> list[str]:
    """Other coders with this transcript open now (none said while SQLite refuses the
    read: presence is a courtesy, and the next beat asks again)."""
    try:
        seen = presence_rows.active(project.conn, _cutoff())
    except DatabaseError:
        return []
    return sorted({p.coder for p in seen if p.transcript_id == transcript_id
                   and p.coder != coder})
