"""Near-duplicates, happenings and stories: the pure rules, and the store applying them as articles arrive."""

from __future__ import annotations

from pathlib import Path

from newsgraph.corpus.dedup import containment, fingerprint, is_copy, jaccard
from newsgraph.corpus.merge import dates_close, independent_confidence, same_parties, sentences_agree
from newsgraph.ingest import read_page
from newsgraph.models import Analysis
from newsgraph.pipeline import analyze_pages
from newsgraph.store.sqlite import SqliteStore
from tests.conftest import EXAMPLES

STORY = (
    "Russian Foreign Minister Sergei Lavrov arrived in Pyongyang on Wednesday for two days of talks with his North "
    "Korean counterpart Choe Son Hui, a month after Kim Jong Un met Vladimir Putin at a spaceport in Russia's far "
    "east. The visit comes as Washington accuses Pyongyang of supplying artillery shells and rockets to Moscow for "
    "its war in Ukraine, which both countries deny. Lavrov is expected to discuss a return visit by Putin."
)
OTHER = (
    "Chinese President Xi Jinping met US Secretary of State Antony Blinken in Beijing on Monday and said the two "
    "sides had made progress on some issues, as the world's two largest economies try to steady relations strained "
    "by disputes over Taiwan, technology exports and a suspected spy balloon shot down earlier this year."
)


def test_copies_and_cut_down_copies_are_copies_other_stories_are_not() -> None:
    full = fingerprint(STORY)
    assert is_copy(full, fingerprint(STORY))
    assert is_copy(full, fingerprint("MOSCOW (Wire) - " + STORY + " Reporting by a staff writer."))
    cut = fingerprint(STORY.rsplit(". ", 1)[0])
    assert containment(full, cut) >= 0.8 and is_copy(full, cut)
    assert jaccard(full, fingerprint(OTHER)) < 0.1 and not is_copy(full, fingerprint(OTHER))


def test_same_happening_rules() -> None:
    assert dates_close("2023-10-18", "2023-10-17", "2023-10-17")
    assert not dates_close("2023-10-20", "2023-10-17", "2023-10-18")
    assert dates_close("2023-10", "2023-10-17", None) and not dates_close(None, "2023-10-17", None)
    meeting = {"source_country": "PRK", "target_country": "RUS", "plover": "CONSULT"}
    assert same_parties(meeting, "RUS", "PRK", "CONSULT")  # a meeting is mutual
    promise = {"source_country": "PRK", "target_country": "RUS", "plover": "AGREE"}
    assert not same_parties(promise, "RUS", "PRK", "AGREE")  # a promise has a direction
    assert sentences_agree(
        "Lavrov arrived in Pyongyang for talks", ["Lavrov landed in Pyongyang for two days of talks"]
    )
    assert not sentences_agree("Kim pledged full support", ["Putin offered military cooperation"])
    assert independent_confidence([0.5, 0.5]) == 0.75


def test_store_merges_reports_and_counts_copies_once(resources, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pages = [read_page(EXAMPLES / name) for name in (
        "007_kim-putin-vostochny-summit.txt", "008_putin-kim-vostochny-syndicated.txt",
    )]  # fmt: skip
    with SqliteStore(tmp_path / "c.db") as store:
        for result in analyze_pages(pages, resources):
            assert isinstance(result, Analysis)
            store.put_analysis(result.page.content_hash, result)
        [first, second] = [p.content_hash for p in pages]  # type: ignore[union-attr]
        assert store.copies(second)[0] == first  # the syndicated copy's canonical is the original
        summit = [h for h in store.happenings(dyad=("PRK", "RUS"), plover="CONSULT") if h["articles"] == 2]
        assert summit, "the summit reported by both articles is one happening"
        assert summit[0]["independent_sources"] == 1 and summit[0]["mention_count"] >= 2
        assert {m["doc_id"] for m in summit[0]["mentions"]} == {first, second}
        assert len(store.happenings()) < len(store.events())
        [story] = [s for s in store.stories() if len(s["articles"]) == 2]
        assert {a["doc_id"] for a in story["articles"]} == {first, second}
