"""The local runner: documents in, analyses stored, one process, streaming.

Pages are read, analysed and stored one at a time (each in its own transaction), so memory does not grow with the
corpus, a run killed at any point loses at most the page in hand, and a second run skips what is stored (by content
hash) before any work: re-ingesting is a no-op and an interrupted run resumes. A stop request (Ctrl-C, SIGTERM) ends
the run between two pages with nothing half-written.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult
from pathlib import Path
from types import FrameType
from typing import Any

from newsgraph.ingest import RecordFields, iter_paths, read_pages
from newsgraph.limits import DEFAULT_LIMITS, Limits
from newsgraph.models import Analysis, DocError, Page, ToFetch
from newsgraph.pipeline import ARTICLES_PER_BATCH, Resources, analyze_pages
from newsgraph.store.base import Store


class FailFast(RuntimeError):
    """Raised by a run asked to stop at its first per-document error."""

    def __init__(self, error: DocError) -> None:
        super().__init__(f"{error.origin}: {error.stage}: {error.reason}")
        self.error = error


@dataclass(slots=True)
class IngestSummary:
    pages: int = 0
    stored: int = 0
    skipped: int = 0
    articles: int = 0
    events: int = 0
    errors: int = 0
    links: int = 0
    files: int = 0
    seconds: float = 0.0
    stopped: bool = False

    def line(self) -> str:
        rate = self.pages / self.seconds if self.seconds else 0.0
        return (
            f"{self.pages} pages read, {self.stored} new articles ({self.skipped} already stored), "
            f"{self.events} events, {self.errors} errors, {self.links} links to fetch; "
            f"{rate:.1f} pages/s{' (stopped)' if self.stopped else ''}"
        )

    def add(self, other: IngestSummary) -> None:
        for name in ("pages", "stored", "skipped", "events", "errors", "links", "files", "seconds"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.articles, self.stopped = other.articles, other.stopped


@dataclass(slots=True)
class StopFlag:
    """Set by SIGINT/SIGTERM while installed (a second Ctrl-C interrupts at once, as usual)."""

    event: threading.Event = field(default_factory=threading.Event)
    _previous: dict[int, Any] = field(default_factory=dict)

    def __call__(self) -> bool:
        return self.event.is_set()

    def __enter__(self) -> StopFlag:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.event.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        self.event.set()


def ingest(
    inputs: Sequence[str],
    store: Store,
    res: Resources,
    *,
    fmt: str = "auto",
    date: str | None = None,
    fields: RecordFields | None = None,
    on_error: Callable[[DocError], None] = lambda e: None,
    on_page: Callable[[IngestSummary], None] = lambda s: None,
    fail_fast: bool = False,
    stop: Callable[[], bool] = lambda: False,
    workers: int = 1,
    limits: Limits = DEFAULT_LIMITS,
) -> IngestSummary:
    """Read, analyse and store every document of the inputs; already-stored documents are skipped first. With
    `workers` > 1, extraction and analysis run in that many processes while this one reads and stores."""
    summary = IngestSummary()
    started = time.perf_counter()
    current = [""]  # the file the last document came from

    def fail(error: DocError) -> None:
        summary.errors += 1
        store.put_error(error)
        on_error(error)
        if fail_fast:
            raise FailFast(error)

    def fresh() -> Iterator[Page | DocError]:
        for item in read_pages(inputs, fmt, date, fields):
            if stop():
                summary.stopped = True
                return
            if isinstance(item, ToFetch):
                summary.links += store.put_link(item)
                continue
            summary.pages += 1
            summary.seconds = time.perf_counter() - started
            where = file_of(item.origin)
            if where != current[0]:
                current[0] = where
                summary.files += 1
            on_page(summary)
            if isinstance(item, Page) and store.has_doc(item.content_hash):
                summary.skipped += 1
                continue
            yield item

    for result in analyses(fresh(), res, workers, limits):
        if isinstance(result, DocError):
            fail(result)
        elif isinstance(result, Analysis) and store.put_analysis(result.page.content_hash, result):
            summary.stored += 1
            summary.events += len(result.events)
    summary.seconds = time.perf_counter() - started
    summary.articles = store.counts()["articles"]
    return summary


def analyses(
    pages: Iterator[Page | DocError], res: Resources, workers: int = 1, limits: Limits = DEFAULT_LIMITS
) -> Iterator[Analysis | DocError]:
    """The analyses of the pages, in order: here, or in worker processes that inherit the loaded resources
    (forked), at most two batches per worker in flight so that memory stays bounded."""
    if workers <= 1:
        yield from analyze_pages(pages, res, limits=limits)
        return
    with multiprocessing.get_context("fork").Pool(workers, initializer=_adopt, initargs=(res, limits)) as pool:
        pending: deque[AsyncResult[list[Analysis | DocError]]] = deque()
        for batch in _batches(pages, ARTICLES_PER_BATCH):
            pending.append(pool.apply_async(_analyze_batch, (batch,)))
            if len(pending) >= 2 * workers:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


_WORKER: list[tuple[Resources, Limits]] = []


def _adopt(res: Resources, limits: Limits) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    _WORKER[:] = [(res, limits)]


def _analyze_batch(batch: list[Page | DocError]) -> list[Analysis | DocError]:
    res, limits = _WORKER[0]
    return list(analyze_pages(batch, res, limits=limits))


def _batches(pages: Iterator[Page | DocError], size: int) -> Iterator[list[Page | DocError]]:
    batch: list[Page | DocError] = []
    for page in pages:
        batch.append(page)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def watch(
    folder: str,
    run: Callable[[Sequence[str]], IngestSummary],
    *,
    interval: float = 2.0,
    stop: Callable[[], bool] = lambda: False,
    on_round: Callable[[IngestSummary], None] = lambda s: None,
) -> IngestSummary:
    """Ingest the files of a folder, then each file that lands in it later, until stopped. A file is taken once
    its size and modification time have stayed the same for one interval (it is no longer being written)."""
    total = IngestSummary()
    seen: set[tuple[str, int, int]] = set()
    pending: dict[str, tuple[int, int]] = {}
    first = True
    while not stop():
        ready = []
        for path in iter_paths([folder]):
            stat = _stat(path)
            if stat is None or (str(path), *stat) in seen:
                continue
            if first or pending.get(str(path)) == stat:
                ready.append(str(path))
                seen.add((str(path), *stat))
                pending.pop(str(path), None)
            else:
                pending[str(path)] = stat
        first = False
        if ready:
            summary = run(ready)
            total.add(summary)
            on_round(summary)
        _sleep(interval, stop)
    total.stopped = True
    return total


def follow(
    feeds: Sequence[str],
    run: Callable[[Sequence[str]], IngestSummary],
    *,
    interval: float = 300.0,
    stop: Callable[[], bool] = lambda: False,
    on_round: Callable[[IngestSummary], None] = lambda s: None,
) -> IngestSummary:
    """Re-read feed files every interval (their new items are stored, known ones skipped) until stopped."""
    total = IngestSummary()
    while not stop():
        summary = run(feeds)
        total.add(summary)
        on_round(summary)
        _sleep(interval, stop)
    total.stopped = True
    return total


def file_of(origin: str) -> str:
    """The file a document's origin names ("a.warc.gz#<id>", "x.zip!member", "export.jsonl:12" -> the file)."""
    path = origin.split("#", 1)[0].split("!", 1)[0]
    head, _, tail = path.rpartition(":")
    return head if head and tail.isdigit() else path


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def _sleep(seconds: float, stop: Callable[[], bool]) -> None:
    until = time.monotonic() + seconds
    while not stop() and time.monotonic() < until:
        time.sleep(min(0.1, max(until - time.monotonic(), 0)))
