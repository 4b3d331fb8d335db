"""The event lexicon: predicates in context mapped to CAMEO codes (YAML, versioned, extensible by users)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True, slots=True)
class Trigger:
    """One lexicon entry: a predicate (verb or noun) and what it means."""

    lemmas: frozenset[str]
    cameo: str
    target: tuple[str, ...]
    objects: frozenset[str] = frozenset()
    place: bool = False
    plover: str | None = None
    mode: str | None = None
    noun: bool = False
    needs_source: bool = False
    agents: frozenset[str] = frozenset()  # entity types the source must have (empty: any)


@dataclass(frozen=True, slots=True)
class Lexicon:
    verbs: dict[str, tuple[Trigger, ...]]
    nouns: dict[str, tuple[Trigger, ...]]
    speech: frozenset[str]
    carriers: frozenset[str]
    allegations: frozenset[str]
    denials: frozenset[str]
    version: int = 1


def _as_set(value: Any) -> frozenset[str]:
    if value is None:
        return frozenset()
    return frozenset([value] if isinstance(value, str) else value)


def _trigger(row: dict[str, Any], noun: bool) -> Trigger:
    return Trigger(
        lemmas=_as_set(row["lemma"]),
        cameo=str(row["cameo"]),
        target=tuple(row.get("target") or ()),
        objects=_as_set(row.get("objects")),
        place=bool(row.get("place", False)),
        plover=row.get("plover"),
        mode=row.get("mode"),
        noun=noun,
        needs_source=bool(row.get("needs_source", False)),
        agents=_as_set(row.get("agents")),
    )


def _index(triggers: Iterable[Trigger]) -> dict[str, tuple[Trigger, ...]]:
    table: dict[str, list[Trigger]] = {}
    for trigger in triggers:
        for lemma in trigger.lemmas:
            table.setdefault(lemma, []).append(trigger)
    # Entries with object conditions are more specific: try them first.
    return {k: tuple(sorted(v, key=lambda t: not t.objects)) for k, v in table.items()}


def parse(data: dict[str, Any], extra: Iterable[dict[str, Any]] = ()) -> Lexicon:
    verbs = [_trigger(r, False) for r in data.get("verbs", [])]
    nouns = [_trigger(r, True) for r in data.get("nouns", [])]
    for more in extra:
        verbs = [_trigger(r, False) for r in more.get("verbs", [])] + verbs
        nouns = [_trigger(r, True) for r in more.get("nouns", [])] + nouns
    return Lexicon(
        verbs=_index(verbs),
        nouns=_index(nouns),
        speech=_as_set(data.get("speech")),
        carriers=_as_set(data.get("carriers")),
        allegations=_as_set(data.get("allegations")),
        denials=_as_set(data.get("denials")),
        version=int(data.get("version", 1)),
    )


@cache
def load_lexicon(extra: tuple[Path, ...] = ()) -> Lexicon:
    """The shipped lexicon, with users' own entries (same YAML shape) taking precedence."""
    data = yaml.safe_load((resources.files("newsgraph.events") / "data" / "lexicon.yaml").read_text(encoding="utf-8"))
    return parse(data, [yaml.safe_load(Path(p).read_text(encoding="utf-8")) for p in extra])
