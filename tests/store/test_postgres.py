"""PostgresStore's own parts: several loader processes writing one database at once, read-only sessions, connection
errors, and the SQL the dialects spell differently (what every store does is tested in test_store.py)."""

from __future__ import annotations

import multiprocessing
import random
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from newsgraph.corpus.dedup import BANDS
from newsgraph.models import Analysis, Article, DocError, Page
from newsgraph.store.base import open_sql_store
from newsgraph.store.db import POSTGRES, SQLITE, to_pyformat
from newsgraph.store.sql import SqlStore
from tests.store.builders import make_event

COUNTRIES = ("RUS", "CHN", "DEU", "FRA", "GBR", "JPN")
HEADLINES = ("grain harvest", "border clash", "port strike", "bank merger", "river flood", "chess final",
             "opera gala", "tram fares", "bridge repair", "forest fire", "salt mine", "wool prices", "jazz night",
             "ferry delay", "canal toll", "honey glut")  # fmt: skip
GROUPS = 12  # articles both loaders have, three copies each


def _document(group: int, copy: int) -> tuple[str, Analysis]:
    """Copy `copy` of article `group`: copies share their body (syndication), groups share nothing."""
    rng = random.Random(group)
    body = " ".join(f"w{group}x{rng.randrange(300)}" for _ in range(160))
    day = f"2023-{group // 4 + 1:02d}-{group % 4 * 7 + 1:02d}"  # a week or more apart
    event = make_event(f"Leaders of group {group} met to discuss grain", "USA", COUNTRIES[group % 6], "CONSULT", day)
    doc_id = f"g{group:02d}c{copy:02d}" + "0" * 10
    page = Page(origin=f"{doc_id}.txt", content=body, fmt="text", content_hash=doc_id)
    article = Article(title=HEADLINES[group], paragraphs=(body,), date=day, outlet=f"Outlet {copy}")
    return doc_id, Analysis(page=page, article=article, events=(event,))


SHARED = [_document(group, copy) for group in range(GROUPS) for copy in range(3)]
ONLY_A = [_document(group, 0) for group in range(GROUPS, GROUPS + 2)]
ONLY_B = [_document(group, 0) for group in range(GROUPS + 2, GROUPS + 4)]
# The two loaders write copies of one article at the same moment (A the first copy of each, B the second), then
# both write every third copy (the same documents, in opposite orders), then documents only one of them has.
LOAD_A = SHARED[0::3] + SHARED[2::3] + ONLY_A
LOAD_B = SHARED[1::3] + SHARED[2::3][::-1] + ONLY_B


def _load(url: str, documents: list[tuple[str, Analysis]], start: Any) -> None:
    with open_sql_store(url) as store:  # both open a fresh database at once: migrations under their lock
        start.wait()
        for doc_id, analysis in documents:
            store.put_analysis(doc_id, analysis)


def _groups(store: SqlStore, sql: str) -> set[frozenset[str]]:
    """Sets of doc_ids grouped by the query's `grp` column."""
    found: dict[Any, set[str]] = {}
    for row in store.db.all(sql):
        found.setdefault(row["grp"], set()).add(row["doc_id"])
    return {frozenset(docs) for docs in found.values()}


def _layer(store: SqlStore) -> dict[str, Any]:
    """What a load built: row counts and the corpus layer's groups (ids aside, which depend on arrival order)."""
    return {
        "counts": store.counts(),
        "copies": _groups(store, "SELECT canonical_id AS grp, doc_id FROM copies"),
        "stories": _groups(store, "SELECT story_id AS grp, doc_id FROM story_articles"),
        "happenings": _groups(
            store,
            "SELECT m.happening_id AS grp, e.doc_id FROM happening_mentions m JOIN events e ON e.id = m.event_id",
        ),
        "bands": store.db.one("SELECT count(*) AS n FROM lsh_bands"),
    }


def test_postgres_two_loaders_build_what_one_sequential_run_builds(
    postgres_url: Callable[[], str], tmp_path: Path
) -> None:
    url = postgres_url()
    context = multiprocessing.get_context("fork")
    start = context.Barrier(2)
    loaders = [
        context.Process(target=_load, args=(url, LOAD_A, start)),
        context.Process(target=_load, args=(url, LOAD_B, start)),
    ]
    for loader in loaders:
        loader.start()
    for loader in loaders:
        loader.join(timeout=120)
    assert [loader.exitcode for loader in loaders] == [0, 0]
    with open_sql_store(url) as concurrent, open_sql_store(str(tmp_path / "one.db")) as sequential:
        for doc_id, analysis in SHARED + ONLY_A + ONLY_B:
            sequential.put_analysis(doc_id, analysis)
        built, expected = _layer(concurrent), _layer(sequential)
    assert built == expected
    assert expected["counts"]["pages"] == len(SHARED) + 4
    assert len(expected["copies"]) == len(expected["stories"]) == len(expected["happenings"]) == GROUPS + 4
    assert max(len(group) for group in expected["copies"]) == 3


def test_postgres_interrupted_load_rerun_adds_nothing_twice(postgres_url: Callable[[], str]) -> None:
    url = postgres_url()
    with open_sql_store(url) as store:
        for doc_id, analysis in SHARED[:7]:  # a load stopped part-way
            store.put_analysis(doc_id, analysis)
    with open_sql_store(url) as store:  # the re-run: stored documents are no-ops
        stored = [store.put_analysis(doc_id, analysis) for doc_id, analysis in SHARED]
        assert stored == [False] * 7 + [True] * (len(SHARED) - 7)
        layer = _layer(store)
    assert layer["counts"]["pages"] == layer["counts"]["events"] == len(SHARED)
    assert layer["bands"] == {"n": len(SHARED) * BANDS}
    assert len(layer["copies"]) == len(layer["happenings"]) == GROUPS


def test_postgres_readonly_session_refuses_writes(postgres_url: Callable[[], str]) -> None:
    import psycopg

    url = postgres_url()
    open_sql_store(url).close()
    with open_sql_store(url, readonly=True) as store:
        assert store.counts()["pages"] == 0
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            store.put_error(DocError(origin="a", stage="ingest", reason="x"))


def test_postgres_connection_error_names_the_server_not_the_password() -> None:
    with pytest.raises(ConnectionError) as info:
        open_sql_store("postgresql://loader:s3cret@127.0.0.1:1/news")
    assert "s3cret" not in str(info.value) and "loader:***@127.0.0.1:1" in str(info.value)


def test_postgres_week_periods_match_sqlite(postgres_url: Callable[[], str]) -> None:
    days = ["2023-01-01", "2023-01-02", "2023-12-31", "2024-01-01", "2024-02-29", "2021-01-03", "2021-01-04", "2023-10",
            "2024", "2024-06-15T10:00:00", "not a date"]  # fmt: skip
    lite = sqlite3.connect(":memory:")
    with open_sql_store(postgres_url(), readonly=True) as store:
        for day in days:
            for interval in ("day", "week", "month"):
                want = lite.execute(f"SELECT {SQLITE.period(':d', interval)}", {"d": day}).fetchone()[0]
                got = store.db.one(f"SELECT {POSTGRES.period('CAST(:d AS TEXT)', interval)} AS p", {"d": day})
                assert got == {"p": want}, (day, interval)


def test_pyformat_translation_leaves_strings_and_casts_alone() -> None:
    assert to_pyformat("SELECT a FROM t WHERE b = ? AND c = ?") == "SELECT a FROM t WHERE b = %s AND c = %s"
    assert to_pyformat("x = :who OR y = :who_2") == "x = %(who)s OR y = %(who_2)s"
    assert to_pyformat("SELECT '50%', 'a:b ?', \"c:d\", e::text, f % 2") == (
        "SELECT '50%%', 'a:b ?', \"c:d\", e::text, f %% 2"
    )
    assert to_pyformat("SELECT 'it''s :x'") == "SELECT 'it''s :x'"


def test_postgres_migrations_new_one_applied_broken_one_rolled_back(postgres_url: Callable[[], str]) -> None:
    import psycopg

    from newsgraph.store.postgres import PostgresStore
    from newsgraph.store.sql import load_migrations

    url = postgres_url()
    shipped = load_migrations("postgresql")
    PostgresStore(url).close()
    broken = ("9998_broken", "CREATE TABLE half (a integer);\nINSERT INTO missing VALUES (1);")
    with pytest.raises(psycopg.errors.UndefinedTable):
        PostgresStore(url, migrations=[*shipped, broken])
    extra = ("9999_extra", "ALTER TABLE pages ADD COLUMN extra TEXT;\nCREATE INDEX pages_extra ON pages (extra);")
    with PostgresStore(url, migrations=[*shipped, extra]) as store:
        assert store.applied_migrations() == [*(name for name, _ in shipped), "9999_extra"]
        assert store.db.one("SELECT to_regclass('half') AS t") == {"t": None}  # 9998 left no trace
        assert store.db.all("SELECT extra FROM pages") == []
