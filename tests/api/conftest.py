"""A database built once from the example corpus plus one hostile page, shared by the API, export and UI tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

HOSTILE = (
    " date 2024-05-02 Minister <script>alert('x')</script> visits Pyongyang\n"
    "Minister <script>alert('x')</script> visits Pyongyang\n"
    "Russian Foreign Minister Sergei Lavrov arrived in Pyongyang on Thursday <script>alert('body')</script> for talks "
    "with North Korean officials, the ministry said. <img src=x onerror=alert(1)> He met Choe Son Hui.\n"
)


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory, resources) -> Path:  # type: ignore[no-untyped-def]
    from newsgraph.runners.local import ingest
    from newsgraph.store.sqlite import SqliteStore

    folder = tmp_path_factory.mktemp("pages")
    for page in EXAMPLES.iterdir():
        shutil.copy(page, folder / page.name)
    (folder / "999_hostile.txt").write_text(HOSTILE, "utf-8")
    db = tmp_path_factory.mktemp("db") / "corpus.db"
    with SqliteStore(db) as store:
        ingest([str(folder)], store, resources)
    return db


@pytest.fixture(scope="session")
def client(corpus_db: Path):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from newsgraph.api.app import create_app

    with TestClient(create_app(corpus_db)) as test_client:
        yield test_client
