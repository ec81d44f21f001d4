"""Shared projects lose nothing: a workbench open beside other commands and writers,
concurrent re-imports, restore and backup around a live project, files SQLite may not
write. Real processes on real files; each test failed before its fix."""

from __future__ import annotations

import ast
import os
import resource
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from qual_coder import services
from qual_coder.errors import ProjectError
from qual_coder.storage import open_project
from qual_coder.storage.backup_files import backup, restore
from qual_coder.storage.location import holders, network_location

from .test_backup_and_crash import WORKER, covered

PACKAGE = Path(__file__).resolve().parents[2] / "qual_coder"
QUAL_CODER = Path(sys.executable).with_name("qual-coder")
WORKBENCH = Path(__file__).with_name("workbench_worker.py")


def count(path, coder: str) -> int:
    """Codings by `coder`, as a separate process sees them."""
    out = subprocess.run(
        [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
         "print(c.execute('SELECT COUNT(*) FROM codings WHERE coder = ?', [sys.argv[2]])"
         ".fetchone()[0])", str(path), coder], capture_output=True, text=True, check=True)
    return int(out.stdout)


# -- the rule: the project file is opened by SQLite only ---------------------------------

# Reads and writes by path that are allowed, and why. Everything else that opens files in
# the package must be reviewed and listed here.
ALLOWED = {
    ("storage/project.py", "init_project"): "creates the new file (O_EXCL) before any connection",
    ("storage/backup_files.py", "backup"): "creates the backup's new file (O_EXCL), not the "
                                          "project",
    ("storage/rewrite.py", "vacuum_into"): "creates the copy's new file (O_EXCL, 0600) for "
                                           "VACUUM INTO, not the project",
    ("storage/location.py", "network_location"): "reads /proc/self/mountinfo",
    ("storage/location.py", "holders"): "reads /proc/<pid>/cmdline",
}
OPENERS = {"open", "read_bytes", "read_text", "write_bytes", "write_text", "copy", "copyfile",
           "copy2", "move"}


def test_storage_never_opens_a_file_by_path_except_where_listed():
    """storage/ holds the connections; nothing in it may open a file by path (the
    header check used to, and every other process could then delete our WAL)."""
    found = set()
    for module in (PACKAGE / "storage").glob("*.py"):
        tree = ast.parse(module.read_text())
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef):
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.Call):
                    name = getattr(node.func, "attr", getattr(node.func, "id", None))
                    if name in OPENERS:
                        found.add((f"storage/{module.name}", fn.name))
    assert found <= set(ALLOWED), f"new file access in storage/: {found - set(ALLOWED)}"


def test_the_project_file_is_refused_as_an_input_or_output(project_path, run):
    for args in (("import", project_path, project_path),
                 ("export", project_path, project_path.with_name(project_path.name + "-wal")),
                 ("codebook", "load", project_path, project_path)):
        result = run(*args)
        assert result.exit_code == 1 and "the project file itself" in result.output, args


def _wal_deleted() -> list[str]:
    links = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            links.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            pass
    return [x for x in links if "-wal" in x and "(deleted)" in x]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_opening_the_project_again_in_process_keeps_our_locks(demo_path):
    """What the workbench does (auto backup, worker connections) beside a `summary` run by
    another process: the WAL must stay ours, and our codings visible to others."""
    live = open_project(demo_path)
    try:
        open_project(demo_path).close()
        backup(demo_path, demo_path.with_name("b.db"))
        subprocess.run([QUAL_CODER, "summary", demo_path], capture_output=True, check=True)
        services.add_coding(live, 1, "clarity_roles", 20, 40, coder="live")
        assert _wal_deleted() == []
        assert count(demo_path, "live") == 1
    finally:
        live.close()


# -- the real workbench beside other commands ---------------------------------------------

def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True).stdout


def _wait(session: str, needle: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if needle in _tmux("capture-pane", "-pt", session):
            return
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} never appeared:\n{_tmux('capture-pane', '-pt', session)}")


def _poll(fn, want, timeout: float = 10):
    deadline = time.monotonic() + timeout
    got = fn()
    while got != want and time.monotonic() < deadline:
        time.sleep(0.2)
        got = fn()
    return got


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_workbench_beside_summary_then_kill_9(demo_path):
    session = f"qc-{uuid.uuid4().hex[:8]}"
    coder = "tmuxer"
    command = (f"env -u COLUMNS -u LINES QUAL_CODER_CODER={coder} TERM=xterm-256color "
               f"{QUAL_CODER} {demo_path}")
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40",
                    command], check=True)
    try:
        _wait(session, "Transcripts")
        pid = int(_tmux("display", "-p", "-t", session, "#{pane_pid}").strip())
        for key in ("}", "}", "v", "c"):
            _tmux("send-keys", "-t", session, key)
            time.sleep(0.15)
        _wait(session, "Code the selection")
        _tmux("send-keys", "-t", session, "referral", "Enter")
        assert _poll(lambda: count(demo_path, coder), 1) == 1
        # Another command opens and closes the project while the workbench is open...
        subprocess.run([QUAL_CODER, "summary", demo_path], capture_output=True, check=True)
        subprocess.run([QUAL_CODER, "codings", demo_path, "--json"], capture_output=True,
                       check=True)
        for key in ("}", "}", "}", "v", "r"):
            _tmux("send-keys", "-t", session, key)
            time.sleep(0.15)
        # ...and a third process still sees what the workbench saves after that.
        assert _poll(lambda: count(demo_path, coder), 2) == 2
        os.kill(pid, signal.SIGKILL)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    assert count(demo_path, coder) == 2
    with sqlite3.connect(demo_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _collect(proc, into: list) -> None:
    for line in proc.stdout:
        if line.endswith("\n") and len(line.split()) == 2 and line.split()[0].isdigit():
            into.append(tuple(int(x) for x in line.split()))


@pytest.mark.slow
def test_two_workbenches_two_writers_and_an_opener_then_kill_all(demo_path):
    """Two workbench processes coding by keys, two CLI-style writers, and a process that
    opens and closes the project over and over; then SIGKILL all of them at once: every
    coding any of them acknowledged is in the file, and the file is sound."""
    seconds = float(os.environ.get("QC_SHARED_SECONDS", "12"))
    procs, acks, readers = [], {}, []
    with open_project(demo_path) as p:
        tid, length = p.conn.execute(
            "SELECT id, length(text) FROM transcripts ORDER BY length(text) DESC").fetchone()
    for coder in ("wb1", "wb2"):
        procs.append((coder, subprocess.Popen(
            [sys.executable, WORKBENCH, demo_path, coder], stdout=subprocess.PIPE, text=True)))
    for coder, spacing in (("cli1", 37), ("cli2", 41)):
        procs.append((coder, subprocess.Popen(
            [sys.executable, "-c", WORKER, demo_path, str(tid), "100000", coder, str(spacing)],
            stdout=subprocess.PIPE, text=True)))
    opener = subprocess.Popen([sys.executable, "-c", (
        "import sys\nfrom qual_coder.storage import open_project\nwhile True:\n"
        "    p = open_project(sys.argv[1]); p.conn.execute('SELECT COUNT(*) FROM codings')"
        ".fetchone(); p.close()"), demo_path])
    for coder, proc in procs:
        acks[coder] = []
        t = threading.Thread(target=_collect, args=(proc, acks[coder]), daemon=True)
        t.start()
        readers.append(t)
    # The run is timed from when every writer has saved something: under a loaded test
    # machine a workbench can take seconds to start, and the kill must find all at work.
    deadline = time.monotonic() + 60
    while not all(acks[c] for c in acks) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(seconds)
    for _, proc in procs:
        proc.send_signal(signal.SIGKILL)
    opener.send_signal(signal.SIGKILL)
    for _, proc in procs:
        proc.wait()
    opener.wait()
    for t in readers:
        t.join(timeout=5)
    with open_project(demo_path) as p:
        assert p.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        lost = {}
        for coder, spans_acked in acks.items():
            spans = sorted(p.conn.execute('SELECT start, "end" FROM codings WHERE coder = ?',
                                          [coder]).fetchall())
            if coder.startswith("cli"):  # the CLI worker prints "id start", spans of 10
                spans_acked = [(s, s + 10) for _, s in spans_acked]
            lost[coder] = [a for a in spans_acked if not covered(spans, *a)]
    assert all(acks[c] for c in acks), {c: len(a) for c, a in acks.items()}
    assert lost == {c: [] for c in acks}


# -- re-imports at once -------------------------------------------------------------------

def test_two_reimports_at_once_keep_every_coding_on_its_words(demo_path, tmp_path):
    with open_project(demo_path) as p:
        name, text = p.conn.execute(
            "SELECT name, text FROM transcripts WHERE format = 'text' ORDER BY id").fetchone()
        source = p.conn.execute("SELECT source_file FROM transcripts WHERE name = ?",
                                [name]).fetchone()[0]
        quotes = {gid: text[s:e] for gid, s, e in p.conn.execute(
            'SELECT g.id, g.start, g."end" FROM codings g JOIN transcripts t ON '
            "t.id = g.transcript_id WHERE t.name = ?", [name])}
    original = (Path(__file__).parents[2] / "transcripts" / source).read_text()
    a, b = tmp_path / "a" / source, tmp_path / "b" / source
    a.parent.mkdir(), b.parent.mkdir()
    # Two different corrections, each adding text near the top (every offset shifts).
    first_line = original.splitlines(keepends=True)[0]
    a.write_text(first_line + "[Recording resumed after a short break.]\n\n"
                 + original[len(first_line):])
    b.write_text(first_line + "[Transcriber's note: names changed.]\n\n"
                 + original[len(first_line):])
    procs = [subprocess.Popen([QUAL_CODER, "reimport", demo_path, name, f],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for f in (a, b)]
    outs = [proc.communicate() for proc in procs]
    assert all(proc.returncode == 0 for proc in procs), outs
    with open_project(demo_path) as p:
        text = p.conn.execute("SELECT text FROM transcripts WHERE name = ?", [name]).fetchone()[0]
        now = {gid: text[s:e] for gid, s, e in p.conn.execute(
            'SELECT id, start, "end" FROM codings WHERE id IN (%s)' % ",".join(
                map(str, quotes)))}
    assert now == quotes


def test_a_workbench_cannot_code_a_transcript_reimported_under_it(demo_path, tmp_path):
    from qual_coder.errors import QualCoderError
    from qual_coder.services import reading

    with open_project(demo_path) as p:
        doc = reading.load_doc(p, 1)
        source = p.conn.execute("SELECT source_file FROM transcripts WHERE id = 1").fetchone()[0]
    edited = tmp_path / source
    original = Path(__file__).parents[2] / "transcripts" / source
    data = original.read_bytes()
    edited.write_bytes(data.replace(b"\n", b"\n\n", 1) if b"\n" in data else data + b" ")
    with open_project(demo_path) as p:
        services.reimport_transcript(p, 1, edited)
        with pytest.raises(QualCoderError, match="re-imported by another program"):
            services.add_coding(p, 1, "clarity_roles", 0, 10, coder="x", text_sha=doc.sha256)


def test_fuzzy_reanchoring_lands_on_whole_words(demo_path, tmp_path, run):
    """The issue's case: "workshop" -> "training day" throughout one focus group."""
    source = Path(__file__).parents[2] / "transcripts" / "northmoor_mixed_focus_group.txt"
    edited = tmp_path / source.name
    edited.write_text(source.read_text().replace("workshop", "training day"))
    result = run("reimport", demo_path, "northmoor_mixed_focus_group", edited)
    assert result.exit_code == 0, result.output
    assert "was: ‘" in result.output and "now: ‘" in result.output  # side by side

    def word(ch):
        return ch.isalnum() or ch in "'’"
    with open_project(demo_path) as p:
        tid, text = p.conn.execute(
            "SELECT id, text FROM transcripts WHERE name = 'northmoor_mixed_focus_group'"
        ).fetchone()
        spans = p.conn.execute('SELECT start, "end" FROM codings WHERE transcript_id = ?',
                               [tid]).fetchall()
    cut = [text[max(0, s - 5):e + 5] for s, e in spans
           if (s > 0 and word(text[s - 1]) and word(text[s]))
           or (e < len(text) and word(text[e - 1]) and word(text[e]))]
    assert spans and cut == []


# -- restore, backup, files SQLite may not write ---------------------------------------------

HOLD = ("import sys, time\nfrom qual_coder.storage import open_project\n"
        "p = open_project(sys.argv[1]); print('open', flush=True); time.sleep(60)")


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_restore_refuses_while_another_process_has_the_project_open(demo_path, tmp_path, run):
    copy = backup(demo_path, tmp_path / "copy.db")
    holder = subprocess.Popen([sys.executable, "-c", HOLD, demo_path], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        assert [pid for pid, _ in holders(demo_path)] == [holder.pid]
        result = run("restore", demo_path, copy)
        assert result.exit_code == 1
        assert f"pid {holder.pid}" in result.output and "--force" in result.output
        assert run("restore", demo_path, copy, "--force").exit_code == 0
    finally:
        holder.kill()
        holder.wait()
    with pytest.raises(ProjectError):  # the message names the file
        restore(demo_path, tmp_path / "missing.db")


def test_backup_changes_the_mode_only_of_a_folder_it_made(demo_path, tmp_path, run):
    mine = tmp_path / "shared-folder"
    mine.mkdir(mode=0o755)
    os.chmod(mine, 0o755)
    assert run("backup", demo_path, mine).exit_code == 0
    assert stat.S_IMODE(mine.stat().st_mode) == 0o755
    made = tmp_path / "new-backups"
    assert run("backup", demo_path, made).exit_code == 0
    assert stat.S_IMODE(made.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in (*mine.iterdir(),
                                                                  *made.iterdir()))


def _read_only(*paths: Path) -> bool:
    """Make files and folders unwritable, even for root (which ignores file modes: the
    immutable attribute stops it). False where that cannot be done here."""
    for path in paths:
        os.chmod(path, 0o555 if path.is_dir() else 0o444)
    if os.geteuid() != 0:
        return True
    return all(subprocess.run(["chattr", "+i", path], capture_output=True).returncode == 0
               for path in paths) if shutil.which("chattr") else False


def test_a_read_only_project_gives_one_line_not_a_traceback(demo_path, tmp_path):
    folder = tmp_path / "readonly"
    folder.mkdir()
    path = folder / "study.db"
    shutil.copy(demo_path, path)
    try:
        if not _read_only(path, folder):
            pytest.skip("cannot make a file read-only for root here (no chattr)")
        for args in (("code", path, "1", "--code", "clarity_roles", "--start", "0", "--end", "10"),
                     ("summary", path)):
            result = subprocess.run([QUAL_CODER, *args], capture_output=True, text=True)
            assert result.returncode == 1, result.stderr
            assert "Traceback" not in result.stderr
            assert result.stderr.startswith(f"error: {path}"), result.stderr
            assert len(result.stderr.strip().splitlines()) == 1
    finally:
        if shutil.which("chattr"):
            subprocess.run(["chattr", "-i", path, folder], capture_output=True)
        os.chmod(folder, 0o755)


def test_a_full_disk_gives_one_line_and_leaves_the_project_as_it_was(demo_path, tmp_path):
    big = tmp_path / "long_interview.txt"
    big.write_text("".join(f"P{i % 3}: {'a sentence of words ' * 40}\n\n" for i in range(3000)))
    with sqlite3.connect(demo_path) as conn:
        before = conn.execute("SELECT COUNT(*) FROM transcripts").fetchone()[0]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    limit = demo_path.stat().st_size + 64 * 1024

    def small_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    result = subprocess.run([QUAL_CODER, "import", demo_path, big], capture_output=True,
                            text=True, preexec_fn=small_disk)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and result.stderr.startswith("error: ")
    assert "space" in result.stderr
    with sqlite3.connect(demo_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM transcripts").fetchone()[0] == before


# -- network drives -------------------------------------------------------------------------

MOUNTINFO = """\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
40 22 0:35 / /mnt/team rw,relatime shared:20 - nfs4 server:/export rw,vers=4.2
41 22 0:36 / /home/ana/uni\\040share rw - cifs //fs/share rw
"""


def test_network_file_systems_and_sync_folders_are_named():
    assert network_location("/home/ana/study.db", MOUNTINFO) is None
    nfs = network_location("/mnt/team/study/study.db", MOUNTINFO)
    assert nfs and "nfs4 at /mnt/team" in nfs and "qual-coder merge" in nfs
    assert "cifs" in network_location("/home/ana/uni share/s.db", MOUNTINFO)
    assert "(Dropbox)" in network_location("/home/ana/Dropbox/study.db", MOUNTINFO)
    assert "OneDrive - Uni" in network_location("/home/ana/OneDrive - Uni/a/s.db", MOUNTINFO)


def test_a_project_in_a_sync_folder_warns_on_the_command_line(tmp_path):
    folder = tmp_path / "Dropbox"
    folder.mkdir()
    result = subprocess.run([QUAL_CODER, "init", folder / "s.db"], capture_output=True,
                            text=True)
    assert result.returncode == 0
    assert "warning:" in result.stderr and "sync client" in result.stderr
