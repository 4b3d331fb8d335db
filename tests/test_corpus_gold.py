"""The example corpus's own gold (examples/gold, the seed's format): every page's article and entities.must hold,
and its traps are honoured the way the seed's are (tests/test_seed.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsgraph.evaluation.gold import check_entities
from newsgraph.ingest import read_page
from newsgraph.models import Analysis
from newsgraph.pipeline import analyze_pages
from newsgraph.serialize import analysis_json

ROOT = Path(__file__).resolve().parents[1]
GOLD = sorted((ROOT / "examples" / "gold").glob("*.expected.json"))


def page_of(gold: Path) -> Path:
    stem = gold.name.removesuffix(".expected.json")
    [page] = [p for p in (ROOT / "examples" / "corpus").glob(f"{stem}.*")]
    return page


@pytest.mark.parametrize("gold", GOLD, ids=[g.name.removesuffix(".expected.json") for g in GOLD])
def test_corpus_gold_entities_must_hold(resources, gold: Path) -> None:  # type: ignore[no-untyped-def]
    expected = json.loads(gold.read_text("utf-8"))
    [result] = list(analyze_pages([read_page(page_of(gold))], resources))
    assert isinstance(result, Analysis)
    failed = [c for c in check_entities(analysis_json(result)["entities"], expected["entities"]["must"]) if not c.ok]
    assert not failed, "\n".join(f"{c.item}: {c.detail}" for c in failed)
