from __future__ import annotations

import pytest

from newsgraph.nlp.dates import resolve

PUBLISHED = "2023-10-18"  # a Wednesday


@pytest.mark.parametrize(
    ("expression", "future", "expected"),
    [
        ("Wednesday", False, ("2023-10-18", "day")),
        ("on Tuesday", False, ("2023-10-17", "day")),
        ("Monday", False, ("2023-10-16", "day")),
        ("Friday", True, ("2023-10-20", "day")),
        ("next Friday", False, ("2023-10-20", "day")),
        ("last week", False, ("2023-10-11", "week")),
        ("last month", False, ("2023-09", "month")),
        ("a month after", False, ("2023-09", "month")),
        ("two weeks ago", False, ("2023-10-04", "week")),
        ("in 2018", False, ("2018", "year")),
        ("earlier this year", False, ("2023", "year")),
        ("since August", False, ("2023-08", "month")),
        ("18 October", False, ("2023-10-18", "day")),
        ("June 19, 2024", False, ("2024-06-19", "day")),
        ("yesterday", False, ("2023-10-17", "day")),
        ("the weekend", False, ("2023-10-14", "day")),
    ],
)
def test_dates_resolved_against_publication(expression: str, future: bool, expected: tuple[str, str]) -> None:
    assert resolve(expression, PUBLISHED, future=future) == expected


@pytest.mark.parametrize("expression", ["two-day", "a month", "several hundred", "recently"])
def test_dates_durations_and_vague_words_are_not_dates(expression: str) -> None:
    assert resolve(expression, PUBLISHED) is None


def test_dates_need_a_publication_date() -> None:
    assert resolve("on Tuesday", None) is None


def test_dates_an_unreadable_publication_date_resolves_nothing() -> None:
    from newsgraph.nlp.dates import resolve

    assert resolve("on Tuesday", "121108") is None
    assert resolve("on Tuesday", None) is None
