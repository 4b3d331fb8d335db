"""Crash safety: an ingest killed with SIGKILL at any point, then run again, leaves exactly what an uninterrupted run
leaves; a disk that fills up gives a clear error and a consistent database that a later run completes."""

from __future__ import annotations

import random
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from newsgraph.store.base import open_store
from tests.conftest import EXAMPLES, contents

FULL_AT = 3_000_000


def newsgraph(*args: str, **popen: Any) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsgraph.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


def finish(*args: str) -> subprocess.CompletedProcess[str]:
    proc = newsgraph(*args)
    out, err = proc.communicate(timeout=600)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def stored(db: str) -> int:
    try:
        with open_store(db, readonly=True) as store:
            return store.counts()["articles"]
    except Exception:  # not created yet, or being created
        return 0


def kill_at(db: str, pages: str, articles: int, timeout: float = 600) -> bool:
    """Run an ingest and SIGKILL it once the database holds `articles` articles (0: at once, while it starts);
    False when it finished first."""
    proc = newsgraph("ingest", pages, "--db", db)
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        if stored(db) >= articles:
            proc.send_signal(signal.SIGKILL)
            proc.communicate()
            return True
        time.sleep(0.02)
    _, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err
    return False


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def fresh(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'crash.db'}"
    return str(request.getfixturevalue("postgres_url")())


@pytest.fixture(scope="module")
def uninterrupted(backend: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Any:
    if backend == "sqlite":
        db = f"sqlite:///{tmp_path_factory.mktemp('whole') / 'whole.db'}"
    else:
        db = str(request.getfixturevalue("postgres_url")())
    done = finish("ingest", str(EXAMPLES), "--db", db)
    assert done.returncode == 0, done.stderr
    return contents(db)


def test_crash_kill_9_then_rerun_equals_an_uninterrupted_run(fresh: str, uninterrupted: dict[str, Any]) -> None:
    total = len(uninterrupted["articles"])
    assert kill_at(fresh, str(EXAMPLES), 0)  # while it loads
    assert kill_at(fresh, str(EXAMPLES), total // 3)  # mid-run
    assert 0 < stored(fresh) < total
    assert kill_at(fresh, str(EXAMPLES), total * 2 // 3)  # after a resume
    assert not kill_at(fresh, str(EXAMPLES), total + 1)  # runs to the end
    assert contents(fresh) == uninterrupted


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(4))
def test_crash_kill_9_at_random_points(fresh: str, uninterrupted: dict[str, Any], seed: int) -> None:
    rng = random.Random(seed)
    total = len(uninterrupted["articles"])
    for at in sorted(rng.sample(range(total), 5)):
        kill_at(fresh, str(EXAMPLES), at)
    kill_at(fresh, str(EXAMPLES), total + 1)
    assert contents(fresh) == uninterrupted


def _limit_file_size(limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead of a signal
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_crash_full_disk_is_a_clear_error_and_the_database_stays_consistent(
    backend: str, tmp_path: Path, uninterrupted: dict[str, Any]
) -> None:
    if backend != "sqlite":
        pytest.skip("a full disk under PostgreSQL is the server's own disk: see the README")
    db = str(tmp_path / "full.db")
    proc = newsgraph(
        "ingest", str(EXAMPLES), "--db", db, preexec_fn=lambda: _limit_file_size(FULL_AT)
    )  # a disk that holds FULL_AT bytes of database file (the corpus needs more)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 1, (out, err)
    assert f"{db}: cannot write to the database" in err, err
    assert "Traceback" not in err
    assert "re-run the same" in err  # it says what to do
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        orphans = conn.execute(
            "SELECT count(*) FROM events e LEFT JOIN articles a ON a.doc_id = e.doc_id WHERE a.doc_id IS NULL"
        ).fetchone()[0]
    assert 0 < stored < len(uninterrupted["articles"]) and orphans == 0
    done = finish("ingest", str(EXAMPLES), "--db", db)  # the disk has room again
    assert done.returncode == 0, done.stderr
    assert contents(db) == uninterrupted
