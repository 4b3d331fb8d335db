"""Storage at the I/O edge: the `Store` protocol and `open_store(--db value)`; `SqliteStore` (the default, a file)
and `PostgresStore` (a server, `postgresql://...`) share their SQL (`newsgraph.store.sql`)."""

from newsgraph.store.base import Store, is_postgres_url, open_store
from newsgraph.store.postgres import PostgresStore
from newsgraph.store.sqlite import AmbiguousDocIdError, SqliteStore

__all__ = ["AmbiguousDocIdError", "PostgresStore", "SqliteStore", "Store", "is_postgres_url", "open_store"]
