"""Property-based fuzzing (the quick subset; bench/fuzz.py runs 10,000 cases with a watchdog): whatever bytes
arrive, the readers give documents, links or per-document errors that name their source, and the extractors give
an article; nothing raises and nothing runs away."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.extract import extract
from newsgraph.ingest import read_source
from newsgraph.limits import Limits, within
from newsgraph.models import DocError, Page, ToFetch
from tests.hardening.cases import SEEDS, mutate

QUICK = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
HANG = Limits(seconds=20, memory_mb=1024)  # a case over this is a hang or a leak: the test fails with its input


def read_and_extract(origin: str, data: bytes) -> list[Page | DocError | ToFetch]:
    with within(HANG, origin):
        documents = list(read_source(origin, data))
        for document in documents:
            assert isinstance(document, Page | DocError | ToFetch)
            assert document.origin.startswith(origin)
            if isinstance(document, Page):
                article = extract(document)
                assert article.text == "\n\n".join(article.paragraphs)
    return documents


@QUICK
@given(kind=st.sampled_from(sorted(SEEDS)), seed=st.integers(0, 2**32 - 1))
def test_fuzz_mutated_inputs_of_every_kind(kind: str, seed: int) -> None:
    data = mutate(SEEDS[kind](), random.Random(seed), rounds=6)
    assert read_and_extract(f"case.{kind}", data)


@QUICK
@given(data=st.binary(max_size=4096))
def test_fuzz_raw_bytes(data: bytes) -> None:
    documents = read_and_extract("raw", data)
    assert documents


@QUICK
@given(text=st.text(max_size=3000), fmt=st.sampled_from(["page", "html", "text"]))
def test_fuzz_any_text_gives_an_article(text: str, fmt: str) -> None:
    with within(HANG, "text"):
        article = extract(Page(origin="text", content=text, fmt=fmt))  # type: ignore[arg-type]
    assert isinstance(article.paragraphs, tuple)


@QUICK
@given(
    tags=st.lists(st.sampled_from(["<div>", "</div>", "<p>", "</p>", "<td>", "<table>", "<!--", "-->", "<li>", "x"]))
)
def test_fuzz_markup_soup_gives_an_article(tags: list[str]) -> None:
    html = "<html><body>" + "".join(tags) * 50 + "<p>Officials met in Geneva on Monday to talk.</p></body></html>"
    with within(HANG, "soup"):
        extract(Page(origin="soup", content=html, fmt="html"))
