"""Timestamp lines of news pages: "Last modified: 18 October, 2023, 04:05 pm" -> ("modified", "2023-10-18T16:05")."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

import dateparser

TimestampKind = Literal["published", "modified"]

_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DATE_HINT = re.compile(rf"\b(?:{_MONTH})\b|\d{{4}}-\d{{2}}-\d{{2}}|\b\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}\b", re.I)
_PREFIX = re.compile(
    r"^\s*(?P<kind>first published|published|posted|created|last updated|updated|last modified|modified|"
    r"date|dated)?\s*(?:on|at)?\s*[:\-–]?\s*",
    re.I,
)
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
# Zone abbreviations that news pages print, as UTC offsets.
TZ_OFFSETS = {
    "UTC": "+00:00",
    "GMT": "+00:00",
    "BST": "+01:00",
    "CET": "+01:00",
    "CEST": "+02:00",
    "EET": "+02:00",
    "EEST": "+03:00",
    "MSK": "+03:00",
    "IST": "+05:30",
    "PKT": "+05:00",
    "ICT": "+07:00",
    "WIB": "+07:00",
    "SGT": "+08:00",
    "HKT": "+08:00",
    "CST": "-06:00",
    "CDT": "-05:00",
    "KST": "+09:00",
    "JST": "+09:00",
    "AEST": "+10:00",
    "AEDT": "+11:00",
    "EST": "-05:00",
    "EDT": "-04:00",
    "PST": "-08:00",
    "PDT": "-07:00",
    "MST": "-07:00",
    "MDT": "-06:00",
}
_TZ = re.compile(r"\b(" + "|".join(TZ_OFFSETS) + r")\b")
_MAX_WORDS = 12
_SETTINGS = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month", "year"]}


def parse_timestamp(line: str) -> tuple[TimestampKind, str] | None:
    """Recognise a line that is only a timestamp (with an optional label); return its kind and ISO form.

    The ISO form keeps what the page printed: date only, or local clock time to the minute, with the UTC
    offset when the page gives one (a zone abbreviation such as BST counts).
    """
    text = line.strip()
    if not text or len(text.split()) > _MAX_WORDS or "ago" in text.lower() or not _DATE_HINT.search(text):
        return None
    match = _PREFIX.match(text)
    label = (match.group("kind") or "").lower() if match else ""
    rest = text[match.end() :] if match else text
    kind: TimestampKind = "modified" if ("updat" in label or "modif" in label) else "published"
    iso = _iso_from(rest)
    return (kind, iso) if iso else None


def _iso_from(text: str) -> str | None:
    text = text.strip().rstrip(".")
    if _ISO.match(text):
        return _normalise_iso(text)
    zone = _TZ.search(text)
    offset = TZ_OFFSETS[zone.group(1)] if zone else None
    bare = _TZ.sub("", text).replace(" at ", " ").strip(" ,|")
    if re.search(
        r"[a-z]{3,}",
        re.sub(rf"\b(?:{_MONTH}|mon|tue|wed|thu|fri|sat|sun)\w*\b|\b[ap]\.?m\.?\b", "", bare, flags=re.I),
        re.I,
    ):
        return None  # other words than date parts: a sentence that mentions a date, not a timestamp line
    parsed = dateparser.parse(bare, languages=["en"], settings=_SETTINGS)
    if parsed is None:
        return None
    return _format(parsed, has_time=bool(_TIME.search(bare)), offset=offset)


def _normalise_iso(text: str) -> str:
    text = text.replace(" ", "T", 1)
    offset = _OFFSET.search(text)
    if offset and "T" in text:
        head = text[: offset.start()]
        zone = "+00:00" if offset.group(0) == "Z" else _colon(offset.group(0))
        return head[:16] + zone
    return text[:16] if "T" in text else text[:10]


def _colon(offset: str) -> str:
    return offset if ":" in offset else f"{offset[:3]}:{offset[3:]}"


def _format(moment: datetime, *, has_time: bool, offset: str | None) -> str:
    if not has_time:
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%dT%H:%M") + (offset or "")
