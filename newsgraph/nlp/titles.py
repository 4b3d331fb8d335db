"""People read with their titles: "US Special Representative for North Korea Sung Kim" (country and role from
the title as printed), "Mohammad Bagheri, the armed forces chief of staff" (role from an apposition), and role
phrases that stand for someone named earlier ("Putin's foreign minister")."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from newsgraph.nlp.resolver_base import ResolverBase, noun_chunks

HONORIFICS = {"Mr", "Mrs", "Ms", "Miss", "Dr", "Sir", "Dame", "Mx", "Lord", "Lady"}
# Kinship nouns that describe a person in apposition as a title does: "Kim's father, Kim Jong Il".
KIN = {"father", "mother", "son", "daughter", "wife", "husband", "brother", "sister", "widow", "uncle", "grandfather"}
# Roles that make their holder a country's leader ("the Russian leader" is its president).
_LEADERS = ("leader", "president", "prime minister", "premier", "chairman", "king", "chancellor", "general secretary")
# ", whom Ottawa identified as the head of ...": a role given in a relative clause.
_DESCRIBED = re.compile(
    r",\s+(?:whom|who)\s[^,.;]{0,40}?\b(?:described|identified|named)\s+as\s+(?:the\s+|an?\s+)?([^,;.]+)"
)
_TITLE_LINKS = {"for", "of", "on", "to", "'s", "’s"}
# Words that qualify a title without being one: "Lebanon's new President", "ousted leader".
_TITLE_MODIFIERS = {
    "new", "former", "ousted", "acting", "interim", "deputy", "senior", "top", "then", "outgoing", "incoming",
    "late", "exiled", "embattled", "veteran", "chief", "first", "vice", "assistant",
}  # fmt: skip


class TitledPeople(ResolverBase):
    def _title_start(self, span: Span) -> int:
        doc = span.doc
        start = span.start
        while start > 0:
            token = doc[start - 1]
            linking = token.lower_ in _TITLE_LINKS and start >= 2 and doc[start - 2].is_title
            titled = token.lower_ in self.kb.role_words or token.lower_ in _TITLE_MODIFIERS
            if (
                token.text == "-"
                and start >= 2
                and (doc[start - 2].lower_ in ("then", "ex") or doc[start - 2].is_title)
            ):
                start -= 1  # "then-House Speaker Nancy Pelosi", "Vice-President Moody Awori"
                continue
            if token.ent_type_ in ("DATE", "TIME", "CARDINAL") or token.is_punct:
                break  # "on Thursday Lavrov": a date is no title
            modifier = token.dep_ in ("compound", "amod") and token.head.i >= start and not token.is_stop
            if token.is_title or token.is_upper or titled or linking or modifier:  # "foreign policy chief"
                start -= 1
            else:
                break
        while start < span.start and doc[start].lower_ in _TITLE_LINKS:
            start += 1
        while start < span.start and doc[start].is_sent_start and doc[start].tag_ in ("IN", "RB", "RBR", "VBG", "JJR"):
            start += 1
        while start < span.start and doc[start].lower_ in _TITLE_LINKS:
            start += 1
        return start

    def _title(self, span: Span) -> tuple[str | None, str | None]:
        """(country, role) from the title phrase before a person's name."""
        doc = span.doc
        first = self._title_start(span)
        words = list(doc[first : span.start])
        country = None
        for n in range(min(3, len(words)), 0, -1):
            kinds = ("region", "demonym", "country", "metonym", "igo")  # "British Columbia Sikh leader": a region
            entry = self.kb.first(doc[first : first + n].text, self.day, kinds=kinds)
            if entry:
                country = entry.country
                if entry.kind in ("demonym", "country", "region"):
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
        for chunk in noun_chunks(doc):
            if any(t.i in taken and self.drafts[taken[t.i]].type == "PERSON" and t.i >= chunk.root.i for t in chunk):
                continue
            role_tokens = [t for t in chunk if t.i > chunk.start or t.dep_ != "poss"]
            role_text = " ".join(t.lower_ for t in role_tokens if t.dep_ not in ("det", "poss", "case"))
            if not role_text or chunk.root.lower_ not in self.kb.role_words:
                continue
            country = (
                self._possessor_country(chunk, taken) or self._of_country(doc, chunk.end) or self._demonym_in(chunk)
            )
            index = self._person_with_role(role_text, country)
            if index is not None:
                found.append((index, doc[chunk.start : chunk.end]))  # "the Russian leader", as printed
        return found

    def _possessor_country(self, chunk: Span, taken: dict[int, int]) -> str | None:
        for token in chunk:
            if token.i in taken and token.i < chunk.root.i:
                return self.drafts[taken[token.i]].country
        return None

    def _demonym_in(self, chunk: Span) -> str | None:
        """ "the Russian leader": the country a demonym before the role noun names."""
        for token in chunk:
            if token.i < chunk.root.i and token.is_title:
                entry = self.kb.first(token.text, self.day, kinds=("demonym",))
                if entry is not None:
                    return entry.country
        return None

    def _person_with_role(self, role_text: str, country: str | None) -> int | None:
        words = [w for w in role_text.split() if w in self.kb.role_words]
        if not words:
            return None

        def holds(role: str) -> bool:
            if words == ["leader"] and country is not None:  # "the Russian leader": whoever leads that country
                return any(w in role for w in _LEADERS) and not any(w in role for w in ("vice", "deputy"))
            return all(w in role for w in words)

        matches = [
            i
            for i, d in enumerate(self.drafts)
            if d.type == "PERSON" and d.role and holds(d.role.lower()) and (country is None or d.country == country)
        ]
        return matches[-1] if len(set(matches)) >= 1 and len({self.drafts[i].name for i in matches}) == 1 else None

    def _apposition(self, span: Span) -> str | None:
        """ "Mohammad Bagheri, the armed forces chief of staff, said": the role the page gives after a name."""
        doc = span.doc
        head = span.root.head
        if (
            span.root.dep_ == "appos"
            and head.i < span.start
            and (self._role_of(head) is not None or head.lower_ in KIN)
        ):
            # "China's leader, Xi Jinping": the role stands before the name, the name in apposition to it
            words = [t for t in doc[head.left_edge.i : span.start] if not t.is_punct]
            while words and words[0].dep_ == "det":
                words = words[1:]
            return doc[words[0].i : words[-1].i + 1].text if words else None
        if span.end + 2 >= len(doc) or doc[span.end].text != ",":
            return None
        described = _DESCRIBED.match(doc[span.end : span.sent.end].text)
        if described:  # "Pavan Kumar Rai, whom Ottawa identified as the head of ..."
            return described.group(1).strip()
        for child in span.root.children:
            nominal = [t for t in child.subtree if span.end < t.i <= child.i]  # "an ambassador-at-large"
            if (
                child.dep_ == "appos"
                and child.i > span.end
                and (self._role_of(child) is not None or any(t.lower_ in self.kb.role_words for t in nominal))
            ):
                words = [t for t in child.subtree if t.i > span.end and not t.is_punct]
                while words and words[0].dep_ == "det":
                    words = words[1:]
                return doc[words[0].i : words[-1].i + 1].text if words else None
        return None
