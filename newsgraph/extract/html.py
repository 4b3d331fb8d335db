"""HTML page -> Article: the body from trafilatura, metadata from the page's own declarations.

A first extractor for the walking skeleton; the extraction issue replaces the body scorer with newsgraph's own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import trafilatura
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from newsgraph.extract.language import guess_language
from newsgraph.extract.lines import WIRE_AGENCIES, same_block
from newsgraph.extract.timestamps import parse_timestamp
from newsgraph.models import Article

_ISO_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}")


def extract_html(content: str, *, date: str | None = None, url: str | None = None) -> Article:
    tree = HTMLParser(content)
    meta = _meta(tree)
    ld = _json_ld(tree)
    title = meta.get("og:title") or _text(tree.css_first("h1")) or _text(tree.css_first("title")) or ld.get("headline")
    published = _iso(meta.get("article:published_time") or ld.get("datePublished") or _time_attr(tree))
    modified = _iso(meta.get("article:modified_time") or ld.get("dateModified"))
    paragraphs = _body(content, title)
    authors = tuple(a for a in _authors(meta, ld) if a.lower() not in WIRE_AGENCIES)
    agency = next((WIRE_AGENCIES[a.lower()] for a in _authors(meta, ld) if a.lower() in WIRE_AGENCIES), None)
    return Article(
        title=title,
        paragraphs=paragraphs,
        date=(published[:10] if published else date),
        published=published,
        modified=modified,
        agency=agency,
        outlet=meta.get("og:site_name") or _publisher(ld),
        section=meta.get("article:section") or None,
        tags=_tags(tree, meta),
        summary=meta.get("og:description") or meta.get("description") or None,
        image_captions=tuple(dict.fromkeys(t for t in (_text(n) for n in tree.css("figcaption")) if t)),
        authors=authors,
        language=_language(tree) or guess_language(" ".join(paragraphs)),
        url=_canonical(tree) or meta.get("og:url") or url,
    )


def _body(content: str, title: str | None) -> tuple[str, ...]:
    doc = trafilatura.bare_extraction(content, include_comments=False, with_metadata=False)
    text = getattr(doc, "text", None) or ""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if lines and title and same_block(lines[0], title):
        lines = lines[1:]
    return tuple(lines)


def _meta(tree: HTMLParser) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in tree.css("meta"):
        key = (node.attributes.get("property") or node.attributes.get("name") or "").strip().lower()
        value = (node.attributes.get("content") or "").strip()
        if key and value and key not in found:
            found[key] = value
    found.update({"article:tag": ",".join(_all_meta(tree, "article:tag"))} if _all_meta(tree, "article:tag") else {})
    return found


def _all_meta(tree: HTMLParser, key: str) -> list[str]:
    return [
        n.attributes.get("content") or "" for n in tree.css(f'meta[property="{key}"]') if n.attributes.get("content")
    ]


def _json_ld(tree: HTMLParser) -> dict[str, Any]:
    for node in tree.css('script[type="application/ld+json"]'):
        for item in _ld_items(node.text()):
            if isinstance(item, dict) and str(item.get("@type", "")).endswith("Article"):
                return item
    return {}


def _ld_items(raw: str) -> Iterator[Any]:
    try:
        data = json.loads(raw)
    except ValueError:
        return
    items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
    yield from items


def _authors(meta: dict[str, str], ld: dict[str, Any]) -> tuple[str, ...]:
    names: list[str] = []
    raw = ld.get("author")
    for item in raw if isinstance(raw, list) else [raw] if raw else []:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip():
            names.append(name.strip())
    if not names and meta.get("author"):
        names = [n.strip() for n in re.split(r",| and ", meta["author"]) if n.strip()]
    return tuple(dict.fromkeys(names))


def _publisher(ld: dict[str, Any]) -> str | None:
    publisher = ld.get("publisher")
    name = publisher.get("name") if isinstance(publisher, dict) else None
    return name if isinstance(name, str) else None


def _tags(tree: HTMLParser, meta: dict[str, str]) -> tuple[str, ...]:
    raw = meta.get("article:tag") or meta.get("keywords") or ""
    return tuple(dict.fromkeys(t.strip() for t in raw.split(",") if t.strip()))


def _time_attr(tree: HTMLParser) -> str | None:
    node = tree.css_first("time[datetime]")
    return node.attributes.get("datetime") if node else None


def _iso(value: str | None) -> str | None:
    if not value:
        return None
    if _ISO_PREFIX.match(value.strip()):
        stamp = parse_timestamp(value.strip())
        return stamp[1] if stamp else value.strip()[:10]
    stamp = parse_timestamp(value)
    return stamp[1] if stamp else None


def _language(tree: HTMLParser) -> str | None:
    node = tree.css_first("html")
    lang = (node.attributes.get("lang") or "") if node else ""
    return lang.split("-")[0].lower() or None


def _canonical(tree: HTMLParser) -> str | None:
    node = tree.css_first('link[rel="canonical"]')
    return node.attributes.get("href") if node else None


def _text(node: Node | None) -> str | None:
    if node is None:
        return None
    text = " ".join(node.text(separator=" ").split())
    return text or None
