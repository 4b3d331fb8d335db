"""HTML page -> Article: the body from newsgraph's own container scorer, metadata from the page's declarations.

The body: the page's text blocks (dom.page_tree) each get a weight, prose earning its characters, links, menus
and boilerplate costing theirs. The article is the run of sibling subtrees (the children first..last of one
element) that weighs most: a maximum subarray over every element's children, the tree form of textpage's
maximum-weight run of lines. Its blocks are then kept unless the line classifier or the tree says they are
boilerplate: link lists, bylines, timestamps, markers, captions, share bars and comments hinted by class or id.
Dates: the URL's, else declared (meta, JSON-LD, <time>), else printed on the page (date elements, datelines),
else the dates the markup names most often.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from newsgraph.extract.dom import DATE_ELEMENTS, HEADINGS, Block, Tree, page_tree
from newsgraph.extract.language import guess_language
from newsgraph.extract.lines import WIRE_AGENCIES, Kind, boilerplate_lines, classify, norm, word_count
from newsgraph.extract.metadata import Metadata, element_date, page_date, read_metadata, text_date
from newsgraph.extract.nesting import cap_depth
from newsgraph.models import Article

PROSE_WORDS = 4  # a block of fewer words is never prose: it costs what a short line costs, whatever its kind
CLAMP = 300  # a sibling costs a run at most this much
LINKY = 5  # a subtree with more than 1/LINKY of its text in links is a teaser, not content
OUTSIDE = 4  # tenths of its weight that prose outside a page's marked article body keeps
MIN_BODY = 200  # a shorter body is read again with hidden elements
ANY_LENGTH = 1 << 30  # words: a block of any length
MAX_CHARS = 8_000_000  # a larger page is cut here before parsing (its article is in the first megabytes)

_DATELINE = re.compile(r"^[A-ZÀ-Ý][\w .,'’/-]{1,60}\((?P<name>[A-Za-z .-]{2,30})\)\s*[-–—:]")
_DROP_KINDS = frozenset(
    (Kind.TITLE, Kind.TIMESTAMP, Kind.AGENCY, Kind.BYLINE, Kind.CAPTION, Kind.MARKER, Kind.MENU, Kind.SLASH)
)
_KEEP_SHORT_TAGS = HEADINGS | {"p", "li", "blockquote", "dd", "pre", "td"}
_PROSE_TAGS = frozenset(("p", "blockquote", "pre", "li", "dd", "td"))


@dataclass(slots=True)  # not frozen: built for every block of every page, and frozen init costs 4x
class Scored:
    block: Block
    kind: Kind | None  # None: not read yet (a block too short to weigh more than a short line)
    weight: int  # what the block adds to a container that holds it
    boiler_weight: int  # what it adds to a container above its boilerplate-hinted ancestor
    shared: int = 0  # how many path ids it shares with the previous scored block


def extract_html(content: str, *, date: str | None = None, url: str | None = None) -> Article:
    """Extract the article (clean paragraphs and metadata) from an HTML page; never raises on bad input."""
    data = _encode(content)
    tree = HTMLParser(data)
    meta = read_metadata(tree, url)
    page = page_tree(tree.body or tree.root)
    paragraphs = select_body(page, meta.title)
    if sum(len(p) for p in paragraphs) < MIN_BODY:  # content streamed into hidden elements (React, Next.js)
        page = page_tree(tree.body or tree.root, hidden=True)
        paragraphs = max(paragraphs, select_body(page, meta.title), key=lambda ps: sum(len(p) for p in ps))
    blocks = page.blocks
    captions = tuple(dict.fromkeys(b.text for b in blocks if b.caption))
    published = _published(meta, page, content, data)
    return _article(meta, paragraphs, captions, published, date=date, url=url)


def _published(meta: Metadata, page: Tree, content: str, data: bytes) -> str | None:
    """The publication date: the URL's day first (the publisher's own filing), with the declared timestamp when
    it falls on that day; else the declared date, a date printed in a date element or a short block, the social
    image's upload day, the last-modified date; at last the date the markup names most, or any date in the text."""
    if meta.url_date and not (meta.published and meta.published.startswith(meta.url_date)):
        return meta.url_date
    if meta.published:
        return meta.published
    texts = [b.text for b in page.blocks]
    found = element_date(page.dated) or element_date(_aside_dates(page.asides)) or text_date(texts)
    found = found or meta.image_date or meta.modified or page_date(content[:MAX_CHARS])
    return found or text_date(texts, words=ANY_LENGTH) or text_date(_all_lines(data), words=ANY_LENGTH)


def _all_lines(data: bytes) -> Iterator[str]:
    """The page's text outside the blocks (side columns, menus, hidden elements, scripts), line by line, from the
    bytes `extract_html` parsed (cut and depth-capped once)."""
    root = HTMLParser(data).root
    for line in (root.text(separator="\n") if root is not None else "").splitlines():
        if line.strip():
            yield " ".join(line.split())


def _aside_dates(asides: Sequence[Node]) -> Iterator[Node]:
    for aside in asides:
        yield from aside.css(_ASIDE_DATES)[:DATE_ELEMENTS]


_ASIDE_DATES = '[class*="date"], [class*="Date"], [id*="date"], [itemprop*="date"], time'


def _encode(content: str) -> bytes:
    """The page as the parser reads it: cut at MAX_CHARS, nesting capped, UTF-8."""
    return cap_depth(content[:MAX_CHARS]).encode("utf-8", "replace")


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


def select_body(page: Tree, title: str | None) -> tuple[str, ...]:
    """The article's paragraphs: the blocks of the heaviest container, boilerplate left out."""
    title_norm = norm(title) if title else None
    scored = _scored(page.blocks, title_norm)
    if not any(item.weight > 0 for item in scored):
        return ()
    span = _container(scored, page)
    inside = [_classified(item, title_norm) for item in _inside(scored, span)]
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


def _scored(blocks: Sequence[Block], title_norm: str | None) -> list[Scored]:
    """The blocks outside captions, weighed."""
    hinted = any(b.body >= 0 for b in blocks)
    boiler = _boiler_blocks(blocks)
    scored: list[Scored] = []
    shared = 0
    for index, block in enumerate(blocks):
        shared = min(shared, block.shared)
        if not block.caption:
            says = None if boiler is None else index in boiler
            scored.append(_score(block, title_norm, hinted, shared if scored else 0, says))
            shared = 1 << 30
    return scored


def _boiler_blocks(blocks: Sequence[Block]) -> set[int] | None:
    """Indexes of the blocks holding a boilerplate phrase, found for the whole page at once; None when lower case
    changes the text's length (the page-wide search would misplace its hits)."""
    texts = [b.text for b in blocks]
    joined = "\n".join(texts)
    if not joined.isascii() and len(joined.lower()) != len(joined):
        return None
    return boilerplate_lines(texts)


def _score(
    block: Block, title_norm: str | None, hinted: bool = False, shared: int = 0, boiler: bool | None = None
) -> Scored:
    """A block's weight for the container scorer: prose earns its characters, links and short lines cost."""
    size, links = len(block.text), block.links
    kind: Kind | None
    if links * 2 >= size and block.tag not in _PROSE_TAGS:  # a link list: no need to read it (cheap path)
        kind, weight = Kind.MENU, -min(size, 40) - links
    elif block.text.count(" ") < PROSE_WORDS - 1 and word_count(block.text) < PROSE_WORDS:
        kind, weight = None, -min(size, 40) - links  # too short for prose whatever it is: read it if kept
    else:
        line = classify(block.text, title_norm, boiler=boiler)
        kind, weight = line.kind, _weight(line.kind, line.words, block)
    if weight < 0 and block.body >= 0:  # inside a declared article body: a list of links there may be content
        weight //= 4
    if hinted and block.body < 0 and weight > 0:  # the page marks its article body, and this is outside it
        weight = weight * OUTSIDE // 10
    boiler_weight = -abs(weight) if weight > 0 else weight
    return Scored(block, kind, weight, boiler_weight, shared)


def _classified(item: Scored, title_norm: str | None) -> Scored:
    """The item with its kind, for one whose kind was left for later (a short block)."""
    if item.kind is not None:
        return item
    kind = classify(item.block.text, title_norm).kind
    return Scored(item.block, kind, item.weight, item.boiler_weight, item.shared)


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


def _container(scored: Sequence[Scored], tree: Tree) -> Span:
    """The run of sibling subtrees that weighs most (a maximum subarray over each element's children).

    Element ids are the tree's (list indexes); a block's own text is a child of its element, indexed after all
    elements.
    """
    totals, sizes, links = _subtree_sums(scored, tree)
    depths = tree.depths
    best, span = 0, Span(0, 0, 0, 0)
    for node, kids in enumerate(_children(scored, len(tree.parents))):
        if kids is None:
            continue
        if len(kids) == 1:  # most elements wrap one child: its run is itself, if it weighs anything
            kid = kids[0]
            total = _run_weight(totals[kid], sizes[kid], links[kid])
            first, last = (0, 0) if total > 0 else (0, -1)
            total = max(total, 0)
        else:
            total, first, last = _best_run([_run_weight(totals[k], sizes[k], links[k]) for k in kids])
        if total > best or (total == best and depths[node] > span.depth):
            best, span = total, Span(node, depths[node], first, last)
    return span


def _subtree_sums(scored: Sequence[Scored], tree: Tree) -> tuple[list[int], list[int], list[int]]:
    """Weight, characters and link characters of every element's subtree and of every block, summed bottom up.

    A block under a boilerplate-hinted element weighs half inside it and its boiler weight from it up."""
    count = len(tree.parents)
    final, half, pending = [0] * count, [0] * count, [0] * count
    totals, sizes, links = [0] * (count + len(scored)), [0] * (count + len(scored)), [0] * (count + len(scored))
    for index, item in enumerate(scored):
        block = item.block
        node, cut = block.path[-1], block.boiler
        if cut < 0:
            weight = item.weight
            final[node] += weight
        elif cut >= len(block.path) - 1:
            weight = item.boiler_weight
            final[node] += weight
        else:
            weight = item.weight // 2
            half[node] += weight
            pending[node] += item.boiler_weight
        totals[count + index], sizes[count + index], links[count + index] = weight, len(block.text), block.links
        sizes[node] += len(block.text)
        links[node] += block.links
    parents, cuts = tree.parents, tree.cuts
    for node in range(count - 1, -1, -1):
        if cuts[node]:
            final[node] += pending[node]
            half[node] = pending[node] = 0
        totals[node] = final[node] + half[node]
        parent = parents[node]
        if parent >= 0:
            final[parent] += final[node]
            half[parent] += half[node]
            pending[parent] += pending[node]
            sizes[parent] += sizes[node]
            links[parent] += links[node]
    return totals, sizes, links


def _children(scored: Sequence[Scored], base: int) -> list[list[int] | None]:
    """Each element's children that hold blocks, in document order (None for an element without blocks).

    A block only adds to the elements below the path prefix it shares with the previous block."""
    children: list[list[int] | None] = [None] * base
    for index, item in enumerate(scored):
        path = item.block.path
        size = len(path)
        for depth in range(max(item.shared - 1, 0), size):
            kids = children[path[depth]]
            child = path[depth + 1] if depth + 1 < size else base + index
            if kids is None:
                children[path[depth]] = [child]
            elif kids[-1] != child:
                kids.append(child)
    return children


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
