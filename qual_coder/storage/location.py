"""Where a project lives: SQLite's write-ahead log needs a local disk.

WAL shares its index through shared memory and relies on POSIX locks that network file
systems (NFS, SMB/CIFS, sshfs) and sync clients (Dropbox, OneDrive, iCloud) do not honour
between machines; two computers writing one file through them can lose codings or corrupt
it (sqlite.org/wal.html, "WAL does not work over a network filesystem"). We cannot make
that safe, so we say so when such a project is opened.
"""

from __future__ import annotations

import os
from pathlib import Path

# File-system types (as /proc/self/mountinfo names them) that reach another machine.
NETWORK_FS = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "sshfs", "fuse.sshfs", "9p",
    "afs", "ncpfs", "davfs", "fuse.davfs2", "glusterfs", "fuse.glusterfs", "ceph",
    "fuse.ceph", "lustre", "fuse.rclone", "fuse.s3fs", "fuse.gcsfuse", "fuse.goofys",
    "fuse.onedriver", "fuse.gvfsd-fuse", "fuse.smbnetfs", "vboxsf", "prl_fs", "vmhgfs",
    "fuse.vmhgfs-fuse", "gpfs", "beegfs", "orangefs", "fuse.juicefs", "fuse.mfs",
})

# Folders that desktop sync clients own: a project inside one is copied between machines
# file by file, its -wal and -shm separately, whenever the client gets round to it.
CLOUD_FOLDERS = ("dropbox", "onedrive", "google drive", "googledrive", "my drive",
                 "icloud drive", "mobile documents", "cloudstorage", "box sync", "nextcloud",
                 "owncloud", "pcloud drive", "pclouddrive", "mega", "seafile", "sync.com",
                 "syncthing", "tresorit")

TEAM_ADVICE = ("keep the project on a local disk: give each coder a copy and combine them "
               "with `qual-coder merge` (README: Working as a team)")


def _mount_of(path: Path, mountinfo: str) -> tuple[str, str] | None:
    """The (mount point, fs type) holding `path`, from /proc/self/mountinfo's text."""
    best: tuple[str, str] | None = None
    target = str(path)
    for line in mountinfo.splitlines():
        left, sep, right = line.partition(" - ")
        fields = left.split()
        if not sep or len(fields) < 5:
            continue
        point = fields[4].replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\")
        fstype = right.split()[0] if right.split() else ""
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) >= len(best[0])):
            best = (point, fstype)
    return best


def network_location(path: str | Path, mountinfo: str | None = None) -> str | None:
    """A sentence saying why `path` is not a safe place for a project, or None.

    `mountinfo` is the text of /proc/self/mountinfo (read when not given, Linux only)."""
    path = Path(os.path.abspath(path))
    try:
        path = path.resolve()
    except OSError:
        pass
    text = str(path)
    if text.startswith("\\\\") or text.startswith("//"):
        return f"{path} is on a network share; {TEAM_ADVICE}"
    if mountinfo is None:
        try:
            mountinfo = Path("/proc/self/mountinfo").read_text(errors="replace")
        except OSError:
            mountinfo = ""
    mount = _mount_of(path, mountinfo) if mountinfo else None
    if mount and mount[1].lower() in NETWORK_FS:
        return (f"{path} is on a network file system ({mount[1]} at {mount[0]}), where "
                f"SQLite's write-ahead log is not safe; {TEAM_ADVICE}")
    for part in path.parent.parts:
        low = part.lower()
        if any(low == name or low.startswith(name + " -") or low.startswith(name + "-")
               for name in CLOUD_FOLDERS):
            return (f"{path} is in a folder a sync client copies between machines ({part}), "
                    f"which can lose or corrupt the project's changes; {TEAM_ADVICE}")
    return None


def holders(path: str | Path) -> list[tuple[int, str]] | None:
    """Other processes that have the project (or its -wal/-shm) open, as (pid, command).

    Read from /proc/<pid>/fd links, which names files without opening them; None where
    there is no /proc to read (macOS, Windows), so callers can say they could not tell."""
    proc = Path("/proc")
    if not (proc / "self" / "fd").is_dir():
        return None
    target = os.path.realpath(path)
    names = {target, target + "-wal", target + "-shm"}
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            links = {os.readlink(fd) for fd in (entry / "fd").iterdir()}
        except OSError:  # gone, or not ours to look at
            continue
        if links & names:
            try:
                cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(
                    errors="replace").strip()
            except OSError:
                cmd = "?"
            found.append((int(entry.name), cmd or "?"))
    return sorted(found)
