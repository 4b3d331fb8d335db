"""Read-only queries behind the REST API and the web UI: one connection (a SQLite file opened read-only, or a
PostgreSQL session whose transactions are read-only), constant SQL with named parameters only (user input never
becomes SQL text); the few fragments the backends spell differently come from the store's dialect.

Each statement may be given a time limit (`QueryTimeout` when it runs longer), and a search the database cannot
parse is a `SearchSyntaxError`: the API answers both as client errors, never as a server error."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from newsgraph.store.base import is_postgres_url, open_sql_store, sqlite_path
from newsgraph.store.db import INTERVALS, Db, Params, Row, SqliteDb
from newsgraph.store.sql import SqlStore, event_filters, load_migrations

MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"  # snippet highlight marks: not HTML, so the text stays data
MAX_LIMIT = 500
MAX_OFFSET = 100_000  # deeper pages cost a scan of every row before them: narrow the filters instead
MAX_QUERY_CHARS = 200  # a search's words
COUNT_CAP = 1_000  # listings count their rows up to this many, then report COUNT_CAP + 1 ("1000+")
PROGRESS_STEPS = 1_000  # SQLite virtual machine steps between two looks at the clock
# How SQLite's messages about an FTS5 query it cannot parse begin (`"`, `AND`, `*`, `col:x`).
FTS5_SYNTAX = ("fts5:", "unterminated string", "no such column", "unknown special query")


class SearchSyntaxError(ValueError):
    """The database could not parse a search (answered as 400: the words, not the server, are at fault)."""


class QueryTimeout(TimeoutError):
    """A statement ran past its time limit and was stopped (answered as 503)."""


class Queries:
    """The API's view of a newsgraph database (opened read-only; a missing file is an error, not a new database).
    `path`: a SQLite file path or a `--db` value (sqlite:///path, postgresql://...)."""

    def __init__(self, path: str | Path, time_limit: float | None = None) -> None:
        """time_limit: seconds any one statement may run (None: no limit, as exports over a whole database)."""
        db = str(path)
        if not is_postgres_url(db) and not Path(sqlite_path(db)).exists():
            raise FileNotFoundError(f"{path}: no such database (run `newsgraph ingest ... --db {path}` first)")
        migrate_if_behind(db)
        self.url = db
        self.time_limit = time_limit
        self._local = threading.local()
        self._opened: list[SqlStore] = []
        self._lock = threading.Lock()
        self.dialect = self.db.dialect

    @property
    def store(self) -> SqlStore:
        """This thread's read-only store: one connection per thread, never shared (a SQLite connection used by two
        threads at once can deadlock them: one holds the connection and waits for the GIL in the progress handler,
        the other holds the GIL and waits for the connection)."""
        store: SqlStore | None = getattr(self._local, "store", None)
        if store is None:
            store = open_sql_store(self.url, readonly=True)
            store.db = LimitedDb(store.db, lambda: self.time_limit)
            self._local.store = store
            with self._lock:
                self._opened.append(store)
        return store

    @property
    def db(self) -> LimitedDb:
        db = self.store.db
        assert isinstance(db, LimitedDb)
        return db

    def limit(self, seconds: float | None) -> None:
        """Give each later statement, in every thread, at most `seconds` (None: no limit)."""
        self.time_limit = seconds

    def close(self) -> None:
        with self._lock:
            for store in self._opened:
                store.close()
            self._opened.clear()
        self._local = threading.local()

    # -- articles --------------------------------------------------------------------------------------------
    def articles(
        self,
        q: str | None = None,
        since: str | None = None,
        until: str | None = None,
        outlet: str | None = None,
        story: int | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> dict[str, Any]:
        where: list[str] = []
        params = page_params(limit, offset)
        source = "articles a"
        snippet = "substr(a.summary, 1, 240)"
        order = "a.date DESC, a.doc_id"
        if q:
            source, match, snippet, order = self.dialect.search("q", MARK_OPEN, MARK_CLOSE)
            where.append(match)
            params["q"] = fts_query(q) if self.dialect.name == "sqlite" else q  # PostgreSQL: web search syntax
        if since:
            where.append("a.date >= :since")
            params["since"] = since
        if until:
            where.append("substr(a.date, 1, length(:until)) <= :until")
            params["until"] = until
        if outlet:
            where.append("a.outlet = :outlet")
            params["outlet"] = outlet
        if story is not None:
            where.append("a.doc_id IN (SELECT doc_id FROM story_articles WHERE story_id = :story)")
            params["story"] = story
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        total = self._one(f"SELECT count(*) AS n FROM {source}{clause}", params)["n"]
        rows = self.db.all(
            f"SELECT a.doc_id, a.title, a.date, a.outlet, {snippet} AS snippet, "
            f"(SELECT count(*) FROM events e WHERE e.doc_id = a.doc_id) AS n_events FROM {source}{clause} "
            f"ORDER BY {order} LIMIT :limit OFFSET :offset",
            params,
        )
        return {"total": total, "items": rows}

    def article(self, doc_id: str) -> dict[str, Any] | None:
        found = self.store.article(doc_id)
        if found is None:
            return None
        row = self.db.one("SELECT story_id FROM story_articles WHERE doc_id = ?", (found["doc_id"],))
        found["story_id"] = row["story_id"] if row else None
        found["copies"] = self.store.copies(found["doc_id"])
        ids = self.db.all("SELECT id FROM events WHERE doc_id = ? ORDER BY id", (found["doc_id"],))
        for event, row in zip(found["events"], ids, strict=True):
            event["event_id"] = row["id"]
        return found

    # -- events ----------------------------------------------------------------------------------------------
    def events(
        self,
        *,
        actor: str | None = None,
        dyad: tuple[str, str] | None = None,
        since: str | None = None,
        until: str | None = None,
        plover: str | None = None,
        root: str | None = None,
        status: str | None = None,
        place: str | None = None,
        who: str | None = None,
        mentions: bool = False,
        limit: int = 50,
        offset: int = 0,
    ) -> dict[str, Any]:
        where, params = event_filters(self.dialect, actor, dyad, since, until, plover, who)
        if root:
            where.append("substr(e.cameo, 1, 2) = :root")
            params["root"] = root
        if status:
            where.append("e.status = :status")
            params["status"] = status
        if place:
            country, name = (self.dialect.json_text("e.json", "location", key) for key in ("country", "name"))
            where.append(f"({country} = :place OR lower({name}) = lower(:place))")
            params["place"] = place
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        params |= page_params(limit, offset)
        joined = "FROM events e JOIN articles a ON a.doc_id = e.doc_id"
        if mentions:
            total = self._count(f"SELECT 1 {joined}{clause}", params)
            rows = self.db.all(
                f"SELECT e.id, e.doc_id, e.json, a.title {joined}{clause} "
                "ORDER BY e.date DESC, e.id DESC LIMIT :limit OFFSET :offset",  # newest first, along an index
                params,
            )
            items = [{**json.loads(r["json"]), "event_id": r["id"], "doc_id": r["doc_id"], "title": r["title"]}
                     for r in rows]  # fmt: skip
            return {"total": min(total, COUNT_CAP), "more": total > COUNT_CAP, "items": items}
        inner = f"SELECT m.happening_id FROM happening_mentions m JOIN events e ON e.id = m.event_id " \
                f"JOIN articles a ON a.doc_id = e.doc_id{clause}"  # fmt: skip
        total = self._count(f"SELECT 1 FROM happenings WHERE id IN ({inner})", params)
        ids = [
            r["id"]
            for r in self.db.all(
                f"SELECT id FROM happenings WHERE id IN ({inner}) ORDER BY date DESC, id DESC "
                "LIMIT :limit OFFSET :offset",  # newest first, along an index
                params,
            )
        ]
        return {"total": min(total, COUNT_CAP), "more": total > COUNT_CAP, "items": self.happenings(ids)}

    def _count(self, select: str, params: dict[str, Any]) -> int:
        """Rows a listing has, counted up to COUNT_CAP (a page says "1000+" rather than scan the database)."""
        return int(self._one(f"SELECT count(*) AS n FROM ({select} LIMIT {COUNT_CAP + 1}) AS capped", params)["n"])

    def _one(self, sql: str, params: Any = ()) -> dict[str, Any]:
        row = self.db.one(sql, params)
        assert row is not None  # aggregates always give a row
        return row

    def happenings(self, ids: Sequence[int]) -> list[dict[str, Any]]:
        return self.store.happenings_by_id(ids)

    # -- actors, dyads, stories, stats -----------------------------------------------------------------------
    def actors(self, q: str | None = None, limit: int = 50, offset: int = 0) -> dict[str, Any]:
        params = page_params(limit, offset)
        where = ""
        if q:
            where = "WHERE lower(name) LIKE :q ESCAPE '\\' OR actor_id LIKE :q ESCAPE '\\'"
            params["q"] = "%" + q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self.db.all(
            f"SELECT actor_id, min(name) AS name, min(type) AS type, max(country) AS country, max(sector) AS sector, "
            f"count(DISTINCT doc_id) AS articles FROM entities {where} GROUP BY actor_id "
            "ORDER BY articles DESC, actor_id LIMIT :limit OFFSET :offset",
            params,
        )
        return {"items": rows}

    def actor(self, actor_id: str) -> dict[str, Any] | None:
        row = self.db.one(
            "SELECT actor_id, min(name) AS name, min(type) AS type, max(country) AS country, max(sector) AS sector, "
            "max(role) AS role, count(DISTINCT doc_id) AS articles FROM entities WHERE actor_id = ? GROUP BY actor_id",
            (actor_id,),
        )
        if row is None:
            return None
        found = {e["event_id"]: e for e in self.events(who=actor_id, mentions=True, limit=MAX_LIMIT)["items"]}
        for event in self.events(who=row["name"], mentions=True, limit=MAX_LIMIT)["items"]:  # as claimant, too
            found.setdefault(event["event_id"], event)
        return {**row, "events": sorted(found.values(), key=lambda e: (e.get("date") or "", e["event_id"]))}

    def dyad(self, a: str, b: str, interval: str = "month") -> dict[str, Any]:
        """Counts by quad class, mean Goldstein and PLOVER intensity per period, for events between a and b."""
        period = self.dialect.period("COALESCE(e.date, a.date)", interval if interval in INTERVALS else "month")
        intensity = self.dialect.json_number("e.json", "intensity")
        rows = self.db.all(
            f"SELECT {period} AS period, e.quad, count(*) AS n, avg(e.goldstein) AS goldstein, "
            f"avg({intensity}) AS intensity FROM events e JOIN articles a ON a.doc_id = e.doc_id "
            "WHERE ((e.source_country = :a AND e.target_country = :b) "
            "OR (e.source_country = :b AND e.target_country = :a)) "
            f"AND COALESCE(e.date, a.date) IS NOT NULL GROUP BY {period}, e.quad ORDER BY {period}",
            {"a": a, "b": b},
        )
        series: dict[str, dict[str, Any]] = {}
        for row in rows:
            point = series.setdefault(row["period"], {"period": row["period"], "quad": {}, "n": 0, "g": 0.0, "i": 0.0})
            point["quad"][str(row["quad"])] = row["n"]
            point["n"] += row["n"]
            point["g"] += row["goldstein"] * row["n"]
            point["i"] += (row["intensity"] or 0.0) * row["n"]
        points = [
            {"period": p["period"], "counts": p["quad"], "events": p["n"],
             "mean_goldstein": round(p["g"] / p["n"], 2), "mean_intensity": round(p["i"] / p["n"], 2)}
            for p in series.values()
        ]  # fmt: skip
        return {"a": a, "b": b, "interval": interval, "points": points}

    def stories(self) -> list[dict[str, Any]]:
        return self.store.stories()

    def story(self, story_id: int) -> dict[str, Any] | None:
        found = next(iter(self.store.stories(story_id)), None)
        if found is None:
            return None
        docs = [a["doc_id"] for a in found["articles"]]
        marks = ",".join("?" for _ in docs)
        ids = self.db.all(
            f"SELECT DISTINCT m.happening_id FROM happening_mentions m JOIN events e ON e.id = m.event_id "
            f"WHERE e.doc_id IN ({marks}) ORDER BY m.happening_id",
            docs,
        )
        return {**found, "events": self.happenings([r["happening_id"] for r in ids])}

    def network(self, since: str | None = None, until: str | None = None) -> dict[str, Any]:
        where, params = event_filters(self.dialect, None, None, since, until, None)
        where.append("e.source_country IS NOT NULL AND e.target_country IS NOT NULL")
        rows = self.db.all(
            "SELECT e.source_country AS source, e.target_country AS target, count(*) AS events, "
            "avg(e.goldstein) AS goldstein FROM events e JOIN articles a ON a.doc_id = e.doc_id WHERE "
            + " AND ".join(where)
            + " GROUP BY e.source_country, e.target_country ORDER BY events DESC, source, target",
            params,
        )
        edges = [r | {"goldstein": round(r["goldstein"], 2)} for r in rows]
        nodes = sorted({e["source"] for e in edges} | {e["target"] for e in edges})
        return {"nodes": nodes, "edges": edges}

    def stats(self) -> dict[str, Any]:
        counts = self.store.counts()
        row = self._one("SELECT min(date) AS first, max(date) AS last FROM articles")
        happenings = self._one("SELECT count(*) AS n FROM happenings")["n"]
        stories = self._one("SELECT count(*) AS n FROM stories")["n"]
        return {**counts, "happenings": happenings, "stories": stories, "first_date": row["first"],
                "last_date": row["last"]}  # fmt: skip

    def urls(self) -> dict[str, str | None]:
        """Each stored page's URL by doc_id (exports link a happening to its first report)."""
        return {r["doc_id"]: r["url"] for r in self.db.all("SELECT doc_id, url FROM pages")}


def page_params(limit: int, offset: int) -> dict[str, Any]:
    """LIMIT and OFFSET parameters within bounds, whatever a caller asks for."""
    return {"limit": max(0, min(limit, MAX_LIMIT)), "offset": max(0, min(offset, MAX_OFFSET))}


def fts_query(text: str) -> str:
    """A user's words as an FTS5 query of quoted terms (no FTS syntax from users: "Kim's" or "NOT" are words)."""
    words = re.findall(r"\w+", text)
    return " ".join('"' + w.replace('"', "") + '"' for w in words) or '""'


def migrate_if_behind(db: str) -> None:
    """Apply pending migrations before the API goes read-only. An up-to-date database is never opened for writing:
    a server starts beside a running ingest (which holds the write lock) and over a file it may only read."""
    backend = "postgresql" if is_postgres_url(db) else "sqlite"
    with open_sql_store(db, readonly=True) as store:
        applied = set(_applied(store))
    if any(name not in applied for name, _ in load_migrations(backend)):
        open_sql_store(db).close()


def _applied(store: SqlStore) -> list[str]:
    try:
        return store.applied_migrations()
    except Exception:  # no migrations table yet (sqlite3 and psycopg raise their own errors): nothing applied
        return []


class LimitedDb:
    """The API's `Db`: each read given at most the seconds `seconds()` says, read at each statement (SQLite: a
    progress handler watching the deadline; PostgreSQL: the session's statement_timeout), and the database's own
    errors about a search or a timeout raised as `SearchSyntaxError` and `QueryTimeout`. Writes pass through to the
    read-only connection, which refuses them. One thread's: its connection is not shared."""

    def __init__(self, inner: Db, seconds: Callable[[], float | None]) -> None:
        self.inner = inner
        self.dialect = inner.dialect
        self.seconds = seconds
        self._deadline: float | None = None
        self._applied: float | None = None  # PostgreSQL: the statement_timeout the session has
        if isinstance(inner, SqliteDb):
            inner.conn.set_progress_handler(self._expired, PROGRESS_STEPS)

    def _expired(self) -> int:
        at = self._deadline
        return int(at is not None and time.monotonic() > at)  # non-zero: SQLite interrupts the statement

    def _arm(self) -> None:
        seconds = self.seconds()
        self._deadline = None if seconds is None else time.monotonic() + seconds
        if not isinstance(self.inner, SqliteDb) and seconds != self._applied:
            milliseconds = 0 if seconds is None else max(1, round(seconds * 1000))  # 0: no limit
            self.inner.script(f"SET statement_timeout = {milliseconds}")
            self._applied = seconds

    @contextmanager
    def _limited(self, sql: str) -> Iterator[None]:
        self._arm()
        try:
            yield
        except Exception as exc:
            known = client_error(exc, sql)
            if known is None:
                raise
            raise known from exc
        finally:
            self._deadline = None

    def one(self, sql: str, params: Params = ()) -> Row | None:
        with self._limited(sql):
            return self.inner.one(sql, params)

    def all(self, sql: str, params: Params = ()) -> list[Row]:
        with self._limited(sql):
            return self.inner.all(sql, params)

    def run(self, sql: str, params: Params = ()) -> int:
        return self.inner.run(sql, params)

    def many(self, sql: str, rows: Iterable[Params]) -> None:
        self.inner.many(sql, rows)

    def insert(self, sql: str, params: Params = ()) -> int:
        return self.inner.insert(sql, params)

    def script(self, sql: str) -> None:
        self.inner.script(sql)


def client_error(exc: Exception, sql: str) -> SearchSyntaxError | QueryTimeout | None:
    """What a database error means to an API client, if it is the client's doing: a search the full-text engine
    cannot parse (SQLite FTS5, PostgreSQL tsquery) or a statement stopped at its time limit; None otherwise."""
    message = str(exc).strip()
    state = getattr(exc, "sqlstate", None)  # psycopg errors carry the SQLSTATE code
    if (isinstance(exc, sqlite3.OperationalError) and message == "interrupted") or state == "57014":
        return QueryTimeout("the query took too long: narrow it (fewer words, a shorter period)")
    fts = isinstance(exc, sqlite3.OperationalError) and " MATCH " in sql
    if (fts and message.startswith(FTS5_SYNTAX)) or (state == "42601" and "tsquery" in message):
        return SearchSyntaxError(f"the search could not be read ({message.splitlines()[0]}): try plain words")
    return None
