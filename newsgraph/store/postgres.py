"""PostgreSQL store (psycopg 3): the same reads and writes as the SQLite store (`SqlStore`), for a database that
several loaders write at once and a web server reads.

- Each document is written in one transaction that first takes a transaction-level advisory lock, so concurrent
  writers join copies, stories and happenings one document at a time (the corpus layer stays what one sequential
  run builds), and a document that is already stored is a no-op: re-running an interrupted load, or two loaders
  reading the same input, never duplicates rows (doc_id, the content hash, is the key).
- Migrations (`newsgraph/store/migrations/postgresql/NNNN_name.sql`) are applied and recorded under another
  advisory lock, each in its own transaction.
- `readonly=True` opens a session whose transactions are read-only (`default_transaction_read_only`), as the API does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TypeVar

from newsgraph.store.base import StoreWriteError, redacted
from newsgraph.store.db import Db, PostgresDb, Row
from newsgraph.store.sql import Migration, SqlStore, apply_migration, create_migrations_table, load_migrations

__all__ = ["MIGRATION_LOCK", "WRITE_LOCK", "PostgresStore"]

T = TypeVar("T")

# Advisory lock keys (any bigint; these spell "newsgraph" writes and migrations).
WRITE_LOCK = 0x6E657773_67726170
MIGRATION_LOCK = 0x6E657773_6D696772


class PostgresStore(SqlStore):
    """A PostgreSQL database named by a URL (`postgresql://user:password@host:5432/news`)."""

    def __init__(
        self,
        url: str,
        *,
        migrations: Sequence[Migration] | None = None,
        readonly: bool = False,
        connect_timeout: int = 10,
    ) -> None:
        import psycopg
        from psycopg.rows import dict_row

        self.url = url
        options = "-c default_transaction_read_only=on" if readonly else ""
        try:
            self._conn: psycopg.Connection[Row] = psycopg.connect(
                url, autocommit=True, row_factory=dict_row, connect_timeout=connect_timeout, options=options
            )
        except psycopg.OperationalError as exc:
            raise ConnectionError(f"{redacted(url)}: cannot connect: {str(exc).strip()}") from exc
        self.db: Db = PostgresDb(self._conn)
        if readonly:
            return
        try:
            self._migrate(load_migrations("postgresql") if migrations is None else migrations)
        except BaseException:
            self._conn.close()
            raise

    def close(self) -> None:
        """Close the connection (idempotent)."""
        self._conn.close()

    def _write(self, fn: Callable[[Db], T]) -> T:
        """Run fn(db) in one transaction holding the write lock; the only place anything is written."""
        return self._locked(WRITE_LOCK, fn)

    def _locked(self, key: int, fn: Callable[[Db], T]) -> T:
        import psycopg

        try:
            with self._conn.transaction():
                # first in the transaction: every later statement (read committed) sees what earlier holders committed
                self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (key,))
                return fn(self.db)
        except psycopg.OperationalError as exc:  # disk full, the server gone, out of resources
            raise StoreWriteError(f"{redacted(self.url)}: cannot write to the database: {str(exc).strip()}") from exc

    def _migrate(self, migrations: Sequence[Migration]) -> list[str]:
        """Apply each not-yet-recorded migration in order, each in its own transaction."""
        self._locked(MIGRATION_LOCK, create_migrations_table)
        return [
            name
            for name, script in migrations
            if self._locked(MIGRATION_LOCK, partial(apply_migration, name, [script]))
        ]
