"""SQLite store: one file in WAL mode, named and recorded migrations, one write path (`SqliteStore._write`).

Documents are immutable once stored: `put_analysis` writes a document's page, article, entities (with
mentions) and events in one transaction, or nothing if the doc_id is already present. The JSON columns
hold exactly what `newsgraph.serialize` produces, so reads return the `analyze` contract unchanged.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from functools import partial
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from courlan import normalize_url

from newsgraph.models import Analysis, Article, DocError, Entity, Event, ToFetch
from newsgraph.serialize import article_json, entity_json, event_json
from newsgraph.store.corpus import add_article

__all__ = ["AmbiguousDocIdError", "Migration", "SqliteStore", "load_migrations", "split_statements"]

T = TypeVar("T")
Migration = tuple[str, str]  # (name, e.g. "0001_initial"; SQL script)

MIGRATION_FILE = re.compile(r"^\d{4}_\w+\.sql$")
MIN_PREFIX = 6  # shortest doc_id prefix accepted by `article()`, like git's short hashes
_LAST_CHAR = "\U0010ffff"  # upper bound for prefix ranges: every `prefix + x` sorts below `prefix + _LAST_CHAR`

# The date an event is filed under: its own date, else its article's date. Constant SQL, never user input.
_EFF = "COALESCE(e.date, a.date)"
_EVENTS_SELECT = (
    f"SELECT e.id AS event_id, e.doc_id, e.json, {_EFF} AS eff FROM events e JOIN articles a ON a.doc_id = e.doc_id"
)


class AmbiguousDocIdError(LookupError):
    """A doc_id prefix matches more than one stored document."""

    def __init__(self, prefix: str, candidates: Sequence[str]) -> None:
        super().__init__(f"doc_id prefix {prefix!r} is ambiguous: {', '.join(candidates)}")
        self.prefix = prefix
        self.candidates = tuple(candidates)


def load_migrations() -> list[Migration]:
    """The shipped migrations (package data `newsgraph/store/migrations/NNNN_name.sql`), in order."""
    folder = resources.files("newsgraph.store").joinpath("migrations")
    found = [
        (entry.name.removesuffix(".sql"), entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if MIGRATION_FILE.match(entry.name)
    ]
    return sorted(found)


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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class SqliteStore:
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
            return
        self._conn = sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
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
        """The connection, for read-only query layers over the same schema (the API)."""
        return self._conn

    def close(self) -> None:
        """Close the connection (idempotent)."""
        self._conn.close()

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- the one write path ------------------------------------------------------------------------

    def _write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run fn(conn) inside one IMMEDIATE transaction; the only place anything is written."""
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = fn(conn)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return result

    def _migrate(self, migrations: Sequence[Migration]) -> list[str]:
        """Apply each not-yet-recorded migration in order, each in its own transaction."""
        self._write(_create_migrations_table)
        return [name for name, script in migrations if self._write(partial(_apply_migration, name, script))]

    # -- writes ------------------------------------------------------------------------------------

    def put_analysis(self, doc_id: str, analysis: Analysis) -> bool:
        """Store page, article, entities+mentions and events atomically; False (nothing written) if present."""
        return self._write(partial(_insert_analysis, doc_id, analysis))

    def put_link(self, link: ToFetch) -> bool:
        """Record a link to fetch once per URL; True when it is new."""
        return self._write(partial(_insert_link, link))

    def put_error(self, error: DocError, content_hash: str | None = None) -> None:
        """Record a per-document failure once per (origin, stage, reason)."""
        self._write(partial(_insert_error, error, content_hash))

    # -- reads -------------------------------------------------------------------------------------

    def applied_migrations(self) -> list[str]:
        """Names of the applied migrations, oldest first."""
        rows = self._conn.execute("SELECT name FROM migrations ORDER BY name").fetchall()
        return [row["name"] for row in rows]

    def has_doc(self, doc_id: str) -> bool:
        """Whether a document with exactly this doc_id is stored."""
        row = self._conn.execute("SELECT 1 FROM pages WHERE doc_id = ?", (doc_id,)).fetchone()
        return row is not None

    def resolve(self, doc_id: str) -> str | None:
        """The full doc_id for an exact id or a unique prefix of >= 6 chars; None if unknown.

        Raises AmbiguousDocIdError when the prefix matches several documents.
        """
        if self.has_doc(doc_id):
            return doc_id
        if len(doc_id) < MIN_PREFIX:
            return None
        rows = self._conn.execute(
            "SELECT doc_id FROM pages WHERE doc_id >= ? AND doc_id < ? ORDER BY doc_id LIMIT 10",
            (doc_id, doc_id + _LAST_CHAR),
        ).fetchall()
        if len(rows) > 1:
            raise AmbiguousDocIdError(doc_id, [row["doc_id"] for row in rows])
        return str(rows[0]["doc_id"]) if rows else None

    def article(self, doc_id: str) -> dict[str, Any] | None:
        """`serialize.analysis_json` of a stored document plus its doc_id (exact id or unique prefix)."""
        resolved = self.resolve(doc_id)
        if resolved is None:
            return None
        conn = self._conn
        row = conn.execute(
            "SELECT p.origin, a.json FROM pages p JOIN articles a ON a.doc_id = p.doc_id WHERE p.doc_id = ?",
            (resolved,),
        ).fetchone()
        if row is None:
            return None
        entities = conn.execute("SELECT json FROM entities WHERE doc_id = ? ORDER BY id", (resolved,))
        events = conn.execute("SELECT json FROM events WHERE doc_id = ? ORDER BY id", (resolved,))
        return {
            "doc_id": resolved,
            "path": row["origin"],
            "article": json.loads(row["json"]),
            "entities": [json.loads(r["json"]) for r in entities],
            "events": [json.loads(r["json"]) for r in events],
        }

    def articles(self, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """One summary row per article (doc_id, title, date, outlet, agency, n_events); by date, then doc_id."""
        rows = self._conn.execute(
            "SELECT a.doc_id, a.title, a.date, a.outlet, a.agency, "
            "(SELECT count(*) FROM events e WHERE e.doc_id = a.doc_id) AS n_events "
            "FROM articles a ORDER BY a.date IS NULL, a.date, a.doc_id LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
        return [dict(row) for row in rows]

    def events(
        self,
        actor: str | None = None,
        dyad: tuple[str, str] | None = None,
        since: str | None = None,
        until: str | None = None,
        plover: str | None = None,
        limit: int | None = None,
        who: str | None = None,
    ) -> list[dict[str, Any]]:
        """Event JSON dicts plus doc_id and event_id, filtered and ordered by effective date.

        actor: source or target country code; dyad (A, B): between A and B, either direction (codes are
        case-insensitive). since/until: inclusive bounds on the event date, else the article date,
        compared on their common ISO prefix ("2023-10" matches any day of October and vice versa).
        who: an actor id ("person:dmitry_peskov") or an actor's canonical name, as source, target or claimant.
        """
        where, params = _event_filters(actor, dyad, since, until, plover, who)
        sql = _EVENTS_SELECT
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY eff IS NULL, eff, e.doc_id, e.id"
        if limit is not None:
            sql += " LIMIT :limit"
            params["limit"] = limit
        rows = self._conn.execute(sql, params).fetchall()
        return [{**json.loads(row["json"]), "doc_id": row["doc_id"], "event_id": row["event_id"]} for row in rows]

    def happenings(
        self,
        actor: str | None = None,
        dyad: tuple[str, str] | None = None,
        since: str | None = None,
        until: str | None = None,
        plover: str | None = None,
        limit: int | None = None,
        who: str | None = None,
    ) -> list[dict[str, Any]]:
        """Merged events (one per happening) with any mention matching the filters (as `events`): the first
        mention's event JSON plus mentions (each with doc_id, status and sentence), mention/article/source counts,
        independent source groups, confidence, first_seen and last_seen."""
        where, params = _event_filters(actor, dyad, since, until, plover, who)
        sql = (
            "SELECT h.* FROM happenings h WHERE h.id IN (SELECT m.happening_id FROM happening_mentions m "
            "JOIN events e ON e.id = m.event_id JOIN articles a ON a.doc_id = e.doc_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + ") ORDER BY h.date IS NULL, h.date, h.id"
        )
        if limit is not None:
            sql += " LIMIT :limit"
            params["limit"] = limit
        return self.happenings_by_id([row["id"] for row in self._conn.execute(sql, params).fetchall()])

    def happenings_by_id(self, ids: Sequence[int]) -> list[dict[str, Any]]:
        """The happenings with these ids, in this order, rendered as `happenings` renders them."""
        out = []
        for happening in ids:
            row = self._conn.execute("SELECT * FROM happenings WHERE id = ?", (happening,)).fetchone()
            if row is None:
                continue
            mentions = self._conn.execute(
                "SELECT e.id AS event_id, e.doc_id, e.status, e.date, e.sentence, e.start, e.end, a.outlet, a.title "
                "FROM happening_mentions m JOIN events e ON e.id = m.event_id JOIN articles a ON a.doc_id = e.doc_id "
                "WHERE m.happening_id = ? ORDER BY e.id",
                (happening,),
            ).fetchall()
            out.append(
                {
                    **json.loads(row["json"]),
                    "happening_id": row["id"],
                    "date": row["date"],
                    "date_range": [row["date"], row["last_date"]] if row["last_date"] != row["date"] else None,
                    "mentions": [dict(m) for m in mentions],
                    "mention_count": row["mentions"],
                    "articles": row["articles"],
                    "sources": row["sources"],
                    "independent_sources": row["independent"],
                    "confidence": row["confidence"],
                    "statuses": sorted({m["status"] for m in mentions}),
                    "first_seen": row["first_seen"],
                    "last_seen": row["last_seen"],
                }
            )
        return out

    def copies(self, doc_id: str) -> list[str]:
        """The doc_ids of the article's copy group (its canonical copy first)."""
        row = self._conn.execute("SELECT canonical_id FROM copies WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            return []
        rows = self._conn.execute(
            "SELECT doc_id FROM copies WHERE canonical_id = ? ORDER BY doc_id != canonical_id, doc_id",
            (row["canonical_id"],),
        ).fetchall()
        return [r["doc_id"] for r in rows]

    def stories(self, story_id: int | None = None) -> list[dict[str, Any]]:
        """Stories (or the one with story_id) with their span, main actors and articles (doc_id, title, outlet),
        newest first."""
        out = []
        rows = self._conn.execute(
            "SELECT * FROM stories WHERE :id IS NULL OR id = :id ORDER BY last_date DESC, id", {"id": story_id}
        )
        for story in rows.fetchall():
            articles = self._conn.execute(
                "SELECT a.doc_id, a.title, a.outlet, a.date FROM story_articles s JOIN articles a "
                "ON a.doc_id = s.doc_id WHERE s.story_id = ? ORDER BY a.date, a.doc_id",
                (story["id"],),
            ).fetchall()
            actors = json.loads(story["actors"])
            out.append(
                {
                    "story_id": story["id"],
                    "title": story["title"],
                    "first_date": story["first_date"],
                    "last_date": story["last_date"],
                    "actors": sorted(actors, key=lambda a: -actors[a])[:5],
                    "articles": [dict(a) for a in articles],
                }
            )
        return out

    def links(self) -> list[dict[str, Any]]:
        """Links feeds named without content (url, origin, title, date, seen_at), oldest first."""
        rows = self._conn.execute("SELECT url, origin, title, date, seen_at FROM to_fetch ORDER BY seen_at, url")
        return [dict(row) for row in rows.fetchall()]

    def versions(self, url: str) -> list[dict[str, Any]]:
        """Every stored version of the page at a URL (doc_id, version, ingested_at), oldest first."""
        rows = self._conn.execute(
            "SELECT doc_id, version, ingested_at FROM pages WHERE canonical_url = ? ORDER BY version",
            (canonical_url(url) or url,),
        )
        return [dict(row) for row in rows.fetchall()]

    def errors(self) -> list[dict[str, Any]]:
        """Every recorded DocError (id, origin, stage, reason, content_hash, at), oldest first."""
        rows = self._conn.execute(
            "SELECT id, origin, stage, reason, content_hash, at FROM errors ORDER BY id"
        ).fetchall()
        return [dict(row) for row in rows]

    def counts(self) -> dict[str, int]:
        """Row counts: pages, articles, entities, events, errors, to_fetch."""
        row = self._conn.execute(
            "SELECT (SELECT count(*) FROM pages) AS pages, (SELECT count(*) FROM articles) AS articles, "
            "(SELECT count(*) FROM entities) AS entities, (SELECT count(*) FROM events) AS events, "
            "(SELECT count(*) FROM errors) AS errors, (SELECT count(*) FROM to_fetch) AS to_fetch"
        ).fetchone()
        return {key: int(value) for key, value in dict(row).items()}


# -- write callables (run by SqliteStore._write, inside its transaction) ------------------------------


def _create_migrations_table(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")


def _apply_migration(name: str, script: str, conn: sqlite3.Connection) -> bool:
    """Run one migration unless already recorded (checked under the write lock); True if applied."""
    if conn.execute("SELECT 1 FROM migrations WHERE name = ?", (name,)).fetchone():
        return False
    for statement in split_statements(script):
        conn.execute(statement)
    conn.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (name, _now()))
    return True


def _insert_analysis(doc_id: str, analysis: Analysis, conn: sqlite3.Connection) -> bool:
    page = analysis.page
    canonical = canonical_url(page.url or analysis.article.url)
    version = 1
    if canonical is not None:  # a changed page at a known URL is that URL's next version
        row = conn.execute("SELECT MAX(version) AS v FROM pages WHERE canonical_url = ?", (canonical,)).fetchone()
        version = (row["v"] or 0) + 1
    inserted = conn.execute(
        "INSERT INTO pages (doc_id, origin, fmt, url, content_hash, ingested_at, canonical_url, version) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (doc_id) DO NOTHING",
        (doc_id, page.origin, page.fmt, page.url, page.content_hash or None, _now(), canonical, version),
    ).rowcount
    if not inserted:
        return False
    _insert_article(conn, doc_id, analysis.article)
    for entity in analysis.entities:
        _insert_entity(conn, doc_id, entity)
    for event in analysis.events:
        _insert_event(conn, doc_id, event, page.origin)
    add_article(conn, doc_id, analysis, _now())  # copies, story, happenings: in the same transaction
    return True


def _insert_article(conn: sqlite3.Connection, doc_id: str, article: Article) -> None:
    conn.execute(
        "INSERT INTO articles (doc_id, title, date, published, modified, agency, outlet, section, language, "
        "url, summary, body, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            doc_id, article.title, article.date, article.published, article.modified, article.agency,
            article.outlet, article.section, article.language, article.url, article.summary, article.text,
            _dumps(article_json(article)),
        ),
    )  # fmt: skip


def _insert_entity(conn: sqlite3.Connection, doc_id: str, entity: Entity) -> None:
    entity_id = conn.execute(
        "INSERT INTO entities (doc_id, name, type, country, sector, role, actor_id, json) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            doc_id, entity.name, entity.type, entity.country, entity.sector, entity.role, entity.actor_id,
            _dumps(entity_json(entity)),
        ),
    ).lastrowid  # fmt: skip
    conn.executemany(
        "INSERT INTO mentions (entity_id, start, end, text) VALUES (?, ?, ?, ?)",
        [(entity_id, m.start, m.end, m.text) for m in entity.mentions],
    )


def _insert_event(conn: sqlite3.Connection, doc_id: str, event: Event, article_path: str) -> None:
    target = event.target
    conn.execute(
        "INSERT INTO events (doc_id, source_name, source_country, source_sector, target_name, target_country, "
        "target_sector, plover, cameo, goldstein, quad, status, date, date_precision, sentence, start, end, "
        "json, source_actor_id, target_actor_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            doc_id, event.source.name, event.source.country, event.source.sector,
            target.name if target else None, target.country if target else None,
            target.sector if target else None, event.plover, event.cameo, event.goldstein, event.quad,
            event.status, event.date, event.date_precision, event.sentence, event.start, event.end,
            _dumps(event_json(event, article_path)), event.source.actor_id, target.actor_id if target else None,
        ),
    )  # fmt: skip


def _insert_link(link: ToFetch, conn: sqlite3.Connection) -> bool:
    return bool(
        conn.execute(
            "INSERT INTO to_fetch (url, origin, title, date, seen_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (url) DO NOTHING",
            (canonical_url(link.url) or link.url, link.origin, link.title, link.date, _now()),
        ).rowcount
    )


def canonical_url(url: str | None) -> str | None:
    """The URL a page is known by: scheme and host lower-cased, default port, tracking parameters and fragment
    dropped (courlan's normalisation); None when there is no usable URL."""
    if not url or not url.startswith(("http://", "https://")):
        return None
    try:
        normalised = normalize_url(url)
    except ValueError:
        return None
    return str(normalised).split("#", 1)[0] or None


def _insert_error(error: DocError, content_hash: str | None, conn: sqlite3.Connection) -> None:
    conn.execute(
        "INSERT INTO errors (origin, stage, reason, content_hash, at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (origin, stage, reason) DO NOTHING",
        (error.origin, error.stage, error.reason, content_hash, _now()),
    )


# -- query building (constant SQL fragments; every value is a named parameter) -------------------------


def _event_filters(
    actor: str | None,
    dyad: tuple[str, str] | None,
    since: str | None,
    until: str | None,
    plover: str | None,
    who: str | None = None,
) -> tuple[list[str], dict[str, Any]]:
    where: list[str] = []
    params: dict[str, Any] = {}
    if who is not None:
        where.append(
            "(e.source_actor_id = :who OR e.target_actor_id = :who "
            "OR lower(e.source_name) = lower(:who) OR lower(e.target_name) = lower(:who) "
            "OR EXISTS (SELECT 1 FROM json_each(e.json, '$.attributed_to') AS c WHERE lower(c.value) = lower(:who)))"
        )
        params["who"] = who
    if actor is not None:
        where.append("(e.source_country = :actor OR e.target_country = :actor)")
        params["actor"] = actor
    if dyad is not None:
        where.append(
            "((e.source_country = :dyad_a AND e.target_country = :dyad_b) "
            "OR (e.source_country = :dyad_b AND e.target_country = :dyad_a))"
        )
        params["dyad_a"], params["dyad_b"] = dyad
    if since is not None:
        where.append(_prefix_compare(">=", "since"))
        params["since"] = since
    if until is not None:
        where.append(_prefix_compare("<=", "until"))
        params["until"] = until
    if plover is not None:
        where.append("e.plover = :plover")
        params["plover"] = plover
    return where, params


def _prefix_compare(op: str, param: str) -> str:
    """`effective date <op> :param`, both cut to the shorter of the two (so month and day dates compare)."""
    assert op in (">=", "<=") and param in ("since", "until")
    width = f"min(length({_EFF}), length(:{param}))"
    return f"substr({_EFF}, 1, {width}) {op} substr(:{param}, 1, {width})"
