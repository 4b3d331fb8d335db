"""Group actors: role nouns with a country ("Hungarian officials", "the Russian foreign ministry", "rebels in
Darfur"), each country of a coordination apart, and the place a story was filed from (its dateline)."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from newsgraph.nlp.gazetteer import load_gazetteer
from newsgraph.nlp.resolver_base import ResolverBase, noun_chunks

# Role nouns that name one body rather than a set of people: "the Russian foreign ministry" is an organisation.
INSTITUTIONS = {
    "ministry", "army", "navy", "command", "agency", "council", "office", "service", "parliament", "government",
    "administration", "court", "embassy", "department", "committee", "commission", "cabinet", "assembly",
    "legislature", "police", "guard", "force", "party", "bank", "authority",
}  # fmt: skip


class GroupActors(ResolverBase):
    def _groups(self, doc: Doc, tokens: dict[int, int], offset: int) -> None:
        """ "Hungarian officials", "Kurdish rebels", "the president of Armenia": a role noun with a country is a
        group actor of that country and the role's sector; "Hungarian and Romanian officials" are two groups."""
        for chunk in group_phrases(doc):
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
                etype = "ORG" if root.lemma_.lower() in INSTITUTIONS else "GROUP"
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
        merged: list[tuple[int, int, str | None]] = []
        for first, last, country in found:
            if merged and merged[-1][1] == first:  # "Turkish Kurd refugees": Kurds of Turkey, one group
                merged[-1] = (merged[-1][0], last, merged[-1][2])
            else:
                merged.append((first, last, country))
        return merged

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


def dateline(span: Span) -> bool:
    """A capitalised place name opening a paragraph and followed by a dateline's punctuation."""
    doc = span.doc
    if span.start > 3 or not all(t.is_upper or not t.is_alpha for t in doc[: span.end]):
        return False
    after = doc[span.end].text if span.end < len(doc) else ""
    return after in (",", "-", "–", "—", "(", ":")


def group_phrases(doc: Doc) -> list[Span]:
    """Noun phrases, and the possessor phrases inside them ("the Russian government's refusal")."""
    phrases = []
    for chunk in noun_chunks(doc):
        for token in chunk:
            if token.dep_ == "poss" and token.i > chunk.start and token.pos_ == "NOUN":
                phrases.append(doc[chunk.start : token.i + 1])
        phrases.append(chunk)
    return phrases
