"""Places in an article: datelines, named sites ("the Nevatim air base"), places named after a compass point or
opening an organisation's name, and places that only the headline, standfirst or captions name."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from newsgraph.nlp.kb import key
from newsgraph.nlp.resolver_base import ResolverBase, noun_chunks

_CAPITALISED = re.compile(r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*")
# Sites that a proper name before them makes a place: "the Nevatim air base", "the Filoli estate".
FACILITIES = {
    "base", "airbase", "airfield", "airport", "estate", "port", "harbour", "harbor", "refinery", "plant", "palace",
    "ranch", "cosmodrome", "shipyard", "facility", "dam", "prison", "camp", "depot", "compound",
}  # fmt: skip
COMPASS = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "northeast",
    "northwest", "southeast", "southwest", "north-east", "north-west", "south-east", "south-west", "upper", "lower",
}  # fmt: skip


class PlaceActors(ResolverBase):
    def _heading_aliases(self, text: str) -> None:
        """ "Rusi analysis tracks ...": a name the tables know for an entity of the body, as the heading prints it;
        "Residents of Stepanakert queue ...": a place the body does not name."""
        by_name = {key(d.name): i for i, d in enumerate(self.drafts)}
        for run in _CAPITALISED.finditer(text):
            words = run.group(0).split()
            for n in range(len(words), 0, -1):
                for i in range(len(words) - n + 1):
                    printed = " ".join(words[i : i + n])
                    for entry in self.kb.lookup(printed, self.day) if len(printed) > 3 else ():
                        index = by_name.get(key(entry.name))
                        if index is None and entry.kind in ("country", "region", "capital"):
                            by_name[key(entry.name)] = self._from_entry(entry, printed)  # named only there
                        elif index is not None and entry.kind not in ("demonym", "person"):
                            self._alias(index, printed)

    def _facilities(self, doc: Doc, tokens: dict[int, int], offset: int) -> None:
        """ "the Nevatim air base", "the Filoli estate in Woodside": a named site is a place, in the country its
        phrase names or else the only country its sentence names."""
        for chunk in noun_chunks(doc):
            root = chunk.root
            names = [t for t in chunk if t.i < root.i and t.pos_ == "PROPN" and t.i not in tokens]
            if root.lemma_.lower() not in FACILITIES or not names or root.i in tokens:
                continue
            phrase = doc[names[0].i : root.i + 1]
            country = self._where(root, tokens)
            if country is None:
                sentence = (self.drafts[tokens[t.i]] for t in root.sent if t.i in tokens)
                places = {d.country for d in sentence if d.type == "PLACE" and d.country}
                country = places.pop() if len(places) == 1 else None
            index = self._draft(phrase.text, "PLACE", country, None, role=None, kind="site", alias=phrase.text)
            self._mention(index, phrase, offset)
            for i in range(phrase.start, phrase.end):
                tokens[i] = index

    def _named_after_place(self, span: Span) -> str | None:
        """The country of a place that opens a name (a country, capital, region or international body the tables
        hold: "United Nations Emergency Relief Coordinator") or that a bracket adds ("Khanty-Mansiysk (Siberia)")."""
        for n in range(min(3, len(span) - 1), 0, -1):
            entry = self.kb.first(span[:n].text, self.day, kinds=("country", "capital", "region", "igo"))
            if entry is not None:
                return entry.country
        for token in span[1:]:
            if token.nbor(-1).text == "(":
                entry = self.kb.first(token.text, self.day, kinds=("country", "region"))
                if entry is not None:
                    return entry.country
        return None


def located(span: Span) -> bool:
    """The object of a place preposition ("at Dunai", "near Tikhoretsk")."""
    return span.root.dep_ == "pobj" and span.root.head.lower_ in ("at", "in", "near", "outside", "around")


def split_dateline(doc: Doc, spans: list[Span], role_words: frozenset[str]) -> list[Span]:
    """ "ROME - Defense Secretary ...": the capitalised dateline is a place of its own, cut from the span the
    model ran across the dash into the story's first words (dropped when they are only a title's words)."""
    dash = next((t.i for t in doc[:6] if t.text in ("-", "–", "—")), None)
    if not dash or not all(t.is_upper or not t.is_alpha for t in doc[:dash]) or not doc[0].is_alpha:
        return spans
    end = next((t.i for t in doc[:dash] if t.text == ","), dash)  # "WASHINGTON, D.C. -"
    kept = [Span(doc, 0, end, label="GPE")]
    for span in spans:
        if span.end <= dash:
            continue
        if span.start <= dash:
            span = Span(doc, dash + 1, span.end, label=span.label_)
            if not len(span) or all(t.lower_ in role_words or t.is_punct for t in span):
                continue
        kept.append(span)
    return kept
