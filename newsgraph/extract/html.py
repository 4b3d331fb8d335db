"""HTML page -> Article: the body from newsgraph's own container scorer, metadata from the page's declarations.

The body: the page's text blocks (dom.page_blocks) each get a weight, prose earning its characters, links, menus
and boilerplate costing theirs. The article is the run of sibling subtrees (the children first..last of one
element) that weighs most: a maximum subarray over every element's children, the tree form of textpage's
maximum-weight run of lines. Its blocks are then kept unless the line classifier or the tree says they are
boilerplate: link lists, bylines, timestamps, markers, captions, share bars and comments hinted by class or id.
Dates: declared (meta, JSON-LD, <time>), else the URL's, else the first dateline printed on the page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from newsgraph.extract.dom import HEADINGS, Block, page_blocks
from newsgraph.extract.language import guess_language
from newsgraph.extract.lines import WIRE_AGENCIES, Kind, classify, norm
from newsgraph.extract.metadata import Metadata, read_metadata, text_date
from newsgraph.models import Article

CLAMP = 300  # a sibling costs a run at most this much
LINKY = 5  # a subtree with more than 1/LINKY of its text in links is a teaser, not content
OUTSIDE = 4  # tenths of its weight that prose outside a page's marked article body keeps
MIN_BODY = 200  # a shorter body is read again with hidden elements
MAX_CHARS = 8_000_000  # a larger page is cut here before parsing (its article is in the first megabytes)

_DATELINE = re.compile(r"^[A-ZÀ-Ý][\w .,'’/-]{1,60}\((?P<name>[A-Za-z .-]{2,30})\)\s*[-–—:]")
_DROP_KINDS = frozenset(
    (Kind.TITLE, Kind.TIMESTAMP, Kind.AGENCY, Kind.BYLINE, Kind.CAPTION, Kind.MARKER, Kind.MENU, Kind.SLASH)
)
_KEEP_SHORT_TAGS = HEADINGS | {"p", "li", "blockquote", "dd", "pre", "td"}
_PROSE_TAGS = frozenset(("p", "blockquote", "pre", "li", "dd", "td"))


@dataclass(frozen=True, slots=True)
class Scored:
    block: Block
    kind: Kind
    weight: int  # what the block adds to a container that holds it
    boiler_weight: int  # what it adds to a container above its boilerplate-hinted ancestor


def extract_html(content: str, *, date: str | None = None, url: str | None = None) -> Article:
    """Extract the article (clean paragraphs and metadata) from an HTML page; never raises on bad input."""
    tree = HTMLParser(_encode(content))
    meta = read_metadata(tree, url)
    blocks = page_blocks(tree.body or tree.root)
    paragraphs = select_body(blocks, meta.title)
    if sum(len(p) for p in paragraphs) < MIN_BODY:  # content streamed into hidden elements (React, Next.js)
        blocks = page_blocks(tree.body or tree.root, hidden=True)
        paragraphs = max(paragraphs, select_body(blocks, meta.title), key=lambda ps: sum(len(p) for p in ps))
    captions = tuple(dict.fromkeys(b.text for b in blocks if b.caption))
    published = meta.published or meta.url_date or text_date(b.text for b in blocks) or meta.modified
    return _article(meta, paragraphs, captions, published, date=date, url=url)


def _encode(content: str) -> bytes:
    return content[:MAX_CHARS].encode("utf-8", "replace")


def _article(
    meta: Metadata, paragraphs: tuple[str, ...], captions: tuple[str, ...], published: str | None, **given: str | None
) -> Article:
    return Article(
        title=meta.title,
        paragraphs=paragraphs,
        date=published[:10] if published else given["date"],
        published=published,
        modified=meta.modified,
        agency=meta.agency or dateline_agency(paragraphs),
        outlet=meta.outlet,
        section=meta.section,
        tags=meta.tags,
        summary=meta.summary,
        image_captions=captions,
        authors=meta.authors,
        language=meta.language or guess_language(" ".join(paragraphs)),
        url=meta.url or given["url"],
    )


def dateline_agency(paragraphs: Sequence[str]) -> str | None:
    """ "GENEVA (Reuters) - Officials ..." -> "Reuters"."""
    match = _DATELINE.match(paragraphs[0]) if paragraphs else None
    return WIRE_AGENCIES.get(match.group("name").strip().lower()) if match else None


def select_body(blocks: Sequence[Block], title: str | None) -> tuple[str, ...]:
    """The article's paragraphs: the blocks of the heaviest container, boilerplate left out."""
    title_norm = norm(title) if title else None
    hinted = any(b.body >= 0 for b in blocks)
    scored = [_score(b, title_norm, hinted) for b in blocks if not b.caption]
    if not scored:
        return ()
    if not any(item.weight > 0 for item in scored):
        return ()
    span = _container(scored)
    inside = _inside(scored, span)
    keep = [_keep(item, span.depth) for item in inside]
    for i, item in enumerate(inside):  # a short line between two paragraphs is a subheading ("In brief:")
        if not keep[i] and item.kind is Kind.SHORT and 0 < i < len(inside) - 1 and keep[i - 1] and keep[i + 1]:
            keep[i] = item.block.links * 2 < len(item.block.text) and item.block.tag != "h1"
    kept: list[str] = []
    seen: set[str] = set()
    for item, wanted in zip(inside, keep, strict=True):
        if not wanted:
            continue
        key = norm(item.block.text)
        if key and key not in seen:
            seen.add(key)
            kept.append(item.block.text)
    return tuple(kept)


def _score(block: Block, title_norm: str | None, hinted: bool = False) -> Scored:
    """A block's weight for the container scorer: prose earns its characters, links and short lines cost."""
    size, links = len(block.text), block.links
    if links * 2 >= size and block.tag not in _PROSE_TAGS:  # a link list: no need to read it (cheap path)
        kind, weight = Kind.MENU, -min(size, 40) - links
    else:
        line = classify(block.text, title_norm)
        kind, weight = line.kind, _weight(line.kind, line.words, block)
    if weight < 0 and block.body >= 0:  # inside a declared article body: a list of links there may be content
        weight //= 4
    if hinted and block.body < 0 and weight > 0:  # the page marks its article body, and this is outside it
        weight = weight * OUTSIDE // 10
    boiler_weight = -abs(weight) if weight > 0 else weight
    return Scored(block, kind, weight, boiler_weight)


def _weight(kind: Kind, words: int, block: Block) -> int:
    size, links = len(block.text), block.links
    if kind in (Kind.PROSE, Kind.LONG) and links * 2 < size:
        return size - 3 * links
    if block.tag in _PROSE_TAGS and words >= 5 and links * 2 < size:
        return (size - 3 * links) // 2
    return -min(size, 40) - links


@dataclass(frozen=True, slots=True)
class Span:
    """The article: the children first..last (in document order) of one element, at a depth of the block paths."""

    node: int
    depth: int
    first: int
    last: int


def _container(scored: Sequence[Scored]) -> Span:
    """The run of sibling subtrees that weighs most (a maximum subarray over each element's children).

    Element ids are small unique integers (list indexes); a block's own text is a child of its element, indexed
    after all elements.
    """
    base = 1 + max(max(item.block.path) for item in scored)
    count = base + len(scored)
    totals, sizes, links, depths = [0] * count, [0] * count, [0] * count, [-1] * base
    children: list[list[int] | None] = [None] * base
    for index, item in enumerate(scored):
        path, cut = item.block.path, item.block.boiler
        size, linked, own = len(item.block.text), item.block.links, base + index
        for depth, node in enumerate(path):
            weight = item.weight if cut < 0 else item.boiler_weight if depth <= cut else item.weight // 2
            totals[node] += weight
            sizes[node] += size
            links[node] += linked
            kids = children[node]
            if kids is None:
                kids = children[node] = []
                depths[node] = depth
            child = path[depth + 1] if depth + 1 < len(path) else own
            if not kids or kids[-1] != child:
                kids.append(child)
        totals[own], sizes[own], links[own] = weight, size, linked
    best, span = 0, Span(0, 0, 0, 0)
    for node, kids in enumerate(children):
        if kids is None:
            continue
        total, first, last = _best_run([_run_weight(totals[k], sizes[k], links[k]) for k in kids])
        if total > best or (total == best and depths[node] > span.depth):
            best, span = total, Span(node, depths[node], first, last)
    return span


def _run_weight(total: int, size: int, links: int) -> int:
    """What a child subtree adds to a run of siblings: a linked teaser card costs, however much it says."""
    if links * LINKY > size:
        return -min(abs(total), CLAMP)
    return max(total, -CLAMP)


def _best_run(weights: Sequence[int]) -> tuple[int, int, int]:
    """Maximum subarray: (sum, first, last) of the contiguous run with the highest sum."""
    best, best_first, best_last = 0, 0, -1
    total, first = 0, 0
    for i, weight in enumerate(weights):
        if total <= 0:
            total, first = 0, i
        total += weight
        if total > best:
            best, best_first, best_last = total, first, i
    return best, best_first, best_last


def _inside(scored: Sequence[Scored], span: Span) -> list[Scored]:
    """The blocks of the span's children first..last."""
    inside: list[Scored] = []
    child, position = None, -1
    for index, item in enumerate(scored):
        path = item.block.path
        if len(path) <= span.depth or path[span.depth] != span.node:
            continue
        key = path[span.depth + 1] if span.depth + 1 < len(path) else -1 - index
        if key != child:
            child, position = key, position + 1
        if span.first <= position <= span.last:
            inside.append(item)
    return inside


def _keep(item: Scored, depth: int) -> bool:
    block = item.block
    if block.boiler > depth:
        return False
    size = len(block.text)
    if block.links * 2 >= size and not (item.kind is Kind.PROSE and block.tag in _PROSE_TAGS):
        return False
    if item.kind in _DROP_KINDS:
        return False
    if item.kind is Kind.BOILER:
        return size > 150
    if item.kind is Kind.SHORT:
        return block.tag in _KEEP_SHORT_TAGS and block.tag != "h1"
    return True
