"""What every store offers (`Store`), and `open_store`, which picks one from a `--db` value.

`--db` takes a SQLite file path (`news.db`), a SQLite URL (`sqlite:///news.db`, `sqlite:///:memory:`) or a
PostgreSQL URL (`postgresql://user@host:5432/news`). The runners, the CLI and the API see only `Store`.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from newsgraph.models import Analysis, DocError, ToFetch

if TYPE_CHECKING:
    from newsgraph.store.sql import SqlStore

__all__ = ["Store", "StoreWriteError", "is_postgres_url", "open_sql_store", "open_store", "redacted", "sqlite_path"]

_SQLITE_PREFIX = "sqlite:///"
_POSTGRES_PREFIXES = ("postgresql://", "postgres://")


class StoreWriteError(RuntimeError):
    """The database refused a write (a full disk, an I/O error, a lost server). The document in hand was rolled
    back whole; everything stored before it is intact, so the same run started again resumes where this one stopped."""


class Store(Protocol):
    """Documents, their analyses and the corpus layer (copies, stories, happenings), with one write per document."""

    def put_analysis(self, doc_id: str, analysis: Analysis) -> bool: ...
    def put_link(self, link: ToFetch) -> bool: ...
    def put_error(self, error: DocError, content_hash: str | None = None) -> None: ...
    def applied_migrations(self) -> list[str]: ...
    def has_doc(self, doc_id: str) -> bool: ...
    def resolve(self, doc_id: str) -> str | None: ...
    def article(self, doc_id: str) -> dict[str, Any] | None: ...
    def articles(self, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]: ...
    def events(
        self,
        actor: str | None = None,
        dyad: tuple[str, str] | None = None,
        since: str | None = None,
        until: str | None = None,
        plover: str | None = None,
        limit: int | None = None,
        who: str | None = None,
    ) -> list[dict[str, Any]]: ...
    def happenings(
        self,
        actor: str | None = None,
        dyad: tuple[str, str] | None = None,
        since: str | None = None,
        until: str | None = None,
        plover: str | None = None,
        limit: int | None = None,
        who: str | None = None,
    ) -> list[dict[str, Any]]: ...
    def happenings_by_id(self, ids: Sequence[int]) -> list[dict[str, Any]]: ...
    def copies(self, doc_id: str) -> list[str]: ...
    def stories(self, story_id: int | None = None) -> list[dict[str, Any]]: ...
    def links(self) -> list[dict[str, Any]]: ...
    def versions(self, url: str) -> list[dict[str, Any]]: ...
    def errors(self) -> list[dict[str, Any]]: ...
    def counts(self) -> dict[str, int]: ...
    def close(self) -> None: ...
    def __enter__(self) -> Store: ...
    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


def is_postgres_url(db: str) -> bool:
    return db.startswith(_POSTGRES_PREFIXES)


def redacted(db: str) -> str:
    """A `--db` value fit for messages: a URL's password (if any) replaced by ***."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(db)
    if not is_postgres_url(db) or parts.password is None:
        return db
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


def sqlite_path(db: str) -> str:
    """The file path of a SQLite `--db` value (a plain path, or a sqlite:/// URL)."""
    return db[len(_SQLITE_PREFIX) :] if db.startswith(_SQLITE_PREFIX) else db


def open_store(db: str, *, readonly: bool = False) -> Store:
    """The store a `--db` value names, migrated (readonly: an existing database opened for reading only)."""
    return open_sql_store(db, readonly=readonly)


def open_sql_store(db: str, *, readonly: bool = False) -> SqlStore:
    """`open_store` typed as the SQL store it is, for query layers over the same schema (the API)."""
    if is_postgres_url(db):
        from newsgraph.store.postgres import PostgresStore

        return PostgresStore(db, readonly=readonly)
    from newsgraph.store.sqlite import SqliteStore

    return SqliteStore(sqlite_path(db), readonly=readonly)
