"""The corpus layer, over either backend (`Db`): an arriving article joins its copies, its story and its happenings
in the same transaction that stores it (so a killed run leaves nothing half-merged), using only indexed lookups:
new articles join existing groups without any recomputation."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta
from typing import Any

from newsgraph.corpus.dedup import Fingerprint, band_keys, best_copy, fingerprint
from newsgraph.corpus.merge import (
    SENTENCE_OVERLAP,
    STORY_SCORE,
    STORY_WINDOW,
    dates_close,
    headline_words,
    independent_confidence,
    likeness,
    places_agree,
    same_parties,
    story_score,
)
from newsgraph.corpus.replay import (
    CANDIDATES,
    HAPPENING_CANDIDATES,
    LATEST_REPORTS,
    MAX_STORY_ACTORS,
    PER_BAND,
    STORY_CANDIDATES,
    story_actors,
)
from newsgraph.models import Analysis
from newsgraph.store.db import Db


def add_article(db: Db, doc_id: str, analysis: Analysis, seen: str) -> None:
    canonical = _join_copies(db, doc_id, analysis.article.text)
    _join_story(db, doc_id, canonical, analysis)
    for row in db.all("SELECT id, json FROM events WHERE doc_id = ? ORDER BY id", (doc_id,)):
        _join_happening(db, row["id"], json.loads(row["json"]), seen, doc_id, canonical)


def shift_day(day: str | None, days: int) -> str | None:
    """The ISO day `days` after a day ("2023-10-05", or a timestamp starting with one); None for a month, a year
    or no date, which have no such neighbour."""
    if not day or len(day) < 10 or (len(day) > 10 and day[10] not in "T "):
        return None
    try:
        return (date.fromisoformat(day[:10]) + timedelta(days=days)).isoformat()
    except ValueError:
        return None


# -- copies ------------------------------------------------------------------------------------------------------
def _join_copies(db: Db, doc_id: str, body: str) -> str:
    fp = fingerprint(body)
    keys = band_keys(fp)
    votes: Counter[str] = Counter()
    for band, key in enumerate(keys):  # the latest few articles per band: a flat cost however common the band
        rows = db.all(
            f"SELECT doc_id FROM lsh_bands WHERE band = ? AND key = ? ORDER BY {db.dialect.rowid} DESC LIMIT ?",
            (band, key, PER_BAND),
        )
        votes.update(r["doc_id"] for r in rows)
    likeliest = [doc for doc, _ in votes.most_common(CANDIDATES)]  # sharing most bands: the likeliest copies
    marks = ",".join("?" for _ in likeliest)
    found = (
        db.all(f"SELECT doc_id, size, signature FROM fingerprints WHERE doc_id IN ({marks})", likeliest)
        if likeliest
        else []
    )  # constant placeholders only
    match = best_copy(fp, ((r["doc_id"], Fingerprint.from_bytes(r["signature"], r["size"])) for r in found))
    canonical = doc_id
    if match is not None:
        row = db.one("SELECT canonical_id FROM copies WHERE doc_id = ?", (match,))
        canonical = row["canonical_id"] if row else match
    db.run("INSERT INTO fingerprints (doc_id, size, signature) VALUES (?, ?, ?)", (doc_id, fp.size, fp.to_bytes()))
    db.many("INSERT INTO lsh_bands (band, key, doc_id) VALUES (?, ?, ?)", [(b, k, doc_id) for b, k in enumerate(keys)])
    db.run("INSERT INTO copies (doc_id, canonical_id) VALUES (?, ?)", (doc_id, canonical))
    return str(canonical)


# -- stories -----------------------------------------------------------------------------------------------------
def _join_story(db: Db, doc_id: str, canonical: str, analysis: Analysis) -> None:
    article = analysis.article
    when = article.date
    actors = story_actors(analysis)
    words = headline_words(article.title)
    story_id = None
    if canonical != doc_id:  # a copy belongs to its original's story
        row = db.one("SELECT story_id FROM story_articles WHERE doc_id = ?", (canonical,))
        story_id = row["story_id"] if row else None
    terms = sorted(set(actors) | words)
    if story_id is None and when and terms:
        best = 0.0
        marks = ",".join("?" for _ in terms)
        for row in db.all(
            f"SELECT id, actors, words FROM stories WHERE id IN (SELECT story_id FROM story_terms "
            f"WHERE term IN ({marks}) AND last_date >= ? GROUP BY story_id ORDER BY count(*) DESC, story_id "
            f"LIMIT {STORY_CANDIDATES}) AND first_date <= ?",  # constant marks; the stories sharing most terms
            (*terms, shift_day(when, -STORY_WINDOW), shift_day(when, STORY_WINDOW)),
        ):
            score = story_score(set(actors), words, set(json.loads(row["actors"])), set(json.loads(row["words"])))
            if score >= STORY_SCORE and score > best:
                story_id, best = row["id"], score
    if story_id is None:
        story_id = db.insert(
            "INSERT INTO stories (title, first_date, last_date, actors, words) VALUES (?, ?, ?, ?, ?)",
            (article.title, when, when, json.dumps(actors), json.dumps(sorted(words))),
        )
    else:
        story = db.one("SELECT first_date, last_date, actors, words FROM stories WHERE id = ?", (story_id,))
        assert story is not None
        merged = Counter(json.loads(story["actors"])) + actors
        dates = [d for d in (story["first_date"], story["last_date"], when) if d]
        db.run(
            "UPDATE stories SET first_date = ?, last_date = ?, actors = ?, words = ? WHERE id = ?",
            (
                min(dates) if dates else None,
                max(dates) if dates else None,
                json.dumps(dict(merged.most_common(MAX_STORY_ACTORS * 2))),
                json.dumps(sorted(set(json.loads(story["words"])) | words)),
                story_id,
            ),
        )
    db.run("INSERT INTO story_articles (doc_id, story_id) VALUES (?, ?)", (doc_id, story_id))
    last = (db.one("SELECT last_date FROM stories WHERE id = ?", (story_id,)) or {}).get("last_date")
    db.many(
        "INSERT INTO story_terms (term, story_id, last_date) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        [(term, story_id, last) for term in terms],
    )
    db.run("UPDATE story_terms SET last_date = ? WHERE story_id = ?", (last, story_id))


# -- happenings --------------------------------------------------------------------------------------------------
def _join_happening(db: Db, event_id: int, event: dict[str, Any], seen: str, doc_id: str, canonical: str) -> None:
    source = (event.get("source") or {}).get("country")
    target = (event.get("target") or {}).get("country")
    plover, when = event["plover"], event.get("date")
    place = (event.get("location") or {}).get("country")
    happening = None
    at = (doc_id, int(event.get("start") or 0))
    if source is not None and not when:  # undated: only a copy of an article that already reports it
        for row in db.all(
            "SELECT DISTINCT h.id, h.source_country, h.target_country, h.plover FROM happenings h "
            "JOIN happening_mentions m ON m.happening_id = h.id JOIN events e ON e.id = m.event_id "
            "JOIN copies c ON c.doc_id = e.doc_id WHERE c.canonical_id = ? AND h.plover = ? AND h.date IS NULL "
            "ORDER BY h.id",
            (canonical, plover),
        ):
            if same_parties(row, source, target, plover) and _likeness(
                db, row["id"], event.get("sentence") or "", "", at, strict=True
            ):
                happening = row["id"]
                break
    if source is not None and when:
        same = db.dialect.null_eq
        rows = db.all(
            "SELECT id, source_country, target_country, plover, date, last_date, place_country, json FROM happenings "
            f"WHERE plover = :plover AND ((source_country = :s AND target_country {same} CAST(:t AS TEXT)) "
            f"OR (source_country {same} CAST(:t AS TEXT) AND target_country = :s)) "
            "AND (length(date) < 10 OR length(CAST(:when AS TEXT)) < 10 "
            "OR (date <= :day_after AND last_date >= :day_before)) "
            f"ORDER BY id DESC LIMIT {HAPPENING_CANDIDATES}",  # only those near in time: the lookup stays small
            {"plover": plover, "s": source, "t": target, "when": when,
             "day_after": shift_day(when, 1), "day_before": shift_day(when, -1)},
        )  # fmt: skip
        best = 0.0
        for row in rows:  # the happening reported most alike, among those with the same parties, time and place
            if (
                same_parties(row, source, target, plover)
                and dates_close(when, row["date"], row["last_date"])
                and places_agree(place, row["place_country"])
            ):
                score = _likeness(db, row["id"], event.get("sentence") or "", canonical, at)
                if score and json.loads(row["json"]).get("cameo", "")[:3] == str(event.get("cameo", ""))[:3]:
                    score += 0.01  # on a tie, the happening of the same CAMEO act
                if score > best:
                    happening, best = row["id"], score
    if happening is None:
        happening = db.insert(
            "INSERT INTO happenings (source_country, target_country, plover, date, last_date, place_country, "
            "first_seen, last_seen, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (source, target, plover, when, when, place, seen, seen, json.dumps(event, ensure_ascii=False)),
        )
    db.run("INSERT INTO happening_mentions (event_id, happening_id) VALUES (?, ?)", (event_id, happening))
    _recount(db, int(happening), when, place, seen)


def _likeness(
    db: Db,
    happening: int,
    sentence: str,
    canonical: str,
    at: tuple[str, int],
    strict: bool = False,
) -> float:
    """How alike a report is to a happening's reports (0: it may not join): 1 when an article of its copy group
    already reports it, else the best content-word overlap of its sentence with theirs, if at least
    SENTENCE_OVERLAP (strict: the very same sentence only). Another act of the same sentence never joins."""
    rows = db.all(
        "SELECT e.sentence, e.doc_id, e.start, c.canonical_id FROM happening_mentions m "
        "JOIN events e ON e.id = m.event_id LEFT JOIN copies c ON c.doc_id = e.doc_id WHERE m.happening_id = ? "
        f"ORDER BY m.event_id DESC LIMIT {LATEST_REPORTS}",  # the latest reports are enough to judge likeness
        (happening,),
    )
    if any((r["doc_id"], r["start"]) == at for r in rows):
        return 0.0  # "discussed expanding ties, and invited her to Moscow": two happenings
    if strict:
        return 1.0 if any(r["sentence"] == sentence for r in rows) else 0.0
    if any(r["canonical_id"] == canonical for r in rows):
        return 1.0
    score = likeness(sentence, (r["sentence"] for r in rows))
    return score if score >= SENTENCE_OVERLAP else 0.0


def _recount(db: Db, happening: int, when: str | None, place: str | None, seen: str) -> None:
    rows = db.all(
        "SELECT e.doc_id, e.json, COALESCE(a.outlet, p.origin) AS outlet, c.canonical_id FROM happening_mentions m "
        "JOIN events e ON e.id = m.event_id JOIN articles a ON a.doc_id = e.doc_id JOIN pages p ON p.doc_id = e.doc_id "
        "LEFT JOIN copies c ON c.doc_id = e.doc_id WHERE m.happening_id = ? ORDER BY e.id",
        (happening,),
    )
    best: dict[str, float] = {}
    for row in rows:
        group = row["canonical_id"] or row["doc_id"]
        best[group] = max(best.get(group, 0.0), float(json.loads(row["json"]).get("confidence") or 0.5))
    db.run(
        "UPDATE happenings SET mentions = ?, articles = ?, sources = ?, independent = ?, confidence = ?, "
        "date = CASE WHEN date IS NULL OR ? < date THEN ? ELSE date END, "
        "last_date = CASE WHEN last_date IS NULL OR ? > last_date THEN ? ELSE last_date END, "
        "place_country = COALESCE(place_country, ?), last_seen = ? WHERE id = ?",
        (
            len(rows),
            len({r["doc_id"] for r in rows}),
            len({r["outlet"] for r in rows}),
            len(best),
            independent_confidence(best.values()),
            when, when, when, when, place, seen, happening,
        ),
    )  # fmt: skip
