"""Read RSS and Atom feeds: entries with the article inline become Pages, entries with only a link become ToFetch."""

from __future__ import annotations

import hashlib
import html
import io
import re
import time
from collections.abc import Iterator, Mapping
from typing import Any

import feedparser

from newsgraph.ingest.records import day_of
from newsgraph.models import DocError, Page, ToFetch

# What may stand before a feed's root element: an XML declaration or processing instruction, a comment, a doctype.
_PROLOG_ENDS = (("<?", "?>"), ("<!--", "-->"), ("<!doctype", ">"))
_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:RDF)[\s>/]", re.I)
_TAG = re.compile(r"<[A-Za-z!/][^>]*>")
_SPACE = re.compile(r"\s+")
ARTICLE_MIN_CHARS = 400


def is_feed(head: str) -> bool:
    """Whether text opens like an RSS, Atom or RSS 1.0 (RDF) document. A linear scan over the prolog: a pattern
    with lazy repeats here backtracks exponentially over pages that open with many comments."""
    position, text = 0, head.lstrip("\ufeff")
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        for opening, closing in _PROLOG_ENDS:
            if text[position : position + len(opening)].lower() == opening:
                end = _prolog_end(text, position + len(opening), closing)
                if end < 0:
                    return False
                position = end
                break
        else:
            return bool(_FEED_ROOT.match(text, position))


def _prolog_end(text: str, start: int, closing: str) -> int:
    """Where a prolog item whose opening ends at `start` ends (-1: not in `text`); a doctype's internal subset
    ([...]) may hold '>'."""
    if closing == ">":
        bracket, end = text.find("[", start), text.find(">", start)
        if 0 <= bracket < end:
            close = text.find("]", bracket)
            end = text.find(">", close) if close >= 0 else -1
    else:
        end = text.find(closing, start)
    return end + len(closing) if end >= 0 else -1


def read_feed(origin: str, data: bytes, date: str | None) -> Iterator[Page | ToFetch | DocError]:
    """Each entry -> a Page (inline article), a ToFetch (a link only), or nothing (neither)."""
    parsed = feedparser.parse(io.BytesIO(data))  # a stream, so that feedparser never treats it as a URL
    if not parsed.entries:
        reason = f"unreadable feed: {parsed.get('bozo_exception')}" if parsed.get("bozo") else "feed has no entries"
        yield DocError(origin=origin, stage="ingest", reason=reason)
        return
    for index, entry in enumerate(parsed.entries, 1):
        item = entry_item(origin, index, entry, date)
        yield item or DocError(f"{origin}#{index}", "ingest", f"entry {index} has no content or link")


def entry_item(origin: str, index: int, entry: Mapping[str, Any], date: str | None) -> Page | ToFetch | None:
    """One feed entry -> Page, ToFetch or None; the entry's published day wins over the caller's date."""
    title = _text(entry.get("title"))
    link = _text(entry.get("link"))
    day = _published_day(entry) or date
    content = inline_article(entry)
    if content is None:
        return ToFetch(url=link, origin=origin, title=title, date=day) if link else None
    where = f"{origin}#{_text(entry.get('id')) or link or index}"
    is_html = bool(_TAG.search(content))
    wrapped = _html_page(title, content) if is_html else _text_page(title, content)
    return Page(
        origin=where,
        content=wrapped,
        fmt="html" if is_html else "text",
        date=day,
        url=link,
        content_hash=hashlib.sha256(wrapped.encode("utf-8")).hexdigest(),
    )


def inline_article(entry: Mapping[str, Any]) -> str | None:
    """The entry's full content, or its summary when that is long enough to be the article itself."""
    for part in entry.get("content") or ():
        value = _text(part.get("value"))
        if value:
            return value
    summary = _text(entry.get("summary"))
    if summary and len(plain_text(summary)) >= ARTICLE_MIN_CHARS:
        return summary
    return None


def plain_text(markup: str) -> str:
    """Markup with tags removed, entities decoded and whitespace collapsed (for measuring length only)."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", markup))).strip()


def _html_page(title: str | None, content: str) -> str:
    if not title:
        return f"<html><head></head><body>{content}</body></html>"
    escaped = html.escape(title)
    return f"<html><head><title>{escaped}</title></head><body><h1>{escaped}</h1>{content}</body></html>"


def _text_page(title: str | None, content: str) -> str:
    return f"{title}\n{content}" if title else content


def _published_day(entry: Mapping[str, Any]) -> str | None:
    """The day as written in the entry's published date, else feedparser's normalised (UTC) reading of it."""
    day = day_of(entry.get("published"))
    if day:
        return day
    parsed = entry.get("published_parsed")
    return time.strftime("%Y-%m-%d", parsed) if isinstance(parsed, time.struct_time) else None


def _text(value: object) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None
