"""Scorers for article extraction: body (ScrapingHub shingle metric), dates (htmldate's day-level count),
authors and titles (exact match after normalisation). Pure functions, no I/O: used by the bench and the CI gate.

Body, as in the ScrapingHub article-extraction-benchmark's evaluate.py: tokens are ``\\w+`` runs with case kept;
each text becomes a bag of 4-token shingles (a text of fewer than 4 tokens is one shingle of all its tokens);
per page TP/FP/FN are counted on the two bags and normalised to sum to 1; precision is averaged over pages with a
non-empty prediction, recall over pages with a non-empty truth, and F1 is the harmonic mean of the two averages.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

SHINGLE = 4
_TOKEN = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class PageCounts:
    """One page's TP/FP/FN shingle counts, normalised so that they sum to 1 (all 0 when both texts are empty)."""

    tp: float
    fp: float
    fn: float

    @property
    def has_prediction(self) -> bool:
        return self.tp + self.fp > 0

    @property
    def has_truth(self) -> bool:
        return self.tp + self.fn > 0


@dataclass(frozen=True, slots=True)
class BodyScore:
    f1: float
    precision: float
    recall: float
    pages: int
    predicted: int  # pages with a non-empty prediction (the precision average's pages)
    with_truth: int  # pages with a non-empty truth (the recall average's pages)


@dataclass(frozen=True, slots=True)
class DateScore:
    """Day-level dates over the pages that have a reference date (htmldate's counting)."""

    pages: int
    tp: int
    fp: int
    fn: int

    @property
    def accuracy(self) -> float:
        return self.tp / self.pages if self.pages else 0.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else 0.0


@dataclass(frozen=True, slots=True)
class MatchScore:
    """Exact matches over the pages that have a reference value."""

    pages: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.pages if self.pages else 0.0


# --- body -------------------------------------------------------------------------------------------------------


def tokenize(text: str | None) -> list[str]:
    """``\\w+`` runs, case kept."""
    return _TOKEN.findall(text or "")


def shingles(text: str | None, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    """The bag of n-token shingles; fewer than n tokens give one shingle of them all; no tokens give none."""
    tokens = tokenize(text)
    if not tokens:
        return Counter()
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))


def page_counts(truth: str | None, prediction: str | None, n: int = SHINGLE) -> PageCounts:
    """TP/FP/FN of one page on shingle multisets, normalised to sum to 1."""
    true_bag, pred_bag = shingles(truth, n), shingles(prediction, n)
    tp = sum((true_bag & pred_bag).values())
    fp = sum((pred_bag - true_bag).values())
    fn = sum((true_bag - pred_bag).values())
    total = tp + fp + fn
    if not total:
        return PageCounts(0.0, 0.0, 0.0)
    return PageCounts(tp / total, fp / total, fn / total)


def page_precision(counts: PageCounts) -> float:
    if counts.fp == counts.fn == 0:
        return 1.0
    return counts.tp / (counts.tp + counts.fp) if counts.tp + counts.fp else 0.0


def page_recall(counts: PageCounts) -> float:
    if counts.fp == counts.fn == 0:
        return 1.0
    return counts.tp / (counts.tp + counts.fn) if counts.tp + counts.fn else 0.0


def body_score(pages: Sequence[PageCounts]) -> BodyScore:
    """Precision averaged over pages with a prediction, recall over pages with a truth, F1 of the two averages."""
    precisions = [page_precision(c) for c in pages if c.has_prediction]
    recalls = [page_recall(c) for c in pages if c.has_truth]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BodyScore(f1, precision, recall, len(pages), len(precisions), len(recalls))


def score_bodies(pairs: Iterable[tuple[str | None, str | None]]) -> BodyScore:
    """(truth, prediction) texts -> the benchmark's F1/P/R."""
    return body_score([page_counts(truth, prediction) for truth, prediction in pairs])


# --- dates ------------------------------------------------------------------------------------------------------


def day(value: str | None) -> str | None:
    """The day of a date or timestamp: its first 10 characters (``YYYY-MM-DD``); None when empty."""
    value = (value or "").strip()
    return value[:10] or None


def date_outcome(truth: str | None, prediction: str | None) -> str | None:
    """ "tp", "fp" (a wrong date) or "fn" (no date) for a dated page; None for a page without a reference date."""
    if day(truth) is None:
        return None
    if day(prediction) is None:
        return "fn"
    return "tp" if day(prediction) == day(truth) else "fp"


def score_dates(pairs: Iterable[tuple[str | None, str | None]]) -> DateScore:
    """(truth, prediction) dates -> counts over the dated pages (pages without a reference date are left out)."""
    outcomes = Counter(o for o in (date_outcome(t, p) for t, p in pairs) if o is not None)
    return DateScore(sum(outcomes.values()), outcomes["tp"], outcomes["fp"], outcomes["fn"])


# --- authors and titles -----------------------------------------------------------------------------------------


def collapse(text: str) -> str:
    """Whitespace runs to one space, ends stripped."""
    return _SPACE.sub(" ", text).strip()


def normalise_authors(names: Iterable[str]) -> tuple[str, ...]:
    """Case-folded, whitespace-collapsed, empty names dropped, as a sorted set."""
    return tuple(sorted({collapse(name).casefold() for name in names if collapse(name)}))


def truth_authors(row: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The reference authors: the ``authors`` list (fundus), else ``author`` split on "; "; None when absent."""
    if isinstance(row.get("authors"), list):
        return normalise_authors(row["authors"]) or None
    if isinstance(row.get("author"), str):
        return normalise_authors(row["author"].split("; ")) or None
    return None


def authors_match(truth: Iterable[str], prediction: Iterable[str]) -> bool:
    return normalise_authors(truth) == normalise_authors(prediction)


def title_match(truth: str, prediction: str | None) -> bool:
    return prediction is not None and collapse(truth) == collapse(prediction)


def score_authors(pairs: Iterable[tuple[Sequence[str] | None, Sequence[str]]]) -> MatchScore:
    """(truth, prediction) author lists; pages whose truth is None or empty are left out."""
    scored = [authors_match(truth, prediction) for truth, prediction in pairs if truth]
    return MatchScore(len(scored), sum(scored))


def score_titles(pairs: Iterable[tuple[str | None, str | None]]) -> MatchScore:
    """(truth, prediction) titles; pages without a reference title are left out."""
    scored = [title_match(truth, prediction) for truth, prediction in pairs if truth and truth.strip()]
    return MatchScore(len(scored), sum(scored))
