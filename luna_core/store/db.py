"""The DuckDB file that holds every Luna record.

DuckDB lets one process open a database file read-write and locks it against every other process,
readers included. Luna therefore holds the file only while it works: each unit of work gets its own
connection, and the file is released ``idle_release`` seconds after the last one closes, so the
Streamlit app and the CLI can take turns. (Opening the file costs ~20 ms; keeping it open through a
burst of work makes each further connection ~1 ms.) A process that finds the file locked retries
for ``lock_timeout`` seconds, then raises ``DatabaseLockedError`` saying who holds it.
"""

from __future__ import annotations

import atexit
import re
import threading
import time
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from luna_core.errors import DatabaseLockedError, LunaError

_LOCK_MARKERS = ("Could not set lock on file", "Conflicting lock is held")


def _is_lock_error(error: Exception) -> bool:
    return any(marker in str(error) for marker in _LOCK_MARKERS)


def _holder(error: Exception) -> str:
    match = re.search(r"PID (\d+)", str(error))
    return f" (process {match.group(1)})" if match else ""


class Database:
    """A DuckDB file opened per unit of work, migrated to the newest schema on construction."""

    def __init__(self, path: Path | str, lock_timeout: float = 5.0, migrate: bool = True,
                 idle_release: float = 1.0) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self.idle_release = idle_release
        self._guard = threading.Lock()
        self._keeper: duckdb.DuckDBPyConnection | None = None
        self._active = 0
        self._timer: threading.Timer | None = None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Close the file cleanly at interpreter exit so DuckDB checkpoints its WAL.
        release = weakref.WeakMethod(self.release_file)
        atexit.register(lambda: release() and release()())
        if migrate:
            from luna_core.store.migrations import upgrade

            upgrade(self)

    def _open_file(self) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                return duckdb.connect(str(self.path))
            except duckdb.IOException as error:
                if not _is_lock_error(error):
                    raise LunaError(f"Cannot open the Luna database {self.path}: {error}") from error
                if time.monotonic() >= deadline:
                    raise DatabaseLockedError(
                        f"The Luna database {self.path} is in use by another process"
                        f"{_holder(error)}: the Luna app or a `python -m luna_core` command. DuckDB "
                        "allows one process at a time: try again in a moment; if it stays busy, "
                        "stop the other process (Ctrl+C in its terminal) and try again."
                    ) from error
                time.sleep(0.05)

    def _acquire(self) -> duckdb.DuckDBPyConnection:
        with self._guard:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._keeper is None:
                self._keeper = self._open_file()
            self._active += 1
            return self._keeper.cursor()

    def _release(self, con: duckdb.DuckDBPyConnection) -> None:
        con.close()
        with self._guard:
            self._active -= 1
            if self._active == 0 and self._keeper is not None:
                self._timer = threading.Timer(self.idle_release, self.release_file)
                self._timer.daemon = True
                self._timer.start()

    def release_file(self) -> None:
        """Close the file now if no work is under way, letting other processes open it."""
        with self._guard:
            if self._active == 0 and self._keeper is not None:
                self._keeper.close()
                self._keeper = None

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection of its own for one unit of work (reads or single statements)."""
        con = self._acquire()
        try:
            yield con
        finally:
            self._release(con)

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection inside BEGIN/COMMIT; any exception rolls everything back."""
        with self.connect() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run a query in its own connection and return rows as dicts."""
        with self.connect() as con:
            return fetch_dicts(con, sql, params)


def fetch_dicts(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[dict]:
    """Rows of ``sql`` as dicts keyed by column name."""
    cursor = con.execute(sql, list(params))
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]
