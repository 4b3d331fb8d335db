"""CI accuracy gate for event coding: the figures of bench/events.py must not fall below the floors in
tests/event_baseline.json (tolerance 0). The shared gold's figures are skipped when ../shared is absent; the
example corpus's own gold is always scored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require_shared

BASELINE = Path(__file__).with_name("event_baseline.json")


def floor(name: str) -> Any:
    return json.loads(BASELINE.read_text("utf-8"))["floors"][name]


@pytest.fixture(scope="module")
def plover(resources):  # type: ignore[no-untyped-def]
    require_shared("benchmarks", "events", "plover_gsr_cameo_examples.jsonl")
    from bench.events import PLOVER, code_sentences, load, score_plover

    records = load(PLOVER)
    return score_plover(records, code_sentences(records, resources))


@pytest.fixture(scope="module")
def petrarch(resources):  # type: ignore[no-untyped-def]
    require_shared("benchmarks", "events", "petrarch_cameo_validation.jsonl")
    from bench.events import PETRARCH, code_sentences, load, score_petrarch

    records = load(PETRARCH, "gsr_validation")
    return score_petrarch(records, code_sentences(records, resources))


@pytest.fixture(scope="module")
def corpus(resources):  # type: ignore[no-untyped-def]
    from bench.actors import gold_pages
    from bench.events import score_pages

    return score_pages(resources, [pair for pair in gold_pages() if pair[1].parent.name == "gold"])


@pytest.mark.parametrize("metric", ["recall", "precision", "type_accuracy"])
def test_plover_figure_not_below_floor(plover, metric: str) -> None:  # type: ignore[no-untyped-def]
    figure = getattr(plover, metric)
    assert figure >= floor(f"plover_{metric}"), f"PLOVER {metric} {figure:.4f} fell below its floor"


def test_petrarch_root_agreement_and_quiet_sentences_not_below_floor(petrarch) -> None:  # type: ignore[no-untyped-def]
    agreement = petrarch.root_agree / max(petrarch.dyad_matched, 1)
    assert agreement >= floor("petrarch_root_agreement"), f"CAMEO root agreement {agreement:.4f} fell"
    assert petrarch.quiet >= floor("petrarch_quiet_sentences")


def test_corpus_gold_events_not_below_floor(corpus) -> None:  # type: ignore[no-untyped-def]
    assert corpus.must_held >= floor("corpus_must_held"), corpus.misses
    assert corpus.status_right >= floor("corpus_must_status_right")
    assert corpus.should_held >= floor("corpus_should_held")
