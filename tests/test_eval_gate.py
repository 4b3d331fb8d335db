"""CI accuracy gate: newsgraph's own extractors on ../shared/benchmarks/extraction must not fall below their floors.

The floors (tests/eval_baseline.json) are body F1 (ScrapingHub metric) per extractor and dataset and day-level date
accuracy per extractor and dated dataset, rounded down to 3 decimals; a figure below its floor fails (tolerance 0).
Only newsgraph's extractors run here (the anchors are bench/extraction.py's job), on every page. Skipped when the
benchmark folder is absent.

Rewrite the floors from the current figures (a lowered or dropped floor needs --allow-regression):

    .venv/bin/python -m tests.test_eval_gate --update [--allow-regression]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

import pytest

from bench.extraction import DATA, DATASETS, TOOLS, load_pages, load_runners, run_tools, summarise
from tests.conftest import require_shared

BASELINE = Path(__file__).with_name("eval_baseline.json")
EXTRACTORS = {"html": "newsgraph-html", "text": "newsgraph-text"}
ABOUT = (
    "Floors of the CI accuracy gate (tests/test_eval_gate.py): figures of newsgraph's extractors on "
    "../shared/benchmarks/extraction, rounded down to 3 decimals. f1 = body F1 (ScrapingHub 4-gram shingle metric); "
    "date_accuracy = correct publication days / dated pages. Rewrite with "
    "`.venv/bin/python -m tests.test_eval_gate --update`; lowering or dropping a floor needs --allow-regression."
)


@dataclass(frozen=True, slots=True)
class Measurement:
    figures: dict[str, float]  # 'extractor/dataset/metric' (metric: f1, date_accuracy) -> figure
    exceptions: dict[str, str]  # extractor -> how many pages raised, and the first error


def measure(data: Path = DATA) -> Measurement:
    """newsgraph's extractors on every page of the benchmark."""
    pages = load_pages(data, DATASETS)
    tools = [TOOLS[name] for name in EXTRACTORS.values()]
    runners, missing = load_runners(tools)
    assert not missing, f"newsgraph extractors not importable: {missing}"
    summary = summarise(run_tools(data, pages, tools, runners), pages)
    figures: dict[str, float] = {}
    exceptions: dict[str, str] = {}
    for short, name in EXTRACTORS.items():
        for ds, by_tool in summary["body"].items():
            figures[f"{short}/{ds}/f1"] = by_tool[name]["f1"]
        for ds, by_tool in summary["dates"].items():
            figures[f"{short}/{ds}/date_accuracy"] = by_tool[name]["accuracy"]
        if name in summary["exceptions"]:
            entry = summary["exceptions"][name]
            exceptions[short] = f"{entry['count']} pages raised (first: {entry['first']})"
    return Measurement(figures, exceptions)


def floor3(value: float) -> float:
    """Round down to 3 decimals, on the float's shortest repr (0.95 stays 0.95); never above the value."""
    return float(Decimal(repr(value)).quantize(Decimal("0.001"), rounding=ROUND_FLOOR))


def load_floors(path: Path = BASELINE) -> dict[str, float]:
    """The baseline's nested floors {extractor: {dataset: {metric: floor}}} flattened to 'extractor/dataset/metric'."""
    nested = json.loads(path.read_text(encoding="utf-8"))["floors"]
    return {f"{e}/{ds}/{m}": v for e, by_ds in nested.items() for ds, by_m in by_ds.items() for m, v in by_m.items()}


def write_floors(floors: dict[str, float], path: Path = BASELINE) -> None:
    nested: dict[str, dict[str, dict[str, float]]] = {}
    for key in sorted(floors, key=_order):
        extractor, ds, metric = key.split("/")
        nested.setdefault(extractor, {}).setdefault(ds, {})[metric] = floors[key]
    path.write_text(json.dumps({"_about": ABOUT, "floors": nested}, indent=1) + "\n", encoding="utf-8")


def _order(key: str) -> tuple[int, int, str]:
    extractor, ds, metric = key.split("/")
    return list(EXTRACTORS).index(extractor), DATASETS.index(ds), metric


def below_floor(figures: dict[str, float], floors: dict[str, float]) -> dict[str, tuple[float, float | None]]:
    """Floors not met: key -> (floor, figure or None when the figure is no longer measured)."""
    return {k: (f, figures.get(k)) for k, f in floors.items() if k not in figures or figures[k] < f}


# --- the gate ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def measured() -> Measurement:
    data = require_shared("benchmarks", "extraction")
    return measure(data)


def test_extractors_raise_on_no_page(measured: Measurement) -> None:
    assert measured.exceptions == {}


def test_baseline_covers_every_extractor_and_dataset() -> None:
    keys = set(load_floors())
    for short in EXTRACTORS:
        assert {f"{short}/{ds}/f1" for ds in DATASETS if ds != "htmldate-mediacloud"} <= keys
        assert {f"{short}/{ds}/date_accuracy" for ds in ("fundus-test", "wcxb-test-article")} <= keys
    assert all(0.0 <= v <= 1.0 and v == round(v, 3) for v in load_floors().values())


def _floor_keys() -> list[str]:
    return sorted(load_floors(), key=_order) if BASELINE.exists() else []


@pytest.mark.parametrize("key", _floor_keys())
def test_figure_not_below_floor(measured: Measurement, key: str) -> None:
    floor, figures = load_floors()[key], measured.figures
    raised = measured.exceptions.get(key.split("/")[0], "")
    assert key in figures, f"{key} is no longer measured (floor {floor:.3f})"
    assert figures[key] >= floor, f"{key} = {figures[key]:.4f} fell below its floor {floor:.3f}. {raised}"


def test_floor_rounding_and_regression_check() -> None:
    assert floor3(0.98765) == 0.987 and floor3(0.1) == 0.1 and floor3(1.0) == 1.0 and floor3(0.95) == 0.95
    assert all(floor3(v) <= v for v in (0.123, 0.7, 0.1 + 0.2, 2 / 3))
    floors = {"html/sh/f1": 0.5, "html/hd/date_accuracy": 0.9}
    assert below_floor({"html/sh/f1": 0.5, "html/hd/date_accuracy": 0.95}, floors) == {}
    missing = {"html/sh/f1": (0.5, 0.4999), "html/hd/date_accuracy": (0.9, None)}
    assert below_floor({"html/sh/f1": 0.4999}, floors) == missing


def test_update_refuses_to_lower_a_floor_without_allow_regression(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    write_floors({"html/scrapinghub/f1": 0.9, "html/fundus-eval/f1": 0.8}, path)
    lower = {"html/scrapinghub/f1": 0.95, "html/fundus-eval/f1": 0.7999}
    assert update(lower, allow_regression=False, path=path) == 1
    assert load_floors(path) == {"html/scrapinghub/f1": 0.9, "html/fundus-eval/f1": 0.8}
    assert update({"html/scrapinghub/f1": 0.95}, allow_regression=False, path=path) == 1  # a dropped floor
    assert update(lower, allow_regression=True, path=path) == 0
    assert load_floors(path) == {"html/scrapinghub/f1": 0.95, "html/fundus-eval/f1": 0.799}
    assert update({"html/scrapinghub/f1": 0.96123, "html/fundus-eval/f1": 0.8}, False, path) == 0
    assert load_floors(path) == {"html/scrapinghub/f1": 0.961, "html/fundus-eval/f1": 0.8}


# --- command line: check, or --update ---------------------------------------------------------------------------


def update(figures: dict[str, float], allow_regression: bool, path: Path = BASELINE) -> int:
    """Rewrite the floors from the figures; refuse (exit 1) to lower or drop one unless allow_regression."""
    old = load_floors(path) if path.exists() else {}
    new = {k: floor3(v) for k, v in figures.items()}
    lowered = {k: (f, new.get(k)) for k, f in old.items() if new.get(k, -1.0) < f}
    for key in sorted(set(old) | set(new), key=_order):
        before, after = old.get(key), new.get(key)
        mark = "LOWER" if key in lowered else "" if before == after else "raise" if before is not None else "new"
        print(f"{key:<45} {_fmt(before):>7} -> {_fmt(after):>7}  {mark}")
    if lowered and not allow_regression:
        print(f"refused: {len(lowered)} floor(s) would go down or be dropped; re-run with --allow-regression")
        return 1
    write_floors(new, path)
    print(f"wrote {path}")
    return 0


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Extraction accuracy gate: check the floors, or rewrite them.")
    parser.add_argument("--update", action="store_true", help="rewrite tests/eval_baseline.json from current figures")
    parser.add_argument("--allow-regression", action="store_true", help="with --update: allow lowering floors")
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args(argv)
    if not (args.data / "truth.jsonl").is_file():
        print(f"benchmark data absent ({args.data}): nothing to measure")
        return 2
    measured = measure(args.data)
    figures = measured.figures
    for short, what in measured.exceptions.items():
        print(f"warning: {short} extractor: {what}")
    if args.update:
        return update(figures, args.allow_regression)
    failed = below_floor(figures, load_floors())
    for key, floor in sorted(load_floors().items(), key=lambda kv: _order(kv[0])):
        print(f"{key:<45} {_fmt(figures.get(key)):>7}  floor {floor:.3f}  {'FAIL' if key in failed else 'ok'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
