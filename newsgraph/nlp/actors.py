"""Entities of an article, resolved to actors: canonical name, type, country, sector and role, with every mention.

Works over the spaCy docs of the article's paragraphs (in order, so that short names link back to full ones):
named entities plus knowledge-base names the model misses, title phrases before person names ("US Special
Representative for North Korea Sung Kim"), acronyms defined in parentheses, and role phrases that stand for a
person named earlier ("Putin's foreign minister").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from newsgraph.models import Entity, Mention
from newsgraph.nlp.gazetteer import load_gazetteer
from newsgraph.nlp.kb import ActorEntry, KnowledgeBase, key

_LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE", "NORP": "GROUP"}
_KB_TYPES = {
    "ngo": "ORG",
    "country": "PLACE",
    "capital": "PLACE",
    "metonym": "ORG",
    "igo": "ORG",
    "media": "ORG",
    "person": "PERSON",
    "demonym": "PLACE",
    "region": "PLACE",
    "group": "GROUP",
}
_MAX_NGRAM = 6
_BIG_CITY = 100_000
# Role nouns that name one body rather than a set of people: "the Russian foreign ministry" is an organisation.
_INSTITUTIONS = {
    "ministry",
    "army",
    "navy",
    "command",
    "agency",
    "council",
    "office",
    "service",
    "parliament",
    "government",
    "administration",
    "court",
    "embassy",
    "department",
    "committee",
    "commission",
    "cabinet",
    "assembly",
    "legislature",
    "police",
    "guard",
    "force",
    "party",
    "bank",
    "authority",
}
_HONORIFICS = {
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Dr",
    "Sir",
    "Dame",
    "Mx",
    "Lord",
    "Lady",
}  # a lone unknown name that is a city this large is read as the city
_TITLE_LINKS = {"for", "of", "on", "to", "'s", "’s"}
# Words that qualify a title without being one: "Lebanon's new President", "ousted leader".
_TITLE_MODIFIERS = {
    "new",
    "former",
    "ousted",
    "acting",
    "interim",
    "deputy",
    "senior",
    "top",
    "then",
    "outgoing",
    "incoming",
    "late",
    "exiled",
    "embattled",
    "veteran",
    "chief",
    "first",
    "vice",
    "assistant",
}


@dataclass(slots=True)
class _Draft:
    """An entity while the article is being read (mutable; frozen into an Entity at the end)."""

    name: str
    type: str
    country: str | None
    sector: str | None
    role: str | None = None
    kind: str | None = None
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ActorMap:
    """The article's entities and, per paragraph, which tokens belong to which entity (index into entities)."""

    entities: tuple[Entity, ...]
    kinds: tuple[str | None, ...]  # knowledge-base kind per entity: media, person, country, ...
    tokens: tuple[dict[int, int], ...]

    def actor_at(self, paragraph: int, token: int) -> int | None:
        return self.tokens[paragraph].get(token)

    def is_media(self, index: int) -> bool:
        return self.kinds[index] == "media"

    def coordinates(self, index: int) -> tuple[float, float] | None:
        """Latitude and longitude of a place entity that is a city (capitals included)."""
        entity = self.entities[index]
        if entity.type != "PLACE" or self.kinds[index] not in ("city", "capital"):
            return None
        place = load_gazetteer().lookup(entity.name)
        return (place.lat, place.lon) if place is not None and place.country == entity.country else None


class ActorResolver:
    """Resolves the entities of one article. Pure over its inputs; the knowledge base is shared read-only."""

    def __init__(self, kb: KnowledgeBase, day: str | None) -> None:
        self.kb = kb
        self.day = day
        self.drafts: list[_Draft] = []
        self.by_key: dict[tuple[str, str], int] = {}
        self.acronyms: dict[str, int] = {}
        self._current_tokens: dict[int, int] = {}

    def resolve(self, docs: Sequence[Doc], offsets: Sequence[int]) -> ActorMap:
        token_maps = [self._paragraph(doc, offset) for doc, offset in zip(docs, offsets, strict=True)]
        entities = tuple(
            Entity(
                d.name,
                d.type,
                d.country,
                d.sector,
                d.role,
                actor_id=_actor_id(d),
                aliases=tuple(d.aliases),
                mentions=tuple(d.mentions),
            )
            for d in self.drafts
        )
        return ActorMap(entities, tuple(d.kind for d in self.drafts), tuple(token_maps))

    # -- one paragraph ------------------------------------------------------------------------------------------
    def _paragraph(self, doc: Doc, offset: int) -> dict[int, int]:
        tokens: dict[int, int] = {}
        self._current_tokens = tokens
        for span in _merge(list(_ner_spans(doc)) + list(self._kb_spans(doc))):
            span = self._trim(span)
            if _dateline(span):  # "ROME - ...": where the story was filed, a place but no actor of the story
                self._dateline_place(span, offset)
                continue
            if self._demonym_of_group(span):
                continue  # "Hungarian officials": the group below is the actor, the adjective only its country
            index = self._resolve_span(span)
            if index is None:
                continue
            self._alias(index, span.text)
            if self.drafts[index].type == "ORG":
                self._acronym_after(span, index)
            first = self._title_start(span) if self.drafts[index].type == "PERSON" else span.start
            if first < span.start and doc[first].text.rstrip(".") in _HONORIFICS:
                self._alias(index, doc[first : span.end].text)  # "Mr. Trudeau"
            self._mention(index, doc[first : span.end] if first < span.start else span, offset)
            for i in range(first, span.end):
                tokens[i] = index
        for index, span in self._role_phrases(doc, tokens):
            self._mention(index, span, offset, alias=True)
            for i in range(span.start, span.end):
                tokens[i] = index
        self._groups(doc, tokens, offset)
        return tokens

    def _groups(self, doc: Doc, tokens: dict[int, int], offset: int) -> None:
        """ "Hungarian officials", "Kurdish rebels", "the president of Armenia": a role noun with a country is a
        group actor of that country and the role's sector; "Hungarian and Romanian officials" are two groups."""
        for chunk in _group_phrases(doc):
            root = chunk.root
            if root.i in tokens:
                continue
            sector = self._role_of(root)
            if sector is None or root.pos_ not in ("NOUN", "PROPN"):
                continue
            start = chunk.start
            while start < root.i and doc[start].dep_ in ("det", "poss", "case"):
                start += 1
            found = self._chunk_countries(chunk, tokens) or [(root.i, root.i, self._where(root, tokens))]
            for number, (first, last, country) in enumerate(found):
                if len(found) == 1:
                    phrase = doc[start : chunk.end]
                else:  # each country's words, up to the next country's (or to the head for the last)
                    until = found[number + 1][0] if number + 1 < len(found) else chunk.end
                    while until > last and doc[until - 1].dep_ in ("cc", "punct"):
                        until -= 1
                    phrase = doc[first:until]
                name = phrase.text if phrase.end == chunk.end else f"{phrase.text} {root.text}"
                etype = "ORG" if root.lemma_.lower() in _INSTITUTIONS else "GROUP"
                index = self._draft(name, etype, country, sector, role=root.lemma_, kind="group", alias=phrase.text)
                self._mention(index, phrase, offset)
                if number == 0 and start > chunk.start:  # "Russia's Defence Ministry" as printed
                    self._alias(
                        index, doc[chunk.start if doc[chunk.start].dep_ != "det" else chunk.start + 1 : chunk.end].text
                    )
                for i in range(first, last):
                    tokens.setdefault(i, index)
                if number == 0:
                    tokens[root.i] = index

    def _chunk_countries(self, chunk: Span, tokens: dict[int, int]) -> list[tuple[int, int, str | None]]:
        """The countries named before a noun phrase's head, each with its token range."""
        doc, found, i = chunk.doc, [], chunk.start
        while i < chunk.root.i:
            mapped = tokens.get(i)
            if mapped is not None and self.drafts[mapped].country:
                found.append((i, i + 1, self.drafts[mapped].country))
                i += 1
                continue
            for n in (3, 2, 1):
                entry = self.kb.first(doc[i : i + n].text, self.day, kinds=("demonym", "country"))
                if i + n <= chunk.root.i and entry is not None:
                    found.append((i, i + n, entry.country))
                    i += n - 1
                    break
            i += 1
        return found

    def _where(self, noun: Token, tokens: dict[int, int]) -> str | None:
        """ "rebels in Darfur", "workers of the bus company of Tehran", "the president of Armenia": the country
        of a place named in an in/of/from phrase on the noun."""
        for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("in", "of", "from")):
            for token in prep.subtree:
                mapped = tokens.get(token.i)
                if mapped is not None and self.drafts[mapped].type == "PLACE" and self.drafts[mapped].country:
                    return self.drafts[mapped].country
                if mapped is None and token.pos_ == "PROPN":
                    entry = self.kb.first(token.text, self.day, kinds=("country", "capital"))
                    if entry is not None:
                        return entry.country
        return self._of_country(noun.doc, noun.i + 1)

    def _country_before(self, span: Span) -> str | None:
        if span.start == 0:
            return None
        entry = self.kb.first(span.doc[span.start - 1].text, self.day, kinds=("demonym", "country"))
        return entry.country if entry else None

    def _of_country(self, doc: Doc, at: int) -> str | None:
        """ "... of Morocco" right after a name or role noun."""
        if at + 1 < len(doc) and doc[at].lower_ == "of":
            for n in (3, 2, 1):
                entry = self.kb.first(doc[at + 1 : at + 1 + n].text, self.day, kinds=("country",))
                if entry is not None and at + 1 + n <= len(doc):
                    return entry.country
        return None

    def _dateline_place(self, span: Span, offset: int) -> None:
        name = span.text.title()
        entry = self.kb.first(name, self.day, kinds=("country", "capital"))
        place = None if entry else load_gazetteer().lookup(name)
        if entry is not None:
            self._mention(self._from_entry(entry, name), span, offset)
        elif place is not None:
            index = self._draft(place.name, "PLACE", place.country, None, role=None, kind="city", alias=name)
            self._mention(index, span, offset)

    def _demonym_of_group(self, span: Span) -> bool:
        """A demonym modifying a role noun, directly or through coordination ("Hungarian and Romanian officials")."""
        token, head = span.root, span.root.head
        while token.dep_ == "conj" and head.i != token.i:
            token, head = head, head.head
        return (
            head.i != token.i
            and head.pos_ == "NOUN"
            and token.dep_ in ("amod", "compound", "nmod")
            and self.kb.first(span.text, self.day, kinds=("demonym",)) is not None
            and self._role_of(head) is not None
        )

    def _role_of(self, noun: Token) -> str | None:
        """The sector of a role noun with its compound modifiers: "rebel group" -> REB, "officials" -> GOV."""
        words = [c.lower_ for c in noun.children if c.dep_ == "compound" and c.i < noun.i] + [noun.lower_]
        return self.kb.role_sector(" ".join(words)) or self.kb.role_sector(noun.lemma_.lower())

    def _kb_spans(self, doc: Doc) -> list[Span]:
        found = []
        for i, token in enumerate(doc):
            if not (token.is_title or token.is_upper) or token.is_punct:
                continue
            for n in range(min(_MAX_NGRAM, len(doc) - i), 0, -1):
                span = doc[i : i + n]
                if n == 1 and len(token) <= 3 and not token.is_upper:
                    continue  # "Is", "Us": short names must be written in capitals to count
                if self.kb.lookup(span.text, self.day) or key(span.text) in self.acronyms:
                    found.append(Span(doc, i, i + n, label="KB"))
                    break
            else:
                if self._lone_unknown_name(doc, i) and (self._big_city(token.text) or self.kb.near(token.text)):
                    found.append(Span(doc, i, i + 1, label="GPE"))  # a city, or a misspelt country
        return found

    def _big_city(self, name: str) -> bool:
        place = load_gazetteer().lookup(name)
        return place is not None and place.population >= _BIG_CITY and self.kb.first(name, self.day) is None

    def _lone_unknown_name(self, doc: Doc, i: int) -> bool:
        token = doc[i]
        alone = (i == 0 or doc[i - 1].pos_ != "PROPN") and (i + 1 == len(doc) or doc[i + 1].pos_ != "PROPN")
        return token.pos_ == "PROPN" and not token.ent_type_ and len(token) >= 5 and alone

    def _trim(self, span: Span) -> Span:
        """Drop a leading determiner, a sentence-initial verb glued to a name ("Courting Kim") and a possessive."""
        start, end = span.start, span.end
        doc = span.doc
        if start == 0 and doc[0].is_upper and len(doc[0]) > 1:  # "TAIPEI - Lai Ching-te": drop the dateline
            dash = next((t.i for t in doc[: min(end, 6)] if t.text in ("-", "–", "—")), None)
            if dash is not None and dash + 1 < end and all(t.is_upper or not t.is_alpha for t in doc[:dash]):
                start = dash + 1
        while start < end - 1 and (
            doc[start].lower_ == "the" or (doc[start].is_sent_start and doc[start].tag_ in ("VBG", "VB", "IN", "RB"))
        ):
            start += 1
        if end - 1 > start and doc[end - 1].tag_ == "POS":
            end -= 1
        while span.label_ == "PERSON" and start < end - 1 and doc[start].lower_ in self.kb.role_words:
            start += 1  # "King Abdullah": the title belongs to the title phrase, not the name
        return Span(doc, start, end, label=span.label_)

    def _resolve_span(self, span: Span) -> int | None:
        text = span.text
        label = span.label_
        acronym = self.acronyms.get(key(text))
        if acronym is not None:
            return acronym
        known_person = self._known_person(span)
        if known_person is not None:
            return known_person
        entry = self._entry_for(span)
        plural = span.root.tag_ in ("NNPS", "NNS")
        if (
            plural
            and (span.label_ == "NORP" or (entry is not None and entry.kind == "demonym"))
            and (entry is None or entry.kind == "demonym")
        ):
            # "Libyans fled", "Iraqi Kurds": a people, as a group of civilians of the country named
            country = entry.country if entry else self._country_before(span)
            country = self._where(span.root, self._current_tokens) or country  # "Albanians in south Serbia"
            return self._draft(text, "GROUP", country, "CVL", role=None, kind="people", alias=text)
        if entry is not None and entry.kind == "person" and label in ("PERSON", "KB"):
            return self._new_person(span)  # the page's own title for the person wins over the table's
        if entry is not None:
            return self._from_entry(entry, text)
        if label == "PERSON" and len(span) == 1 and self._big_city(span.text):
            label = "GPE"  # "struck Odesa": a lone unknown name that is a large city is the city
        if label == "PERSON":
            return self._new_person(span)
        if label in ("GPE", "LOC", "FAC"):
            place = load_gazetteer().lookup(text)
            if place is not None:
                return self._draft(place.name, "PLACE", place.country, None, role=None, kind="city", alias=text)
        if label in ("GPE", "NORP", "LOC"):
            near = self.kb.near(text)
            if near is not None:
                return self._from_entry(near, text)
        if label in ("ORG", "FAC", "GPE", "LOC"):
            return self._new_org_or_place(span)
        return None

    def _entry_for(self, span: Span) -> ActorEntry | None:
        if span.label_ == "PERSON":
            return self.kb.first(span.text, self.day, kinds=("person",))
        return self.kb.first(span.text, self.day)

    def _known_person(self, span: Span) -> int | None:
        """A name whose words are all words of a person already met: the latest such person (not yet met: none)."""
        words = [t.text for t in span if not t.is_punct]
        if not words or span.label_ not in ("PERSON", "ORG", "KB", "GPE"):
            return None
        for index in range(len(self.drafts) - 1, -1, -1):
            draft = self.drafts[index]
            name_words = draft.name.split()
            if draft.type == "PERSON" and len(name_words) > len(words) and all(w in name_words for w in words):
                return index
        return None

    def _from_entry(self, entry: ActorEntry, text: str) -> int:
        kind = entry.kind
        etype = _KB_TYPES.get(kind, "ORG")
        name = entry.name
        return self._draft(name, etype, entry.country, entry.sector, role=entry.role, kind=kind, alias=text)

    def _new_person(self, span: Span) -> int:
        entry = self.kb.first(span.text, self.day, kinds=("person",))
        name = entry.name if entry else span.text
        country, role = self._title(span)
        country = country or self._of_country(span.doc, span.end)
        sector = self.kb.role_sector(role) if role else None
        if entry:
            country = country or entry.country
            role = role or entry.role
            sector = sector or entry.sector
        if country == "IGO":
            sector = "IGO"
        index = self._draft(name, "PERSON", country, sector, role=role, kind="person", alias=name)
        draft = self.drafts[index]
        for said in (role, self._apposition(span)):
            if said and (not draft.role or said.lower() not in draft.role.lower()):
                draft.role = f"{draft.role}; {said}" if draft.role else said
        if country and not draft.country:
            draft.country = country
        return index

    def _apposition(self, span: Span) -> str | None:
        """ "Mohammad Bagheri, the armed forces chief of staff, said": the role the page gives after a name."""
        doc = span.doc
        if span.end + 2 >= len(doc) or doc[span.end].text != ",":
            return None
        for child in span.root.children:
            if (
                child.dep_ == "appos"
                and child.i > span.end
                and (self._role_of(child) is not None or child.lower_ in self.kb.role_words)
            ):
                words = [t for t in child.subtree if t.i > span.end and not t.is_punct]
                while words and words[0].dep_ == "det":
                    words = words[1:]
                return doc[words[0].i : words[-1].i + 1].text if words else None
        return None

    def _new_org_or_place(self, span: Span) -> int:
        words = list(span)
        country = None
        head = self.kb.first(words[0].text, self.day, kinds=("demonym", "country"))
        if head and len(words) > 1:
            country, words = head.country, words[1:]
        before = span.doc[span.start - 1] if span.start > 0 else None
        if country is None and before is not None:
            prior = self.kb.first(before.text, self.day, kinds=("demonym", "country"))
            country = prior.country if prior else None
        name = span.doc[words[0].i : span.end].text
        etype = "PLACE" if span.label_ in ("GPE", "LOC") else "ORG"
        sector = self.kb.role_sector(name) if etype == "ORG" else None
        index = self._draft(name, etype, country, sector, role=None, kind=None, alias=name)
        self._acronym_after(span, index)
        return index

    def _acronym_after(self, span: Span, index: int) -> None:
        doc = span.doc
        if span.end + 2 < len(doc) and doc[span.end].text == "(" and doc[span.end + 2].text == ")":
            acronym = doc[span.end + 1].text
            initials = "".join(t.text[0] for t in span if t.is_title or t.is_upper).lower()
            if 2 <= len(acronym) <= 10 and acronym[0].isupper() and (acronym.isupper() or acronym.lower() == initials):
                self.acronyms[key(acronym)] = index
                if acronym not in self.drafts[index].aliases:
                    self.drafts[index].aliases.append(acronym)

    # -- titles and roles ------------------------------------------------------------------------------------
    def _title_start(self, span: Span) -> int:
        doc = span.doc
        start = span.start
        while start > 0:
            token = doc[start - 1]
            linking = token.lower_ in _TITLE_LINKS and start >= 2 and doc[start - 2].is_title
            titled = token.lower_ in self.kb.role_words or token.lower_ in _TITLE_MODIFIERS
            if token.is_title or token.is_upper or titled or linking:
                start -= 1
            else:
                break
        while start < span.start and doc[start].lower_ in _TITLE_LINKS:
            start += 1
        while start < span.start and doc[start].is_sent_start and doc[start].tag_ in ("IN", "RB", "VBG"):
            start += 1
        return start

    def _title(self, span: Span) -> tuple[str | None, str | None]:
        """(country, role) from the title phrase before a person's name."""
        doc = span.doc
        first = self._title_start(span)
        words = list(doc[first : span.start])
        country = None
        for n in range(min(3, len(words)), 0, -1):
            entry = self.kb.first(doc[first : first + n].text, self.day, kinds=("demonym", "country", "metonym", "igo"))
            if entry:
                country = entry.country
                if entry.kind in ("demonym", "country"):
                    words = words[n:]
                break
        if not self.kb.role_sector(" ".join(t.text for t in words)) and not any(
            t.lower_ in self.kb.role_words for t in words
        ):
            return country, None
        role = doc[first : span.start].text.strip()  # the title as printed: "North Korean leader"
        return country, role or None

    def _role_phrases(self, doc: Doc, taken: dict[int, int]) -> list[tuple[int, Span]]:
        """ "Putin's foreign minister", "the Kremlin spokesman": a role standing for a person met earlier."""
        found = []
        for chunk in doc.noun_chunks:
            if any(t.i in taken and self.drafts[taken[t.i]].type == "PERSON" and t.i >= chunk.root.i for t in chunk):
                continue
            role_tokens = [t for t in chunk if t.i > chunk.start or t.dep_ != "poss"]
            role_text = " ".join(t.lower_ for t in role_tokens if t.dep_ not in ("det", "poss", "case"))
            if not role_text or chunk.root.lower_ not in self.kb.role_words:
                continue
            country = self._possessor_country(chunk, taken)
            index = self._person_with_role(role_text, country)
            if index is not None:
                found.append((index, doc[chunk.start : chunk.end]))  # "the Russian leader", as printed
        return found

    def _possessor_country(self, chunk: Span, taken: dict[int, int]) -> str | None:
        for token in chunk:
            if token.i in taken and token.i < chunk.root.i:
                return self.drafts[taken[token.i]].country
        return None

    def _person_with_role(self, role_text: str, country: str | None) -> int | None:
        words = [w for w in role_text.split() if w in self.kb.role_words]
        if not words:
            return None
        matches = [
            i
            for i, d in enumerate(self.drafts)
            if d.type == "PERSON"
            and d.role
            and all(w in d.role.lower() for w in words)
            and (country is None or d.country == country)
        ]
        return matches[-1] if len(set(matches)) >= 1 and len({self.drafts[i].name for i in matches}) == 1 else None

    # -- bookkeeping -----------------------------------------------------------------------------------------
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
            self.drafts.append(_Draft(name, etype, country, sector, role=role, kind=kind))
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


def _dateline(span: Span) -> bool:
    """A capitalised place name opening a paragraph and followed by a dateline's punctuation."""
    doc = span.doc
    if span.start > 3 or not all(t.is_upper or not t.is_alpha for t in doc[: span.end]):
        return False
    after = doc[span.end].text if span.end < len(doc) else ""
    return after in (",", "-", "–", "—", "(", ":")


def _group_phrases(doc: Doc) -> list[Span]:
    """Noun phrases, and the possessor phrases inside them ("the Russian government's refusal")."""
    phrases = []
    for chunk in doc.noun_chunks:
        for token in chunk:
            if token.dep_ == "poss" and token.i > chunk.start and token.pos_ == "NOUN":
                phrases.append(doc[chunk.start : token.i + 1])
        phrases.append(chunk)
    return phrases


def _ner_spans(doc: Doc) -> list[Span]:
    return [ent for ent in doc.ents if ent.label_ in _LABELS]


def _merge(spans: list[Span]) -> list[Span]:
    """Non-overlapping spans, longest first; on a tie the knowledge base's reading wins."""
    ordered = sorted(spans, key=lambda s: (-(s.end - s.start), s.label_ != "KB", s.start))
    taken: set[int] = set()
    kept: list[Span] = []
    for span in ordered:
        if taken.isdisjoint(range(span.start, span.end)):
            kept.append(span)
            taken.update(range(span.start, span.end))
    return sorted(kept, key=lambda s: s.start)


def _actor_id(draft: _Draft) -> str:
    return f"{draft.type.lower()}:{key(draft.name).replace(' ', '_')}"


def token_actor(actors: ActorMap, paragraph: int, token: Token) -> int | None:
    return actors.actor_at(paragraph, token.i)
