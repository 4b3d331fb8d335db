"""Read article records from JSON Lines and CSV files: one Page per record, one DocError per bad record.

Field names differ between scrapers and datasets, so they are looked up (case-insensitively) from RecordFields.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import IO

from newsgraph.ingest.files import sniff
from newsgraph.models import DocError, Page, PageFormat

_CSV_FIELD_LIMIT = 256 * 1024 * 1024
_ISO_DAY = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s])")
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?(?:\.\d+)?$")
_UNDECODABLE = re.compile(r"[\udc80-\udcff]")
_FIRST_EPOCH_YEAR, _LAST_EPOCH_YEAR = 1990, 2100


@dataclass(frozen=True, slots=True)
class RecordFields:
    """Which record fields hold the article text, its HTML, URL, date and title (the first present one wins)."""

    text: tuple[str, ...] = ("text", "content", "body", "article", "maintext")
    html: tuple[str, ...] = ("html", "raw_html", "page")
    url: tuple[str, ...] = ("url", "link", "uri", "source_url")
    date: tuple[str, ...] = ("date", "published", "date_publish", "publish_date", "pubdate", "timestamp")
    title: tuple[str, ...] = ("title", "headline")


def day_of(value: object) -> str | None:
    """A publication value -> "YYYY-MM-DD" (ISO date/timestamp, RFC 822 date, epoch seconds/ms), else None.

    The day is the one written in the value (its own time zone), never shifted to UTC and never guessed.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    if isinstance(value, str):
        text = value.strip()
        if _EPOCH.match(text):
            return _epoch_day(float(text))
        return _iso_day(text) or _rfc822_day(text)
    return _epoch_day(float(value))


def _iso_day(text: str) -> str | None:
    match = _ISO_DAY.match(text)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None


def _rfc822_day(text: str) -> str | None:
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _epoch_day(seconds: float) -> str | None:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    try:
        moment = datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return moment.date().isoformat() if _FIRST_EPOCH_YEAR <= moment.year <= _LAST_EPOCH_YEAR else None


def is_jsonl(head: str) -> bool:
    """Whether text opens like JSON Lines: the first non-blank line starts with "{"."""
    first = next((line for line in head.splitlines() if line.strip()), "")
    return first.lstrip().startswith("{")


_MAX_FIELD_NAME = 100


def csv_delimiter(head: str, fields: RecordFields) -> str | None:
    """The delimiter ("," or tab) when the first line is a CSV header naming a text or HTML field, else None. A
    line of markup is no header, even when a comma-split piece of it happens to read "text"."""
    line = head.split("\n", 1)[0].rstrip("\r")
    if line.lstrip("\ufeff \t").startswith("<"):
        return None
    delimiter = "\t" if "\t" in line else ","
    try:
        cells = next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return None
    names = {cell.strip().lower() for cell in cells}
    wanted = {name.lower() for name in (*fields.text, *fields.html)}
    if any(len(cell) > _MAX_FIELD_NAME or "<" in cell or "=" in cell for cell in cells):
        return None
    return delimiter if len(cells) >= 2 and names & wanted else None


def read_jsonl(origin: str, stream: IO[bytes], date: str | None, fields: RecordFields) -> Iterator[Page | DocError]:
    """One Page per JSON object line; a line that is not a usable record becomes a DocError and reading goes on."""
    for number, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        where = f"{origin}:{number}"
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield _error(where, f"line {number}: not valid UTF-8 text (byte 0x{exc.object[exc.start]:02x})")
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            yield _error(where, f"line {number}: invalid JSON ({exc})")
            continue
        except RecursionError:
            yield _error(where, f"line {number}: JSON nested too deeply to read")
            continue
        if not isinstance(record, dict):
            yield _error(where, f"line {number}: a JSON {type(record).__name__}, not an object")
            continue
        yield record_page(where, f"line {number}", record, date, fields)


def read_csv(
    origin: str, stream: IO[bytes], delimiter: str, date: str | None, fields: RecordFields
) -> Iterator[Page | DocError]:
    """One Page per CSV row after the header; rows are numbered as in a spreadsheet (the header is row 1)."""
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    rows = csv.reader(text, delimiter=delimiter)
    header = [name.strip() for name in next(rows, [])]
    number = 1
    try:
        for row in rows:
            number += 1
            if not any(cell.strip() for cell in row):
                continue
            where = f"{origin}:{number}"
            if any(_UNDECODABLE.search(cell) for cell in row):
                yield _error(where, f"row {number}: not valid UTF-8 text")
                continue
            yield record_page(where, f"row {number}", dict(zip(header, row, strict=False)), date, fields)
    except csv.Error as exc:
        number += 1
        yield _error(f"{origin}:{number}", f"row {number}: malformed CSV ({exc}); the rest of the file is skipped")
    finally:
        text.detach()


def record_page(
    origin: str, where: str, record: Mapping[str, object], date: str | None, fields: RecordFields
) -> Page | DocError:
    """One record -> a Page from its first text (or HTML) field, with its URL, date and title when present."""
    lookup = {str(key).strip().lower(): value for key, value in record.items()}
    title = _first(lookup, fields.title)
    text = _first(lookup, fields.text)
    kind: PageFormat
    if text is not None:
        kind = sniff(text)
        content = _titled(title, text) if kind == "text" else text
    else:
        html = _first(lookup, fields.html)
        if html is None:
            expected = ", ".join((*fields.text, *fields.html))
            return _error(origin, f"{where}: no text field (expected one of: {expected})")
        kind, content = "html", html
    return Page(
        origin=origin,
        content=content,
        fmt=kind,
        date=_first_day(lookup, fields.date) or date,
        url=_first(lookup, fields.url),
        content_hash=hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest(),
    )


def _first(record: Mapping[str, object], names: tuple[str, ...]) -> str | None:
    """The first named field holding a non-blank string (names are matched case-insensitively)."""
    for name in names:
        value = record.get(name.lower())
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _first_day(record: Mapping[str, object], names: tuple[str, ...]) -> str | None:
    for name in names:
        day = day_of(record.get(name.lower()))
        if day:
            return day
    return None


def _titled(title: str | None, text: str) -> str:
    """Clean text with its title as the first line (unless the text already starts with it)."""
    return text if not title or text.startswith(title) else f"{title}\n{text}"


def _error(origin: str, reason: str) -> DocError:
    return DocError(origin=origin, stage="ingest", reason=reason)


__all__ = ["RecordFields", "csv_delimiter", "day_of", "is_jsonl", "read_csv", "read_jsonl", "record_page"]
