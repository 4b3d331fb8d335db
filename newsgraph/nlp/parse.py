"""Article bodies to spaCy docs, one per sentence, each given only the work its tier needs (see triage).

Bodies are processed many at a time, so that every model runs over large batches: the full pipeline over the
sentences an event may stand in, the named-entity recogniser alone over those that may only name someone, and
nothing but the tokenizer over the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.pipeline import EntityRecognizer, Sentencizer
from spacy.tokens import Doc, Span

from newsgraph.nlp.triage import Tier, Triage

PARAGRAPH_SEPARATOR = "\n\n"
MAX_SENTENCE_TOKENS = 200  # a longer "sentence" (a list, a table, a run-on page) is read in pieces of this size
_BREAKS = frozenset((",", ";", ":", "-", "–", "—", "and", "or", "but"))


@dataclass(frozen=True, slots=True)
class ParsedBody:
    """An article body as docs in reading order, where each starts in Article.text, and which were fully parsed
    (tagged, parsed, lemmatized: the ones events are coded from)."""

    docs: tuple[Doc, ...]
    offsets: tuple[int, ...]
    parsed: tuple[bool, ...]
    paragraphs: tuple[int, ...]  # the paragraph each doc belongs to


def paragraph_offsets(paragraphs: Sequence[str]) -> list[int]:
    """Where each paragraph starts in Article.text."""
    offsets, position = [], 0
    for paragraph in paragraphs:
        offsets.append(position)
        position += len(paragraph) + len(PARAGRAPH_SEPARATOR)
    return offsets


class BodyParser:
    """Loaded once per process over the shared spaCy pipeline; `parse` is pure over its input."""

    def __init__(self, nlp: Language, triage: Triage, batch_size: int = 256) -> None:
        self.nlp = nlp
        self.triage = triage
        self.batch_size = batch_size
        self._sentencizer = Sentencizer()
        ner = nlp.get_pipe("ner")
        assert isinstance(ner, EntityRecognizer)
        self._ner = ner

    def parse(self, bodies: Sequence[Sequence[str]]) -> list[ParsedBody]:
        """`bodies`: each article's paragraphs."""
        units: list[tuple[int, int, int, Doc, Tier]] = []  # (body, paragraph, offset in its text, doc, tier)
        for body, paragraphs in enumerate(bodies):
            for number, (start, text) in enumerate(zip(paragraph_offsets(paragraphs), paragraphs, strict=True)):
                for sentence in _bounded(self._sentencizer(self.nlp.make_doc(text)).sents):
                    tier = self.triage.tier([t.text for t in sentence])
                    units.append((body, number, start + sentence.start_char, _fresh(sentence), tier))
        full = iter(self.nlp.pipe((u[3] for u in units if u[4] == "full"), batch_size=self.batch_size))
        names = iter(self._ner.pipe((u[3] for u in units if u[4] == "names"), batch_size=self.batch_size))
        out: list[tuple[list[Doc], list[int], list[bool], list[int]]] = [([], [], [], []) for _ in bodies]
        for body, number, offset, doc, tier in units:
            done = next(full) if tier == "full" else _one_sentence(next(names) if tier == "names" else doc)
            docs, offsets, parsed, numbers = out[body]
            docs.append(done)
            offsets.append(offset)
            parsed.append(tier == "full")
            numbers.append(number)
        return [ParsedBody(tuple(d), tuple(o), tuple(p), tuple(n)) for d, o, p, n in out]


def _bounded(sentences: Iterable[Span], limit: int = MAX_SENTENCE_TOKENS) -> Iterator[Span]:
    """The sentences, each one longer than `limit` tokens cut into pieces of at most `limit`, after the last comma,
    semicolon, dash or conjunction of each piece's second half when there is one. The cost of coding a sentence
    grows with the square of its length: this keeps a hostile page's one-sentence megabyte linear."""
    for sentence in sentences:
        start, end = sentence.start, sentence.end
        doc = sentence.doc
        while end - start > limit:
            cut = start + limit
            for i in range(start + limit - 1, start + limit // 2, -1):
                if doc[i].lower_ in _BREAKS:
                    cut = i + 1
                    break
            yield doc[start:cut]
            start = cut
        yield doc[start:end] if start != sentence.start else sentence


def _fresh(sentence: Span) -> Doc:
    """The sentence as a new doc with no annotation (the parser then finds its own sentence bounds)."""
    spaces = [bool(t.whitespace_) for t in sentence]
    spaces[-1] = False
    return Doc(sentence.doc.vocab, words=[t.text for t in sentence], spaces=spaces)


def _one_sentence(doc: Doc) -> Doc:
    for token in doc:
        token.is_sent_start = token.i == 0
    return doc
