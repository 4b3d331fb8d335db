"""Scale: the Spark runner against the local runner, and how the cost of the global steps grows with the corpus.

Lines:
  * articles/s of the local runner (`ingest`, one process) and of the Spark runner in local mode with one and two
    cores (`local[1]`, `local[2]`) on the same pages, each into a fresh SQLite database; the Spark times are split
    into analysis (read, extract, NLP, events on the workers; spaCy loaded once per worker, included), global steps
    and load (into the store, on the driver); session start-up is excluded;
  * the global steps alone (near-duplicate groups, stories, happenings, daily dyad aggregates, Parquet written) on
    10k, 50k and 100k generated articles (generated bodies of ~120 words, one in ten a syndicated copy of an earlier
    one under another wrapper, three generated events each), on `local[2]`;
  * the cost per million articles that these rates imply, in core-hours and in hours on a 2-core machine.

Pages: the HTML pages of the shared extraction benchmark (every --step-th), or the example corpus when the shared
data is absent.

    .venv/bin/python bench/scale.py [--step 8] [--sizes 10000 50000 100000] [--save]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsgraph.corpus.dedup import fingerprint  # noqa: E402
from newsgraph.runners.spark_corpus import CorpusDoc, CorpusEvent, corpus_steps  # noqa: E402

SHARED_HTML = ROOT.parent / "shared" / "benchmarks" / "extraction" / "html"
EXAMPLES = ROOT / "examples" / "corpus"
REFERENCE = ROOT / "bench" / "reference" / "scale.txt"
COUNTRIES = ["USA", "CHN", "RUS", "UKR", "FRA", "DEU", "GBR", "IND", "JPN", "PRK",
             "KOR", "IRN", "ISR", "TUR", "EGY", "BRA", "MEX", "POL", "ARM", "AZE"]  # fmt: skip
ACTS = [("CONSULT", "040", 1.0, 1), ("ACCUSE", "112", -2.0, 3), ("COOPERATE", "050", 3.5, 1),
        ("THREATEN", "130", -4.4, 4), ("AID", "070", 7.0, 2), ("DEMAND", "100", -5.0, 3)]  # fmt: skip
WORDS = [f"w{n}" for n in range(5000)]


def pages(step: int) -> list[Path]:
    if SHARED_HTML.is_dir():
        return sorted(SHARED_HTML.glob("*.html.gz"))[::step]
    print(f"(shared pages absent at {SHARED_HTML}: using the example corpus)")
    return sorted(EXAMPLES.iterdir())


def local_rate(folder: Path, workdir: Path) -> tuple[int, float]:
    from newsgraph.pipeline import Resources
    from newsgraph.runners.local import ingest
    from newsgraph.store.sqlite import SqliteStore

    res = Resources.load()
    with SqliteStore(workdir / "local.db") as store:
        summary = ingest([str(folder)], store, res)
    return summary.stored, summary.seconds


def spark_rate(folder: Path, workdir: Path, master: str) -> tuple[int, dict[str, float]]:
    from newsgraph.runners.spark import load, run, spark_session
    from newsgraph.store.sqlite import SqliteStore

    spark = spark_session(master, "newsgraph-bench")
    try:
        name = master.replace("[", "").replace("]", "")  # Spark reads a path as a glob: no brackets
        out = workdir / f"out-{name}"
        summary = run(spark, [str(folder)], out)
        with SqliteStore(workdir / f"{name}.db") as store:
            load(spark, out, store, summary=summary)
    finally:
        spark.stop()
    return summary.stored, summary.seconds


# -- generated corpora for the global steps ------------------------------------------------------------------------
def generated(start: int, stop: int) -> Iterator[tuple[CorpusDoc, list[CorpusEvent]]]:
    """Articles start..stop-1: every tenth one a copy of an article up to 50 before it, under another wrapper."""
    for n in range(start, stop):
        original = n - 1 - n % 50 if n % 10 == 9 and n >= 50 else n
        rng = random.Random(original)
        body = " ".join(rng.choice(WORDS) for _ in range(120))
        a, b = rng.sample(COUNTRIES, 2)
        day = f"2024-{1 + original % 12:02d}-{1 + original // 12 % 28:02d}"
        title = f"{a} and {b} {rng.choice(WORDS)} {rng.choice(WORDS)}"
        if original != n:
            body = f"Wire report {n}. {body} Distributed by an agency, item {n}."
            title = f"WIRE {n}: {title}"
        fp = fingerprint(body)
        doc_id = f"{n:012d}"
        doc = CorpusDoc(n, doc_id, fp.to_bytes(), fp.size, day, title, ((a, 3), (b, 2)))
        events = []
        for index in range(3):
            plover, cameo, goldstein, quad = ACTS[(original + index) % len(ACTS)]
            sentence = f"{a} {plover.lower()} {b} about {' '.join(rng.choice(WORDS) for _ in range(8))}."
            event = {
                "source": {"name": a, "country": a, "sector": None, "actor_id": None},
                "target": {"name": b, "country": b, "sector": None, "actor_id": None},
                "plover": plover, "cameo": cameo, "goldstein": goldstein, "quad": quad, "intensity": goldstein / 2,
                "status": "asserted", "date": day if index else None, "location": None, "sentence": sentence,
                "start": 100 * index, "confidence": 0.5 + 0.1 * index,
            }  # fmt: skip
            events.append(CorpusEvent(n, index, doc_id, f"outlet{n % 7}", day, json.dumps(event)))
        yield doc, events


def _generate(bounds: Iterable[tuple[int, int]]) -> Iterator[tuple[CorpusDoc, list[CorpusEvent]]]:
    for start, stop in bounds:
        yield from generated(start, stop)


def global_steps(sizes: list[int], workdir: Path) -> list[tuple[int, float]]:
    from newsgraph.runners.spark import spark_session, write_corpus

    spark = spark_session("local[2]", "newsgraph-bench")
    sc = spark.sparkContext
    times = []
    try:
        for size in sizes:
            chunks = [(i, min(i + 1000, size)) for i in range(0, size, 1000)]
            records = sc.parallelize(chunks, sc.defaultParallelism).mapPartitions(_generate).cache()
            docs, events = records.keys().cache(), records.values().flatMap(lambda e: e).cache()
            docs.count(), events.count()  # generation is not timed
            started = time.perf_counter()
            write_corpus(spark, workdir / f"global-{size}", corpus_steps(docs, events))
            times.append((size, time.perf_counter() - started))
            print(f"  global steps, {size:>7,} articles: {times[-1][1]:7.1f} s", flush=True)
            records.unpersist(), docs.unpersist(), events.unpersist()
    finally:
        spark.stop()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--step", type=int, default=8, help="every n-th shared page (8: 122 pages)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    parser.add_argument("--save", action="store_true", help=f"also write the output to {REFERENCE.relative_to(ROOT)}")
    args = parser.parse_args()
    lines: list[str] = []

    def say(line: str = "") -> None:
        print(line, flush=True)
        lines.append(line)

    workdir = Path(tempfile.mkdtemp(prefix="newsgraph-scale-"))
    try:
        folder = workdir / "pages"
        folder.mkdir()
        for path in pages(args.step):
            shutil.copy(path, folder / path.name)
        count = sum(1 for _ in folder.iterdir())
        say(f"newsgraph scale bench — {platform.python_version()}, {platform.machine()}, {count} pages")
        say()
        say(f"{'runner':<22}{'articles':>9}{'analysis s':>12}{'global s':>10}{'load s':>8}{'total s':>9}{'art/s':>8}")
        stored, seconds = local_rate(folder, workdir)
        say(f"{'local (ingest)':<22}{stored:>9}{'':>12}{'':>10}{'':>8}{seconds:>9.1f}{stored / seconds:>8.2f}")
        rates = {"local": stored / seconds}
        for master in ("local[1]", "local[2]"):
            stored, parts = spark_rate(folder, workdir, master)
            total = sum(parts.values())
            rates[master] = stored / total
            say(
                f"{'spark ' + master:<22}{stored:>9}{parts['analysis']:>12.1f}{parts['global steps']:>10.1f}"
                f"{parts['load']:>8.1f}{total:>9.1f}{stored / total:>8.2f}"
            )
        say()
        say("global steps alone on generated articles (spark local[2]; 10% syndicated copies, 3 events each):")
        times = global_steps(args.sizes, workdir)
        say(f"{'articles':>10}{'seconds':>10}{'articles/s':>12}{'s per 10k':>11}")
        for size, sec in times:
            say(f"{size:>10,}{sec:>10.1f}{size / sec:>12.0f}{sec / size * 10_000:>11.2f}")
        (small, t_small), (large, t_large) = times[0], times[-1]
        say(f"growth: {large / small:.0f}x the articles took {t_large / t_small:.1f}x the time")
        say()
        say("cost per million articles implied by these rates (this machine, 2 cores, under load from other jobs):")
        global_per_m = t_large / large * 1e6
        for name, rate in rates.items():
            cores = 2 if name in ("local[2]",) else 1
            hours = 1e6 / rate / 3600
            say(f"  {name:<10} {hours:8.1f} h wall, {hours * cores:8.1f} core-hours (all steps, NLP included)")
        hours = global_per_m / 3600
        say(f"  global steps alone: {hours:.2f} h wall on local[2] ({2 * hours:.2f} core-hours)")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.save:
        REFERENCE.write_text("\n".join(lines) + "\n", "utf-8")


if __name__ == "__main__":
    main()
