"""An HTML tree -> the page's visible text blocks, each with what the tree says about it.

One walk over lexbor's tree, iterative (no recursion, so 10,000-deep nesting is harmless) and bounded (a node budget
and a depth cap keep a 50 MB page to a fraction of a second). Invisible and never-content elements (script, style,
nav, forms controls, hidden elements) are skipped with their subtree. Every other element either continues the
current block (inline: a, b, span ...) or closes it (block: p, div, li, h2 ...). A block keeps the path of element
ids that enclose it, so that the body scorer can weigh containers, and the depths at which an ancestor's class or id
says "boilerplate" (comments, share bars, related links ...) or "article body". The walk also notes the elements
that say they hold a date, for the date finder.

Speed: class and id hints are read per token with one prefilter search (most tokens say nothing) and cached; the
patterns are compiled grouped by first character (fast_alternation). Paid content hidden from non-subscribers
(class "paywall") is read as visible; an ad slot that holds much prose (left unclosed around the article) is read
again without its hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborNode as Node

MAX_NODES = 400_000  # nodes walked at most (a very large page keeps its first ones)
MAX_DEPTH = 200  # deeper elements are read as inline text of the block at this depth

SKIP_TAGS = frozenset((
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas", "video",
    "audio", "nav", "aside", "button", "select", "input", "textarea", "option", "datalist", "dialog", "head",
    "title", "meta", "link", "map", "area", "source", "track", "picture", "img",
))  # fmt: skip
INLINE_TAGS = frozenset((
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins", "kbd", "mark",
    "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
    "label", "big", "nobr", "strike", "acronym",
))  # fmt: skip
HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))


def fast_alternation(pattern: str) -> re.Pattern[str]:
    r"""A flat alternation ("a|b|c", no nested "|") compiled for speed, matching what it matches.

    Alternatives are grouped by their first character (or leading [-_] class), so the regex engine jumps
    to positions where one can begin; a leading \b becomes a lookbehind after that character."""
    groups: dict[str, list[str]] = {}
    for alternative in pattern.split("|"):
        if alternative.startswith("\\b"):
            first, rest = alternative[2], rf"(?<!\w{alternative[2]})" + alternative[3:]
        elif alternative.startswith("[-_]"):
            first, rest = "[-_]", alternative[4:]
        else:
            first, rest = alternative[0], alternative[1:]
        groups.setdefault(first, []).append(rest)
    return re.compile("|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items()))


_BOILER_CUES = (  # what a non-content element says it is
    r"comment(?!ary)|\bshare|sharing|social|related|recommend|newsletter|promo|cookie|consent|breadcrumb|"
    r"subscri|outbrain|taboola|popular|trending|most-?read|more-?stories|author-?bio|"
    r"\btags\b|tag-?list|tag-?cloud|byline|dateline|\bmeta\b|article-meta|toolbar|pagination|\bpager\b|modal|"
    r"popup|signup|sign-up|login|\bskip|disclaimer|kommentar|teilen|empfehl|werbung|anzeige|verwandt|commentaire|"
    r"partag|publicit|relacionad|comentario|compartir|correlat|condivid|reklam|komentar|yorum|paylas|"
    r"\btoc\b|copyright|caption|credit"
)
_AD_CUES = r"advert|sponsor|\bads?\b|\bad[-_](?!layout)|[-_]ads?\b|adslot|adunit|dfp|gpt-"
_DATE_CUES = (  # what an element that holds the article's date says (htmldate's cues)
    r"date|time|publish|posted|datum|fecha|tarih|meta|info|byline|author|submitted|subline|publication"
)
_LAYOUT_CUES = (  # what a part of the page layout says it is: an article body may still sit inside
    r"sidebar|footer|banner|\bnav\b|navigation|navbar|\bmenu\b|read-?more"
)
_CONTENT_CUES = r"content|text|main|body|wrap"  # "content-main-sidebar", "readmore-content"
_BODY_CUES = (
    r"article-?_*body|articlebody|story-?_*body|entry-content|post-?content|post-?body|article-?_*content|"
    r"article-?_*text|articletext|body-?text|story-?_*content|story-?text|main-?text|rich-?text|text-?body|"
    r"content-?body|articleBody"
)
_PAYWALL_CUES = r"paywall"  # what paid content hidden from non-subscribers says
_CUES = (_BOILER_CUES, _DATE_CUES, _LAYOUT_CUES, _CONTENT_CUES, _BODY_CUES, _PAYWALL_CUES, _AD_CUES)
_BOILER, _DATE, _LAYOUT, _CONTENT, _BODY, _PAYWALL, _AD = map(fast_alternation, _CUES)
_ANY_CUE = fast_alternation("|".join((*_CUES, ":")))
_HIDDEN_CLASSES = frozenset(("hidden", "d-none", "sr-only", "visually-hidden", "visuallyhidden", "screen-reader-text"))
_SHOWN = ("block", "flex", "grid", "inline", "table", "contents")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")
_SPACE = re.compile(r"\s+")


@dataclass(slots=True)  # not frozen: built for every block of every page, and frozen init costs 4x
class Block:
    """A run of visible text between two block boundaries."""

    text: str
    tag: str  # the enclosing block element
    links: int  # characters of the text inside <a>
    path: tuple[int, ...]  # ids of the enclosing block elements, outermost first
    boiler: int  # depth (index into path) of the deepest ancestor hinted as boilerplate; -1 if none
    body: int  # depth of the deepest ancestor hinted as article body (class/id, itemprop, <article>); -1 if none
    caption: bool  # inside a <figcaption>
    shared: int = 0  # how many path ids it shares with the previous block (its path[:shared] is that block's)


@dataclass(frozen=True, slots=True)
class Tree:
    """A page's blocks and its block elements: element ids are indexes, assigned in document order (0 is the
    walk's root); a parent's id is smaller than its children's."""

    blocks: list[Block]
    parents: list[int]  # element id -> its parent's id (-1 for the root)
    depths: list[int]  # element id -> its depth (index in the paths of the blocks inside it)
    cuts: list[bool]  # element id -> hinted as boilerplate: it is the `boiler` depth of blocks inside it
    dated: list[Node]  # the first visible elements that say they hold a date (class, id, itemprop, <time> ...)
    asides: list[Node]  # the first <aside> elements (not walked: a side column may still hold the article's date)


@dataclass(frozen=True, slots=True)
class Hints:
    boiler: int  # 2: boilerplate (comments, share bar ...), 1: layout (sidebar, footer ...), 0: neither
    body: bool
    hidden: bool
    content: bool  # says "content", "text", "main" ...: ends a layout hint above it
    dated: bool = False  # says it holds a date ("date", "time", "publish", "byline", "meta" ...)
    paywalled: bool = False  # says it holds paid content: hidden or not, it is the article's
    ad: bool = False  # its boilerplate hint says advertisement (an ad slot left unclosed may swallow the article)


_PLAIN = Hints(0, False, False, False)
_HIDDEN = Hints(0, False, True, False)
_DATED = Hints(0, False, False, False, True)
_DATED_TAGS = frozenset(("time", "small", "abbr"))
_OTHER_HINTS = frozenset(("hidden", "aria-hidden", "style", "itemprop"))
DATE_ELEMENTS = 30  # date-hinted elements kept at most
ASIDES = 5  # <aside> elements kept at most
_Flags = tuple[bool, bool, bool, bool, bool, bool, bool, bool, bool]
_NO_FLAGS: _Flags = (False, False, False, False, False, False, False, False, False)
_HIDDEN_FLAGS: _Flags = (False, False, False, False, True, False, False, False, False)
_CACHE_SIZE = 20_000  # class strings and class tokens remembered (cleared when full)
_names_cache: dict[str, Hints] = {}
_token_cache: dict[str, _Flags] = {}


def class_hints(names: str) -> Hints:
    """What an element's class and id (lower case, space separated) say about it."""
    hints = _names_cache.get(names)
    if hints is None:
        if len(_names_cache) >= _CACHE_SIZE:
            _names_cache.clear()
        hints = _names_cache[names] = _combine([_token_hints(token) for token in names.split()])
    return hints


def _token_hints(token: str) -> _Flags:
    """One class or id token: (boilerplate, layout, content, body, hidden class, shown at a breakpoint, date, paid).

    No pattern spans a space, so a class string's hints are its tokens' hints combined."""
    found = _token_cache.get(token)
    if found is None:
        if len(_token_cache) >= _CACHE_SIZE:
            _token_cache.clear()
        if _ANY_CUE.search(token) is None:  # most tokens ("col-md-6", "css-1x2y3z") say nothing: one search
            found = _token_cache[token] = _NO_FLAGS if token not in _HIDDEN_CLASSES else _HIDDEN_FLAGS
            return found
        found = _token_cache[token] = (
            _BOILER.search(token) is not None,
            _LAYOUT.search(token) is not None,
            _CONTENT.search(token) is not None,
            _BODY.search(token) is not None,
            token in _HIDDEN_CLASSES,
            ":" in token and token.endswith(_SHOWN),  # Tailwind's "hidden md:block"
            _DATE.search(token) is not None,
            _PAYWALL.search(token) is not None,
            _AD.search(token) is not None,
        )
    return found


def _combine(tokens: list[_Flags]) -> Hints:
    if not tokens:
        return _PLAIN
    boiler, layout, content, body, hidden, shown, dated, paid, ad = (any(col) for col in zip(*tokens, strict=True))
    boiler_hint = 2 if boiler or ad else 1 if layout and not content else 0
    return Hints(boiler_hint, body, hidden and not shown and not paid, content, dated, paid, ad and not boiler)


def attribute_hints(attrs: dict[str, str | None], inline: bool = False) -> Hints:
    """What an element's attributes say (class, id, hidden, aria-hidden, style, itemprop); inline elements are only
    asked whether they are hidden or hold a date."""
    cls, ident = attrs.get("class"), attrs.get("id")
    if cls or ident:
        hints = class_hints(f"{cls or ''} {ident or ''}".lower())
        if inline:
            hints = _HIDDEN if hints.hidden else _DATED if hints.dated else _PLAIN
    else:
        hints = _PLAIN
    if _OTHER_HINTS.isdisjoint(attrs):  # nothing else to read
        return hints
    hidden = hints.hidden or "hidden" in attrs or attrs.get("aria-hidden") == "true"
    style = attrs.get("style")
    if style and not hidden:
        hidden = _HIDDEN_STYLE.search(style.lower()) is not None
    hidden = hidden and not hints.paywalled
    itemprop = attrs.get("itemprop") or ""
    body = hints.body or itemprop == "articleBody"
    dated = hints.dated or "date" in itemprop.lower()
    if hidden == hints.hidden and body == hints.body and dated == hints.dated:
        return hints
    return Hints(hints.boiler, body, hidden, hints.content, dated, hints.paywalled, hints.ad)


def element_hints(node: Node) -> Hints:
    attrs = node.attributes
    return attribute_hints(attrs) if attrs else _PLAIN


# An open block element: (id, tag, boilerplate depth, layout-only hint, body depth, inside a caption).
_Frame = tuple[int, str, int, bool, int, bool]
_BLOCK, _INLINE, _SKIP, _BREAK = 0, 1, 2, 3
_TAG_KIND = dict.fromkeys(SKIP_TAGS, _SKIP) | dict.fromkeys(INLINE_TAGS, _INLINE) | {"br": _BREAK, "hr": _BREAK}
_CLOSE, _LINK_END = 0, 1


class _Walk:
    """The state of one walk: the open block elements and the text of the block being read."""

    def __init__(self, hidden: bool, released: frozenset[int] = frozenset()) -> None:
        self.hidden = hidden
        self.released = released  # ids of ad-hinted elements whose hint is ignored (they hold the article)
        self.ads: list[int] = []  # ids of the elements hinted as ads (their blocks' `boiler` is their depth)
        self.frames: list[_Frame] = [(0, "html", -1, False, -1, False)]
        self.ids: list[int] = [0]  # the open block elements' ids: the path of the block being read
        self.low = 0  # the fewest open elements since the last block: the path prefix it shares with the next
        self.parents, self.depths, self.cuts = [-1], [0], [False]
        self.dated: list[Node] = []
        self.asides: list[Node] = []
        self.parts: list[str] = []
        self.link_parts: list[str] = []
        self.in_link = 0
        self.blocks: list[Block] = []
        self.next_id = 1

    def run(self, root: Node) -> None:
        """Depth first over root's subtree; a pushed int marks where an element (or a link) ends."""
        stack: list[Node | int] = [root]
        budget = MAX_NODES
        parts, link_parts, kinds, frames = self.parts, self.link_parts, _TAG_KIND, self.frames
        while stack and budget > 0:
            node = stack.pop()
            budget -= 1
            if isinstance(node, int):
                if node == _CLOSE:
                    self.close()
                else:
                    self.in_link -= 1
                continue
            tag = node.tag or "-"
            if tag == "-text":
                value = node.text_content
                if value and (parts or not value.isspace()):  # leading blanks of a block do not count
                    parts.append(value)
                    if self.in_link:
                        link_parts.append(value)
                continue
            kind = _SKIP if tag[0] == "-" else kinds.get(tag, _BLOCK)
            if kind == _SKIP:
                if tag == "aside" and len(self.asides) < ASIDES:
                    self.asides.append(node)
                continue
            if kind == _BREAK:
                self.flush()
                continue
            attrs = node.attributes
            hints = attribute_hints(attrs, kind == _INLINE) if attrs else _PLAIN
            if hints is not _PLAIN and not self.visible(node, tag, hints):
                continue
            if kind == _INLINE or len(frames) >= MAX_DEPTH:
                if tag == "a":
                    self.in_link += 1
                    stack.append(_LINK_END)
            else:
                self.open(tag, hints)
                stack.append(_CLOSE)
            child = node.last_child
            while child is not None:
                stack.append(child)
                child = child.prev
            if tag in _DATED_TAGS and hints is _PLAIN and len(self.dated) < DATE_ELEMENTS:
                self.dated.append(node)

    def visible(self, node: Node, tag: str, hints: Hints) -> bool:
        """Whether to enter an element that its attributes say something about (and note it if it holds a date)."""
        if hints.hidden and not self.hidden and tag != "html" and tag != "body":
            return False
        if (hints.dated or tag in _DATED_TAGS) and len(self.dated) < DATE_ELEMENTS:
            self.dated.append(node)
        return True

    def flush(self) -> None:
        if not self.parts:
            return
        text = " ".join("".join(self.parts).split())
        links = len(" ".join("".join(self.link_parts).split())) if self.link_parts else 0
        self.parts.clear()
        self.link_parts.clear()
        if text:
            _, tag, boiler, _, body, caption = self.frames[-1]
            path, shared = tuple(self.ids), self.low
            self.blocks.append(Block(text, tag, min(links, len(text)), path, boiler, body, caption, shared))
            self.low = len(path)

    def open(self, tag: str, hints: Hints) -> None:
        if self.parts:
            self.flush()
        _, _, boiler, layout, body, caption = self.frames[-1]
        depth = len(self.frames)
        if hints.body or tag == "article":
            body = depth
        if tag == "main" or (layout and (body == depth or hints.content)):
            boiler, layout = -1, False
        node_id = self.next_id
        self.next_id += 1
        if hints.boiler and tag not in ("body", "html", "main", "article") and node_id not in self.released:
            boiler, layout = depth, hints.boiler == 1
            if hints.ad:
                self.ads.append(node_id)
        self.frames.append((node_id, tag, boiler, layout, body, caption or tag == "figcaption"))
        self.parents.append(self.ids[-1])
        self.depths.append(depth)
        self.cuts.append(boiler == depth)
        self.ids.append(node_id)
        if depth < self.low:
            self.low = depth

    def close(self) -> None:
        if self.parts:
            self.flush()
        self.frames.pop()
        self.ids.pop()
        if len(self.ids) < self.low:
            self.low = len(self.ids)


def page_tree(root: Node | None, *, hidden: bool = False) -> Tree:
    """The visible text blocks under root, in document order (with hidden elements' too when asked), and the block
    elements that hold them."""
    walk = _Walk(hidden)
    if root is not None:
        walk.run(root)
        walk.flush()
        released = _swallowing_ads(walk)
        if released:  # read again, those ad slots' hints ignored
            walk = _Walk(hidden, released)
            walk.run(root)
            walk.flush()
    return Tree(walk.blocks, walk.parents, walk.depths, walk.cuts, walk.dated, walk.asides)


AD_PROSE = 1_000  # characters of long blocks under an ad slot that make it a slot left open around the article
LONG_BLOCK = 150  # characters of a long block


def _swallowing_ads(walk: _Walk) -> frozenset[int]:
    """The ad-hinted elements that hold much prose: an ad slot left unclosed (<div class=ad-container> with no
    </div>) swallows the rest of the article, and the parser nests it all inside."""
    if not walk.ads:
        return frozenset()
    ads, held = set(walk.ads), dict.fromkeys(walk.ads, 0)
    for block in walk.blocks:
        if block.boiler >= 0 and len(block.text) >= LONG_BLOCK and block.path[block.boiler] in ads:
            held[block.path[block.boiler]] += len(block.text) - block.links
    return frozenset(node for node, size in held.items() if size >= AD_PROSE)


def page_blocks(root: Node | None, *, hidden: bool = False) -> list[Block]:
    """The visible text blocks under root, in document order (with hidden elements' too when asked)."""
    return page_tree(root, hidden=hidden).blocks
