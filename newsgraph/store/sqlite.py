"""SQLite store: one file in WAL mode, named and recorded migrations, one write path (`SqliteStore._write`).

Reads and writes are shared with the PostgreSQL store (`newsgraph.store.sql.SqlStore`); this module opens the file,
sets its pragmas and applies the SQLite migrations (`newsgraph/store/migrations/NNNN_name.sql`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import TypeVar

from newsgraph.store.base import StoreWriteError
from newsgraph.store.db import Db, SqliteDb
from newsgraph.store.sql import (
    AmbiguousDocIdError,
    Migration,
    SqlStore,
    apply_migration,
    canonical_url,
    create_migrations_table,
)
from newsgraph.store.sql import load_migrations as _load

__all__ = [
    "AmbiguousDocIdError",
    "Migration",
    "SqliteStore",
    "canonical_url",
    "load_migrations",
    "split_statements",
]

T = TypeVar("T")


def load_migrations() -> list[Migration]:
    """The shipped SQLite migrations (package data `newsgraph/store/migrations/NNNN_name.sql`), in order."""
    return _load("sqlite")


def split_statements(script: str) -> Iterator[str]:
    """Split an SQL script into single statements (semicolons in strings, comments, triggers are kept)."""
    buffer = ""
    for piece in script.split(";"):
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):
            if buffer.strip(" \t\r\n;"):
                yield buffer
            buffer = ""
    if buffer.strip(" \t\r\n;"):
        yield buffer  # incomplete tail: let SQLite report the syntax error


# SQLite's primary result codes for a database that cannot take a write: busy, locked, out of memory, read-only,
# I/O error, full, cannot open.
_CANNOT_WRITE = frozenset((5, 6, 7, 8, 10, 13, 14))


class SqliteStore(SqlStore):
    """The default store: a SQLite file (or ":memory:") holding pages, articles, entities, events, errors."""

    def __init__(
        self,
        path: str | Path,
        *,
        busy_timeout: float = 5.0,
        migrations: Sequence[Migration] | None = None,
        readonly: bool = False,
    ) -> None:
        """Open (or create) the database and apply pending migrations; busy_timeout is in seconds. readonly: open
        an existing, migrated database for reading only (its writes fail), as the web server does."""
        self.path = str(path)
        if readonly:
            uri = f"file:{Path(path).resolve()}?mode=ro"
            self._conn = sqlite3.connect(uri, uri=True, timeout=busy_timeout, check_same_thread=False)
            self._conn.row_factory = sqlite3.Row
            self.db: Db = SqliteDb(self._conn)
            return
        self._conn = sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self.db = SqliteDb(self._conn)
        try:
            self._conn.execute("PRAGMA journal_mode = WAL")  # ":memory:" stays "memory"
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._migrate(load_migrations() if migrations is None else migrations)
        except BaseException:
            self._conn.close()
            raise

    # -- lifecycle ---------------------------------------------------------------------------------

    @property
    def connection(self) -> sqlite3.Connection:
        """The raw connection (tools and benchmarks that drive SQLite directly)."""
        return self._conn

    def close(self) -> None:
        """Close the connection (idempotent)."""
        self._conn.close()

    # -- the one write path ------------------------------------------------------------------------

    def _write(self, fn: Callable[[Db], T]) -> T:
        """Run fn(db) inside one IMMEDIATE transaction; the only place anything is written."""
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = fn(self.db)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorcode", 0) & 0xFF not in _CANNOT_WRITE:
                raise  # a mistake in the SQL, not the database refusing a write
            raise StoreWriteError(f"{self.path}: cannot write to the database: {exc}") from exc
        return result

    def _migrate(self, migrations: Sequence[Migration]) -> list[str]:
        """Apply each not-yet-recorded migration in order, each in its own transaction."""
        self._write(create_migrations_table)
        return [
            name
            for name, script in migrations
            if self._write(partial(apply_migration, name, list(split_statements(script))))
        ]
