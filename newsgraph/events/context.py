"""An event's status, who claims it, and its date, from the clause around its trigger."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from newsgraph.events.lexicon import Lexicon
from newsgraph.models import DatePrecision, Status
from newsgraph.nlp.dates import resolve

_PLANNED_AUX = {"will", "would", "shall", "'ll", "going"}
_HYPOTHETICAL_AUX = {"may", "might", "could"}
_INTENDING = {"plan", "prepare", "prepared", "ready", "set", "poised", "intend", "vow", "swear", "pledge", "determined"}
_ORDER = ("asserted", "reported", "alleged", "hypothetical", "planned", "denied", "negated")


@dataclass(frozen=True, slots=True)
class Speech:
    """The reported-speech frame an event sits in: the verb and its subject (the claimant)."""

    verb: Token
    speaker: Token | None


def speech_frame(trigger: Token, lexicon: Lexicon, skip: int = 0) -> Speech | None:
    """The nearest speech verb that governs the trigger through a complement clause (skip: that many nearer)."""
    token = trigger
    passed_clause = False
    for _ in range(8):
        if token.dep_ in ("ccomp", "parataxis") or (token.dep_ == "conj" and passed_clause):
            passed_clause = True
        head = token.head
        if head == token:
            return None
        if head.lemma_ in lexicon.speech and (passed_clause or token.dep_ in ("ccomp", "parataxis", "relcl")):
            speaker = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if speaker is not None and speaker.lower_ in ("that", "which", "who") and head.dep_ == "relcl":
                speaker = head.head
            if skip == 0:
                return Speech(head, speaker)
            skip -= 1
        token = head
    return None


_DENY = {"deny", "dismiss", "refute", "reject"}
_ALLEGE = {"accuse", "allege", "blame", "suspect", "charge", "condemn", "criticize", "criticise"}
FRAMING = frozenset(_DENY | _ALLEGE)  # verbs whose complement act is an event of its own, denied or alleged


def framing_verb(trigger: Token) -> tuple[Token, Status] | None:
    """ "denied sending weapons" -> (denied, "denied"); "accused X of supplying" -> (accused, "alleged")."""
    node = trigger
    for _ in range(3):
        if node.dep_ not in ("pcomp", "pobj", "prep", "xcomp", "ccomp", "dobj") or node.head == node:
            return None
        node = node.head
        lemma = node.lemma_.lower()
        if lemma in _DENY:
            return node, "denied"
        if lemma in _ALLEGE:
            return node, "alleged"
    return None


def according_to(trigger: Token) -> list[Token]:
    """Objects of "according to X" attached to the trigger or a verb above it."""
    found: list[Token] = []
    node: Token | None = trigger
    for _ in range(5):
        if node is None:
            break
        for child in node.children:
            if child.lower_ == "according":
                found.extend(t for t in child.subtree if t.dep_ == "pobj")
        if node.dep_ in ("relcl", "acl"):
            break  # a background clause does not take the main clause's source
        node = node.head if node.head != node else None
    return found


def modality(trigger: Token, lexicon: Lexicon) -> Status:
    """negated / planned / hypothetical from the trigger's own auxiliaries and its carrier verbs; else asserted."""
    token = trigger
    for _ in range(3):
        children = list(token.children)
        if any(c.dep_ == "neg" for c in children):
            return "negated"
        auxes = {c.lower_ for c in children if c.dep_ in ("aux", "auxpass")}
        if auxes & _PLANNED_AUX:
            return "planned"
        if auxes & _HYPOTHETICAL_AUX:
            return "hypothetical"
        if token.dep_ == "xcomp" and token.head.lemma_ in lexicon.carriers:
            token = token.head
            continue
        if token.head.lemma_ in lexicon.carriers and token.dep_ == "xcomp":
            return "planned"
        break
    if trigger.dep_ == "xcomp" and trigger.head.lemma_ in {"plan", "intend", "want", "aim", "hope", "expect"}:
        return "planned"
    if conditional(trigger):
        return "hypothetical"
    return "asserted"


def conditional(trigger: Token) -> bool:
    """ "... unless Baghdad accepts", "if it is attacked": the act hangs on a condition (the trigger's own clause
    or the one it complements)."""
    node = trigger
    for _ in range(2):
        for child in node.children:
            if child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("unless", "if") for m in child.children):
                return True
        if node.dep_ not in ("xcomp", "conj") or node.head == node:
            break
        node = node.head
    return False


def intended(trigger: Token) -> bool:
    """ "plans to impose", "is prepared to impose", "is ready to strike": an act announced as intended."""
    return trigger.dep_ == "xcomp" and trigger.head.lemma_.lower() in _INTENDING


def stronger(a: Status, b: Status) -> Status:
    return a if _ORDER.index(a) >= _ORDER.index(b) else b


def date_of(trigger: Token, sentence: Span, published: str | None, future: bool) -> tuple[str, DatePrecision] | None:
    """The date expression governed by the trigger's own clause, resolved against the publication date."""
    doc = sentence.doc
    for ent in sentence.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        after = doc[ent.end] if ent.end < sentence.end else None
        if after is not None and after.lower_ in ("after", "before") and _governs_clause_of(after, trigger):
            resolved = resolve(f"{ent.text} {after.lower_}", published, future=future)
            if resolved:
                return resolved
            continue
        if _governor(ent.root) == trigger:
            resolved = resolve(ent.text, published, future=future)
            if resolved:
                return resolved
    return None


def _governor(token: Token) -> Token:
    """The nearest verb (or event noun) above a date expression."""
    node = token.head
    for _ in range(6):
        if node.pos_ in ("VERB", "AUX") or node.dep_ in ("ROOT",):
            return node
        if node.head == node:
            return node
        if node.pos_ == "NOUN" and token.dep_ in ("npadvmod", "pobj") and token.head.dep_ != "prep":
            return node
        node = node.head
    return node


def _governs_clause_of(marker: Token, trigger: Token) -> bool:
    """Is `marker` ("after") the subordinator of the clause that contains the trigger?"""
    clause = marker.head
    node = trigger
    for _ in range(4):
        if node == clause:
            return True
        if node.head == node:
            return False
        node = node.head
    return False
