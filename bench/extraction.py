"""Extraction bench: newsgraph's HTML and flattened-text extractors against anchors, in one run over the same pages.

    .venv/bin/python bench/extraction.py [--datasets ...] [--limit N] [--tools ...] [--skip ...]
                                         [--text-only] [--html-only] [--json OUT] [--data DIR]

Reads ../shared/benchmarks/extraction (truth.jsonl, html/<id>.html.gz, text/<id>.txt) beside the checkout; nothing
of it is copied here. Scoring is newsgraph.evaluation.extraction (ScrapingHub shingle F1 for bodies, htmldate's
day-level counts for dates, exact match for authors and titles). One process, each tool timed per page with
time.perf_counter. A tool that is not installed is reported and skipped; an exception on a page counts as an empty
prediction for that page and is counted per tool.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import logging
import os
import platform
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from newsgraph.evaluation.extraction import score_authors, score_bodies, score_dates, score_titles, truth_authors
from newsgraph.models import Article

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "benchmarks" / "extraction"
SPLITS = ROOT / "bench" / "splits" / "extraction.json"
DATASETS = ("fundus-test", "wcxb-test-article", "scrapinghub", "fundus-eval", "htmldate-mediacloud")
ALIASES = {"fu": "fundus-test", "wcxb": "wcxb-test-article", "sh": "scrapinghub", "fe": "fundus-eval"}
ALIASES["hd"] = "htmldate-mediacloud"
DATED = ("fundus-test", "wcxb-test-article", "htmldate-mediacloud")
AUTHORED = ("fundus-test",)
TITLED = ("fundus-test", "wcxb-test-article")
Field = Literal["body", "date", "authors", "title"]


@dataclass(frozen=True, slots=True)
class Output:
    """What a tool said about one page; None where it says nothing (an empty prediction)."""

    body: str | None = None
    date: str | None = None
    authors: tuple[str, ...] | None = None
    title: str | None = None


Runner = Callable[[str, str | None], Output]


@dataclass(frozen=True, slots=True)
class Tool:
    name: str
    source: Literal["html", "text"]
    fields: frozenset[Field]
    module: str  # importable when the tool is installed
    load: Callable[[], Runner]  # imports the tool and returns its per-page runner (called once, not timed)


@dataclass(frozen=True, slots=True)
class Page:
    id: str
    dataset: str
    url: str | None
    truth: dict[str, Any]


@dataclass(slots=True)
class Record:
    """One tool on one dataset: its outputs, time spent and exceptions."""

    outputs: dict[str, Output] = field(default_factory=dict)
    seconds: float = 0.0
    errors: int = 0
    first_error: str = ""


# --- tools ------------------------------------------------------------------------------------------------------


def _from_article(article: Article) -> Output:
    return Output(body=article.text, date=article.date, authors=article.authors, title=article.title)


def _newsgraph_html() -> Runner:
    from newsgraph.extract import extract_html

    return lambda content, url: _from_article(extract_html(content, url=url))


def _newsgraph_text() -> Runner:
    from newsgraph.extract import extract_text_page

    return lambda content, url: _from_article(extract_text_page(content))


def _trafilatura(precision: bool) -> Callable[[], Runner]:
    def load() -> Runner:
        import trafilatura

        return lambda content, url: Output(body=trafilatura.extract(content, url=url, favor_precision=precision))

    return load


def _trafilatura_meta() -> Runner:
    from trafilatura import extract_metadata

    def run(content: str, url: str | None) -> Output:
        meta = extract_metadata(content, default_url=url)
        authors = tuple(meta.author.split("; ")) if meta.author else ()
        return Output(date=meta.date, authors=authors, title=meta.title)

    return run


def _readability() -> Runner:
    from readability import Document

    return lambda content, url: Output(body=html_to_text(Document(content, url=url).summary()))


def _newspaper() -> Runner:
    from newspaper import Article as NewsArticle

    def run(content: str, url: str | None) -> Output:
        article = NewsArticle(url or "", fetch_images=False)
        article.download(input_html=content)
        article.parse()
        published = article.publish_date.isoformat() if article.publish_date else None
        return Output(body=article.text, date=published, authors=tuple(article.authors), title=article.title)

    return run


def _resiliparse() -> Runner:
    from resiliparse.extract.html2text import extract_plain_text

    return lambda content, url: Output(body=extract_plain_text(content, main_content=True))


def _htmldate() -> Runner:
    from htmldate import find_date

    return lambda content, url: Output(date=find_date(content, url=url, original_date=True))


def _all_lines() -> Runner:
    return lambda content, url: Output(body=content)


def _long_lines() -> Runner:
    return lambda content, url: Output(body="\n".join(line for line in content.splitlines() if len(line.split()) >= 20))


_BLOCKS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "blockquote", "pre"}
    | {"section", "article", "figcaption"}
)


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment, a line break around each block element (readability returns HTML)."""
    import lxml.html

    if not markup.strip():
        return ""
    root = lxml.html.fromstring(markup)
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCKS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    return str(root.text_content())


def _tool(name: str, source: Literal["html", "text"], fields: str, module: str, load: Callable[[], Runner]) -> Tool:
    return Tool(name, source, frozenset(fields.split()), module, load)  # type: ignore[arg-type]


TOOLS = {
    t.name: t
    for t in (
        _tool("newsgraph-html", "html", "body date authors title", "newsgraph", _newsgraph_html),
        _tool("newsgraph-text", "text", "body date authors title", "newsgraph", _newsgraph_text),
        _tool("trafilatura", "html", "body", "trafilatura", _trafilatura(False)),
        _tool("trafilatura-precision", "html", "body", "trafilatura", _trafilatura(True)),
        _tool("trafilatura-meta", "html", "date authors title", "trafilatura", _trafilatura_meta),
        _tool("readability-lxml", "html", "body", "readability", _readability),
        _tool("newspaper4k", "html", "body date authors title", "newspaper", _newspaper),
        _tool("resiliparse", "html", "body", "resiliparse", _resiliparse),
        _tool("htmldate", "html", "date", "htmldate", _htmldate),
        _tool("text-all-lines", "text", "body", "newsgraph", _all_lines),
        _tool("text-lines>=20w", "text", "body", "newsgraph", _long_lines),
    )
}


def needs(dataset: str) -> frozenset[str]:
    """The fields a dataset's truth lets us score."""
    wanted = {"body"} if dataset != "htmldate-mediacloud" else set()
    wanted |= {"date"} if dataset in DATED else set()
    wanted |= {"authors"} if dataset in AUTHORED else set()
    wanted |= {"title"} if dataset in TITLED else set()
    return frozenset(wanted)


# --- data and run -----------------------------------------------------------------------------------------------


def load_pages(data: Path, datasets: Iterable[str], limit: int | None = None) -> list[Page]:
    """The pages of the given datasets in truth.jsonl order, at most `limit` per dataset."""
    chosen = set(datasets)
    pages: list[Page] = []
    counts = dict.fromkeys(chosen, 0)
    with (data / "truth.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            ds = row["dataset"]
            if ds in chosen and (limit is None or counts[ds] < limit):
                counts[ds] += 1
                pages.append(Page(row["id"], ds, row.get("url"), row))
    return pages


def read_source(data: Path, page: Page, source: str) -> str:
    if source == "html":
        raw = gzip.decompress((data / "html" / f"{page.id}.html.gz").read_bytes())
    else:
        raw = (data / "text" / f"{page.id}.txt").read_bytes()
    return raw.decode("utf-8", errors="replace")


def load_runners(tools: Sequence[Tool]) -> tuple[dict[str, Runner], list[str]]:
    """Runners of the installed tools, and the names of those that are not installed."""
    runners: dict[str, Runner] = {}
    missing: list[str] = []
    for tool in tools:
        try:
            if importlib.util.find_spec(tool.module) is None:
                raise ImportError(tool.module)
            runners[tool.name] = tool.load()
        except ImportError:
            missing.append(tool.name)
    return runners, missing


def run_tools(
    data: Path, pages: Sequence[Page], tools: Sequence[Tool], runners: dict[str, Runner], progress: bool = False
) -> dict[tuple[str, str], Record]:
    """Every tool on every page whose truth it can be scored against; keyed by (tool, dataset)."""
    records: dict[tuple[str, str], Record] = {}
    started = time.perf_counter()
    for n, page in enumerate(pages, 1):
        sources: dict[str, str] = {}
        for tool in tools:
            if tool.name not in runners or not tool.fields & needs(page.dataset):
                continue
            if tool.source not in sources:
                sources[tool.source] = read_source(data, page, tool.source)
            record = records.setdefault((tool.name, page.dataset), Record())
            record.outputs[page.id] = _timed(runners[tool.name], sources[tool.source], page, record)
        if progress and (n % 50 == 0 or n == len(pages)):
            print(f"  {n}/{len(pages)} pages, {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return records


def _timed(runner: Runner, content: str, page: Page, record: Record) -> Output:
    start = time.perf_counter()
    try:
        output = runner(content, page.url)
    except Exception as exc:  # any failure of a third-party tool is an empty prediction for the page
        output = Output()
        record.errors += 1
        record.first_error = record.first_error or f"{page.id}: {type(exc).__name__}: {exc}"[:160]
    record.seconds += time.perf_counter() - start
    return output


# --- scores -----------------------------------------------------------------------------------------------------


def summarise(records: dict[tuple[str, str], Record], pages: Sequence[Page]) -> dict[str, Any]:
    """All figures: body F1/P/R and speed per dataset and tool, dates, authors, titles, exceptions."""
    by_dataset: dict[str, list[Page]] = {}
    for page in pages:
        by_dataset.setdefault(page.dataset, []).append(page)
    summary: dict[str, Any] = {"body": {}, "dates": {}, "authors": {}, "titles": {}, "exceptions": {}}
    for (name, ds), record in records.items():
        tool, group = TOOLS[name], by_dataset[ds]
        out = [record.outputs[p.id] for p in group]
        if "body" in tool.fields and "body" in needs(ds):
            score = score_bodies((p.truth.get("body"), o.body) for p, o in zip(group, out, strict=True))
            rate = len(group) / record.seconds if record.seconds else 0.0
            figures = {"f1": score.f1, "precision": score.precision, "recall": score.recall, "pages": len(group)}
            summary["body"].setdefault(ds, {})[name] = figures | {"pages_per_s": rate, "exceptions": record.errors}
        if "date" in tool.fields and ds in DATED:
            dates = score_dates((p.truth.get("date"), o.date) for p, o in zip(group, out, strict=True))
            summary["dates"].setdefault(ds, {})[name] = {
                "pages": dates.pages, "tp": dates.tp, "fp": dates.fp, "fn": dates.fn, "accuracy": dates.accuracy,
                "precision": dates.precision, "recall": dates.recall, "f1": dates.f1,
            }  # fmt: skip
        if "authors" in tool.fields and ds in AUTHORED:
            match = score_authors((truth_authors(p.truth), o.authors or ()) for p, o in zip(group, out, strict=True))
            summary["authors"].setdefault(ds, {})[name] = {"pages": match.pages, "accuracy": match.accuracy}
        if "title" in tool.fields and ds in TITLED:
            match = score_titles((p.truth.get("title"), o.title) for p, o in zip(group, out, strict=True))
            summary["titles"].setdefault(ds, {})[name] = {"pages": match.pages, "accuracy": match.accuracy}
        if record.errors:
            entry = summary["exceptions"].setdefault(name, {"count": 0, "first": record.first_error})
            entry["count"] += record.errors
    return summary


# --- report -----------------------------------------------------------------------------------------------------


def split_datasets(data: Path, splits: Path = SPLITS) -> dict[str, list[str]]:
    """Split name -> the datasets whose pages it holds (from bench/splits/extraction.json)."""
    ids = json.loads(splits.read_text(encoding="utf-8"))
    dataset_of = {p.id: p.dataset for p in load_pages(data, DATASETS)}
    found = {name: {dataset_of.get(i) for i in members} for name, members in ids.items() if not name.startswith("_")}
    return {name: [ds for ds in DATASETS if ds in sets] for name, sets in found.items()}


def header(data: Path, splits: dict[str, list[str]]) -> list[str]:
    versions = []
    for dist in ("trafilatura", "htmldate", "readability-lxml", "newspaper4k", "resiliparse", "newsgraph"):
        try:
            versions.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{dist} not installed")
    dev, test, dates = (", ".join(splits.get(name, [])) for name in ("dev", "test", "dates"))
    return [
        f"splits: dev (tuned on) = {dev}; test (never tuned on) = {test}; dates only = {dates}",
        f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()} ({platform.system()} {platform.machine()})"
        ", one process, per-page time.perf_counter",
        f"data: {data}",
        f"versions: {', '.join(versions)}",
    ]


def format_table(title: str, head: Sequence[str], rows: Sequence[Sequence[str]], left: int = 1) -> str:
    """Plain aligned text: the first `left` columns left-aligned, the others right-aligned."""
    widths = [max(len(row[i]) for row in (head, *rows)) for i in range(len(head))]

    def line(cells: Sequence[str]) -> str:
        padded = (c.ljust(w) if i < left else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
        return "  ".join(padded)

    return "\n".join([title, line(head), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])


def _split_of(ds: str, splits: dict[str, list[str]]) -> str:
    return next((name for name, members in splits.items() if ds in members), "unlisted")


def body_tables(summary: dict[str, Any], tools: Sequence[Tool], missing: Sequence[str], splits: Any) -> list[str]:
    tables = []
    for ds in (d for d in DATASETS if d in summary["body"]):
        by_tool, rows = summary["body"][ds], []
        for tool in tools:
            if "body" not in tool.fields:
                continue
            if tool.name in missing:
                rows.append([tool.name, "not installed", "", "", "", ""])
            elif tool.name in by_tool:
                f = by_tool[tool.name]
                cells = [f"{f[k]:.3f}" for k in ("f1", "precision", "recall")]
                rows.append([tool.name, *cells, f"{f['pages_per_s']:.1f}", str(f["exceptions"])])
        pages = max(f["pages"] for f in by_tool.values())
        title = f"\n{ds} — {_split_of(ds, splits)} split, {pages} pages (ScrapingHub 4-gram shingle metric)"
        tables.append(format_table(title, ["tool", "F1", "P", "R", "pages/s", "exceptions"], rows))
    return tables


def date_table(summary: dict[str, Any], tools: Sequence[Tool]) -> str:
    rows = []
    for ds in (d for d in DATASETS if d in summary["dates"]):
        by_tool = summary["dates"][ds]
        for tool in tools:
            if tool.name in by_tool:
                f = by_tool[tool.name]
                cells = [f"{f[k]:.3f}" for k in ("accuracy", "precision", "recall", "f1")]
                rows.append([ds, tool.name, str(f["pages"]), *cells, f"{f['tp']}/{f['fp']}/{f['fn']}"])
    title = "\nDates, day level (accuracy = correct / dated pages; P = TP/(TP+FP), R = TP/(TP+FN); FP = wrong date)"
    return format_table(title, ["dataset", "tool", "dated", "accuracy", "P", "R", "F1", "TP/FP/FN"], rows, left=2)


def meta_table(summary: dict[str, Any], tools: Sequence[Tool]) -> str:
    columns = [("authors", ds) for ds in AUTHORED] + [("titles", ds) for ds in TITLED]
    rows = []
    for tool in tools:
        cells = []
        for kind, ds in columns:
            f = summary[kind].get(ds, {}).get(tool.name)
            cells.append(f"{f['accuracy']:.3f} ({f['pages']})" if f else "-")
        if any(c != "-" for c in cells):
            rows.append([tool.name, *cells])
    head = ["tool", *(f"{kind[:-1]} {ds}" for kind, ds in columns)]
    return format_table("\nAuthors and titles, exact match after normalisation (pages with a reference)", head, rows)


def exception_lines(summary: dict[str, Any]) -> list[str]:
    lines = ["\nExceptions (each counted as an empty prediction):"]
    for name, entry in summary["exceptions"].items():
        lines.append(f"  {name}: {entry['count']} (first: {entry['first']})")
    return lines if len(lines) > 1 else ["\nExceptions: none"]


# --- command line -----------------------------------------------------------------------------------------------


def _names(values: Sequence[str] | None) -> list[str]:
    return [v for value in values or () for v in value.split(",") if v]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--datasets", nargs="+", help=f"datasets or aliases ({', '.join(ALIASES)}); default all")
    parser.add_argument("--limit", type=int, help="at most N pages per dataset")
    parser.add_argument("--tools", nargs="+", help=f"tools to run (default all): {', '.join(TOOLS)}")
    parser.add_argument("--skip", nargs="+", help="tools not to run, e.g. --skip newspaper4k")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--text-only", action="store_true", help="only the tools that read text/")
    only.add_argument("--html-only", action="store_true", help="only the tools that read html/")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write all figures to OUT")
    parser.add_argument("--data", type=Path, default=DATA, help=f"benchmark folder (default {DATA})")
    args = parser.parse_args(argv)
    unknown = [n for n in _names(args.tools) + _names(args.skip) if n not in TOOLS]
    datasets = [ALIASES.get(d, d) for d in _names(args.datasets)] or list(DATASETS)
    unknown += [d for d in datasets if d not in DATASETS]
    if unknown:
        parser.error(f"unknown tool or dataset: {', '.join(unknown)}")
    args.datasets = [d for d in DATASETS if d in datasets]
    return args


def select_tools(args: argparse.Namespace) -> list[Tool]:
    chosen = _names(args.tools) or list(TOOLS)
    skipped = set(_names(args.skip))
    source = "text" if args.text_only else "html" if args.html_only else None
    return [t for t in TOOLS.values() if t.name in chosen and t.name not in skipped and source in (None, t.source)]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not (args.data / "truth.jsonl").is_file():
        print(f"benchmark data absent: {args.data} has no truth.jsonl (expected ../shared beside the checkout)")
        return 2
    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)
    splits = split_datasets(args.data)
    print("\n".join(header(args.data, splits)))
    tools = select_tools(args)
    runners, missing = load_runners(tools)
    pages = load_pages(args.data, args.datasets, args.limit)
    limit = f", at most {args.limit} per dataset" if args.limit else ""
    print(f"pages: {len(pages)}{limit}; tools: {', '.join(t.name for t in tools)}")
    print(f"not installed (skipped): {', '.join(missing) or 'none'}", flush=True)
    started = time.perf_counter()
    records = run_tools(args.data, pages, tools, runners, progress=True)
    summary = summarise(records, pages)
    print("\n".join(body_tables(summary, tools, missing, splits)))
    print(date_table(summary, tools))
    print(meta_table(summary, tools))
    print("\n".join(exception_lines(summary)))
    print(f"\nwall time: {time.perf_counter() - started:.0f} s")
    if args.json:
        meta = {"header": header(args.data, splits), "splits": splits, "limit": args.limit, "not_installed": missing}
        args.json.write_text(json.dumps(meta | summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
