"""Acceptance on the seed page: its gold (../shared/seeds/*.expected.json) is the spec for that page."""

from __future__ import annotations

import json

import pytest

from newsgraph.evaluation.gold import check_article, check_entities, check_events
from newsgraph.ingest import read_page
from newsgraph.models import Analysis
from newsgraph.pipeline import analyze_pages
from newsgraph.serialize import analysis_json
from tests.conftest import require_shared

SEED = "000_027496980c43a918"


@pytest.fixture(scope="module")
def seed(resources):  # type: ignore[no-untyped-def]
    folder = require_shared("seeds")
    gold = json.loads((folder / f"{SEED}.expected.json").read_text(encoding="utf-8"))
    [result] = list(analyze_pages([read_page(folder / f"{SEED}.txt")], resources))
    assert isinstance(result, Analysis)
    return analysis_json(result), gold


def _failed(checks):  # type: ignore[no-untyped-def]
    return [(c.item, c.detail) for c in checks if not c.ok]


def test_seed_article_must(seed) -> None:  # type: ignore[no-untyped-def]
    record, gold = seed
    assert _failed(check_article(record["article"], gold["article"]["must"])) == []


def test_seed_article_should(seed) -> None:  # type: ignore[no-untyped-def]
    record, gold = seed
    assert _failed(check_article(record["article"], gold["article"]["should"])) == []


def test_seed_entities_must(seed) -> None:  # type: ignore[no-untyped-def]
    record, gold = seed
    assert _failed(check_entities(record["entities"], gold["entities"]["must"])) == []


def test_seed_trap_sung_kim_never_north_korean(seed) -> None:  # type: ignore[no-untyped-def]
    record, _ = seed
    kims = [e for e in record["entities"] if e["name"] in ("Sung Kim", "Kim Jong Un")]
    assert {(e["name"], e["country"]) for e in kims} == {("Sung Kim", "USA"), ("Kim Jong Un", "PRK")}
    for event in record["events"]:
        for side in (event["source"], event["target"]):
            if side and side["name"] == "Sung Kim":
                assert side["country"] == "USA"


def test_seed_no_media_actors(seed) -> None:  # type: ignore[no-untyped-def]
    record, _ = seed
    for event in record["events"]:
        names = {event["source"]["name"], (event["target"] or {}).get("name")}
        assert not names & {"Reuters", "TASS", "Interfax"}, event["sentence"]


def test_seed_events_must_all_with_their_statuses(seed) -> None:  # type: ignore[no-untyped-def]
    record, gold = seed
    assert not _failed(check_events(record["events"], gold["events"]["must"], strict_status=True))


def test_seed_events_should_at_least_four_of_six(seed) -> None:  # type: ignore[no-untyped-def]
    record, gold = seed
    checks = check_events(record["events"], gold["events"]["should"])
    hits = [c.item for c in checks if c.ok]
    assert len(hits) >= 4, f"matched {hits}; missed {[c.item for c in checks if not c.ok]}"


def test_seed_no_event_from_boilerplate(seed) -> None:  # type: ignore[no-untyped-def]
    record, _ = seed
    body = "\n\n".join(record["article"]["paragraphs"])
    for event in record["events"]:
        assert body[event["start"] : event["end"]] == event["sentence"]
