"""What the command line prints: tables, JSONL and CSV rows, one article, progress lines, messages to stderr."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Sequence
from typing import Any

EVENT_COLUMNS = ("date", "source", "plover", "cameo", "target", "status", "attributed_to", "sentence")
HAPPENING_COLUMNS = (
    "date", "source", "plover", "cameo", "target", "status", "mentions", "articles", "sources", "sentence",
)  # fmt: skip


def err(message: str) -> None:
    print(message, file=sys.stderr)


def round_line(summary: Any) -> None:
    err(f"ingest: {summary.line()}")


class Progress:
    """A progress bar with pages/s on a terminal; a plain log line every 10 s (or 1,000 pages) otherwise."""

    def __init__(self, files: int | None = None) -> None:
        self.tty = sys.stderr.isatty()
        self.files = files  # how many files the run will read, when known: gives the ETA
        self._bar: Any = None
        self._task: Any = None
        self._last = 0.0
        self._last_pages = 0

    def __enter__(self) -> Progress:
        if self.tty:
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._bar = Progress(
                SpinnerColumn(), TextColumn("{task.fields[line]}"), TimeElapsedColumn(), transient=True
            )
            self._bar.__enter__()
            self._task = self._bar.add_task("ingest", line="starting")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)

    def update(self, summary: Any) -> None:
        import time

        rate = summary.pages / summary.seconds if summary.seconds else 0.0
        line = f"{summary.pages} pages, {rate:.1f} pages/s, {summary.stored} stored, {summary.errors} errors"
        if self.files and summary.files and summary.seconds:
            left = (self.files - summary.files) * summary.seconds / summary.files
            line += f", file {summary.files}/{self.files}, ETA {int(left // 60)}:{int(left % 60):02d}"
        if self._bar is not None:
            self._bar.update(self._task, line=line)
            return
        now = time.monotonic()
        if now - self._last >= 10 or summary.pages - self._last_pages >= 1000:
            self._last, self._last_pages = now, summary.pages
            err(f"ingest: {line}")


# -- rows ------------------------------------------------------------------------------------------------------
def happening_row(happening: dict[str, Any]) -> dict[str, Any]:
    """One happening: its first report's row with every status reported and the counts."""
    return {
        **event_row(happening),
        "status": "/".join(happening["statuses"]),
        "mentions": happening["mention_count"],
        "articles": happening["articles"],
        "sources": happening["sources"],
    }


def event_row(event: dict[str, Any]) -> dict[str, Any]:
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


def emit(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str], short_id: bool = False) -> None:
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
        _table_of(rows, columns, short_id)


def _table_of(rows: Sequence[dict[str, Any]], columns: Sequence[str], short_id: bool) -> None:
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


def print_article(record: dict[str, Any]) -> None:
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
        row = event_row(event)
        print(f"  {row['date']:<10} {row['source']} {row['plover']}({row['cameo']}) {row['target']} [{row['status']}]")
