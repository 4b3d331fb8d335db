"""The actor knowledge base: countries, seats of government, IGOs, news media, role words and people, as data.

Shipped as YAML in newsgraph/nlp/data/; users extend it with their own YAML file of the same shape (see
`KnowledgeBase.load(extra=...)`), without touching code.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import process
from rapidfuzz.distance import Indel

_CLOSEST_KEPT = 100_000
_DOTS = re.compile(r"(?<=\b\w)\.")
_SPACE = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


@lru_cache(maxsize=200_000)
def key(name: str) -> str:
    """Lookup key for a name: case, dots in abbreviations, a leading "the" and a possessive do not count."""
    text = _POSSESSIVE.sub("", name.strip())
    text = _DOTS.sub("", text.lower())
    text = _SPACE.sub(" ", text).strip()
    return text[4:] if text.startswith("the ") else text


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """What the knowledge base knows of one name."""

    name: str  # canonical name
    kind: str  # country | capital | demonym | metonym | igo | media | person | group
    country: str | None  # ISO alpha-3, or IGO
    sector: str | None = None
    role: str | None = None
    org: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None

    def valid_on(self, day: str | None) -> bool:
        if day is None:
            return self.valid_to is None
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    names: Mapping[str, tuple[ActorEntry, ...]]
    roles: Mapping[str, str]  # lowercase pattern -> sector
    role_words: frozenset[str] = field(default_factory=frozenset)
    place_names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # by first letter
    longest_role: int = 1
    person_names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # full names by first letter
    # Closest-name searches already made (names recur across articles), by (table, key).
    _closest: dict[tuple[str, str], str | None] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def load(cls, extra: Iterable[Path] = ()) -> KnowledgeBase:
        """The shipped tables plus any user files: YAML whose top-level keys name tables (`people:`, `groups:`,
        ...) with rows shaped like the shipped files', or a CSV named after one table (people.csv, groups.csv) with
        a header of the row's keys and `;` between aliases."""
        base = resources.files("newsgraph.nlp") / "data"
        names = (
            "countries", "igos", "ngos", "media", "roles", "groups", "regions", "companies", "organisations", "peoples",
        )  # fmt: skip
        tables = {name: _read(base / f"{name}.yaml") for name in names}
        tables["people"] = _read(base / "people.yaml") + _read(base / "people_history.yaml")
        for path in map(Path, extra):
            for name, rows in _user_tables(path).items():
                tables.setdefault(name, []).extend(rows or [])
        return build(tables)

    def lookup(self, name: str, day: str | None = None) -> tuple[ActorEntry, ...]:
        """Entries for a name; people only when in that role on the given day (if any is)."""
        found = self.names.get(key(name), ())
        people = [e for e in found if e.kind == "person"]
        if len(people) > 1:
            current = [e for e in people if e.valid_on(day)]
            found = tuple(e for e in found if e.kind != "person") + tuple(current or people[-1:])
        return found

    def first(self, name: str, day: str | None = None, kinds: tuple[str, ...] = ()) -> ActorEntry | None:
        for entry in self.lookup(name, day):
            if not kinds or entry.kind in kinds:
                return entry
        return None

    def near(self, name: str) -> ActorEntry | None:
        """A misspelt country, demonym or capital ("Ethopia", "Quatar"): the closest place name, if very close."""
        text = key(name)
        if len(text) < 5:
            return None
        match = self._close("place", text, self.place_names, 2, 0.85)
        return self.first(match) if match else None

    def near_person(self, name: str, day: str | None = None) -> ActorEntry | None:
        """A misspelt full name ("Francois Mitterand"): the closest person's name, if very close."""
        text = key(name)
        if " " not in text:
            return None
        match = self._close("person", text, self.person_names, 3, 0.88)
        return self.first(match, day, kinds=("person",)) if match else None

    def _close(
        self, table: str, text: str, names: Mapping[str, tuple[str, ...]], slack: int, cutoff: float
    ) -> str | None:
        if (table, text) not in self._closest:
            candidates = [p for p in names.get(text[0], ()) if abs(len(p) - len(text)) <= slack]
            # difflib's ratio never exceeds the indel similarity (its matches are a common subsequence), so the
            # fast C++ indel filter keeps every candidate difflib could accept; difflib then decides, as before.
            near = [c for c, _, _ in process.extract(text, candidates, scorer=Indel.normalized_similarity,
                                                    score_cutoff=cutoff, limit=None)]  # fmt: skip
            match = get_close_matches(text, near, n=1, cutoff=cutoff)
            if len(self._closest) > _CLOSEST_KEPT:
                self._closest.clear()
            self._closest[(table, text)] = match[0] if match else None
        return self._closest[(table, text)]

    def role_sector(self, role: str) -> str | None:
        """The sector of the longest role pattern found in a title or noun phrase ("foreign minister" -> GOV)."""
        words = key(role).split()
        for n in range(min(len(words), self.longest_role), 0, -1):
            for i in range(len(words) - n + 1):
                sector = self.roles.get(" ".join(words[i : i + n]))
                if sector is not None:
                    return sector
        return None


def _user_tables(path: Path) -> dict[str, list[dict[str, Any]]]:
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() != ".csv":
        loaded = yaml.safe_load(text) or {}
        if not isinstance(loaded, dict):
            raise ValueError(f"{path}: a knowledge-base YAML file maps table names to lists of rows")
        return loaded
    rows = []
    for row in csv.DictReader(io.StringIO(text)):
        clean: dict[str, Any] = {k.strip(): (v.strip() or None) for k, v in row.items() if k}
        clean["aliases"] = [a.strip() for a in (clean.get("aliases") or "").split(";") if a.strip()]
        rows.append(clean)
    return {path.stem: rows}


def _read(path: Any) -> list[dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return list(yaml.safe_load(text) or [])


def _igo(row: dict[str, Any]) -> ActorEntry:
    # CAMEO and PLOVER name an international body as IGO plus the body: the body's key is its sector (UN, EU, NATO)
    return ActorEntry(row["name"], "igo", "IGO", row.get("org") or row.get("sector") or "IGO", org=row.get("org"))


def _person(row: dict[str, Any]) -> ActorEntry:
    return ActorEntry(
        row["name"], "person", row.get("country"), row.get("sector"), role=row.get("role"),
        valid_from=_day(row.get("valid_from")), valid_to=_day(row.get("valid_to")),
    )  # fmt: skip


# How a row of each table (but countries, which give several kinds of names) becomes an entry.
_READERS: dict[str, Callable[[dict[str, Any]], ActorEntry]] = {
    "igos": _igo,
    "regions": lambda row: ActorEntry(row["name"], "region", row["country"]),
    "ngos": lambda row: ActorEntry(row["name"], "ngo", "NGO", row.get("sector") or "NGO"),
    "media": lambda row: ActorEntry(row["name"], "media", row.get("country"), row.get("sector") or "MED",
                                    org=row.get("kind")),
    "groups": lambda row: ActorEntry(row["name"], "group", row.get("country"), row.get("sector")),
    "companies": lambda row: ActorEntry(row["name"], "company", row.get("country"), row.get("sector") or "BUS"),
    "organisations": lambda row: ActorEntry(row["name"], "organisation", row.get("country"), row.get("sector")),
    "peoples": lambda row: ActorEntry(row["name"], "demonym", row["country"]),
    "people": _person,
}  # fmt: skip


def build(tables: Mapping[str, list[dict[str, Any]]]) -> KnowledgeBase:
    names: dict[str, list[ActorEntry]] = {}

    def add(alias: str, entry: ActorEntry) -> None:
        bucket = names.setdefault(key(alias), [])
        if entry not in bucket:
            bucket.append(entry)

    for row in tables.get("countries", []):
        _add_country(row, add)
    for table, read in _READERS.items():
        for row in tables.get(table, []):
            entry = read(row)
            for alias in [row["name"], *(row.get("aliases") or [])]:
                add(alias, entry)
    _add_surnames(names)
    roles = {key(r["pattern"]): r["sector"] for r in tables.get("roles", [])}
    words = frozenset(w for pattern in roles for w in pattern.split())
    longest = max((len(p.split()) for p in roles), default=1)
    return KnowledgeBase(
        {k: tuple(v) for k, v in names.items()},
        roles,
        words,
        _by_initial(names, lambda name, kinds: bool(kinds & {"country", "demonym", "capital"})),
        longest,
        _by_initial(names, lambda name, kinds: " " in name and "person" in kinds),
    )


def _by_initial(
    names: Mapping[str, list[ActorEntry]], wanted: Callable[[str, set[str]], bool]
) -> dict[str, tuple[str, ...]]:
    """The names that `wanted` keeps, grouped by first letter (the candidates of a misspelling search)."""
    groups: dict[str, list[str]] = {}
    for name, entries in names.items():
        if name and wanted(name, {e.kind for e in entries}):
            groups.setdefault(name[0], []).append(name)
    return {k: tuple(v) for k, v in groups.items()}


def _add_surnames(names: dict[str, list[ActorEntry]]) -> None:
    """A person's surname alone names them when no other person, place or body in the tables has it."""
    by_surname: dict[str, list[ActorEntry]] = {}
    for bucket in list(names.values()):
        for entry in bucket:
            if entry.kind == "person" and " " in entry.name:
                by_surname.setdefault(key(entry.name.split()[-1]), []).append(entry)
    for surname, entries in by_surname.items():
        if len(surname) < 4 or surname in names or len({e.name for e in entries}) != 1:
            continue
        names[surname] = list(dict.fromkeys(entries))


def _add_country(row: dict[str, Any], add: Any) -> None:
    code = row["code"]
    country = ActorEntry(row["name"], "country", code, "GOV")
    for alias in [row["name"], *(row.get("aliases") or [])]:
        add(alias, country)
    for demonym in row.get("demonyms") or []:
        add(demonym, ActorEntry(row["name"], "demonym", code))
    for capital in row.get("capitals") or []:
        add(capital, ActorEntry(capital, "capital", code, "GOV"))
    bodies = {}
    for item in row.get("metonyms") or []:
        name, sector = (item, "GOV") if isinstance(item, str) else (item["name"], item.get("sector", "GOV"))
        bodies[name] = ActorEntry(name, "metonym", code, sector)
    by_initials = {_initials(name): entry for name, entry in bodies.items() if " " in name}
    for name, entry in bodies.items():
        # "NIS" and "National Intelligence Service" are one body: an acronym joins the long name it abbreviates
        add(name, by_initials.get(name.lower(), entry) if name.isupper() else entry)


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.replace("'s", "").split() if word[0].isupper()).lower()


def _day(value: Any) -> str | None:
    return None if value is None else str(value)[:10]
