"""Entities of an article, resolved to actors: canonical name, type, country, sector and role, with every mention.

Works over the spaCy docs of the article's paragraphs (in order, so that short names link back to full ones):
named entities plus knowledge-base names the model misses, title phrases before person names ("US Special
Representative for North Korea Sung Kim"), acronyms defined in parentheses, and role phrases that stand for a
person named earlier ("Putin's foreign minister").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from spacy.tokens import Doc, Span

from newsgraph.models import Entity
from newsgraph.nlp.gazetteer import load_gazetteer
from newsgraph.nlp.groups import INSTITUTIONS, GroupActors, dateline
from newsgraph.nlp.kb import ActorEntry, key
from newsgraph.nlp.places import COMPASS, FACILITIES, PlaceActors, located, split_dateline
from newsgraph.nlp.resolver_base import actor_id
from newsgraph.nlp.titles import HONORIFICS, TitledPeople

_LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE", "NORP": "GROUP"}
_MAX_NGRAM = 6
_BIG_CITY = 50_000  # a lone unknown name that is a city this large is read as the city
# What a name may add to a known group's name without naming another body: "the Fatah Party".
_GENERIC_BODIES = {"party", "movement", "group", "organisation", "organization", "front"}
# Sectors of the offices of a state and its politics: a holder whose title names no country may be placed by the
# sentence.
_STATE_SECTORS = {"GOV", "LEG", "JUD", "MIL", "COP", "SPY", "POL"}
# Words naming bodies that no state owns: an unknown organisation called so is coded NGO, as CAMEO does.
_NGO_WORDS = {"association", "federation", "foundation", "forum", "society", "charity"}


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


class ActorResolver(GroupActors, TitledPeople, PlaceActors):
    """Resolves the entities of one article. Pure over its inputs; the knowledge base is shared read-only."""

    def resolve(self, docs: Sequence[Doc], offsets: Sequence[int], headings: Sequence[str | None] = ()) -> ActorMap:
        """`headings` (title, standfirst, captions) are not parsed: they lend aliases to the body's entities, and
        the places the tables know that only they name become entities without a mention in the body."""
        token_maps = [self._paragraph(doc, offset) for doc, offset in zip(docs, offsets, strict=True)]
        for heading in headings:
            self._heading_aliases(heading or "")
        for index, draft in enumerate(self.drafts):
            if draft.type == "PLACE" and (
                draft.kind == "city" or (draft.kind == "capital" and index not in self.acting)
            ):
                draft.sector = "CVL"  # a city stands for its people; a capital only named as a place is no state
        entities = tuple(
            Entity(
                d.name,
                d.type,
                d.country,
                d.sector,
                d.role,
                actor_id=actor_id(d),
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
        for span in _merge(split_dateline(doc, list(_ner_spans(doc)) + list(self._kb_spans(doc)), self.kb.role_words)):
            span = self._trim(span)
            if dateline(span):  # "ROME - ...": where the story was filed, a place but no actor of the story
                self._dateline_place(span, offset)
                continue
            if self._demonym_of_group(span):
                continue  # "Hungarian officials": the group below is the actor, the adjective only its country
            if span.root.dep_ == "compound" and span.root.head.lemma_.lower() in FACILITIES and span.label_ != "KB":
                continue  # "the Nevatim air base": a site, read as one below
            index = self._resolve_span(span)
            if index is None:
                continue
            self._alias(index, span.text)
            if not located(span):
                self.acting.add(index)
            if self.drafts[index].type == "ORG":
                self._acronym_after(span, index)
                self._described_before(span, index)
            if self.drafts[index].type == "PERSON":
                self._learn_title(index, span)
            first = self._title_start(span) if self.drafts[index].type == "PERSON" else span.start
            if first < span.start and doc[first].text.rstrip(".") in HONORIFICS:
                self._alias(index, doc[first : span.end].text)  # "Mr. Trudeau"
            self._mention(index, doc[first : span.end] if first < span.start else span, offset)
            for i in range(first, span.end):
                tokens[i] = index
        for index, span in self._role_phrases(doc, tokens):
            self._mention(index, span, offset, alias=True)
            for i in range(span.start, span.end):
                tokens[i] = index
        self._officials_of_the_sentence(doc, tokens)
        self._groups(doc, tokens, offset)  # "supporters of former President Ahmed Ben Bella" are of his country
        self._facilities(doc, tokens, offset)
        self._officials_of_the_sentence(doc, tokens)  # again, with the groups' countries ("Chilean officials")
        return tokens

    def _officials_of_the_sentence(self, doc: Doc, tokens: dict[int, int]) -> None:
        """ "Planning and Investment Minister Tran Xuan Gia said Vietnam is committed ...": an office holder whose
        title names no country serves the only country the sentence names (none or several: left unplaced)."""
        for sent in doc.sents:
            here = {tokens[t.i] for t in sent if t.i in tokens}
            for index in here:
                draft = self.drafts[index]
                if draft.type != "PERSON" or draft.country or draft.sector not in _STATE_SECTORS:
                    continue
                named = {self.drafts[i].country for i in here if i != index} - {None, "IGO", "NGO"}
                if len(named) == 1:
                    draft.country = named.pop()

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
                if (
                    token.pos_ == "PROPN"
                    and token.ent_type_ in ("", "PRODUCT", "WORK_OF_ART")
                    and self._met_name_word(token.text)
                ):
                    found.append(Span(doc, i, i + 1, label="PERSON"))  # "Choe", after "Choe Son Hui"
                elif self._lone_unknown_name(doc, i) and (self._big_city(token.text) or self.kb.near(token.text)):
                    found.append(Span(doc, i, i + 1, label="GPE"))  # a city, or a misspelt country
        return found

    def _met_name_word(self, word: str) -> bool:
        """A word of the name of a person already met in this article (their surname alone, later on)."""
        return len(word) >= 3 and any(d.type == "PERSON" and word in d.name.split() for d in self.drafts)

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
        if plural and entry is None and label in ("NORP", "PERSON") and len(span) <= 3:
            entry = self._people_entry(span)  # "Bosnian Serbs", "Ghanians"
        if (
            plural
            and (span.label_ == "NORP" or (entry is not None and entry.kind == "demonym"))
            and (entry is None or entry.kind == "demonym")
        ):
            # "Libyans fled", "Iraqi Kurds": a people, as a group of civilians of the country named
            first = self.kb.first(span[0].text, self.day, kinds=("demonym", "country")) if len(span) > 1 else None
            home = first.country if first else self._country_before(span)  # "Bosnian Serbs" live in Bosnia
            country = home or (entry.country if entry else None)
            country = self._where(span.root, self._current_tokens) or country  # "Albanians in south Serbia"
            return self._draft(text, "GROUP", country, "CVL", role=None, kind="people", alias=text)
        if entry is not None and entry.kind == "person" and label in ("PERSON", "KB"):
            return self._new_person(span)  # the page's own title for the person wins over the table's
        if entry is not None:
            return self._from_entry(entry, text)
        titled = label == "PERSON" and self._title_start(span) < span.start  # "King Hassan" is no city
        if label in ("PERSON", "ORG", "NORP") and len(span) == 1 and not titled and self._big_city(span.text):
            label = "GPE"  # "struck Odesa", "in Samarra": a lone unknown name that is a large city is the city
        elif label in ("PERSON", "ORG") and len(span) == 1 and not titled and located(span) and entry is None:
            label = "GPE" if load_gazetteer().lookup(text) else label  # "a port facility at Dunai"
        elif label in ("ORG", "NORP") and len(span) == 1 and self.kb.near(text) is not None:
            label = "GPE"  # "in Khatmandu": a misspelt place the model took for something else
        if label == "ORG" and 2 <= len(span) <= 3 and all(t.pos_ == "PROPN" for t in span) and self._titled(span):
            label = "PERSON"  # "Vice-President Moody Awori": a titled name the model took for an organisation
        if label == "PERSON":
            return self._new_person(span)
        if label == "ORG" and len(span) > 1 and span[-1].lower_ in _GENERIC_BODIES:
            known = self.kb.first(span[:-1].text, self.day, kinds=("group", "organisation"))
            if known is not None:  # "the Fatah Party"
                return self._from_entry(known, text)
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

    def _titled(self, span: Span) -> bool:
        """A capitalised office right before the name ("Vice-President Moody Awori")."""
        doc, words = span.doc, self.kb.role_words
        if any(t.lower_ in words for t in span):
            return False  # "Supreme Court" is a body, whatever precedes it
        return any(
            t.is_title and not t.is_stop and t.lower_ in words for t in doc[self._title_start(span) : span.start]
        )

    def _people_entry(self, span: Span) -> ActorEntry | None:
        """A plural name that is a people: its own words a demonym ("Bosnian Serbs") or a misspelt one."""
        for token in span:
            found = self.kb.first(token.text, self.day, kinds=("demonym",))
            if found is not None:
                return found
        near = self.kb.near(span.text) if len(span) == 1 else None
        return near if near is not None and near.kind == "demonym" else None

    def _entry_for(self, span: Span) -> ActorEntry | None:
        if span.label_ == "PERSON":
            found = self.kb.first(span.text, self.day, kinds=("person",))
            return found or self.kb.near_person(span.text, self.day)
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

    def _new_person(self, span: Span) -> int:
        entry = self.kb.first(span.text, self.day, kinds=("person",))
        if entry is None and span.label_ == "PERSON":
            entry = self.kb.near_person(span.text, self.day)
        name = entry.name if entry else span.text
        country, role = self._title(span)
        country = country or self._of_country(span.doc, span.end)
        sector = self.kb.role_sector(role) if role else None
        if entry:
            country = country or entry.country
            role = role or entry.role
            sector = sector or entry.sector
        if country == "IGO" and sector in (None, "IGO"):
            sector = (self.kb.role_sector(role) if role else None) or sector  # "Secretary-General" -> GOV
        if entry is not None and role and entry.role and not _overlaps(role, entry.role):
            role = f"{role}; {entry.role}"  # the page's title first, then the office the tables know
        index = self._draft(name, "PERSON", country, sector, role=role, kind="person", alias=name)
        if country and not self.drafts[index].country:
            self.drafts[index].country = country
        return index

    def _learn_title(self, index: int, span: Span) -> None:
        """Every mention of a person may print another title or apposition: gather them in the role."""
        draft = self.drafts[index]
        country, title = self._title(span)
        apposition = self._apposition(span)
        for said in (title, apposition):
            if said and (not draft.role or not _overlaps(said, draft.role)):
                draft.role = f"{draft.role}; {said}" if draft.role else said
        if not country and apposition:
            country = self._country_in(apposition)  # "an ambassador-at-large at the Russian foreign ministry"
        if country and not draft.country:
            draft.country = country
            if not draft.sector and draft.role:
                draft.sector = self.kb.role_sector(draft.role)

    def _country_in(self, words: str) -> str | None:
        """The country a description names: a demonym or country in it, or a body met earlier ("a spokesman
        for the command" after "China's Eastern Theatre Command")."""
        tokens = words.replace("'s", " 's").replace("’s", " ’s").split()
        for token in tokens:
            entry = self.kb.first(token, self.day, kinds=("demonym", "country"))
            if entry is not None:
                return entry.country
        for token in tokens[1:]:
            if token.lower() in INSTITUTIONS and tokens[tokens.index(token) - 1].lower() == "the":
                for draft in reversed(self.drafts):
                    if draft.type == "ORG" and draft.country and draft.name.lower().split()[-1] == token.lower():
                        return draft.country
        return None

    def _new_org_or_place(self, span: Span) -> int:
        words = list(span)
        country = None
        head = self.kb.first(words[0].text, self.day, kinds=("demonym", "country"))
        if head and len(words) > 1:
            country, words = head.country, words[1:]
        doc, at, printed = span.doc, span.start, ""
        if at > 0 and doc[at - 1].lower_ in ("the", "a") and at > 1:
            at -= 1  # look past an article to what modifies the name
        possessor = at > 1 and doc[at - 1].tag_ == "POS"
        end = at - 1 if possessor else at  # "Israel's Cabinet", "Ivory Coast's Supreme Court"
        for n in (3, 2, 1) if country is None else ():
            prior = self.kb.first(doc[max(end - n, 0) : end].text, self.day, kinds=("demonym", "country"))
            if prior is not None and end - n >= 0:
                country = prior.country
                if possessor:
                    printed = doc[end - n : span.end].text  # kept as an alias below: "Russia's Defence Ministry"
                break
        if country is None:
            country = self._where(span.root, self._current_tokens)  # "the Supreme Court of Ivory Coast"
        if country is None:
            country = self._described_country(span)  # "Rusi, a London think tank"
        etype = "PLACE" if span.label_ in ("GPE", "LOC") else "ORG"
        if country is None:
            country = self._named_after_place(span)  # "Baghdad University", "West Darfur State"
        if country is None and len(span) > 1 and span[0].lower_ in COMPASS:
            part = self.kb.first(span[1:].text, self.day, kinds=("country", "region"))
            country = part.country if part else None  # "South Lebanon", "Western Cambodia"
        if country is None and etype == "ORG" and _NGO_WORDS.intersection(t.lower_ for t in span):
            country = "NGO"  # "Association of African Jurists": a body of no state
        name = span.doc[words[0].i : span.end].text
        sector = self.kb.role_sector(name) if etype == "ORG" else None
        if printed and self.kb.role_sector(name) is not None:
            name = printed  # a generic body is the possessor's: "Russia's Defence Ministry", not any Defence Ministry
        index = self._draft(name, etype, country, sector, role=None, kind=None, alias=name)
        if printed:
            self._alias(index, printed)
        self._acronym_after(span, index)
        return index

    def _described_before(self, span: Span, index: int) -> None:
        """ "Russia's lower house of parliament, the State Duma": the description is another name for it."""
        head, doc = span.root.head, span.doc
        if span.root.dep_ != "appos" or head.i >= span.start or head.pos_ != "NOUN":
            return
        words = [t for t in doc[head.left_edge.i : span.start] if not t.is_punct and t.dep_ != "det"]
        if words and len(words) <= 8:
            described = doc[words[0].i : words[-1].i + 1]
            self._alias(index, described.text)
            if not self.drafts[index].country:
                self.drafts[index].country = self._country_in(described.text)

    def _described_country(self, span: Span) -> str | None:
        """The country an apposition gives an organisation: "the Royal United Services Institute, a London
        think tank" (a city, capital, demonym or country in it)."""
        for child in span.root.children:
            if child.dep_ != "appos":
                continue
            for token in child.subtree:
                entry = self.kb.first(token.text, self.day, kinds=("demonym", "country", "capital"))
                place = None if entry or not token.is_title else load_gazetteer().lookup(token.text)
                if entry is not None or place is not None:
                    return entry.country if entry else place.country if place else None
        return None

    def _acronym_after(self, span: Span, index: int) -> None:
        doc = span.doc
        if span.end + 2 < len(doc) and doc[span.end].text == "(" and doc[span.end + 2].text == ")":
            acronym = doc[span.end + 1].text
            initials = "".join(t.text[0] for t in span if t.is_title or t.is_upper).lower()
            if 2 <= len(acronym) <= 10 and acronym[0].isupper() and (acronym.isupper() or acronym.lower() == initials):
                self.acronyms[key(acronym)] = index
                if acronym not in self.drafts[index].aliases:
                    self.drafts[index].aliases.append(acronym)


def _ner_spans(doc: Doc) -> list[Span]:
    """The model's entities; one that joins two names with "and" ("Lavrov and Choe") is read as the two."""
    spans = []
    for ent in doc.ents:
        if ent.label_ not in _LABELS:
            continue
        joins = [t.i for t in ent if t.lower_ == "and" and t.dep_ == "cc"]
        if joins and ent.label_ in ("ORG", "PERSON") and all(t.pos_ == "PROPN" or t.i in joins for t in ent):
            edges = [ent.start, *joins, ent.end]
            for left, right in pairwise(edges):
                part = doc[left + (left != ent.start) : right]
                if len(part):
                    spans.append(Span(doc, part.start, part.end, label="PERSON"))
        else:
            spans.append(ent)
    return spans


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


def _overlaps(a: str, b: str) -> bool:
    """One role text says what the other does ("Foreign Minister" and "Russian Foreign Minister")."""
    a, b = a.lower(), b.lower()
    return a in b or b in a
