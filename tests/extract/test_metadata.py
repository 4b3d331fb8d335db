"""Metadata read from an HTML page's declarations (JSON-LD, <meta>, <time>, bylines, URL), on pages built here."""

from __future__ import annotations

import json

from selectolax.lexbor import LexborHTMLParser

from newsgraph.extract.dom import fast_alternation
from newsgraph.extract.html import extract_html
from newsgraph.extract.metadata import (
    Metadata,
    element_date,
    iso_date,
    page_date,
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
    assert url_date("https://example.org/2024/3/4/x") == "2024-03-04"
    assert url_date("https://example.org/news-2024-03-04-talks") == "2024-03-04"
    assert url_date("https://example.org/id/20241/3/4") is None
    assert url_date("https://example.org/20240304/x") == "2024-03-04"
    assert text_date(["Home", "Published on January 29, 2026", "May 1, 2020"]) == "2026-01-29"
    assert text_date(["12. März 2024"]) == "2024-03-12"
    assert text_date(["25/12/2024"]) == "2024-12-25"
    assert text_date(["A long paragraph " * 10 + "on 3 May 2021."]) is None


def test_metadata_article_date_falls_back_to_printed_dateline() -> None:
    article = extract_html(html(body=f"<p>Updated: Dec 10, 2025</p><article>{BODY}</article>"))
    assert article.date == "2025-12-10"
    assert article.published == "2025-12-10"


def test_metadata_dates_in_more_languages_and_forms() -> None:
    assert text_date(["19 червня 2020, 10:30"]) == "2020-06-19"
    assert text_date(["Опубликовано 3 марта 2021"]) == "2021-03-03"
    assert text_date(["19 Haziran 2020 Cuma"]) == "2020-06-19"
    assert text_date(["12. Dez. 2024"]) == "2024-12-12"
    assert text_date(["2026.01.29 18:40"]) == "2026-01-29"
    assert text_date(["2020年6月19日"]) == "2020-06-19"
    assert text_date(["Released 2 years ago, 2020"]) is None


def test_metadata_more_declared_dates() -> None:
    assert read(html('<meta name="dcterms.created" content="2020-06-19">')).published == "2020-06-19"
    assert read(html('<meta name="published_on" content="2026-01-22T21:00:00.000Z">')).published == (
        "2026-01-22T21:00+00:00"
    )
    broken = '<script type="application/ld+json">{"datePublished": "2021-02-03T10:00:00Z",}</script>'
    assert read(html(broken)).published == "2021-02-03T10:00+00:00"
    marked = '<time datetime="2019-01-01">old</time><time pubdate datetime="2020-05-06">new</time>'
    assert read(html(body=marked + BODY)).published == "2020-05-06"
    card = f'<div class="teaser-card"><time datetime="2019-01-01">x</time></div>{BODY}'
    assert read(html(body=card)).published is None
    image = '<meta property="og:image" content="https://img.example.org/2020/06/19/a.jpg">'
    assert read(html(image)).image_date == "2020-06-19"


def test_metadata_date_elements() -> None:
    nodes = LexborHTMLParser('<p class="date">Published on 01/25/26</p><p class="date">x</p>').css(".date")
    assert element_date(nodes) == "2026-01-25"
    assert element_date(LexborHTMLParser('<span class="time">25.01.26</span>').css("span")) == "2026-01-25"
    listed = LexborHTMLParser('<ul><li><span class="date">May 5, 2020</span></li></ul>').css("span")
    assert element_date(listed) is None


def test_metadata_page_date_counts_the_markup() -> None:
    assert page_date('<a href="/2020/06/19/a/">a</a><a href="/2020/06/19/b/">b</a><a href="/2020/06/18/c/">c</a>') == (
        "2020-06-19"
    )
    assert page_date("<p>19.06.2020 and 20.06.2020</p>") == "2020-06-19"
    assert page_date('<p>none here</p><script>var d = "2020-06-18";</script>') == "2020-06-18"
    assert page_date("<p>version 1.19.06.2020</p>") is None


def test_fast_alternation_matches_what_the_plain_pattern_matches() -> None:
    import re

    plain = r"comment(?!ary)|\bshare|sharing|\bads?\b|[-_]ads?\b|\bad[-_](?!layout)"
    fast, slow = fast_alternation(plain), re.compile(plain)
    for token in ("comments", "commentary", "share-bar", "reshare", "ads", "bads", "top-ad", "ad-layout", "ad_x"):
        assert bool(fast.search(token)) == bool(slow.search(token)), token
