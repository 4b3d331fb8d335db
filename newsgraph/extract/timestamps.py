"""Timestamp lines of news pages: "Last modified: 18 October, 2023, 04:05 pm" -> ("modified", "2023-10-18T16:05").

A small parser of its own for the formats news pages print (it runs on every short line of a page, so it must
cost microseconds): day, month name or number, year in any common order; clock time with am/pm; a UTC offset or
a zone abbreviation.
"""

from __future__ import annotations

import re
from typing import Literal

TimestampKind = Literal["published", "modified"]

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
# Month names of the languages news pages are most often in (the word as printed, lower case, and its stems).
_MONTH_NAMES = {
    1: "januar januari janvier enero gennaio janeiro stycznia января ocak tammikuuta",
    2: "februar februari février fevrier febrero febbraio fevereiro lutego февраля şubat subat helmikuuta",
    3: "märz maerz maart mars marzo março marca марта mart maaliskuuta",
    4: "avril abril aprile kwietnia апреля nisan huhtikuuta",
    5: "mai mei maj mayo maggio maio maja мая mayıs mayis toukokuuta",
    6: "juni juin junio giugno junho czerwca июня haziran kesäkuuta",
    7: "juli juillet julio luglio julho lipca июля temmuz heinäkuuta",
    8: "augustus augusti août aout agosto sierpnia августа ağustos agustos elokuuta",
    9: "septembre septiembre settembre setembro września сентября eylül eylul syyskuuta",
    10: "oktober octobre octubre ottobre outubro października октября ekim lokakuuta",
    11: "novembre noviembre novembro listopada ноября kasım kasim marraskuuta",
    12: "dezember desember december décembre decembre diciembre dicembre dezembro grudnia декабря aralık aralik "
    "joulukuuta",
}  # fmt: skip
for _number, _names in _MONTH_NAMES.items():
    for _name in _names.split():
        MONTHS.setdefault(_name, _number)
# Zone abbreviations that news pages print, as UTC offsets.
TZ_OFFSETS = {
    "utc": "+00:00", "gmt": "+00:00", "bst": "+01:00", "cet": "+01:00", "cest": "+02:00", "eet": "+02:00",
    "eest": "+03:00", "msk": "+03:00", "ist": "+05:30", "pkt": "+05:00", "ict": "+07:00", "wib": "+07:00",
    "sgt": "+08:00", "hkt": "+08:00", "cst": "-06:00", "cdt": "-05:00", "kst": "+09:00", "jst": "+09:00",
    "aest": "+10:00", "aedt": "+11:00", "est": "-05:00", "edt": "-04:00", "pst": "-08:00", "pdt": "-07:00",
    "mst": "-07:00", "mdt": "-06:00", "z": "+00:00",
}  # fmt: skip
_FILLER = {
    "on", "at", "the", "of", "am", "pm", "a.m", "p.m", "a.m.", "p.m.", "hrs", "h", "mon", "monday", "tue", "tues",
    "tuesday", "wed", "wednesday", "thu", "thur", "thurs", "thursday", "fri", "friday", "sat", "saturday", "sun",
    "sunday", "et", "pt", "local", "time", "th", "st", "nd", "rd", "uhr", "um", "le", "à", "de", "del", "el",
    "du", "om", "kl", "klo", "alle", "ore", "às", "г", "в", "года", "tarihinde", "saat", "godz", "hod",
}  # fmt: skip
_LABEL = re.compile(
    r"^\s*(?P<label>first published|published|posted|created|last updated|updated|last modified|modified|"
    r"date|dated|veröffentlicht|aktualisiert|publié|mis à jour|publicado|actualizado|pubblicato|aggiornato|"
    r"gepubliceerd|bijgewerkt|publisert|oppdatert|publicerad|uppdaterad|opublikowano|aktualizacja|"
    r"опубликовано|обновлено|yayınlanma|güncelleme)?\s*(?:on|at|am|le|el|il|om|den)?\s*[:\-–|]?\s*",
    re.I,
)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?")
_MODIFIED_LABELS = (
    "last",
    "updat",
    "modif",
    "aktualis",
    "mis à",
    "actualiz",
    "aggiorn",
    "bijgew",
    "oppdat",
    "uppdat",
    "обновл",
    "güncel",
)
_YMD = re.compile(r"\b(\d{4})\s*[./年년-]\s*(\d{1,2})\s*[./月월-]\s*(\d{1,2})\s*[.日일]?")
_NUMERIC = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")
_TIME = re.compile(r"\b(\d{1,2})[:.](\d{2})(?::\d{2})?\s*([ap])?\.?\s*m?\.?(?![\w])", re.I)
_OFFSET = re.compile(r"(?:UTC|GMT)?\s*([+-])(\d{1,2}):?(\d{2})?\b")
_TOKEN = re.compile(r"[^\W\d_]+\.?|\d+")
_MAX_LEN = 80
_DIGIT = re.compile(r"\d")


def parse_timestamp(line: str) -> tuple[TimestampKind, str] | None:
    """Recognise a line that is only a timestamp (with an optional label); return its kind and ISO form.

    The ISO form keeps what the page printed: date only, or local clock time to the minute, with the UTC
    offset when the page gives one.
    """
    if len(line) > _MAX_LEN or _DIGIT.search(line) is None:
        return None
    text = line.strip()
    match = _LABEL.match(text)
    label = (match.group("label") or "").lower() if match else ""
    kind: TimestampKind = "modified" if label.startswith(_MODIFIED_LABELS) or "updat" in label else "published"
    iso = parse_date_text(text[match.end() :] if match else text)
    return (kind, iso) if iso else None


def parse_date_text(text: str) -> str | None:
    """A date (and time) written in one of the common ways, and nothing else; None otherwise."""
    iso = _ISO.search(text)
    if iso:
        return _iso_match(iso) if _only_dates(text[: iso.start()] + text[iso.end() :]) else None
    low = text.lower()
    numeric = _numeric_date(low)
    clock, rest = _clock(numeric[1] if numeric else low)
    date, rest = (numeric[0], rest) if numeric else (_named_date(rest) or (None, rest))
    if date is None:
        return None
    offset, rest = _offset(rest)
    if not _only_dates(rest):
        return None
    return date + (f"T{clock}{offset or ''}" if clock else "")


def _iso_match(match: re.Match[str]) -> str:
    year, month, day, hour, minute, zone = match.groups()
    if hour is None:
        return f"{year}-{month}-{day}"
    offset = "" if zone is None else "+00:00" if zone == "Z" else _colon(zone)
    return f"{year}-{month}-{day}T{hour}:{minute}{offset}"


def _colon(offset: str) -> str:
    return offset if ":" in offset else f"{offset[:3]}:{offset[3:]}"


def _numeric_date(low: str) -> tuple[str, str] | None:
    ymd = _YMD.search(low)
    if ymd:
        year, month, day = ymd.group(1), int(ymd.group(2)), int(ymd.group(3))
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year}-{month:02d}-{day:02d}", low[: ymd.start()] + " " + low[ymd.end() :]
    match = _NUMERIC.search(low)
    if not match:
        return None
    first, second, year = int(match.group(1)), int(match.group(2)), match.group(3)
    day, month = (second, first) if first <= 12 < second else (first, second)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year}-{month:02d}-{day:02d}", low[: match.start()] + " " + low[match.end() :]


def _named_date(low: str) -> tuple[str, str] | None:
    tokens = _TOKEN.findall(low)
    month = next((MONTHS[t.rstrip(".")] for t in tokens if t.rstrip(".") in MONTHS), None)
    years = [t for t in tokens if len(t) == 4 and t.isdigit() and t.startswith(("19", "20"))]
    days = [int(t) for t in tokens if t.isdigit() and len(t) <= 2 and 1 <= int(t) <= 31]
    if month is None or not years or not days:
        return None
    rest = " ".join(t for t in tokens if t.rstrip(".") not in MONTHS and t != years[0])
    rest = rest.replace(str(days[0]), " ", 1)
    return f"{years[0]}-{month:02d}-{days[0]:02d}", rest


def _clock(text: str) -> tuple[str | None, str]:
    match = _TIME.search(text)
    if not match:
        return None, text
    hour, minute, half = int(match.group(1)), int(match.group(2)), (match.group(3) or "").lower()
    if half == "p" and hour < 12:
        hour += 12
    elif half == "a" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None, text
    return f"{hour:02d}:{minute:02d}", text[: match.start()] + " " + text[match.end() :]


def _offset(text: str) -> tuple[str | None, str]:
    for token in _TOKEN.findall(text):
        if token in TZ_OFFSETS and token != "z":
            return TZ_OFFSETS[token], text.replace(token, " ", 1)
    match = _OFFSET.search(text)
    if match:
        sign, hours, minutes = match.group(1), int(match.group(2)), match.group(3) or "00"
        return f"{sign}{hours:02d}:{minutes}", text[: match.start()] + " " + text[match.end() :]
    return None, text


def _only_dates(rest: str) -> bool:
    """What is left once the date is read holds no other words (so the line was only a timestamp)."""
    for token in _TOKEN.findall(rest.lower()):
        if token.isdigit():
            if len(token) > 2 and not token.startswith(("19", "20")):
                return False
            continue
        if token.rstrip(".") not in _FILLER and token.rstrip(".") not in MONTHS and token not in TZ_OFFSETS:
            return False
    return True
