from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples" / "corpus"


def require_shared(*parts: str) -> Path:
    """The path under ../shared, or skip the test with a clear message when ../shared is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: this test reads the shared benchmark/seed data beside the checkout")
    return path


@pytest.fixture(scope="session")
def resources():  # type: ignore[no-untyped-def]
    from newsgraph.pipeline import Resources

    return Resources.load()


@pytest.fixture(scope="session")
def nlp(resources):  # type: ignore[no-untyped-def]
    return resources.nlp


# -- PostgreSQL: a throwaway server the tests start themselves ----------------------------------------------------


def _postgres_bin(name: str) -> str | None:
    """A PostgreSQL server program: on PATH, else in Debian's /usr/lib/postgresql/<version>/bin (newest first)."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]), reverse=True)
    return str(versions[0]) if versions else None


def _missing_postgres(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}: .ci/run installs Debian's postgresql package (and `make install` psycopg)")
    pytest.skip(f"{reason}: install PostgreSQL (Debian: apt-get install postgresql) to run the PostgreSQL tests")


class PostgresServer:
    """A PostgreSQL cluster in a temporary folder on a free loopback port (trust auth, no fsync), run as the
    `postgres` user when the tests run as root (initdb refuses root)."""

    def __init__(self, initdb: str, pg_ctl: str) -> None:
        root = os.geteuid() == 0
        parent = Path(tempfile.gettempdir())
        if root and not all(folder.stat().st_mode & 0o001 for folder in (parent, *parent.parents)):
            parent = Path("/tmp")  # the postgres user must be able to reach the folder
        self.folder = Path(tempfile.mkdtemp(prefix="newsgraph-pg-", dir=parent))
        self.data = self.folder / "data"
        self.pg_ctl = pg_ctl
        self.as_user: list[str] = []
        if root:
            import pwd

            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                _missing_postgres("running as root and there is no `postgres` user to run the server as")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self.folder.chmod(0o700)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._run(initdb, "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8",
                  "--no-sync", "--no-instructions")  # fmt: skip
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
        )
        self._run(pg_ctl, "-D", str(self.data), "-l", str(self.folder / "server.log"), "-o", options, "-w", "start")
        self._databases = 0

    def _run(self, *command: str) -> None:
        done = subprocess.run([*self.as_user, *command], capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command[:2])} failed: {done.stdout}{done.stderr}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """The URL of a new, empty database."""
        import psycopg

        self._databases += 1
        name = f"test_{self._databases}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")  # a counter-made name, not input
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run(self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[Callable[[], str]]:
    """A factory of fresh PostgreSQL databases: each call gives the URL of a new, empty database on a server started
    for this test session (and removed after it). Skips when PostgreSQL is not installed; fails instead under CI."""
    initdb, pg_ctl = _postgres_bin("initdb"), _postgres_bin("pg_ctl")
    if initdb is None or pg_ctl is None:
        _missing_postgres("PostgreSQL's initdb/pg_ctl are not installed")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _missing_postgres("psycopg is not installed")
    assert initdb is not None and pg_ctl is not None
    server = PostgresServer(initdb, pg_ctl)
    try:
        yield server.new_database
    finally:
        server.stop()


BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=BACKENDS)
def fresh_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A `--db` value naming a new, empty database: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "fresh.db")
    factory: Callable[[], str] = request.getfixturevalue("postgres_url")
    return factory()


_IDS = {"event_id", "happening_id", "id", "story_id"}  # row ids: numbering may differ, contents may not


def contents(db: str) -> dict[str, Any]:
    """Everything a user can read back, with row ids left out."""
    from newsgraph.store.base import open_store

    with open_store(db) as store:
        articles = store.articles(limit=100_000)
        return {
            "articles": [_strip(store.article(a["doc_id"])) for a in articles],
            "copies": sorted(store.copies(a["doc_id"]) for a in articles),
            "happenings": sorted(json.dumps(_strip(h), sort_keys=True) for h in store.happenings()),
            "stories": sorted(json.dumps(_strip(s), sort_keys=True) for s in store.stories()),
            "counts": store.counts(),
        }


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in _IDS and k not in ("first_seen", "last_seen")}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value
