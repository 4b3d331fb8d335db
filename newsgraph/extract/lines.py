"""Classify the lines of a flattened page: what each block of visible text is (body prose, byline, caption, ...).

This runs on every block of every page, so the checks are ordered cheapest first and use plain string tests
before any regular expression.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from enum import Enum
from typing import NamedTuple

from newsgraph.extract.timestamps import TimestampKind, parse_timestamp


class Kind(Enum):
    PROSE = "prose"  # a sentence-like block: candidate body paragraph
    LONG = "long"  # a long block without closing punctuation (standfirst, teaser)
    TITLE = "title"
    TIMESTAMP = "timestamp"
    AGENCY = "agency"
    BYLINE = "byline"
    CAPTION = "caption"
    MARKER = "marker"  # READ MORE / Also read / Advertisement / share bars: interleaved with the body
    BOILER = "boiler"  # cookie banners, comment policies, newsletter prompts, copyright
    SLASH = "slash"  # "Top News / Politics": breadcrumbs and tag lists
    MENU = "menu"  # "Home | World | Politics"
    SHORT = "short"  # any other short block: menus, section names, teaser headlines


WIRE_AGENCIES = {
    "reuters": "Reuters", "ap": "AP", "associated press": "AP", "the associated press": "AP", "afp": "AFP",
    "agence france-presse": "AFP", "agence france presse": "AFP", "yonhap": "Yonhap", "kyodo": "Kyodo",
    "xinhua": "Xinhua", "tass": "TASS", "interfax": "Interfax", "ria novosti": "RIA Novosti", "dpa": "dpa",
    "ansa": "ANSA", "efe": "EFE", "pti": "PTI", "ani": "ANI", "ians": "IANS", "bernama": "Bernama",
    "anadolu": "Anadolu", "anadolu agency": "Anadolu", "upi": "UPI", "bloomberg": "Bloomberg", "kcna": "KCNA",
    "staff and agencies": "Staff and agencies", "agencies": "Agencies", "news agencies": "Agencies",
    "cnn wire": "CNN Wire", "aap": "AAP", "ips": "IPS",
}  # fmt: skip
_AGENCY_STRIP = " .()-—–:"
_AGENCY_PREFIXES = ("by ", "source: ", "source ")
_AGENCY_NAMES = "|".join(sorted((re.escape(k) for k in WIRE_AGENCIES), key=len, reverse=True))
_WITH_REPORTING = re.compile(rf"^\(?(?:with|additional) reporting (?:by|from)\s+(?P<name>{_AGENCY_NAMES})\b", re.I)
_BYLINE_PREFIXES = ("by ", "words by ", "written by ", "reporting by ", "von ", "par ", "por ", "di ")
_BYLINE = re.compile(r"^(?:by|words by|written by|reporting by|von|par|por|di)\s+(?P<names>[A-ZÀ-Ý].*)$", re.I)
_CAPTION = re.compile(
    r"\b(?:photo|photograph|image|picture|file photo|photo credit|credit|illustration|foto|bild)\s*:\s*\S"
    r"|\((?:[^()]*\b(?:via|photo|getty|epa|afp|reuters|ap|kcna|yonhap|xinhua|tass|file|foto)\b[^()]*)\)\s*$"
    r"|\b(?:getty images|shutterstock|/ ?afp|/ ?reuters|/ ?ap|/ ?epa|/ ?dpa)\s*$",
    re.I,
)
_MARKERS = (
    "read more", "read also", "also read", "see also", "related", "more on this", "recommended", "advertisement",
    "sponsored", "story continues", "continue reading", "share", "click here", "watch:", "watch ", "listen",
    "follow us", "follow ", "anzeige", "lesen sie auch", "mehr zum thema", "publicité", "lire aussi",
)  # fmt: skip
_BOILER = re.compile(
    r"\b(?:cookies?|comments? (?:will|are|policy)|readers[’']? (?:own )?(?:views|comments)|moderation|"
    r"newsletter|subscribe|sign up|signing up|all rights reserved|copyright|terms of (?:use|service)|"
    r"privacy policy|log ?in to|javascript|your browser|download (?:our|the) app|does not endorse)\b|©",
    re.I,
)
_SENTENCE_END = frozenset(".!?…\"'”’:。！？」』)।॥؟۔»")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_SLASH_SEP = re.compile(r"\s+[/>›]\s+")
_MENU_SEP = re.compile(r"\s[|•·»]\s")
_PUNCT = re.compile(r"[^\w]+")
_EDGE_PUNCT = " .,;:!?…\"'“”‘’()[]«»-–—"


class Line(NamedTuple):
    """One classified block (a tuple: built for every block of every page, so it must be cheap)."""

    text: str
    kind: Kind
    words: int
    timestamp: tuple[TimestampKind, str] | None = None
    value: str | None = None  # agency name or byline names


def word_count(text: str) -> int:
    """Words, with CJK characters counted two to a word (those scripts do not separate words by spaces)."""
    count = text.count(" ") + 1 if text else 0
    if not text.isascii():
        cjk = len(_CJK.findall(text))
        if cjk:
            count += cjk // 2
    return count


def norm(text: str) -> str:
    """Case and punctuation folded: two blocks with the same norm are the same block."""
    return _PUNCT.sub(" ", text.lower()).strip()


def classify(text: str, title_norm: str | None, *, boiler: bool | None = None) -> Line:
    """Give one block of visible page text its kind.

    boiler: whether the block holds a boilerplate phrase, when the caller found out for a whole page at once
    (see `boilerplate_lines`); None means "look".
    """
    words = word_count(text)
    low = text.lower()
    if title_norm and abs(len(text) - len(title_norm)) < 8 and norm(text) == title_norm:
        return Line(text, Kind.TITLE, words)
    if words <= 6:
        agency = _agency(low)
        if agency:
            return Line(text, Kind.AGENCY, words, value=agency)
    if words <= 14:
        stamp = parse_timestamp(text)
        if stamp:
            return Line(text, Kind.TIMESTAMP, words, timestamp=stamp)
        if low.startswith(_BYLINE_PREFIXES):
            byline = _BYLINE.match(text)
            if byline:
                return Line(text, Kind.BYLINE, words, value=byline.group("names"))
    if low.startswith("(with") or low.startswith("with reporting") or low.startswith("additional reporting"):
        reporting = _WITH_REPORTING.match(text)
        if reporting:
            return Line(text, Kind.AGENCY, words, value=WIRE_AGENCIES[reporting.group("name").lower()])
    return Line(text, _shape(text, low, words, boiler), words)


def _agency(low: str) -> str | None:
    key = low.strip(_AGENCY_STRIP)
    for prefix in _AGENCY_PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix) :].strip(_AGENCY_STRIP)
    return WIRE_AGENCIES.get(key)


def _shape(text: str, low: str, words: int, boiler: bool | None) -> Kind:
    if _caption_hint(low) and _CAPTION.search(text):
        return Kind.CAPTION
    if words <= 16 and low.startswith(_MARKERS):
        return Kind.MARKER
    if boiler if boiler is not None else _BOILER.search(low):
        return Kind.BOILER
    menu = " | " in text or " • " in text or " · " in text or " » " in text
    if menu and all(word_count(p) <= 4 for p in _MENU_SEP.split(text)):
        return Kind.MENU
    if (" / " in text or " > " in text or " › " in text) and all(word_count(p) <= 6 for p in _SLASH_SEP.split(text)):
        return Kind.SLASH
    if words >= 4 and text[-1] in _SENTENCE_END:
        return Kind.PROSE
    if words >= 15:
        return Kind.LONG
    return Kind.SHORT


_BOILER_KEYS = (
    "cookie", "comment", "reader", "moderat", "newsletter", "subscri", "sign up", "signing up", "rights reserved",
    "copyright", "terms of", "privacy", "log in", "login", "javascript", "browser", "download", "endorse", "©",
)  # fmt: skip


def boilerplate_lines(blocks: list[str]) -> set[int]:
    """Indices of the blocks holding a boilerplate phrase. Substring search over the whole page for the phrases'
    stems (fast), then the full pattern on the few blocks that have one."""
    text = "\n".join(blocks).lower()
    starts = [0]
    for block in blocks[:-1]:
        starts.append(starts[-1] + len(block) + 1)
    candidates: set[int] = set()
    for stem in _BOILER_KEYS:
        at = text.find(stem)
        while at != -1:
            line = bisect_right(starts, at) - 1
            candidates.add(line)
            at = text.find(stem, starts[line + 1] if line + 1 < len(starts) else len(text))
    return {i for i in candidates if _BOILER.search(blocks[i])}


def _caption_hint(low: str) -> bool:
    return (
        low.endswith(")")
        or "photo" in low
        or "image" in low
        or "credit" in low
        or "getty" in low
        or "shutterstock" in low
        or "illustration" in low
        or "foto" in low
        or "bild" in low
        or "/ " in low
        or "picture" in low
    )


def slash_parts(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in _SLASH_SEP.split(text) if p.strip())


def block_key(text: str) -> str:
    """Case and the punctuation around a block do not count: equal keys, same block (a caption printed twice)."""
    return text.lower().strip(_EDGE_PUNCT)
