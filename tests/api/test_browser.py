"""The web UI in a real headless Chromium (the system's /usr/bin/chromium, driven by Playwright; nothing downloaded):
every page opens, a filter applies, an event leads to its sentence, the actor-pair chart draws its data points, and
the keyboard reaches the navigation. Screenshots go to test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import chromium

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Any]:
    ARTIFACTS.mkdir(exist_ok=True)
    with chromium() as browser:
        tab = browser.new_page(viewport={"width": 1366, "height": 900})
        errors: list[str] = []
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        yield tab
    assert not errors, errors


def test_every_page_opens(page: Any, server: str) -> None:
    for path, heading in (("/", "Search articles"), ("/events", "Events"), ("/dyad", "cooperation and conflict"),
                          ("/network", "Who acts on whom"), ("/stories", "Stories")):  # fmt: skip
        response = page.goto(server + path)
        assert response.status == 200, path
        assert heading in page.locator("h1").inner_text()
        page.screenshot(path=str(ARTIFACTS / f"page{path.replace('/', '_') or '_home'}.png"), full_page=True)


def test_search_filter_and_event_to_its_sentence(page: Any, server: str) -> None:
    page.goto(server + "/")
    page.fill("#q", "Lavrov")
    page.press("#q", "Enter")
    page.wait_for_selector("ol.results li")
    assert page.locator("ol.results mark").count() > 0
    page.goto(server + "/events")
    page.fill("input[name=a]", "RUS")
    page.fill("input[name=b]", "PRK")
    page.select_option("select[name=type]", "CONSULT")
    page.click("button[type=submit]")
    page.wait_for_selector("table.events tbody tr")
    rows = page.locator("table.events tbody tr")
    assert rows.count() > 0 and all("CONSULT" in rows.nth(i).inner_text() for i in range(rows.count()))
    link = page.locator("a.sentence-link").first
    sentence_start = link.inner_text()[:40].rstrip("…")
    link.click()
    page.wait_for_load_state()
    assert "#s-" in page.url
    target = page.locator(".sentence:target")
    assert target.count() == 1 and sentence_start[:30] in target.inner_text()
    page.screenshot(path=str(ARTIFACTS / "event_sentence.png"))


def test_dyad_chart_draws_its_points(page: Any, server: str) -> None:
    page.goto(server + "/dyad?a=RUS&b=PRK&interval=month")
    page.wait_for_function("document.getElementById('dyad-chart').dataset.points !== undefined")
    points = int(page.locator("#dyad-chart").get_attribute("data-points"))
    assert points > 0
    assert page.evaluate("Chart.getChart('dyad-chart').data.datasets[0].data.length") > 0
    page.screenshot(path=str(ARTIFACTS / "dyad_chart.png"), full_page=True)


def test_keyboard_reaches_navigation_and_hostile_text_stays_inert(page: Any, server: str) -> None:
    page.goto(server + "/events")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "newsgraph"  # then the navigation
    page.goto(server + "/?q=Minister+visits+Pyongyang+script")
    page.locator("ol.results a").first.click()
    page.wait_for_load_state()
    assert page.evaluate("document.querySelectorAll('main script').length") == 0
    assert "<script>alert('body')</script>" in page.locator("div.body").inner_text()
