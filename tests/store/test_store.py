"""Every store (SQLite, PostgreSQL) against the same tests: round-trip against serialize, idempotence, atomicity,
migrations recorded once, every events() filter. Each test gets a new, empty database of each backend."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from newsgraph.models import Analysis, Article, DocError, Entity, Mention, Page
from newsgraph.serialize import analysis_json
from newsgraph.store import AmbiguousDocIdError
from newsgraph.store.base import open_sql_store
from newsgraph.store.sql import SqlStore, load_migrations
from tests.store.builders import EVENTS_A, EVENTS_B, EVENTS_C, labels, make_analysis, make_event, rich_analysis

try:
    import psycopg

    STORE_ERRORS: tuple[type[Exception], ...] = (TypeError, sqlite3.Error, psycopg.Error)
except ImportError:  # pragma: no cover - the PostgreSQL tests skip then
    STORE_ERRORS = (TypeError, sqlite3.Error)


@pytest.fixture
def store(fresh_db: str) -> Iterator[SqlStore]:
    with open_sql_store(fresh_db) as s:
        yield s


@pytest.fixture
def populated(store: SqlStore) -> SqlStore:
    assert store.put_analysis("docA000001", make_analysis("a.txt", "2023-10-05", EVENTS_A, "A"))
    assert store.put_analysis("docB000002", make_analysis("b.txt", "2023-11-20", EVENTS_B, "B"))
    assert store.put_analysis("docC000003", make_analysis("c.txt", None, EVENTS_C, "C"))
    return store


# -- migrations ------------------------------------------------------------------------------------


def test_store_migrations_recorded_once(fresh_db: str) -> None:
    with open_sql_store(fresh_db) as store:
        shipped = [name for name, _ in load_migrations(store.dialect.name)]
        assert shipped and shipped[0] == "0001_initial"
        assert store.applied_migrations() == shipped
        store.put_analysis("doc0000001", make_analysis("a.txt", "2023-10-05"))
        first = store.db.all("SELECT name, applied_at FROM migrations ORDER BY name")
    with open_sql_store(fresh_db) as store:  # would fail with "table pages already exists" if re-applied
        assert store.applied_migrations() == shipped
        assert store.has_doc("doc0000001")
        assert store.db.all("SELECT name, applied_at FROM migrations ORDER BY name") == first


# -- writes ----------------------------------------------------------------------------------------


def test_store_roundtrip_persists_across_connections(fresh_db: str) -> None:
    analysis = rich_analysis()
    with open_sql_store(fresh_db) as store:
        store.put_analysis("f00dfeed01", analysis)
    with open_sql_store(fresh_db) as store:
        assert store.article("f00dfeed01") == {"doc_id": "f00dfeed01", **analysis_json(analysis)}
        mentions = store.db.all(
            'SELECT en.name, m.text, m.start, m."end" FROM mentions m JOIN entities en ON en.id = m.entity_id '
            "ORDER BY en.id, m.start"
        )
        body = store.db.one("SELECT body FROM articles")
    assert [tuple(m.values()) for m in mentions] == [
        ("Emmanuel Macron", "Macron", 13, 19),
        ("Olaf Scholz", "Scholz", 0, 6),
        ("Olaf Scholz", "Olaf Scholz", 32, 43),
    ]
    assert body == {"body": analysis.article.text}


def test_store_roundtrip_equals_serialize_output(store: SqlStore) -> None:
    analysis = rich_analysis()
    assert store.put_analysis("f00dfeed01", analysis)
    assert store.article("f00dfeed01") == {"doc_id": "f00dfeed01", **analysis_json(analysis)}


def test_store_put_analysis_idempotent(store: SqlStore) -> None:
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


TABLES = ("pages", "articles", "entities", "mentions", "events", "errors", "to_fetch", "fingerprints", "lsh_bands",
          "copies", "stories", "story_terms", "story_articles", "happenings", "happening_mentions")  # fmt: skip


def test_store_reput_adds_no_row_to_any_table(store: SqlStore) -> None:
    documents = [("docA000001", make_analysis("a.txt", "2023-10-05", EVENTS_A, "A")), ("rich000001", rich_analysis())]
    for doc_id, analysis in documents:
        assert store.put_analysis(doc_id, analysis)

    def rows() -> dict[str, int]:
        return {table: store.db.one(f"SELECT count(*) AS n FROM {table}")["n"] for table in TABLES}  # type: ignore[index]

    before = rows()
    assert before["mentions"] == 3 and before["happening_mentions"] == 4 and before["lsh_bands"] > 0
    for doc_id, analysis in documents * 2:  # a re-run, twice over
        assert store.put_analysis(doc_id, analysis) is False
    assert rows() == before


def test_store_put_analysis_is_atomic(store: SqlStore) -> None:
    good = make_event("ok", "USA", "RUS")
    bad = make_event("bad", "USA", "RUS", goldstein=object())  # cannot be stored: fails after other rows
    entity = Entity(name="X", type="ORG", country="USA", sector=None, role=None, mentions=(Mention("X", 0, 1),))
    analysis = Analysis(
        page=Page(origin="a.txt", content="", fmt="text"),
        article=Article(title="t", paragraphs=("p",)),
        entities=(entity,),
        events=(good, bad),
    )
    with pytest.raises(STORE_ERRORS):
        store.put_analysis("docA000001", analysis)
    assert not store.has_doc("docA000001")
    assert store.counts() == {"pages": 0, "articles": 0, "entities": 0, "events": 0, "errors": 0, "to_fetch": 0}
    assert store.put_analysis("docA000001", make_analysis("a.txt", None))  # store still usable


def test_store_put_error_idempotent(store: SqlStore) -> None:
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


def test_store_has_doc_exact_only(populated: SqlStore) -> None:
    assert populated.has_doc("docA000001")
    assert not populated.has_doc("docA00000")  # a prefix is not the doc
    assert not populated.has_doc("nope")


def test_store_article_prefix_lookup(store: SqlStore) -> None:
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


def test_store_prefix_lookup_treats_wildcards_literally(store: SqlStore) -> None:
    store.put_analysis("abc%ef0123", make_analysis("a.txt", None))
    store.put_analysis("abcXef0123", make_analysis("b.txt", None))
    assert store.resolve("abc%ef") == "abc%ef0123"
    assert store.resolve("abc_ef") is None


def test_store_articles_listing(populated: SqlStore) -> None:
    rows = populated.articles()
    assert [(r["doc_id"], r["date"], r["n_events"]) for r in rows] == [
        ("docA000001", "2023-10-05", 3),
        ("docB000002", "2023-11-20", 2),
        ("docC000003", None, 1),
    ]
    assert set(rows[0]) == {"doc_id", "title", "date", "outlet", "agency", "n_events"}
    assert rows[0]["title"] == "A" and rows[0]["outlet"] == "Outlet" and rows[0]["agency"] is None
    assert [r["doc_id"] for r in populated.articles(limit=1, offset=1)] == ["docB000002"]


def test_store_articles_same_date_ordered_by_doc_id(store: SqlStore) -> None:
    for doc_id in ("zzz0000001", "aaa0000001", "mmm0000001"):
        store.put_analysis(doc_id, make_analysis(doc_id, "2023-01-01"))
    assert [r["doc_id"] for r in store.articles()] == ["aaa0000001", "mmm0000001", "zzz0000001"]


def test_store_events_unfiltered_order_and_fields(populated: SqlStore) -> None:
    events = populated.events()
    assert labels(events) == ["e4", "e3", "e1", "e2", "e5", "e6"]
    assert len({e["event_id"] for e in events}) == 6
    e2 = events[3]
    assert e2["doc_id"] == "docA000001" and e2["date"] is None and e2["article_path"] == "a.txt"
    assert e2["source"] == {"name": "RUS government", "country": "RUS", "sector": "GOV", "actor_id": None}


def test_store_events_actor_either_side_case_insensitive(populated: SqlStore) -> None:
    assert labels(populated.events(actor="usa")) == ["e3", "e1", "e2", "e5", "e6"]
    assert labels(populated.events(actor="USA")) == ["e3", "e1", "e2", "e5", "e6"]
    assert labels(populated.events(actor="RUS")) == ["e1", "e2"]
    assert labels(populated.events(actor="deu")) == ["e4"]
    assert populated.events(actor="XXX") == []


def test_store_events_dyad_both_directions(populated: SqlStore) -> None:
    assert labels(populated.events(dyad=("USA", "RUS"))) == ["e1", "e2"]
    assert labels(populated.events(dyad=("RUS", "USA"))) == ["e1", "e2"]
    assert labels(populated.events(dyad=("chn", "usa"))) == ["e5"]
    assert populated.events(dyad=("USA", "DEU")) == []


def test_store_events_since_until_day_bounds(populated: SqlStore) -> None:
    assert labels(populated.events(since="2023-10-04")) == ["e3", "e2", "e5"]
    assert labels(populated.events(until="2023-10-03")) == ["e4", "e3", "e1"]
    assert labels(populated.events(since="2023-10-03", until="2023-10-03")) == ["e3", "e1"]  # inclusive


def test_store_events_month_precision(populated: SqlStore) -> None:
    assert labels(populated.events(since="2023-10")) == ["e3", "e1", "e2", "e5"]
    assert labels(populated.events(until="2023-10")) == ["e4", "e3", "e1", "e2"]
    assert labels(populated.events(since="2023-10", until="2023-10")) == ["e3", "e1", "e2"]
    assert labels(populated.events(since="2023-11-15")) == ["e5"]  # "2023-11" overlaps
    assert labels(populated.events(since="2023")) == ["e4", "e3", "e1", "e2", "e5"]


def test_store_events_date_falls_back_to_article_date(populated: SqlStore) -> None:
    # e2 has no date of its own; its article is dated 2023-10-05. e3 ("2023-10") overlaps the day.
    assert labels(populated.events(since="2023-10-05", until="2023-10-05")) == ["e3", "e2"]
    assert labels(populated.events(since="2023-10-06", actor="RUS")) == []


def test_store_events_plover_and_combined(populated: SqlStore) -> None:
    assert labels(populated.events(plover="ACCUSE")) == ["e1"]
    assert labels(populated.events(plover="CONSULT")) == ["e3", "e6"]
    assert labels(populated.events(plover="CONSULT", actor="GBR")) == ["e6"]
    assert labels(populated.events(actor="USA", since="2023-10-04", plover="SANCTION")) == ["e5"]


def test_store_events_limit(populated: SqlStore) -> None:
    assert labels(populated.events(limit=2)) == ["e4", "e3"]
    assert labels(populated.events(actor="USA", limit=1)) == ["e3"]
    assert populated.events(limit=0) == []


def test_store_events_values_are_parameters(populated: SqlStore) -> None:
    assert populated.events(actor="USA' OR '1'='1") == []
    assert populated.events(plover="x' OR 1=1 --") == []
    assert populated.events(since="9999' OR '1'='1") == []
    assert populated.counts()["events"] == 6


def test_store_counts(populated: SqlStore) -> None:
    populated.put_analysis("rich000001", rich_analysis())
    populated.put_error(DocError(origin="x", stage="ingest", reason="bad encoding"))
    assert populated.counts() == {"pages": 4, "articles": 4, "entities": 2, "events": 7, "errors": 1, "to_fetch": 0}


def test_store_counts_empty_db(store: SqlStore) -> None:
    assert store.counts() == {"pages": 0, "articles": 0, "entities": 0, "events": 0, "errors": 0, "to_fetch": 0}
    assert store.articles() == [] and store.events() == [] and store.errors() == []
    assert store.article("anything") is None


def test_store_events_by_actor_id_name_or_claimant(store: SqlStore) -> None:
    store.put_analysis("doc0000001", rich_analysis())
    for who in ("Q3052772", "emmanuel macron", "Olaf Scholz", "AFP"):
        assert len(store.events(who=who)) == 1, who
    assert store.events(who="Angela Merkel") == []
