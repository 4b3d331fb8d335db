"""The Spark runner: the local runner's stages inside `mapPartitions`, the global steps as Spark jobs, the results
as Parquet tables, then loaded into the store.

    files (the unit of splitting) -> read_source -> analyze_pages (spaCy loaded once per Python worker)
        -> articles, events, errors, links                              (per document, on the workers)
        -> copies, stories, story_articles, happenings, happening_mentions, dyad_days   (runners.spark_corpus)
        -> Parquet under OUT/<table>/ -> the store, in input order      (driver)

Input order is (file index, record index within the file), as the local runner reads; `seq` packs both. Documents
are keyed by doc_id = the content hash, first occurrence kept. Loading goes through `Store.put_analysis` in input
order, one transaction per document, skipping stored doc_ids: a re-run adds nothing, and a run interrupted while
loading resumes where it stopped (the store's corpus layer then equals the Parquet tables, as the tests check).
pyspark is imported only here and in the functions that need it (the `spark` extra).
"""

from __future__ import annotations

import heapq
import json
import os
import shutil
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from newsgraph.corpus.dedup import fingerprint
from newsgraph.corpus.replay import effective_day, story_actors
from newsgraph.ingest import RecordFields, iter_paths, read_source
from newsgraph.limits import DEFAULT_LIMITS, Limits
from newsgraph.models import Analysis, DocError, Page, PageFormat, ToFetch
from newsgraph.pipeline import Resources, analyze_pages
from newsgraph.runners.spark_corpus import CorpusDoc, CorpusEvent, CorpusTables, corpus_steps
from newsgraph.serialize import analysis_from_json, analysis_json, event_json

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

    from newsgraph.store.base import Store

RECORD_BITS = 32  # seq = file index << RECORD_BITS | record index

# Parquet tables and their columns (Spark DDL). The docs (docs/spark.md) list them for users.
SCHEMAS = {
    "articles": "seq BIGINT, doc_id STRING, origin STRING, fmt STRING, url STRING, title STRING, date STRING, "
    "outlet STRING, size INT, signature BINARY, story_actors STRING, analysis STRING",
    "events": "seq BIGINT, doc_id STRING, event_index INT, source_country STRING, target_country STRING, "
    "plover STRING, cameo STRING, quad INT, goldstein DOUBLE, date STRING, day STRING, json STRING",
    "errors": "seq BIGINT, origin STRING, stage STRING, reason STRING",
    "links": "seq BIGINT, url STRING, origin STRING, title STRING, date STRING",
    "copies": "doc_id STRING, canonical_id STRING",
    "stories": "story_id BIGINT, title STRING, first_date STRING, last_date STRING, actors STRING, words STRING",
    "story_articles": "doc_id STRING, story_id BIGINT",
    "happenings": "happening_id BIGINT, source_country STRING, target_country STRING, plover STRING, date STRING, "
    "last_date STRING, place_country STRING, mentions INT, articles INT, sources INT, independent INT, "
    "confidence DOUBLE, json STRING",
    "happening_mentions": "doc_id STRING, event_index INT, happening_id BIGINT",
    "dyad_days": "a STRING, b STRING, day STRING, quad INT, events BIGINT, goldstein DOUBLE, intensity DOUBLE",
}


@dataclass(frozen=True, slots=True)
class SparkOptions:
    """How documents are read and analysed on the workers (the paths must be readable there)."""

    fmt: str = "auto"
    date: str | None = None
    fields: RecordFields = field(default_factory=RecordFields)
    kb_files: tuple[str, ...] = ()
    lexicon_files: tuple[str, ...] = ()
    limits: Limits = DEFAULT_LIMITS


@dataclass(slots=True)
class SparkSummary:
    pages: int = 0
    articles: int = 0
    events: int = 0
    errors: int = 0
    links: int = 0
    stored: int = 0
    skipped: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    stopped: bool = False

    def line(self) -> str:
        steps = ", ".join(f"{name} {sec:.1f} s" for name, sec in self.seconds.items())
        return (
            f"{self.pages} pages read, {self.articles} articles, {self.events} events, {self.errors} errors, "
            f"{self.links} links to fetch; {self.stored} new in the store ({self.skipped} already stored); "
            f"{steps}{' (stopped)' if self.stopped else ''}"
        )


def spark_session(master: str = "local[2]", app: str = "newsgraph") -> SparkSession:
    """A SparkSession whose Python workers run this interpreter (and so see its packages)."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def run(
    spark: SparkSession,
    inputs: Sequence[str],
    out: str | Path,
    options: SparkOptions | None = None,
    *,
    partitions: int | None = None,
) -> SparkSummary:
    """Analyse every document of the inputs on Spark and run the global steps; write the Parquet tables under out."""
    options = options or SparkOptions()
    summary = SparkSummary()
    paths = [str(p) for p in iter_paths(list(inputs))]
    sc = spark.sparkContext
    started = time.perf_counter()
    slices = max(1, min(len(paths), partitions or sc.defaultParallelism * 4))
    files = sc.parallelize(list(enumerate(paths)), slices)
    rows = files.mapPartitions(lambda part: analyse_files(part, options)).cache()
    docs = _first_of_each(rows.filter(lambda r: r[0] == "doc").map(lambda r: r[1])).cache()
    events = docs.flatMap(lambda d: d["events"]).cache()
    _write(spark, out, "articles", docs.map(lambda d: d["article"]))
    _write(spark, out, "events", events.map(lambda e: e[0]))
    _write(spark, out, "errors", rows.filter(lambda r: r[0] == "error").map(lambda r: r[1]))
    _write(spark, out, "links", rows.filter(lambda r: r[0] == "link").map(lambda r: r[1]))
    summary.seconds["analysis"] = time.perf_counter() - started
    started = time.perf_counter()
    tables = corpus_steps(docs.map(lambda d: d["corpus"]), events.map(lambda e: e[1]))
    write_corpus(spark, out, tables)
    summary.seconds["global steps"] = time.perf_counter() - started
    counts = dict(rows.map(lambda r: (r[0], 1)).reduceByKey(lambda a, b: a + b).collect())
    summary.pages = counts.get("doc", 0) + counts.get("error", 0)
    summary.errors, summary.links = counts.get("error", 0), counts.get("link", 0)
    summary.articles, summary.events = docs.count(), events.count()
    rows.unpersist()
    return summary


def write_corpus(spark: SparkSession, out: str | Path, tables: CorpusTables) -> None:
    for name in ("copies", "stories", "story_articles", "happenings", "happening_mentions", "dyad_days"):
        _write(spark, out, name, getattr(tables, name))


def _write(spark: SparkSession, out: str | Path, table: str, rdd: RDD[Any]) -> None:
    frame = spark.createDataFrame(rdd, SCHEMAS[table])
    frame.write.mode("overwrite").parquet(str(Path(out) / table))


def _first_of_each(docs: RDD[dict[str, Any]]) -> RDD[dict[str, Any]]:
    """Each doc_id once, as first read (the same content read twice is one document, as in the store)."""
    keys = docs.map(lambda d: (d["article"][1], d["article"][0]))
    repeats = keys.groupByKey().flatMap(lambda kv: sorted(kv[1])[1:]).collect()
    if not repeats:
        return docs
    drop = docs.context.broadcast(set(repeats))
    return docs.filter(lambda d: d["article"][0] not in drop.value)


# -- on the workers ------------------------------------------------------------------------------------------------
_RESOURCES: dict[tuple[tuple[str, ...], tuple[str, ...]], Resources] = {}


def resources(options: SparkOptions) -> Resources:
    """The loaded models of this worker process: loaded at its first partition, kept for the next ones."""
    key = (options.kb_files, options.lexicon_files)
    if key not in _RESOURCES:
        _RESOURCES[key] = Resources.load([Path(p) for p in options.kb_files], [Path(p) for p in options.lexicon_files])
    return _RESOURCES[key]


def analyse_files(files: Iterable[tuple[int, str]], options: SparkOptions) -> Iterator[tuple[str, Any]]:
    """The documents of some input files, analysed: ("doc", {...}), ("error", row) and ("link", row) records."""
    seqs: deque[int] = deque()
    links: list[tuple[str, Any]] = []

    def pages() -> Iterator[Page | DocError]:
        for index, path in files:
            for record, item in enumerate(_read(path, options)):
                seq = index << RECORD_BITS | record
                if isinstance(item, ToFetch):
                    links.append(("link", (seq, item.url, item.origin, item.title, item.date)))
                    continue
                seqs.append(seq)
                yield item

    for result in analyze_pages(pages(), resources(options), limits=options.limits):
        seq = seqs.popleft()
        if isinstance(result, DocError):
            yield "error", (seq, result.origin, result.stage, result.reason)
        else:
            yield "doc", document_rows(seq, result)
    yield from links


def _read(path: str, options: SparkOptions) -> Iterator[Page | DocError | ToFetch]:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        yield DocError(origin=path, stage="ingest", reason=f"cannot read: {exc.strerror or exc}")
        return
    yield from read_source(path, data, fmt=options.fmt, date=options.date, fields=options.fields)


def document_rows(seq: int, analysis: Analysis) -> dict[str, Any]:
    """One analysed document as table rows: its `articles` row, its `events` rows, and the compact records of the
    global steps."""
    page, article = analysis.page, analysis.article
    doc_id = page.content_hash
    fp = fingerprint(article.text)
    actors = tuple(story_actors(analysis).items())
    outlet = article.outlet or page.origin
    events = []
    for index, event in enumerate(analysis.events):
        text = json.dumps(event_json(event, page.origin), ensure_ascii=False)
        target = event.target.country if event.target else None
        row = (
            seq, doc_id, index, event.source.country, target, event.plover, event.cameo, event.quad,
            event.goldstein, event.date, effective_day(event.date, article.date), text,
        )  # fmt: skip
        events.append((row, CorpusEvent(seq, index, doc_id, outlet, article.date, text)))
    return {
        "article": (
            seq,
            doc_id,
            page.origin,
            page.fmt,
            page.url,
            article.title,
            article.date,
            article.outlet,
            fp.size,
            fp.to_bytes(),
            json.dumps(actors, ensure_ascii=False),
            json.dumps(analysis_json(analysis), ensure_ascii=False),
        ),
        "events": events,
        "corpus": CorpusDoc(seq, doc_id, fp.to_bytes(), fp.size, article.date, article.title, actors),
    }


# -- into the store ------------------------------------------------------------------------------------------------
def load(
    spark: SparkSession,
    out: str | Path,
    store: Store,
    *,
    stop: Callable[[], bool] = lambda: False,
    on_error: Callable[[DocError], None] = lambda e: None,
    summary: SparkSummary | None = None,
) -> SparkSummary:
    """Store the analyses of a run's Parquet tables in input order (errors and links in their places), one
    transaction per document; stored doc_ids are skipped, so loading again adds nothing and an interrupted load
    resumes. The store builds its corpus layer from them as the local runner's ingest does."""
    summary = summary or SparkSummary()
    started = time.perf_counter()
    base = Path(out)
    errors = spark.read.parquet(str(base / "errors")).orderBy("seq").collect()
    links = spark.read.parquet(str(base / "links")).orderBy("seq").collect()
    articles = spark.read.parquet(str(base / "articles")).select("seq", "doc_id", "origin", "fmt", "url", "analysis")
    stream = heapq.merge(
        (("error", r) for r in errors),
        (("link", r) for r in links),
        (("doc", r) for r in articles.orderBy("seq").toLocalIterator(prefetchPartitions=True)),
        key=lambda item: int(item[1]["seq"]),
    )
    for kind, row in stream:
        if stop():
            summary.stopped = True
            break
        if kind == "error":
            error = DocError(row["origin"], row["stage"], row["reason"])
            store.put_error(error)
            on_error(error)
        elif kind == "link":
            store.put_link(ToFetch(row["url"], row["origin"], row["title"], row["date"]))
        else:
            page = Page(row["origin"], "", cast(PageFormat, row["fmt"]), url=row["url"], content_hash=row["doc_id"])
            analysis = analysis_from_json(json.loads(row["analysis"]), page)
            if store.put_analysis(row["doc_id"], analysis):
                summary.stored += 1
            else:
                summary.skipped += 1
    summary.seconds["load"] = time.perf_counter() - started
    return summary


def run_into_store(
    spark: SparkSession,
    inputs: Sequence[str],
    store: Store | None,
    out: str | Path | None = None,
    options: SparkOptions | None = None,
    **load_options: Any,
) -> SparkSummary:
    """`run`, then `load` into the store (if any); the Parquet tables go to out, or to a temporary folder."""
    folder = Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="newsgraph-spark-"))
    try:
        summary = run(spark, inputs, folder, options)
        if store is not None:
            load(spark, folder, store, summary=summary, **load_options)
        return summary
    finally:
        if out is None:
            shutil.rmtree(folder, ignore_errors=True)
