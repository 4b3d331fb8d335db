"""Sentence triage: which sentences of an article need the full spaCy pipeline, which need only named entities, and
which need nothing but their tokens, decided from the tokens alone before any model runs.

A sentence can give an event only when one of the lexicon's predicates could stand in it with an object it asks for
("supply ... weapons"), or when a speech verb could carry a denial, an obligation ("must", "should") or a date that a
later denial takes. Lemmas are not known before tagging, so each word is given every lemma the English rule
lemmatizer could give it under any part of speech (its exception tables and suffix rules): a superset, so that no
sentence the coder could use is ever skipped. The other sentences are only searched for names: the named-entity
recogniser runs on those with a capitalised word that may be one, and the rest keep their tokens (the knowledge base
still finds the actors it knows in them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.lookups import Lookups

from newsgraph.events.lexicon import Lexicon, Trigger

Tier = Literal["full", "names", "tokens"]

_NEGATION = frozenset({"not", "n't", "never", "no", "nothing", "none", "nor"})
_OBLIGATION = frozenset({"must", "should"})
_DATE_WORDS = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "yesterday",
        "today",
        "tonight",
        "tomorrow",
        "morning",
        "afternoon",
        "evening",
        "night",
        "week",
        "weekend",
        "month",
        "year",
        "ago",
        "earlier",
        "later",
        "last",
        "next",
        "recently",
        "day",
        "days",
        "weeks",
        "months",
        "years",
    ]
)


@dataclass(frozen=True, slots=True)
class LemmaRules:
    """The English rule lemmatizer's tables: per part of speech, exceptions, suffix rules and known lemmas."""

    exceptions: Mapping[str, Mapping[str, Sequence[str]]]
    rules: Mapping[str, Sequence[tuple[str, str]]]

    def lemmas(self, word: str) -> frozenset[str]:
        """Every lemma the lemmatizer could give `word` (lower case) under some part of speech, and the word."""
        found = {word}
        for pos, rules in self.rules.items():
            found.update(self.exceptions.get(pos, {}).get(word, ()))
            for old, new in rules:
                if word.endswith(old):
                    found.add(word[: len(word) - len(old)] + new)
        found.discard("")
        return frozenset(found)


class Triage:
    """Decides a sentence's tier from its words. Pure; built once per process from the lexicon."""

    def __init__(self, lexicon: Lexicon, lemma_rules: LemmaRules) -> None:
        self._rules = lemma_rules
        self._triggers: dict[str, tuple[Trigger, ...]] = {}
        for table in (lexicon.verbs, lexicon.nouns):
            for lemma, entries in table.items():
                self._triggers[lemma] = self._triggers.get(lemma, ()) + entries
        self._speech = lexicon.speech
        self._allegations = lexicon.allegations
        self._denials = lexicon.denials | _NEGATION
        self._lemmas = lru_cache(maxsize=200_000)(self._rules.lemmas)

    def tier(self, words: Sequence[str]) -> Tier:
        """`words`: the sentence's tokens as written."""
        lowered = [w.lower() for w in words]
        if self.may_code(lowered) or describes(words):
            return "full"
        if any(_may_name(w, first=i == 0) for i, w in enumerate(words)):
            return "names"
        return "tokens"

    def may_code(self, lowered: Sequence[str]) -> bool:
        """Whether the coder could find an event in a sentence of these (lower-case) words."""
        lemmas: set[str] = set(lowered)
        for word in set(lowered):
            lemmas.update(self._lemmas(word))
        for lemma in lemmas & self._triggers.keys():
            if any(not entry.objects or not entry.objects.isdisjoint(lemmas) for entry in self._triggers[lemma]):
                return True
        if lemmas.isdisjoint(self._speech):
            return False
        denial = not lemmas.isdisjoint(self._allegations) and not lemmas.isdisjoint(self._denials)
        dated = not lemmas.isdisjoint(_DATE_WORDS) or any(w[:1].isdigit() for w in lowered)
        return denial or dated or not lemmas.isdisjoint(_OBLIGATION)


def describes(words: Sequence[str]) -> bool:
    """Whether a name may be described in the sentence in a way only the parse shows: in apposition ("Chen Binhua,
    spokesman for the Taiwan Affairs Office, said", "Iran's chief of staff, Major General Mohammad Bagheri,") or
    as a possessor ("Azerbaijan's Defence Ministry")."""
    for i in range(1, len(words) - 1):
        before, word, after = words[i - 1], words[i], words[i + 1]
        if word == "," and before[:1].isupper() and after[:1].islower():
            return True  # "Name, spokesman for ..." / "Name, a member of ..."
        if word == "," and before[:1].islower() and after[:1].isupper() and before.isalpha():
            return True  # "chief of staff, Major General ..."
        if word in ("'s", "’s") and before[:1].isupper() and after[:1].isupper():
            return True
    return False


def _may_name(word: str, first: bool) -> bool:
    """A capitalised word that may start a name (a sentence's first word only when it is no common word)."""
    if not word[:1].isupper():
        return False
    return not first or word.lower() not in STOP_WORDS


_UPOS = ("adj", "adp", "adv", "aux", "cconj", "det", "intj", "noun", "num", "part", "pron", "propn", "punct", "verb")


def lemma_rules_of(lookups: Lookups) -> LemmaRules:
    """From the lookups of spaCy's rule lemmatizer ("lemma_exc", "lemma_rules" per part of speech)."""
    exceptions, rules = lookups.get_table("lemma_exc", {}), lookups.get_table("lemma_rules", {})
    return LemmaRules(
        exceptions={pos: dict(exceptions[pos]) for pos in _UPOS if pos in exceptions},
        rules={pos: tuple((old, new) for old, new in rules[pos]) for pos in _UPOS if pos in rules},
    )
