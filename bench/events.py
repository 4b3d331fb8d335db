"""Event coding against three kinds of gold, with the cost of coding beside the spaCy pass.

1. PLOVER gold records (../shared/benchmarks/events/plover_gsr_cameo_examples.jsonl; type = code_plover_current):
   recall (a system event with the gold type whose source and target countries match), precision (system events
   that match a gold event so), type accuracy where the dyad matched, per-type P/R/F1 and a confusion matrix.
2. PETRARCH's real-sentence validation (petrarch_cameo_validation.jsonl, split gsr_validation): CAMEO root
   agreement where the dyad matched, and how many `expect_no_events` sentences yield none.
3. Gold pages in the seed's format (the seed and examples/gold): events.must and events.should held, statuses of
   the held must events, must_not.

Scores only: nothing here is tuned on the shared gold. The anchors' own figures are quoted where they were published
(UniversalPetrarch on its Spanish validation: 44% of events correct, extra events 316% of the gold); PETRARCH2 and
the POLECAT/NGEC coder cannot run here (Python 2; unreleased models), so no anchor is run in this script.

    .venv/bin/python bench/events.py [--repeat K] [--confusion]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.actors import CAMEO_TO_ISO, gold_pages  # noqa: E402
from newsgraph.evaluation.gold import check_events  # noqa: E402
from newsgraph.events.coder import EventCoder, without_duplicates  # noqa: E402
from newsgraph.ingest import read_page  # noqa: E402
from newsgraph.models import Analysis, Event  # noqa: E402
from newsgraph.nlp.actors import ActorResolver  # noqa: E402
from newsgraph.pipeline import Resources, analyze_pages  # noqa: E402
from newsgraph.serialize import analysis_json  # noqa: E402

EVENTS = ROOT.parent / "shared" / "benchmarks" / "events"
PLOVER = EVENTS / "plover_gsr_cameo_examples.jsonl"
PETRARCH = EVENTS / "petrarch_cameo_validation.jsonl"
ISO_TO_CAMEO = {iso: cameo for cameo, iso in CAMEO_TO_ISO.items() if len(cameo) == 3}


def load(path: Path, split: str | None = None) -> list[dict[str, Any]]:
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return [r for r in records if split is None or r.get("split") == split]


def code_sentences(records: list[dict[str, Any]], res: Resources) -> list[tuple[Event, ...]]:
    """Each record's text coded on its own, dated by its own date when it has one."""
    bodies = res.parser.parse([[r["text"]] for r in records])
    coder = EventCoder(res.lexicon, res.ontology)
    coded = []
    for record, body in zip(records, bodies, strict=True):
        actors = ActorResolver(res.kb, record.get("date")).resolve(body.docs, body.offsets)
        coded.append(
            without_duplicates(
                coder.code(body.docs, body.offsets, actors, record.get("date"), body.parsed, body.paragraphs)
            )
        )
    return coded


# -- PLOVER ----------------------------------------------------------------------------------------------------------
def _countries(side: list[dict[str, Any]] | None) -> set[str]:
    return {CAMEO_TO_ISO.get(a["code"], a["code"]) for a in side or [] if isinstance(a, dict) and a.get("code")}


def plover_dyad(event: Event, gold: dict[str, Any]) -> bool:
    """Source among the gold sources; target among the gold targets, or (no gold target) none or a co-source."""
    sources, targets = _countries(gold.get("source")), _countries(gold.get("target"))
    got_target = event.target.country if event.target else None
    if event.source.country not in sources:
        return False
    return got_target in targets if targets else got_target is None or got_target in sources


@dataclass
class PloverScores:
    gold: int = 0
    system: int = 0
    recalled: int = 0
    precise: int = 0
    dyad_matched: int = 0
    type_right: int = 0
    by_type: dict[str, Counter[str]] = field(default_factory=dict)  # type -> tp/fp/fn
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)  # (gold, system or '-') on dyad matches

    @property
    def recall(self) -> float:
        return self.recalled / max(self.gold, 1)

    @property
    def precision(self) -> float:
        return self.precise / max(self.system, 1)

    @property
    def type_accuracy(self) -> float:
        return self.type_right / max(self.dyad_matched, 1)

    @property
    def extra(self) -> float:
        return (self.system - self.precise) / max(self.gold, 1)


def score_plover(records: list[dict[str, Any]], coded: list[tuple[Event, ...]]) -> PloverScores:
    scores = PloverScores()
    for record, events in zip(records, coded, strict=True):
        golds = [g for g in record["events"] if g.get("code_plover_current")]
        scores.gold += len(golds)
        scores.system += len(events)
        for event in events:
            hit = any(plover_dyad(event, g) and event.plover == g["code_plover_current"] for g in golds)
            scores.precise += hit
            if not hit:
                scores.by_type.setdefault(event.plover, Counter())["fp"] += 1
        for gold in golds:
            want = gold["code_plover_current"]
            dyad = [e for e in events if plover_dyad(e, gold)]
            right = any(e.plover == want for e in dyad)
            scores.recalled += right
            scores.by_type.setdefault(want, Counter())["tp" if right else "fn"] += 1
            if dyad:
                scores.dyad_matched += 1
                scores.type_right += right
                scores.confusion[(want, want if right else dyad[0].plover)] += 1
            else:
                scores.confusion[(want, "-")] += 1
    return scores


# -- PETRARCH --------------------------------------------------------------------------------------------------------
def _cameo_country(code: str | None) -> str | None:
    return ISO_TO_CAMEO.get(code, code) if code else None


@dataclass
class PetrarchScores:
    gold: int = 0
    dyad_matched: int = 0
    root_agree: int = 0
    quiet: int = 0  # expect_no_events sentences that yield none
    quiet_total: int = 0
    system: int = 0


def score_petrarch(records: list[dict[str, Any]], coded: list[tuple[Event, ...]]) -> PetrarchScores:
    scores = PetrarchScores()
    for record, events in zip(records, coded, strict=True):
        scores.system += len(events)
        if record.get("expect_no_events"):
            scores.quiet_total += 1
            scores.quiet += not events
            continue
        for gold in record["events"]:
            scores.gold += 1
            source, target = str(gold["source"])[:3], str(gold["target"])[:3] if gold.get("target") else None
            dyad = [
                e
                for e in events
                if _cameo_country(e.source.country) == source
                and (target is None or _cameo_country(e.target.country if e.target else None) == target)
            ]
            if dyad:
                scores.dyad_matched += 1
                scores.root_agree += any(e.cameo[:2] == gold.get("cameo_root") for e in dyad)
    return scores


# -- gold pages ------------------------------------------------------------------------------------------------------
@dataclass
class PageScores:
    must: int = 0
    must_held: int = 0
    should: int = 0
    should_held: int = 0
    status_right: int = 0
    seed_must: int = 0
    seed_must_held: int = 0
    seed_should: int = 0
    seed_should_held: int = 0
    seed_status_right: int = 0
    misses: list[str] = field(default_factory=list)


def score_pages(res: Resources, pairs: list[tuple[Path, Path]] | None = None) -> PageScores:
    scores = PageScores()
    for page, gold_path in gold_pages() if pairs is None else pairs:
        gold = json.loads(gold_path.read_text("utf-8"))["events"]
        [result] = list(analyze_pages([read_page(page)], res))
        events = analysis_json(result)["events"] if isinstance(result, Analysis) else []
        must = check_events(events, gold["must"])
        strict = check_events(events, gold["must"], strict_status=True)
        should = check_events(events, gold.get("should", []))
        held, status, held_should = sum(c.ok for c in must), sum(c.ok for c in strict), sum(c.ok for c in should)
        scores.must += len(must)
        scores.must_held += held
        scores.status_right += status
        scores.should += len(should)
        scores.should_held += held_should
        if gold_path.parent.name == "seeds":
            scores.seed_must, scores.seed_must_held, scores.seed_status_right = len(must), held, status
            scores.seed_should, scores.seed_should_held = len(should), held_should
        scores.misses += [f"{page.name}: {c.item}" for c in must if not c.ok]
    return scores


def timing(res: Resources, repeat: int) -> tuple[float, float, float]:
    """Medians over the example corpus's articles: the full spaCy pass over every paragraph, and actor resolution
    and event coding over its docs (seconds)."""
    from newsgraph.extract import extract
    from newsgraph.ingest import read_pages
    from newsgraph.nlp.parse import paragraph_offsets

    articles = [extract(p) for p in read_pages([str(ROOT / "examples" / "corpus")]) if not hasattr(p, "stage")]
    bodies = [a.paragraphs for a in articles if a.paragraphs]
    coder = EventCoder(res.lexicon, res.ontology)
    spacy_s, actor_s, event_s = [], [], []
    for _ in range(repeat):
        start = time.perf_counter()
        docs = [list(res.nlp.pipe(paragraphs)) for paragraphs in bodies]
        spacy_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        maps = [
            ActorResolver(res.kb, a.date).resolve(d, paragraph_offsets(a.paragraphs))
            for a, d in zip([a for a in articles if a.paragraphs], docs, strict=True)
        ]
        actor_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        for article, doc, actors in zip([a for a in articles if a.paragraphs], docs, maps, strict=True):
            coder.code(doc, paragraph_offsets(article.paragraphs), actors, article.published or article.date)
        event_s.append(time.perf_counter() - start)
    return statistics.median(spacy_s), statistics.median(actor_s), statistics.median(event_s)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="timing repetitions (median)")
    parser.add_argument("--confusion", action="store_true", help="print the whole confusion matrix")
    parser.add_argument("--misses", action="store_true", help="list the gold pages' missed must events")
    args = parser.parse_args()
    if not PLOVER.exists():
        sys.exit(f"{EVENTS} is absent: the gold lives beside the checkout in ../shared")
    res = Resources.load()
    plover_records = load(PLOVER)
    plover = score_plover(plover_records, code_sentences(plover_records, res))
    petrarch_records = load(PETRARCH, "gsr_validation")
    petrarch = score_petrarch(petrarch_records, code_sentences(petrarch_records, res))
    pages = score_pages(res)

    print(f"PLOVER gold: {len(plover_records)} sentences, {plover.gold} events; newsgraph coded {plover.system}")
    print(f"{'measure':<34}{'newsgraph':>10}{'floor':>8}   anchor (published, other data)")
    print(f"{'event recall (type + dyad)':<34}{plover.recall:>10.3f}{0.60:>8.2f}   UniversalPetrarch 0.44 correct")
    print(f"{'event precision (type + dyad)':<34}{plover.precision:>10.3f}{0.70:>8.2f}")
    print(f"{'type accuracy where dyad matched':<34}{plover.type_accuracy:>10.3f}{0.80:>8.2f}")
    print(f"{'extra events / gold events':<34}{plover.extra:>10.3f}{'':>8}   UniversalPetrarch 3.16")
    print(f"  (dyad matched for {plover.dyad_matched} of {plover.gold} gold events)")
    print(f"\n{'PLOVER type':<12}{'gold':>6}{'P':>7}{'R':>7}{'F1':>7}")
    for kind in sorted(plover.by_type):
        c = plover.by_type[kind]
        p = c["tp"] / max(c["tp"] + c["fp"], 1)
        r = c["tp"] / max(c["tp"] + c["fn"], 1)
        f = 2 * p * r / max(p + r, 1e-9)
        print(f"{kind:<12}{c['tp'] + c['fn']:>6}{p:>7.2f}{r:>7.2f}{f:>7.2f}")
    misses = sorted(((g, s), n) for (g, s), n in plover.confusion.items() if g != s)
    print(
        "\nconfusion (gold -> newsgraph, '-' = no event with the gold dyad): " + ("all" if args.confusion else "top 15")
    )
    for (g, s), n in sorted(misses, key=lambda x: -x[1])[: None if args.confusion else 15]:
        print(f"  {g:>10} -> {s:<10} {n}")

    print(f"\nPETRARCH gsr_validation: {len(petrarch_records)} sentences, {petrarch.gold} events")
    root = petrarch.root_agree / max(petrarch.dyad_matched, 1)
    print(
        f"{'CAMEO root agreement (dyad matched)':<38}{root:>8.3f} "
        f"({petrarch.root_agree}/{petrarch.dyad_matched})  floor 0.75"
    )
    print(f"{'expect_no_events yielding none':<38}{petrarch.quiet:>8}/{petrarch.quiet_total}")

    print("\ngold pages in the seed's format (seed + examples/gold):")
    print(
        f"  seed events.must {pages.seed_must_held}/{pages.seed_must} (statuses {pages.seed_status_right}), "
        f"events.should {pages.seed_should_held}/{pages.seed_should}"
    )
    print(
        f"  all  events.must {pages.must_held}/{pages.must} (statuses {pages.status_right}), "
        f"events.should {pages.should_held}/{pages.should}"
    )
    if args.misses:
        for line in pages.misses:
            print("    missed " + line)

    spacy_s, actor_s, event_s = timing(res, args.repeat)
    print(
        f"\nexample corpus: spaCy pass {spacy_s:.2f} s; actors {actor_s:.2f} s (+{100 * actor_s / spacy_s:.1f}%); "
        f"event coding {event_s:.2f} s (+{100 * event_s / spacy_s:.1f}% of the spaCy pass; medians of {args.repeat})"
    )


if __name__ == "__main__":
    main()
