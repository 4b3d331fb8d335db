"""The HTML extractor on pages built here: each test names the page pattern it covers; the last ones feed it
hostile input (empty, binary, huge, deeply nested, lying charset) that must give an Article quickly."""

from __future__ import annotations

import time

from newsgraph.extract.html import extract_html
from newsgraph.models import Article

BODY = [
    "Officials from both countries met in Geneva on Monday to discuss a prisoner exchange, the foreign ministry said.",
    "The talks, the first in more than a year, lasted about six hours and ended without a joint statement.",
    "A senior diplomat who attended said both delegations had agreed to meet again before the end of the month.",
    "Neither side commented on reports that a third country had offered to host the next round of talks.",
]
TEASERS = [
    "Minister resigns after a row over the budget that split the governing coalition in two.",
    "Floods force thousands from their homes in the south as rivers burst their banks overnight.",
    "Central bank holds rates steady for a third month, citing stubborn inflation in services.",
]


def page(article: str, *, head: str = "", before: str = "", after: str = "") -> str:
    return f"""<!doctype html><html lang="en"><head><title>Rivals hold first talks | The Daily</title>{head}</head>
<body>
<header><a href="/">The Daily</a><nav><ul><li><a href="/world">World</a></li><li><a href="/politics">Politics</a>
</li><li><a href="/business">Business</a></li></ul></nav></header>
{before}
<main>{article}</main>
{after}
<footer><p>Copyright 2024 The Daily. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>"""


def paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{t}</p>" for t in texts)


def teaser_list(cls: str) -> str:
    items = "".join(f'<li><a href="/n{i}"><h3>{t[:40]}</h3></a><p>{t}</p></li>' for i, t in enumerate(TEASERS))
    return f'<section class="{cls}"><h2>More stories</h2><ul>{items}</ul></section>'


def test_html_body_without_navigation_and_footer() -> None:
    article = extract_html(page(f"<article><h1>Rivals hold first talks</h1>{paragraphs(BODY)}</article>"))
    assert article.paragraphs == tuple(BODY)
    assert not any("Privacy" in p or p == "World" for p in article.paragraphs)


def test_html_body_excludes_related_and_comments() -> None:
    opinion = "I completely disagree with this take on the talks, frankly. " * 3
    comments = f'<div id="comments"><p>{opinion}</p></div>'
    html = page(f"<article>{paragraphs(BODY)}{teaser_list('related-articles')}{comments}</article>")
    article = extract_html(html)
    assert article.paragraphs == tuple(BODY)


def test_html_body_excludes_teaser_cards_beside_the_article() -> None:
    html = page(f"<article>{paragraphs(BODY)}</article>", after=teaser_list("stream"))
    assert extract_html(html).paragraphs == tuple(BODY)


def test_html_body_keeps_headings_and_lists_inside_the_article() -> None:
    items = ["Release of detainees held since 2022", "Access for the Red Cross to both prisons"]
    body = (
        paragraphs(BODY[:2]) + "<h2>What is on the table</h2>"
        f"<ul>{''.join(f'<li>{i}</li>' for i in items)}</ul>" + paragraphs(BODY[2:])
    )
    article = extract_html(page(f"<article>{body}</article>"))
    assert article.paragraphs == (*BODY[:2], "What is on the table", *items, *BODY[2:])


def test_html_figcaption_is_a_caption_not_body() -> None:
    caption = "Delegates arrive at the Palais des Nations in Geneva on Monday. Photo: Jane Roe/Reuters"
    figure = f'<figure><img src="a.jpg"><figcaption>{caption}</figcaption></figure>'
    article = extract_html(page(f"<article>{paragraphs(BODY[:2])}{figure}{paragraphs(BODY[2:])}</article>"))
    assert article.paragraphs == tuple(BODY)
    assert article.image_captions == (caption,)


def test_html_share_bar_and_byline_are_not_body() -> None:
    share = '<div class="share-tools"><a href="#">Share on Facebook</a><a href="#">Share on X</a></div>'
    byline = '<p class="byline">By Jane Roe</p><p>March 4, 2024</p>'
    article = extract_html(page(f"<article>{byline}{share}{paragraphs(BODY)}</article>"))
    assert article.paragraphs == tuple(BODY)
    assert article.date == "2024-03-04"


def test_html_hidden_elements_are_not_body() -> None:
    hidden = '<p style="display: none">This paragraph is hidden from readers and must not be in the body.</p>'
    article = extract_html(page(f"<article>{paragraphs(BODY[:2])}{hidden}{paragraphs(BODY[2:])}</article>"))
    assert article.paragraphs == tuple(BODY)


def test_html_body_of_divs_and_line_breaks() -> None:
    html = page(f'<div class="post">{"<br><br>".join(BODY)}</div>', after=teaser_list("sidebar-widget"))
    assert extract_html(html).paragraphs == tuple(BODY)


def test_html_body_streamed_into_a_hidden_element() -> None:
    html = f"<html><body><div id='app'>Loading</div><div hidden>{paragraphs(BODY)}</div></body></html>"
    assert extract_html(html).paragraphs == tuple(BODY)


def test_html_title_drops_the_site_name_and_is_not_body() -> None:
    article = extract_html(page(f"<article><h1>Rivals hold first talks</h1>{paragraphs(BODY)}</article>"))
    assert article.title == "Rivals hold first talks"
    assert article.language == "en"


def test_html_date_from_url_and_given_date() -> None:
    html = page(f"<article>{paragraphs(BODY)}</article>")
    assert extract_html(html, url="https://example.org/2024/03/04/talks.html").date == "2024-03-04"
    assert extract_html(html, date="2024-03-05").date == "2024-03-05"
    assert extract_html(html).date is None


def test_html_paywalled_content_hidden_from_readers_is_body() -> None:
    paid = f'<div class="paywall" style="display:none">{paragraphs(BODY[2:])}</div>'
    article = extract_html(page(f"<article>{paragraphs(BODY[:2])}{paid}</article>"))
    assert article.paragraphs == tuple(BODY)


def test_html_unclosed_ad_slot_does_not_swallow_the_article() -> None:
    more = [f"{text} Officials added that further details would follow later this week." for text in BODY * 2]
    more = [f"{i}. {text}" for i, text in enumerate(more, 1)]  # over AD_PROSE characters
    slot = '<div class="ad-container"><div class="ad-slot"><a href="/x">Sponsored</a></div>'  # never closed
    html = page(f"<article>{paragraphs(BODY)}{slot}{paragraphs(more)}</article>")
    assert extract_html(html).paragraphs == (*BODY, *more)


def test_html_ad_slot_with_a_teaser_is_not_body() -> None:
    ad = '<div class="ad-container"><p>Buy the new phone today, the best phone you will ever own, for less.</p></div>'
    article = extract_html(page(f"<article>{paragraphs(BODY[:2])}{ad}{paragraphs(BODY[2:])}</article>"))
    assert article.paragraphs == tuple(BODY)


def test_html_date_in_a_date_element_outside_teaser_cards() -> None:
    cards = '<div class="related-cards"><span class="card-date">Jan 2, 2020</span></div>'
    stamp = '<div class="article-meta"><span class="post-date">Posted 05/03/24</span></div>'
    assert extract_html(page(f"<article>{stamp}{paragraphs(BODY)}</article>", before=cards)).date == "2024-05-03"


def test_html_date_from_the_url_wins_over_a_declared_one() -> None:
    head = '<meta property="article:published_time" content="2024-03-05T01:00:00Z">'
    html = page(f"<article>{paragraphs(BODY)}</article>", head=head)
    assert extract_html(html, url="https://example.org/2024/03/04/talks").date == "2024-03-04"
    assert extract_html(html, url="https://example.org/2024/03/05/talks").published == "2024-03-05T01:00+00:00"


def test_html_date_the_markup_names_most_when_nothing_else_does() -> None:
    links = "".join(f'<a href="https://example.org/2020/06/{d}/story">Share</a>' for d in ("19", "19", "18"))
    assert extract_html(page(f"<article>{paragraphs(BODY)}</article>", after=links)).date == "2020-06-19"


def test_html_date_printed_anywhere_when_nothing_else_says_one() -> None:
    html = page(f"<article>{paragraphs(BODY)}</article>", before="<aside><p>Friday, 19th of June 2020</p></aside>")
    assert extract_html(html).date == "2020-06-19"


# --- hostile input: always an Article, in bounded time ------------------------------------------------------


def timed(content: str, limit: float = 5.0) -> Article:
    start = time.perf_counter()
    article = extract_html(content)
    assert time.perf_counter() - start < limit
    return article


def test_html_empty_input() -> None:
    for content in ("", " ", "<html></html>", "<!-- -->", "<html><body></body></html>"):
        article = timed(content)
        assert article.paragraphs == ()
        assert article.title is None


def test_html_binary_garbage() -> None:
    garbage = bytes(range(256)) * 400 + b"\x00\xff\xfe" * 1000
    article = timed(garbage.decode("latin-1"))
    assert isinstance(article, Article)


def test_html_lone_surrogates_and_nul() -> None:
    content = page(f"<article>{paragraphs(BODY)}</article>").replace("Geneva", "Gen\udcffeva\x00")
    article = timed(content)
    assert len(article.paragraphs) == 4


def test_html_lying_charset() -> None:
    head = '<meta charset="utf-16"><meta http-equiv="Content-Type" content="text/html; charset=shift_jis">'
    text = ["Zürich, Kraków and Łódź: délégués réunis à Genève pour des pourparlers, a déclaré le ministère.", *BODY]
    article = timed(page(f"<article>{paragraphs(text)}</article>", head=head))
    assert article.paragraphs == tuple(text)


def test_html_deep_nesting() -> None:
    depth = 10_000
    content = "<html><body>" + "<div>" * depth + paragraphs(BODY) + "</div>" * depth + "</body></html>"
    article = timed(content)
    assert "".join(article.paragraphs).count("Geneva") <= 1


def test_html_deep_inline_nesting_and_unclosed_tags() -> None:
    content = "<html><body><p>" + "<b><i>" * 5_000 + BODY[0] + "<p><div><table><tr><td>" * 2_000
    assert isinstance(timed(content), Article)


def test_html_fifty_megabytes() -> None:
    filler = '<div class="item"><a href="/x">Link</a> <span>some teaser words here</span></div>\n'
    content = page(f"<article>{paragraphs(BODY)}</article>", after=filler * (50_000_000 // len(filler)))
    article = timed(content)
    assert article.paragraphs[: len(BODY)] == tuple(BODY)


def test_html_agency_from_the_dateline() -> None:
    body = [f"GENEVA (Reuters) - {BODY[0]}", *BODY[1:]]
    article = extract_html(page(f"<article>{paragraphs(body)}</article>"))
    assert article.agency == "Reuters"
    assert extract_html(page(f"<article>{paragraphs(BODY)}</article>")).agency is None
