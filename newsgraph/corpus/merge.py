"""When two reports describe the same happening, and when two articles tell the same story. Pure functions over
the plain values the store keeps; the store (newsgraph/store/corpus.py) applies them as articles arrive."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

# Acts the two sides do together: "A met B" and "B met A" are one meeting (a promise has a direction).
MUTUAL = frozenset({"CONSULT", "COOPERATE"})
# Least overlap of content words between two reports' sentences for them to be one happening (unless one article
# is a copy of the other): the same parties doing the same kind of thing twice in a day are two happenings.
SENTENCE_OVERLAP = 0.15
DAY_TOLERANCE = 1  # days between two reports' dates of one happening (time zones, "overnight", late filing)
STORY_WINDOW = 3  # days around a story's span within which an article may join it
STORY_SCORE = 0.25  # least blend of actor and headline-word overlap for an article to join a story

_STOP = frozenset({
    "the", "a", "an", "and", "or", "of", "to", "in", "on", "at", "for", "with", "from", "by", "as", "is", "are",
    "was", "were", "be", "been", "has", "have", "had", "its", "it", "this", "that", "after", "before", "over",
    "under", "into", "says", "said", "say", "will", "would", "could", "new", "amid", "against", "about", "than",
    "more", "most", "first", "last",
})  # fmt: skip


def day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value and len(value) >= 10 else None
    except ValueError:
        return None


def dates_close(when: str | None, first: str | None, last: str | None) -> bool:
    """A report's date fits a happening's dates: within DAY_TOLERANCE of its span, or, for a month or year the
    text gave, the same month or year. Undated reports are never merged across articles."""
    if not when or not first:
        return False
    if len(when) < 10 or len(first) < 10:
        n = min(len(when), len(first))
        return when[:n] == first[:n]
    a, lo, hi = day(when), day(first), day(last or first)
    if a is None or lo is None or hi is None:
        return False
    slack = timedelta(days=DAY_TOLERANCE)
    return lo - slack <= a <= hi + slack


def same_parties(event: dict[str, object], source: str | None, target: str | None, plover: str) -> bool:
    got_source, got_target = event.get("source_country"), event.get("target_country")
    if event.get("plover") != plover or got_source is None:
        return False
    if (got_source, got_target) == (source, target):
        return True
    return plover in MUTUAL and (got_source, got_target) == (target, source)


def places_agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def content_words(sentence: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{3,}", sentence.lower()) if w not in _STOP}


def likeness(sentence: str, others: Iterable[str]) -> float:
    """The best content-word overlap of a sentence with others (0 when none)."""
    words = content_words(sentence)
    return max((overlap(words, content_words(other)) for other in others), default=0.0)


def sentences_agree(sentence: str, others: Iterable[str]) -> bool:
    return likeness(sentence, others) >= SENTENCE_OVERLAP


def headline_words(title: str | None) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z'-]{2,}", (title or "").lower()) if w not in _STOP}


def overlap(a: Iterable[str], b: Iterable[str]) -> float:
    left, right = set(a), set(b)
    return len(left & right) / len(left | right) if left and right else 0.0


def story_score(actors: set[str], words: set[str], story_actors: set[str], story_words: set[str]) -> float:
    return 0.5 * overlap(actors, story_actors) + 0.5 * overlap(words, story_words)


def independent_confidence(confidences: Iterable[float]) -> float:
    """Confidence that a happening took place, from the best report of each independent source group: reports
    that agree raise it (1 - prod(1 - c)); copies of one wire story count once."""
    doubt = 1.0
    for value in confidences:
        doubt *= 1.0 - max(0.0, min(value, 0.99))
    return round(1.0 - doubt, 3)
