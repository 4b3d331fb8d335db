"""Who did it and to whom: an event trigger's source and target actors, read off the dependency parse.

When the small model's parse does not give a clean subject or object, the nearest actor in the clause stands in
(and the event's confidence says so).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import chain

from spacy.tokens import Span, Token

from newsgraph.events.lexicon import Trigger
from newsgraph.nlp.actors import ActorMap

_SUBJECTS = ("nsubj", "csubj")
_NOMINAL_SOURCES = ("poss", "amod", "compound", "nmod")
_LIGHT_VERBS = {
    "make", "pay", "hold", "conduct", "begin", "start", "undertake", "carry", "have", "impose", "launch", "complete",
    "speed", "finish", "order", "continue", "stage", "engage",
}  # fmt: skip
_RELATIVES = {"who", "which", "that", "whom"}
_PRONOUNS = {"he", "she", "they", "him", "her", "them"}
# Prepositions whose object is the party an act is aimed at: "sanctions on X", "a truce with X".
_TARGET_PREPS = {"on", "against", "to", "with", "in", "into", "toward", "towards", "at", "for"}


def _passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


class Arguments:
    """Finds actors for tokens of one doc (a paragraph, or a sentence of one)."""

    def __init__(self, actors: ActorMap, paragraph: int, before: Sequence[int] = ()) -> None:
        """`paragraph`: the doc's index; `before`: the docs of the same paragraph before it, nearest first."""
        self.actors = actors
        self.paragraph = paragraph
        self.before = before

    def actor_at(self, token: Token) -> int | None:
        return self.actors.actor_at(self.paragraph, token.i)

    def actor_of(self, token: Token) -> int | None:
        """The actor a noun phrase stands for: its own, or its modifiers' (left of the head, not in clauses)."""
        own = self.actor_at(token)
        if own is not None:
            return own
        for child in token.children:
            if child.dep_ in ("compound", "amod", "poss", "nmod", "appos") or (
                child.dep_ == "prep" and child.lower_ in ("of", "between", "from")
            ):
                found = self.actor_of(child) if child.dep_ != "prep" else self._first_in(child.subtree)
                if found is not None:
                    return found
        if token.dep_ == "pobj" or token.pos_ in ("NOUN", "PROPN"):
            for child in token.children:
                if child.dep_ == "conj":
                    found = self.actor_of(child)
                    if found is not None:
                        return found
        return None

    def _first_in(self, tokens: Iterator[Token]) -> int | None:
        for token in tokens:
            index = self.actor_at(token)
            if index is not None:
                return index
        return None

    # -- source ------------------------------------------------------------------------------------------------
    def source(self, trigger: Token, entry: Trigger) -> tuple[int | None, bool]:
        """(actor, found by the parse) for the doer of the event."""
        found = self._noun_source(trigger) if entry.noun else self._verb_source(trigger)
        if found is not None:
            return found, True
        if entry.needs_source or entry.noun or _passive(trigger):
            return None, False
        return self._nearest(trigger, left=True, skip=None), False

    def _verb_source(self, verb: Token) -> int | None:
        for _ in range(4):
            for child in verb.children:
                if child.dep_ == "agent":
                    return self._first_in(child.subtree)
                if child.dep_ in _SUBJECTS:
                    if child.lower_ in _RELATIVES and verb.dep_ == "relcl":
                        return self.actor_of(verb.head)
                    if child.lower_ in _PRONOUNS:
                        return self.pronoun(child)
                    return self.actor_of(child)
            if verb.dep_ in ("xcomp", "conj", "advcl", "acomp") and verb.head != verb:
                verb = verb.head
            elif verb.dep_ in ("relcl", "acl") and verb.head != verb:
                return self.actor_of(verb.head)
            else:
                return None
        return None

    def pronoun(self, token: Token) -> int | None:
        """he/she/they: the nearest person (or, for "they", any actor) named before it in the paragraph."""
        personal = token.lower_ in ("he", "she", "him", "her")
        here = (self.actors.actor_at(self.paragraph, i) for i in range(token.i - 1, -1, -1))
        earlier = (self.actors.tokens[doc][i] for doc in self.before for i in sorted(self.actors.tokens[doc])[::-1])
        for index in chain(here, earlier):
            if index is None or self.actors.is_media(index):
                continue
            entity = self.actors.entities[index]
            if (entity.type == "PERSON") == personal or (not personal and entity.type in ("ORG", "GROUP")):
                return index
        return None

    def conjoined(self, trigger: Token, source: int | None) -> int | None:
        """ "Putin and Kim toasted": the subject's other conjunct is the counterpart."""
        for child in trigger.children:
            if child.dep_ in _SUBJECTS:
                for conj in (c for c in child.children if c.dep_ == "conj"):
                    found = self.actor_of(conj)
                    if found is not None and not self._same_side(found, source):
                        return found
        return None

    def _noun_source(self, noun: Token) -> int | None:
        for child in noun.children:
            if child.dep_ in _NOMINAL_SOURCES:
                found = self.actor_of(child)
                if found is not None:
                    return found
            if child.dep_ == "prep" and child.lower_ == "by":
                found = self._first_in(child.subtree)
                if found is not None:
                    return found
        head = noun.head
        if noun.dep_ in ("dobj", "attr") and head.lemma_ in _LIGHT_VERBS | {"be"}:
            return self._verb_source(head)
        return None

    # -- target ------------------------------------------------------------------------------------------------
    def target(self, trigger: Token, entry: Trigger, source: int | None) -> tuple[int | None, bool]:
        specs = ("nsubjpass", *entry.target) if _passive(trigger) else entry.target
        for spec in specs:
            for token in self._slot(trigger, spec):
                found = self.actor_of(token) if spec != "agent" else self._first_in(token.subtree)
                if found is None:
                    found = self._first_in(token.subtree)
                if found is not None and not self._same_side(found, source):
                    return found, True
        clausal = self._clausal_target(trigger, source)
        if clausal is not None:
            return clausal, True
        conjoined = self.conjoined(trigger, source)
        if conjoined is not None:
            return conjoined, True
        if (not entry.target and entry.mode != "allege") or entry.noun:
            return None, True
        return self._nearest(trigger, left=False, skip=source), False

    def _clausal_target(self, trigger: Token, source: int | None, depth: int = 0) -> int | None:
        """ "demanded that the government end curbs": the complement clause's subject; "threatened to ban the
        opposition": the object of the infinitive; "lifted a state of emergency in Darfur": a place or party
        attached to the object."""
        for child in trigger.children:
            if child.dep_ == "ccomp":
                subject = next((c for c in child.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                found = self.actor_of(subject) if subject is not None else None
                if found is not None and not self._same_side(found, source):
                    return found
            if child.dep_ == "xcomp" and depth < 2:  # "promised to continue military aid to Mozambique"
                found = self._object_target(child, source) or self._clausal_target(child, source, depth + 1)
                if found is not None:
                    return found
            if child.dep_ == "dobj":
                for prep in (g for g in child.children if g.dep_ == "prep" and g.lower_ in _TARGET_PREPS):
                    found = self._first_in(prep.subtree)
                    if found is not None and not self._same_side(found, source):
                        return found
        return None

    def _object_target(self, verb: Token, source: int | None) -> int | None:
        for child in verb.children:
            if child.dep_ == "dobj" or (child.dep_ == "prep" and child.lower_ in _TARGET_PREPS):
                found = self.actor_of(child) if child.dep_ == "dobj" else self._first_in(child.subtree)
                if found is not None and not self._same_side(found, source):
                    return found
        return None

    def _slot(self, trigger: Token, spec: str) -> Iterator[Token]:
        if spec.startswith("prep:"):
            word = spec.split(":", 1)[1]
            for child in trigger.children:
                if child.dep_ in ("prep", "dative", "agent") and child.lower_ == word:
                    yield from (c for c in child.children if c.dep_ in ("pobj", "pcomp"))
            return
        deps = {
            "dobj": ("dobj",),
            "iobj": ("dative", "iobj"),
            "oprd": ("oprd", "attr"),
            "agent": ("agent",),
            "nsubjpass": ("nsubjpass",),
        }[spec]
        for child in trigger.children:
            if child.dep_ in deps:
                yield child
        if spec == "dobj" and trigger.dep_ == "relcl" and trigger.head.pos_ in ("NOUN", "PROPN"):
            yield trigger.head

    def _same_side(self, candidate: int, source: int | None) -> bool:
        """The source itself, or an actor of its country and sector ("Russia" for "Russian officials"); police
        dispersing protesters of their own country are two sides."""
        if source is None:
            return False
        a, b = self.actors.entities[candidate], self.actors.entities[source]
        if candidate == source:
            return True
        return a.country is not None and a.country == b.country and (a.sector or "GOV") == (b.sector or "GOV")

    def _nearest(self, trigger: Token, *, left: bool, skip: int | None) -> int | None:
        """The closest actor in the sentence on one side of the trigger (not a news medium, not the source)."""
        sentence: Span = trigger.sent
        tokens = (
            reversed(list(sentence.doc[sentence.start : trigger.i]))
            if left
            else iter(sentence.doc[trigger.i + 1 : sentence.end])
        )
        for token in tokens:
            index = self.actor_at(token)
            if index is None or self.actors.is_media(index) or self._same_side(index, skip):
                continue
            if self.actors.entities[index].country is None:
                continue
            return index
        return None
