"""What the SQL stores share: `SqlStore` (every read and write, written once over `Db`), the write callables run
inside a backend's write transaction, the event filters, and migrations as (name, script) pairs.

Documents are immutable once stored: `put_analysis` writes a document's page, article, entities (with mentions),
events and its place in the corpus layer in one transaction, or nothing if the doc_id is already present. The JSON
columns hold exactly what `newsgraph.serialize` produces, so reads return the `analyze` contract unchanged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import partial
from importlib import resources
from types import TracebackType
from typing import Any, Self, TypeVar

from courlan import normalize_url

from newsgraph.models import Analysis, Article, DocError, Entity, Event, ToFetch
from newsgraph.serialize import article_json, entity_json, event_json
from newsgraph.store.corpus import add_article
from newsgraph.store.db import Db, Dialect

__all__ = [
    "AmbiguousDocIdError",
    "Migration",
    "SqlStore",
    "apply_migration",
    "canonical_url",
    "event_filters",
    "load_migrations",
]

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


def load_migrations(backend: str = "sqlite") -> list[Migration]:
    """A backend's shipped migrations, in order: package data `newsgraph/store/migrations/NNNN_name.sql` for
    SQLite, `newsgraph/store/migrations/postgresql/NNNN_name.sql` for PostgreSQL."""
    folder = resources.files("newsgraph.store").joinpath("migrations")
    if backend != "sqlite":
        folder = folder.joinpath(backend)
    found = [
        (entry.name.removesuffix(".sql"), entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if MIGRATION_FILE.match(entry.name)
    ]
    return sorted(found)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class SqlStore:
    """Pages, articles, entities, events, errors and the corpus layer over one `Db`; a backend subclass opens the
    connection, applies its migrations and provides `_write` (one transaction, the only place anything is
    written)."""

    db: Db

    def _write(self, fn: Callable[[Db], T]) -> T:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def dialect(self) -> Dialect:
        return self.db.dialect

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
        return [row["name"] for row in self.db.all("SELECT name FROM migrations ORDER BY name")]

    def has_doc(self, doc_id: str) -> bool:
        """Whether a document with exactly this doc_id is stored."""
        return self.db.one("SELECT 1 AS found FROM pages WHERE doc_id = ?", (doc_id,)) is not None

    def resolve(self, doc_id: str) -> str | None:
        """The full doc_id for an exact id or a unique prefix of >= 6 chars; None if unknown.

        Raises AmbiguousDocIdError when the prefix matches several documents.
        """
        if self.has_doc(doc_id):
            return doc_id
        if len(doc_id) < MIN_PREFIX:
            return None
        rows = self.db.all(
            "SELECT doc_id FROM pages WHERE doc_id >= ? AND doc_id < ? ORDER BY doc_id LIMIT 10",
            (doc_id, doc_id + _LAST_CHAR),
        )
        if len(rows) > 1:
            raise AmbiguousDocIdError(doc_id, [row["doc_id"] for row in rows])
        return str(rows[0]["doc_id"]) if rows else None

    def article(self, doc_id: str) -> dict[str, Any] | None:
        """`serialize.analysis_json` of a stored document plus its doc_id (exact id or unique prefix)."""
        resolved = self.resolve(doc_id)
        if resolved is None:
            return None
        row = self.db.one(
            "SELECT p.origin, a.json FROM pages p JOIN articles a ON a.doc_id = p.doc_id WHERE p.doc_id = ?",
            (resolved,),
        )
        if row is None:
            return None
        entities = self.db.all("SELECT json FROM entities WHERE doc_id = ? ORDER BY id", (resolved,))
        events = self.db.all("SELECT json FROM events WHERE doc_id = ? ORDER BY id", (resolved,))
        return {
            "doc_id": resolved,
            "path": row["origin"],
            "article": json.loads(row["json"]),
            "entities": [json.loads(r["json"]) for r in entities],
            "events": [json.loads(r["json"]) for r in events],
        }

    def articles(self, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """One summary row per article (doc_id, title, date, outlet, agency, n_events); by date, then doc_id."""
        return self.db.all(
            "SELECT a.doc_id, a.title, a.date, a.outlet, a.agency, "
            "(SELECT count(*) FROM events e WHERE e.doc_id = a.doc_id) AS n_events "
            "FROM articles a ORDER BY a.date IS NULL, a.date, a.doc_id LIMIT ? OFFSET ?",
            (limit, offset),
        )

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
        where, params = event_filters(self.dialect, actor, dyad, since, until, plover, who)
        sql = _EVENTS_SELECT
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY {_EFF} IS NULL, {_EFF}, e.doc_id, e.id"
        if limit is not None:
            sql += " LIMIT :limit"
            params["limit"] = limit
        rows = self.db.all(sql, params)
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
        where, params = event_filters(self.dialect, actor, dyad, since, until, plover, who)
        sql = (
            "SELECT h.id FROM happenings h WHERE h.id IN (SELECT m.happening_id FROM happening_mentions m "
            "JOIN events e ON e.id = m.event_id JOIN articles a ON a.doc_id = e.doc_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + ") ORDER BY h.date IS NULL, h.date, h.id"
        )
        if limit is not None:
            sql += " LIMIT :limit"
            params["limit"] = limit
        return self.happenings_by_id([row["id"] for row in self.db.all(sql, params)])

    def happenings_by_id(self, ids: Sequence[int]) -> list[dict[str, Any]]:
        """The happenings with these ids, in this order, rendered as `happenings` renders them."""
        out = []
        for happening in ids:
            row = self.db.one("SELECT * FROM happenings WHERE id = ?", (happening,))
            if row is None:
                continue
            mentions = self.db.all(
                'SELECT e.id AS event_id, e.doc_id, e.status, e.date, e.sentence, e.start, e."end", a.outlet, '
                "a.title FROM happening_mentions m JOIN events e ON e.id = m.event_id "
                "JOIN articles a ON a.doc_id = e.doc_id WHERE m.happening_id = ? ORDER BY e.id",
                (happening,),
            )
            out.append(
                {
                    **json.loads(row["json"]),
                    "happening_id": row["id"],
                    "date": row["date"],
                    "date_range": [row["date"], row["last_date"]] if row["last_date"] != row["date"] else None,
                    "mentions": mentions,
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
        row = self.db.one("SELECT canonical_id FROM copies WHERE doc_id = ?", (doc_id,))
        if row is None:
            return []
        rows = self.db.all(
            "SELECT doc_id FROM copies WHERE canonical_id = ? ORDER BY doc_id != canonical_id, doc_id",
            (row["canonical_id"],),
        )
        return [r["doc_id"] for r in rows]

    def stories(self, story_id: int | None = None) -> list[dict[str, Any]]:
        """Stories (or the one with story_id) with their span, main actors and articles (doc_id, title, outlet),
        newest first."""
        out = []
        rows = self.db.all(
            "SELECT * FROM stories WHERE CAST(:id AS INTEGER) IS NULL OR id = :id ORDER BY last_date DESC, id",
            {"id": story_id},
        )
        for story in rows:
            articles = self.db.all(
                "SELECT a.doc_id, a.title, a.outlet, a.date FROM story_articles s JOIN articles a "
                "ON a.doc_id = s.doc_id WHERE s.story_id = ? ORDER BY a.date, a.doc_id",
                (story["id"],),
            )
            actors = json.loads(story["actors"])
            out.append(
                {
                    "story_id": story["id"],
                    "title": story["title"],
                    "first_date": story["first_date"],
                    "last_date": story["last_date"],
                    "actors": sorted(actors, key=lambda a: -actors[a])[:5],
                    "articles": articles,
                }
            )
        return out

    def links(self) -> list[dict[str, Any]]:
        """Links feeds named without content (url, origin, title, date, seen_at), oldest first."""
        return self.db.all("SELECT url, origin, title, date, seen_at FROM to_fetch ORDER BY seen_at, url")

    def versions(self, url: str) -> list[dict[str, Any]]:
        """Every stored version of the page at a URL (doc_id, version, ingested_at), oldest first."""
        return self.db.all(
            "SELECT doc_id, version, ingested_at FROM pages WHERE canonical_url = ? ORDER BY version",
            (canonical_url(url) or url,),
        )

    def errors(self) -> list[dict[str, Any]]:
        """Every recorded DocError (id, origin, stage, reason, content_hash, at), oldest first."""
        return self.db.all("SELECT id, origin, stage, reason, content_hash, at FROM errors ORDER BY id")

    def counts(self) -> dict[str, int]:
        """Row counts: pages, articles, entities, events, errors, to_fetch."""
        row = self.db.one(
            "SELECT (SELECT count(*) FROM pages) AS pages, (SELECT count(*) FROM articles) AS articles, "
            "(SELECT count(*) FROM entities) AS entities, (SELECT count(*) FROM events) AS events, "
            "(SELECT count(*) FROM errors) AS errors, (SELECT count(*) FROM to_fetch) AS to_fetch"
        )
        assert row is not None
        return {key: int(value) for key, value in row.items()}


# -- migrations (run inside the backend's write transaction) -------------------------------------------


def create_migrations_table(db: Db) -> None:
    db.script("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")


def apply_migration(name: str, statements: Sequence[str], db: Db) -> bool:
    """Run one migration unless already recorded (checked under the write lock); True if applied."""
    if db.one("SELECT 1 AS applied FROM migrations WHERE name = ?", (name,)):
        return False
    for statement in statements:
        db.script(statement)
    db.run("INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (name, now()))
    return True


# -- write callables (run by a store's _write, inside its transaction) ---------------------------------


def _insert_analysis(doc_id: str, analysis: Analysis, db: Db) -> bool:
    if db.one("SELECT 1 AS found FROM pages WHERE doc_id = ?", (doc_id,)):
        return False  # already stored: a re-run, or another loader was first
    page = analysis.page
    canonical = canonical_url(page.url or analysis.article.url)
    version = 1
    if canonical is not None:  # a changed page at a known URL is that URL's next version
        row = db.one("SELECT MAX(version) AS v FROM pages WHERE canonical_url = ?", (canonical,))
        version = ((row or {}).get("v") or 0) + 1
    inserted = db.run(
        "INSERT INTO pages (doc_id, origin, fmt, url, content_hash, ingested_at, canonical_url, version) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (doc_id) DO NOTHING",
        (doc_id, page.origin, page.fmt, page.url, page.content_hash or None, now(), canonical, version),
    )
    if not inserted:
        return False
    _insert_article(db, doc_id, analysis.article)
    for entity in analysis.entities:
        _insert_entity(db, doc_id, entity)
    for event in analysis.events:
        _insert_event(db, doc_id, event, page.origin)
    add_article(db, doc_id, analysis, now())  # copies, story, happenings: in the same transaction
    return True


def _insert_article(db: Db, doc_id: str, article: Article) -> None:
    db.run(
        "INSERT INTO articles (doc_id, title, date, published, modified, agency, outlet, section, language, "
        "url, summary, body, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            doc_id, article.title, article.date, article.published, article.modified, article.agency,
            article.outlet, article.section, article.language, article.url, article.summary, article.text,
            _dumps(article_json(article)),
        ),
    )  # fmt: skip


def _insert_entity(db: Db, doc_id: str, entity: Entity) -> None:
    entity_id = db.insert(
        "INSERT INTO entities (doc_id, name, type, country, sector, role, actor_id, json) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            doc_id, entity.name, entity.type, entity.country, entity.sector, entity.role, entity.actor_id,
            _dumps(entity_json(entity)),
        ),
    )  # fmt: skip
    if entity.mentions:
        db.many(
            'INSERT INTO mentions (entity_id, start, "end", text) VALUES (?, ?, ?, ?)',
            [(entity_id, m.start, m.end, m.text) for m in entity.mentions],
        )


def _insert_event(db: Db, doc_id: str, event: Event, article_path: str) -> None:
    target = event.target
    db.run(
        "INSERT INTO events (doc_id, source_name, source_country, source_sector, target_name, target_country, "
        'target_sector, plover, cameo, goldstein, quad, status, date, date_precision, sentence, start, "end", '
        "json, source_actor_id, target_actor_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            doc_id, event.source.name, event.source.country, event.source.sector,
            target.name if target else None, target.country if target else None,
            target.sector if target else None, event.plover, event.cameo, event.goldstein, event.quad,
            event.status, event.date, event.date_precision, event.sentence, event.start, event.end,
            _dumps(event_json(event, article_path)), event.source.actor_id, target.actor_id if target else None,
        ),
    )  # fmt: skip


def _insert_link(link: ToFetch, db: Db) -> bool:
    return bool(
        db.run(
            "INSERT INTO to_fetch (url, origin, title, date, seen_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (url) DO NOTHING",
            (canonical_url(link.url) or link.url, link.origin, link.title, link.date, now()),
        )
    )


def _insert_error(error: DocError, content_hash: str | None, db: Db) -> None:
    db.run(
        "INSERT INTO errors (origin, stage, reason, content_hash, at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (origin, stage, reason) DO NOTHING",
        (error.origin, error.stage, error.reason, content_hash, now()),
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


# -- query building (constant SQL fragments; every value is a named parameter) -------------------------


def event_filters(
    dialect: Dialect,
    actor: str | None,
    dyad: tuple[str, str] | None,
    since: str | None,
    until: str | None,
    plover: str | None,
    who: str | None = None,
) -> tuple[list[str], dict[str, Any]]:
    """WHERE conditions over `events e JOIN articles a` and their parameters."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if who is not None:
        where.append(
            "(e.source_actor_id = :who OR e.target_actor_id = :who "
            "OR lower(e.source_name) = lower(:who) OR lower(e.target_name) = lower(:who) "
            f"OR {dialect.json_list_has('e.json', 'attributed_to', 'who')})"
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
        where.append(_prefix_compare(dialect, ">=", "since"))
        params["since"] = since
    if until is not None:
        where.append(_prefix_compare(dialect, "<=", "until"))
        params["until"] = until
    if plover is not None:
        where.append("e.plover = :plover")
        params["plover"] = plover
    return where, params


def _prefix_compare(dialect: Dialect, op: str, param: str) -> str:
    """`effective date <op> :param`, both cut to the shorter of the two (so month and day dates compare)."""
    assert op in (">=", "<=") and param in ("since", "until")
    width = dialect.least(f"length({_EFF})", f"length(CAST(:{param} AS TEXT))")
    return f"substr({_EFF}, 1, {width}) {op} substr(CAST(:{param} AS TEXT), 1, {width})"
