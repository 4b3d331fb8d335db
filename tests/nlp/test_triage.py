"""Sentence triage: no sentence the coder finds an event in is kept from the parser, and the tiers do what they say."""

from __future__ import annotations

from pathlib import Path

from spacy.pipeline import Sentencizer

from newsgraph.events.coder import EventCoder
from newsgraph.extract import extract
from newsgraph.ingest import read_pages
from newsgraph.models import Page
from newsgraph.nlp.actors import ActorResolver
from newsgraph.nlp.parse import paragraph_offsets
from newsgraph.nlp.triage import describes

CORPUS = Path(__file__).resolve().parents[2] / "examples" / "corpus"


def test_every_sentence_an_event_comes_from_under_the_full_pipeline_is_triaged_full(resources) -> None:  # type: ignore[no-untyped-def]
    coder, sentencizer, checked = EventCoder(resources.lexicon, resources.ontology), Sentencizer(), 0
    for page in read_pages([str(CORPUS)]):
        assert isinstance(page, Page)
        article = extract(page)
        offsets = paragraph_offsets(article.paragraphs)
        docs = list(resources.nlp.pipe(article.paragraphs))  # every paragraph fully parsed: no triage
        actors = ActorResolver(resources.kb, article.date).resolve(docs, offsets)
        text = "\n\n".join(article.paragraphs)
        for event in coder.code(docs, offsets, actors, article.published or article.date):
            paragraph = max(i for i, start in enumerate(offsets) if start <= event.start)
            doc = sentencizer(resources.nlp.make_doc(article.paragraphs[paragraph]))
            inside = event.start - offsets[paragraph]
            # The triage sees sentences split by punctuation: each one the event's sentence overlaps must be full.
            spans = [s for s in doc.sents if s.start_char < inside + event.end - event.start and s.end_char > inside]
            assert spans and text[event.start : event.end] == event.sentence.rstrip()
            # The triage sees sentences split by punctuation: one the event's sentence overlaps must be full.
            tiers = [resources.parser.triage.tier([t.text for t in span]) for span in spans]
            assert "full" in tiers, (page.origin, event.sentence)
            checked += 1
    assert checked > 300


def test_tiers_of_sentences_written_here(resources) -> None:  # type: ignore[no-untyped-def]
    tier = resources.parser.triage.tier
    assert tier(["Putin", "met", "Kim", "in", "Vladivostok", "."]) == "full"
    assert (
        tier(["Moscow", "sent", "weapons", "to", "Pyongyang", "."]) == "full"
    )  # a predicate with the object it asks for
    assert tier(["Moscow", "sent", "a", "letter", "."]) == "names"  # "send" without weapons, troops or aid: no event
    assert (
        tier(["He", "said", "on", "Tuesday", "that", "it", "was", "fine", "."]) == "full"
    )  # a dated statement: a later denial's
    assert tier(["The", "weather", "was", "mild", "and", "the", "roads", "were", "clear", "."]) == "tokens"
    assert describes(["Chen", "Binhua", ",", "spokesman", "for", "the", "office", ",", "said"])
    assert describes(["Azerbaijan", "'s", "Defence", "Ministry", "confirmed", "it"])
    assert not describes(["The", "ministry", "confirmed", "it", "on", "Monday", "."])


def test_parsed_bodies_keep_offsets_paragraphs_and_tiers(resources) -> None:  # type: ignore[no-untyped-def]
    paragraphs = ["The weather was mild. Russia sent troops to the border.", "Officials in Moscow were unavailable."]
    [body] = resources.parser.parse([paragraphs])
    text = "\n\n".join(paragraphs)
    assert [text[o : o + len(d.text)] for d, o in zip(body.docs, body.offsets, strict=True)] == [
        d.text for d in body.docs
    ]
    assert body.paragraphs == (0, 0, 1) and body.parsed == (False, True, False)
    assert body.docs[1].has_annotation("DEP") and not body.docs[2].has_annotation("DEP")
    assert [e.text for e in body.docs[2].ents] == ["Moscow"]  # the recogniser ran on the names-only sentence
