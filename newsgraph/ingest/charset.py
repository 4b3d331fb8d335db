"""Decode web documents (HTML or text fetched over HTTP) whose bytes may be in a legacy character set.

Plain text files must be UTF-8 (see files.decode); web pages often are not, and often say so only in a <meta> tag or
not at all, so this module reads the declaration and falls back to detection.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from newsgraph.ingest.files import UnreadableDocument, decode, sniff

_DECLARATION_WINDOW = 4096
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:+-]+)", re.I)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.:+-]+)", re.I)
_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:+-]+)", re.I)
# Browsers read these labels as windows-1252 (WHATWG Encoding Standard); so do we, so that curly quotes survive.
_AS_WINDOWS_1252 = {"ascii", "latin_1", "iso8859-1"}


def looks_like_html(data: bytes) -> bool:
    """Whether the bytes open like an HTML page (the same test as files.sniff, applied before decoding)."""
    return sniff(data[:2048].decode("latin-1")) == "html"


def charset_of_content_type(content_type: str | None) -> str | None:
    """The charset parameter of an HTTP Content-Type header value, if any."""
    match = _HTTP_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML/XML document declares in its first 4 KB (<meta charset>, http-equiv, <?xml encoding?>)."""
    head = data[:_DECLARATION_WINDOW]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii") if match else None


def codec_name(label: str | None) -> str | None:
    """A Python codec for a charset label, or None when the label is absent or unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    return "cp1252" if name in _AS_WINDOWS_1252 else name


def decode_web(data: bytes, declared: str | None = None) -> str:
    """Web bytes -> text: UTF-8 when the bytes are valid UTF-8, else the declared charset, else a detected one.

    Valid UTF-8 wins over a declaration because pages mislabelled as Latin-1 are common, while legacy-encoded text
    that happens to be valid UTF-8 is vanishingly rare. Raises UnreadableDocument (empty, binary, too large, unknown).
    """
    try:
        return decode(data)
    except UnreadableDocument as exc:
        if not isinstance(exc.__cause__, UnicodeDecodeError):
            raise
    charset = codec_name(declared) or codec_name(declared_charset(data))
    if charset is not None:
        try:
            return data.decode(charset)
        except UnicodeDecodeError:
            pass  # the declaration is wrong: detect instead
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise UnreadableDocument("character encoding could not be determined (not UTF-8 and no usable charset)")
    return str(best)
