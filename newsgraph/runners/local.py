"""The local runner: files in, analyses stored, one process, with progress and a per-document error record."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from newsgraph.ingest import read_pages
from newsgraph.models import Analysis, DocError, Page
from newsgraph.pipeline import Resources, analyze_pages
from newsgraph.store.sqlite import SqliteStore


@dataclass(frozen=True, slots=True)
class IngestSummary:
    pages: int
    stored: int
    skipped: int
    articles: int
    events: int
    errors: int

    def line(self) -> str:
        return (
            f"{self.pages} pages read, {self.stored} new articles ({self.skipped} already stored), "
            f"{self.events} events, {self.errors} errors"
        )


def ingest(
    inputs: Sequence[str],
    store: SqliteStore,
    res: Resources,
    *,
    fmt: str = "auto",
    date: str | None = None,
    on_error: Callable[[DocError], None] = lambda e: None,
    on_page: Callable[[], None] = lambda: None,
) -> IngestSummary:
    """Read, analyse and store every document; already-stored documents are skipped before any work."""
    counts = {"pages": 0, "stored": 0, "skipped": 0, "events": 0, "errors": 0}

    def fresh() -> Iterator[Page | DocError]:
        for item in read_pages(inputs, fmt, date):
            counts["pages"] += 1
            on_page()
            if isinstance(item, Page) and store.has_doc(item.content_hash):
                counts["skipped"] += 1
                continue
            yield item

    for result in analyze_pages(fresh(), res):
        if isinstance(result, DocError):
            counts["errors"] += 1
            store.put_error(result)
            on_error(result)
        elif isinstance(result, Analysis) and store.put_analysis(result.page.content_hash, result):
            counts["stored"] += 1
            counts["events"] += len(result.events)
    return IngestSummary(
        counts["pages"],
        counts["stored"],
        counts["skipped"],
        store.counts()["articles"],
        counts["events"],
        counts["errors"],
    )
