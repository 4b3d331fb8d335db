"""Hostile inputs for the readers and extractors: the committed corpus (tests/hardening/nasty/), the large cases made
on demand (too big to commit), well-formed seeds of every input kind, and the mutations the fuzzers apply to them.

`python -m tests.hardening.cases` writes the committed corpus again.
"""

from __future__ import annotations

import gzip
import io
import json
import random
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

NASTY = Path(__file__).parent / "nasty"
SENTENCE = "Russian Foreign Minister Sergei Lavrov met North Korean leader Kim Jong Un in Pyongyang on Tuesday."


# -- well-formed seeds of each input kind: what the fuzzers mutate ----------------------------------------------
def seed_text_page() -> bytes:
    return f" date 2023-10-19 Lavrov in Pyongyang\nLavrov in Pyongyang\n{SENTENCE}\nThe Kremlin said so.\n".encode()


def seed_html() -> bytes:
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Lavrov in Pyongyang</title>"
        "<meta property='article:published_time' content='2023-10-19T08:00:00Z'></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/world'>World</a></nav><article><h1>Lavrov in Pyongyang</h1>"
        f"<p>{SENTENCE}</p><p>The two sides discussed military cooperation, the ministry said.</p></article>"
        "<footer>© News</footer></body></html>"
    ).encode()


def seed_warc(gz: bool = False) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    for n in range(2):
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"https://news.example/{n}",
            "response",
            payload=io.BytesIO(seed_html()),
            http_headers=http,
            warc_headers_dict={"WARC-Date": "2023-10-19T08:00:00Z", "WARC-Record-ID": f"<urn:uuid:{n:032x}>"},
        )
        writer.write_record(record)
    return buffer.getvalue()


def seed_rss() -> bytes:
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>News</title>"
        "<item><title>Lavrov in Pyongyang</title><link>https://news.example/a</link>"
        "<pubDate>Thu, 19 Oct 2023 08:00:00 GMT</pubDate>"
        f"<description><![CDATA[<p>{SENTENCE}</p><p>{SENTENCE}</p>]]></description></item>"
        "<item><title>Link only</title><link>https://news.example/b</link></item></channel></rss>"
    ).encode()


def seed_atom() -> bytes:
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'><title>News</title>"
        "<entry><title>Lavrov in Pyongyang</title><link href='https://news.example/c'/>"
        f"<updated>2023-10-19T08:00:00Z</updated><content type='html'>&lt;p&gt;{SENTENCE}&lt;/p&gt;</content>"
        "</entry></feed>"
    ).encode()


def seed_jsonl() -> bytes:
    rows = [{"text": SENTENCE * 3, "url": f"https://news.example/{n}", "date": "2023-10-19"} for n in range(3)]
    return "".join(json.dumps(row) + "\n" for row in rows).encode()


def seed_csv() -> bytes:
    return f'title,text,date\nLavrov,"{SENTENCE} {SENTENCE}",2023-10-19\nAgain,"{SENTENCE}",2023-10-20\n'.encode()


def seed_gzip() -> bytes:
    return gzip.compress(seed_jsonl(), mtime=0)


def seed_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_member("a.txt"), seed_text_page())
        archive.writestr(_member("b.html"), seed_html())
    return buffer.getvalue()


def _member(name: str) -> zipfile.ZipInfo:
    return zipfile.ZipInfo(name, date_time=(2023, 10, 19, 0, 0, 0))  # a fixed time: the same bytes every time


SEEDS: dict[str, Callable[[], bytes]] = {
    "text": seed_text_page,
    "html": seed_html,
    "warc": seed_warc,
    "warc.gz": lambda: seed_warc(gz=True),
    "rss": seed_rss,
    "atom": seed_atom,
    "jsonl": seed_jsonl,
    "csv": seed_csv,
    "gzip": seed_gzip,
    "zip": seed_zip,
}


# -- mutations ---------------------------------------------------------------------------------------------------
_TOKENS = [
    b"\x00", b"\xff", b"\xfe\xff", b"\xef\xbb\xbf", b"<", b">", b"</", b"<div>", b"<!--", b"-->", b"<![CDATA[", b"]]>",
    b"&", b"&#0;", b"&#xD800;", b"&lol;", b'"', b"'", b"\r\n", b"\n\n", b"{", b"}", b"[", b"]", b"\\", b"\\u0000",
    b",", b"\t", b"WARC/1.0\r\n", b"Content-Length: 999999\r\n", b"Content-Length: -1\r\n", b"\xe2\x80\xae",
    b"\xe2\x80\x8b", b"\x1f\x8b", b"PK\x03\x04", b" date 2023-13-45 ", b"%s%n", b"\xf0\x9f\x92\xa9",
]  # fmt: skip


def mutate(data: bytes, rng: random.Random, rounds: int = 4) -> bytes:
    """The bytes after a few random edits: flips, cuts, repeats, and tokens that readers treat specially."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, rounds)):
        if not buf:
            buf.extend(rng.choice(_TOKENS))
            continue
        at = rng.randrange(len(buf))
        op = rng.randrange(7)
        if op == 0:
            buf[at] = rng.randrange(256)
        elif op == 1:
            del buf[at : at + rng.randint(1, 64)]
        elif op == 2:
            buf[at:at] = rng.choice(_TOKENS) * rng.choice((1, 1, 2, 50, 1000))
        elif op == 3:
            end = min(len(buf), at + rng.randint(1, 200))
            buf[at:at] = bytes(buf[at:end]) * rng.randint(2, 100)
        elif op == 4:
            del buf[at:]
        elif op == 5:
            buf[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 32)))
        else:
            buf[at:at] = rng.choice(_TOKENS)
    return bytes(buf)


def fuzz_cases(count: int, seed: int = 0) -> Iterator[tuple[str, bytes]]:
    """`count` (kind, bytes) mutants of the seeds, round robin over the kinds, reproducible from `seed`."""
    rng = random.Random(seed)
    seeds = {kind: make() for kind, make in SEEDS.items()}
    kinds = list(seeds)
    for n in range(count):
        kind = kinds[n % len(kinds)]
        yield kind, mutate(seeds[kind], rng)


# -- the nasty corpus --------------------------------------------------------------------------------------------
def small_cases() -> dict[str, bytes]:
    """The committed cases (each under 200 KB)."""
    warc_head = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example/x\r\n"
        b"WARC-Date: 2023-10-19T08:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n"
    )
    payload = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + seed_html()
    laughs = [b'<!ENTITY l0 "lol">'] + [
        b'<!ENTITY l%d "%s">' % (i, b"".join(b"&l%d;" % (i - 1) for _ in range(10))) for i in range(1, 10)
    ]
    return {
        "invalid_utf8.txt": b" date 2023-10-19 Bad bytes\n" + b"Officials \xff\xfe\xc3\x28 met. " * 200,
        "utf16le_no_bom.txt": (SENTENCE + "\n").encode("utf-16-le") * 20,
        "utf16be_no_bom.html": seed_html().decode().encode("utf-16-be"),
        "nul_bytes.txt": (SENTENCE.encode() + b"\x00") * 200,
        "rtl_zero_width.txt": (
            " date 2023-10-19 \u202eLavrov\u202c\n" + ("\u202e" + SENTENCE + "\u200b\u200d\u2067x\u2069 ") * 300
        ).encode(),
        "warc_lying_length.warc": warc_head + b"Content-Length: 999999999\r\n\r\n" + payload + b"\r\n\r\n",
        "warc_short_length.warc": (warc_head + b"Content-Length: 10\r\n\r\n" + payload + b"\r\n\r\n") * 3,
        "warc_negative_length.warc": warc_head + b"Content-Length: -40\r\n\r\n" + payload + b"\r\n\r\n",
        "warc_truncated.warc.gz": seed_warc(gz=True)[:-200],
        "feed_billion_laughs.xml": b'<?xml version="1.0"?><!DOCTYPE r [' + b"".join(laughs) + b"]>"
        b'<rss version="2.0"><channel><title>&l9;</title><item><title>&l9;</title><description>&l9;</description>'
        b"<link>https://news.example/l</link></item></channel></rss>",
        "feed_external_entity.xml": b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<rss version="2.0"><channel><title>t</title><item><title>&x;</title><description>&x; '
        + SENTENCE.encode()
        + b"</description><link>https://news.example/x</link></item></channel></rss>",
        "jsonl_deep_nesting.jsonl": seed_jsonl() + b'{"text": ' + b"[" * 100_000 + b"\n" + seed_jsonl(),
        "jsonl_mixed_garbage.jsonl": seed_jsonl() + b"{not json\n\xff\xfe\n[1, 2]\n" + seed_jsonl(),
        "csv_unterminated_quote.csv": b'title,text\nA,"' + SENTENCE.encode() * 50 + b"\n",
        "gzip_truncated.txt.gz": gzip.compress(seed_text_page() * 50, mtime=0)[:-30],
        "zip_path_traversal.zip": _zip({"../../escape.txt": seed_text_page(), "/abs/path.html": seed_html()}),
        "zip_corrupt.zip": b"PK\x03\x04" + b"\x00" * 200,
        "html_unclosed_comment.html": b"<html><body><p>" + SENTENCE.encode() + b"</p><!-- " + b"<p>x</p>" * 5000,
        "html_many_attributes.html": b"<html><body><p " + b'a="b" ' * 20_000 + b">" + SENTENCE.encode() + b"</p>",
        "html_script_only.html": b"<html><head><script>" + b"var a = '<p>';" * 5000 + b"</script></head></html>",
        "control_characters.txt": bytes(range(1, 32)) * 500,
        "empty.txt": b"",
        "whitespace_only.txt": b" \n\t\r\n" * 1000,
    }


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(_member(name), data)
    return buffer.getvalue()


def big_cases() -> Iterator[tuple[str, Callable[[], bytes]]]:
    """The large cases, made when asked for (name, maker)."""
    yield "single_line_100mb.txt", lambda: b" date 2023-10-19 One line\n" + b"word " * (20 * 1024 * 1024)
    yield "sentence_1mb.txt", lambda: b" date 2023-10-19 Long\n" + b"Officials met in Geneva and " * 37_500 + b"left."
    yield "nesting_100k.html", lambda: b"<html><body>" + b"<div>" * 100_000 + SENTENCE.encode() + b"</div>" * 100_000
    yield "nesting_unclosed_100k.html", lambda: b"<html><body>" + b"<div><span>" * 100_000
    yield "gzip_bomb_1gb.txt.gz", _gzip_bomb


def _gzip_bomb(size: int = 1 << 30) -> bytes:
    """A gzip stream of `size` zero bytes (about 1 MB for 1 GB), compressed in chunks."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(1 << 20)
    out = [packer.compress(chunk) for _ in range(size // len(chunk))]
    out.append(packer.flush())
    return b"".join(out)


def write_corpus(folder: Path = NASTY) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in small_cases().items():
        (folder / name).write_bytes(data)


if __name__ == "__main__":
    write_corpus()
