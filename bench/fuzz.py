"""Fuzzing: mutated inputs of every kind through the readers, the extractors and (a share of them) the whole
analysis, counting crashes (an exception that escapes), hangs (a case over the watchdog's limit) and the documents
and recorded errors they give; then the nasty corpus, big cases included. trafilatura runs over the same HTML
mutants beside it, as the anchor.

Each case runs in a worker process watched from here: a case that takes over --hang seconds is a hang, the worker
is killed and a new one goes on with the next case. Reproducible: the cases come from --seed.

    .venv/bin/python bench/fuzz.py [--cases 10000] [--nlp-every 10] [--seed 0]
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsgraph.extract import extract  # noqa: E402
from newsgraph.ingest import read_source  # noqa: E402
from newsgraph.ingest.charset import decode_web  # noqa: E402
from newsgraph.limits import resident_bytes  # noqa: E402
from newsgraph.models import DocError, Page, ToFetch  # noqa: E402
from tests.hardening.cases import NASTY, big_cases, fuzz_cases  # noqa: E402

Case = tuple[str, str, bytes, bool]  # (tool, kind, bytes, analyse)


def _run_case(case: Case, resources: Any) -> dict[str, int]:
    tool, kind, data, analyse = case
    if tool == "trafilatura":
        import trafilatura

        try:
            text = decode_web(data)
        except ValueError:
            return {"documents": 0, "errors": 1}
        trafilatura.extract(text)
        return {"documents": 1, "errors": 0}
    documents = list(read_source(f"case.{kind}", data))
    counts = Counter(type(d).__name__ for d in documents)
    pages = [d for d in documents if isinstance(d, Page)]
    for page in pages:
        extract(page)
    if analyse and pages:
        from newsgraph.pipeline import analyze_pages

        counts.update(type(r).__name__ for r in analyze_pages(pages, resources))
    assert all(isinstance(d, Page | DocError | ToFetch) for d in documents)
    return {"documents": len(documents), "errors": counts["DocError"]}


def _worker(conn: Connection) -> None:
    from newsgraph.pipeline import Resources

    resources = Resources.load()
    conn.send(("ready", None))
    while True:
        case = conn.recv()
        if case is None:
            return
        try:
            conn.send(("ok", _run_case(case, resources)))
        except Exception:
            conn.send(("crash", traceback.format_exc(limit=3)))
        except RecursionError:
            conn.send(("crash", "RecursionError"))


class Watched:
    """A worker process and a watchdog over each case it runs."""

    def __init__(self, hang: float) -> None:
        self.hang = hang
        self.peak = 0
        self._start()

    def _start(self) -> None:
        ctx = multiprocessing.get_context("fork")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child,), daemon=True)
        self.proc.start()
        self.conn.recv()

    def run(self, case: Case) -> tuple[str, Any, float]:
        started = time.perf_counter()
        self.conn.send(case)
        if not self.conn.poll(self.hang):
            self.proc.kill()
            self.proc.join()
            self._start()
            return "hang", None, time.perf_counter() - started
        try:
            status, result = self.conn.recv()
        except EOFError:  # the worker died (a crash in C code, or the kernel's OOM killer)
            self.proc.join()
            self._start()
            return "crash", "worker died", time.perf_counter() - started
        self.peak = max(self.peak, _peak_of(self.proc.pid))
        return status, result, time.perf_counter() - started

    def close(self) -> None:
        self.conn.send(None)
        self.proc.join(10)


def _peak_of(pid: int | None) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resident_bytes()


def _cases(count: int, seed: int, nlp_every: int) -> Iterator[Case]:
    for n, (kind, data) in enumerate(fuzz_cases(count, seed)):
        yield "newsgraph", kind, data, nlp_every > 0 and n % nlp_every == 0
        if kind == "html":
            yield "trafilatura", kind, data, False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--nlp-every", type=int, default=10, help="analyse every Nth case fully (0: never)")
    parser.add_argument("--hang", type=float, default=30.0, help="seconds after which a case is a hang")
    args = parser.parse_args()

    rows: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    slowest: dict[tuple[str, str], float] = defaultdict(float)
    examples: dict[str, str] = {}
    watched = Watched(args.hang)
    started = time.perf_counter()

    def record(tool: str, kind: str, status: str, result: Any, seconds: float) -> None:
        row = rows[tool, kind]
        row["cases"] += 1
        row[status] += 1
        if status == "ok":
            row["documents"] += result["documents"]
            row["errors"] += result["errors"]
        else:
            examples.setdefault(f"{tool} {kind} {status}", str(result)[-400:])
        slowest[tool, kind] = max(slowest[tool, kind], seconds)

    for n, (tool, kind, data, analyse) in enumerate(_cases(args.cases, args.seed, args.nlp_every)):
        record(tool, kind, *watched.run((tool, kind, data, analyse)))
        if n % 1000 == 0:
            print(f"  {n} cases, {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    nasty = [(p.name, p.read_bytes) for p in sorted(NASTY.iterdir())] + list(big_cases())
    for name, make in nasty:
        record("newsgraph", "nasty corpus", *watched.run(("newsgraph", name.split(".")[-1], make(), True)))
    watched.close()

    print(f"# Fuzzing: {args.cases} mutated cases (seed {args.seed}) + {len(nasty)} nasty-corpus cases")
    print(f"# every {args.nlp_every}th mutant (and every nasty case) analysed through NLP and events; hang = over")
    seconds = time.perf_counter() - started
    print(f"# {args.hang:g} s; {seconds:.0f} s in all; worker peak RSS {watched.peak / 1e6:.0f} MB\n")
    print("| tool | input kind | cases | documents | recorded errors | crashes | hangs | slowest case |")
    print("|---|---|---|---|---|---|---|---|")
    total: Counter[str] = Counter()
    for (tool, kind), row in sorted(rows.items()):
        total.update({f"{tool} {k}": v for k, v in row.items()})
        print(
            f"| {tool} | {kind} | {row['cases']:,} | {row['documents']:,} | {row['errors']:,} | {row['crash']} "
            f"| {row['hang']} | {slowest[tool, kind]:.2f} s |"
        )
    for tool in ("newsgraph", "trafilatura"):
        print(
            f"| **{tool}** | all | {total[f'{tool} cases']:,} | {total[f'{tool} documents']:,} "
            f"| {total[f'{tool} errors']:,} | **{total[f'{tool} crash']}** | **{total[f'{tool} hang']}** | |"
        )
    for what, text in examples.items():
        print(f"\n{what}:\n{text}")


if __name__ == "__main__":
    main()
