"""Actor resolution against the PLOVER gold records: each gold actorText resolved in its own sentence.

Reads ../shared/benchmarks/events/plover_gsr_cameo_examples.jsonl (scores only: nothing here is tuned on it).
Prints country and sector accuracy, a confusion table of the misses, and the cost of actor resolution next to
the spaCy pass over the same sentences (one process; medians of repeated timings).

    .venv/bin/python bench/actors.py [--misses N] [--repeat K]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsgraph.evaluation.gold import check_entities  # noqa: E402
from newsgraph.ingest import read_page  # noqa: E402
from newsgraph.models import Analysis, Entity  # noqa: E402
from newsgraph.nlp.actors import ActorMap, ActorResolver  # noqa: E402
from newsgraph.nlp.gazetteer import load_gazetteer  # noqa: E402
from newsgraph.nlp.kb import KnowledgeBase  # noqa: E402
from newsgraph.nlp.model import load_nlp  # noqa: E402
from newsgraph.pipeline import Resources, analyze_pages  # noqa: E402
from newsgraph.serialize import analysis_json  # noqa: E402

GOLD = ROOT.parent / "shared" / "benchmarks" / "events" / "plover_gsr_cameo_examples.jsonl"
# CAMEO-era codes in the gold that differ from ISO 3166 alpha-3 (fixed before measuring).
CAMEO_TO_ISO = {"JAP": "JPN", "ROM": "ROU", "TMP": "TLS", "GMY": "DEU", "ZAR": "COD", "BUR": "MMR", "SER": "SRB",
                "PAL": "PSE", "UK": "GBR", "CRO": "HRV", "BOS": "BIH"}  # fmt: skip
# Gold sector codes that name what the project calls by another code (fixed before measuring).
SECTOR_SYNONYMS = {"OPP": "POL", "JRN": "MED", "CIV": "CVL", "UAF": "REB", "INS": "REB", "MOS": "REL",
                   "CHR": "REL", "ELI": "GOV", "SPY": "SPY"}  # fmt: skip


def gold_actors(record: dict[str, Any]) -> list[dict[str, Any]]:
    actors = []
    for event in record["events"]:
        for side in ("source", "target"):
            for actor in event.get(side) or []:
                if isinstance(actor, dict) and actor.get("actorText") and actor.get("code"):
                    actors.append(actor)
    return actors


def resolve(entities: tuple[Entity, ...], doc: Doc, actor_text: str) -> Entity | None:
    """The entity with a mention at the gold span's syntactic head ("Rebels in the Ivory Coast" are the rebels);
    else the one whose mention overlaps the span most (on a tie, the mention closest to it in length)."""
    text = doc.text
    wanted = " ".join(actor_text.replace("...", " ").split())
    exact = re.search(rf"(?<!\w){re.escape(wanted)}(?!\w)", text) or re.search(
        rf"(?<!\w){re.escape(wanted)}(?!\w)", text, re.I
    )
    at = exact.start() if exact else text.lower().find(wanted.lower())
    length = len(wanted)
    if at < 0:  # the gold span is not contiguous ("French ... warships"): its first word that the text has
        for word in (w.strip(".,'’()") for w in wanted.split()):
            long_enough = len(word) >= 3 or (
                len(word) == 2 and word.isupper()
            )  # "US forces" in "US and British forces"
            found = re.search(rf"\b{re.escape(word)}\b", text) if long_enough else None
            if found:
                at, length = found.start(), len(word)
                break
    if at < 0:
        return None
    span = (at, at + length)
    parsed = doc.char_span(at, at + length, alignment_mode="expand")
    if parsed is not None and len(parsed) > 1:
        head = parsed.root.idx
        for entity in entities:
            if any(m.start <= head < m.end for m in entity.mentions):
                return entity
    best, score = None, (0, 0)
    for entity in entities:
        for mention in entity.mentions:
            shared = min(span[1], mention.end) - max(span[0], mention.start)
            fit = (shared, -abs((mention.end - mention.start) - (span[1] - span[0])))  # most overlap, closest size
            if shared > 0 and fit > score:
                best, score = entity, fit
    return best


@dataclass
class Scores:
    countries: int = 0
    country_ok: int = 0
    sectors: int = 0
    sector_ok: int = 0
    misses: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    sector_examples: list[str] = field(default_factory=list)

    @property
    def country_accuracy(self) -> float:
        return self.country_ok / max(self.countries, 1)

    @property
    def sector_accuracy(self) -> float:
        return self.sector_ok / max(self.sectors, 1)


def load_records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in GOLD.read_text("utf-8").splitlines() if line.strip()]


def resolve_all(records: list[dict[str, Any]], nlp: Any, kb: KnowledgeBase) -> tuple[list[Doc], list[ActorMap]]:
    """Each gold sentence parsed and its actors resolved on its own (the gold has no publication dates)."""
    docs = list(nlp.pipe([r["text"] for r in records], batch_size=64))
    return docs, [ActorResolver(kb, None).resolve([doc], [0]) for doc in docs]


def score(records: list[dict[str, Any]], docs: list[Doc], maps: list[ActorMap]) -> Scores:
    """Country and sector accuracy of the entity each gold actorText resolves to."""
    scores = Scores()
    for record, doc, actor_map in zip(records, docs, maps, strict=True):
        for actor in gold_actors(record):
            entity = resolve(actor_map.entities, doc, actor["actorText"])
            want = CAMEO_TO_ISO.get(actor["code"], actor["code"])
            got = entity.country if entity else None
            scores.countries += 1
            scores.country_ok += got == want
            if got != want:
                scores.misses[(want, str(got), "country")] += 1
                scores.examples.append(
                    f"{actor['actorText']!r}: want {want} got {got} ({entity.name if entity else '-'})"
                )
            sector = actor.get("sector")
            if sector and sector != "***":
                scores.sectors += 1
                want_sector = SECTOR_SYNONYMS.get(sector[:3], sector[:3])
                got_sector = entity.sector if entity else None
                scores.sector_ok += got_sector == want_sector
                if got_sector != want_sector:
                    scores.misses[(want_sector, str(got_sector), "sector")] += 1
                    scores.sector_examples.append(f"{actor['actorText']!r}: want {want_sector} got {got_sector}")
    return scores


def gold_pages() -> list[tuple[Path, Path]]:
    """(page, gold) pairs: the seed (when ../shared is there) and the example corpus's own gold."""
    pairs = []
    seeds = ROOT.parent / "shared" / "seeds"
    for gold in sorted(seeds.glob("*.expected.json")) + sorted((ROOT / "examples" / "gold").glob("*.expected.json")):
        stem = gold.name.removesuffix(".expected.json")
        pages = [p for p in gold.parent.parent.glob(f"*/{stem}.*") if not p.name.endswith(".json")]
        pages += [p for p in gold.parent.glob(f"{stem}.*") if not p.name.endswith(".json")]
        if pages:
            pairs.append((pages[0], gold))
    return pairs


def entity_gold_report(res: Resources) -> None:
    """entities.must of every gold file: how many hold, and which do not."""
    held = total = 0
    misses = []
    for page, gold_path in gold_pages():
        gold = json.loads(gold_path.read_text("utf-8"))
        [result] = list(analyze_pages([read_page(page)], res))
        entities = analysis_json(result)["entities"] if isinstance(result, Analysis) else []
        for check in check_entities(entities, gold["entities"]["must"]):
            total += 1
            held += check.ok
            if not check.ok:
                misses.append(f"{page.name}: {check.item}")
    print(f"\ngold pages (seed + examples/gold): entities.must held {held}/{total} = {held / max(total, 1):.3f}")
    for line in misses:
        print("  missed " + line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--misses", type=int, default=25, help="misses to list")
    parser.add_argument("--repeat", type=int, default=3, help="timing repetitions (median)")
    args = parser.parse_args()
    if not GOLD.exists():
        sys.exit(f"{GOLD} is absent: the gold lives beside the checkout in ../shared")
    records = load_records()
    nlp, kb = load_nlp(), KnowledgeBase.load()
    load_gazetteer()  # loaded once per process, like the model: not part of the per-sentence cost
    texts = [r["text"] for r in records]
    spacy_times, actor_times = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=64))
        spacy_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        maps = [ActorResolver(kb, None).resolve([doc], [0]) for doc in docs]
        actor_times.append(time.perf_counter() - start)
    scores = score(records, docs, maps)
    countries, sectors, misses = scores.countries, scores.sectors, scores.misses
    country_ok, sector_ok = scores.country_ok, scores.sector_ok
    examples, sector_examples = scores.examples, scores.sector_examples
    print(f"gold: {GOLD.name}, {len(records)} sentences, {countries} actors ({sectors} with a sector)")
    print(f"{'measure':<20}{'newsgraph':>10}")
    print(f"{'country accuracy':<20}{country_ok / countries:>10.3f}")
    print(f"{'sector accuracy':<20}{sector_ok / sectors:>10.3f}")
    spacy_s, actor_s = statistics.median(spacy_times), statistics.median(actor_times)
    print(
        f"\nspaCy full pipeline: {spacy_s:.2f} s; actor resolution: {actor_s:.2f} s "
        f"(+{100 * actor_s / spacy_s:.1f}% of the spaCy pass; medians of {args.repeat})"
    )
    print("\nmisses (gold, got, what): count")
    for (want, got, what), count in misses.most_common(args.misses):
        print(f"  {want:>5} {got:>5} {what:<8} {count}")
    for title, lines in (("country", examples), ("sector", sector_examples)):
        print(f"\nexamples of {title} misses:")
        for line in lines[: args.misses]:
            print("  " + line)
    entity_gold_report(Resources.load())


if __name__ == "__main__":
    main()
