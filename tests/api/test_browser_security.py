"""The Content-Security-Policy in a real headless Chromium (the system's /usr/bin/chromium, driven by Playwright):
with the hostile documents in the database, every page type loads without a single CSP violation or script dialog,
and the actor-pair chart still draws. A probe page with inline code proves the listeners do catch violations."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest

from tests.api.conftest import CRAFTED_ID, XSS, chromium

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@dataclass
class Tab:
    """A browser tab and what it has seen: CSP violations (events and console reports), dialogs, page errors."""

    page: Any
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, url: str) -> list[str]:
        """Load url; the CSP violations it caused."""
        self.console.clear()
        self.page.goto(url)
        self.page.wait_for_load_state("load")
        return [*self.page.evaluate("window.__violations"), *self.console]


@pytest.fixture(scope="module")
def tab(server: str) -> Iterator[Tab]:
    with chromium() as browser:
        page = browser.new_page()
        seen = Tab(page)
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", lambda m: seen.console.append(m.text) if "Content Security Policy" in m.text else None)
        page.on("dialog", lambda d: (seen.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda exc: seen.errors.append(str(exc)))
        yield seen


def test_browser_security_every_page_without_csp_violation_or_dialog(tab: Tab, server: str) -> None:
    import httpx

    api = httpx.Client(base_url=server)
    hostile_page = api.get("/api/articles", params={"q": "Minister visits Pyongyang script"}).json()["items"][0]
    story = next(s["story_id"] for s in api.get("/api/stories").json() if CRAFTED_ID in str(s["articles"]))
    pages = [
        "/", "/?q=Brusov", "/?q=" + quote(XSS["title"]), f"/articles/{CRAFTED_ID}",
        f"/articles/{hostile_page['doc_id']}", "/events", "/events?a=RUS&b=PRK", "/network", "/stories",
        f"/stories/{story}", "/docs", "/no-such-page", "/?offset=x", "/dyad?a=RUS&b=PRK",
    ]  # fmt: skip
    for path in pages:
        assert tab.open(server + path) == [], path
    points = tab.page.wait_for_function("document.getElementById('dyad-chart').dataset.points").json_value()
    assert int(points) > 0 and tab.page.evaluate("Chart.getChart('dyad-chart').data.datasets.length") == 5
    assert tab.page.evaluate("document.getElementById('dyad-chart').width") > 0
    assert tab.dialogs == [] and tab.errors == []


def test_browser_security_the_policy_blocks_inline_code(tab: Tab, server: str) -> None:
    """The listeners catch a violation, and the server's own headers stop inline script, handlers and style."""
    import httpx

    headers = {k: v for k, v in httpx.get(server + "/").headers.items() if k.lower() not in ("content-length",)}
    probe = (
        "<!doctype html><title>probe</title><p style='color:red'>styled</p>"
        "<script>alert('inline')</script><img src=/static/none.png onerror=\"alert('handler')\">"
    )
    tab.page.route(server + "/probe", lambda route: route.fulfill(status=200, headers=headers, body=probe))
    try:
        violations = tab.open(server + "/probe")
    finally:
        tab.page.unroute(server + "/probe")
    assert any("script-src" in v for v in violations) and any("style-src" in v for v in violations), violations
    assert tab.dialogs == []
