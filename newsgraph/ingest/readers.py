"""Read every document in one file's bytes: gzip and zip are opened, then WARC, RSS/Atom, JSONL, CSV or one page.

The container is recognised from the content, not from the file name, since saved crawls and feeds are often
misnamed. Bad input never raises: each unreadable document, record or archive becomes a DocError, and the file's
other documents are still read.
"""

from __future__ import annotations

import csv
import functools
import gzip
import hashlib
import io
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Literal

from newsgraph.ingest.charset import decode_web, looks_like_html
from newsgraph.ingest.feeds import is_feed, read_feed
from newsgraph.ingest.files import MAX_BYTES, UnreadableDocument, decode, sniff
from newsgraph.ingest.records import RecordFields, csv_delimiter, is_jsonl, read_csv, read_jsonl
from newsgraph.ingest.warc import read_warc
from newsgraph.models import DocError, Page, PageFormat, ToFetch

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

Document = Page | DocError | ToFetch
Opener = Callable[[], IO[bytes]]
Kind = Literal["gzip", "zip", "warc", "feed", "jsonl", "csv", "tsv", "document"]

FORMATS: tuple[str, ...] = ("auto", "page", "html", "text")
DEFAULT_FIELDS = RecordFields()
_HEAD_BYTES = 64 * 1024
_MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024
# What malformed input can make the standard library raise; anything else is a bug and should surface.
_BAD_INPUT: tuple[type[BaseException], ...] = (
    OSError,
    EOFError,
    ValueError,
    LookupError,
    RuntimeError,
    csv.Error,
    zlib.error,
    zipfile.BadZipFile,
)


@dataclass(frozen=True, slots=True)
class _Options:
    fmt: str
    date: str | None
    fields: RecordFields


def read_source(
    origin: str,
    data: bytes,
    *,
    fmt: str = "auto",
    date: str | None = None,
    fields: RecordFields = DEFAULT_FIELDS,
) -> Iterator[Page | DocError | ToFetch]:
    """All documents in one file's bytes (origin = the file path or "-" for stdin, used in every origin).

    fmt ("page", "html" or "text") overrides sniffing for single documents only; date is the publication day of
    documents that do not carry their own. Raises ValueError only for an unknown fmt, never for bad data.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return _guarded(origin, lambda: io.BytesIO(data), _Options(fmt, date, fields))


def container_kind(head: bytes, fields: RecordFields = DEFAULT_FIELDS) -> Kind:
    """What the first bytes of a file say it is: an archive, a record container, or a single document."""
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(b"WARC/"):
        return "warc"
    text = head.decode("utf-8", "replace").lstrip("\ufeff")
    if is_feed(text):
        return "feed"
    if is_jsonl(text):
        return "jsonl"
    delimiter = csv_delimiter(text, fields)
    if delimiter is not None:
        return "tsv" if delimiter == "\t" else "csv"
    return "document"


def _guarded(origin: str, open_source: Opener, options: _Options) -> Iterator[Document]:
    """The documents of a source; a failure nobody caught closer to its cause ends it with one DocError."""
    try:
        yield from _read(origin, open_source, options)
    except _BAD_INPUT as exc:
        yield _error(origin, f"unreadable: {exc}")


def _read(origin: str, open_source: Opener, options: _Options) -> Iterator[Document]:
    yield from _read_as(_kind_of(open_source, options.fields), origin, open_source, options)


def _kind_of(open_source: Opener, fields: RecordFields) -> Kind:
    with open_source() as stream:
        return container_kind(stream.read(_HEAD_BYTES), fields)


def _read_as(kind: Kind, origin: str, open_source: Opener, options: _Options) -> Iterator[Document]:
    if kind == "gzip":
        yield from _read_gzip(origin, open_source, options)
    elif kind == "zip":
        yield from _read_zip(origin, open_source, options)
    else:
        with open_source() as stream:
            yield from _read_stream(kind, origin, stream, options)


def _read_stream(kind: Kind, origin: str, stream: IO[bytes], options: _Options) -> Iterator[Document]:
    """The documents of an uncompressed, unarchived stream of the given kind."""
    if kind == "warc":
        yield from read_warc(origin, stream, options.date)
    elif kind == "jsonl":
        yield from read_jsonl(origin, stream, options.date, options.fields)
    elif kind in ("csv", "tsv"):
        yield from read_csv(origin, stream, "\t" if kind == "tsv" else ",", options.date, options.fields)
    else:
        data = stream.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            yield _error(origin, f"file too large (over {MAX_BYTES} bytes, the limit)")
        elif kind == "feed":
            yield from read_feed(origin, data, options.date)
        else:
            yield _document(origin, data, options)


def _document(origin: str, data: bytes, options: _Options) -> Page | DocError:
    """A single page: HTML in whatever charset it declares or uses; anything else must be UTF-8 text."""
    try:
        text = decode_web(data) if options.fmt == "html" or looks_like_html(data) else decode(data)
    except UnreadableDocument as exc:
        return _error(origin, str(exc))
    fmt: PageFormat = sniff(text) if options.fmt == "auto" else _page_format(options.fmt)
    return Page(origin=origin, content=text, fmt=fmt, date=options.date, content_hash=hashlib.sha256(data).hexdigest())


def _page_format(fmt: str) -> PageFormat:
    if fmt == "page":
        return "page"
    return "html" if fmt == "html" else "text"


class _SalvagedGzip(io.RawIOBase):
    """A gzip stream that ends quietly at the first damage and remembers it, so the records before it survive."""

    def __init__(self, compressed: IO[bytes]) -> None:
        super().__init__()
        self._compressed = compressed
        self._gzip = gzip.GzipFile(fileobj=compressed)
        self.damage: str | None = None
        self.detail = ""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        if self.damage is not None:
            return 0
        try:
            chunk = self._gzip.read1(len(memoryview(buffer)))
        except EOFError:
            self.damage = "truncated gzip stream"
            return 0
        except (OSError, zlib.error) as exc:
            self.damage = "corrupt gzip stream"
            self.detail = str(exc)
            return 0
        memoryview(buffer).cast("B")[: len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        if not self.closed:
            self._gzip.close()
            self._compressed.close()
        super().close()


def _read_gzip(origin: str, open_source: Opener, options: _Options) -> Iterator[Document]:
    """The documents inside a gzip stream; at damage, those read before it and then one DocError for the file.

    The inner item cut by the damage (a partial record's error, or a partial single document) is replaced by that
    one DocError rather than reported as if the document itself were bad.
    """
    opened: list[_SalvagedGzip] = []

    def open_inner() -> IO[bytes]:
        opened.append(_SalvagedGzip(open_source()))
        return io.BufferedReader(opened[-1])

    kind = _kind_of(open_inner, options.fields)
    count = 0
    for item, is_last in _with_last(_read_as(kind, origin, open_inner, options)):
        if is_last and opened[-1].damage is not None and (isinstance(item, DocError) or kind == "document"):
            break  # the item the damage cut short: the DocError below stands for it
        count += not isinstance(item, DocError)
        yield item
    source = opened[-1]
    if source.damage is not None:
        detail = f" ({source.detail})" if source.detail else ""
        yield _error(origin, f"{source.damage} after {count} document{'s' if count != 1 else ''}{detail}")


def _with_last(items: Iterable[Document]) -> Iterator[tuple[Document, bool]]:
    """Each item with whether it is the last one (known only once the source behind it is exhausted)."""
    iterator = iter(items)
    previous = next(iterator, None)
    while previous is not None:
        current = next(iterator, None)
        yield previous, current is None
        previous = current


def _read_zip(origin: str, open_source: Opener, options: _Options) -> Iterator[Document]:
    """Each member of a zip archive, read as a source of its own named "archive!member"."""
    with open_source() as stream:
        data = stream.read(_MAX_ARCHIVE_BYTES + 1)
    if len(data) > _MAX_ARCHIVE_BYTES:
        yield _error(origin, f"zip archive too large (over {_MAX_ARCHIVE_BYTES} bytes)")
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        yield _error(origin, f"corrupt zip archive ({exc})")
        return
    with archive:
        for info in archive.infolist():
            member = f"{origin}!{info.filename}"
            if ".." in info.filename.replace("\\", "/").split("/"):
                yield _error(member, "zip member name climbs out of the archive (..): not read")
                continue
            if info.is_dir() or _is_hidden_member(info.filename):
                continue
            try:
                yield from _read(member, functools.partial(archive.open, info), options)
            except _BAD_INPUT as exc:
                yield _error(member, f"unreadable zip member: {exc}")


def _is_hidden_member(name: str) -> bool:
    """Dot-files and macOS resource forks, which archivers add and nobody means as documents."""
    parts = [part for part in name.split("/") if part]
    return not parts or parts[0] == "__MACOSX" or any(part.startswith(".") for part in parts)


def _error(origin: str, reason: str) -> DocError:
    return DocError(origin=origin, stage="ingest", reason=reason)


__all__ = ["DEFAULT_FIELDS", "FORMATS", "Document", "RecordFields", "container_kind", "read_source"]
