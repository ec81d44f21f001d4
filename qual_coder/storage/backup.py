"""Backups with SQLite's online backup API: consistent even while another process (the
workbench) has the project open and is writing."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

from ..errors import ProjectError
from .project import open_project

DEFAULT_KEEP = 5


def backup_dir(project_path: Path) -> Path:
    return project_path.with_name(project_path.name + ".backups")


def backup(project_path: str | Path, dest: str | Path | None = None) -> Path:
    """Copy the project to `dest` (a file or folder; default: PROJECT.backups/)."""
    project_path = Path(project_path)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    into_folder = dest is None or Path(dest).is_dir() or Path(dest).suffix == ""
    dest = Path(dest) if dest is not None else backup_dir(project_path)
    if into_folder:
        dest.mkdir(parents=True, exist_ok=True)
        os.chmod(dest, 0o700)
        dest = dest / f"{project_path.stem}-{stamp}.db"
    if dest.exists():
        raise ProjectError(f"{dest}: exists already; choose another name")
    with open_project(project_path) as project:
        fd = os.open(dest, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        target = sqlite3.connect(dest)
        try:
            project.conn.backup(target)
        finally:
            target.close()
    return dest


def rotate(project_path: str | Path, keep: int = DEFAULT_KEEP) -> Path | None:
    """An automatic backup on opening, keeping the newest `keep` (0 turns them off)."""
    project_path = Path(project_path)
    if keep <= 0:
        return None
    made = backup(project_path)
    old = sorted(backup_dir(project_path).glob(f"{project_path.stem}-*.db"))
    for path in old[:-keep]:
        path.unlink()
    return made


def restore(project_path: str | Path, backup_path: str | Path) -> Path:
    """Put a backup's contents into the project; the current state is backed up first."""
    project_path, backup_path = Path(project_path), Path(backup_path)
    with open_project(backup_path) as source:
        ok = source.conn.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            raise ProjectError(f"{backup_path}: fails SQLite's integrity check ({ok}); "
                               "choose another backup")
        safety = backup(project_path)
        with open_project(project_path) as project:
            source.conn.backup(project.conn)
    return safety
