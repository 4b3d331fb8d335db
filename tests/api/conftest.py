"""A database built once per backend (a SQLite file, then a PostgreSQL database) from the example corpus plus one
hostile page, shared by the API, export and UI tests: each of them runs against both."""

from __future__ import annotations

import shutil
from collections.abc import Callable

import pytest

from tests.conftest import BACKENDS, EXAMPLES

HOSTILE = (
    " date 2024-05-02 Minister <script>alert('x')</script> visits Pyongyang\n"
    "Minister <script>alert('x')</script> visits Pyongyang\n"
    "Russian Foreign Minister Sergei Lavrov arrived in Pyongyang on Thursday <script>alert('body')</script> for talks "
    "with North Korean officials, the ministry said. <img src=x onerror=alert(1)> He met Choe Son Hui.\n"
)


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
    return db


@pytest.fixture(scope="session")
def client(corpus_db: str):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from newsgraph.api.app import create_app

    with TestClient(create_app(corpus_db)) as test_client:
        yield test_client
