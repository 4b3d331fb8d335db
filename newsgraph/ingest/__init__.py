"""Ingest: the I/O edge where documents arrive. Readers yield Page (or DocError for a document that cannot be read)."""

from newsgraph.ingest.files import (
    UnreadableDocument,
    decode,
    iter_paths,
    read_page,
    read_pages,
    sniff,
)

__all__ = ["UnreadableDocument", "decode", "iter_paths", "read_page", "read_pages", "sniff"]
