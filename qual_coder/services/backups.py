"""Backups as the user asks for them: one now, the workbench's rotating set on start,
a restore that backs up the current state first. The copying is storage's (SQLite's
online backup); this is where the front ends reach it."""

from __future__ import annotations

from pathlib import Path

from ..storage import Project, backup_files


def backup_now(project_path: str | Path, dest: str | Path | None = None) -> Path:
    return backup_files.backup(project_path, dest)


def rotating_backup(project_path: str | Path, keep: str | int | None = None) -> Path | None:
    """The backup the workbench (and `serve`) takes as it opens, keeping the project's
    `backup.keep` newest (default 5; 0 turns them off)."""
    return backup_files.rotate(
        project_path, int(keep if keep not in (None, "") else backup_files.DEFAULT_KEEP))


def keep_backups(project: Project, keep: int) -> int:
    keep = max(keep, 0)
    project.set_setting("backup.keep", str(keep))
    return keep


def restore(project_path: str | Path, backup_path: str | Path, force: bool = False) -> Path:
    return backup_files.restore(project_path, backup_path, force=force)
