"""An HTML tree -> the page's visible text blocks, each with what the tree says about it.

One walk over lexbor's tree, iterative (no recursion, so 10,000-deep nesting is harmless) and bounded (a node budget
and a depth cap keep a 50 MB page to a fraction of a second). Invisible and never-content elements (script, style,
nav, forms controls, hidden elements) are skipped with their subtree. Every other element either continues the
current block (inline: a, b, span ...) or closes it (block: p, div, li, h2 ...). A block keeps the path of element
ids that enclose it, so that the body scorer can weigh containers, and the depths at which an ancestor's class or id
says "boilerplate" (comments, share bars, related links ...) or "article body".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

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

_BOILER = re.compile(  # what a non-content element says it is
    r"comment(?!ary)|\bshare|sharing|social|related|recommend|newsletter|promo|cookie|consent|breadcrumb|"
    r"subscri|advert|sponsor|outbrain|taboola|popular|trending|most-?read|more-?stories|author-?bio|"
    r"\btags\b|tag-?list|tag-?cloud|byline|dateline|\bmeta\b|article-meta|toolbar|pagination|\bpager\b|modal|"
    r"popup|signup|sign-up|login|\bskip|disclaimer|kommentar|teilen|empfehl|werbung|anzeige|verwandt|commentaire|"
    r"partag|publicit|relacionad|comentario|compartir|correlat|condivid|reklam|komentar|yorum|paylas|\bads?\b|"
    r"\bad[-_](?!layout)|[-_]ads?\b|adslot|adunit|dfp|gpt-|\btoc\b|copyright|caption|credit"
)
_LAYOUT = re.compile(  # what a part of the page layout says it is: an article body may still sit inside
    r"sidebar|footer|banner|\bnav\b|navigation|navbar|\bmenu\b|read-?more"
)
_CONTENT = re.compile(r"content|text|main|body|wrap")  # "content-main-sidebar", "readmore-content"
_BODY = re.compile(
    r"article-?_*body|articlebody|story-?_*body|entry-content|post-?content|post-?body|article-?_*content|"
    r"article-?_*text|articletext|body-?text|story-?_*content|story-?text|main-?text|rich-?text|text-?body|"
    r"content-?body|articleBody"
)
_HIDDEN_CLASSES = frozenset(("hidden", "d-none", "sr-only", "visually-hidden", "visuallyhidden", "screen-reader-text"))
_SHOWN = ("block", "flex", "grid", "inline", "table", "contents")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Block:
    """A run of visible text between two block boundaries."""

    text: str
    tag: str  # the enclosing block element
    links: int  # characters of the text inside <a>
    path: tuple[int, ...]  # ids of the enclosing block elements, outermost first
    boiler: int  # depth (index into path) of the deepest ancestor hinted as boilerplate; -1 if none
    body: int  # depth of the deepest ancestor hinted as article body (class/id, itemprop, <article>); -1 if none
    caption: bool  # inside a <figcaption>


@dataclass(frozen=True, slots=True)
class Hints:
    boiler: int  # 2: boilerplate (comments, share bar ...), 1: layout (sidebar, footer ...), 0: neither
    body: bool
    hidden: bool
    content: bool  # says "content", "text", "main" ...: ends a layout hint above it


@dataclass(slots=True)
class _Frame:
    """One open block element of the walk."""

    node_id: int
    tag: str
    boiler: int
    layout: bool  # the boilerplate ancestor only says "layout": a body-hinted element inside resets it
    body: int
    caption: bool


@lru_cache(maxsize=4096)
def class_hints(names: str) -> Hints:
    """What an element's class and id (lower case, space separated) say about it."""
    tokens = names.split()
    shown = any(":" in token and token.endswith(_SHOWN) for token in tokens)  # Tailwind's "hidden md:block"
    hidden = not shown and any(token in _HIDDEN_CLASSES for token in tokens)
    content = _CONTENT.search(names) is not None
    boiler = 2 if _BOILER.search(names) else 1 if _LAYOUT.search(names) and not content else 0
    return Hints(boiler, _BODY.search(names) is not None, hidden, content)


def element_hints(node: Node) -> Hints:
    attrs = node.attributes
    if not attrs:
        return Hints(0, False, False, False)
    names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower().strip()
    hints = class_hints(names) if names else Hints(0, False, False, False)
    hidden = hints.hidden or "hidden" in attrs or attrs.get("aria-hidden") == "true"
    style = attrs.get("style")
    if style and not hidden:
        hidden = _HIDDEN_STYLE.search(style.lower()) is not None
    body = hints.body or attrs.get("itemprop") == "articleBody"
    return Hints(hints.boiler, body, hidden, hints.content)


class _Walk:
    """The state of one walk: the open block elements and the text of the block being read."""

    def __init__(self, hidden: bool) -> None:
        self.hidden = hidden
        self.frames: list[_Frame] = [_Frame(0, "html", -1, False, -1, False)]
        self.parts: list[str] = []
        self.link_parts: list[str] = []
        self.in_link = 0
        self.blocks: list[Block] = []
        self.next_id = 1

    def flush(self) -> None:
        if not self.parts:
            return
        text = _SPACE.sub(" ", "".join(self.parts)).strip()
        links = len(_SPACE.sub(" ", "".join(self.link_parts)).strip()) if self.link_parts else 0
        self.parts.clear()
        self.link_parts.clear()
        if text:
            top = self.frames[-1]
            path = tuple(f.node_id for f in self.frames)
            self.blocks.append(Block(text, top.tag, min(links, len(text)), path, top.boiler, top.body, top.caption))

    def open(self, tag: str, hints: Hints) -> None:
        self.flush()
        top, depth = self.frames[-1], len(self.frames)
        body = depth if hints.body or tag == "article" else top.body
        boiler, layout = top.boiler, top.layout
        if tag == "main" or (layout and (body == depth or hints.content)):
            boiler, layout = -1, False
        if hints.boiler and tag not in ("body", "html", "main", "article"):
            boiler, layout = depth, hints.boiler == 1
        caption = top.caption or tag == "figcaption"
        self.frames.append(_Frame(self.next_id, tag, boiler, layout, body, caption))
        self.next_id += 1

    def close(self) -> None:
        self.flush()
        self.frames.pop()

    def text(self, value: str) -> None:
        self.parts.append(value)
        if self.in_link:
            self.link_parts.append(value)


_CLOSE, _LINK_END = 0, 1


def page_blocks(root: Node | None, *, hidden: bool = False) -> list[Block]:
    """The visible text blocks under root, in document order (with hidden elements' too when asked)."""
    if root is None:
        return []
    walk = _Walk(hidden)
    stack: list[Node | int] = [root]
    budget = MAX_NODES
    while stack and budget > 0:
        item = stack.pop()
        budget -= 1
        if isinstance(item, int):
            if item == _CLOSE:
                walk.close()
            else:
                walk.in_link -= 1
            continue
        _visit(item, walk, stack)
    walk.flush()
    return walk.blocks


def _visit(node: Node, walk: _Walk, stack: list[Node | int]) -> None:
    tag = node.tag
    if tag == "-text":
        walk.text(node.text_content or "")
        return
    if tag is None or tag.startswith("-") or tag in SKIP_TAGS:
        return
    if tag == "br" or tag == "hr":
        walk.flush()
        return
    hints = element_hints(node)
    if hints.hidden and not walk.hidden and tag not in ("html", "body"):
        return
    if tag in INLINE_TAGS or len(walk.frames) >= MAX_DEPTH:
        if tag == "a":
            walk.in_link += 1
            stack.append(_LINK_END)
    else:
        walk.open(tag, hints)
        stack.append(_CLOSE)
    child = node.last_child
    while child is not None:
        stack.append(child)
        child = child.prev
