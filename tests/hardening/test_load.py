"""The quick subset of bench/load.py: concurrent clients against `newsgraph serve` while `newsgraph ingest` writes into
the same database: no errors, no half-written article, no count going down."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import httpx
import pytest

from bench.ingest import generate
from bench.load import Tally, cli, free_port, load, stop, wait_until_up
from tests.conftest import EXAMPLES

QUIET = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE}


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'load.db'}"
    return str(request.getfixturevalue("postgres_url")())


def test_load_readers_see_whole_articles_while_an_ingest_writes(db: str, tmp_path: Path) -> None:
    first = cli("ingest", str(EXAMPLES), "--db", db, **QUIET)
    assert first.wait(600) == 0
    generate(tmp_path / "pages", 400)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = cli("serve", "--db", db, "--port", str(port), **QUIET)
    try:
        wait_until_up(base, server)
        before = httpx.get(f"{base}/api/stats", timeout=30).json()["articles"]
        writer = cli("ingest", str(tmp_path / "pages"), "--db", db, **QUIET)
        try:
            tally, _ = asyncio.run(load(base, clients=30, seconds=20, seed=1))
            wrote = writer.poll() is None or writer.returncode == 0
            after = httpx.get(f"{base}/api/stats", timeout=30).json()["articles"]
        finally:
            stop(writer)
    finally:
        stop(server)
    assert wrote and after > before  # the ingest wrote while the clients read
    assert_clean(tally)


def assert_clean(tally: Tally) -> None:
    requests = sum(len(v) for v in tally.latencies.values())
    assert requests > 100 and tally.articles_checked > 20
    assert not tally.errors, tally.examples
    assert tally.half_written == 0 and tally.count_went_down == 0
