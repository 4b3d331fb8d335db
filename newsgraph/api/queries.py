"""Read-only queries behind the REST API and the web UI: one connection (a SQLite file opened read-only, or a
PostgreSQL session whose transactions are read-only), constant SQL with named parameters only (user input never
becomes SQL text); the few fragments the backends spell differently come from the store's dialect."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsgraph.store.base import is_postgres_url, open_sql_store, sqlite_path
from newsgraph.store.db import INTERVALS
from newsgraph.store.sql import event_filters

MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"  # snippet highlight marks: not HTML, so the text stays data
MAX_LIMIT = 500
COUNT_CAP = 1_000  # listings count their rows up to this many, then report COUNT_CAP + 1 ("1000+")


class Queries:
    """The API's view of a newsgraph database (opened read-only; a missing file is an error, not a new database).
    `path`: a SQLite file path or a `--db` value (sqlite:///path, postgresql://...)."""

    def __init__(self, path: str | Path) -> None:
        db = str(path)
        if not is_postgres_url(db) and not Path(sqlite_path(db)).exists():
            raise FileNotFoundError(f"{path}: no such database (run `newsgraph ingest ... --db {path}` first)")
        open_sql_store(db).close()  # apply pending migrations once, before going read-only
        self.store = open_sql_store(db, readonly=True)
        self.db = self.store.db
        self.dialect = self.db.dialect

    def close(self) -> None:
        self.store.close()

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
        params: dict[str, Any] = {"limit": min(limit, MAX_LIMIT), "offset": offset}
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
        params |= {"limit": min(limit, MAX_LIMIT), "offset": offset}
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
        params: dict[str, Any] = {"limit": min(limit, MAX_LIMIT), "offset": offset}
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


def fts_query(text: str) -> str:
    """A user's words as an FTS5 query of quoted terms (no FTS syntax from users: "Kim's" or "NOT" are words)."""
    words = re.findall(r"\w+", text)
    return " ".join('"' + w.replace('"', "") + '"' for w in words) or '""'
