"""A database built once per backend (a SQLite file, then a PostgreSQL database) from the example corpus plus two
hostile documents, shared by the API, export and UI tests: each of them runs against both.

- HOSTILE: a page with markup in its headline and body, ingested like any other page;
- `crafted()`: an analysis written straight to the store, markup in every field the pipeline would not produce
  itself (title, outlet, authors, entity and actor names, actor ids, event sentence, place, claimant), so that
  every page and JSON block shows hostile text from the database.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from newsgraph.models import ActorRef, Analysis, Article, Entity, Event, Location, Mention, Page
from tests.conftest import BACKENDS, EXAMPLES

CHROMIUM = Path("/usr/bin/chromium")

HOSTILE = (
    " date 2024-05-02 Minister <script>alert('x')</script> visits Pyongyang\n"
    "Minister <script>alert('x')</script> visits Pyongyang\n"
    "Russian Foreign Minister Sergei Lavrov arrived in Pyongyang on Thursday <script>alert('body')</script> for talks "
    "with North Korean officials, the ministry said. <img src=x onerror=alert(1)> He met Choe Son Hui.\n"
)

# Each payload runs alert(<its name>) if it is ever parsed as HTML: a browser test fails on any dialog.
XSS = {
    name: f"<img src=x onerror=alert('{name}')>" if i % 2 else f"\"><script>alert('{name}')</script>"
    for i, name in enumerate(("title", "outlet", "author", "source", "target", "actor", "place", "claim", "body"))
}
CRAFTED_ID = hashlib.sha256(b"newsgraph crafted hostile analysis").hexdigest()


def crafted() -> Analysis:
    """An article, its entities and one RUS-PRK event, with a script or an event handler in every text field."""
    source, target = f"Oleg Brusov {XSS['source']}", f"Ri Chol Gwang {XSS['target']}"
    sentence = f"{source} received {target} in Wonsan on Saturday."
    paragraphs = (sentence, f"Aftermath {XSS['body']} </p></div></script><!-- \ue000marked\ue001 --> & more.")
    article = Article(
        title=f"Brusov receives Ri {XSS['title']}",
        paragraphs=paragraphs,
        date="2024-06-15",
        outlet=f"The Courier {XSS['outlet']}",
        authors=(XSS["author"],),
        summary=paragraphs[1],
        language="en",
    )
    actor = f"person:brusov{XSS['actor']}"
    entities = (
        Entity(source, "PERSON", "RUS", "GOV", "minister", actor, mentions=(Mention(source, 0, len(source)),)),
        Entity(target, "PERSON", "PRK", "GOV", None, "person:ri_chol_gwang",
               mentions=(Mention(target, sentence.index(target), sentence.index(target) + len(target)),)),
    )  # fmt: skip
    event = Event(
        source=ActorRef(source, "RUS", "GOV", actor),
        target=ActorRef(target, "PRK", "GOV", "person:ri_chol_gwang"),
        plover="CONSULT", cameo="040", goldstein=1.0, quad=1, intensity=1.0, status="asserted",
        attributed_to=(XSS["claim"],), date="2024-06-15", date_precision="day",
        location=Location(f"Wonsan {XSS['place']}", "PRK"), sentence=sentence, start=0, end=len(sentence),
        trigger="received",
    )  # fmt: skip
    page = Page(origin="crafted.txt", content="\n".join(paragraphs), fmt="text", content_hash=CRAFTED_ID)
    return Analysis(page=page, article=article, entities=entities, events=(event,))


@pytest.fixture(scope="session", params=BACKENDS)
def corpus_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, resources) -> str:  # type: ignore[no-untyped-def]
    """The `--db` value of the example corpus's database: a SQLite file path, or a PostgreSQL URL."""
    from newsgraph.runners.local import ingest
    from newsgraph.store import open_store

    folder = tmp_path_factory.mktemp("pages")
    for page in EXAMPLES.iterdir():
        shutil.copy(page, folder / page.name)
    (folder / "999_hostile.txt").write_text(HOSTILE, "utf-8")
    if request.param == "sqlite":
        db = str(tmp_path_factory.mktemp("db") / "corpus.db")
    else:
        new_database: Callable[[], str] = request.getfixturevalue("postgres_url")
        db = new_database()
    with open_store(db) as store:
        ingest([str(folder)], store, resources)
        assert store.put_analysis(CRAFTED_ID, crafted())
    return db


@pytest.fixture(scope="session")
def client(corpus_db: str):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from newsgraph.api.app import create_app

    with TestClient(create_app(corpus_db)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def server(corpus_db: str) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port (browsers and raw HTTP requests talk to it)."""
    import uvicorn

    from newsgraph.api.app import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(corpus_db), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    for _ in range(100):
        if running.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Debian's headless Chromium under Playwright (never a downloaded browser); skipped where it is absent, a
    failure under CI, where .ci/run installs it."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()
