"""The REST API under load on loopback: requests/s and p50/p99 latency of the main endpoints on a database of
100,000 events (synthetic rows written here straight into the schema; no NLP), served by uvicorn in a child
process and queried one request at a time. Bounded: at most --requests per endpoint and --seconds per endpoint.
The floor: p99 under 200 ms for filtered event queries.

    .venv/bin/python bench/api.py [--events 100000] [--requests 300] [--seconds 30]
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsgraph.store.sqlite import SqliteStore  # noqa: E402

COUNTRIES = ["RUS", "PRK", "USA", "CHN", "UKR", "IRN", "ISR", "TWN", "IND", "CAN", "ARM", "AZE", "KOR", "JPN", "GBR"]
TYPES = [("CONSULT", "040", 1), ("ACCUSE", "112", 3), ("AGREE", "030", 1), ("ASSAULT", "190", 4), ("AID", "072", 2),
         ("REJECT", "120", 3), ("THREATEN", "130", 3), ("SUPPORT", "051", 1)]  # fmt: skip


def build(db: Path, events: int) -> None:
    """`events` events in events/10 articles, each event its own happening, dated over two years."""
    rng = random.Random(5)
    SqliteStore(db).close()  # the schema, by the store's own migrations
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA synchronous = OFF")
    articles = events // 10
    with conn:
        for n in range(articles):
            doc = f"doc{n:08d}"
            day = f"{2023 + n * 2 // articles}-{1 + (n // 300) % 12:02d}-{1 + n % 28:02d}"
            title = f"{rng.choice(COUNTRIES)} and {rng.choice(COUNTRIES)} talks {n}"
            conn.execute(
                "INSERT INTO pages (doc_id, origin, fmt, ingested_at) VALUES (?, ?, 'text', ?)", (doc, doc, day)
            )
            conn.execute(
                "INSERT INTO articles (doc_id, title, date, outlet, body, json) VALUES (?, ?, ?, ?, ?, '{}')",
                (doc, title, day, f"outlet{n % 40}", f"{title}. Officials met on {day} to discuss trade and security."),
            )
            for k in range(10):
                a, b = rng.sample(COUNTRIES, 2)
                plover, cameo, quad = rng.choice(TYPES)
                event = {"source": {"name": a, "country": a, "sector": "GOV"},
                         "target": {"name": b, "country": b, "sector": "GOV"}, "plover": plover, "cameo": cameo,
                         "goldstein": 1.0, "quad": quad, "intensity": 2.0, "status": "asserted", "date": day,
                         "sentence": f"{a} and {b} sentence {k}.", "start": k * 40, "end": k * 40 + 30}  # fmt: skip
                cur = conn.execute(
                    "INSERT INTO events (doc_id, source_name, source_country, source_sector, target_name, "
                    "target_country, target_sector, plover, cameo, goldstein, quad, status, date, date_precision, "
                    "sentence, start, end, json) VALUES (?, ?, ?, 'GOV', ?, ?, 'GOV', ?, ?, 1.0, ?, 'asserted', ?, "
                    "'day', ?, ?, ?, ?)",
                    (
                        doc,
                        a,
                        a,
                        b,
                        b,
                        plover,
                        cameo,
                        quad,
                        day,
                        event["sentence"],
                        k * 40,
                        k * 40 + 30,
                        json.dumps(event),
                    ),
                )
                happening = conn.execute(
                    "INSERT INTO happenings (source_country, target_country, plover, date, last_date, mentions, "
                    "articles, sources, independent, confidence, first_seen, last_seen, json) "
                    "VALUES (?, ?, ?, ?, ?, 1, 1, 1, 1, 0.8, ?, ?, ?)",
                    (a, b, plover, day, day, day, day, json.dumps(event)),
                ).lastrowid
                conn.execute("INSERT INTO happening_mentions (event_id, happening_id) VALUES (?, ?)",
                             (cur.lastrowid, happening))  # fmt: skip
    conn.execute("ANALYZE")
    conn.close()


def serve(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsgraph.cli", "serve", "--db", str(db), "--port", str(port)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(base + "/api/stats", timeout=1)
            return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the server did not start")


def measure(client: httpx.Client, url: str, params: list[dict[str, str]], requests: int, seconds: float) -> list[float]:
    times: list[float] = []
    until = time.perf_counter() + seconds
    for n in range(requests):
        if time.perf_counter() > until:
            break
        start = time.perf_counter()
        response = client.get(url, params=params[n % len(params)])
        times.append(time.perf_counter() - start)
        response.raise_for_status()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    rng = random.Random(9)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "api.db"
        build(db, args.events)
        proc, base = serve(db)
        pairs = [{"a": a, "b": b, "limit": "50"} for a, b in (rng.sample(COUNTRIES, 2) for _ in range(50))]
        cases = [
            ("events: dyad filter", "/api/events", pairs),
            ("events: type + months", "/api/events",
             [{"type": t[0], "since": "2023-06", "until": "2023-09", "limit": "50"} for t in TYPES]),
            ("events: actor, reports", "/api/events",
             [{"actor": c, "mentions": "true", "limit": "50"} for c in COUNTRIES]),
            ("articles: full-text", "/api/articles", [{"q": f"talks {n}"} for n in range(50)]),
            ("dyad series (month)", "/api/dyads/RUS/PRK", [{"interval": "month"}]),
            ("stats", "/api/stats", [{}]),
        ]  # fmt: skip
        rows = []
        try:
            with httpx.Client(base_url=base, timeout=30) as client:
                for name, url, params in cases:
                    client.get(url, params=params[0])  # warm
                    times = measure(client, url, params, args.requests, args.seconds)
                    ordered = sorted(times)
                    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
                    rows.append((name, len(times), len(times) / sum(times), statistics.median(times), p99))
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print(
        f"database: {args.events} events; one client on loopback, {args.requests} requests or {args.seconds:g} s each"
    )
    print(f"{'endpoint':<26}{'requests':>9}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}")
    for name, count, rate, p50, p99 in rows:
        print(f"{name:<26}{count:>9}{rate:>8.0f}{p50 * 1000:>8.1f}{p99 * 1000:>8.1f}")
    worst = max(r[4] for r in rows if r[0].startswith("events"))
    print(
        f"floor (p99 of filtered event queries under 200 ms): {'holds' if worst < 0.2 else 'FAILS'} "
        f"(worst {worst * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()
