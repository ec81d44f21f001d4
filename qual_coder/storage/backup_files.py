"""Backups with SQLite's online backup API: consistent even while another process (the
workbench) has the project open and is writing."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

from ..errors import ProjectError
from .location import holders
from .project import open_project

DEFAULT_KEEP = 5


def backup_dir(project_path: Path) -> Path:
    return project_path.with_name(project_path.name + ".backups")


def backup(project_path: str | Path, dest: str | Path | None = None,
           model: bool = True) -> Path:
    """Copy the project to `dest` (a file or folder; default: PROJECT.backups/). Without
    `model`, the copy leaves out the trained suggestion model, which is rebuilt from the
    coding on the next suggestion (1-3 s): it is most of a small project's bytes (0.8 of
    the demo's 1.5 MB), and automatic backups would otherwise keep five of it."""
    project_path = Path(project_path)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    into_folder = dest is None or Path(dest).is_dir() or Path(dest).suffix == ""
    dest = Path(dest) if dest is not None else backup_dir(project_path)
    if into_folder:
        if not dest.exists():
            # Backups hold every transcript: a folder we make is its owner's only. A folder
            # the user named and that exists already is theirs; its mode is not ours to change.
            try:
                dest.mkdir(parents=True, mode=0o700)
                os.chmod(dest, 0o700)  # mkdir's mode is filtered by the umask
            except FileExistsError:
                pass  # another workbench on the same project made it a moment ago
        dest = dest / f"{project_path.stem}-{stamp}.db"
    if dest.exists():
        raise ProjectError(f"{dest}: exists already; choose another name")
    with open_project(project_path) as project:
        fd = os.open(dest, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        target = sqlite3.connect(dest)
        try:
            project.conn.backup(target)
            has_model = target.execute("SELECT EXISTS (SELECT 1 FROM nlp_models)").fetchone()[0]
            if not model and has_model:  # nothing to strip: no VACUUM (2 s on 200 MB)
                with target:
                    target.execute("DELETE FROM nlp_models")
                target.execute("VACUUM")  # 0.14 s for a 36 MB project
        finally:
            target.close()
    return dest


def rotate(project_path: str | Path, keep: int = DEFAULT_KEEP) -> Path | None:
    """An automatic backup on opening, keeping the newest `keep` (0 turns them off);
    without the trained model (see `backup`)."""
    project_path = Path(project_path)
    if keep <= 0:
        return None
    made = backup(project_path, model=False)
    old = sorted(backup_dir(project_path).glob(f"{project_path.stem}-*.db"))
    for path in old[:-keep]:
        # Several workbenches opening at once (a served team) rotate the same folder:
        # one may already have removed what another found.
        path.unlink(missing_ok=True)
    return made


def restore(project_path: str | Path, backup_path: str | Path, force: bool = False) -> Path:
    """Put a backup's contents into the project; the current state is backed up first.

    Refused while another process has the project open (a workbench would go on showing,
    and writing beside, what the restore replaced), unless `force`."""
    project_path, backup_path = Path(project_path), Path(backup_path)
    if not force:
        others = holders(project_path)
        if others:
            listed = "; ".join(f"pid {pid}: {cmd[:80]}" for pid, cmd in others)
            raise ProjectError(
                f"{project_path}: open in another program ({listed}); close it first, "
                "or use --force to restore anyway")
    with open_project(backup_path) as source:
        ok = source.conn.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            raise ProjectError(f"{backup_path}: fails SQLite's integrity check ({ok}); "
                               "choose another backup")
        safety = backup(project_path)
        with open_project(project_path) as project:
            source.conn.backup(project.conn)
    return safety
