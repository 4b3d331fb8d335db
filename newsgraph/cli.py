"""The newsgraph command line: thin over the library (argparse; one function per command)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from newsgraph.ingest import read_pages
from newsgraph.models import Analysis, DocError
from newsgraph.serialize import analysis_json, article_json

DEFAULT_DB = "newsgraph.db"
_EVENT_COLUMNS = ("date", "source", "plover", "cameo", "target", "status", "attributed_to", "sentence")


def _store(args: argparse.Namespace) -> Any:
    from newsgraph.store.sqlite import SqliteStore

    return SqliteStore(args.db)


def _resources(args: argparse.Namespace) -> Any:
    from newsgraph.pipeline import Resources

    return Resources.load(args.kb, args.lexicon)


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _doc_error(error: DocError) -> None:
    _err(f"error: {error.origin}: {error.stage}: {error.reason}")


# -- commands ----------------------------------------------------------------------------------------------------
def cmd_ingest(args: argparse.Namespace) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from newsgraph.runners.local import ingest

    res = _resources(args)
    with (
        _store(args) as store,
        Progress(
            TextColumn("ingesting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            transient=True,
            disable=not sys.stderr.isatty(),
            console=None,
        ) as progress,
    ):
        task = progress.add_task("ingest", total=None, rate="")
        summary = ingest(
            args.paths,
            store,
            res,
            fmt=args.input_format,
            date=args.date,
            on_error=_doc_error,
            on_page=lambda: progress.advance(task),
        )
    print(summary.line())
    return 0


def cmd_analyze(args: argparse.Namespace) -> int:
    from newsgraph.pipeline import analyze_pages

    res = _resources(args)
    failed = False
    for result in analyze_pages(read_pages(args.paths, args.input_format, args.date), res):
        if isinstance(result, DocError):
            _doc_error(result)
            failed = True
        elif isinstance(result, Analysis):
            print(json.dumps(analysis_json(result), ensure_ascii=False))
    return 1 if failed else 0


def cmd_extract(args: argparse.Namespace) -> int:
    from newsgraph.extract import extract

    failed = False
    for page in read_pages(args.paths, args.input_format, args.date):
        if isinstance(page, DocError):
            _doc_error(page)
            failed = True
            continue
        print(json.dumps({"path": page.origin, "article": article_json(extract(page))}, ensure_ascii=False))
    return 1 if failed else 0


def cmd_articles(args: argparse.Namespace) -> int:
    with _store(args) as store:
        rows = store.articles(limit=args.limit, offset=args.offset)
    _emit(rows, args.format, ("doc_id", "date", "outlet", "agency", "n_events", "title"), short_id=True)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from newsgraph.store.sqlite import AmbiguousDocIdError

    with _store(args) as store:
        try:
            record = store.article(args.id)
        except AmbiguousDocIdError as exc:
            _err(f"error: {exc}")
            return 2
    if record is None:
        _err(f"error: no article {args.id!r} in {args.db}")
        return 1
    if args.format == "jsonl":
        print(json.dumps(record, ensure_ascii=False))
        return 0
    _print_article(record)
    return 0


def cmd_events(args: argparse.Namespace) -> int:
    with _store(args) as store:
        rows = store.events(
            actor=args.actor,
            dyad=tuple(args.dyad) if args.dyad else None,
            since=args.since,
            until=args.until,
            plover=args.type,
            limit=args.limit,
            who=args.who,
        )
    if args.format == "jsonl":
        _emit(rows, "jsonl", ())
    else:
        _emit([_event_row(r) for r in rows], args.format, _EVENT_COLUMNS)
    return 0


def cmd_errors(args: argparse.Namespace) -> int:
    with _store(args) as store:
        rows = store.errors()
    _emit(rows, args.format, ("origin", "stage", "reason", "at"))
    return 0


# -- output ------------------------------------------------------------------------------------------------------
def _event_row(event: dict[str, Any]) -> dict[str, Any]:
    def actor(value: dict[str, Any] | None) -> str:
        if not value:
            return ""
        return f"{value.get('country') or '?'} {value.get('name') or ''}".strip()

    return {
        "date": event.get("date") or "",
        "source": actor(event.get("source")),
        "plover": event.get("plover"),
        "cameo": event.get("cameo"),
        "target": actor(event.get("target")),
        "status": event.get("status"),
        "attributed_to": "; ".join(event.get("attributed_to") or []),
        "sentence": event.get("sentence"),
    }


def _emit(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str], short_id: bool = False) -> None:
    if fmt == "jsonl":
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        sys.stdout.write(buffer.getvalue())
    else:
        _table(rows, columns, short_id)


def _table(rows: Sequence[dict[str, Any]], columns: Sequence[str], short_id: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, box=None, header_style="bold")
    for column in columns:
        wide = column in ("sentence", "title")
        table.add_column(column, overflow="ellipsis", no_wrap=True, max_width=90 if wide else 28)
    for row in rows:
        values = [str(row.get(c) if row.get(c) is not None else "") for c in columns]
        if short_id and columns and columns[0] == "doc_id":
            values[0] = values[0][:12]
        table.add_row(*values)
    width = None if sys.stdout.isatty() else 220
    Console(markup=False, highlight=False, width=width).print(table)
    if not rows:
        print("(no rows)")


def _print_article(record: dict[str, Any]) -> None:
    article = record["article"]
    print(article.get("title") or "(untitled)")
    print(
        f"{article.get('date') or ''}  {article.get('outlet') or ''}  {article.get('agency') or ''}  {record['path']}"
    )
    print()
    for paragraph in article.get("paragraphs", []):
        print(paragraph)
        print()
    print("entities:")
    for entity in record.get("entities", []):
        print(f"  {entity['type']:<7} {entity.get('country') or '?':<4} {entity['name']}  {entity.get('role') or ''}")
    print("events:")
    for event in record.get("events", []):
        row = _event_row(event)
        print(f"  {row['date']:<10} {row['source']} {row['plover']}({row['cameo']}) {row['target']} [{row['status']}]")


# -- parser ------------------------------------------------------------------------------------------------------
def _inputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files, folders or globs")
    parser.add_argument(
        "--input-format",
        choices=("auto", "page", "html", "text"),
        default="auto",
        help="auto (sniffed), page (flattened page text), html, text (clean article text)",
    )
    parser.add_argument("--date", help="publication date YYYY-MM-DD for inputs that carry none")


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
    parser.add_argument("--db", default=DEFAULT_DB, help=f"SQLite database file (default ./{DEFAULT_DB})")


def _fmt(parser: argparse.ArgumentParser, choices: tuple[str, ...] = ("table", "jsonl", "csv")) -> None:
    parser.add_argument("--format", choices=choices, default=choices[0], help="output format")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsgraph", description="Raw news pages in, political events out.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands: list[tuple[str, str, Callable[[argparse.Namespace], int]]] = [
        ("ingest", "read pages, extract, code events and store them in the database", cmd_ingest),
        ("analyze", "print one JSON object per page (article, entities, events); no database", cmd_analyze),
        ("extract", "print the extracted article of each page as JSON (no NLP; fast)", cmd_extract),
        ("articles", "list stored articles", cmd_articles),
        ("show", "show one stored article with its entities and events", cmd_show),
        ("events", "list stored events, filtered by actor, dyad, date and type", cmd_events),
        ("errors", "list per-document failures recorded during ingest", cmd_errors),
    ]
    for name, help_text, func in commands:
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(func=func)
        if name in ("ingest", "analyze", "extract"):
            _inputs(command)
        if name in ("ingest", "analyze"):
            _extensions(command)
        if name not in ("analyze", "extract"):
            _db(command)
        if name in ("analyze", "extract"):
            _fmt(command, ("jsonl",))
        elif name == "show":
            _fmt(command, ("text", "jsonl"))
        elif name != "ingest":
            _fmt(command)
    _listing_options(sub.choices)
    return parser


def _listing_options(commands: dict[str, argparse.ArgumentParser]) -> None:
    commands["articles"].add_argument("--limit", type=int, default=100)
    commands["articles"].add_argument("--offset", type=int, default=0)
    commands["show"].add_argument("id", help="article id (a unique prefix of at least 6 characters will do)")
    events = commands["events"]
    events.add_argument("--actor", metavar="CODE", help="source or target country code, e.g. RUS")
    events.add_argument("--dyad", nargs=2, metavar=("A", "B"), help="events between A and B, either direction")
    events.add_argument("--since", metavar="DATE", help="from this date (YYYY, YYYY-MM or YYYY-MM-DD)")
    events.add_argument("--until", metavar="DATE", help="up to this date, inclusive")
    events.add_argument("--type", metavar="PLOVER", help="PLOVER event type, e.g. CONSULT")
    events.add_argument(
        "--who", metavar="ACTOR", help='an actor id or name, e.g. "Dmitry Peskov" or person:dmitry_peskov'
    )
    events.add_argument("--limit", type=int, default=None)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except FileNotFoundError as exc:
        _err(f"error: {exc}")
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
