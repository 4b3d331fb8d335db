"""CI gate for the corpus layer: near-duplicate and event-merging figures of bench/corpus.py on the example corpus
must not fall below the floors in tests/corpus_baseline.json (tolerance 0)."""

from __future__ import annotations

import json
from pathlib import Path

from bench.corpus import dedup_scores, merge_scores

FLOORS = json.loads(Path(__file__).with_name("corpus_baseline.json").read_text("utf-8"))["floors"]


def test_near_duplicates_not_below_floor() -> None:
    tp, fn, fp, tn, missed = dedup_scores()
    assert tp + fn >= 200 and fp + tn > 0
    assert tp / (tp + fp) >= FLOORS["dedup_precision"], f"{fp} different stories taken for copies"
    assert tp / (tp + fn) >= FLOORS["dedup_recall"], f"copies missed: {missed}"


def test_event_merging_not_below_floor(resources) -> None:  # type: ignore[no-untyped-def]
    tp, fp, fn, pages, events, happenings = merge_scores(resources)
    assert pages >= 10 and happenings < events
    assert tp / max(tp + fp, 1) >= FLOORS["merge_precision"], f"{fp} pairs of different happenings merged"
    assert tp / max(tp + fn, 1) >= FLOORS["merge_recall"], f"{fn} pairs of one happening left apart"
