"""The nasty corpus: every hostile input becomes documents or recorded per-document errors, none crashes or hangs a
run, and nothing else in the run is lost."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from newsgraph.extract import extract
from newsgraph.ingest import read_source
from newsgraph.limits import DocumentLimitError, Limits, within
from newsgraph.models import DocError, Page, ToFetch
from newsgraph.pipeline import analyze_pages
from tests.hardening.cases import NASTY, SENTENCE, big_cases, small_cases

HANG = 20.0  # seconds: far above any case's cost, far below a hang's

CASES: list[tuple[str, Callable[[], bytes]]] = [(p.name, p.read_bytes) for p in sorted(NASTY.iterdir())]
CASES += list(big_cases())


def test_nasty_committed_corpus_is_current() -> None:
    assert {p.name: p.read_bytes() for p in NASTY.iterdir()} == small_cases()


@pytest.mark.parametrize(("name", "make"), CASES, ids=[name for name, _ in CASES])
def test_nasty_case_reads_and_extracts_without_crash_or_hang(name: str, make: Callable[[], bytes]) -> None:
    data = make()
    started = time.perf_counter()
    documents = list(read_source(name, data))
    for document in documents:
        assert isinstance(document, Page | DocError | ToFetch)
        assert document.origin.startswith(name)
        if isinstance(document, DocError):
            assert document.reason
        if isinstance(document, Page):
            extract(document)
    assert documents, "every input gives at least a document or an error"
    assert time.perf_counter() - started < HANG


def test_nasty_feeds_never_expand_external_entities() -> None:
    documents = list(read_source("feed.xml", small_cases()["feed_external_entity.xml"]))
    assert documents
    assert not any("root:" in repr(d) for d in documents)


def test_nasty_utf16_without_bom_is_read() -> None:
    (page,) = read_source("a.txt", small_cases()["utf16le_no_bom.txt"])
    assert isinstance(page, Page) and SENTENCE in page.content
    (page,) = read_source("b.html", small_cases()["utf16be_no_bom.html"])
    assert isinstance(page, Page) and page.fmt == "html" and "Lavrov" in extract(page).text


def test_nasty_deep_json_line_is_one_error_and_reading_goes_on() -> None:
    documents = list(read_source("x.jsonl", small_cases()["jsonl_deep_nesting.jsonl"]))
    errors = [d for d in documents if isinstance(d, DocError)]
    assert [e.origin for e in errors] == ["x.jsonl:4"] and "nested too deeply" in errors[0].reason
    assert sum(isinstance(d, Page) for d in documents) == 6


def test_nasty_deep_nesting_keeps_the_text() -> None:
    make = dict(big_cases())["nesting_100k.html"]
    (page,) = read_source("deep.html", make())
    assert isinstance(page, Page)
    assert SENTENCE in extract(page).text


def test_limits_time_raises_inside_the_block() -> None:
    started = time.perf_counter()
    with pytest.raises(DocumentLimitError, match="time limit"), within(Limits(seconds=0.3, memory_mb=None), "doc"):
        while True:
            sum(range(1000))
    assert time.perf_counter() - started < 5


def test_limits_memory_raises_inside_the_block() -> None:
    hoard = []
    with pytest.raises(DocumentLimitError, match="memory limit"), within(Limits(seconds=None, memory_mb=64), "doc"):
        for _ in range(2000):  # up to 2 GB, 1 MB at a time, touched so that it is resident
            hoard.append(bytearray(1 << 20))
            time.sleep(0.001)
    assert len(hoard) < 2000
    hoard.clear()


def test_limits_without_a_limit_change_nothing() -> None:
    with within(Limits(seconds=None, memory_mb=None)):
        assert sum(range(10)) == 45


def test_limits_a_document_over_its_limit_is_its_own_error_and_the_others_go_on(resources) -> None:  # type: ignore[no-untyped-def]
    slow = Page("long.txt", dict(big_cases())["sentence_1mb.txt"]().decode(), "page")
    good = Page("good.txt", f" date 2023-10-19 Visit\n{SENTENCE}\n", "page")
    results = list(analyze_pages([good, slow, good], resources, limits=Limits(seconds=0.5, memory_mb=None)))
    assert [type(r).__name__ for r in results] == ["Analysis", "DocError", "Analysis"]
    error = results[1]
    assert isinstance(error, DocError) and error.origin == "long.txt" and "time limit" in error.reason


def test_nasty_corpus_ingests_with_every_file_accounted_for(tmp_path: Path, resources) -> None:  # type: ignore[no-untyped-def]
    from newsgraph.runners.local import ingest
    from newsgraph.store.sqlite import SqliteStore

    folder = tmp_path / "nasty"
    folder.mkdir()
    for name, make in CASES:
        (folder / name).write_bytes(make())
    (folder / "zz_good.txt").write_bytes(f" date 2023-10-19 Visit\n{SENTENCE}\n".encode())
    with SqliteStore(tmp_path / "n.db") as store:
        summary = ingest([str(folder)], store, resources)
        stored = [row["path"] for row in map(store.article, (a["doc_id"] for a in store.articles(1000)))]
        failed = [row["origin"] for row in store.errors()]
        links = [row["origin"] for row in store.links()]
    origins = [*stored, *failed, *links]
    lost = [name for name, _ in CASES if not any(o.startswith(str(folder / name)) for o in origins)]
    assert not lost  # each file gave an article, a recorded error or a link
    assert str(folder / "zz_good.txt") in stored
    assert summary.errors == len(failed) > 0


def test_limits_are_set_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from newsgraph.cli import main
    from newsgraph.store.sqlite import SqliteStore

    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "long.txt").write_bytes(dict(big_cases())["sentence_1mb.txt"]())
    (pages / "good.txt").write_text(f" date 2023-10-19 Visit\n{SENTENCE}\n", "utf-8")
    db = str(tmp_path / "limits.db")
    assert main(["ingest", str(pages), "--db", db, "--doc-seconds", "0.5"]) == 0
    assert "long.txt: nlp: DocumentLimitError: analysis took over 0.5 s (the time limit)" in capsys.readouterr().err
    with SqliteStore(db) as store:
        assert [e["origin"] for e in store.errors()] == [str(pages / "long.txt")]
        assert store.counts()["articles"] == 1
