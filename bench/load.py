"""The REST API and web pages under concurrent load on loopback while an ingest writes into the same database.

`newsgraph serve` runs in a child process over a database that starts with the example corpus; a second child,
`newsgraph ingest`, keeps adding generated pages to it. --clients concurrent clients (asyncio, one connection
each) send a mix of requests for --seconds: article search, article lists, single articles, events, dyads,
stories, the network, and the HTML pages. Every response is checked:

- errors: any status other than 200 (or 404 for an id that was listed and then looked up is still an error);
- half-written articles: an article read by id must have its text and exactly the events its list row counted,
  each event's offsets inside that text (a store that let readers in mid-transaction would show fewer);
- counts never go down: a listing sent after another was answered counts at least as many articles.

It prints requests, errors, half-written articles seen, and p50/p95/p99 latency per request kind. The anchor is
the same mix with no ingest running (the readers alone), measured in the same run.

    .venv/bin/python bench/load.py [--seconds 60] [--clients 200] [--db sqlite:///path|postgresql://...]
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.ingest import generate  # noqa: E402

EXAMPLES = ROOT / "examples" / "corpus"
QUERIES = ["Lavrov", "North Korea", "sanctions", "ceasefire talks", '"foreign minister"', "Pyongyang OR Beijing"]
DYADS = [("RUS", "PRK"), ("USA", "CHN"), ("RUS", "UKR"), ("ISR", "IRN")]


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)
    half_written: int = 0
    articles_checked: int = 0
    totals: list[tuple[float, float, int]] = field(default_factory=list)  # (sent, answered, article total)

    @property
    def count_went_down(self) -> int:
        """Listings that counted fewer articles than a listing answered before they were sent."""
        answered = sorted((end, total) for _, end, total in self.totals)
        ends, best, highest = [e for e, _ in answered], [], 0
        for _, total in answered:
            highest = max(highest, total)
            best.append(highest)
        fewer = 0
        for sent, _, total in self.totals:
            i = bisect.bisect_left(ends, sent)
            fewer += i > 0 and total < best[i - 1]
        return fewer

    def error(self, kind: str, what: str) -> None:
        self.errors[kind] += 1
        if len(self.examples) < 10:
            self.examples.append(f"{kind}: {what}"[:300])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cli(*args: str, **popen: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "newsgraph.cli", *args], **popen)


def stop(proc: subprocess.Popen[bytes], seconds: float = 30) -> None:
    """Ask a child to stop, and kill it if it has not within `seconds` (a hung server must not outlive the run)."""
    proc.terminate()
    try:
        proc.wait(seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise SystemExit(f"{proc.args!r}: did not stop within {seconds:g} s of SIGTERM (killed)") from None


def wait_until_up(base: str, proc: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the server exited before it answered")
        try:
            if httpx.get(f"{base}/api/stats", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise SystemExit("the server did not answer in time")


async def client(base: str, tally: Tally, until: float, rng: random.Random) -> None:
    """One client on one keep-alive connection of its own, sending its next request as soon as the last is answered
    (so that its connection is never idle long enough for the server to close it under a request)."""
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=httpx.Limits(max_connections=1)) as http:
        await requests(http, tally, until, rng)


async def requests(http: httpx.AsyncClient, tally: Tally, until: float, rng: random.Random) -> None:
    while time.monotonic() < until:
        kind, url, params = pick(rng)
        started = time.perf_counter()
        try:
            response = await http.get(url, params=params)
        except httpx.HTTPError as exc:
            tally.error(kind, f"{url} {params}: {type(exc).__name__} {exc}")
            continue
        answered = time.perf_counter()
        tally.latencies[kind].append(answered - started)
        if response.status_code != 200:
            tally.error(kind, f"{url} {params}: HTTP {response.status_code} {response.text[:120]}")
            continue
        if kind == "articles":
            listing = response.json()
            tally.totals.append((started, answered, int(listing.get("total") or 0)))
            await check_articles(http, listing, tally)


def pick(rng: random.Random) -> tuple[str, str, dict[str, Any]]:
    """A request kind, its path and its query parameters."""
    roll = rng.random()
    a, b = rng.choice(DYADS)
    if roll < 0.25:
        return "search", "/api/articles", {"q": rng.choice(QUERIES), "limit": 20}
    if roll < 0.45:
        return "articles", "/api/articles", {"limit": 20, "offset": rng.choice([0, 0, 20, 40])}
    if roll < 0.65:
        return "events", "/api/events", {"a": a, "b": b, "limit": 50}
    if roll < 0.75:
        return "dyad", f"/api/dyads/{a}/{b}", {"interval": "month"}
    if roll < 0.82:
        return "stories", "/api/stories", {}
    if roll < 0.87:
        return "network", "/api/network", {}
    if roll < 0.92:
        return "page", rng.choice(["/", "/events", "/stories"]), {}
    if roll < 0.95:
        return "page", "/", {"q": rng.choice(QUERIES)}
    return "stats", "/api/stats", {}


async def check_articles(http: httpx.AsyncClient, listing: dict[str, Any], tally: Tally) -> None:
    """Each listed article, read whole, holds the events its row counted."""
    for row in listing.get("items", [])[:3]:
        started = time.perf_counter()
        response = await http.get(f"/api/articles/{row['doc_id']}")
        tally.latencies["article"].append(time.perf_counter() - started)
        if response.status_code != 200:
            tally.error("article", f"{row['doc_id']}: HTTP {response.status_code}")
            continue
        article = response.json()
        tally.articles_checked += 1
        events = article.get("events", [])
        text = "\n\n".join(article.get("article", {}).get("paragraphs") or [])
        whole = text and all(0 <= e["start"] <= e["end"] <= len(text) for e in events)
        if len(events) != row.get("n_events", len(events)) or not whole:
            tally.half_written += 1
            tally.error("article", f"{row['doc_id']}: {len(events)} events, listed with {row.get('n_events')}")


async def load(base: str, clients: int, seconds: float, seed: int) -> tuple[Tally, float]:
    tally = Tally()
    started = time.monotonic()
    await asyncio.gather(*(client(base, tally, started + seconds, random.Random(seed + n)) for n in range(clients)))
    return tally, time.monotonic() - started


def report(name: str, tally: Tally, seconds: float) -> None:
    requests = sum(len(v) for v in tally.latencies.values())
    errors = sum(tally.errors.values())
    print(f"\n## {name}: {requests:,} requests in {seconds:.0f} s ({requests / seconds:.0f}/s), {errors} errors, "
          f"{tally.half_written} half-written articles in {tally.articles_checked:,} read whole, "
          f"{tally.count_went_down} counts that went down\n")  # fmt: skip
    print("| request | n | errors | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---|---|---|---|")
    for kind in sorted(tally.latencies):
        ms = sorted(x * 1000 for x in tally.latencies[kind])
        q = statistics.quantiles(ms, n=100) if len(ms) > 1 else ms * 99
        print(f"| {kind} | {len(ms):,} | {tally.errors.get(kind, 0)} | {q[49]:.0f} | {q[94]:.0f} | {q[98]:.0f} |")
    for example in tally.examples:
        print(f"- {example}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--pages", type=int, default=20_000, help="generated pages the ingest may add meanwhile")
    parser.add_argument("--db", help="a database URL (default: a new SQLite file)")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="newsgraph-load-"))
    db = args.db or f"sqlite:///{work / 'load.db'}"
    quiet: dict[str, Any] = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    try:
        if cli("ingest", str(EXAMPLES), "--db", db, **quiet).wait() != 0:
            raise SystemExit("the first ingest failed")
        generate(work / "pages", args.pages)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = cli("serve", "--db", db, "--port", str(port), **quiet)
        try:
            wait_until_up(base, server)
            alone, alone_s = asyncio.run(load(base, args.clients, args.seconds / 2, args.seed))
            writer = cli("ingest", str(work / "pages"), "--db", db, **quiet)
            try:
                busy, busy_s = asyncio.run(load(base, args.clients, args.seconds, args.seed + 1000))
            finally:
                stop(writer)
            stats = httpx.get(f"{base}/api/stats", timeout=30).json()
        finally:
            stop(server)
        print(f"# Load on loopback: {args.clients} concurrent clients; the server is `newsgraph serve` (one process)")
        print(f"# over {db.split('://')[0]}; {os.cpu_count()} cores; the database held {stats} at the end")
        report("readers alone (the anchor)", alone, alone_s)
        report("readers while an ingest writes", busy, busy_s)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
