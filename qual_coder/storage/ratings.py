"""CASCADE ratings as stored, read for the analyses that cut by them."""

from __future__ import annotations

import sqlite3


def site_ratings(conn: sqlite3.Connection) -> dict[tuple[str, str, str], int]:
    """(site as named in transcripts, workshop, domain) -> rating, areas matched to sites
    by name, ignoring case and spacing."""
    sites = {" ".join(s.lower().split()): s for (s,) in conn.execute(
        "SELECT DISTINCT site FROM transcripts WHERE site IS NOT NULL")}
    out = {}
    for area, workshop, domain, rating in conn.execute(
            "SELECT area, workshop, domain, rating FROM cascade_ratings"):
        site = sites.get(" ".join(area.lower().split()))
        if site:
            out[(site, workshop, domain)] = rating
    return out
