"""Issue 11, web and API hardening, against both backends: hostile text stays text on every page; every response
carries the security headers; search syntax, hostile and oversized input are client errors, never server errors;
lists and statements have limits; the server is read-only, serves no file outside its static folder and binds
127.0.0.1 unless told otherwise."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from markupsafe import escape

from tests.api.conftest import CRAFTED_ID, XSS

TEMPLATES = Path(__file__).resolve().parents[2] / "newsgraph" / "web" / "templates"
EXPECTED_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}
CSP_DIRECTIVES = {
    "default-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
}
HOSTILE_QUERIES = [
    '"', '""', "'", "AND", "OR", "NOT", "a AND", "OR b", "NOT NOT", "NEAR(", "NEAR(a b, 3)", "NEAR/3", "*", "a*",
    "^a", "+a", "-a", "col:x", "title:x", "{title body}:x", "(", ")", "((a)", "a))", "(a OR (b", '"unbalanced',
    "a:b:c", "\\", "%", "_", "%_%", "; DROP TABLE articles; --", "' OR 1=1 --", '" OR ""="', "$$", "E'\\x'",
    "<script>alert(1)</script>", "&amp;", "\ue000", "\ue001x\ue000", "Лавров", "金正恩", "🚀🚀", "\u202egnp",
    "a\u200bb", "e\u0301", "ﷺ", "x" * 200, "x " * 100, "a" * 120, "NEAR(" * 40, '"' * 200,
]  # fmt: skip
TEXT_ENDPOINTS = [
    ("/api/articles", "q"), ("/api/articles", "outlet"), ("/api/actors", "q"), ("/api/events", "who"),
    ("/api/events", "place"), ("/api/events", "type"), ("/api/events", "status"), ("/", "q"), ("/events", "type"),
    ("/events", "status"),
]  # fmt: skip


def is_postgres(db: str) -> bool:
    from newsgraph.store.base import is_postgres_url

    return is_postgres_url(db)


# -- escaping ------------------------------------------------------------------------------------------------------
class ActiveMarkup(HTMLParser):
    """Collects what a browser would run or load from a page: script elements with code, event handler attributes,
    javascript: URLs, and elements a payload uses (img, svg, iframe, object, embed, base)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not (
            (values.get("src") or "").startswith("/static/") or values.get("type") == "application/json"
        ):
            self.found.append(f"<script> with code: {attrs}")
        if tag in ("img", "svg", "iframe", "object", "embed", "base", "style"):
            self.found.append(f"<{tag}>")
        self.found += [f"{tag} {name}=" for name, _ in attrs if name.startswith("on") or name == "style"]
        self.found += [f"{tag} {name}=javascript:" for name, v in attrs if (v or "").strip().lower().startswith("java")]


def active_markup(html: str) -> list[str]:
    parser = ActiveMarkup()
    parser.feed(html)
    return parser.found


def html_of(client: Any, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.text[:300])
    assert response.headers["content-type"].startswith("text/html")
    assert active_markup(response.text) == [], url
    return str(response.text)


def shown(html: str, *fields: str) -> None:
    """Each field's payload is on the page, as escaped text."""
    for field in fields:
        assert str(escape(XSS[field])) in html, field


def crafted_story(client: Any) -> int:
    return next(s["story_id"] for s in client.get("/api/stories").json() if CRAFTED_ID in str(s["articles"]))


def test_security_hostile_text_is_escaped_on_every_page(client: Any) -> None:
    html = html_of(client, f"/articles/{CRAFTED_ID}")
    shown(html, "title", "outlet", "author", "source", "target", "body")
    name = f"Oleg Brusov {XSS['source']} (RUS)"
    assert f'title="{escape(name)}"' in html  # an actor's name inside an attribute stays inside it
    shown(html_of(client, "/?q=Brusov"), "title", "outlet")
    shown(html_of(client, "/events?a=RUS&b=PRK&since=2024-06-15&until=2024-06-15"), "source", "target")
    shown(html_of(client, "/dyad?a=RUS&b=PRK"), "source")
    shown(html_of(client, "/stories"), "title")
    shown(html_of(client, f"/stories/{crafted_story(client)}"), "title", "outlet", "source")
    for url in ("/", "/network", "/docs", "/events"):
        html_of(client, url)
    hostile = XSS["title"]
    echoed = html_of(client, "/?q=" + quote(hostile))
    assert f'value="{escape(hostile)}"' in echoed and f"“{escape(hostile)}”" in echoed  # the form and the heading
    html_of(client, "/no-such-page" + quote(hostile), status=404)
    html_of(client, "/articles/" + quote(hostile, safe=""), status=404)
    html_of(client, "/?q=" + quote(hostile) + "&offset=-1", status=400)


def test_security_hostile_text_in_json_is_data(client: Any) -> None:
    article = client.get(f"/api/articles/{CRAFTED_ID}").json()
    assert article["article"]["title"].endswith(XSS["title"]) and article["article"]["authors"] == [XSS["author"]]
    response = client.get("/api/events", params={"who": f"Oleg Brusov {XSS['source']}", "mentions": "true"})
    assert response.headers["content-type"] == "application/json"
    assert response.json()["items"][0]["location"]["name"].endswith(XSS["place"])
    actor = client.get("/api/actors/" + quote(f"person:brusov{XSS['actor']}", safe="")).json()
    assert actor["name"].endswith(XSS["source"]) and actor["events"]


def test_security_dyad_json_block_cannot_close_its_script() -> None:
    from newsgraph.api.app import json_for_script

    block = json_for_script({"period": "</script><script>alert(1)</script>", "x": "<!--", "y": "&"})
    assert "<" not in block and ">" not in block and "&" not in block
    assert "</script>" in __import__("json").loads(block)["period"]


def test_security_templates_have_no_inline_code_or_unescaped_output(client: Any) -> None:
    """The templates' own markup: no `|safe`, no inline script, style or event handler (the CSP forbids them)."""
    assert client.app.state.templates.env.autoescape is True  # whatever a template's name
    templates = sorted(TEMPLATES.glob("*.html"))
    assert len(templates) >= 9
    for template in templates:
        text = template.read_text("utf-8")
        assert "|safe" not in text.replace(" ", "") and "autoescape false" not in text, template.name
        scripts = text.split("<script")[1:]
        assert all(s.startswith((' src="/static/', ' type="application/json"')) for s in scripts), template.name
        assert " style=" not in text and "<style" not in text, template.name
        assert not re.search(r"\son[a-z]+\s*=", text), template.name


# -- headers -------------------------------------------------------------------------------------------------------
def assert_security_headers(response: Any) -> None:
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers.get(name) == value, (response.url, name)
    csp = response.headers.get("content-security-policy", "")
    assert {d.strip() for d in csp.split(";")} >= CSP_DIRECTIVES, (response.url, csp)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_security_headers_on_every_response(client: Any) -> None:
    for url, status in (
        ("/", 200), (f"/articles/{CRAFTED_ID}", 200), ("/dyad", 200), ("/docs", 200), ("/api/stats", 200),
        ("/openapi.json", 200), ("/static/site.css", 200), ("/static/dyad.js", 200),
        ("/static/vendor/chart.umd.js", 200), ("/static/nothing.js", 404), ("/nothing", 404), ("/api/nothing", 404),
        ("/api/articles?limit=100000", 422), ("/?offset=x", 400), ("/api/articles?q=a%00", 400), ("/?q=%00", 400),
    ):  # fmt: skip
        response = client.get(url)
        assert response.status_code == status, (url, response.status_code)
        assert_security_headers(response)
    response = client.post("/api/stats")
    assert response.status_code == 405
    assert_security_headers(response)


def test_security_headers_and_no_details_on_a_server_error(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    def broken() -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(client.app.state.queries, "stats", broken)
    raw = TestClient(client.app, raise_server_exceptions=False)
    for url in ("/api/stats", "/stories"):
        response = raw.get(url)
        assert response.status_code == 500 and "secret" not in response.text
        assert_security_headers(response)


# -- search syntax and hostile input -------------------------------------------------------------------------------
def test_security_hostile_text_never_gives_a_server_error(client: Any) -> None:
    for endpoint, name in TEXT_ENDPOINTS:
        for text in [*HOSTILE_QUERIES, "x" * 5000, "a\x00b"]:
            response = client.get(endpoint, params={name: text})
            assert response.status_code < 500, (endpoint, name, text, response.text[:200])
            if endpoint.startswith("/api/"):
                assert "detail" in response.json() or response.status_code == 200
    for base in ("/api/articles/", "/api/actors/", "/articles/", "/api/dyads/RUS/", "/stories/"):
        for text in [*HOSTILE_QUERIES, "x" * 5000]:
            response = client.get(base + quote(text, safe=""))
            assert response.status_code < 500, (base, text, response.text[:200])


def test_security_search_syntax_is_words_not_an_error(client: Any) -> None:
    for text in HOSTILE_QUERIES:
        response = client.get("/api/articles", params={"q": text})
        assert response.status_code == 200, (text, response.text[:200])
    assert client.get("/api/articles", params={"q": "x" * 201}).status_code == 422
    assert client.get("/", params={"q": "x" * 201}).status_code == 400


class TsqueryDialect:
    """PostgreSQL searching with to_tsquery (strict syntax) instead of websearch_to_tsquery, so that a user's text
    reaches a parser that rejects it; everything else delegates to the real dialect."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.name = real.name

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def search(self, param: str, mark_open: str, mark_close: str) -> tuple[str, str, str, str]:
        source, match, snippet, order = self.real.search(param, mark_open, mark_close)
        strict = f"to_tsquery('simple', :{param})"
        loose = f"websearch_to_tsquery('simple', :{param})"
        return source, match.replace(loose, strict), snippet.replace(loose, strict), order.replace(loose, strict)


def test_security_search_syntax_errors_are_400s(client: Any, corpus_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the user's text handed to the search engine's own syntax (SQLite FTS5 MATCH, PostgreSQL to_tsquery),
    its syntax errors are a 400 with a clear message on the API and on the search page."""
    import newsgraph.api.queries as queries_module

    queries = client.app.state.queries
    if is_postgres(corpus_db):
        monkeypatch.setattr(queries, "dialect", TsqueryDialect(queries.dialect))
        bad = ["a &", "(a", "a b", "!", "a | | b"]
    else:
        monkeypatch.setattr(queries_module, "fts_query", lambda text: text)
        bad = ['"', "AND", "NEAR(", "*", "col:x", "(a", "a)", "a OR"]
    for text in bad:
        response = client.get("/api/articles", params={"q": text})
        assert response.status_code == 400, (text, response.text[:200])
        assert "search could not be read" in response.json()["detail"]
        page = client.get("/", params={"q": text})
        assert page.status_code == 400 and "search could not be read" in page.text
        assert active_markup(page.text) == []
    assert client.get("/api/articles", params={"q": "Lavrov"}).status_code == 200


def test_security_an_ambiguous_id_is_a_400(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsgraph.store.sql import AmbiguousDocIdError

    def ambiguous(self: object, doc_id: str) -> None:
        raise AmbiguousDocIdError(doc_id, ["abcdef01", "abcdef02"])

    monkeypatch.setattr(type(client.app.state.queries.store), "article", ambiguous)  # every thread's store
    response = client.get("/api/articles/abcdef")
    assert response.status_code == 400 and "several articles" in response.json()["detail"]
    page = client.get("/articles/abcdef")
    assert page.status_code == 400 and "several articles" in page.text


# -- limits --------------------------------------------------------------------------------------------------------
def test_security_page_size_and_offset_are_bounded(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsgraph.api.queries import MAX_LIMIT, MAX_OFFSET, page_params

    for url in ("/api/articles", "/api/events", "/api/actors"):
        assert client.get(url, params={"limit": MAX_LIMIT + 1}).status_code == 422
        assert client.get(url, params={"limit": 0}).status_code == 422
        assert client.get(url, params={"offset": MAX_OFFSET + 1}).status_code == 422
        assert client.get(url, params={"offset": -1}).status_code == 422
        assert client.get(url, params={"limit": MAX_LIMIT, "offset": MAX_OFFSET}).status_code == 200
    assert client.get("/events", params={"offset": MAX_OFFSET + 1}).status_code == 400
    assert page_params(10**9, 10**12) == {"limit": MAX_LIMIT, "offset": MAX_OFFSET}
    assert page_params(-1, -1) == {"limit": 0, "offset": 0}  # SQLite reads LIMIT -1 as "no limit"
    queries = client.app.state.queries
    assert len(queries.articles(limit=10**9)["items"]) <= MAX_LIMIT
    monkeypatch.setattr("newsgraph.api.queries.MAX_LIMIT", 7)
    assert len(queries.events(limit=10**9, mentions=True)["items"]) == 7
    assert len(queries.actors(limit=10**9)["items"]) == 7


def slow_sql(db: str) -> str:
    if is_postgres(db):
        return "SELECT pg_sleep(20) AS n"
    count = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 30000000)"
    return count + " SELECT count(*) AS n FROM c"  # seconds without a limit


def test_security_a_slow_statement_is_stopped(corpus_db: str) -> None:
    from newsgraph.api.queries import Queries, QueryTimeout

    queries = Queries(corpus_db, time_limit=0.3)
    try:
        started = time.monotonic()
        with pytest.raises(QueryTimeout):
            queries.db.one(slow_sql(corpus_db))
        assert time.monotonic() - started < 3
        assert queries.stats()["articles"] == 41  # the connection still serves
    finally:
        queries.close()


def test_security_a_slow_request_is_a_503(client: Any, corpus_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsgraph.api.app import QUERY_SECONDS

    queries = client.app.state.queries
    monkeypatch.setattr(queries, "stats", lambda: queries.db.one(slow_sql(corpus_db)))
    queries.limit(0.2)
    try:
        for url in ("/api/stats", "/stories"):
            response = client.get(url)
            assert response.status_code == 503 and "took too long" in response.text, url
            assert response.headers["retry-after"] and "traceback" not in response.text.lower()
            assert_security_headers(response)
    finally:
        queries.limit(QUERY_SECONDS)


# -- read-only ------------------------------------------------------------------------------------------------------
def test_security_the_server_store_refuses_writes(client: Any) -> None:
    from newsgraph.models import ToFetch

    queries = client.app.state.queries
    before = queries.stats()
    with pytest.raises(Exception, match=r"(?i)read.?only"):
        queries.store.put_link(ToFetch(url="https://example.org/x", origin="test"))
    with pytest.raises(Exception, match=r"(?i)read.?only"):
        queries.db.run("DELETE FROM articles")
    assert queries.stats() == before


def test_security_no_endpoint_takes_a_write_method(client: Any) -> None:
    routes = [r.path for r in client.app.routes if hasattr(r, "methods")]
    assert routes and all(r.methods <= {"GET", "HEAD"} for r in client.app.routes if hasattr(r, "methods"))
    for path in ("/api/articles", "/api/stats", "/", "/events", "/static/site.css", f"/api/articles/{CRAFTED_ID}"):
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            response = client.request(method, path)
            assert response.status_code == 405, (method, path)


def test_security_starting_the_server_writes_nothing(corpus_db: str) -> None:
    """An up-to-date database is opened for reading only: the server starts while a loader holds the write lock."""
    if is_postgres(corpus_db):
        pytest.skip("SQLite's database-wide write lock; PostgreSQL readers never wait for writers")
    import sqlite3

    from newsgraph.api.app import create_app

    writer = sqlite3.connect(corpus_db, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        app = create_app(corpus_db)
        assert time.monotonic() - started < 3
        assert app.state.queries.stats()["articles"] == 41
        app.state.queries.close()
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def raw_get(server: str, target: str) -> tuple[int, bytes]:
    """A GET with the request target sent byte for byte (no client-side normalisation of `..` or %2e)."""
    address = urlsplit(server)
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        connection.sendall(f"GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data


def test_security_static_files_stay_in_their_folder(server: str) -> None:
    assert raw_get(server, "/static/site.css")[0] == 200
    for target in (
        "/static/../../etc/passwd", "/static/../api/app.py", "/static/../../api/app.py",
        "/static/%2e%2e/%2e%2e/etc/passwd", "/static/%2e%2e/%2e%2e/api/app.py", "/static/..%2f..%2fapi%2fapp.py",
        "/static/..%2F..%2F..%2F..%2Fetc%2Fpasswd", "/static/%2e%2e%2f%2e%2e%2fapi%2fapp.py",
        "/static/vendor/../../../api/app.py", "/static/..%5c..%5capi%5capp.py",
        "/static/%252e%252e/%252e%252e/etc/passwd",
        "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static/....//....//etc/passwd",
        "/static/../templates/base.html", "/static/%2e%2e/templates/base.html", "/static/%c0%ae%c0%ae/etc/passwd",
        "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
    ):  # fmt: skip
        status, data = raw_get(server, target)
        assert status in (400, 404), (target, status)
        assert b"root:" not in data and b"SECURITY_HEADERS" not in data and b"{% block" not in data, target


def test_security_serve_binds_loopback_by_default(corpus_db: str) -> None:
    from newsgraph.cli import build_parser

    for command in ("serve", "demo"):
        assert build_parser().parse_args([command]).host == "127.0.0.1"
    if is_postgres(corpus_db):
        return  # the socket check below needs one database only
    psutil = pytest.importorskip("psutil")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = "import sys; from newsgraph.cli import main; sys.exit(main(sys.argv[1:]))"
    process = subprocess.Popen(
        [sys.executable, "-c", code, "serve", "--db", corpus_db, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        listening: list[Any] = []
        for _ in range(200):
            listening = [c for c in psutil.Process(process.pid).net_connections("tcp") if c.status == "LISTEN"]
            if listening:
                break
            time.sleep(0.05)
        assert listening and {c.laddr.ip for c in listening} == {"127.0.0.1"}
        assert {c.laddr.port for c in listening} == {port}
    finally:
        process.terminate()
        process.wait(timeout=10)
