"""The newsgraph command line: thin over the library (argparse; one function per command)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from newsgraph.ingest import iter_paths, read_pages
from newsgraph.limits import DEFAULT_LIMITS, Limits
from newsgraph.models import Analysis, DocError, Page, ToFetch
from newsgraph.serialize import analysis_json, article_json
from newsgraph.store.base import StoreWriteError
from newsgraph.terminal import (
    EVENT_COLUMNS,
    HAPPENING_COLUMNS,
    Progress,
    emit,
    err,
    event_row,
    happening_row,
    print_article,
    round_line,
)

DEFAULT_DB = "newsgraph.db"


def _store(args: argparse.Namespace) -> Any:
    from newsgraph.store.base import open_store

    return open_store(args.db)


def _resources(args: argparse.Namespace) -> Any:
    from newsgraph.pipeline import Resources

    return Resources.load(args.kb, args.lexicon)


def _doc_error(error: DocError) -> None:
    err(f"error: {error.origin}: {error.stage}: {error.reason}")


# -- commands ----------------------------------------------------------------------------------------------------
def cmd_ingest(args: argparse.Namespace) -> int:
    from newsgraph.runners.local import FailFast, StopFlag, watch

    res = _resources(args)
    files = None if args.watch or "-" in args.paths else sum(1 for _ in iter_paths(args.paths))
    with _store(args) as store, StopFlag() as stop, Progress(files) as progress:
        run = _runner(args, store, res, stop, progress)
        try:
            if args.watch:
                summary = watch(args.watch, run, interval=args.interval, stop=stop, on_round=round_line)
            else:
                summary = run(args.paths)
        except FailFast as exc:
            err(f"stopped at the first error (--fail-fast): {exc}")
            return 1
    print(summary.line())
    return 0


def cmd_follow(args: argparse.Namespace) -> int:
    from newsgraph.runners.local import StopFlag, follow

    res = _resources(args)
    with _store(args) as store, StopFlag() as stop, Progress() as progress:
        run = _runner(args, store, res, stop, progress)
        summary = follow(args.paths, run, interval=args.interval, stop=stop, on_round=round_line)
    print(summary.line())
    return 0


def _fields(args: argparse.Namespace) -> Any:
    from newsgraph.ingest import RecordFields

    return RecordFields(
        **{name: tuple(getattr(args, f"{name}_field")) for name in ("text", "html", "url", "date", "title")
           if getattr(args, f"{name}_field", None)}
    )  # fmt: skip


def _runner(args: argparse.Namespace, store: Any, res: Any, stop: Any, progress: Progress) -> Any:
    from newsgraph.runners.local import ingest

    fields = _fields(args)

    def run(paths: Sequence[str]) -> Any:
        return ingest(
            paths,
            store,
            res,
            fmt=args.input_format,
            date=args.date,
            fields=fields,
            on_error=_doc_error,
            on_page=progress.update,
            fail_fast=getattr(args, "fail_fast", False),
            stop=stop,
            workers=getattr(args, "workers", 1),
            limits=_limits(args),
        )

    return run


def cmd_run(args: argparse.Namespace) -> int:
    """`ingest` on an engine: local (the same as `ingest`) or spark (Parquet tables, then the store)."""
    if args.engine == "local":
        if args.out:
            err("error: --out needs --engine spark")
            return 2
        args.db, args.watch, args.fail_fast = args.db or DEFAULT_DB, None, False
        return cmd_ingest(args)
    if not (args.db or args.out):
        err("error: --engine spark needs --db DB (load the results) or --out DIR (keep the Parquet tables), or both")
        return 2
    if "-" in args.paths:
        err("error: --engine spark reads files, not standard input")
        return 2
    if args.out and any(c in str(args.out) for c in "[]{}*?"):
        err(f"error: --out {args.out}: Spark reads [ ] {{ }} * ? in a path as a pattern: name a folder without them")
        return 2
    from newsgraph.runners.local import StopFlag
    from newsgraph.runners.spark import SparkOptions, run_into_store, spark_session
    from newsgraph.store.base import open_store

    options = SparkOptions(
        args.input_format,
        args.date,
        _fields(args),
        tuple(map(str, args.kb)),
        tuple(map(str, args.lexicon)),
        _limits(args),
    )
    spark = spark_session(args.master)
    try:
        with StopFlag() as stop:
            store = open_store(args.db) if args.db else None
            try:
                summary = run_into_store(spark, args.paths, store, args.out, options, stop=stop, on_error=_doc_error)
            finally:
                if store is not None:
                    store.close()
    finally:
        spark.stop()
    print(summary.line())
    return 0


def cmd_analyze(args: argparse.Namespace) -> int:
    from newsgraph.pipeline import analyze_pages

    res = _resources(args)
    failed = False
    for result in analyze_pages(_documents(args), res):
        if isinstance(result, DocError):
            _doc_error(result)
            failed = True
        elif isinstance(result, Analysis):
            print(json.dumps(analysis_json(result), ensure_ascii=False))
    return 1 if failed else 0


def _documents(args: argparse.Namespace) -> Iterator[Page | DocError]:
    """The inputs' documents; a feed's link without content is only mentioned (these commands fetch nothing)."""
    for item in read_pages(args.paths, args.input_format, args.date):
        if isinstance(item, ToFetch):
            err(f"note: {item.origin}: a link without content, not fetched: {item.url}")
        else:
            yield item


def cmd_extract(args: argparse.Namespace) -> int:
    from newsgraph.extract import extract

    failed = False
    for page in _documents(args):
        if isinstance(page, DocError):
            _doc_error(page)
            failed = True
            continue
        print(json.dumps({"path": page.origin, "article": article_json(extract(page))}, ensure_ascii=False))
    return 1 if failed else 0


def cmd_articles(args: argparse.Namespace) -> int:
    with _store(args) as store:
        rows = store.articles(limit=args.limit, offset=args.offset)
    emit(rows, args.format, ("doc_id", "date", "outlet", "agency", "n_events", "title"), short_id=True)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from newsgraph.store.sqlite import AmbiguousDocIdError

    with _store(args) as store:
        try:
            record = store.article(args.id)
        except AmbiguousDocIdError as exc:
            err(f"error: {exc}")
            return 2
    if record is None:
        err(f"error: no article {args.id!r} in {args.db}")
        return 1
    if args.format == "jsonl":
        print(json.dumps(record, ensure_ascii=False))
        return 0
    print_article(record)
    return 0


def cmd_events(args: argparse.Namespace) -> int:
    with _store(args) as store:
        query = store.events if args.mentions else store.happenings
        rows = query(
            actor=args.actor,
            dyad=tuple(args.dyad) if args.dyad else None,
            since=args.since,
            until=args.until,
            plover=args.type,
            limit=args.limit,
            who=args.who,
        )
    if args.format == "jsonl":
        emit(rows, "jsonl", ())
    elif args.mentions:
        emit([event_row(r) for r in rows], args.format, EVENT_COLUMNS)
    else:
        emit([happening_row(r) for r in rows], args.format, HAPPENING_COLUMNS)
    return 0


def cmd_stories(args: argparse.Namespace) -> int:
    with _store(args) as store:
        rows = store.stories()
    if args.format == "jsonl":
        emit(rows, "jsonl", ())
        return 0
    flat = [
        {
            **r,
            "actors": ", ".join(r["actors"]),
            "n_articles": len(r["articles"]),
            "span": f"{r['first_date']}..{r['last_date']}",
        }
        for r in rows
    ]
    emit(flat, args.format, ("story_id", "span", "n_articles", "actors", "title"))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from newsgraph.api.queries import Queries
    from newsgraph.export import write

    queries = Queries(args.db)
    try:
        found = queries.events(
            actor=args.actor,
            dyad=tuple(args.dyad) if args.dyad else None,
            since=args.since,
            until=args.until,
            plover=args.type,
            who=args.who,
            limit=10**9,
        )
        urls = queries.urls()
    finally:
        queries.close()
    count = write(args.export_format, found["items"], Path(args.output), urls)
    err(f"{count} events written to {args.output} ({args.export_format})")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from newsgraph.api.app import create_app
    from newsgraph.store.base import redacted

    app = create_app(args.db)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        err(f"warning: --host {args.host}: every machine that can reach this address can read the whole database")
    print(f"newsgraph is serving {redacted(args.db)} at http://{args.host}:{args.port}/ (Ctrl-C stops)", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from newsgraph.runners.local import ingest

    examples = Path(__file__).resolve().parents[1] / "examples" / "corpus"
    if not examples.is_dir():
        err(f"error: {examples}: the example corpus is not here (run from a checkout)")
        return 2
    from newsgraph.store.base import is_postgres_url, sqlite_path

    if not is_postgres_url(args.db):  # a PostgreSQL database is kept: the corpus is stored once, re-runs add nothing
        for suffix in ("", "-wal", "-shm"):
            Path(sqlite_path(args.db) + suffix).unlink(missing_ok=True)
    with _store(args) as store:
        print(ingest([str(examples)], store, _resources(args)).line(), flush=True)
    return cmd_serve(args)


def cmd_links(args: argparse.Namespace) -> int:
    with _store(args) as store:
        rows = store.links()
    emit(rows, args.format, ("url", "title", "date", "origin"))
    return 0


def cmd_errors(args: argparse.Namespace) -> int:
    with _store(args) as store:
        rows = store.errors()
    emit(rows, args.format, ("origin", "stage", "reason", "at"))
    return 0


# -- parser ------------------------------------------------------------------------------------------------------
def _inputs(parser: argparse.ArgumentParser, optional_paths: bool = False) -> None:
    parser.add_argument(
        "paths", nargs="*" if optional_paths else "+", metavar="PATH", help='files, folders, globs, or "-" for stdin'
    )
    parser.add_argument(
        "--input-format",
        choices=("auto", "page", "html", "text"),
        default="auto",
        help="auto (sniffed), page (flattened page text), html, text (clean article text)",
    )
    parser.add_argument("--date", help="publication date YYYY-MM-DD for inputs that carry none")


def _record_fields(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("JSONL/CSV records: field names, first present wins (repeatable)")
    for name in ("text", "html", "url", "date", "title"):
        group.add_argument(f"--{name}-field", action="append", metavar="NAME", help=f"field holding the {name}")
    interval = 2.0 if parser.prog.endswith("ingest") else 300.0
    parser.add_argument("--interval", type=float, default=interval, help=f"seconds between rounds ({interval:g})")
    if parser.prog.endswith("ingest"):
        parser.add_argument("--watch", metavar="DIR", help="ingest DIR, then new files as they land (Ctrl-C stops)")
        parser.add_argument("--fail-fast", action="store_true", help="stop at the first per-document error")
    parser.add_argument(
        "--workers", type=int, default=1, metavar="N", help="processes that extract and analyse (1: this one)"
    )
    limits = parser.add_argument_group("per-document limits (a document over one is recorded as an error)")
    limits.add_argument(
        "--doc-seconds",
        type=float,
        default=DEFAULT_LIMITS.seconds,
        metavar="S",
        help=f"time to extract or analyse one document ({DEFAULT_LIMITS.seconds:g}; 0: none)",
    )
    limits.add_argument("--doc-memory", type=int, default=DEFAULT_LIMITS.memory_mb, metavar="MB",
                        help=f"memory one document may add ({DEFAULT_LIMITS.memory_mb}; 0: none)")  # fmt: skip


def _limits(args: argparse.Namespace) -> Limits:
    seconds, memory = getattr(args, "doc_seconds", None), getattr(args, "doc_memory", None)
    return Limits(seconds or None, memory or None) if seconds is not None else DEFAULT_LIMITS


def _extensions(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--kb",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="your own actors on top of the shipped ones (YAML of tables, or people.csv/groups.csv/...); repeatable",
    )
    parser.add_argument(
        "--lexicon", action="append", default=[], type=Path, metavar="FILE", help="your own event predicates (YAML)"
    )


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        default=DEFAULT_DB,
        help=f"a SQLite file (path or sqlite:///path) or a PostgreSQL URL postgresql://user@host/db "
        f"(default ./{DEFAULT_DB})",
    )


def _fmt(parser: argparse.ArgumentParser, choices: tuple[str, ...] = ("table", "jsonl", "csv")) -> None:
    parser.add_argument("--format", choices=choices, default=choices[0], help="output format")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsgraph", description="Raw news pages in, political events out.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands: list[tuple[str, str, Callable[[argparse.Namespace], int]]] = [
        ("ingest", "read pages, extract, code events and store them in the database", cmd_ingest),
        (
            "run",
            "ingest on an engine: local (the same as ingest) or spark (Parquet tables, then the database)",
            cmd_run,
        ),
        ("analyze", "print one JSON object per page (article, entities, events); no database", cmd_analyze),
        ("extract", "print the extracted article of each page as JSON (no NLP; fast)", cmd_extract),
        ("articles", "list stored articles", cmd_articles),
        ("show", "show one stored article with its entities and events", cmd_show),
        (
            "events",
            "list stored events (one per happening, with its reports), filtered by actor, dyad, date, type",
            cmd_events,
        ),
        ("stories", "list stories: articles about one development, with their span and main actors", cmd_stories),
        ("errors", "list per-document failures recorded during ingest", cmd_errors),
        ("follow", "re-read feed files on an interval and ingest their new items (Ctrl-C stops)", cmd_follow),
        ("links", "list links that feeds named without their content (to fetch)", cmd_links),
        ("export", "write events as GDELT-style TSV, PLOVER JSON, Parquet, CSV or JSONL", cmd_export),
        ("serve", "serve the web UI and REST API over a database (read-only; 127.0.0.1 unless told)", cmd_serve),
        ("demo", "ingest the example corpus into a fresh database and serve the UI", cmd_demo),
    ]
    for name, help_text, func in commands:
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(func=func)
        if name in ("ingest", "run", "analyze", "extract", "follow"):
            _inputs(command, optional_paths=name == "ingest")
        if name in ("ingest", "run", "analyze", "follow"):
            _extensions(command)
        if name in ("ingest", "run", "follow"):
            _record_fields(command)
        if name not in ("analyze", "extract"):
            _db(command)
        if name in ("analyze", "extract"):
            _fmt(command, ("jsonl",))
        elif name == "show":
            _fmt(command, ("text", "jsonl"))
        elif name not in ("ingest", "run", "follow", "export", "serve", "demo"):
            _fmt(command)
        if name in ("serve", "demo"):
            command.add_argument(
                "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine)"
            )
            command.add_argument("--port", type=int, default=8000)
        if name == "demo":
            command.set_defaults(db="demo.db", kb=[], lexicon=[])
    _listing_options(sub.choices)
    _run_options(sub.choices["run"])
    return parser


def _run_options(run: argparse.ArgumentParser) -> None:
    run.add_argument("--engine", choices=("local", "spark"), default="local", help="local (default) or spark")
    run.add_argument(
        "--master", default="local[2]", help="Spark master: local[N] (N cores here) or spark://host:port (local[2])"
    )
    run.add_argument("--out", metavar="DIR", help="spark: keep the Parquet tables in DIR")
    run.set_defaults(db=None)


def _event_filter_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--actor", metavar="CODE", help="source or target country code, e.g. RUS")
    parser.add_argument("--dyad", nargs=2, metavar=("A", "B"), help="events between A and B, either direction")
    parser.add_argument("--since", metavar="DATE", help="from this date (YYYY, YYYY-MM or YYYY-MM-DD)")
    parser.add_argument("--until", metavar="DATE", help="up to this date, inclusive")
    parser.add_argument("--type", metavar="PLOVER", help="PLOVER event type, e.g. CONSULT")
    parser.add_argument(
        "--who", metavar="ACTOR", help='an actor id or name, e.g. "Dmitry Peskov" or person:dmitry_peskov'
    )


def _listing_options(commands: dict[str, argparse.ArgumentParser]) -> None:
    export = commands["export"]
    export.add_argument(
        "--format", dest="export_format", required=True, choices=("gdelt", "plover", "parquet", "csv", "jsonl")
    )
    export.add_argument("-o", "--output", required=True, metavar="FILE")
    _event_filter_options(export)
    commands["articles"].add_argument("--limit", type=int, default=100)
    commands["articles"].add_argument("--offset", type=int, default=0)
    commands["show"].add_argument("id", help="article id (a unique prefix of at least 6 characters will do)")
    events = commands["events"]
    _event_filter_options(events)
    events.add_argument("--limit", type=int, default=None)
    events.add_argument("--mentions", action="store_true", help="one row per report (article) instead of per happening")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "ingest" and not args.paths and not args.watch:
        parser.error("ingest needs PATH ... or --watch DIR")
    try:
        return int(args.func(args))
    except (FileNotFoundError, ConnectionError) as exc:
        err(f"error: {exc}")
        return 2
    except StoreWriteError as exc:
        err(f"error: {exc}")
        err("Everything stored before it is intact: free some space (or mend the database), then re-run the same")
        err("command to resume.")
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
