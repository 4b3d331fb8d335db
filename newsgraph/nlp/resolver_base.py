"""Shared state of actor resolution: the entities (drafts) of one article and how mentions are recorded.

`ActorResolver` (actors.py) reads an article with the help of two parts built on this base: titled people
(titles.py) and group actors (groups.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from newsgraph.models import Mention
from newsgraph.nlp.kb import ActorEntry, KnowledgeBase, key

KB_TYPES = {
    "ngo": "ORG", "country": "PLACE", "capital": "PLACE", "metonym": "ORG", "igo": "ORG", "media": "ORG",
    "person": "PERSON", "demonym": "PLACE", "region": "PLACE", "group": "GROUP", "company": "ORG",
    "organisation": "ORG",
}  # fmt: skip

# Prepositions that place a group: "rebels in Darfur", "students throughout Indonesia", "doctors from France".
_WHERE_PREPS = ("in", "of", "from", "at", "throughout", "across", "inside", "near")


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
        self.acting: set[int] = set()  # capitals named as actors ("Moscow denied"), not only as where things happen

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
        elif country and not self.drafts[index].country:
            self.drafts[index].country = country  # a later mention may say whose it is ("China's Eastern Theatre ...")
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
        words = [c.lower_ for c in noun.children if c.dep_ in ("compound", "amod") and c.i < noun.i] + [noun.lower_]
        return self.kb.role_sector(" ".join(words)) or self.kb.role_sector(noun.lemma_.lower())  # "armed groups"

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

    def _where(self, noun: Token, tokens: dict[int, int]) -> str | None:
        """ "rebels in Darfur", "workers of the bus company of Tehran", "the president of Armenia": the country
        of a place named in an in/of/from phrase on the noun."""
        based = [c for c in noun.children if c.dep_ == "acl" and c.lower_ in ("based", "stationed", "headquartered")]
        preps = [c for t in (noun, *based) for c in t.children if c.dep_ == "prep" and c.lower_ in _WHERE_PREPS]
        for prep in preps:  # "rebels in Darfur", "a newspaper based in Beirut"
            for token in prep.subtree:
                mapped = tokens.get(token.i)
                if mapped is not None and self.drafts[mapped].type != "GROUP" and self.drafts[mapped].country:
                    return self.drafts[mapped].country  # "workers of the bus company of Tehran"
                if mapped is None and (token.pos_ == "PROPN" or token.is_title):
                    entry = self.kb.first(token.text, self.day, kinds=("country", "capital", "demonym", "region"))
                    if entry is not None:  # "doctors from two American aid groups"
                        return entry.country
        return self._of_country(noun.doc, noun.i + 1)


def actor_id(draft: Draft) -> str:
    return f"{draft.type.lower()}:{key(draft.name).replace(' ', '_')}"


def noun_chunks(doc: Doc) -> Iterator[Span]:
    """The doc's noun phrases; none in a doc that was not parsed (a sentence triage kept from the parser)."""
    return iter(doc.noun_chunks) if doc.has_annotation("DEP") else iter(())
