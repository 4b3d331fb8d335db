"""Check an `analyze` JSON record against a gold file in the seed's format (article / entities / events).

Matching is tolerant as the gold's own notes say: names case-insensitive, dates as given (a YYYY-MM gold date
is met by any day of that month), codes at the level stated, a list of accepted values where the gold gives one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Check:
    item: str
    ok: bool
    detail: str = ""


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def check_article(article: JSON, gold: JSON) -> list[Check]:
    """One Check per gold article item (must and should alike; the caller knows which is which)."""
    checks = []
    paragraphs = article.get("paragraphs") or []
    body = "\n".join(paragraphs)
    for name, want in gold.items():
        if name == "body_paragraphs":
            checks.append(Check(name, len(paragraphs) == want, f"{len(paragraphs)} != {want}"))
        elif name == "body_first_words":
            checks.append(
                Check(
                    name, bool(paragraphs) and paragraphs[0].startswith(want), paragraphs[0][:80] if paragraphs else ""
                )
            )
        elif name == "body_second_paragraph_starts":
            ok = len(paragraphs) > 1 and paragraphs[1].startswith(want)
            checks.append(Check(name, ok, paragraphs[1][:80] if len(paragraphs) > 1 else ""))
        elif name == "body_last_words":
            checks.append(
                Check(
                    name, bool(paragraphs) and paragraphs[-1].endswith(want), paragraphs[-1][-80:] if paragraphs else ""
                )
            )
        elif name == "body_must_not_contain":
            leaked = [w for w in want if w in body]
            checks.append(Check(name, not leaked, f"leaked: {leaked}"))
        elif name == "image_caption":
            checks.append(
                Check(name, want in (article.get("image_captions") or []), str(article.get("image_captions")))
            )
        elif isinstance(want, list):
            got = article.get(name) or []
            checks.append(Check(name, [_words(x) for x in got] == [_words(x) for x in want], f"{got} != {want}"))
        else:
            got = article.get(name)
            checks.append(Check(name, got == want, f"{got!r} != {want!r}"))
    return checks


def entity_matches(entity: JSON, gold: JSON) -> bool:
    """Gold names are as printed: our canonical name or one of the entity's aliases must equal it."""
    names = {entity.get("name", "").lower()} | {a.lower() for a in entity.get("aliases") or []}
    if gold["name"].lower() not in names or entity.get("type") != gold.get("type", entity.get("type")):
        return False
    if "country" in gold and entity.get("country") != gold["country"]:
        return False
    if "sector" in gold and not _same_sector(entity.get("sector"), gold["sector"]):
        return False
    if "role" in gold:
        role = (entity.get("role") or "").lower()
        if not role or (gold["role"].lower() not in role and role not in gold["role"].lower()):
            return False
    aliases = {a.lower() for a in entity.get("aliases") or []} | {entity.get("name", "").lower()}
    return all(a.lower() in aliases for a in gold.get("aliases_in_text", []))


def _same_sector(got: str | None, want: str) -> bool:
    synonyms = {"MEDIA": "MED"}
    return got is not None and synonyms.get(got, got) == synonyms.get(want, want)


def check_entities(entities: Sequence[JSON], gold: Sequence[JSON]) -> list[Check]:
    checks = []
    for item in gold:
        ok = any(entity_matches(e, item) for e in entities)
        near = [e for e in entities if e.get("name", "").lower() == item["name"].lower()]
        checks.append(Check(item["name"], ok, f"closest: {near[:2]}"))
    return checks


def _accepts(gold: Any, got: Any) -> bool:
    if isinstance(gold, list):
        return got in gold
    return bool(gold == got)


def _cameo_ok(gold: Any, got: str) -> bool:
    options = gold if isinstance(gold, list) else [gold]
    return any(got.startswith(str(o)) or str(o).startswith(got) for o in options)


def event_matches(event: JSON, gold: JSON, *, strict_status: bool = False) -> bool:
    """Source and target countries, PLOVER type and date as the gold states them (status when asked)."""
    source = (event.get("source") or {}).get("country")
    target = (event.get("target") or {}).get("country")
    if source != gold["source"] or not _accepts(gold.get("target"), target):
        return False
    if not _accepts(gold["plover"], event.get("plover")):
        return False
    want_date = gold.get("date")
    got_date = event.get("date")
    if want_date is None:
        if got_date is not None:
            return False
    elif not (got_date or "").startswith(want_date):
        return False
    return not strict_status or event.get("status") == gold.get("status")


def check_events(events: Sequence[JSON], gold: Sequence[JSON], *, strict_status: bool = False) -> list[Check]:
    checks = []
    for item in gold:
        hit = next((e for e in events if event_matches(e, item, strict_status=strict_status)), None)
        checks.append(Check(item.get("id", "?"), hit is not None, "" if hit else "no matching event"))
    return checks
