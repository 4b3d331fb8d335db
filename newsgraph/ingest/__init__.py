"""Ingest: the I/O edge where documents arrive. Readers yield Page, ToFetch (a feed's link without content) or
DocError (a document that cannot be read, with the reason)."""

from newsgraph.ingest.files import (
    UnreadableDocument,
    decode,
    iter_paths,
    read_page,
    read_pages,
    sniff,
)
from newsgraph.ingest.readers import RecordFields, read_source

__all__ = [
    "RecordFields",
    "UnreadableDocument",
    "decode",
    "iter_paths",
    "read_page",
    "read_pages",
    "read_source",
    "sniff",
]
