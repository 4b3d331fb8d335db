"""The global steps on Spark: near-duplicate groups (LSH band groupBy, then connected components), stories and
happenings (the corpus rules replayed in input order inside groups that cannot affect each other), and daily dyad
aggregates. Input: compact per-article and per-event records; output: RDDs of plain tuples, one per Parquet table.

Every step calls the pure functions of newsgraph.corpus (dedup, merge, replay); nothing here knows how the records
were made (the bench feeds generated ones).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsgraph.corpus.dedup import Fingerprint, band_keys, best_copy
from newsgraph.corpus.replay import (
    EventInput,
    Happening,
    Story,
    StoryInput,
    band_candidates,
    dyad_of,
    effective_day,
    happening_key,
    join_happenings,
    join_stories,
    likeliest,
)

if TYPE_CHECKING:
    from pyspark import RDD


@dataclass(frozen=True, slots=True)
class CorpusDoc:
    """What the global steps read of one article. seq: its place in input order (file index, record index)."""

    seq: int
    doc_id: str
    signature: bytes  # Fingerprint.to_bytes()
    size: int
    date: str | None
    title: str | None
    actors: tuple[tuple[str, int], ...]  # replay.story_actors, in order


@dataclass(frozen=True, slots=True)
class CorpusEvent:
    """What the global steps read of one event: its JSON (serialize.event_json) and its article's place."""

    seq: int
    index: int
    doc_id: str
    outlet: str  # the article's outlet, else the page's origin
    article_date: str | None
    json: str


@dataclass(frozen=True, slots=True)
class CorpusTables:
    """The global steps' results, one RDD of rows per Parquet table (columns: see SCHEMAS in runners.spark)."""

    copies: RDD[tuple[str, str]]
    stories: RDD[tuple[Any, ...]]
    story_articles: RDD[tuple[str, int]]
    happenings: RDD[tuple[Any, ...]]
    happening_mentions: RDD[tuple[str, int, int]]
    dyad_days: RDD[tuple[Any, ...]]


def corpus_steps(docs: RDD[CorpusDoc], events: RDD[CorpusEvent]) -> CorpusTables:
    """All global steps over the articles of one run (each doc_id once) and their events."""
    n = docs.context.defaultParallelism  # compact records: as many partitions as cores will do
    if docs.getNumPartitions() > n:
        docs, events = docs.coalesce(n), events.coalesce(n)
    canonical = copy_groups(docs).cache()  # (doc_id, canonical doc_id)
    stories = story_groups(docs, canonical).cache()
    story_ids = _ranked(stories.map(lambda s: s.key))
    story_rows = stories.map(lambda s: (s.key, s)).join(story_ids, n).values()
    happenings = happening_groups(events, canonical).cache()
    happening_ids = _ranked(happenings.map(lambda h: h.key))
    happening_rows = happenings.map(lambda h: (h.key, h)).join(happening_ids, n).values()
    return CorpusTables(
        copies=canonical,
        stories=story_rows.map(lambda p: _story_row(*p)),
        story_articles=story_rows.flatMap(lambda p: ((doc, p[1]) for doc in p[0].doc_ids)),
        happenings=happening_rows.map(lambda p: _happening_row(*p)),
        happening_mentions=happening_rows.flatMap(lambda p: ((r.doc_id, r.index, p[1]) for r in p[0].reports)),
        dyad_days=dyad_days(events),
    )


# -- copies --------------------------------------------------------------------------------------------------------
def copy_groups(docs: RDD[CorpusDoc]) -> RDD[tuple[str, str]]:
    """(doc_id, canonical doc_id) of every article: each article's best earlier copy among its LSH candidates, as
    the store picks it, and the groups these links make (their earliest article is the canonical one)."""
    n = docs.context.defaultParallelism  # shuffles keep this many partitions
    fingerprints = docs.map(lambda d: (d.doc_id, (d.seq, d.signature, d.size))).cache()
    bands = docs.flatMap(lambda d: (((b, key), (d.seq, d.doc_id)) for b, key in enumerate(_bands(d))))
    candidates = bands.groupByKey(n).flatMap(lambda kv: band_candidates(list(kv[1]), kv[0][0]))
    chosen = candidates.groupByKey(n).flatMap(lambda kv: ((c, kv[0]) for c in likeliest(kv[1])))  # (cand, doc)
    with_theirs = chosen.join(fingerprints, n).map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))  # (doc, (cand, fp))
    links = with_theirs.groupByKey(n).join(fingerprints, n).flatMap(lambda kv: _best(kv[1][1], kv[1][0]))
    labels = components(links)  # (seq, seq of the group's earliest article)
    by_seq = fingerprints.map(lambda kv: (kv[1][0], kv[0]))  # (seq, doc_id)
    canonical_seq = by_seq.leftOuterJoin(labels, n).map(
        lambda kv: (kv[1][1] if kv[1][1] is not None else kv[0], kv[1][0])
    )
    return canonical_seq.join(by_seq, n).values()  # (doc_id, canonical doc_id)


def _bands(doc: CorpusDoc) -> list[bytes]:
    return band_keys(Fingerprint.from_bytes(doc.signature, doc.size))


def _best(mine: tuple[int, bytes, int], theirs: Iterable[tuple[str, tuple[int, bytes, int]]]) -> list[tuple[int, int]]:
    """The link (seq, seq of the best copy) of one article, if it has one (candidates as the store reads them)."""
    ordered = sorted(theirs)
    seqs = {doc_id: seq for doc_id, (seq, _, _) in ordered}
    fp = Fingerprint.from_bytes(mine[1], mine[2])
    match = best_copy(fp, ((doc_id, Fingerprint.from_bytes(sig, size)) for doc_id, (_, sig, size) in ordered))
    return [] if match is None else [(mine[0], seqs[match])]


def components(edges: RDD[tuple[int, int]]) -> RDD[tuple[int, int]]:
    """Connected components of an undirected graph: (node, smallest node of its component) for every node that has
    an edge. Alternating large-star and small-star steps (Kiveris et al., 2014) until the edges stop changing."""
    n = edges.context.defaultParallelism  # shuffles keep this many partitions
    current = edges.filter(lambda e: e[0] != e[1]).map(lambda e: (max(e), min(e))).distinct(n).cache()
    while True:
        step = _small_star(_large_star(current)).cache()
        pairs = step.map(lambda e: (e, 1)).fullOuterJoin(current.map(lambda e: (e, 1)), n)
        # count, not isEmpty: every partition of step is computed (and cached) before its parent is dropped
        if pairs.filter(lambda kv: kv[1][0] is None or kv[1][1] is None).count() == 0:  # unchanged: one job a round
            break
        current.unpersist()
        current = step
    return current.union(current.values().distinct(n).map(lambda node: (node, node))).reduceByKey(min, n)


def _large_star(edges: RDD[tuple[int, int]]) -> RDD[tuple[int, int]]:
    n = edges.context.defaultParallelism
    both = edges.flatMap(lambda e: (e, (e[1], e[0])))
    return both.groupByKey(n).flatMap(lambda kv: _large(kv[0], kv[1])).distinct(n)


def _large(node: int, neighbours: Iterable[int]) -> Iterator[tuple[int, int]]:
    around = set(neighbours)
    least = min(around | {node})
    return ((v, least) for v in around if v > node)


def _small_star(edges: RDD[tuple[int, int]]) -> RDD[tuple[int, int]]:
    n = edges.context.defaultParallelism
    down = edges.map(lambda e: (max(e), min(e)))  # each edge from its larger end to its smaller
    return down.groupByKey(n).flatMap(lambda kv: _small(kv[0], kv[1])).distinct(n)


def _small(node: int, smaller: Iterable[int]) -> Iterator[tuple[int, int]]:
    around = set(smaller) | {node}
    least = min(around)
    return ((v, least) for v in around if v != least)


# -- stories -------------------------------------------------------------------------------------------------------
def story_groups(docs: RDD[CorpusDoc], canonical: RDD[tuple[str, str]]) -> RDD[Story]:
    """Stories, replayed in input order within each connected component of articles linked by a shared actor or
    headline word or by being copies (an article can only join a story that shares a term with it, or its
    original's): components never affect each other, so each is replayed on its own. A component may be large
    (common terms join much of a corpus): its replay is then one long task."""
    n = docs.context.defaultParallelism  # shuffles keep this many partitions
    inputs = docs.map(lambda d: (d.doc_id, d)).join(canonical, n).map(lambda kv: _story_input(*kv[1])).cache()
    seqs = inputs.map(lambda s: (s.doc_id, s.seq))
    to_original = inputs.filter(lambda s: s.canonical != s.doc_id).map(lambda s: (s.canonical, s.seq))
    sharing = inputs.flatMap(lambda s: ((t, s.seq) for t in s.terms())).groupByKey(n).flatMap(lambda kv: _star(kv[1]))
    labels = components(sharing.union(to_original.join(seqs, n).values()))
    grouped = inputs.map(lambda s: (s.seq, s)).leftOuterJoin(labels, n)
    by_group = grouped.map(lambda kv: (kv[1][1] if kv[1][1] is not None else kv[0], kv[1][0])).groupByKey(n)
    return by_group.flatMap(lambda kv: join_stories(sorted(kv[1], key=lambda s: s.seq)))


def _story_input(doc: CorpusDoc, canonical: str) -> StoryInput:
    return StoryInput(doc.seq, doc.doc_id, canonical, doc.date, doc.title, doc.actors)


def _star(seqs: Iterable[int]) -> list[tuple[int, int]]:
    """Edges joining the articles that share one term: each to the first of them (a star: fewer rounds)."""
    ordered = sorted(seqs)
    return [(seq, ordered[0]) for seq in ordered[1:]]


def _story_row(story: Story, story_id: int) -> tuple[Any, ...]:
    return (
        story_id,
        story.title,
        story.first_date,
        story.last_date,
        json.dumps(dict(story.actors), ensure_ascii=False),
        json.dumps(sorted(story.words), ensure_ascii=False),
    )


# -- happenings ----------------------------------------------------------------------------------------------------
def happening_groups(events: RDD[CorpusEvent], canonical: RDD[tuple[str, str]]) -> RDD[Happening]:
    """Happenings, replayed in input order within each group of events of one PLOVER type and pair of countries
    (the merge rules require both to be equal)."""
    n = events.context.defaultParallelism  # shuffles keep this many partitions
    keyed = events.map(lambda e: (e.doc_id, e)).join(canonical, n).values()
    reports = keyed.map(lambda p: EventInput(p[0].seq, p[0].index, p[0].doc_id, p[1], p[0].outlet, p[0].json))
    groups = reports.map(lambda r: (happening_key(json.loads(r.json)), r)).groupByKey(n)
    return groups.flatMap(lambda kv: join_happenings(sorted(kv[1], key=lambda r: (r.seq, r.index))))


def _happening_row(h: Happening, happening_id: int) -> tuple[Any, ...]:
    return (
        happening_id, h.source_country, h.target_country, h.plover, h.date, h.last_date, h.place_country,
        h.mentions, h.articles, h.sources, h.independent, h.confidence, json.dumps(h.first, ensure_ascii=False),
    )  # fmt: skip


def _ranked(keys: RDD[Any]) -> RDD[tuple[Any, int]]:
    """(key, 1-based rank in key order): the ids the store gives rows created in that order."""
    n = keys.context.defaultParallelism  # shuffles keep this many partitions
    return keys.sortBy(lambda k: k, numPartitions=n).zipWithIndex().mapValues(lambda i: i + 1)


# -- dyad aggregates -----------------------------------------------------------------------------------------------
def dyad_days(events: RDD[CorpusEvent]) -> RDD[tuple[Any, ...]]:
    """(a, b, day, quad, events, mean Goldstein, mean intensity) per unordered pair of countries (a <= b), day and
    quad class: the daily series Queries.dyad gives for the same events."""
    n = events.context.defaultParallelism  # shuffles keep this many partitions
    return (
        events.flatMap(_dyad_point)
        .reduceByKey(lambda x, y: (x[0] + y[0], x[1] + y[1], x[2] + y[2]), n)
        .map(lambda kv: (*kv[0], kv[1][0], kv[1][1] / kv[1][0], kv[1][2] / kv[1][0]))
    )


def _dyad_point(e: CorpusEvent) -> list[tuple[tuple[str, str, str | None, int], tuple[int, float, float]]]:
    event = json.loads(e.json)
    pair = dyad_of(event)
    if pair is None or not (event.get("date") or e.article_date):
        return []
    when = effective_day(event.get("date"), e.article_date)
    key = (*pair, when, int(event["quad"]))
    return [(key, (1, float(event["goldstein"]), float(event.get("intensity") or 0.0)))]
