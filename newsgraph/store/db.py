"""The thin layer under the stores: a connection wrapper per backend (named or positional parameters, rows as
dicts, an insert that returns the new id) and a `Dialect` holding the few SQL fragments SQLite and PostgreSQL
spell differently. Store, corpus and query code is written once, in SQLite's parameter style (`?`, `:name`);
`PostgresDb` translates it to psycopg's.

Every fragment here is constant SQL chosen by the code, never built from user input.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import psycopg

__all__ = ["POSTGRES", "SQLITE", "Db", "Dialect", "Params", "PostgresDb", "Row", "SqliteDb", "to_pyformat"]

Row = dict[str, Any]
Params = Sequence[Any] | Mapping[str, Any]

# Dyad chart periods: day, ISO-free "week of the year, weeks start on Monday" (SQLite's %W), month.
INTERVALS = ("day", "week", "month")


@dataclass(frozen=True, slots=True)
class Dialect:
    """The SQL that differs between the backends (everything else is written once)."""

    name: str
    null_eq: str  # null-safe equality: a IS b / a IS NOT DISTINCT FROM b
    rowid: str  # the insertion-order column of tables without their own id (lsh_bands)

    def least(self, a: str, b: str) -> str:
        return f"min({a}, {b})" if self.name == "sqlite" else f"least({a}, {b})"

    def json_text(self, column: str, *path: str) -> str:
        """A JSON column's value at a path of object keys, as text."""
        if self.name == "sqlite":
            return f"json_extract({column}, '$.{'.'.join(path)}')"
        return f"(CAST({column} AS jsonb) #>> '{{{','.join(path)}}}')"

    def json_number(self, column: str, key: str) -> str:
        if self.name == "sqlite":
            return f"json_extract({column}, '$.{key}')"
        return f"CAST(CAST({column} AS jsonb) ->> '{key}' AS double precision)"

    def json_list_has(self, column: str, key: str, param: str) -> str:
        """Whether the JSON list at `key` holds a string equal to :param, ignoring case."""
        if self.name == "sqlite":
            return f"EXISTS (SELECT 1 FROM json_each({column}, '$.{key}') AS c WHERE lower(c.value) = lower(:{param}))"
        return (
            f"EXISTS (SELECT 1 FROM jsonb_array_elements_text(CASE jsonb_typeof(CAST({column} AS jsonb) -> '{key}') "
            f"WHEN 'array' THEN CAST({column} AS jsonb) -> '{key}' END) AS c(value) "
            f"WHERE lower(c.value) = lower(:{param}))"
        )

    def period(self, date: str, interval: str) -> str:
        """The period (day, week, month) of an ISO date or month or year held in `date`, as text."""
        assert interval in INTERVALS
        padded = f"substr({date}, 1, 10) || CASE length({date}) WHEN 7 THEN '-01' WHEN 4 THEN '-01-01' ELSE '' END"
        if self.name == "sqlite":
            fmt = {"day": "%Y-%m-%d", "week": "%Y-W%W", "month": "%Y-%m"}[interval]
            return f"strftime('{fmt}', {padded})"
        day = f"(CASE WHEN ({padded}) ~ '^\\d{{4}}-\\d{{2}}-\\d{{2}}$' THEN to_date({padded}, 'YYYY-MM-DD') END)"
        if interval == "day":
            return f"to_char({day}, 'YYYY-MM-DD')"
        if interval == "month":
            return f"to_char({day}, 'YYYY-MM')"
        week = f"(CAST(extract(doy FROM {day}) AS integer) + 6 - CAST(extract(isodow FROM {day}) AS integer) + 1) / 7"
        return f"to_char({day}, 'YYYY') || '-W' || lpad(CAST({week} AS text), 2, '0')"

    def search(self, param: str, mark_open: str, mark_close: str) -> tuple[str, str, str, str]:
        """Full-text search over articles: (FROM source, WHERE condition, snippet expression, ORDER BY)."""
        if self.name == "sqlite":
            return (
                "articles_fts f JOIN articles a ON a.rowid = f.rowid",
                f"articles_fts MATCH :{param}",
                f"snippet(articles_fts, 1, '{mark_open}', '{mark_close}', '…', 16)",
                "rank",
            )
        query = f"websearch_to_tsquery('simple', :{param})"
        options = f"StartSel={mark_open}, StopSel={mark_close}, MaxWords=24, MinWords=8, MaxFragments=1"
        return (
            "articles a",
            f"a.search @@ {query}",
            f"ts_headline('simple', a.body, {query}, '{options}')",
            f"ts_rank_cd(a.search, {query}) DESC, a.doc_id",
        )


SQLITE = Dialect(name="sqlite", null_eq="IS", rowid="rowid")
POSTGRES = Dialect(name="postgresql", null_eq="IS NOT DISTINCT FROM", rowid="id")


class Db(Protocol):
    """A connection as the store code sees it."""

    dialect: Dialect

    def one(self, sql: str, params: Params = ()) -> Row | None: ...
    def all(self, sql: str, params: Params = ()) -> list[Row]: ...
    def run(self, sql: str, params: Params = ()) -> int: ...
    def many(self, sql: str, rows: Iterable[Params]) -> None: ...
    def insert(self, sql: str, params: Params = ()) -> int: ...
    def script(self, sql: str) -> None: ...


class SqliteDb:
    """`Db` over a sqlite3 connection (its row factory is left alone; rows are copied into dicts)."""

    dialect = SQLITE

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def one(self, sql: str, params: Params = ()) -> Row | None:
        cursor = self.conn.execute(sql, params)
        row = cursor.fetchone()
        return None if row is None else _sqlite_row(cursor, row)

    def all(self, sql: str, params: Params = ()) -> list[Row]:
        cursor = self.conn.execute(sql, params)
        return [_sqlite_row(cursor, row) for row in cursor.fetchall()]

    def run(self, sql: str, params: Params = ()) -> int:
        return self.conn.execute(sql, params).rowcount

    def many(self, sql: str, rows: Iterable[Params]) -> None:
        self.conn.executemany(sql, rows)

    def insert(self, sql: str, params: Params = ()) -> int:
        rowid = self.conn.execute(sql, params).lastrowid
        assert rowid is not None
        return rowid

    def script(self, sql: str) -> None:
        self.conn.execute(sql)


def _sqlite_row(cursor: sqlite3.Cursor, row: Any) -> Row:
    return {column[0]: value for column, value in zip(cursor.description, row, strict=True)}


class PostgresDb:
    """`Db` over a psycopg 3 connection with dict rows; SQL in SQLite's parameter style is translated."""

    dialect = POSTGRES

    def __init__(self, conn: psycopg.Connection[Row]) -> None:
        self.conn = conn

    def one(self, sql: str, params: Params = ()) -> Row | None:
        return self.conn.execute(to_pyformat(sql), params).fetchone()

    def all(self, sql: str, params: Params = ()) -> list[Row]:
        return self.conn.execute(to_pyformat(sql), params).fetchall()

    def run(self, sql: str, params: Params = ()) -> int:
        return self.conn.execute(to_pyformat(sql), params).rowcount

    def many(self, sql: str, rows: Iterable[Params]) -> None:
        with self.conn.cursor() as cursor:
            cursor.executemany(to_pyformat(sql), list(rows))

    def insert(self, sql: str, params: Params = ()) -> int:
        row = self.conn.execute(to_pyformat(sql + " RETURNING id"), params).fetchone()
        assert row is not None
        return int(row["id"])

    def script(self, sql: str) -> None:
        self.conn.execute(sql)  # no parameters: run as written, several statements allowed


_TOKEN = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|::|:(\w+)|\?|%")


@lru_cache(maxsize=512)
def to_pyformat(sql: str) -> str:
    """SQLite-style parameters (`?`, `:name`) as psycopg's (`%s`, `%(name)s`); literal `%` doubled. Quoted strings
    and identifiers and `::` casts are left as they are."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token[0] in "'\"":
            return token.replace("%", "%%")
        if token == "::":
            return token
        if match.group(1):
            return f"%({match.group(1)})s"
        return "%s" if token == "?" else "%%"

    return _TOKEN.sub(replace, sql)
