"""The extraction scorers on tiny hand-made texts: every expected figure below is worked out by hand."""

from __future__ import annotations

import pytest

from newsgraph.evaluation.extraction import (
    PageCounts,
    body_score,
    date_outcome,
    day,
    normalise_authors,
    page_counts,
    score_authors,
    score_bodies,
    score_dates,
    score_titles,
    shingles,
    tokenize,
    truth_authors,
)

TEXT = "the quick brown fox jumps over the lazy dog"  # 9 tokens -> 6 shingles


def test_tokens_are_word_runs_with_case_kept() -> None:
    assert tokenize("Hello, World! it's 2024-05-03") == ["Hello", "World", "it", "s", "2024", "05", "03"]
    assert tokenize(None) == []


def test_shingles_are_a_multiset_of_four_token_windows() -> None:
    bag = shingles("a b c d a b c d")  # windows: abcd bcda cdab dabc abcd
    assert sum(bag.values()) == 5
    assert bag[("a", "b", "c", "d")] == 2


def test_short_text_is_one_shingle_of_all_its_tokens() -> None:
    assert shingles("Hello world") == {("Hello", "world"): 1}
    assert shingles("") == {}
    assert page_counts("Hello world", "Hello world") == PageCounts(1.0, 0.0, 0.0)
    assert page_counts("Hello world", "Hello there") == PageCounts(0.0, 0.5, 0.5)


def test_perfect_match_scores_one() -> None:
    score = score_bodies([(TEXT, TEXT), ("one two three four five", "one two three four five")])
    assert (score.f1, score.precision, score.recall) == (1.0, 1.0, 1.0)


def test_case_matters() -> None:
    assert score_bodies([(TEXT, TEXT.upper())]).f1 == 0.0


def test_disjoint_texts_score_zero() -> None:
    score = score_bodies([(TEXT, "completely different words that share nothing at all")])
    assert (score.f1, score.precision, score.recall) == (0.0, 0.0, 0.0)


def test_partial_overlap_by_hand() -> None:
    # truth: 6 shingles; prediction adds 2 tokens -> 8 shingles, 6 shared: tp=6 fp=2 fn=0 -> /8
    counts = page_counts(TEXT, TEXT + " and cat")
    assert counts == PageCounts(0.75, 0.25, 0.0)
    score = score_bodies([(TEXT, TEXT + " and cat")])
    assert score.precision == pytest.approx(0.75)
    assert score.recall == pytest.approx(1.0)
    assert score.f1 == pytest.approx(2 * 0.75 / 1.75)


def test_truncated_prediction_by_hand() -> None:
    # prediction keeps the first 6 of 9 tokens: 3 shingles, all in the truth: tp=3 fp=0 fn=3 -> /6
    counts = page_counts(TEXT, "the quick brown fox jumps over")
    assert counts == PageCounts(0.5, 0.0, 0.5)
    score = score_bodies([(TEXT, "the quick brown fox jumps over")])
    assert (score.precision, score.recall) == (1.0, 0.5)


def test_repeated_prediction_counts_extra_copies_as_false_positives() -> None:
    text = "one two three four"  # 1 shingle; twice -> 5 shingles, 2 of them 'one two three four'
    counts = page_counts(text, text + " " + text)
    assert counts.tp == pytest.approx(1 / 5) and counts.fp == pytest.approx(4 / 5) and counts.fn == 0.0


def test_empty_prediction_is_out_of_precision_but_in_recall() -> None:
    pages = [page_counts(TEXT, TEXT), page_counts(TEXT, "")]
    score = body_score(pages)
    assert score.predicted == 1 and score.with_truth == 2
    assert score.precision == 1.0  # only the first page has a prediction
    assert score.recall == 0.5  # (1 + 0) / 2
    assert score.f1 == pytest.approx(2 * 0.5 / 1.5)


def test_empty_truth_is_out_of_recall_but_in_precision() -> None:
    score = score_bodies([(TEXT, TEXT), ("", "menu home contact us")])
    assert (score.predicted, score.with_truth) == (2, 1)
    assert score.precision == 0.5 and score.recall == 1.0


def test_page_weights_are_equal_whatever_the_length() -> None:
    long_text = " ".join(f"w{i}" for i in range(400))
    score = score_bodies([(long_text, long_text), (TEXT, "nothing in common with the truth here")])
    assert score.precision == 0.5 and score.recall == 0.5


def test_no_pages_give_zero_not_an_error() -> None:
    assert score_bodies([]).f1 == 0.0
    assert score_bodies([("", "")]).f1 == 0.0


def test_day_is_the_first_ten_characters() -> None:
    assert day("2024-05-03 15:47:42.389000+00:00") == "2024-05-03"
    assert day("2024-05-03T23:30:00-05:00") == "2024-05-03"
    assert day("") is None and day(None) is None


def test_date_outcomes() -> None:
    assert date_outcome("2024-05-03 15:47:42+00:00", "2024-05-03") == "tp"
    assert date_outcome("2024-05-03", "2024-05-04") == "fp"  # a wrong date
    assert date_outcome("2024-05-03", None) == "fn"  # no date
    assert date_outcome("2024-05-03", "") == "fn"
    assert date_outcome(None, "2024-05-03") is None  # undated page: not scored


def test_date_scores_by_hand() -> None:
    pairs = [
        ("2020-01-01", "2020-01-01"),
        ("2020-01-02", "2020-01-02T10:00:00"),
        ("2020-01-03", "2019-12-31"),
        ("2020-01-04", None),
        (None, "2020-01-05"),
    ]
    score = score_dates(pairs)
    assert (score.pages, score.tp, score.fp, score.fn) == (4, 2, 1, 1)
    assert score.accuracy == 0.5
    assert score.precision == pytest.approx(2 / 3)
    assert score.recall == pytest.approx(2 / 3)
    assert score.f1 == pytest.approx(2 / 3)


def test_author_normalisation() -> None:
    assert normalise_authors(["  Jane   DOE ", "john smith", "Jane Doe", ""]) == ("jane doe", "john smith")


def test_truth_authors_prefers_the_list_then_splits_on_semicolon() -> None:
    assert truth_authors({"authors": ["B Name", "A Name"], "author": "ignored"}) == ("a name", "b name")
    assert truth_authors({"author": "Ann Lee; Bo Kim"}) == ("ann lee", "bo kim")
    assert truth_authors({"author": "Ann Lee, Bo Kim"}) == ("ann lee, bo kim",)
    assert truth_authors({}) is None and truth_authors({"authors": []}) is None


def test_author_scores_skip_pages_without_reference() -> None:
    pairs: list[tuple[tuple[str, ...] | None, tuple[str, ...]]] = [
        (("ann lee", "bo kim"), ("Bo  Kim", "ANN LEE")),  # order, case and spacing do not matter
        (("ann lee",), ("Ann Lee", "Bo Kim")),  # an extra name is a miss
        (("ann lee",), ()),
        (None, ("Someone",)),
    ]
    score = score_authors(pairs)
    assert (score.pages, score.correct) == (3, 1)


def test_titles_match_after_whitespace_collapse_only() -> None:
    pairs = [
        ("Kim meets  Putin", " Kim meets\nPutin "),
        ("Kim meets Putin", "kim meets putin"),
        ("Kim meets Putin", None),
        (None, "Anything"),
    ]
    score = score_titles(pairs)
    assert (score.pages, score.correct) == (3, 1)
    assert score.accuracy == pytest.approx(1 / 3)
