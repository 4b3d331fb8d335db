"""SqliteStore: migrations, pragmas, round-trip against serialize, idempotence, every events() filter."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, cast

import pytest

from newsgraph.models import (
    ActorRef,
    Analysis,
    Article,
    DocError,
    Entity,
    Event,
    Location,
    Mention,
    Page,
)
from newsgraph.serialize import analysis_json
from newsgraph.store import AmbiguousDocIdError, SqliteStore
from newsgraph.store.sqlite import load_migrations, split_statements

# -- builders --------------------------------------------------------------------------------------


def make_event(
    label: str,
    source: str | None,
    target: str | None,
    plover: str = "CONSULT",
    date: str | None = None,
    precision: str | None = None,
    goldstein: Any = 1.0,
) -> Event:
    """An event whose sentence is `label`, so tests can name events by it."""
    return Event(
        source=ActorRef(name=f"{source} government", country=source, sector="GOV"),
        target=ActorRef(name=f"{target} government", country=target, sector="GOV") if target else None,
        plover=plover,
        cameo="040",
        goldstein=goldstein,
        quad=1,
        intensity=0.5,
        status="asserted",
        attributed_to=(),
        date=date,
        date_precision=cast(Any, precision),
        location=None,
        sentence=label,
        start=0,
        end=len(label),
        trigger="met",
    )


def make_analysis(origin: str, date: str | None, events: tuple[Event, ...] = (), title: str = "T") -> Analysis:
    page = Page(origin=origin, content="raw", fmt="text", url=f"https://example.org/{origin}", content_hash="h")
    article = Article(title=title, paragraphs=("First paragraph.", "Second."), date=date, outlet="Outlet")
    return Analysis(page=page, article=article, entities=(), events=events)


RICH_TEXT = "Le président Macron a rencontré Olaf Scholz à Berlin."


def rich_article() -> Article:
    """An article with every metadata field filled."""
    text = RICH_TEXT
    return Article(
        title="Macron à Berlin",
        paragraphs=(text, "Deuxième paragraphe ; avec point-virgule."),
        date="2023-10-05",
        published="2023-10-05T08:00:00+02:00",
        modified="2023-10-05T09:30:00+02:00",
        agency="AFP",
        outlet="Le Monde",
        section="International",
        breadcrumb=("Monde", "Europe"),
        tags=("France", "Allemagne"),
        summary="Rencontre franco-allemande.",
        image_captions=("Photo: AFP",),
        authors=("A. Auteur", "B. Autrice"),
        language="fr",
        url="https://example.org/macron",
    )


def rich_analysis() -> Analysis:
    """Every field filled, unicode, nested location, mentions: the round-trip case."""
    text = RICH_TEXT
    page = Page(origin="dumps/fr/0001.txt", content=text, fmt="page", date="2023-10-05", content_hash="abc")
    macron = Entity(
        name="Emmanuel Macron",
        type="PERSON",
        country="FRA",
        sector="GOV",
        role="president",
        actor_id="Q3052772",
        aliases=("Macron",),
        mentions=(Mention(text="Macron", start=13, end=19),),
    )
    scholz = Entity(
        name="Olaf Scholz",
        type="PERSON",
        country="DEU",
        sector="GOV",
        role=None,
        mentions=(Mention(text="Olaf Scholz", start=32, end=43), Mention(text="Scholz", start=0, end=6)),
    )
    event = Event(
        source=ActorRef(name="Emmanuel Macron", country="FRA", sector="GOV", actor_id="Q3052772"),
        target=ActorRef(name="Olaf Scholz", country="DEU", sector="GOV"),
        plover="CONSULT",
        cameo="040",
        goldstein=1.0,
        quad=1,
        intensity=0.25,
        status="reported",
        attributed_to=("AFP",),
        date="2023-10-05",
        date_precision="day",
        location=Location(name="Berlin", country="DEU", lat=52.52, lon=13.405),
        sentence=text,
        start=0,
        end=len(text),
        trigger="a rencontré",
        mode="meet",
        confidence=0.875,
    )
    return Analysis(page=page, article=rich_article(), entities=(macron, scholz), events=(event,))


# Six events over three documents; labels name them. Effective-date order: e4 e3 e1 e2 e5 e6.
EVENTS_A = (
    make_event("e1", "USA", "RUS", "ACCUSE", "2023-10-03", "day"),
    make_event("e2", "RUS", "USA", "THREATEN", None),  # falls back to article date 2023-10-05
    make_event("e3", "USA", None, "CONSULT", "2023-10", "month"),
)
EVENTS_B = (
    make_event("e4", "FRA", "DEU", "COOPERATE", "2023-09-30", "day"),
    make_event("e5", "usa", "CHN", "SANCTION", "2023-11", "month"),
)
EVENTS_C = (make_event("e6", "GBR", "USA", "CONSULT", None),)  # no date anywhere


@pytest.fixture
def store() -> Any:
    with SqliteStore(":memory:") as s:
        yield s


@pytest.fixture
def populated(store: SqliteStore) -> SqliteStore:
    assert store.put_analysis("docA000001", make_analysis("a.txt", "2023-10-05", EVENTS_A, "A"))
    assert store.put_analysis("docB000002", make_analysis("b.txt", "2023-11-20", EVENTS_B, "B"))
    assert store.put_analysis("docC000003", make_analysis("c.txt", None, EVENTS_C, "C"))
    return store


def labels(events: list[dict[str, Any]]) -> list[str]:
    return [e["sentence"] for e in events]


# -- migrations and pragmas ------------------------------------------------------------------------


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


# -- writes ----------------------------------------------------------------------------------------


def test_sqlite_roundtrip_equals_serialize_output(store: SqliteStore) -> None:
    analysis = rich_analysis()
    assert store.put_analysis("f00dfeed01", analysis)
    assert store.article("f00dfeed01") == {"doc_id": "f00dfeed01", **analysis_json(analysis)}


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


def test_sqlite_put_analysis_idempotent(store: SqliteStore) -> None:
    first = make_analysis("a.txt", "2023-10-05", EVENTS_A, title="original")
    other = make_analysis("b.txt", "2024-01-01", EVENTS_B, title="other")
    assert store.put_analysis("docA000001", first) is True
    before = store.counts()
    assert store.put_analysis("docA000001", first) is False
    assert store.put_analysis("docA000001", other) is False
    assert (
        store.counts() == before == {"pages": 1, "articles": 1, "entities": 0, "events": 3, "errors": 0, "to_fetch": 0}
    )
    stored = store.article("docA000001")
    assert stored is not None and stored["article"]["title"] == "original"


def test_sqlite_put_analysis_is_atomic(store: SqliteStore) -> None:
    good = make_event("ok", "USA", "RUS")
    bad = make_event("bad", "USA", "RUS", goldstein=object())  # cannot be stored: fails after other rows
    entity = Entity(name="X", type="ORG", country="USA", sector=None, role=None, mentions=(Mention("X", 0, 1),))
    analysis = Analysis(
        page=Page(origin="a.txt", content="", fmt="text"),
        article=Article(title="t", paragraphs=("p",)),
        entities=(entity,),
        events=(good, bad),
    )
    with pytest.raises((TypeError, sqlite3.Error)):
        store.put_analysis("docA000001", analysis)
    assert not store.has_doc("docA000001")
    assert store.counts() == {"pages": 0, "articles": 0, "entities": 0, "events": 0, "errors": 0, "to_fetch": 0}
    assert store.put_analysis("docA000001", make_analysis("a.txt", None))  # store still usable


def test_sqlite_put_error_idempotent(store: SqliteStore) -> None:
    error = DocError(origin="a.html", stage="extract", reason="no body")
    store.put_error(error, content_hash="h1")
    store.put_error(error, content_hash="h2")
    store.put_error(DocError(origin="a.html", stage="extract", reason="no body"))
    store.put_error(DocError(origin="a.html", stage="nlp", reason="no body"))
    rows = store.errors()
    assert [(r["origin"], r["stage"], r["reason"], r["content_hash"]) for r in rows] == [
        ("a.html", "extract", "no body", "h1"),
        ("a.html", "nlp", "no body", None),
    ]
    assert all(r["at"] and isinstance(r["id"], int) for r in rows)
    assert store.counts()["errors"] == 2


# -- reads -----------------------------------------------------------------------------------------


def test_sqlite_has_doc_exact_only(populated: SqliteStore) -> None:
    assert populated.has_doc("docA000001")
    assert not populated.has_doc("docA00000")  # a prefix is not the doc
    assert not populated.has_doc("nope")


def test_sqlite_article_prefix_lookup(store: SqliteStore) -> None:
    for doc_id in ("abcdef0123", "abcdef9999", "123456789a", "short"):
        store.put_analysis(doc_id, make_analysis(f"{doc_id}.txt", None))
    found = store.article("abcdef0")
    assert found is not None and found["doc_id"] == "abcdef0123" and found["path"] == "abcdef0123.txt"
    assert store.article("123456") is not None  # six chars, unique
    assert store.article("12345") is None  # too short to be a prefix
    assert store.article("short") is not None  # exact ids of any length
    assert store.article("zzzzzz") is None
    assert store.article("abcdef0123x") is None
    with pytest.raises(AmbiguousDocIdError) as info:
        store.article("abcdef")
    assert info.value.candidates == ("abcdef0123", "abcdef9999")


def test_sqlite_prefix_lookup_treats_wildcards_literally(store: SqliteStore) -> None:
    store.put_analysis("abc%ef0123", make_analysis("a.txt", None))
    store.put_analysis("abcXef0123", make_analysis("b.txt", None))
    assert store.resolve("abc%ef") == "abc%ef0123"
    assert store.resolve("abc_ef") is None


def test_sqlite_articles_listing(populated: SqliteStore) -> None:
    rows = populated.articles()
    assert [(r["doc_id"], r["date"], r["n_events"]) for r in rows] == [
        ("docA000001", "2023-10-05", 3),
        ("docB000002", "2023-11-20", 2),
        ("docC000003", None, 1),
    ]
    assert set(rows[0]) == {"doc_id", "title", "date", "outlet", "agency", "n_events"}
    assert rows[0]["title"] == "A" and rows[0]["outlet"] == "Outlet" and rows[0]["agency"] is None
    assert [r["doc_id"] for r in populated.articles(limit=1, offset=1)] == ["docB000002"]


def test_sqlite_articles_same_date_ordered_by_doc_id(store: SqliteStore) -> None:
    for doc_id in ("zzz0000001", "aaa0000001", "mmm0000001"):
        store.put_analysis(doc_id, make_analysis(doc_id, "2023-01-01"))
    assert [r["doc_id"] for r in store.articles()] == ["aaa0000001", "mmm0000001", "zzz0000001"]


def test_sqlite_events_unfiltered_order_and_fields(populated: SqliteStore) -> None:
    events = populated.events()
    assert labels(events) == ["e4", "e3", "e1", "e2", "e5", "e6"]
    assert len({e["event_id"] for e in events}) == 6
    e2 = events[3]
    assert e2["doc_id"] == "docA000001" and e2["date"] is None and e2["article_path"] == "a.txt"
    assert e2["source"] == {"name": "RUS government", "country": "RUS", "sector": "GOV", "actor_id": None}


def test_sqlite_events_actor_either_side_case_insensitive(populated: SqliteStore) -> None:
    assert labels(populated.events(actor="usa")) == ["e3", "e1", "e2", "e5", "e6"]
    assert labels(populated.events(actor="USA")) == ["e3", "e1", "e2", "e5", "e6"]
    assert labels(populated.events(actor="RUS")) == ["e1", "e2"]
    assert labels(populated.events(actor="deu")) == ["e4"]
    assert populated.events(actor="XXX") == []


def test_sqlite_events_dyad_both_directions(populated: SqliteStore) -> None:
    assert labels(populated.events(dyad=("USA", "RUS"))) == ["e1", "e2"]
    assert labels(populated.events(dyad=("RUS", "USA"))) == ["e1", "e2"]
    assert labels(populated.events(dyad=("chn", "usa"))) == ["e5"]
    assert populated.events(dyad=("USA", "DEU")) == []


def test_sqlite_events_since_until_day_bounds(populated: SqliteStore) -> None:
    assert labels(populated.events(since="2023-10-04")) == ["e3", "e2", "e5"]
    assert labels(populated.events(until="2023-10-03")) == ["e4", "e3", "e1"]
    assert labels(populated.events(since="2023-10-03", until="2023-10-03")) == ["e3", "e1"]  # inclusive


def test_sqlite_events_month_precision(populated: SqliteStore) -> None:
    assert labels(populated.events(since="2023-10")) == ["e3", "e1", "e2", "e5"]
    assert labels(populated.events(until="2023-10")) == ["e4", "e3", "e1", "e2"]
    assert labels(populated.events(since="2023-10", until="2023-10")) == ["e3", "e1", "e2"]
    assert labels(populated.events(since="2023-11-15")) == ["e5"]  # "2023-11" overlaps
    assert labels(populated.events(since="2023")) == ["e4", "e3", "e1", "e2", "e5"]


def test_sqlite_events_date_falls_back_to_article_date(populated: SqliteStore) -> None:
    # e2 has no date of its own; its article is dated 2023-10-05. e3 ("2023-10") overlaps the day.
    assert labels(populated.events(since="2023-10-05", until="2023-10-05")) == ["e3", "e2"]
    assert labels(populated.events(since="2023-10-06", actor="RUS")) == []


def test_sqlite_events_plover_and_combined(populated: SqliteStore) -> None:
    assert labels(populated.events(plover="ACCUSE")) == ["e1"]
    assert labels(populated.events(plover="CONSULT")) == ["e3", "e6"]
    assert labels(populated.events(plover="CONSULT", actor="GBR")) == ["e6"]
    assert labels(populated.events(actor="USA", since="2023-10-04", plover="SANCTION")) == ["e5"]


def test_sqlite_events_limit(populated: SqliteStore) -> None:
    assert labels(populated.events(limit=2)) == ["e4", "e3"]
    assert labels(populated.events(actor="USA", limit=1)) == ["e3"]
    assert populated.events(limit=0) == []


def test_sqlite_events_values_are_parameters(populated: SqliteStore) -> None:
    assert populated.events(actor="USA' OR '1'='1") == []
    assert populated.events(plover="x' OR 1=1 --") == []
    assert populated.events(since="9999' OR '1'='1") == []
    assert populated.counts()["events"] == 6


def test_sqlite_counts(populated: SqliteStore) -> None:
    populated.put_analysis("rich000001", rich_analysis())
    populated.put_error(DocError(origin="x", stage="ingest", reason="bad encoding"))
    assert populated.counts() == {"pages": 4, "articles": 4, "entities": 2, "events": 7, "errors": 1, "to_fetch": 0}


def test_sqlite_counts_empty_memory_db(store: SqliteStore) -> None:
    assert store.counts() == {"pages": 0, "articles": 0, "entities": 0, "events": 0, "errors": 0, "to_fetch": 0}
    assert store.articles() == [] and store.events() == [] and store.errors() == []
    assert store.article("anything") is None


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


def test_sqlite_events_by_actor_id_name_or_claimant(store: SqliteStore) -> None:
    store.put_analysis("doc0000001", rich_analysis())
    for who in ("Q3052772", "emmanuel macron", "Olaf Scholz", "AFP"):
        assert len(store.events(who=who)) == 1, who
    assert store.events(who="Angela Merkel") == []
