"""Cap the element nesting depth of an HTML page before it is parsed.

A page of 100,000 nested elements costs the parser and every walk over its tree time that grows with the square of
the depth (minutes, for one page). Browsers cap the depth too. `cap_depth` drops the start and end tags that would
open elements deeper than MAX_DEPTH, keeping all the text, in one linear pass; pages within the cap (every real
page measured) come back unchanged.
"""

from __future__ import annotations

import re
from collections import Counter

MAX_DEPTH = 512

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]{0,40})([^<>]{0,4000})>")
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "keygen",
        "frame",
        "basefont",
        "isindex",
    ]
)
_RAW = frozenset(("script", "style", "textarea", "title", "xmp", "noembed", "noframes", "plaintext"))
# Elements a start tag of the same name closes (so that a run of unclosed <p> or <li> is not a deep nest).
_SELF_CLOSING_RUNS = frozenset(("p", "li", "dt", "dd", "option", "tr", "td", "th", "rb", "rt", "rp", "optgroup"))


def cap_depth(html: str, limit: int = MAX_DEPTH) -> str:
    """The page with the tags beyond `limit` levels of nesting removed (their text kept); the page itself when it
    stays within the limit."""
    if html.count("<") <= limit:
        return html
    drops = _tags_too_deep(html, limit)
    if not drops:
        return html
    pieces, pos = [], 0
    for start, end in drops:
        pieces.append(html[pos:start])
        pos = end
    pieces.append(html[pos:])
    return "".join(pieces)


def _tags_too_deep(html: str, limit: int) -> list[tuple[int, int]]:
    """The spans of the tags to drop, in order."""
    stack: list[str] = []
    open_names: Counter[str] = Counter()  # how many of each name the stack holds
    excess: Counter[str] = Counter()  # start tags dropped per name, so their end tags go too
    drops: list[tuple[int, int]] = []
    pos, size = 0, len(html)
    while pos < size:
        i = html.find("<", pos)
        if i < 0:
            break
        if html.startswith("<!--", i):
            j = html.find("-->", i + 4)
            if j < 0:
                break  # the rest of the page is a comment
            pos = j + 3
            continue
        match = _TAG.match(html, i)
        if match is None:
            pos = i + 1
            continue
        closing, name, rest = match.group(1) == "/", match.group(2).lower(), match.group(3)
        pos = match.end()
        if closing:
            if excess[name]:
                excess[name] -= 1
                drops.append(match.span())
            elif open_names[name]:
                while True:  # close up to the nearest open element of this name (costs what was pushed)
                    top = stack.pop()
                    open_names[top] -= 1
                    if top == name:
                        break
            continue
        if name in _RAW:
            pos = _end_of_raw(html, name, pos)
            continue
        if name in _VOID or rest.endswith("/"):
            continue
        if name in _SELF_CLOSING_RUNS and stack and stack[-1] == name:
            open_names[stack.pop()] -= 1
        if len(stack) >= limit:
            excess[name] += 1
            drops.append(match.span())
        else:
            stack.append(name)
            open_names[name] += 1
    return drops


def _end_of_raw(html: str, name: str, pos: int) -> int:
    """Where the raw text of a <script>, <style>... that starts at pos ends (after its end tag)."""
    end = re.compile(rf"</{name}\s*>", re.I).search(html, pos)
    return end.end() if end else len(html)
