"""CI accuracy gate for actor resolution: country and sector accuracy on the PLOVER gold sentences must not fall
below the floors in tests/actor_baseline.json (tolerance 0). Skipped when ../shared is absent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import require_shared

BASELINE = Path(__file__).with_name("actor_baseline.json")


@pytest.fixture(scope="module")
def scores(resources):  # type: ignore[no-untyped-def]
    require_shared("benchmarks", "events", "plover_gsr_cameo_examples.jsonl")
    from bench.actors import load_records, resolve_all, score

    records = load_records()
    docs, maps = resolve_all(records, resources.nlp, resources.kb)
    return score(records, docs, maps)


@pytest.mark.parametrize("metric", ["country_accuracy", "sector_accuracy"])
def test_actor_figure_not_below_floor(scores, metric: str) -> None:  # type: ignore[no-untyped-def]
    floor = json.loads(BASELINE.read_text("utf-8"))["floors"][metric]
    figure = getattr(scores, metric)
    assert figure >= floor, f"{metric} {figure:.4f} fell below its floor {floor}"
