"""Ingest at scale: pages/s and peak RSS of `newsgraph ingest` on generated corpora of growing size.

Each size runs in a fresh process (the CLI, as users run it) over a folder of generated short news pages written
here, into a fresh SQLite database; peak RSS is the child's maximum resident set size. Reading alone (the readers,
without extraction, NLP or storage) is timed beside it, to show that ingest keeps pace with the rest of the pipeline.
The floor: RSS at the largest size under 1 GB and at most 1.2x the RSS at the smallest.

    .venv/bin/python bench/ingest.py [--sizes 10000 100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsgraph.ingest import read_pages  # noqa: E402

PLACES = [
    "Russia", "North Korea", "China", "Japan", "France", "Germany", "Brazil", "India", "Canada", "Kenya",
    "Iran", "Israel", "Turkey", "Egypt", "Mexico", "Poland", "Ukraine", "Armenia", "Azerbaijan", "Taiwan",
]  # fmt: skip
VERBS = [("met", "to discuss trade and security"), ("criticised", "over a border dispute"),
         ("accused", "of violating a ceasefire"), ("praised", "for its help after the floods"),
         ("threatened", "with new sanctions"), ("urged", "to release detained sailors")]  # fmt: skip


def generate(folder: Path, count: int) -> None:
    """`count` flattened pages of about 90 words each, in folders of 1,000."""
    for n in range(count):
        a, b = PLACES[n % 20], PLACES[(n * 7 + 3) % 20]
        verb, rest = VERBS[n % len(VERBS)]
        sub = folder / f"{n // 1000:04d}"
        if n % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{n:07d}.txt").write_text(
            f" date 2024-{1 + n % 12:02d}-{1 + n % 28:02d} {a} {verb} {b}, report {n}\n"
            f"{a} {verb} {b}, report {n}\n"
            f"By a staff reporter\n"
            f"The government of {a} {verb} {b} {rest} on Tuesday, officials in the capital said in report {n}. "
            f"The statement followed weeks of tension between the two countries and a series of meetings.\n"
            f"Diplomats from {b} said they would study the statement. Analysts said the dispute could affect "
            f"trade, which reached a record last year, and the talks planned for next month.\n",
            "utf-8",
        )


_CHILD = (
    "import resource, sys\n"
    "from newsgraph.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print('peak_rss_kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def run_ingest(folder: Path, db: Path) -> tuple[float, int, str]:
    """(seconds, peak RSS in bytes, summary line) of one `newsgraph ingest` in its own process."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, "ingest", str(folder), "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - start
    peak = next(int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("peak_rss_kb"))
    return seconds, peak * 1024, done.stdout.strip().splitlines()[-1]


def read_only(folder: Path) -> float:
    start = time.perf_counter()
    for _ in read_pages([str(folder)]):
        pass
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--keep", type=Path, help="generate the corpora here and keep them")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="newsgraph-bench-ingest-"))
    rows = []
    try:
        for size in sorted(args.sizes):
            folder = work / f"pages-{size}"
            if not folder.exists():
                generate(folder, size)
            db = work / f"ingest-{size}.db"
            db.unlink(missing_ok=True)
            reading = read_only(folder)
            seconds, rss, line = run_ingest(folder, db)
            rows.append((size, size / seconds, size / reading, rss, line))
            print(f"  {size}: {line}", file=sys.stderr)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{'pages':>8}{'ingest pages/s':>16}{'reading pages/s':>17}{'peak RSS MB':>13}{'RSS / smallest':>16}")
    smallest = rows[0][3]
    for size, rate, reading_rate, rss, _ in rows:
        print(f"{size:>8}{rate:>16.1f}{reading_rate:>17.0f}{rss / 2**20:>13.0f}{rss / smallest:>16.2f}")
    largest = rows[-1][3]
    verdict = "holds" if largest < 2**30 and largest <= 1.2 * smallest else "FAILS"
    print(f"floor (largest under 1 GB and at most 1.2x the smallest): {verdict}")


if __name__ == "__main__":
    main()
