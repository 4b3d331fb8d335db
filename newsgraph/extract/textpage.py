"""Flattened page text -> Article.

A flattened page is what a browser shows, one block per line, boilerplate included: menus, repeated headline and
standfirst, bylines and timestamps, captions printed twice, teasers interleaved with the body, tags, comment
policies and teaser lists. The body is the densest run of prose blocks; the rest is read for metadata.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsgraph.extract.language import guess_language
from newsgraph.extract.lines import (
    Kind,
    Line,
    block_key,
    boilerplate_lines,
    classify,
    norm,
    slash_parts,
    word_count,
)
from newsgraph.models import Article

# Bounds that keep a hostile page cheap: no article has more blocks, nor a paragraph this long.
MAX_BLOCKS = 20_000
MAX_BLOCK_CHARS = 100_000
HEADER = re.compile(r"^\s*date\s+(?P<date>\d{4}-\d{2}-\d{2})\s*(?P<title>.*)$")

# A prose block earns its words beyond the first eight: teaser blurbs (short prose) bridge a run but do not
# build one. Chosen on the dev split (fundus-test, wcxb), see bench/extraction.py.
_PROSE_BASE = 8
# What a block costs or earns when it stands inside the body run (prose earns its words).
_PENALTY = {
    Kind.LONG: 0,
    Kind.MARKER: 2,
    Kind.CAPTION: 2,
    Kind.TIMESTAMP: 3,
    Kind.AGENCY: 3,
    Kind.BYLINE: 3,
    Kind.TITLE: 6,
    Kind.SHORT: 6,
    Kind.SLASH: 6,
    Kind.MENU: 8,
    Kind.BOILER: 25,
}
_BODY = frozenset({Kind.PROSE, Kind.LONG})
_SECTION_WORDS = {
    "news",
    "top news",
    "latest",
    "latest news",
    "politics",
    "world",
    "world news",
    "asia",
    "asia pacific",
    "asia-pacific",
    "europe",
    "africa",
    "americas",
    "middle east",
    "us",
    "uk",
    "china",
    "business",
    "economy",
    "opinion",
    "analysis",
    "features",
    "sport",
    "sports",
    "tech",
    "technology",
    "science",
    "health",
    "culture",
    "national",
    "international",
    "home",
    "region",
    "defence",
    "defense",
    "diplomacy",
    "security",
    "conflict",
    "war",
    "global",
    "east asia",
    "south asia",
    "north korea",
    "korea",
    "russia",
    "ukraine",
    "world+biz",
}
_OUTLET = re.compile(
    r"(?:©|copyright)\s*(?:\d{4}\s*[-–]?\s*\d{0,4}\s*)?(?P<a>(?:The\s)?[A-Z][\w&'’-]*(?:\s[A-Z][\w&'’-]*){0,4})"
    r"|(?P<b>The\s[A-Z][\w&'’-]*(?:\s[A-Z][\w&'’-]*){0,4})\s(?:does not|do not) endorse"
)
_DATELINE = re.compile(r"^[A-Z][A-Za-z .,'’-]{1,60}\((?P<name>[A-Za-z ]{2,30})\)\s*[-–—]\s*")
_BUREAU = re.compile(r"\s+in\s+[A-Z][\w ]*$")
_PERSON_NAME = re.compile(r"^[A-Z][\w.'’-]+(?:\s+(?:de |van |von |al-|bin )?[A-Z][\w.'’-]+){1,3}$")
_SPLIT_NAMES = re.compile(r"\s*(?:,|\band\b|&)\s*")


def parse_header(first_line: str) -> tuple[str | None, str | None]:
    """` date 2023-10-18 Headline` -> ("2023-10-18", "Headline"); (None, None) when absent."""
    match = HEADER.match(first_line)
    if not match:
        return None, None
    return match.group("date"), (match.group("title").strip() or None)


@dataclass(frozen=True, slots=True)
class ClassifiedPage:
    """A flattened page read block by block: header date and title, classified lines, the densest prose run."""

    date: str | None
    title: str | None
    lines: tuple[Line, ...]
    run: tuple[int, int]


def classify_page(content: str) -> ClassifiedPage:
    raw = content.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    header_date, title = parse_header(raw[0]) if raw else (None, None)
    blocks = [b.strip()[:MAX_BLOCK_CHARS] for b in (raw[1:] if header_date else raw)[:MAX_BLOCKS] if b.strip()]
    if header_date is None and blocks:
        title = _title_line(blocks)
    title_norm = norm(title) if title else None
    boiler = boilerplate_lines(blocks)
    lines = _mark_repeats([classify(b, title_norm, boiler=i in boiler) for i, b in enumerate(blocks)])
    return ClassifiedPage(header_date, title, tuple(lines), _body_run(lines))


_TITLE_SEPARATORS = re.compile(r"\s+[|–—-]\s+|\s+::\s+")


def _title_line(blocks: Sequence[str]) -> str | None:
    """A page without a header line: its first block is often the document title, "Headline - Site". The
    headline is the part the page repeats as a block of its own (its h1), else the longest part before the
    site name; a first block that reads as prose is no title."""
    first = blocks[0]
    if word_count(first) > 40 or (first[-1] in ".!?" and word_count(first) > 12):
        return None
    split = [p for p in _TITLE_SEPARATORS.split(first) if p]
    parts = [first, *split[:-1]] if len(split) > 1 else [first]
    wanted = {norm(part): len(part) for part in parts}
    lengths = set(wanted.values())
    found = [
        block
        for block in blocks[1:200]
        if any(abs(len(block) - n) <= 3 for n in lengths) and norm(block) in wanted and word_count(block) >= 2
    ]
    if found:
        return max(found, key=len)
    return max(split[:-1], key=len) if len(split) > 1 else None


def body_mask(page: ClassifiedPage) -> list[bool]:
    """Which lines are body text: the prose blocks of the densest run, with the headings and list items that
    stand between its paragraphs."""
    lines = page.lines
    start, end = page.run
    end = _trim_tail(lines, start, end)
    mask = [start <= i < end and line.kind in _BODY for i, line in enumerate(lines)]
    for i in range(start, end):
        if lines[i].kind is Kind.SHORT and (_heading(lines, i, end) or _list_item(lines, i, start, end)):
            mask[i] = True
    return mask


# A paragraph this long is article text; teaser blurbs after the article are shorter (chosen on dev).
_LONG_PARAGRAPH = 25


def _trim_tail(lines: Sequence[Line], start: int, end: int) -> int:
    """The body ends at the first break (a block that is not prose) after its last long paragraph."""
    last_long = max(
        (i for i in range(start, end) if lines[i].kind is Kind.PROSE and lines[i].words >= _LONG_PARAGRAPH),
        default=None,
    )
    if last_long is None:
        return end
    i = last_long + 1
    while i < end and lines[i].kind in _BODY:
        i += 1
    return i


def _heading(lines: Sequence[Line], i: int, end: int) -> bool:
    """A short block right before a paragraph of the body: a subheading."""
    return i + 1 < end and lines[i + 1].kind is Kind.PROSE and lines[i].words <= 12 and lines[i].text[-1] not in "|»›"


def _list_item(lines: Sequence[Line], i: int, start: int, end: int) -> bool:
    """A short block in a run of short blocks introduced by a paragraph ending in a colon."""
    j = i
    while j > start and lines[j - 1].kind is Kind.SHORT:
        j -= 1
    return j > start and lines[j - 1].kind is Kind.PROSE and lines[j - 1].text.endswith(":")


def extract_text_page(content: str, *, date: str | None = None, url: str | None = None) -> Article:
    """Extract the article from a flattened page (first line ` date YYYY-MM-DD <headline>`, or none)."""
    page = classify_page(content)
    lines = page.lines
    mask = body_mask(page)
    first = next((i for i, keep in enumerate(mask) if keep), len(lines))
    last = max((i for i, keep in enumerate(mask) if keep), default=first)
    body, summary = _body_paragraphs([line for line, keep in zip(lines, mask, strict=True) if keep])
    summary = summary or _standfirst(lines[:first], body)
    published, modified = _timestamps(lines)
    breadcrumb, tags = _slash_lines(lines[last:])
    agency = _agency(lines, body)
    return Article(
        title=page.title,
        paragraphs=tuple(body),
        date=page.date or date or (published[:10] if published else None),
        published=published,
        modified=modified,
        agency=agency,
        outlet=_outlet([line.text for line in lines]),
        section=_section(lines[:first]),
        breadcrumb=breadcrumb,
        tags=tags,
        summary=summary,
        image_captions=_unique(line.text for line in lines[: last + 1] if line.kind is Kind.CAPTION),
        authors=_authors(lines, agency),
        language=guess_language(" ".join(body)),
        url=url,
    )


def _mark_repeats(lines: list[Line]) -> list[Line]:
    """A block printed twice in a row is a caption or a pull quote, not two paragraphs."""
    keys = [block_key(line.text) for line in lines]
    out = list(lines)
    for i in range(1, len(lines)):
        if keys[i] == keys[i - 1]:
            for j in (i - 1, i):
                if lines[j].kind in (Kind.PROSE, Kind.LONG, Kind.SHORT):
                    out[j] = Line(lines[j].text, Kind.CAPTION, lines[j].words)
    return out


def _score(line: Line) -> int:
    if line.kind is Kind.PROSE:
        return line.words - _PROSE_BASE
    if line.kind is Kind.LONG and line.words >= 30:
        return line.words // 2
    return -_PENALTY[line.kind]


def _body_run(lines: Sequence[Line]) -> tuple[int, int]:
    """The run of blocks with the highest score (maximum subarray): prose earns, boilerplate costs."""
    best, best_span = 0, (0, 0)
    total, begin = 0, 0
    for i, line in enumerate(lines):
        if total <= 0:
            total, begin = 0, i
        total += _score(line)
        if total > best:
            best, best_span = total, (begin, i + 1)
    return best_span


def _body_paragraphs(kept: Sequence[Line]) -> tuple[list[str], str | None]:
    """The body's blocks once each; a leading standfirst that the body repeats becomes the summary."""
    keys = [norm(line.text) for line in kept]
    summary = None
    if len(kept) > 1 and keys[0] in keys[1:]:
        summary, kept, keys = kept[0].text, kept[1:], keys[1:]
    body: list[str] = []
    seen: set[str] = set()
    for line, key in zip(kept, keys, strict=True):
        if key not in seen:
            seen.add(key)
            body.append(line.text)
    return body, summary


def _standfirst(header: Sequence[Line], body: Sequence[str]) -> str | None:
    """A header block the body repeats, else the first long block before the body."""
    opening = {norm(paragraph) for paragraph in body[:3]}
    for line in header:
        if line.kind in (Kind.LONG, Kind.PROSE, Kind.SHORT) and line.words >= 6 and norm(line.text) in opening:
            return line.text
    for line in header:
        if line.kind in (Kind.LONG, Kind.PROSE) and line.words >= 10:
            return line.text
    return None


def _timestamps(lines: Sequence[Line]) -> tuple[str | None, str | None]:
    published = modified = None
    for line in lines:
        if line.timestamp is None:
            continue
        kind, iso = line.timestamp
        if kind == "published" and published is None:
            published = iso
        elif kind == "modified" and modified is None:
            modified = iso
    return published, modified


def _slash_lines(tail: Sequence[Line]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """After the body: a slash line of section names is the breadcrumb, another is the tag list."""
    breadcrumb: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    for line in tail:
        if line.kind is not Kind.SLASH:
            continue
        parts = slash_parts(line.text)
        if not breadcrumb and all(p.lower() in _SECTION_WORDS for p in parts):
            breadcrumb = parts
        elif not tags:
            tags = parts
    return breadcrumb, tags


def _agency(lines: Sequence[Line], body: Sequence[str]) -> str | None:
    for line in lines:
        if line.kind is Kind.AGENCY and line.value:
            return line.value
    dateline = _DATELINE.match(body[0]) if body else None
    return dateline.group("name").strip() if dateline else None


def _authors(lines: Sequence[Line], agency: str | None) -> tuple[str, ...]:
    names: list[str] = []
    for line in lines:
        if line.kind is Kind.BYLINE and line.value:
            for part in _SPLIT_NAMES.split(line.value):
                name = _BUREAU.sub("", part).strip()
                if _PERSON_NAME.match(name) and name != agency:
                    names.append(name)
    return _unique(names)


def _outlet(blocks: Sequence[str]) -> str | None:
    for block in reversed(blocks):
        match = _OUTLET.search(block)
        if match:
            return (match.group("a") or match.group("b")).strip()
    return None


def _section(header: Sequence[Line]) -> str | None:
    for line in header:
        if line.kind is Kind.SHORT and 1 <= line.words <= 3:
            return line.text
        if line.kind in (Kind.TITLE, Kind.PROSE):
            break
    return None


def _unique(items: object) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:  # type: ignore[attr-defined]
        seen.setdefault(item, None)
    return tuple(seen)
