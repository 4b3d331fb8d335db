"""A cheap language guess: English function words are a strong signal on news prose."""

from __future__ import annotations

import re

_EN = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "on",
        "was",
        "with",
        "said",
        "as",
        "by",
        "at",
        "from",
        "it",
        "his",
        "has",
        "have",
        "were",
        "be",
        "are",
    ]
)
_WORD = re.compile(r"[a-z]+")


def guess_language(text: str) -> str | None:
    """ "en" when English function words make up a news-like share of the words; None when unsure."""
    words = _WORD.findall(text[:3000].lower())
    if len(words) < 20:
        return None
    share = sum(w in _EN for w in words) / len(words)
    return "en" if share >= 0.18 else None
