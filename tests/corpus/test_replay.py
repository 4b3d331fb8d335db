"""The corpus rules replayed in memory (newsgraph.corpus.replay): the pieces whose order and caps must match the
store's incremental lookups. The whole replay is compared with the store in tests/runners/test_spark.py."""

from __future__ import annotations

import json

from newsgraph.corpus.replay import (
    EventInput,
    StoryInput,
    band_candidates,
    effective_day,
    happening_key,
    join_happenings,
    join_stories,
    likeliest,
)


def test_replay_band_candidates_are_the_latest_earlier_articles() -> None:
    members = [(seq, f"d{seq}") for seq in range(60)]
    found = [c for doc, c in band_candidates(members, band=3) if doc == "d55"]
    assert [seq for _, seq, _ in found] == list(range(54, 4, -1))  # the 50 before it, latest first
    assert not [c for doc, c in band_candidates(members, 3) if doc == "d0"]


def test_replay_likeliest_ranks_by_shared_bands_then_first_met() -> None:
    candidates = [("a", 1, 0), ("b", 2, 0), ("b", 2, 1), ("c", 3, 1), ("a", 1, 2), ("d", 4, 0)]
    assert likeliest(candidates) == ["b", "a", "d", "c"]  # a, b: two bands; d met in band 0 before c in band 1


def test_replay_effective_day() -> None:
    assert effective_day("2023-09", None) == "2023-09-01"
    assert effective_day(None, "2023-09-13") == "2023-09-13"
    assert effective_day("2023", "2023-09-13") == "2023-01-01"
    assert effective_day(None, None) is None
    assert effective_day("2023-W37", None) is None


def test_replay_a_copy_joins_its_originals_story() -> None:
    stories = join_stories([
        StoryInput(0, "a", "a", "2024-03-01", "Russia and China hold talks", (("RUS", 3), ("CHN", 2))),
        StoryInput(1, "b", "b", "2024-03-02", "Russia China talks continue", (("RUS", 1), ("CHN", 1))),
        StoryInput(2, "c", "a", None, "Unrelated headline", ()),
        StoryInput(3, "d", "d", "2024-05-20", "Russia and China hold talks", (("RUS", 3), ("CHN", 2))),
    ])  # fmt: skip
    assert [(s.key, s.doc_ids) for s in stories] == [(0, ["a", "b", "c"]), (3, ["d"])]
    assert (stories[0].first_date, stories[0].last_date) == ("2024-03-01", "2024-03-02")


def _event(source: str, target: str, sentence: str, when: str | None, start: int = 0) -> str:
    return json.dumps({
        "source": {"country": source}, "target": {"country": target}, "plover": "CONSULT", "cameo": "040",
        "date": when, "sentence": sentence, "start": start, "confidence": 0.6, "location": None,
    })  # fmt: skip


def test_replay_happenings_merge_mutual_acts_and_count_copies_once() -> None:
    said = "Putin met Kim at the Vostochny cosmodrome to discuss military cooperation"
    reports = [
        EventInput(0, 0, "a", "a", "Outlet A", _event("RUS", "PRK", said, "2023-09-13")),
        EventInput(1, 0, "b", "a", "Outlet B", _event("PRK", "RUS", said, "2023-09-13")),  # a copy, sides swapped
        EventInput(2, 0, "c", "c", "Outlet C", _event("RUS", "PRK", "Putin met Kim again", "2023-12-01")),
    ]
    assert len({happening_key(json.loads(r.json)) for r in reports}) == 1
    found = join_happenings(reports)
    assert [(h.key, h.mentions, h.articles, h.sources, h.independent) for h in found] == [
        ((0, 0), 2, 2, 2, 1),
        ((2, 0), 1, 1, 1, 1),
    ]
