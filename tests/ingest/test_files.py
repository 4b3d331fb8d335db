from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.ingest import iter_paths, read_page, read_pages, sniff
from newsgraph.models import DocError, Page


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_files_page_html_and_text_sniffed(tmp_path: Path) -> None:
    assert sniff(" date 2024-01-02 A headline\n\nBody") == "page"
    assert sniff("<!DOCTYPE html><html><body><p>x</p></body></html>") == "html"
    assert sniff("Just a paragraph of clean text.\nAnother one.") == "text"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\n ", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("Caf\u00e9 au lait pour tous".encode("latin-1"), "not valid UTF-8"),
    ],
)
def test_files_unreadable_documents_become_errors(tmp_path: Path, data: bytes, reason: str) -> None:
    result = read_page(write(tmp_path / "bad.txt", data))
    assert isinstance(result, DocError)
    assert result.origin.endswith("bad.txt")
    assert result.stage == "ingest"
    assert reason in result.reason


def test_files_bom_is_dropped_and_hash_is_of_bytes(tmp_path: Path) -> None:
    page = read_page(write(tmp_path / "a.txt", b"\xef\xbb\xbf date 2024-01-02 Headline\n\nBody text here."))
    assert isinstance(page, Page)
    assert page.fmt == "page" and page.content.startswith(" date")
    assert len(page.content_hash) == 64


def test_files_folders_recursive_sorted_hidden_skipped(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("b.txt", "a.txt", "sub/c.txt", ".git/x.txt", ".hidden.txt"):
        write(tmp_path / name, b"text")
    names = [p.relative_to(tmp_path).as_posix() for p in iter_paths([str(tmp_path)])]
    assert names == ["a.txt", "b.txt", "sub/c.txt"]


def test_files_glob_and_missing_input(tmp_path: Path) -> None:
    write(tmp_path / "one.html", b"<html><body>x</body></html>")
    write(tmp_path / "two.txt", b"y")
    assert [p.name for p in iter_paths([str(tmp_path / "*.html")])] == ["one.html"]
    with pytest.raises(FileNotFoundError, match="nope"):
        list(iter_paths([str(tmp_path / "nope*.txt")]))


def test_files_bad_document_does_not_stop_the_rest(tmp_path: Path) -> None:
    write(tmp_path / "1.txt", b"good text")
    write(tmp_path / "2.txt", b"\x00\x01\x02")
    write(tmp_path / "3.txt", b"more good text")
    results = list(read_pages([str(tmp_path)]))
    assert [type(r).__name__ for r in results] == ["Page", "DocError", "Page"]
