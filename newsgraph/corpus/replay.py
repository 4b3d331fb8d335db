"""The corpus layer replayed in memory over compact records: the same rules, in the same input order, as the store
applies them one article at a time (newsgraph/store/corpus.py), for runners that see a batch of articles at once.

Each function is pure and sequential over one group: the Spark runner cuts the corpus into groups that cannot
affect each other (copy candidates per LSH band; stories per connected component of shared actors and headline
words; happenings per PLOVER type and pair of countries) and replays each group in input order, so that the
result equals what the store builds from the same articles arriving in that order. The caps the store uses to
keep each lookup flat (latest articles per band, most-similar candidates, stories and happenings compared) are
applied the same way here.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from newsgraph.corpus.merge import (
    SENTENCE_OVERLAP,
    STORY_SCORE,
    STORY_WINDOW,
    dates_close,
    day,
    headline_words,
    independent_confidence,
    likeness,
    places_agree,
    same_parties,
    story_score,
)
from newsgraph.models import Analysis

PER_BAND = 50  # latest earlier articles read per matching band
CANDIDATES = 20  # most-similar LSH candidates compared per article
STORY_CANDIDATES = 30  # stories sharing most terms compared per article
MAX_STORY_ACTORS = 8
HAPPENING_CANDIDATES = 50  # latest happenings near in time compared per report
LATEST_REPORTS = 50  # latest reports of a happening its likeness is judged on


# -- copies ------------------------------------------------------------------------------------------------------
def band_candidates(members: Sequence[tuple[int, str]], band: int) -> Iterator[tuple[str, tuple[str, int, int]]]:
    """For the articles (seq, doc_id) sharing one band key, each article's candidate copies among the ones before
    it: (doc_id, (candidate doc_id, candidate seq, band)), the latest PER_BAND only."""
    ordered = sorted(members)
    for i, (_, doc_id) in enumerate(ordered):
        for seq, other in reversed(ordered[max(0, i - PER_BAND) : i]):
            yield doc_id, (other, seq, band)


def likeliest(candidates: Iterable[tuple[str, int, int]]) -> list[str]:
    """The CANDIDATES candidates sharing most bands (ties: first met, band by band, latest first)."""
    votes: Counter[str] = Counter()
    first: dict[str, tuple[int, int]] = {}
    for doc_id, seq, band in candidates:
        votes[doc_id] += 1
        first[doc_id] = min(first.get(doc_id, (band, -seq)), (band, -seq))
    return sorted(votes, key=lambda d: (-votes[d], first[d]))[:CANDIDATES]


# -- stories -----------------------------------------------------------------------------------------------------
def story_actors(analysis: Analysis) -> Counter[str]:
    """The actors an article's story is known by (mentioned countries' actors and people, most mentioned first)."""
    counts: Counter[str] = Counter()
    for entity in analysis.entities:
        if entity.mentions and (entity.country or entity.type == "PERSON"):
            counts[entity.actor_id or entity.name] += len(entity.mentions)
    return Counter(dict(counts.most_common(MAX_STORY_ACTORS)))


@dataclass(frozen=True, slots=True)
class StoryInput:
    """What the story rules read of one article."""

    seq: int
    doc_id: str
    canonical: str
    date: str | None
    title: str | None
    actors: tuple[tuple[str, int], ...]  # story_actors, in order

    def terms(self) -> list[str]:
        return sorted({a for a, _ in self.actors} | headline_words(self.title))


@dataclass(slots=True)
class Story:
    """A story as the rules leave it; `key` is the seq of the article that opened it (the store's ids follow it)."""

    key: int
    title: str | None
    first_date: str | None
    last_date: str | None
    actors: Counter[str]
    words: set[str]
    terms: set[str] = field(default_factory=set)
    doc_ids: list[str] = field(default_factory=list)


def join_stories(articles: Iterable[StoryInput]) -> list[Story]:
    """The stories of a group of articles given in input order (a group no other article shares a term with)."""
    stories: dict[int, Story] = {}
    of_doc: dict[str, Story] = {}
    by_term: dict[str, set[int]] = {}
    for item in articles:
        actors, words, when = Counter(dict(item.actors)), headline_words(item.title), item.date
        terms = item.terms()
        story = of_doc.get(item.canonical) if item.canonical != item.doc_id else None
        if story is None and when and terms:
            story = _best_story(stories, by_term, set(actors), words, terms, when)
        if story is None:
            story = Story(item.seq, item.title, when, when, actors, words)
            stories[item.seq] = story
        else:
            merged = story.actors + actors
            dates = [d for d in (story.first_date, story.last_date, when) if d]
            story.first_date, story.last_date = (min(dates), max(dates)) if dates else (None, None)
            story.actors = Counter(dict(merged.most_common(MAX_STORY_ACTORS * 2)))
            story.words = story.words | words
        story.doc_ids.append(item.doc_id)
        of_doc[item.doc_id] = story
        story.terms.update(terms)
        for term in terms:
            by_term.setdefault(term, set()).add(story.key)
    return list(stories.values())


def _best_story(
    stories: dict[int, Story],
    by_term: dict[str, set[int]],
    actors: set[str],
    words: set[str],
    terms: list[str],
    when: str,
) -> Story | None:
    lo, hi = _shift(when, -STORY_WINDOW), _shift(when, STORY_WINDOW)
    if lo is None or hi is None:
        return None
    shared: Counter[int] = Counter()
    for term in terms:
        shared.update(k for k in by_term.get(term, ()) if (stories[k].last_date or "") >= lo)  # NULL never is
    ranked = sorted(shared, key=lambda k: (-shared[k], k))[:STORY_CANDIDATES]
    best, found = 0.0, None
    for key in sorted(ranked):
        story = stories[key]
        if story.first_date is None or story.first_date > hi:
            continue
        score = story_score(actors, words, set(story.actors), story.words)
        if score >= STORY_SCORE and score > best:
            found, best = story, score
    return found


def _shift(when: str, days: int) -> str | None:
    """SQLite's date(when, '+N days'): None when the value is no date."""
    value = day(when)
    return (value + timedelta(days=days)).isoformat() if value else None


# -- happenings --------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class EventInput:
    """One stored event as the happening rules read it: its JSON (serialize.event_json) and its article's place
    in the corpus. `outlet` is the article's outlet, else the page's origin."""

    seq: int
    index: int
    doc_id: str
    canonical: str
    outlet: str
    json: str


@dataclass(slots=True)
class Happening:
    """A happening as the rules leave it; `key` is (seq, index) of the event that opened it."""

    key: tuple[int, int]
    source_country: str | None
    target_country: str | None
    plover: str
    date: str | None
    last_date: str | None
    place_country: str | None
    first: dict[str, Any]
    reports: list[EventInput] = field(default_factory=list)
    confidence: float = 0.0
    independent: int = 0

    @property
    def mentions(self) -> int:
        return len(self.reports)

    @property
    def articles(self) -> int:
        return len({r.doc_id for r in self.reports})

    @property
    def sources(self) -> int:
        return len({r.outlet for r in self.reports})

    def row(self) -> dict[str, object]:
        return {"source_country": self.source_country, "target_country": self.target_country, "plover": self.plover}


def happening_key(event: dict[str, Any]) -> tuple[str, str, str]:
    """The group of an event: reports of one happening always share their PLOVER type and pair of countries."""
    source = (event.get("source") or {}).get("country") or ""
    target = (event.get("target") or {}).get("country") or ""
    low, high = sorted((source, target))
    return str(event["plover"]), low, high


def join_happenings(events: Iterable[EventInput]) -> list[Happening]:
    """The happenings of one group of events (see happening_key), given in input order."""
    found: list[Happening] = []
    for report in events:
        event = json.loads(report.json)
        source = (event.get("source") or {}).get("country")
        target = (event.get("target") or {}).get("country")
        plover, when = event["plover"], event.get("date")
        place = (event.get("location") or {}).get("country")
        at = (report.doc_id, int(event.get("start") or 0))
        sentence = event.get("sentence") or ""
        happening = None
        if source is not None and not when:  # undated: only a copy of an article that already reports it
            for h in found:
                if (
                    h.plover == plover
                    and h.date is None
                    and any(r.canonical == report.canonical for r in h.reports)
                    and same_parties(h.row(), source, target, plover)
                    and _likeness(h, sentence, "", at, strict=True)
                ):
                    happening = h
                    break
        if source is not None and when:
            best = 0.0
            near = [h for h in reversed(found) if _near(h, plover, source, target, when)][:HAPPENING_CANDIDATES]
            for h in near:
                if same_parties(h.row(), source, target, plover) and dates_close(when, h.date, h.last_date):
                    if not places_agree(place, h.place_country):
                        continue
                    score = _likeness(h, sentence, report.canonical, at)
                    if score and h.first.get("cameo", "")[:3] == str(event.get("cameo", ""))[:3]:
                        score += 0.01
                    if score > best:
                        happening, best = h, score
        if happening is None:
            happening = Happening((report.seq, report.index), source, target, plover, when, when, place, event)
            found.append(happening)
        happening.reports.append(report)
        _recount(happening, when, place)
    return found


def _near(h: Happening, plover: str, source: str, target: str | None, when: str) -> bool:
    """The store's SQL filter of happenings near in time (SQL NULL semantics: a NULL comparison excludes)."""
    if h.plover != plover:
        return False
    if (h.source_country, h.target_country) not in ((source, target), (target, source)):
        return False  # `source_country = :s AND target_country IS :t OR source_country IS :t AND target_country = :s`
    if len(when) < 10 or (h.date is not None and len(h.date) < 10):
        return True
    hi, lo = _shift(when, 1), _shift(when, -1)
    if h.date is None or h.last_date is None or hi is None or lo is None:
        return False
    return h.date <= hi and h.last_date >= lo


def _likeness(h: Happening, sentence: str, canonical: str, at: tuple[str, int], strict: bool = False) -> float:
    latest = h.reports[::-1][:LATEST_REPORTS]
    reports = [json.loads(r.json) for r in latest]
    if any((r.doc_id, int(e.get("start") or 0)) == at for r, e in zip(latest, reports, strict=True)):
        return 0.0
    if strict:
        return 1.0 if any(e.get("sentence") == sentence for e in reports) else 0.0
    if any(r.canonical == canonical for r in latest):
        return 1.0
    score = likeness(sentence, (e.get("sentence") for e in reports))
    return score if score >= SENTENCE_OVERLAP else 0.0


def _recount(h: Happening, when: str | None, place: str | None) -> None:
    best: dict[str, float] = {}
    for report in h.reports:
        confidence = float(json.loads(report.json).get("confidence") or 0.5)
        best[report.canonical] = max(best.get(report.canonical, 0.0), confidence)
    h.independent, h.confidence = len(best), independent_confidence(best.values())
    if h.date is None or (when is not None and when < h.date):
        h.date = when
    if h.last_date is None or (when is not None and when > h.last_date):
        h.last_date = when
    h.place_country = h.place_country if h.place_country is not None else place


# -- dyad aggregates ---------------------------------------------------------------------------------------------
def effective_day(event_date: str | None, article_date: str | None) -> str | None:
    """The day an event is counted under in daily dyad series: its date, else its article's; a month or a year
    counts on its first day (None when the value is no date)."""
    value = event_date or article_date
    if not value:
        return None
    padded = value[:10] + {7: "-01", 4: "-01-01"}.get(len(value), "")
    try:
        return date.fromisoformat(padded).isoformat() if len(padded) == 10 else None
    except ValueError:
        return None


def dyad_of(event: dict[str, Any]) -> tuple[str, str] | None:
    """The unordered pair of countries an event is between (None unless both sides have one)."""
    source = (event.get("source") or {}).get("country")
    target = (event.get("target") or {}).get("country")
    if source is None or target is None:
        return None
    low, high = sorted((str(source), str(target)))
    return low, high
