"""Hostile flattened pages: the extractor returns an Article, within bounded time, whatever it is given."""

from __future__ import annotations

import random
import time

import pytest

from newsgraph.extract.textpage import MAX_BLOCK_CHARS, extract_text_page

GOOD = "Officials from both countries met in Geneva on Monday to discuss a prisoner exchange, the ministry said."


def timed(text: str) -> tuple[float, tuple[str, ...]]:
    start = time.perf_counter()
    article = extract_text_page(text)
    return time.perf_counter() - start, article.paragraphs


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n\t  ",
        " date 2024-01-01",
        " date 2024-13-45 Not a real date",
        "\u200b\u202e\u200f" * 5000,
        "\x00\x01\x02 binary-looking text \ufffd\ufffd",
    ],
)
def test_hostile_text_degenerate_pages_give_an_article(text: str) -> None:
    seconds, paragraphs = timed(text)
    assert seconds < 2 and paragraphs == ()


def test_hostile_text_fifty_megabytes_on_one_line_is_bounded() -> None:
    seconds, paragraphs = timed("word comment " * 4_000_000)
    assert seconds < 5
    assert all(len(p) <= MAX_BLOCK_CHARS for p in paragraphs)


def test_hostile_text_millions_of_lines_are_bounded() -> None:
    seconds, _ = timed("Home | News\n" * 2_000_000 + GOOD + "\n")
    assert seconds < 5


def test_hostile_text_random_bytes_decoded_with_replacement() -> None:
    noise = bytes(random.Random(7).getrandbits(8) for _ in range(1_000_000)).decode("utf-8", "replace")
    seconds, _ = timed(noise)
    assert seconds < 5


def test_hostile_text_body_survives_between_junk() -> None:
    junk = "\n".join(["\u200b" * 50, "Home | News", "\ufffd" * 30])
    _, paragraphs = timed("\n".join([junk, GOOD, GOOD.replace("Monday", "Tuesday"), junk]))
    assert GOOD in paragraphs
