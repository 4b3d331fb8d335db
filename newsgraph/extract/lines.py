"""Classify the lines of a flattened page: what each block of visible text is (body prose, byline, caption, ...)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

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
    "reuters": "Reuters",
    "ap": "AP",
    "associated press": "AP",
    "the associated press": "AP",
    "afp": "AFP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "yonhap": "Yonhap",
    "kyodo": "Kyodo",
    "xinhua": "Xinhua",
    "tass": "TASS",
    "interfax": "Interfax",
    "ria novosti": "RIA Novosti",
    "dpa": "dpa",
    "ansa": "ANSA",
    "efe": "EFE",
    "pti": "PTI",
    "ani": "ANI",
    "ians": "IANS",
    "bernama": "Bernama",
    "anadolu": "Anadolu",
    "anadolu agency": "Anadolu",
    "upi": "UPI",
    "bloomberg": "Bloomberg",
    "kcna": "KCNA",
    "staff and agencies": "Staff and agencies",
    "agencies": "Agencies",
    "news agencies": "Agencies",
    "cnn wire": "CNN Wire",
    "aap": "AAP",
    "ips": "IPS",
}
_AGENCY_NAMES = "|".join(sorted((re.escape(k) for k in WIRE_AGENCIES), key=len, reverse=True))
_AGENCY_LINE = re.compile(rf"^(?:by\s+|source:\s*|\(|—\s*|-\s*)?(?P<name>{_AGENCY_NAMES})\)?\.?$", re.I)
_WITH_REPORTING = re.compile(
    rf"^(?:\(?(?:with|additional) reporting (?:by|from)\s+(?P<name>{_AGENCY_NAMES})\b.*)$", re.I
)
_BYLINE = re.compile(
    r"^(?:by|words by|written by|reporting by)\s+(?P<names>[A-Z][\w.'’-]+(?:[ ,]+(?:and\s+)?[A-Z&][\w.'’-]*)*)\s*$",
    re.I,
)
_CAPTION = re.compile(
    r"\b(?:photo|photograph|image|picture|file photo|photo credit|credit|illustration)\s*:\s*\S"
    r"|\((?:[^()]*\b(?:via|photo|getty|epa|afp|reuters|ap|kcna|yonhap|xinhua|tass|file)\b[^()]*)\)\s*$"
    r"|\b(?:getty images|shutterstock|/ ?afp|/ ?reuters|/ ?ap|/ ?epa)\s*$",
    re.I,
)
_MARKER = re.compile(
    r"^(?:read more|read also|also read|see also|related(?: news| stories| articles| content| coverage)?|"
    r"more on this|recommended|advertisement|sponsored|story continues below|continue reading|"
    r"share(?: this| on| via)?|click here|watch|listen|follow us|follow)\b",
    re.I,
)
_BOILER = re.compile(
    r"\b(?:cookies?|comments? (?:will|are|policy)|readers[’']? (?:own )?(?:views|comments)|moderation|"
    r"newsletter|subscribe|sign up|signing up|all rights reserved|copyright|©|terms of (?:use|service)|"
    r"privacy policy|log ?in to|javascript|your browser|download (?:our|the) app|does not endorse)\b",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$|[\"'”’]$|:$")
_WORD = re.compile(r"\w+(?:[’'.-]\w+)*")
_MENU_SEP = re.compile(r"\s[|•·»]\s")
_SLASH_SEP = re.compile(r"\s+[/>›]\s+")


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    kind: Kind
    words: int
    timestamp: tuple[TimestampKind, str] | None = None
    value: str | None = None  # agency name or byline names


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def classify(text: str, title: str | None) -> Line:
    """Give one block of visible page text its kind."""
    words = word_count(text)
    norm = _norm(text)
    if title and norm == _norm(title):
        return Line(text, Kind.TITLE, words)
    agency = _AGENCY_LINE.match(text) or _WITH_REPORTING.match(text)
    if agency:
        return Line(text, Kind.AGENCY, words, value=WIRE_AGENCIES[agency.group("name").lower()])
    stamp = parse_timestamp(text) if words <= 12 else None
    if stamp:
        return Line(text, Kind.TIMESTAMP, words, timestamp=stamp)
    byline = _BYLINE.match(text) if words <= 12 else None
    if byline:
        return Line(text, Kind.BYLINE, words, value=byline.group("names"))
    return Line(text, _shape(text, words), words)


def _shape(text: str, words: int) -> Kind:
    if _CAPTION.search(text):
        return Kind.CAPTION
    if _MARKER.match(text) and (words <= 16 or ":" in text[:20]):
        return Kind.MARKER
    if _BOILER.search(text):
        return Kind.BOILER
    if _MENU_SEP.search(text) and all(word_count(p) <= 4 for p in _MENU_SEP.split(text)):
        return Kind.MENU
    if _SLASH_SEP.search(text) and all(word_count(p) <= 6 for p in _SLASH_SEP.split(text)):
        return Kind.SLASH
    if words >= 4 and _SENTENCE_END.search(text):
        return Kind.PROSE
    if words >= 15:
        return Kind.LONG
    return Kind.SHORT


def slash_parts(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in _SLASH_SEP.split(text) if p.strip())


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def same_block(a: str, b: str) -> bool:
    """Two blocks that differ only in punctuation and case (a standfirst and its body copy)."""
    return _norm(a) == _norm(b)
