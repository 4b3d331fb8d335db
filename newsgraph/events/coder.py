"""Event coding: from the parsed sentences of an article's body to PLOVER/CAMEO events.

For each predicate the lexicon knows (in its context: "supply weapons", "call X worrying", "a trip to Y"), find
source and target actors, then read the event's status, who claims it, its date and place off the clause it
stands in. Reported speech is handled as the claim it is: "the White House said Pyongyang had supplied weapons"
gives an alleged supply attributed to the White House and the White House's accusation; "Peskov said the
allegations were not based on evidence" gives Russia's denial. News media that only relay are attribution.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from newsgraph.events.arguments import Arguments
from newsgraph.events.context import (
    FRAMING,
    Speech,
    according_to,
    date_of,
    framing_verb,
    intended,
    modality,
    speech_frame,
    stronger,
)
from newsgraph.events.lexicon import Lexicon, Trigger
from newsgraph.events.ontology import Ontology
from newsgraph.models import ActorRef, DatePrecision, Event, Location, Status
from newsgraph.nlp.actors import ActorMap

_ACCUSABLE = {"AID", "ASSAULT", "COERCE", "MOBILIZE", "THREATEN"}
# CAMEO roots of violence against people: with no placed victim, the people of the place it happened are.
_VIOLENT = {"18", "19", "20"}
# CAMEO roots of hostile acts: announced or conditional, they are threats.
_HOSTILE = {"15", "16", "17", "18", "19", "20"}
# Speech verbs that charge whoever they report on, whoever speaks.
_CHARGING = {"claim", "allege", "accuse", "charge", "insist", "contend"}


@dataclass(slots=True)
class _ArticleState:
    """What the coder remembers across sentences: speakers' last dated statements, the latest accusations."""

    speech_dates: dict[int, tuple[str, DatePrecision]] = field(default_factory=dict)
    accusers: list[int] = field(default_factory=list)


class EventCoder:
    def __init__(self, lexicon: Lexicon, ontology: Ontology) -> None:
        self.lexicon = lexicon
        self.ontology = ontology

    def code(
        self,
        docs: Sequence[Doc],
        offsets: Sequence[int],
        actors: ActorMap,
        published: str | None,
        parsed: Sequence[bool] | None = None,
        paragraphs: Sequence[int] | None = None,
    ) -> tuple[Event, ...]:
        """`parsed`: which docs the full pipeline ran over (default all), the others hold no event; `paragraphs`:
        the paragraph of each doc, when docs are sentences (default: each doc a paragraph)."""
        state = _ArticleState()
        events: list[Event] = []
        for index, (doc, offset) in enumerate(zip(docs, offsets, strict=True)):
            if parsed is not None and not parsed[index]:
                continue
            same = [] if paragraphs is None else [i for i in range(index) if paragraphs[i] == paragraphs[index]]
            args = Arguments(actors, index, same[::-1])
            for sentence in doc.sents:
                events.extend(_SentenceCoder(self, args, sentence, offset, published, state).run())
        return tuple(events)

    def match(self, token: Token) -> Trigger | None:
        if token.dep_ == "amod" or (token.dep_ == "acl" and token.tag_ == "VBN"):
            return None  # "the alleged crimes", "Syrian-backed militias", "the curfew imposed in June": no new act
        if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB"):
            entries = self.lexicon.verbs.get(token.lemma_.lower(), ())
            objects = _object_words(token)
        elif token.pos_ in ("NOUN", "PROPN"):
            entries = self.lexicon.nouns.get(token.lemma_.lower(), ()) or self.lexicon.nouns.get(token.lower_, ())
            objects = _noun_modifier_words(token)
        else:
            return None
        for entry in entries:
            if not entry.objects or entry.objects & objects:
                return entry
        return None


def _when_clauses(trigger: Token) -> list[Token]:
    """Clauses introduced by "when" that time the trigger (directly, or through its infinitive complement)."""
    heads = [trigger, *(c for c in trigger.children if c.dep_ == "xcomp")]
    return [
        clause
        for head in heads
        for clause in head.children
        if clause.dep_ == "advcl" and any(c.lower_ == "when" and c.dep_ in ("advmod", "mark") for c in clause.children)
    ]


def _background(trigger: Token) -> bool:
    """A relative or adverbial clause ("who last visited Pyongyang", "after the two met"): background to the
    report, not dated by it."""
    if trigger.pos_ == "NOUN" and trigger.dep_ == "pobj":
        return True  # "the results of Putin's visit to China": an act referred to, not reported
    node = trigger
    for _ in range(4):
        if node.dep_ in ("relcl", "advcl", "acl", "pcomp") or node.head == node:
            return node.dep_ in ("relcl", "advcl", "acl", "pcomp")
        node = node.head
    return False


def _threat(cameo: str) -> str:
    """A hostile act only announced, or hung on a condition, is CAMEO's threat to do it (13x, PLOVER THREATEN)."""
    table = {"161": "1313", "162": "1311", "163": "1312", "164": "134", "165": "135", "166": "136", "172": "132",
             "173": "137", "175": "137", "191": "1381", "192": "1382"}  # fmt: skip
    if cameo[:3] in table:
        return table[cameo[:3]]
    return {"15": "138", "16": "131", "17": "132", "18": "1383", "19": "1384", "20": "1385"}.get(cameo[:2], "130")


def _intent(cameo: str) -> str:
    """A cooperative act that is only promised is CAMEO's intent to do it (03x, PLOVER AGREE): "will send aid"
    is 033, "is ready to cooperate militarily" 0312, "will release the prisoners" 0353."""
    root, rest = cameo[:2], cameo[2:]
    if root == "06":
        return "031" + rest[:1] if rest and rest != "0" else "031"
    if root == "07":
        return "033" + rest[:1] if rest and rest not in ("0", "5") else "033"
    if root == "08":
        return "035" + {"1": "1", "2": "2", "4": "3", "5": "4", "6": "5", "7": "6"}.get(rest[:1], "")
    if root == "05" and cameo != "057":
        return "032"
    return cameo


def _object_words(verb: Token) -> set[str]:
    words = set()
    for child in verb.children:
        if child.dep_ in ("dobj", "oprd", "attr", "acomp", "nsubjpass", "prt"):
            words.update({child.lemma_.lower(), child.lower_})
            words.update(c.lower_ for c in child.children if c.dep_ in ("compound", "amod"))
            words.update(_noun_modifier_words(child))
        if child.dep_ == "prep":
            words.update(g.lemma_.lower() for g in child.children if g.dep_ == "pobj")
    return words


def _noun_modifier_words(noun: Token) -> set[str]:
    words = {c.lemma_.lower() for c in noun.children if c.dep_ in ("compound", "amod", "nmod")}
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            words.update(g.lemma_.lower() for g in child.children if g.dep_ == "pobj")
    return words


class _SentenceCoder:
    def __init__(
        self,
        coder: EventCoder,
        args: Arguments,
        sentence: Span,
        offset: int,
        published: str | None,
        state: _ArticleState,
    ) -> None:
        self.coder = coder
        self.args = args
        self.sentence = sentence
        self.offset = offset
        self.published = published
        self.state = state
        self.entities = args.actors.entities
        self.targets: dict[int, int] = {}  # trigger token -> target actor, for coordinated triggers

    def run(self) -> list[Event]:
        found: list[Event] = []
        dated: dict[int, tuple[str, DatePrecision]] = {}
        for token in self.sentence:
            if token.lemma_.lower() in self.coder.lexicon.speech and token.pos_ in ("VERB", "AUX"):
                found.extend(self._speech(token, dated))
        matched: dict[int, Trigger] = {}
        by_trigger: dict[int, list[Event]] = {}
        for token in self.sentence:
            entry = self.coder.match(token)
            if entry is None or (entry.noun and token.head.i in matched and token.dep_ in ("dobj", "attr")):
                continue
            matched[token.i] = entry
            by_trigger[token.i] = self._events(token, entry, dated)
        for index in list(by_trigger):
            self._fold_complement(index, by_trigger)
        return found + [event for events in by_trigger.values() for event in events]

    def _fold_complement(self, index: int, by_trigger: dict[int, list[Event]]) -> None:
        """ "threatened to impose sanctions on X", "refused to meet X", "agreed to lift the embargo": the act in
        the complement is what the governing event is about, not an event of its own. The governing event keeps
        its type and takes the complement's target (and, for a promise, its more specific intent code)."""
        token = self.sentence.doc[index]
        head = token.head
        if token.dep_ != "xcomp" or head.i not in by_trigger or not by_trigger.get(index):
            return
        if head.lemma_.lower() in FRAMING:
            return  # "denied sending weapons": the sending is an event, denied
        inner = by_trigger.pop(index)[0]
        outer = by_trigger[head.i]
        for k, event in enumerate(outer):
            if event.source.country != inner.source.country:
                continue
            target = event.target or inner.target
            cameo = inner.cameo if event.plover == inner.plover == "AGREE" else event.cameo
            outer[k] = replace(
                event, target=target, cameo=cameo, mode=inner.mode if cameo == inner.cameo else event.mode
            )

    # -- reported speech ---------------------------------------------------------------------------------------
    def _speech(self, verb: Token, dated: dict[int, tuple[str, DatePrecision]]) -> list[Event]:
        speaker_tok = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        speaker = self.args.actor_of(speaker_tok) if speaker_tok is not None else None
        when = date_of(verb, self.sentence, self.published, future=False)
        if speaker is not None and when:
            self.state.speech_dates[speaker] = when
        if when:
            dated[verb.i] = when
        if speaker is None or self.args.actors.is_media(speaker):
            return []
        if not self._denies(verb):
            return self._obligation(verb, speaker, when or self._published())
        target = self.state.accusers[-1] if self.state.accusers else None
        when = when or self.state.speech_dates.get(speaker)
        code = self.coder.ontology.code("016", plover="REJECT")
        return [self._event(verb, code.cameo, "REJECT", None, speaker, target, "asserted", (), when, None, 0.6)]

    def _published(self) -> tuple[str, DatePrecision] | None:
        return (self.published[:10], "published") if self.published else None

    def _obligation(self, verb: Token, speaker: int, when: tuple[str, DatePrecision] | None) -> list[Event]:
        """ "Washington declared that China must drop its barriers": the speaker demands it of the subject."""
        if self.entities[speaker].country is None:
            return []
        for clause in (c for c in verb.children if c.dep_ == "ccomp"):
            if not any(c.dep_ == "aux" and c.lower_ in ("must", "should") for c in clause.children):
                continue
            subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            target = self.args.actor_of(subject) if subject is not None else None
            if target is not None and target != speaker and self.entities[target].country is not None:
                return [self._event(verb, "100", "REQUEST", None, speaker, target, "asserted", (), when, None, 0.6)]
        return []

    def _denies(self, verb: Token) -> bool:
        lex = self.coder.lexicon
        for clause in (c for c in verb.children if c.dep_ in ("ccomp", "parataxis")):
            subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            about_claims = subject is not None and subject.lemma_.lower() in lex.allegations
            negated = any(c.dep_ == "neg" for c in clause.children)
            denial_word = any(t.lemma_.lower() in lex.denials for t in clause.subtree)
            if about_claims and (negated or denial_word):
                return True
        return False

    # -- one trigger -------------------------------------------------------------------------------------------
    def _events(self, trigger: Token, entry: Trigger, dated: dict[int, tuple[str, DatePrecision]]) -> list[Event]:
        source, by_parse = self.args.source(trigger, entry)
        if source is None or self.args.actors.is_media(source):
            return []
        if entry.agents and self.entities[source].type not in entry.agents:
            return []
        inherited = self.targets.get(trigger.head.i) if trigger.dep_ == "conj" else None
        if entry.target:
            target, target_by_parse = self.args.target(trigger, entry, source)
            if inherited is not None and not target_by_parse:
                target, target_by_parse = inherited, True
        elif entry.cameo == "016" or (entry.plover == "REJECT" and entry.cameo.startswith("01")):
            target, target_by_parse = (self.state.accusers[-1] if self.state.accusers else None), False
        else:
            target, target_by_parse = self.args.target(trigger, entry, source)
        status = modality(trigger, self.coder.lexicon)
        claim = self._claimant(trigger)
        attributed, status = self._attribution(trigger, source, status, claim)
        when = self._date(trigger, status, dated)
        if when:
            dated[trigger.i] = when
        elif status not in ("planned", "hypothetical") and self.published and not self._before_report(trigger, dated):
            when = (self.published[:10], "published")  # news reports what just happened unless it says when
        location = self._location(trigger, entry, target)
        if entry.cameo[:2] in _VIOLENT and location is not None and (target is None or not self._placed(target)):
            target = self._location_actor(trigger)  # "killed 23 people in Tel Aviv": the place's people
        if entry.cameo[:2] == "14" and target is None:
            target = self._protested_place(trigger, source)  # "thousands marched in Lagos": Nigeria's rulers
        if target is not None:
            self.targets[trigger.i] = target
        confidence = 0.5 + 0.2 * by_parse + 0.1 * target_by_parse
        cameo = _intent(entry.cameo) if status == "planned" else entry.cameo
        if entry.cameo[:2] in _HOSTILE and (status == "hypothetical" or intended(trigger)):
            cameo = _threat(entry.cameo)  # "plans to impose restrictions", "will strike if attacked": a threat
        code = self.coder.ontology.code(cameo, plover=None if cameo != entry.cameo else entry.plover, mode=entry.mode)
        if code.plover is None or self.entities[source].country is None:
            return []  # no PLOVER type (statements, appeals), or a doer no table places
        event = self._event(
            trigger, code.cameo, code.plover, code.mode, source, target, status, attributed, when, location, confidence
        )
        out = [event]
        if code.plover == "ACCUSE" and target is not None:
            self.state.accusers.append(source)
        out.extend(self._accusation(event, source, claim))
        return out

    def _before_report(self, trigger: Token, dated: dict[int, tuple[str, DatePrecision]]) -> bool:
        """Acts the report does not date to its own day: background clauses, and acts inside a claim that is
        itself dated ("said last week that Pyongyang had supplied ...": before last week, by how much unknown)."""
        if _background(trigger):
            return True
        frame = speech_frame(trigger, self.coder.lexicon)
        return frame is not None and frame.verb.i in dated

    def _claimant(self, trigger: Token) -> tuple[Speech | None, int | None]:
        """The speech frame around the trigger and its claimant; a frame whose speaker is unknown gives way to the
        next one up ("reports by the US government documented what they say are ...")."""
        first = None
        for skip in range(3):
            frame = speech_frame(trigger, self.coder.lexicon, skip)
            if frame is None:
                break
            first = first or frame
            if frame.speaker is None:
                continue
            speaker = (
                self.args.pronoun(frame.speaker)
                if frame.speaker.lower_ in ("he", "she")
                else self.args.actor_of(frame.speaker)
            )
            if speaker is not None:
                return frame, speaker
        return first, None

    def _attribution(
        self, trigger: Token, source: int, status: Status, claim: tuple[Speech | None, int | None]
    ) -> tuple[tuple[str, ...], Status]:
        claimants: list[str] = []
        frame, speaker = claim
        if frame is not None and speaker is not None and speaker != source:
            claimants.append(self.entities[speaker].name)
            if self.args.actors.is_media(speaker):
                status = stronger(status, "reported")
            elif self.entities[speaker].country != self.entities[source].country:
                status = stronger(status, "alleged")
        framing = framing_verb(trigger)
        if framing is not None:
            verb, framed = framing
            status = stronger(status, framed)
            subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            claimant = self.args.actor_of(subject) if subject is not None else None
            if claimant is not None and claimant != source and self.entities[claimant].name not in claimants:
                claimants.append(self.entities[claimant].name)
        for token in according_to(trigger):
            index = self.args.actor_of(token)
            if index is not None and self.entities[index].name not in claimants:
                claimants.append(self.entities[index].name)
                status = stronger(status, "reported" if self.args.actors.is_media(index) else "alleged")
        return tuple(claimants), status

    def _accusation(self, event: Event, source: int, claim: tuple[Speech | None, int | None]) -> list[Event]:
        """A third party's claim that someone did a hostile or illicit act is also that party's accusation."""
        frame, speaker = claim
        if event.status != "alleged" or event.plover not in _ACCUSABLE or frame is None:
            return []
        if speaker is None or self.args.actors.is_media(speaker) or self.entities[speaker].country is None:
            return []
        victim = event.target is not None and event.target.country == self.entities[speaker].country
        if event.plover != "AID" and not victim and frame.verb.lemma_.lower() not in _CHARGING:
            return []  # "Thai police said Burmese troops captured ...": a bystander's report, not an accusation
        when = date_of(frame.verb, self.sentence, self.published, future=False) or self.state.speech_dates.get(speaker)
        self.state.accusers.append(speaker)
        code = self.coder.ontology.code("112")
        return [self._event(frame.verb, "112", "ACCUSE", code.mode, speaker, source, "asserted", (), when, None, 0.6)]

    def _date(
        self, trigger: Token, status: Status, dated: dict[int, tuple[str, DatePrecision]]
    ) -> tuple[str, DatePrecision] | None:
        own = date_of(trigger, self.sentence, self.published, future=status == "planned")
        if own:
            return own
        for clause in _when_clauses(trigger):  # "Kim invited Putin ... when the two met on 13 September"
            found = date_of(clause, self.sentence, self.published, future=status == "planned")
            if found:
                return found
        node = trigger
        for _ in range(4):  # an event in a relative or coordinated clause shares its head's date
            if node.dep_ not in ("relcl", "conj", "xcomp") or node.head == node:
                break
            node = node.head
            if node.i in dated:
                return dated[node.i]
        frame = speech_frame(trigger, self.coder.lexicon)
        if frame is not None and status in ("planned", "hypothetical"):
            if frame.verb.i in dated:
                return dated[frame.verb.i]
            speaker = self.args.actor_of(frame.speaker) if frame.speaker is not None else None
            if speaker is not None:
                return self.state.speech_dates.get(speaker)
        return None

    def _location(self, trigger: Token, entry: Trigger, target: int | None) -> Location | None:
        if entry.place and target is not None and self.entities[target].type == "PLACE":
            return self._place(target)
        for child in trigger.children:
            if child.dep_ == "prep" and child.lower_ in ("in", "at"):
                for obj in (c for c in child.children if c.dep_ == "pobj"):
                    index = self.args.actor_at(obj)
                    if index is not None and self.entities[index].type == "PLACE":
                        return self._place(index)
        return None

    def _placed(self, index: int) -> bool:
        return self.entities[index].country is not None

    def _protested_place(self, trigger: Token, source: int) -> int | None:
        """Protest with no one named as its target is aimed at the authorities where it happens: the place in
        the sentence (the first named) whose country is known."""
        for token in trigger.sent:
            index = self.args.actor_at(token)
            if index is not None and index != source and self.entities[index].type == "PLACE" and self._placed(index):
                return index
        return None

    def _location_actor(self, trigger: Token) -> int | None:
        for child in trigger.children:
            if child.dep_ == "prep" and child.lower_ in ("in", "at", "near"):
                for obj in (c for c in child.children if c.dep_ == "pobj"):
                    index = self.args.actor_at(obj)
                    if index is not None and self.entities[index].type == "PLACE":
                        return index
        return None

    def _place(self, index: int) -> Location:
        place = self.entities[index]
        point = self.args.actors.coordinates(index)
        return Location(place.name, place.country, *(point or (None, None)))

    def _event(
        self,
        trigger: Token,
        cameo: str,
        plover: str,
        mode: str | None,
        source: int,
        target: int | None,
        status: Status,
        attributed: tuple[str, ...],
        when: tuple[str, DatePrecision] | None,
        location: Location | None,
        confidence: float,
    ) -> Event:
        code = self.coder.ontology.code(cameo, plover=plover, mode=mode)
        return Event(
            source=self._ref(source),
            target=self._ref(target) if target is not None else None,
            plover=plover,
            cameo=cameo,
            goldstein=code.goldstein,
            quad=code.quad,
            intensity=self.coder.ontology.intensities.get(plover, 0.0),
            status=status,
            attributed_to=attributed,
            date=when[0] if when else None,
            date_precision=when[1] if when else None,
            location=location,
            sentence=self.sentence.text.strip(),
            start=self.offset + self.sentence.start_char,
            end=self.offset + self.sentence.start_char + len(self.sentence.text.rstrip()),
            trigger=trigger.text,
            mode=code.mode,
            confidence=round(min(confidence, 1.0), 2),
        )

    def _ref(self, index: int) -> ActorRef:
        entity = self.entities[index]
        return ActorRef(entity.name, entity.country, entity.sector, entity.actor_id)


def without_duplicates(events: Sequence[Event]) -> tuple[Event, ...]:
    """One event per (sentence, trigger, type, source, target)."""
    seen: dict[tuple[object, ...], Event] = {}
    for event in events:
        ident = (
            event.start,
            event.trigger,
            event.plover,
            event.source.country,
            event.target.country if event.target else None,
        )
        if ident not in seen:
            seen[ident] = event
    return tuple(seen.values())
