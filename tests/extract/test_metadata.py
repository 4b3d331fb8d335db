"""Metadata read from an HTML page's declarations (JSON-LD, <meta>, <time>, bylines, URL), on pages built here."""

from __future__ import annotations

import json

from selectolax.lexbor import LexborHTMLParser

from newsgraph.extract.html import extract_html
from newsgraph.extract.metadata import (
    Metadata,
    iso_date,
    read_metadata,
    split_names,
    strip_site_name,
    text_date,
    url_date,
)

BODY = "".join(
    f"<p>{t}</p>"
    for t in (
        "Officials from both countries met in Geneva on Monday to discuss a prisoner exchange, the ministry said.",
        "The talks, the first in more than a year, lasted about six hours and ended without a joint statement.",
    )
)


def html(head: str = "", body: str = BODY, lang: str = "en") -> str:
    return f'<html lang="{lang}"><head><title>Talks resume | The Daily</title>{head}</head><body>{body}</body></html>'


def ld(**fields: object) -> str:
    return f'<script type="application/ld+json">{json.dumps({"@type": "NewsArticle", **fields})}</script>'


def read(page: str, url: str | None = None) -> Metadata:
    return read_metadata(LexborHTMLParser(page), url)


def test_metadata_json_ld_authors_and_dates() -> None:
    head = ld(
        headline="Talks resume",
        datePublished="2024-03-04T09:15:00+01:00",
        dateModified="2024-03-05T10:00:00Z",
        author=[{"@type": "Person", "name": "Jane Roe"}, {"@type": "Person", "name": "John Doe"}],
        publisher={"@type": "Organization", "name": "The Daily"},
    )
    meta = read(html(head))
    assert meta.published == "2024-03-04T09:15+01:00"
    assert meta.modified == "2024-03-05T10:00+00:00"
    assert meta.authors == ("Jane Roe", "John Doe")
    assert meta.outlet == "The Daily"


def test_metadata_json_ld_in_a_graph() -> None:
    graph = {"@graph": [{"@type": "WebPage"}, {"@type": ["NewsArticle"], "author": {"name": "Ana Pérez"}}]}
    meta = read(html(f'<script type="application/ld+json">{json.dumps(graph)}</script>'))
    assert meta.authors == ("Ana Pérez",)


def test_metadata_meta_dates_keep_their_offset() -> None:
    head = (
        '<meta property="article:published_time" content="2023-10-18T16:05:00-04:00">'
        '<meta property="article:modified_time" content="2023-10-19T08:00:00+0200">'
    )
    meta = read(html(head))
    assert meta.published == "2023-10-18T16:05-04:00"
    assert meta.modified == "2023-10-19T08:00+02:00"


def test_metadata_time_element_and_url_date() -> None:
    assert read(html(body=f'<time datetime="2022-01-31">31 Jan</time>{BODY}')).published == "2022-01-31"
    meta = read(html(), url="https://example.org/news/2021/06/01/talks")
    assert meta.published is None
    assert meta.url_date == "2021-06-01"


def test_metadata_meta_author_split_and_agency() -> None:
    meta = read(html('<meta name="author" content="By Jane Roe and John Doe">'))
    assert meta.authors == ("Jane Roe", "John Doe")
    wire = read(html(ld(author=[{"name": "Reuters"}, {"name": "Jane Roe"}])))
    assert wire.authors == ("Jane Roe",)
    assert wire.agency == "Reuters"


def test_metadata_staff_is_not_an_author() -> None:
    assert read(html('<meta name="author" content="Daily Staff">')).authors == ()
    assert split_names("Jane Roe, Politics Desk") == ["Jane Roe"]


def test_metadata_byline_element_when_nothing_is_declared() -> None:
    page = html(body=f'<div class="byline">By <a rel="author" href="/jane">Jane Roe</a></div>{BODY}')
    assert read(page).authors == ("Jane Roe",)


def test_metadata_title_tags_summary_language_canonical() -> None:
    head = (
        '<meta property="og:title" content="Rivals hold first talks in a year - The Daily">'
        '<meta property="og:site_name" content="The Daily">'
        '<meta property="og:description" content="Delegations meet in Geneva.">'
        '<meta property="article:section" content="World">'
        '<meta property="article:tag" content="Geneva"><meta property="article:tag" content="diplomacy">'
        '<link rel="canonical" href="https://example.org/talks">'
    )
    meta = read(html(head, lang="de-CH"))
    assert meta.title == "Rivals hold first talks in a year"
    assert meta.summary == "Delegations meet in Geneva."
    assert meta.section == "World"
    assert meta.tags == ("Geneva", "diplomacy")
    assert meta.language == "de"
    assert meta.url == "https://example.org/talks"


def test_metadata_missing_values_are_empty_never_invented() -> None:
    meta = read("<html><body><p>Nothing declared here at all.</p></body></html>")
    assert (meta.title, meta.published, meta.modified, meta.outlet, meta.language, meta.url) == (None,) * 6
    assert meta.authors == () and meta.tags == ()


def test_metadata_strip_site_name() -> None:
    assert strip_site_name("Talks resume | The Daily", None) == "Talks resume"
    assert strip_site_name("The Daily - Talks resume in Geneva after a year", "The Daily") == (
        "Talks resume in Geneva after a year"
    )
    assert strip_site_name("Peace - at what price for the region and its people", None) == (
        "Peace - at what price for the region and its people"
    )


def test_metadata_date_parsers() -> None:
    assert iso_date("2024-03-04") == "2024-03-04"
    assert iso_date("2024-13-40") is None
    assert iso_date("not a date") is None
    assert url_date("https://example.org/2024/3/4/x") is None
    assert url_date("https://example.org/20240304/x") == "2024-03-04"
    assert text_date(["Home", "Published on January 29, 2026", "May 1, 2020"]) == "2026-01-29"
    assert text_date(["12. März 2024"]) == "2024-03-12"
    assert text_date(["25/12/2024"]) == "2024-12-25"
    assert text_date(["A long paragraph " * 10 + "on 3 May 2021."]) is None


def test_metadata_article_date_falls_back_to_printed_dateline() -> None:
    article = extract_html(html(body=f"<p>Updated: Dec 10, 2025</p><article>{BODY}</article>"))
    assert article.date == "2025-12-10"
    assert article.published == "2025-12-10"
