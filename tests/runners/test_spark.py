"""The Spark runner in local mode against the local runner, on the example corpus plus planted syndicated copies
(the same story under another outlet's wrapper, headline and trailing text; an exact duplicate file; a JSONL file
of several records): the same articles, duplicate groups, stories, events, happenings and daily dyad aggregates,
both in its Parquet tables and in the store it loads; loading again adds nothing; an interrupted load resumes.

Needs pyspark (the `spark` extra) and Java: skipped with the reason when either is missing, failed under CI=true.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES, ROOT, contents

pytestmark = pytest.mark.slow

COPIED = ("001", "002", "005", "010")  # example articles syndicated again in the planted corpus


def _require_spark() -> None:
    missing = []
    try:
        import pyspark  # noqa: F401
    except ImportError:
        missing.append("pyspark (pip install -e '.[spark]')")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        missing.append("java (a JDK 17 or later)")
    if missing:
        message = "the Spark runner tests need " + " and ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module", autouse=True)
def _spark_available() -> None:
    _require_spark()  # before the other fixtures spend a minute on the local runner


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from newsgraph.runners.spark import spark_session

    session = spark_session("local[2]", "newsgraph-tests")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, resources: Any) -> Path:
    """The example corpus, plus copies of some of its articles as other outlets run them."""
    from newsgraph.extract import extract
    from newsgraph.ingest import read_pages
    from newsgraph.models import Page

    folder = tmp_path_factory.mktemp("planted")
    for path in sorted(EXAMPLES.iterdir()):
        shutil.copy(path, folder / path.name)
    records = []
    for n, path in enumerate(sorted(p for p in EXAMPLES.iterdir() if p.name[:3] in COPIED)):
        page = next(p for p in read_pages([str(path)]) if isinstance(p, Page))
        article = extract(page)
        body = "\n\n".join(article.paragraphs)
        wrapper = (
            f" date {article.date} WIRE: {article.title} (updated)\n\nThe Harbour Gazette\n\nHome | World | Local\n\n"
            f"{article.title}, officials say\n\nBy Gazette Staff and Wire Reports\n\n{body}\n\n"
            f"This report was distributed by a news agency. Copyright 2023 The Harbour Gazette.\n"
        )
        (folder / f"{path.name[:3]}_zz-gazette-copy.txt").write_text(wrapper, "utf-8")
        records.append(
            {
                "title": f"Agency report {n}: {article.title}",
                "date": article.date,
                "url": f"https://wire.example.net/story/{n}",
                "text": body + "\n\nReporting by the agency's correspondents; editing by the desk.",
            }
        )
    (folder / "zz-wire.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    shutil.copy(EXAMPLES / "001_blinken-meets-xi-beijing.txt", folder / "zzz-exact-duplicate.txt")
    return folder


@pytest.fixture(scope="module")
def local_db(corpus: Path, resources: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from newsgraph.runners.local import ingest
    from newsgraph.store.sqlite import SqliteStore

    db = tmp_path_factory.mktemp("local") / "local.db"
    with SqliteStore(db) as store:
        summary = ingest([str(corpus)], store, resources)
    assert summary.errors == 0 and summary.stored == len(list(corpus.iterdir())) - 2 + len(COPIED)
    return db


@pytest.fixture(scope="module")
def spark_run(spark: Any, corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Any]:
    """(Parquet folder, store loaded from it, run summary)."""
    from newsgraph.runners.spark import load, run
    from newsgraph.store.sqlite import SqliteStore

    folder = tmp_path_factory.mktemp("spark")
    summary = run(spark, [str(corpus)], folder / "out")
    with SqliteStore(folder / "spark.db") as store:
        load(spark, folder / "out", store, summary=summary)
    return folder / "out", folder / "spark.db", summary


# -- what a store holds, comparable across runs ---------------------------------------------------------------------
def store_contents(db: Path) -> dict[str, Any]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        docs = {r["doc_id"]: json.loads(r["json"]) for r in conn.execute("SELECT doc_id, json FROM articles")}
        events: dict[str, list[Any]] = defaultdict(list)
        for r in conn.execute("SELECT doc_id, json FROM events ORDER BY id"):
            events[r["doc_id"]].append(json.loads(r["json"]))
        return {
            "docs": docs,
            "entities": sorted((r[0], r[1]) for r in conn.execute("SELECT doc_id, json FROM entities")),
            "events": dict(events),
            "copies": groups(conn.execute("SELECT doc_id, canonical_id FROM copies").fetchall()),
            "stories": stories_of(conn),
            "happenings": happenings_of(conn),
            "errors": sorted(tuple(r) for r in conn.execute("SELECT origin, stage, reason FROM errors")),
            "counts": {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES},
        }
    finally:
        conn.close()


TABLES = ("pages", "articles", "entities", "mentions", "events", "copies", "stories", "story_articles", "happenings",
          "happening_mentions", "errors", "to_fetch", "fingerprints", "lsh_bands")  # fmt: skip


def groups(pairs: list[Any]) -> set[tuple[str, frozenset[str]]]:
    """Duplicate groups as (canonical doc_id, its members)."""
    members: dict[str, set[str]] = defaultdict(set)
    for doc_id, canonical in pairs:
        members[canonical].add(doc_id)
    return {(canonical, frozenset(docs)) for canonical, docs in members.items()}


def stories_of(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """Stories in id order: (title, first and last date, actors, words, member doc_ids)."""
    out = []
    for s in conn.execute("SELECT * FROM stories ORDER BY id").fetchall():
        docs = frozenset(r[0] for r in conn.execute("SELECT doc_id FROM story_articles WHERE story_id = ?", (s["id"],)))
        out.append((s["title"], s["first_date"], s["last_date"], json.loads(s["actors"]), json.loads(s["words"]), docs))
    return out


def happenings_of(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """Happenings in id order: their columns and their reports as (doc_id, index of the event in its article)."""
    index = {}
    for doc_id, ids in conn.execute("SELECT doc_id, group_concat(id) FROM events GROUP BY doc_id"):
        index.update({int(i): (doc_id, n) for n, i in enumerate(sorted(int(x) for x in ids.split(",")))})
    out = []
    for h in conn.execute("SELECT * FROM happenings ORDER BY id").fetchall():
        reports = [index[r[0]] for r in conn.execute("SELECT event_id FROM happening_mentions WHERE happening_id = ?",
                                                     (h["id"],))]  # fmt: skip
        out.append((
            h["source_country"], h["target_country"], h["plover"], h["date"], h["last_date"], h["place_country"],
            h["mentions"], h["articles"], h["sources"], h["independent"], h["confidence"], json.loads(h["json"]),
            frozenset(reports),
        ))  # fmt: skip
    return out


def parquet(folder: Path, table: str) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    return pq.read_table(folder / table).to_pylist()  # type: ignore[no-any-return]


# -- the tests --------------------------------------------------------------------------------------------------------
def test_spark_store_equals_the_local_runners(local_db: Path, spark_run: tuple[Path, Path, Any]) -> None:
    expected, got = store_contents(local_db), store_contents(spark_run[1])
    assert got["docs"] == expected["docs"]
    assert got["entities"] == expected["entities"]
    assert got["events"] == expected["events"]
    assert got["copies"] == expected["copies"]
    assert got["stories"] == expected["stories"]
    assert got["happenings"] == expected["happenings"]
    assert got["counts"] == expected["counts"]
    planted = [members for _, members in expected["copies"] if len(members) > 1]
    assert len(planted) >= len(COPIED), "the planted copies were not found as duplicates"
    assert any(h[6] > 1 for h in expected["happenings"]), "no happening is reported twice"


def test_spark_parquet_tables_equal_the_local_runners(local_db: Path, spark_run: tuple[Path, Path, Any]) -> None:
    out = spark_run[0]
    expected = store_contents(local_db)
    articles = parquet(out, "articles")
    assert {a["doc_id"]: json.loads(a["analysis"])["article"] for a in articles} == expected["docs"]
    events: dict[str, list[Any]] = defaultdict(list)
    for e in sorted(parquet(out, "events"), key=lambda e: (e["seq"], e["event_index"])):
        events[e["doc_id"]].append(json.loads(e["json"]))
    assert dict(events) == expected["events"]
    assert groups([(c["doc_id"], c["canonical_id"]) for c in parquet(out, "copies")]) == expected["copies"]
    members: dict[int, set[str]] = defaultdict(set)
    for row in parquet(out, "story_articles"):
        members[row["story_id"]].add(row["doc_id"])
    stories = [
        (s["title"], s["first_date"], s["last_date"], json.loads(s["actors"]), json.loads(s["words"]),
         frozenset(members[s["story_id"]]))
        for s in sorted(parquet(out, "stories"), key=lambda s: s["story_id"])
    ]  # fmt: skip
    assert stories == expected["stories"]
    reports: dict[int, set[tuple[str, int]]] = defaultdict(set)
    for row in parquet(out, "happening_mentions"):
        reports[row["happening_id"]].add((row["doc_id"], row["event_index"]))
    happenings = [
        (h["source_country"], h["target_country"], h["plover"], h["date"], h["last_date"], h["place_country"],
         h["mentions"], h["articles"], h["sources"], h["independent"], h["confidence"], json.loads(h["json"]),
         frozenset(reports[h["happening_id"]]))
        for h in sorted(parquet(out, "happenings"), key=lambda h: h["happening_id"])
    ]  # fmt: skip
    assert happenings == expected["happenings"]


def test_spark_daily_dyad_aggregates_equal_the_stores(local_db: Path, spark_run: tuple[Path, Path, Any]) -> None:
    from newsgraph.api.queries import Queries

    points: dict[tuple[str, str], dict[str | None, dict[str, Any]]] = defaultdict(dict)
    for row in parquet(spark_run[0], "dyad_days"):
        point = points[(row["a"], row["b"])].setdefault(row["day"], {"counts": {}, "n": 0, "g": 0.0, "i": 0.0})
        point["counts"][str(row["quad"])] = row["events"]
        point["n"] += row["events"]
        point["g"] += row["goldstein"] * row["events"]
        point["i"] += row["intensity"] * row["events"]
    assert len(points) > 3
    queries = Queries(local_db)
    try:
        for (a, b), days in points.items():
            mine = [
                {"period": day, "counts": p["counts"], "events": p["n"], "mean_goldstein": round(p["g"] / p["n"], 2),
                 "mean_intensity": round(p["i"] / p["n"], 2)}
                for day, p in sorted(days.items(), key=lambda kv: kv[0] or "")
            ]  # fmt: skip
            for point in mine:
                point["counts"] = dict(sorted(point["counts"].items()))
            theirs = queries.dyad(a, b, "day")["points"]
            for point in theirs:
                point["counts"] = dict(sorted(point["counts"].items()))
            assert mine == theirs, (a, b)
    finally:
        queries.close()
    total = sum(p["n"] for days in points.values() for p in days.values())
    with sqlite3.connect(local_db) as conn:
        sql = "SELECT count(*) FROM events WHERE source_country IS NOT NULL AND target_country IS NOT NULL"
        assert total == conn.execute(sql).fetchone()[0]


def test_spark_load_again_adds_nothing(spark: Any, spark_run: tuple[Path, Path, Any]) -> None:
    from newsgraph.runners.spark import load
    from newsgraph.store.sqlite import SqliteStore

    out, db, _ = spark_run
    before = store_contents(db)
    with SqliteStore(db) as store:
        summary = load(spark, out, store)
    assert summary.stored == 0 and summary.skipped == len(before["docs"])
    assert store_contents(db) == before


def test_spark_interrupted_load_resumes_to_the_same_contents(
    spark: Any, spark_run: tuple[Path, Path, Any], tmp_path: Path
) -> None:
    from newsgraph.runners.spark import load
    from newsgraph.store.sqlite import SqliteStore

    out, db, _ = spark_run
    loaded = [0]

    def stop_after_ten() -> bool:
        loaded[0] += 1
        return loaded[0] > 10

    with SqliteStore(tmp_path / "resumed.db") as store:
        first = load(spark, out, store, stop=stop_after_ten)
        assert first.stopped and 0 < store.counts()["pages"] < len(store_contents(db)["docs"])
        second = load(spark, out, store)
    assert second.skipped == first.stored and not second.stopped
    assert store_contents(tmp_path / "resumed.db") == store_contents(db)


def test_cli_run_engine_spark_stores_what_engine_local_stores(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for path in sorted(EXAMPLES.iterdir())[6:9]:
        shutil.copy(path, pages / path.name)
    runs = {}
    for engine in ("local", "spark"):
        args = ["run", "--engine", engine, str(pages), "--db", str(tmp_path / f"{engine}.db")]
        if engine == "spark":
            args += ["--master", "local[1]", "--out", str(tmp_path / "tables")]
        runs[engine] = subprocess.run(
            [sys.executable, "-m", "newsgraph.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
        )
        assert runs[engine].returncode == 0, runs[engine].stderr[-2000:]
    assert "3 new in the store" in runs["spark"].stdout
    assert (tmp_path / "tables" / "dyad_days").is_dir()
    local, spark = store_contents(tmp_path / "local.db"), store_contents(tmp_path / "spark.db")
    assert local["docs"] and local == spark
    refused = subprocess.run([sys.executable, "-m", "newsgraph.cli", "run", "--engine", "spark", str(pages)],
                             cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    assert refused.returncode == 2 and "--db DB" in refused.stderr


def test_spark_into_postgresql_interrupted_and_run_again_stores_each_document_once(
    spark: Any, spark_run: tuple[Path, Path, Any], postgres_url: Callable[[], str]
) -> None:
    from newsgraph.runners.spark import load
    from newsgraph.store.base import open_store

    out, db, _ = spark_run
    url = postgres_url()
    loaded = [0]

    def stop_after_ten() -> bool:
        loaded[0] += 1
        return loaded[0] > 10

    with open_store(url) as store:
        first = load(spark, out, store, stop=stop_after_ten)
        assert first.stopped and 0 < store.counts()["pages"] < len(store_contents(db)["docs"])
    with open_store(url) as store:  # a new run, as after a crash: the rest is stored, nothing twice
        second = load(spark, out, store)
    with open_store(url) as store:
        third = load(spark, out, store)
    assert second.skipped == first.stored and not second.stopped
    assert third.stored == 0 and third.skipped == len(store_contents(db)["docs"])
    assert contents(url) == contents(str(db))  # what the SQLite load holds, row for row
