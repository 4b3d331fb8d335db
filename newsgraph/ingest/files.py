"""Read documents from files, folders and globs into Pages; a document that cannot be read becomes a DocError."""

from __future__ import annotations

import codecs
import glob
import hashlib
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from newsgraph.models import DocError, Page, PageFormat, ToFetch

if TYPE_CHECKING:
    from newsgraph.ingest.readers import RecordFields

InputFormat = str  # "auto" | "page" | "html" | "text"

_HEADER = re.compile(r"^\s*date\s+\d{4}-\d{2}-\d{2}\b")
_HTML = re.compile(r"<!doctype html|<html[\s>]|<body[\s>]|<head[\s>]", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
MAX_BYTES = 50 * 1024 * 1024


class UnreadableDocument(ValueError):
    """The bytes are not a text document newsgraph can read (the message says why)."""


def iter_paths(inputs: Sequence[str]) -> Iterator[Path]:
    """Files named, files under folders (recursively, sorted, hidden ones skipped) and glob matches."""
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path)))
        elif path.exists():
            yield path
        else:
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                raise FileNotFoundError(f"{item}: no such file, folder or glob match")
            yield from (Path(m) for m in matches if Path(m).is_file())


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def decode(data: bytes) -> str:
    """Bytes -> text, or UnreadableDocument naming the reason (empty, binary, not UTF-8)."""
    if not data.strip():
        raise UnreadableDocument("empty file")
    if len(data) > MAX_BYTES:
        raise UnreadableDocument(f"file too large ({len(data)} bytes; limit {MAX_BYTES})")
    utf16 = _utf16(data)
    if utf16 is not None:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError as exc:
            raise UnreadableDocument(f"not valid {utf16.upper()} text (at offset {exc.start})") from exc
        return _text(text)
    if b"\x00" in data[:8192]:
        raise UnreadableDocument("binary file (NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableDocument(f"not valid UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})") from exc
    return _text(text)


def _text(text: str) -> str:
    sample = text[:8192]
    if len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise UnreadableDocument("binary file (control characters), not text")
    return text


def _utf16(data: bytes) -> str | None:
    """ "utf-16" (with a byte-order mark), "utf-16-le" or "utf-16-be" (without one: NUL in nearly every high byte,
    as in text that is mostly Latin script), else None."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = data[:8192]
    if len(head) < 16:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.1 * len(odd):
        return "utf-16-be"
    return None


def sniff(text: str) -> PageFormat:
    """The format from the content: a flattened page's header line, HTML markup, or plain text."""
    head = text.lstrip("\ufeff")[:2048]
    if _HEADER.match(head.split("\n", 1)[0]):
        return "page"
    if _HTML.search(head):
        return "html"
    return "text"


def read_page(path: Path, fmt: InputFormat = "auto", date: str | None = None) -> Page | DocError:
    """One file -> a Page, or a DocError naming the file and the reason."""
    origin = str(path)
    try:
        data = path.read_bytes()
        text = decode(data)
    except (OSError, UnreadableDocument) as exc:
        return DocError(
            origin=origin,
            stage="ingest",
            reason=str(exc) if isinstance(exc, UnreadableDocument) else f"cannot read: {exc.strerror or exc}",
        )
    kind: PageFormat = sniff(text) if fmt == "auto" else fmt  # type: ignore[assignment]
    digest = hashlib.sha256(data).hexdigest()
    return Page(origin=origin, content=text, fmt=kind, date=date, content_hash=digest)


def read_pages(
    inputs: Sequence[str], fmt: InputFormat = "auto", date: str | None = None, fields: RecordFields | None = None
) -> Iterator[Page | DocError | ToFetch]:
    """Every document of every input: files, folders, globs, and "-" for standard input. A file may hold many
    documents (WARC, feed, JSONL/CSV, gzip or zip of these): its format is sniffed from its bytes."""
    from newsgraph.ingest.readers import RecordFields, read_source

    fields = fields or RecordFields()
    for item in inputs:
        if item == "-":
            yield from read_source("-", sys.stdin.buffer.read(), fmt=fmt, date=date, fields=fields)
            continue
        for path in iter_paths([item]):
            try:
                data = path.read_bytes()
            except OSError as exc:
                yield DocError(origin=str(path), stage="ingest", reason=f"cannot read: {exc.strerror or exc}")
                continue
            yield from read_source(str(path), data, fmt=fmt, date=date, fields=fields)
