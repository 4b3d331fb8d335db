"""The corpus layer: near-duplicate detection, event merging, and their cost at 100k articles.

1. Near-duplicates, on pairs built here from the example corpus: the corpus's own syndicated copies, exact copies,
   copies with other boilerplate around them, lightly edited rewrites (a paragraph cut, words changed, a note
   added, a new dateline) as positives; every pair of two different articles that share a country (same topic,
   another story) as negatives. Precision and recall of `is_copy` (floors 0.98 and 0.95).
2. Event merging, on the example corpus's gold: gold events with the same id on several pages are one happening.
   Each gold event is matched to a system event on its page; a pair of matched system events from two articles is
   merged right when both belong to one gold happening. Merge precision (floor 0.95) and recall (floor 0.85), and
   the events before and after merging.
3. Scale: fingerprints, LSH bands, copy groups and stories for N synthetic articles in SQLite (no NLP), time and
   peak memory; then 1k more articles added incrementally, as a share of the full run (floor 5%).

    .venv/bin/python bench/corpus.py [--scale 100000]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.actors import gold_pages  # noqa: E402
from newsgraph.corpus.dedup import fingerprint, is_copy  # noqa: E402
from newsgraph.evaluation.gold import event_matches  # noqa: E402
from newsgraph.extract import extract  # noqa: E402
from newsgraph.ingest import read_page, read_pages  # noqa: E402
from newsgraph.models import Analysis, Article, Page  # noqa: E402
from newsgraph.pipeline import Resources, analyze_pages  # noqa: E402
from newsgraph.store.sqlite import SqliteStore  # noqa: E402

CORPUS = ROOT / "examples" / "corpus"
SYNDICATED = [("007", "008"), ("026", "027"), ("032", "033")]
BOILERPLATE_TOP = ["Home | World | Politics | Business | Opinion", "Subscribe to our newsletter", "Advertisement"]
BOILERPLATE_END = ["Related: more on this story", "Comments are closed for this article.", "© 2024 Example Media"]
SWAPS = {"said": "stated", "on": "on", "talks": "discussions", "officials": "authorities", "warned": "cautioned",
         "visit": "trip", "leader": "head", "country": "nation", "weapons": "arms", "Tuesday": "Wednesday"}  # fmt: skip


def _variants(page: Page, article: Article, rng: random.Random) -> list[tuple[str, str]]:
    """(kind, body) copies of an article: boilerplate around it, and four light edits."""
    paragraphs = list(article.paragraphs)
    wrapped = Page(
        page.origin + "#wrapped",
        "\n".join([page.content.split("\n", 1)[0], *BOILERPLATE_TOP, page.content.split("\n", 1)[-1], *BOILERPLATE_END])
        if page.fmt == "page"
        else page.content,
        page.fmt,
        page.date,
    )
    words = article.text.split()
    swapped = [SWAPS.get(w, w) if rng.random() < 0.6 else w for w in words]
    return [
        ("exact copy", article.text),
        ("other boilerplate", extract(wrapped).text),
        ("last paragraph cut", "\n\n".join(paragraphs[:-1]) if len(paragraphs) > 2 else article.text + " Updated."),
        ("words changed", " ".join(swapped)),
        ("note added", article.text + "\n\nThis story has been updated with comment from officials."),
        ("new dateline", "LONDON (Example Wire) - " + article.text),
    ]


def dedup_scores() -> tuple[int, int, int, int, dict[str, int]]:
    rng = random.Random(7)
    pages = {p.origin: p for p in read_pages([str(CORPUS)]) if isinstance(p, Page)}
    articles = {origin: extract(page) for origin, page in pages.items()}
    stems = {Path(o).name[:3]: o for o in articles}
    prints = {o: fingerprint(a.text) for o, a in articles.items()}
    tp = fn = fp = tn = 0
    missed: dict[str, int] = {}
    positives = [(stems[a], stems[b], "syndicated copy") for a, b in SYNDICATED if a in stems and b in stems]
    for origin, article in articles.items():
        for kind, body in _variants(pages[origin], article, rng):
            hit = is_copy(prints[origin], fingerprint(body))
            tp, fn = tp + hit, fn + (not hit)
            if not hit:
                missed[kind] = missed.get(kind, 0) + 1
    for a, b, kind in positives:
        hit = is_copy(prints[a], prints[b])
        tp, fn = tp + hit, fn + (not hit)
        if not hit:
            missed[kind] = missed.get(kind, 0) + 1
    syndicated = {frozenset((stems.get(a), stems.get(b))) for a, b in SYNDICATED}
    countries = {o: _countries(a) for o, a in articles.items()}
    for a, b in itertools.combinations(sorted(articles), 2):
        if frozenset((a, b)) in syndicated or not countries[a] & countries[b]:
            continue
        hit = is_copy(prints[a], prints[b])
        fp, tn = fp + hit, tn + (not hit)
    return tp, fn, fp, tn, missed


def _countries(article: Article) -> set[str]:
    text = article.text
    return {c for c in ("Russia", "North Korea", "China", "Taiwan", "Israel", "Iran", "India", "Canada", "Armenia",
                        "Azerbaijan", "Ukraine", "United States", "Washington") if c in text}  # fmt: skip


def merge_scores(res: Resources) -> tuple[int, int, int, int, int, int]:
    """(tp, fp, fn pairs, articles, events, happenings) over the example corpus's gold pages."""
    gold_of: dict[int, str] = {}
    with tempfile.TemporaryDirectory() as tmp, SqliteStore(Path(tmp) / "merge.db") as store:
        pairs = [p for p in gold_pages() if p[1].parent.name == "gold"]
        for page, gold_path in pairs:
            [result] = list(analyze_pages([read_page(page)], res))
            assert isinstance(result, Analysis)
            store.put_analysis(result.page.content_hash, result)
            events = store.events()  # all so far; this page's are those of its doc_id
            mine = [e for e in events if e["doc_id"] == result.page.content_hash]
            gold = json.loads(gold_path.read_text("utf-8"))["events"]
            for item in gold["must"] + gold.get("should", []):
                free = [e for e in mine if event_matches(e, item) and e["event_id"] not in gold_of]
                preferred = item["plover"][0] if isinstance(item["plover"], list) else item["plover"]
                free.sort(key=lambda e: e["plover"] != preferred)  # the gold's first-listed type first
                if free:
                    gold_of[free[0]["event_id"]] = item["id"]
        happening_of = {m["event_id"]: h["happening_id"] for h in store.happenings() for m in h["mentions"]}
        doc_of = {e["event_id"]: e["doc_id"] for e in store.events()}
        counts = store.counts()
        happenings = len(store.happenings())
    tp = fp = fn = 0
    for a, b in itertools.combinations(sorted(gold_of), 2):
        if doc_of[a] == doc_of[b]:
            continue
        same_gold, same_system = gold_of[a] == gold_of[b], happening_of.get(a) == happening_of.get(b)
        tp += same_gold and same_system
        fp += same_system and not same_gold
        fn += same_gold and not same_system
    return tp, fp, fn, len(pairs), counts["events"], happenings


# -- scale -----------------------------------------------------------------------------------------------------
_VOCAB = [f"w{n}" for n in range(30_000)]


def _synthetic(n: int, rng: random.Random) -> tuple[str, str]:
    """(title, body): random ~150-word bodies; one in ten a light rewrite of an earlier one (same seed)."""
    base = random.Random(n - n % 10 if n % 10 == 9 else n)
    words = [base.choice(_VOCAB) for _ in range(150)]
    if n % 10 == 9:
        words[rng.randrange(150)] = rng.choice(_VOCAB)
    return " ".join(words[:8]), " ".join(words)


def scale(n: int, extra: int = 1000) -> tuple[float, float, int]:
    """(seconds for n, seconds for `extra` more, peak RSS in bytes) of the corpus layer alone."""
    from newsgraph.store.corpus import add_article

    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp, SqliteStore(Path(tmp) / "scale.db") as store:
        conn = store._conn  # the bench drives the corpus layer directly, without extraction or NLP

        def add(i: int) -> None:
            title, body = _synthetic(i, rng)
            day = f"2024-{1 + (i // 9000) % 12:02d}-{1 + (i // 300) % 28:02d}"
            doc_id = f"doc{i:08d}"
            article = Article(title=title, date=day, paragraphs=(body,))
            page = Page(origin=doc_id, content=body, fmt="text", date=day, content_hash=doc_id)
            conn.execute("BEGIN")
            conn.execute(
                "INSERT INTO pages (doc_id, origin, fmt, ingested_at) VALUES (?, ?, 'text', '')", (doc_id, doc_id)
            )
            conn.execute("INSERT INTO articles (doc_id, title, date, body, json) VALUES (?, ?, ?, ?, '{}')",
                         (doc_id, title, day, body))  # fmt: skip
            add_article(store.db, doc_id, Analysis(page=page, article=article), day)
            conn.execute("COMMIT")

        start = time.perf_counter()
        for i in range(n):
            add(i)
        full = time.perf_counter() - start
        start = time.perf_counter()
        for i in range(n, n + extra):
            add(i)
        more = time.perf_counter() - start
    return full, more, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=100_000, help="synthetic articles for the scale run (0: skip)")
    args = parser.parse_args()
    tp, fn, fp, tn, missed = dedup_scores()
    print(f"near-duplicates: {tp + fn} positive pairs, {fp + tn} negative pairs (same topic, another story)")
    print(f"{'measure':<28}{'newsgraph':>10}{'floor':>8}")
    print(f"{'precision':<28}{tp / max(tp + fp, 1):>10.3f}{0.98:>8.2f}")
    print(f"{'recall':<28}{tp / max(tp + fn, 1):>10.3f}{0.95:>8.2f}")
    if missed:
        print("  missed positives by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(missed.items())))
    mtp, mfp, mfn, pages, events, happenings = merge_scores(Resources.load())
    print(f"\nevent merging on the example corpus's gold ({pages} pages): {events} events -> {happenings} happenings")
    print(f"{'merge precision (pairs)':<28}{mtp / max(mtp + mfp, 1):>10.3f}{0.95:>8.2f}   ({mtp} right, {mfp} wrong)")
    print(f"{'merge recall (pairs)':<28}{mtp / max(mtp + mfn, 1):>10.3f}{0.85:>8.2f}   ({mfn} missed)")
    if args.scale:
        full, more, rss = scale(args.scale)
        print(
            f"\nscale: {args.scale} articles, copies + stories in SQLite: {full:.1f} s "
            f"({args.scale / full:.0f} articles/s), peak RSS {rss / 2**20:.0f} MB"
        )
        print(f"  1000 more, incrementally: {more:.2f} s = {100 * more / full:.2f}% of the full run (floor 5%)")


if __name__ == "__main__":
    main()
