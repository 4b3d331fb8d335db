"""SqliteStore's own parts: migration files and their statements, pragmas, closing, upgrading an old file (what
every store does is tested against both backends in test_store.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newsgraph.serialize import analysis_json
from newsgraph.store import SqliteStore
from newsgraph.store.sqlite import load_migrations, split_statements
from tests.store.builders import make_analysis, rich_analysis


def test_sqlite_migrations_shipped_in_order() -> None:
    migrations = load_migrations()
    names = [name for name, _ in migrations]
    assert names[0] == "0001_initial"
    assert names == sorted(names)
    assert "CREATE TABLE events" in migrations[0][1]


def shipped() -> list[str]:
    return [name for name, _ in load_migrations()]


def test_sqlite_migrations_recorded_and_not_reapplied(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with SqliteStore(db) as store:
        assert store.applied_migrations() == shipped()
        store.put_analysis("doc0000001", make_analysis("a.txt", "2023-10-05"))
    first = sqlite3.connect(db).execute("SELECT name, applied_at FROM migrations").fetchall()
    with SqliteStore(db) as store:  # would fail with "table pages already exists" if re-applied
        assert store.applied_migrations() == shipped()
        assert store.has_doc("doc0000001")
    assert sqlite3.connect(db).execute("SELECT name, applied_at FROM migrations").fetchall() == first


def test_sqlite_migrations_new_one_applied_on_reopen(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    SqliteStore(db).close()
    extra = [*load_migrations(), ("9999_extra", "ALTER TABLE pages ADD COLUMN extra TEXT;")]
    with SqliteStore(db, migrations=extra) as store:
        assert store.applied_migrations() == [*shipped(), "9999_extra"]
    columns = [row[1] for row in sqlite3.connect(db).execute("PRAGMA table_info(pages)")]
    assert "extra" in columns


def test_sqlite_migration_failure_rolls_back(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    broken = [*load_migrations(), ("9999_broken", "CREATE TABLE half (a); INSERT INTO missing VALUES (1);")]
    with pytest.raises(sqlite3.OperationalError, match="missing"):
        SqliteStore(db, migrations=broken)
    with SqliteStore(db) as store:  # shipped ones committed each in its own transaction, 9999 left no trace
        assert store.applied_migrations() == shipped()
    tables = {row[0] for row in sqlite3.connect(db).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "half" not in tables
    assert {"pages", "articles", "entities", "mentions", "events", "errors", "migrations"} <= tables


def test_sqlite_split_statements_keeps_strings_and_triggers() -> None:
    script = (
        "-- header; with a semicolon\nCREATE TABLE t (a TEXT);\nINSERT INTO t VALUES ('x;y');\n"
        "CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO t VALUES ('z'); END;\n"
    )
    statements = list(split_statements(script))
    assert len(statements) == 3
    conn = sqlite3.connect(":memory:")
    for statement in statements:
        conn.execute(statement)
    conn.execute("INSERT INTO t VALUES ('w')")  # the trigger (created after 'x;y') adds one 'z'
    assert sorted(row[0] for row in conn.execute("SELECT a FROM t")) == ["w", "x;y", "z"]


def test_sqlite_wal_mode_and_pragmas_on_file_db(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with SqliteStore(str(db), busy_timeout=2.5) as store:
        conn = store._conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 2500
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # persisted in the file


def test_sqlite_close_and_context_manager(tmp_path: Path) -> None:
    with SqliteStore(tmp_path / "news.db") as store:
        assert store.counts()["pages"] == 0
    with pytest.raises(sqlite3.ProgrammingError):
        store.counts()
    store.close()  # idempotent


def test_sqlite_roundtrip_persists_across_connections(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    analysis = rich_analysis()
    with SqliteStore(db) as store:
        store.put_analysis("f00dfeed01", analysis)
    with SqliteStore(db) as store:
        assert store.article("f00dfeed01") == {"doc_id": "f00dfeed01", **analysis_json(analysis)}
    raw = sqlite3.connect(db)
    mentions = raw.execute(
        "SELECT en.name, m.text, m.start, m.end FROM mentions m JOIN entities en ON en.id = m.entity_id "
        "ORDER BY en.id, m.start"
    ).fetchall()
    assert mentions == [
        ("Emmanuel Macron", "Macron", 13, 19),
        ("Olaf Scholz", "Scholz", 0, 6),
        ("Olaf Scholz", "Olaf Scholz", 32, 43),
    ]
    body = raw.execute("SELECT body FROM articles").fetchone()[0]
    assert body == analysis.article.text


def test_sqlite_upgrade_backfills_event_actor_ids(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with SqliteStore(db) as store:
        store.put_analysis("doc0000001", rich_analysis())
    with sqlite3.connect(db) as conn:  # take the database back to how 0001 left it, rows kept
        conn.executescript(
            "DROP INDEX events_source_actor; DROP INDEX events_target_actor;"
            "ALTER TABLE events DROP COLUMN source_actor_id; ALTER TABLE events DROP COLUMN target_actor_id;"
            "DELETE FROM migrations WHERE name = '0002_event_actor_ids';"
        )
    with SqliteStore(db) as store:
        assert store.applied_migrations() == shipped()
        [event] = store.events(who="Q3052772")
        assert event["source"]["name"] == "Emmanuel Macron"
