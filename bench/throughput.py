"""End-to-end throughput against the naive spaCy limit, on the same articles, in one run.

Lines (medians of --repeat runs):
  * bare `nlp.pipe` with the full en_core_web_sm pipeline over the extracted article bodies (one doc per body), in
    one process and with n_process=2: the naive limit of any pipeline that parses everything;
  * `newsgraph ingest` (the local runner: read -> extract -> triage and NLP -> actors -> events -> SQLite, corpus
    layer included) over the same pages, with 1 and 2 worker processes, each run in a fresh process into a fresh
    database, timed from the first page read to the last row stored (model loading excluded, as for the bare pass).
Then: the share of each stage in one in-process run, peak RSS of the ingest runs (the process's own high-water
mark, VmHWM: ru_maxrss would carry the bench's own peak over fork and exec; or a worker's, when larger), the
event-accuracy scorers of the CI gate (tests/event_baseline.json) computed with the same pipeline, and, with
--profile, the top 10 hot spots (pyinstrument, flat, by own time) written to bench/reference/throughput_profile.txt.

Articles: the HTML pages of the shared extraction benchmark (every --step-th), or the example corpus when the
shared data is absent.

    .venv/bin/python bench/throughput.py [--step 4] [--repeat 3] [--profile]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsgraph.extract import extract  # noqa: E402
from newsgraph.ingest import read_pages  # noqa: E402
from newsgraph.models import Page  # noqa: E402
from newsgraph.pipeline import Resources  # noqa: E402

SHARED_HTML = ROOT.parent / "shared" / "benchmarks" / "extraction" / "html"
REFERENCE = ROOT / "bench" / "reference" / "throughput_profile.txt"
T = TypeVar("T")

_CHILD = (
    "import json, resource, sys\n"
    "from newsgraph.pipeline import Resources\n"
    "from newsgraph.runners.local import ingest\n"
    "from newsgraph.store.sqlite import SqliteStore\n"
    "res = Resources.load()\n"
    "store = SqliteStore(sys.argv[2])\n"
    "summary = ingest([sys.argv[1]], store, res, workers=int(sys.argv[3]))\n"
    "store.close()\n"
    "hwm = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
    "rss = max(hwm, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "print(json.dumps({'seconds': summary.seconds, 'stored': summary.stored, 'events': summary.events,\n"
    "                  'errors': summary.errors, 'rss_kb': rss}))\n"
)


def select(step: int) -> list[Path]:
    if SHARED_HTML.is_dir():
        return sorted(SHARED_HTML.glob("*.html.gz"))[::step]
    print("(shared extraction benchmark not found: using the example corpus)")
    return sorted(p for p in (ROOT / "examples" / "corpus").iterdir() if p.is_file())


def median_of(repeat: int, run: Callable[[], T], key: Callable[[T], float]) -> T:
    results = sorted((run() for _ in range(repeat)), key=key)
    return results[len(results) // 2]


def bare(res: Resources, texts: list[str], n_process: int) -> float:
    start = time.perf_counter()
    for _ in res.nlp.pipe(texts, n_process=n_process, batch_size=64 if n_process > 1 else 1000):
        pass
    return time.perf_counter() - start


def run_ingest(folder: Path, workdir: Path, workers: int) -> dict[str, Any]:
    db = workdir / f"run-{workers}-{time.monotonic_ns()}.db"
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(folder), str(db), str(workers)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def stage_shares(files: list[Path], res: Resources, workdir: Path) -> dict[str, float]:
    """Seconds per stage in one in-process run of the same work the runner does."""
    from newsgraph.events.coder import EventCoder, without_duplicates
    from newsgraph.models import Analysis
    from newsgraph.nlp.actors import ActorResolver
    from newsgraph.pipeline import ARTICLES_PER_BATCH
    from newsgraph.store.sqlite import SqliteStore

    spent: dict[str, float] = {}

    @contextmanager
    def timed(stage: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        spent[stage] = spent.get(stage, 0.0) + time.perf_counter() - start

    store = SqliteStore(workdir / "stages.db")
    coder = EventCoder(res.lexicon, res.ontology)
    pages: Iterator[Any] = iter(read_pages([str(f) for f in files]))
    while True:
        with timed("read"):
            batch = [p for _, p in zip(range(ARTICLES_PER_BATCH), pages, strict=False)]
        if not batch:
            break
        articles = []
        for page in batch:
            if isinstance(page, Page):
                with timed("extract"):
                    try:
                        article = extract(page)
                    except Exception:
                        continue
                if article.paragraphs:
                    articles.append((page, article))
        with timed("NLP (triage + spaCy)"):
            bodies = res.parser.parse([a.paragraphs for _, a in articles])
        for (page, article), body in zip(articles, bodies, strict=True):
            with timed("actors"):
                headings = (article.title, article.summary, *article.image_captions)
                actors = ActorResolver(res.kb, article.date).resolve(body.docs, body.offsets, headings)
            with timed("events"):
                published = article.published or article.date
                events = coder.code(body.docs, body.offsets, actors, published, body.parsed, body.paragraphs)
            analysis = Analysis(page, article, actors.entities, without_duplicates(events))
            with timed("store (+ corpus layer)"):
                store.put_analysis(page.content_hash, analysis)
    store.close()
    return spent


def accuracy(res: Resources) -> list[tuple[str, float, float]]:
    """(measure, figure, floor) of the event gate's scorers, computed with this pipeline."""
    from bench.actors import gold_pages
    from bench.events import PETRARCH, PLOVER, code_sentences, load, score_pages, score_petrarch, score_plover

    floors = json.loads((ROOT / "tests" / "event_baseline.json").read_text("utf-8"))["floors"]
    rows = []
    if PLOVER.is_file():
        records = load(PLOVER)
        plover = score_plover(records, code_sentences(records, res))
        rows += [(f"PLOVER {m}", getattr(plover, m), floors[f"plover_{m}"]) for m in ("recall", "precision")]
        rows.append(("PLOVER type accuracy", plover.type_accuracy, floors["plover_type_accuracy"]))
    if PETRARCH.is_file():
        records = load(PETRARCH, "gsr_validation")
        petrarch = score_petrarch(records, code_sentences(records, res))
        agreement = petrarch.root_agree / max(petrarch.dyad_matched, 1)
        rows.append(("PETRARCH CAMEO root agreement", agreement, floors["petrarch_root_agreement"]))
    pages = score_pages(res, [pair for pair in gold_pages() if pair[1].parent.name == "gold"])
    rows.append(("example corpus gold events held", pages.must_held, floors.get("corpus_must_held", 0)))
    return rows


def profile(files: list[Path], res: Resources, workdir: Path) -> str:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.002)
    profiler.start()
    stage_shares(files, res, workdir)
    profiler.stop()
    from pyinstrument.renderers import ConsoleRenderer

    flat = profiler.output(renderer=ConsoleRenderer(unicode=False, color=False, flat=True, show_all=True))
    rows = [line.rstrip() for line in flat.splitlines() if line[:1].isdigit() or line.strip()[:1].isdigit()]
    return "\n".join(["own s  function (self time, flat)", *rows[:10]])


def write_profile(files: list[Path], res: Resources, workdir: Path, articles: int) -> None:
    (workdir / "stages.db").unlink(missing_ok=True)
    text = profile(files, res, workdir)
    REFERENCE.parent.mkdir(exist_ok=True)
    REFERENCE.write_text(
        f"# bench/throughput.py --profile: top 10 hot spots by own time, one in-process run over {articles} "
        f"articles\n{text}\n",
        "utf-8",
    )
    print(f"\ntop 10 hot spots (written to {REFERENCE.relative_to(ROOT)}):\n{text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--step", type=int, default=4, help="take every STEP-th benchmark page (4: 244 pages)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per line (median)")
    parser.add_argument("--profile", action="store_true", help=f"write the top 10 hot spots to {REFERENCE}")
    parser.add_argument("--profile-only", action="store_true", help="only the profile")
    args = parser.parse_args()

    files = select(args.step)
    res = Resources.load()
    bodies, paragraphs = [], []
    for page in read_pages([str(f) for f in files]):
        if isinstance(page, Page):
            try:
                article = extract(page)
            except Exception:
                continue
            if article.paragraphs:
                bodies.append("\n\n".join(article.paragraphs))
                paragraphs.extend(article.paragraphs)
    words = sum(len(b.split()) for b in bodies)
    print(f"{len(files)} pages, {len(bodies)} articles with a body, {words} words; machine: {platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}; medians of {args.repeat}")  # fmt: skip

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        folder = workdir / "pages"
        folder.mkdir()
        for f in files:
            shutil.copy(f, folder / f.name)
        if args.profile_only:
            write_profile(files, res, workdir, len(bodies))
            return
        lines: list[tuple[str, float, dict[str, Any] | None, int]] = []
        for n in (1, 2):
            seconds = statistics.median(bare(res, bodies, n) for _ in range(args.repeat))
            lines.append((f"bare nlp.pipe, full pipeline, {n} process{'es' if n > 1 else ''}", seconds, None, n))
            if n == 1:  # the same pass over paragraphs, a doc each: a stronger baseline than whole bodies
                by_paragraph = statistics.median(bare(res, paragraphs, 1) for _ in range(args.repeat))
                lines.append(("  the same over paragraphs (a doc each)", by_paragraph, None, -1))
            run = median_of(args.repeat, lambda n=n: run_ingest(folder, workdir, n), key=lambda r: r["seconds"])
            lines.append((f"newsgraph ingest -> SQLite, {n} worker{'s' if n > 1 else ''}", run["seconds"], run, n))
        print(f"\n| {'line':<48} | {'articles/s':>10} | {'words/s':>8} | {'x bare':>6} | {'peak RSS':>9} |")
        print(f"|{'-' * 50}|{'-' * 12}|{'-' * 10}|{'-' * 8}|{'-' * 11}|")
        base: dict[int, float] = {}
        for label, seconds, run, n in lines:
            if run is None and n > 0:
                base[n] = seconds
            ratio = base[abs(n)] / seconds
            rss = f"{run['rss_kb'] / 1024:.0f} MB" if run else ""
            print(
                f"| {label:<48} | {len(bodies) / seconds:10.2f} | {words / seconds:8.0f} | {ratio:5.2f}x | {rss:>9} |"
            )
        one = next(run for _, _, run, n in lines if run is not None and n == 1)
        by_paragraph = next(seconds for _, seconds, _, n in lines if n == -1)
        print(f"(ingest stored {one['stored']} articles, {one['events']} events, {one['errors']} per-document errors; "
              f"1 worker vs the paragraph pass: {by_paragraph / one['seconds']:.2f}x)")  # fmt: skip

        spent = stage_shares(files, res, workdir)
        total = sum(spent.values())
        print(f"\nstage shares (one in-process run, {total:.1f} s):")
        for stage, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
            print(f"  {stage:<24} {seconds:7.2f} s  {100 * seconds / total:5.1f}%")

        print("\nevent accuracy with this pipeline (the CI gate's scorers):")
        print(f"| {'measure':<34} | {'figure':>7} | {'floor':>7} |")
        for measure, figure, floor in accuracy(res):
            print(f"| {measure:<34} | {figure:7.3f} | {floor:7.3f} |" + ("" if figure >= floor else "  BELOW FLOOR"))

        if args.profile or args.profile_only:
            write_profile(files, res, workdir, len(bodies))


if __name__ == "__main__":
    main()
