"""Event dates: a date expression resolved against the publication date, with its precision kept.

Rules first for what dateparser does not handle ("last month", "a month after", "earlier this year", weekdays
relative to the article's day, "the weekend"), then dateparser's own reading with RELATIVE_BASE set.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from dateparser.date import DateDataParser

from newsgraph.models import DatePrecision

ResolvedDate = tuple[str, DatePrecision]

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "several": 3,
    "few": 3,
    "a few": 3,
}
_UNITS = {"day": 1, "week": 7, "month": 30, "year": 365}
_AGO = re.compile(
    r"\b(?P<n>a|an|one|two|three|four|five|six|\d+)\s+(?P<unit>day|week|month|year)s?\s+(?:ago|earlier|before)\b"
)
_AFTER = re.compile(r"\b(?P<n>a|an|one|two|three|four|five|six|\d+)\s+(?P<unit>day|week|month|year)s?\s+after\b")
_YEAR = re.compile(r"^(?:in\s+|since\s+|by\s+)?(?P<y>(?:19|20)\d{2})$")
_DURATION = re.compile(
    r"\b(?:\d+|two|three|four|five|six|several)[- ](?:day|week|month|year|hour)s?\b"
    r"|^(?:a|an|one)\s+(?:day|week|month|year)$"
)


@lru_cache(maxsize=256)
def _parser(base: date, future: bool) -> DateDataParser:
    """A dateparser reading relative to one publication day (cached: articles of a day share it)."""
    settings = {
        "PREFER_DAY_OF_MONTH": "first",
        "RELATIVE_BASE": datetime(base.year, base.month, base.day),
        "PREFER_DATES_FROM": "future" if future else "past",
    }
    return DateDataParser(languages=["en"], settings=settings)


def resolve(expression: str, published: str | None, *, future: bool = False) -> ResolvedDate | None:
    """Resolve a date expression; None when it is a duration or cannot be placed in time."""
    try:
        base = date.fromisoformat((published or "")[:10])
    except ValueError:
        return None  # no publication date, or one that is not a day: nothing to resolve against
    text = " ".join(expression.lower().replace("’", "'").split()).strip(" ,.")
    text = (
        re.sub(r"^(?:on|in|at|during|by|since|from|until|earlier|later)\s+(?=\w)", "", text)
        if not text.startswith(("earlier this", "later this"))
        else text
    )
    for rule in (_relative_words, _weekday, _counted, _year):
        found = rule(text, base, future)
        if found:
            return found
    if _DURATION.search(text) or not re.search(r"\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", text):
        return None
    return _dateparser(text, base, future)


def _relative_words(text: str, base: date, future: bool) -> ResolvedDate | None:
    month = base.replace(day=1)
    table: dict[str, ResolvedDate] = {
        "today": (base.isoformat(), "day"),
        "tonight": (base.isoformat(), "day"),
        "yesterday": ((base - timedelta(days=1)).isoformat(), "day"),
        "tomorrow": ((base + timedelta(days=1)).isoformat(), "day"),
        "last week": ((base - timedelta(days=7)).isoformat(), "week"),
        "this week": (base.isoformat(), "week"),
        "next week": ((base + timedelta(days=7)).isoformat(), "week"),
        "last month": (_add_months(month, -1).isoformat()[:7], "month"),
        "this month": (month.isoformat()[:7], "month"),
        "earlier this month": (month.isoformat()[:7], "month"),
        "next month": (_add_months(month, 1).isoformat()[:7], "month"),
        "last year": (str(base.year - 1), "year"),
        "this year": (str(base.year), "year"),
        "earlier this year": (str(base.year), "year"),
        "next year": (str(base.year + 1), "year"),
        "the weekend": (_weekend(base, future).isoformat(), "day"),
        "weekend": (_weekend(base, future).isoformat(), "day"),
        "this weekend": (_weekend(base, True).isoformat(), "day"),
        "last weekend": (_weekend(base, False).isoformat(), "day"),
    }
    return table.get(text)


def _weekday(text: str, base: date, future: bool) -> ResolvedDate | None:
    future = (future or text.startswith("next ")) and not text.startswith("last ")
    words = text.replace("last ", "").replace("this ", "").replace("next ", "").split()
    if len(words) > 2 or not words or words[0].rstrip("s") not in _WEEKDAYS:
        return None
    wanted = _WEEKDAYS.index(words[0].rstrip("s"))
    delta = (base.weekday() - wanted) % 7
    day = base + timedelta(days=(7 - delta) % 7) if future else base - timedelta(days=delta)
    return day.isoformat(), "day"


def _counted(text: str, base: date, future: bool) -> ResolvedDate | None:
    match = _AGO.search(text) or _AFTER.search(text)
    if not match:
        return None
    n = int(match.group("n")) if match.group("n").isdigit() else _NUMBERS[match.group("n")]
    unit = match.group("unit")
    if unit == "month":
        return _add_months(base.replace(day=1), -n).isoformat()[:7], "month"
    if unit == "year":
        return str(base.year - n), "year"
    day = base - timedelta(days=n * _UNITS[unit])
    return day.isoformat(), "day" if unit == "day" else "week"


def _year(text: str, base: date, future: bool) -> ResolvedDate | None:
    match = _YEAR.match(text)
    return (match.group("y"), "year") if match else None


def _dateparser(text: str, base: date, future: bool) -> ResolvedDate | None:
    try:
        data = _parser(base, future).get_date_data(text)
    except (ValueError, OverflowError):
        return None
    if data.date_obj is None:
        return None
    moment = data.date_obj.date()
    period = data.period or "day"
    if period == "year":
        return str(moment.year), "year"
    if period == "month":
        return moment.isoformat()[:7], "month"
    return moment.isoformat(), "week" if period == "week" else "day"


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1, day=1)


def _weekend(base: date, future: bool) -> date:
    delta = (base.weekday() - 5) % 7
    return base + timedelta(days=(7 - delta) % 7) if future else base - timedelta(days=delta or 7)
