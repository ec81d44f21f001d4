"""The tool opens no sockets: the main workflows run with socket creation forbidden."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

GUARD = r"""
import socket, sys
def refuse(*args, **kwargs):
    raise RuntimeError("qual-coder tried to use the network")
# Every way out: connecting, listening, sending, and name lookups.
for name in ("connect", "connect_ex", "bind", "sendto", "listen"):
    setattr(socket.socket, name, refuse)
socket.create_connection = refuse
socket.getaddrinfo = refuse
socket.gethostbyname = refuse
from qual_coder.cli import cli
for args in [
    ["demo", sys.argv[1]],
    ["transcripts", sys.argv[1], "--json"],
    ["code", sys.argv[1], "northmoor_school_lead_interview", "--quote", "The first day was tense.",
     "--code", "clarity_roles"],
    ["matrix", sys.argv[1], "--measure", "percent"],
    ["framework", sys.argv[1], "--theme", "implementation", "-o", sys.argv[2] + "/f.xlsx"],
    ["quotes", sys.argv[1], "--code", "networking", "--search", "voluntary"],
    ["cascade", "table", sys.argv[1]],
    ["survey", "summary", sys.argv[1]],
    ["triangulate", sys.argv[1], "-o", sys.argv[2] + "/j.html"],
    ["report", sys.argv[1], "-o", sys.argv[2] + "/r.docx"],
    ["codebook", "export", sys.argv[1], sys.argv[2] + "/all.qdc"],
    ["backup", sys.argv[1]],
    ["suggest", sys.argv[1], "northmoor_mixed_focus_group", "--json"],
    ["autocode", sys.argv[1], "--transcripts", "kelsey_vale_ep_interview"],
    ["discover", sys.argv[1], "--json"],
    ["agreement", sys.argv[1], "--coders", "ana", "ben"],
    ["export", sys.argv[1], sys.argv[2] + "/p.qdpx"],
]:
    try:
        cli(args, standalone_mode=False)
    except SystemExit as exit:
        if exit.code:
            raise
print("NO-SOCKET-OK")
"""


def test_main_workflows_open_no_sockets(tmp_path):
    result = subprocess.run([sys.executable, "-c", GUARD, str(tmp_path / "demo.db"),
                             str(tmp_path)], capture_output=True, text=True, cwd=REPO,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "NO-SOCKET-OK" in result.stdout
