"""The local runner as users run it: a real subprocess killed with SIGKILL and resumed, a watched folder, followed
feeds, both stopped with Ctrl-C (SIGINT); and the same folder ingested twice."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT

COUNTRIES = ["Russia", "North Korea", "China", "Japan", "France", "Germany", "Brazil", "India", "Canada", "Kenya"]


def write_pages(folder: Path, count: int, start: int = 0) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(start, start + count):
        a, b = COUNTRIES[n % 10], COUNTRIES[(n * 3 + 1) % 10]
        text = (
            f" date 2024-03-{1 + n % 28:02d} {a} and {b} hold talks, number {n}\n"
            f"{a} and {b} hold talks, number {n}\n"
            f"The foreign minister of {a} met his counterpart from {b} in the capital on Tuesday to discuss trade "
            f"and security, officials said. It was meeting number {n} between the two governments this year.\n"
            f"{a} criticised {b} over a border dispute, and {b} rejected the criticism as unfounded.\n"
        )
        (folder / f"page_{n:04d}.txt").write_text(text, "utf-8")


def newsgraph(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsgraph.cli", *args]


def counts(db: Path) -> dict[str, int]:
    if not db.exists():
        return {"pages": 0, "articles": 0, "events": 0}
    with sqlite3.connect(db, timeout=10) as conn:
        try:
            row = conn.execute(
                "SELECT (SELECT count(*) FROM pages), (SELECT count(*) FROM articles), (SELECT count(*) FROM events)"
            ).fetchone()
        except sqlite3.OperationalError:  # not migrated yet
            return {"pages": 0, "articles": 0, "events": 0}
    return {"pages": row[0], "articles": row[1], "events": row[2]}


def wait_for(condition: Callable[[], bool], seconds: float = 90) -> None:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting")


def test_killed_run_resumes_and_stores_every_page_once(tmp_path: Path) -> None:
    pages, db, clean = tmp_path / "pages", tmp_path / "killed.db", tmp_path / "clean.db"
    write_pages(pages, 120)
    proc = subprocess.Popen(newsgraph("ingest", str(pages), "--db", str(db)), cwd=ROOT, stderr=subprocess.PIPE)
    try:
        wait_for(lambda: counts(db)["pages"] >= 10)
        os.kill(proc.pid, signal.SIGKILL)  # kill -9 in the middle of the run
        proc.wait(timeout=30)
    finally:
        proc.kill()
    killed_at = counts(db)["pages"]
    assert 10 <= killed_at < 120, killed_at
    assert subprocess.run(newsgraph("ingest", str(pages), "--db", str(db)), cwd=ROOT, timeout=300).returncode == 0
    assert subprocess.run(newsgraph("ingest", str(pages), "--db", str(clean)), cwd=ROOT, timeout=300).returncode == 0
    resumed, fresh = counts(db), counts(clean)
    assert resumed == fresh and resumed["pages"] == resumed["articles"] == 120
    with sqlite3.connect(db) as conn:  # every page once, and each with all of its events
        per_page = dict(
            conn.execute(
                "SELECT p.origin, count(e.id) FROM pages p LEFT JOIN events e ON e.doc_id = p.doc_id GROUP BY p.doc_id"
            ).fetchall()
        )
    with sqlite3.connect(clean) as conn:
        per_page_clean = dict(
            conn.execute(
                "SELECT p.origin, count(e.id) FROM pages p LEFT JOIN events e ON e.doc_id = p.doc_id GROUP BY p.doc_id"
            ).fetchall()
        )
    assert per_page == per_page_clean


def test_same_folder_twice_stores_the_same_counts(tmp_path: Path) -> None:
    pages, db = tmp_path / "pages", tmp_path / "twice.db"
    write_pages(pages, 6)
    first = subprocess.run(newsgraph("ingest", str(pages), "--db", str(db)), cwd=ROOT, capture_output=True, text=True)
    after_first = counts(db)
    second = subprocess.run(newsgraph("ingest", str(pages), "--db", str(db)), cwd=ROOT, capture_output=True, text=True)
    assert first.returncode == second.returncode == 0
    assert counts(db) == after_first and after_first["pages"] == 6
    assert "0 new articles (6 already stored)" in second.stdout


@pytest.mark.parametrize("how", ["watch", "follow"])
def test_watch_and_follow_pick_up_new_documents_and_stop_cleanly(tmp_path: Path, how: str) -> None:
    db = tmp_path / f"{how}.db"
    if how == "watch":
        folder = tmp_path / "inbox"
        write_pages(folder, 2)
        args = ("ingest", "--watch", str(folder), "--interval", "0.3", "--db", str(db))
    else:
        feed = tmp_path / "feed.xml"
        feed.write_text(_feed(2), "utf-8")
        args = ("follow", str(feed), "--interval", "0.3", "--db", str(db))
    proc = subprocess.Popen(newsgraph(*args), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: counts(db)["pages"] == 2)
        if how == "watch":
            write_pages(tmp_path / "inbox", 1, start=2)
        else:
            feed.write_text(_feed(3), "utf-8")
        wait_for(lambda: counts(db)["pages"] == 3)
        proc.send_signal(signal.SIGINT)  # Ctrl-C
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "(stopped)" in out
    assert counts(db)["pages"] == counts(db)["articles"] == 3


def _feed(items: int) -> str:
    body = "".join(
        f"<item><title>Talks number {n}</title><link>https://news.example.org/talks-{n}</link>"
        f"<pubDate>Tue, 0{n + 1} Oct 2024 10:00:00 GMT</pubDate><description><![CDATA["
        + " ".join(
            f"<p>{COUNTRIES[n]} and {COUNTRIES[n + 1]} held talks in the capital on Tuesday, officials said, "
            f"and agreed to meet again next month to discuss trade, security and visas.</p>"
            for _ in range(4)
        )
        + "]]></description></item>"
        for n in range(items)
    )
    link = "<item><title>Read more</title><link>https://news.example.org/elsewhere</link></item>"
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Example</title>{body}{link}</channel></rss>'


def test_file_of_an_origin() -> None:
    from newsgraph.runners.local import file_of

    assert file_of("crawl.warc.gz#<urn:uuid:1>") == "crawl.warc.gz"
    assert file_of("pages.zip!a/b.html") == "pages.zip"
    assert file_of("export.jsonl:12") == "export.jsonl"
    assert file_of("folder/page.txt") == "folder/page.txt"


def test_two_workers_store_what_one_process_stores(tmp_path: Path, resources) -> None:  # type: ignore[no-untyped-def]
    from newsgraph.runners.local import ingest
    from newsgraph.store.sqlite import SqliteStore

    pages = sorted((ROOT / "examples" / "corpus").iterdir())[:6]
    rows = []
    for workers in (1, 2):
        store = SqliteStore(tmp_path / f"w{workers}.db")
        summary = ingest([str(p) for p in pages], store, resources, workers=workers)
        assert (summary.stored, summary.errors) == (6, 0)
        store.close()
        with sqlite3.connect(tmp_path / f"w{workers}.db") as db:
            rows.append(db.execute("SELECT plover, cameo, status, sentence FROM events ORDER BY 1, 2, 3, 4").fetchall())
    assert rows[0] and rows[0] == rows[1]
