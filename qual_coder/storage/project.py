"""Opening, creating and transacting on a project file.

A project is one SQLite file, opened through sqlite-utils so it stays a plain
database anyone can read with sqlite3, Datasette or pandas. WAL lets a reader
(the TUI) and a writer (a CLI import) share the file; the busy timeout makes a
second writer wait instead of failing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import sqlite3
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils

from ..errors import ProjectError
from .location import network_location
from .schema import LATEST, MIGRATIONS

# What SQLite raises (a read-only file, a full disk, a lock held too long, a damaged
# file), named here so that front ends can catch it without importing sqlite3
# (describe_error words it for the user).
DatabaseError = sqlite3.Error


class ProjectBusy(ProjectError):
    """Another program holds the write lock, and the action chose not to wait."""


BUSY_TIMEOUT_MS = 2_000  # each poll; writes retry up to WRITE_WAIT_S in all
WRITE_WAIT_S = 120


def utcnow() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def database(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """sqlite-utils over a project's own connection, for single-row inserts and updates
    by column name and for schema inspection. Its writes run inside our transactions
    (sqlite-utils nests them as savepoints), no plugins are loaded, and SQLite's
    recursive_triggers stays off as the schema expects. Bulk inserts (turns, sentences,
    codings) stay on executemany: insert_all costs 4.3x as much per row, 6.8 µs against
    1.6 µs (bench/sqlite_utils_cost.py)."""
    import sqlite_utils

    return sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)


def insert_row(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> int:
    """Insert one row (columns by name); returns its id."""
    return int(database(conn).table(table).insert(row).last_pk or 0)


def update_row(conn: sqlite3.Connection, table: str, row_id: int, values: dict[str, Any]) -> None:
    """Set columns of the row with id `row_id` (NotFoundError if there is none)."""
    database(conn).table(table).update(row_id, values)


class Project:
    """An open project file. Use as a context manager, or call close().

    `conn` is the sqlite3 connection every query goes through; `db` wraps it in
    sqlite-utils (see `database`). The wrapper is made on first use because importing
    sqlite-utils costs ~0.4 s of start-up.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self.conn = conn
        self._db: sqlite_utils.Database | None = None
        # Set when the file lives where SQLite's WAL is unsafe (storage.location).
        self.location_warning: str | None = None

    @property
    def db(self) -> sqlite_utils.Database:
        if self._db is None:
            self._db = database(self.conn)
        return self._db

    def table_names(self) -> list[str]:
        # Plain SQL, not self.db: every open checks the tables, and importing sqlite-utils
        # would add 0.3 s to every command (measured on `qual-coder suggest`).
        return [r[0] for r in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Project]:
        """One user action: everything inside commits together or not at all.

        The outermost level takes the write lock up front (BEGIN IMMEDIATE) so a
        concurrent writer waits on the busy timeout rather than failing halfway;
        nested levels are savepoints.
        """
        with self._unit(self._begin_immediate):
            yield self

    @contextlib.contextmanager
    def transaction_if_free(self) -> Iterator[Project]:
        """A transaction for what may be skipped (a workbench's presence row): when
        another program holds the write lock, ProjectBusy at once instead of waiting up
        to WRITE_WAIT_S on the UI thread."""
        with self._unit(self._begin_now):
            yield self

    @contextlib.contextmanager
    def _unit(self, begin: Callable[[], None]) -> Iterator[None]:
        """Commit or roll back as one: the outermost level begins with `begin`, nested
        levels are savepoints."""
        if self.conn.in_transaction:
            with self._savepoint():
                yield
            return
        begin()
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def _begin_now(self) -> None:
        self.conn.execute("PRAGMA busy_timeout = 0")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            if "locked" in str(err) or "busy" in str(err):
                raise ProjectBusy(f"{self.path}: another program is writing") from None
            raise
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def _begin_immediate(self) -> None:
        """Take the write lock, waiting as long as other writers keep it busy.

        SQLite's own busy handler sleeps between polls, and under a steady stream of
        short transactions from other processes it can lose every race for its whole
        timeout. Polling again with a short random pause is fair enough that four
        processes coding flat out all get through (bench/safety.py)."""
        deadline = time.monotonic() + WRITE_WAIT_S
        while True:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) and "busy" not in str(err):
                    raise
                if time.monotonic() > deadline:
                    raise ProjectError(
                        f"{self.path}: another program has kept the project busy for "
                        f"{WRITE_WAIT_S} s; nothing was changed, try again") from None
                time.sleep(random.uniform(0.001, 0.02))

    @contextlib.contextmanager
    def _savepoint(self) -> Iterator[None]:
        name = f"sp_{id(self)}_{self._depth}"
        self._depth += 1
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                self.conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        else:
            self.conn.execute(f"RELEASE SAVEPOINT {name}")
        finally:
            self._depth -= 1

    _depth = 0

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    def settings_with_prefix(self, prefix: str) -> dict[str, str]:
        rows = self.conn.execute("SELECT key, value FROM settings WHERE key LIKE ? ESCAPE '\\'",
                                 [prefix.replace("_", "\\_").replace("%", "\\%") + "%"])
        return {k: v for k, v in rows}

    def delete_setting(self, key: str) -> None:
        with self.transaction():
            self.conn.execute("DELETE FROM settings WHERE key = ?", [key])

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: no implicit transactions. Every write is either a single
    # autocommitted statement or inside Project.transaction(), never left pending.
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
                           isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # FULL: a coding acknowledged to the user survives power loss, not only a crash.
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def _migrate(project: Project) -> None:
    conn = project.conn
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > LATEST:
        raise ProjectError(
            f"{project.path}: made by a newer qual-coder (schema {version}, this one knows "
            f"{LATEST}); upgrade qual-coder to open it"
        )
    if version == LATEST:
        return
    with project.transaction():
        conn.execute(
            "CREATE TABLE IF NOT EXISTS _migrations "
            "(id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        for number, (name, sql) in enumerate(MIGRATIONS, start=1):
            if number <= version:
                continue
            # executescript would COMMIT our transaction; run statement by statement.
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO _migrations (id, name, applied_at) VALUES (?, ?, ?)",
                [number, name, utcnow()],
            )
        conn.execute(f"PRAGMA user_version = {LATEST}")


def _statements(sql: str) -> list[str]:
    statements, current = [], ""
    for line in sql.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements


def init_project(path: str | Path) -> Project:
    """Create a new, empty project file (refuses to overwrite one)."""
    path = Path(path)
    if path.exists():
        raise ProjectError(f"{path}: already exists; choose another name or delete it first")
    if not path.parent.exists():
        raise ProjectError(f"{path}: folder {path.parent} does not exist")
    # Interviews are confidential: the file is readable by its owner only.
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    conn = _connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    project = Project(path, conn)
    _migrate(project)
    _check_location(project)
    return project


def describe_error(path: Path, err: sqlite3.Error) -> str:
    """A one-line message for an SQLite error met while opening or writing `path`."""
    text = str(err)
    if "not a database" in text or "encrypted" in text:
        return f"{path}: not a qual-coder project (not an SQLite file)"
    if "readonly" in text or "read-only" in text:
        return (f"{path}: the project is read-only ({text}); make the file and its folder "
                "writable (chmod u+w), or work on a copy")
    if "disk is full" in text or "disk I/O" in text:
        return f"{path}: {text}; free some space on its disk and try again (nothing was saved)"
    if "unable to open" in text:
        return (f"{path}: cannot be opened ({text}); check that its folder exists and is "
                "writable, since SQLite keeps its -wal and -shm files beside it")
    if "locked" in text or "busy" in text:
        return f"{path}: {text}; another program holds the project, try again in a moment"
    return f"{path}: {text}"


def open_preview(path: str | Path) -> Project:
    """The project copied into memory, for a dry run: the command runs as it would, on
    the copy, and the file (and its -wal) is left byte for byte as it was. The copy is
    read through a read-only connection (an immutable one when there is no write-ahead
    log to read, so not even an empty -wal is made)."""
    from urllib.parse import quote

    path = Path(path)
    if not path.is_file():
        raise ProjectError(f"{path}: no such project; create one with `qual-coder init {path}`")
    wal = path.with_name(path.name + "-wal")
    mode = "mode=ro" if wal.exists() and wal.stat().st_size else "immutable=1"
    memory = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
    try:
        source = sqlite3.connect(f"file:{quote(str(path.resolve()))}?{mode}", uri=True)
        try:
            source.backup(memory)
        finally:
            source.close()
        memory.execute("PRAGMA foreign_keys = ON")
        project = Project(path, memory)
        if "_migrations" not in set(project.table_names()):
            raise ProjectError(f"{path}: an SQLite file, but not a qual-coder project")
        _migrate(project)
    except sqlite3.DatabaseError as err:
        memory.close()
        raise ProjectError(describe_error(path, err)) from None
    except BaseException:
        memory.close()
        raise
    return project


def open_project(path: str | Path) -> Project:
    """Open an existing project, upgrading its schema if it is older than this code.

    The file is never opened by anything but SQLite: on POSIX, closing *any* descriptor
    of a database file drops every lock this process holds on it (SQLite's "How To
    Corrupt", 2.2), after which another process may checkpoint and delete the WAL this
    process is still writing into. So "is it an SQLite file?" is asked of SQLite."""
    path = Path(path)
    if not path.is_file():
        raise ProjectError(f"{path}: no such project; create one with `qual-coder init {path}`")
    try:
        conn = _connect(path)
    except sqlite3.DatabaseError as err:
        raise ProjectError(describe_error(path, err)) from None
    project = Project(path, conn)
    try:
        try:
            tables = set(project.table_names())
        except sqlite3.DatabaseError as err:
            raise ProjectError(describe_error(path, err)) from None
        if tables and "_migrations" not in tables:
            raise ProjectError(f"{path}: an SQLite file, but not a qual-coder project")
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        _migrate(project)
    except BaseException:
        project.close()
        raise
    _check_location(project)
    return project


def _check_location(project: Project) -> None:
    """Warn when the project lives where WAL is unsafe: looked up (the mount table read)
    and said once per file and process, however often the file is opened."""
    key = str(project.path)
    if key not in _locations:
        _locations[key] = network_location(project.path)
        message = _locations[key]
        if message:
            warnings.warn(message, NetworkLocationWarning, stacklevel=3)
    project.location_warning = _locations[key]


class NetworkLocationWarning(UserWarning):
    """The project is on a network file system or in a sync folder (storage.location)."""


_locations: dict[str, str | None] = {}
