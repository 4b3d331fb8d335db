"""read_source: containers are sniffed from content and every document (or its error) comes out, in order."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import time
import zipfile
import zlib
from collections.abc import Iterable

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsgraph.ingest.readers import RecordFields, container_kind, read_source
from newsgraph.ingest.records import day_of
from newsgraph.models import DocError, Page, ToFetch

PARAGRAPH = "Ministers met in the capital on Tuesday to discuss the ceasefire and the exchange of prisoners. "
RUSSIAN = "Министр иностранных дел России Сергей Лавров прибыл в Пхеньян"
WARC_HTML = [
    (f"https://news.example/story-{n}", f"<html><head><title>Story {n}</title></head><body><p>{PARAGRAPH * 5}</p>")
    for n in range(1, 4)
]


def html_response(writer: WARCWriter, url: str, body: bytes, headers: list[tuple[str, str]] | None = None) -> None:
    http = StatusAndHeaders("200 OK", headers or [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http)
    writer.write_record(record)


def build_warc(gz: bool) -> tuple[bytes, list[int]]:
    """3 HTML responses, a request and a PNG response; returns the bytes and the offset of each HTML response."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    offsets = []
    for index, (url, html) in enumerate(WARC_HTML):
        offsets.append(buffer.tell())
        html_response(writer, url, html.encode())
        if index == 0:
            request = StatusAndHeaders("GET /story-1 HTTP/1.1", [("Host", "news.example")], is_http_request=True)
            record = writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=request)
            writer.write_record(record)
            html_response(
                writer, "https://news.example/logo.png", b"\x89PNG\r\n\x1a\n", [("Content-Type", "image/png")]
            )
    return buffer.getvalue(), offsets


def read(data: bytes, origin: str = "in.dat", **options: object) -> list[Page | DocError | ToFetch]:
    return list(read_source(origin, data, **options))  # type: ignore[arg-type]


def pages(items: Iterable[object]) -> list[Page]:
    return [item for item in items if isinstance(item, Page)]


def kinds(items: Iterable[object]) -> list[str]:
    return [type(item).__name__ for item in items]


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_warc_yields_one_page_per_html_response(gz: bool) -> None:
    data, _ = build_warc(gz)
    items = read(data, "crawl.warc.gz")
    assert kinds(items) == ["Page"] * 3
    found = pages(items)
    assert [page.url for page in found] == [url for url, _ in WARC_HTML]
    assert all(page.fmt == "html" and page.date is None for page in found)
    assert all(page.origin.startswith("crawl.warc.gz#urn:uuid:") for page in found)
    assert found[0].content == WARC_HTML[0][1]
    assert found[0].content_hash == hashlib.sha256(WARC_HTML[0][1].encode()).hexdigest()
    assert {page.date for page in pages(read(data, date="2023-10-18"))} == {"2023-10-18"}


def test_warc_chunked_and_gzip_encoded_bodies_are_decoded() -> None:
    html = WARC_HTML[0][1].encode()
    compressed = gzip.compress(html)
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(compressed), compressed)
    headers = [("Content-Type", "text/html"), ("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")]
    buffer = io.BytesIO()
    html_response(WARCWriter(buffer, gzip=False), "https://news.example/z", chunked, headers)
    (page,) = read(buffer.getvalue())
    assert isinstance(page, Page) and page.content == html.decode()


def test_truncated_warc_gives_the_good_records_then_one_error() -> None:
    data, offsets = build_warc(gz=False)
    cut = offsets[2] + (len(data) - offsets[2]) // 2
    items = read(data[:cut], "cut.warc")
    assert kinds(items) == ["Page", "Page", "DocError"]
    error = items[-1]
    assert isinstance(error, DocError) and error.stage == "ingest"
    assert f"WARC record at offset {offsets[2]} is truncated" in error.reason


def test_warc_cut_inside_a_skipped_record_is_still_reported() -> None:
    data, _ = build_warc(gz=False)
    request_end = data.index(b"WARC/1.0", data.index(b"WARC-Type: request"))  # the PNG response follows it
    items = read(data[: request_end - 10], "cut.warc")
    assert kinds(items) == ["Page", "DocError"]
    assert isinstance(items[1], DocError) and "is truncated" in items[1].reason


def test_truncated_warc_gz_keeps_the_records_before_the_damage() -> None:
    data, offsets = build_warc(gz=True)
    cut = offsets[2] + (len(data) - offsets[2]) // 2
    items = read(data[:cut], "cut.warc.gz")
    assert kinds(items) == ["Page", "Page", "DocError"]
    assert items[-1] == DocError("cut.warc.gz", "ingest", "truncated gzip stream after 2 documents")


def test_truncated_gzip_jsonl_gives_complete_lines_then_an_error() -> None:
    lines = [
        json.dumps({"text": f"{n} {PARAGRAPH}", "noise": hashlib.sha256(bytes([n])).hexdigest()}) for n in range(60)
    ]
    compressed = gzip.compress("\n".join(lines).encode() + b"\n")
    cut = compressed[: len(compressed) * 2 // 3]
    complete = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(cut).count(b"\n")
    items = read(cut, "records.jsonl.gz")
    assert 0 < complete < len(lines)
    assert kinds(items) == ["Page"] * complete + ["DocError"]
    assert items[-1] == DocError("records.jsonl.gz", "ingest", f"truncated gzip stream after {complete} documents")
    assert [page.origin for page in pages(items)][:2] == ["records.jsonl.gz:1", "records.jsonl.gz:2"]


RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment before the root -->
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Wire</title><link>https://wire.example/</link><description>News</description>
<item>
  <title>Talks &amp; truce in Doha</title>
  <link>https://wire.example/talks</link>
  <guid>https://wire.example/talks</guid>
  <pubDate>Wed, 18 Oct 2023 23:30:00 -0500</pubDate>
  <description>Short teaser.</description>
  <content:encoded><![CDATA[<p>{PARAGRAPH * 6}</p>]]></content:encoded>
</item>
<item>
  <title>Only a link</title>
  <link>https://wire.example/link-only</link>
  <pubDate>Thu, 19 Oct 2023 08:00:00 GMT</pubDate>
  <description>Short teaser.</description>
</item>
<item><title>Neither content nor link</title></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom wire</title><id>urn:feed</id>
<updated>2023-10-18T10:00:00Z</updated>
<entry><title>Summit ends</title><id>urn:entry:1</id><link href="https://atom.example/summit"/>
<published>2023-10-17T22:00:00+03:00</published><updated>2023-10-18T10:00:00Z</updated>
<content type="text">{PARAGRAPH * 5}</content></entry>
</feed>"""


def test_rss_inline_article_is_a_page_and_a_bare_link_is_to_fetch() -> None:
    items = read(RSS.encode(), "wire.dat", date="2000-01-01")
    assert kinds(items) == ["Page", "ToFetch", "DocError"]
    page, link, empty = items
    assert empty == DocError("wire.dat#3", "ingest", "entry 3 has no content or link")  # recorded, not dropped
    assert isinstance(page, Page) and isinstance(link, ToFetch)
    assert page.fmt == "html" and page.url == "https://wire.example/talks"
    assert page.date == "2023-10-18"  # the day as the outlet wrote it, not shifted to UTC
    assert page.origin == "wire.dat#https://wire.example/talks"
    assert page.content.startswith("<html><head><title>Talks &amp; truce in Doha</title></head><body><h1>")
    assert PARAGRAPH.strip() in page.content
    assert link == ToFetch("https://wire.example/link-only", "wire.dat", "Only a link", "2023-10-19")


def test_atom_entry_with_text_content() -> None:
    (page,) = read(ATOM.encode(), "atom.xml")
    assert isinstance(page, Page)
    assert (page.fmt, page.url, page.date) == ("text", "https://atom.example/summit", "2023-10-17")
    assert page.origin == "atom.xml#urn:entry:1"
    assert page.content.startswith("Summit ends\n" + PARAGRAPH.strip())


def test_jsonl_custom_fields_and_a_bad_line_in_the_middle() -> None:
    fields = RecordFields(text=("body_text",), url=("href",), date=("when",), title=("headline",))
    records = [
        {"body_text": PARAGRAPH, "href": "https://j.example/1", "when": "2023-10-18T09:15:00Z", "headline": "One"},
        "{not json",
        {"href": "https://j.example/no-text"},
        {"body_text": PARAGRAPH, "href": "https://j.example/2", "when": "2023-10-19"},
    ]
    data = "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records).encode()
    items = read(data, "dump.jsonl", fields=fields, date="2000-01-01")
    assert kinds(items) == ["Page", "DocError", "DocError", "Page"]
    first, bad, empty, last = items
    assert isinstance(first, Page) and isinstance(last, Page)
    assert (first.origin, first.url, first.date, first.fmt) == (
        "dump.jsonl:1",
        "https://j.example/1",
        "2023-10-18",
        "text",
    )
    assert first.content == "One\n" + PARAGRAPH.strip()
    assert first.content_hash == hashlib.sha256(first.content.encode()).hexdigest()
    assert isinstance(bad, DocError) and bad.origin == "dump.jsonl:2" and "line 2: invalid JSON" in bad.reason
    assert isinstance(empty, DocError) and "line 3: no text field (expected one of: body_text" in empty.reason
    assert (last.date, last.content) == ("2023-10-19", PARAGRAPH.strip())


def test_csv_with_a_header() -> None:
    text = (
        f'url,title,date,text\nhttps://c.example/1,First,2023-10-18,"{PARAGRAPH}"\n\nhttps://c.example/2,,bad,"Two"\n'
    )
    items = read(text.encode(), "rows.csv", date="2023-01-01")
    assert kinds(items) == ["Page", "Page"]
    first, second = pages(items)
    assert (first.origin, first.url, first.date) == ("rows.csv:2", "https://c.example/1", "2023-10-18")
    assert first.content == "First\n" + PARAGRAPH.strip()
    assert (second.origin, second.date, second.content) == ("rows.csv:4", "2023-01-01", "Two")


def test_zip_members_are_read_with_their_names() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("news/a.html", WARC_HTML[0][1])
        archive.writestr("news/b.htm", WARC_HTML[1][1])
        archive.writestr("more.jsonl", json.dumps({"text": PARAGRAPH}) + "\n" + json.dumps({"html": WARC_HTML[2][1]}))
        archive.writestr("__MACOSX/._a.html", b"\x00\x05\x16\x07")
        archive.writestr(".DS_Store", b"\x00\x00\x00\x01Bud1")
    items = read(buffer.getvalue(), "batch.zip")
    assert [(item.origin, item.fmt) for item in pages(items)] == [
        ("batch.zip!news/a.html", "html"),
        ("batch.zip!news/b.htm", "html"),
        ("batch.zip!more.jsonl:1", "text"),
        ("batch.zip!more.jsonl:2", "html"),
    ]
    assert len(items) == 4


def test_corrupt_zip_is_one_error() -> None:
    (error,) = read(b"PK\x03\x04" + b"\x00" * 40, "broken.zip")
    assert isinstance(error, DocError) and error.origin == "broken.zip" and "corrupt zip archive" in error.reason


def test_windows_1251_html_without_declaration_is_decoded() -> None:
    body = f"<p>{RUSSIAN}.</p><p>Визит продлится два дня, сообщили в министерстве иностранных дел.</p>" * 3
    data = f"<html><body>{body}</body></html>".encode("cp1251")
    (page,) = read(data, "ru.html")
    assert isinstance(page, Page) and page.fmt == "html"
    assert RUSSIAN in page.content
    assert page.content_hash == hashlib.sha256(data).hexdigest()


def test_declared_charset_is_used() -> None:
    data = f'<html><head><meta charset="windows-1251"></head><body><p>{RUSSIAN}</p></body></html>'.encode("cp1251")
    (page,) = read(data)
    assert isinstance(page, Page) and RUSSIAN in page.content


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "binary file (NUL bytes), not text"),
        ("Caf\u00e9 au lait pour tous".encode("latin-1"), "not valid UTF-8 text (byte 0xe9 at offset 3)"),
    ],
    ids=["empty", "png", "latin-1"],
)
def test_unreadable_single_documents_are_errors(data: bytes, reason: str) -> None:
    assert read(data, "bad.txt") == [DocError("bad.txt", "ingest", reason)]


def test_flattened_page_and_forced_format() -> None:
    data = b" date 2023-10-18 Headline\nBody paragraph one.\nBody paragraph two."
    (page,) = read(data, "-", date="2023-10-18")
    assert page == Page("-", data.decode(), "page", "2023-10-18", None, hashlib.sha256(data).hexdigest())
    (text,) = read(b"<p>looks like markup</p>", fmt="text")
    assert isinstance(text, Page) and text.fmt == "text"
    with pytest.raises(ValueError, match="unknown format"):
        read_source("x", b"", fmt="pdf")


def test_content_is_sniffed_not_the_file_name() -> None:
    warc, _ = build_warc(gz=False)
    assert kinds(read(warc, "saved.txt")) == ["Page"] * 3
    assert kinds(read(RSS.encode(), "feed.dat")) == ["Page", "ToFetch", "DocError"]
    assert container_kind(gzip.compress(warc)) == "gzip"
    assert container_kind(b"\xef\xbb\xbf\n" + ATOM.encode()) == "feed"
    assert container_kind(b"id\ttext\n1\thello\n") == "tsv"
    assert container_kind(b"text\nA one-line article that merely starts with a field name.") == "document"


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2023-10-18", "2023-10-18"),
        ("2023-10-18T23:30:00-05:00", "2023-10-18"),
        ("Wed, 18 Oct 2023 23:30:00 -0500", "2023-10-18"),
        (1697587200, "2023-10-18"),
        ("1697587200000", "2023-10-18"),
        ("2023-02-30", None),
        ("last Tuesday", None),
        (True, None),
    ],
)
def test_record_dates_are_normalised_or_left_out(value: object, day: str | None) -> None:
    assert day_of(value) == day


def test_feed_sniffing_takes_prologs_and_stays_linear_on_pages_full_of_comments() -> None:
    from newsgraph.ingest.feeds import is_feed

    assert is_feed('\ufeff<?xml version="1.0"?>\n<!-- generator --><rss version="2.0"><channel/></rss>')
    assert is_feed('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "x>y">]>\n<feed xmlns="x"/>')
    assert is_feed("<rdf:RDF xmlns:rdf='x'>")
    assert not is_feed("<!DOCTYPE html><html><body><rss>")
    assert not is_feed("<!-- never closed <rss>")
    # An HTML page that opens with hundreds of comments once took minutes here (a backtracking pattern).
    start = time.perf_counter()
    assert not is_feed("<!DOCTYPE html>" + "<!-- a --> <!-- b -->\n" * 2000 + "<html>")
    assert time.perf_counter() - start < 1.0


def test_an_html_page_whose_first_line_splits_into_a_text_cell_is_not_csv() -> None:
    page = b'<html lang="en"><head><meta name="x" content="a, text, b"><title>T</title></head><body><p>Body</p>'
    assert container_kind(page + b"</body></html>\n", RecordFields()) == "document"
    assert container_kind(b"id,title,text\n1,a,b\n", RecordFields()) == "csv"
