"""Shared state of actor resolution: the entities (drafts) of one article and how mentions are recorded.

`ActorResolver` (actors.py) reads an article with the help of two parts built on this base: titled people
(titles.py) and group actors (groups.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from newsgraph.models import Mention
from newsgraph.nlp.kb import ActorEntry, KnowledgeBase, key

KB_TYPES = {
    "ngo": "ORG", "country": "PLACE", "capital": "PLACE", "metonym": "ORG", "igo": "ORG", "media": "ORG",
    "person": "PERSON", "demonym": "PLACE", "region": "PLACE", "group": "GROUP", "company": "ORG",
}  # fmt: skip


@dataclass(slots=True)
class Draft:
    """An entity while the article is being read (mutable; frozen into an Entity at the end)."""

    name: str
    type: str
    country: str | None
    sector: str | None
    role: str | None = None
    kind: str | None = None
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


class ResolverBase:
    """The article's entities while it is being read, and the bookkeeping every part of the resolver shares."""

    def __init__(self, kb: KnowledgeBase, day: str | None) -> None:
        self.kb = kb
        self.day = day
        self.drafts: list[Draft] = []
        self.by_key: dict[tuple[str, str], int] = {}
        self.acronyms: dict[str, int] = {}
        self._current_tokens: dict[int, int] = {}

    def _draft(
        self,
        name: str,
        etype: str,
        country: str | None,
        sector: str | None,
        *,
        role: str | None,
        kind: str | None,
        alias: str,
    ) -> int:
        ident = (etype, key(name))
        index = self.by_key.get(ident)
        if index is None:
            index = len(self.drafts)
            self.by_key[ident] = index
            self.drafts.append(Draft(name, etype, country, sector, role=role, kind=kind))
        self._alias(index, alias)
        return index

    def _alias(self, index: int, text: str, *, as_printed: bool = False) -> None:
        """Another way the text names the entity (a leading article dropped, unless the alias is a role phrase)."""
        draft = self.drafts[index]
        clean = text if as_printed else text.removeprefix("the ").removeprefix("The ")
        if key(clean) != key(draft.name) and clean not in draft.aliases:
            draft.aliases.append(clean)

    def _mention(self, index: int, span: Span, offset: int, alias: bool = False) -> None:
        self.drafts[index].mentions.append(Mention(span.text, offset + span.start_char, offset + span.end_char))
        if alias:
            self._alias(index, span.text, as_printed=True)

    def _from_entry(self, entry: ActorEntry, text: str) -> int:
        kind = entry.kind
        etype = KB_TYPES.get(kind, "ORG")
        name = entry.name
        return self._draft(name, etype, entry.country, entry.sector, role=entry.role, kind=kind, alias=text)

    def _role_of(self, noun: Token) -> str | None:
        """The sector of a role noun with its compound modifiers: "rebel group" -> REB, "officials" -> GOV."""
        words = [c.lower_ for c in noun.children if c.dep_ == "compound" and c.i < noun.i] + [noun.lower_]
        return self.kb.role_sector(" ".join(words)) or self.kb.role_sector(noun.lemma_.lower())

    def _of_country(self, doc: Doc, at: int) -> str | None:
        """ "... of Morocco" right after a name or role noun."""
        if at + 1 < len(doc) and doc[at].lower_ == "of":
            for n in (3, 2, 1):
                entry = self.kb.first(doc[at + 1 : at + 1 + n].text, self.day, kinds=("country",))
                if entry is not None and at + 1 + n <= len(doc):
                    return entry.country
        return None

    def _country_before(self, span: Span) -> str | None:
        if span.start == 0:
            return None
        entry = self.kb.first(span.doc[span.start - 1].text, self.day, kinds=("demonym", "country"))
        return entry.country if entry else None


def actor_id(draft: Draft) -> str:
    return f"{draft.type.lower()}:{key(draft.name).replace(' ', '_')}"
