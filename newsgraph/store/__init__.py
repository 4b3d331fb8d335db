"""Storage at the I/O edge: `SqliteStore` (default). See `newsgraph.store.sqlite`."""

from newsgraph.store.sqlite import AmbiguousDocIdError, SqliteStore

__all__ = ["AmbiguousDocIdError", "SqliteStore"]
