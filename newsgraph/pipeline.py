"""One page through the pipeline: extract -> nlp (entities, actors) -> events. Pure over loaded resources."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.events.coder import EventCoder, without_duplicates
from newsgraph.events.lexicon import Lexicon, load_lexicon
from newsgraph.events.ontology import Ontology, load_ontology
from newsgraph.extract import extract
from newsgraph.models import Analysis, Article, DocError, Page
from newsgraph.nlp.actors import ActorResolver
from newsgraph.nlp.kb import KnowledgeBase
from newsgraph.nlp.model import load_nlp

PARAGRAPH_SEPARATOR = "\n\n"


@dataclass(frozen=True, slots=True)
class Resources:
    """Everything loaded once per process: the spaCy pipeline, the knowledge base, the lexicon, the ontology."""

    nlp: Language
    kb: KnowledgeBase
    lexicon: Lexicon
    ontology: Ontology

    @classmethod
    def load(cls, kb_files: Sequence[Path] = (), lexicon_files: Sequence[Path] = ()) -> Resources:
        return cls(load_nlp(), KnowledgeBase.load(kb_files), load_lexicon(tuple(lexicon_files)), load_ontology())


def paragraph_offsets(paragraphs: Sequence[str]) -> list[int]:
    """Where each paragraph starts in Article.text."""
    offsets, position = [], 0
    for paragraph in paragraphs:
        offsets.append(position)
        position += len(paragraph) + len(PARAGRAPH_SEPARATOR)
    return offsets


def analyze_article(page: Page, article: Article, docs: Sequence[Doc], res: Resources) -> Analysis:
    """Entities and events of an extracted article whose paragraphs spaCy has parsed."""
    offsets = paragraph_offsets(article.paragraphs)
    day = article.date
    actors = ActorResolver(res.kb, day).resolve(
        docs, offsets, (article.title, article.summary, *article.image_captions)
    )
    published = article.published or article.date
    events = EventCoder(res.lexicon, res.ontology).code(docs, offsets, actors, published)
    return Analysis(page=page, article=article, entities=actors.entities, events=without_duplicates(events))


def analyze_pages(
    pages: Iterable[Page | DocError], res: Resources, batch_size: int = 32
) -> Iterator[Analysis | DocError]:
    """Pages in, analyses (or per-document errors) out, parsing paragraphs in batches with nlp.pipe."""
    for page in pages:
        if isinstance(page, DocError):
            yield page
            continue
        try:
            article = extract(page)
        except Exception as exc:
            yield DocError(page.origin, "extract", f"{type(exc).__name__}: {exc}")
            continue
        if not article.paragraphs:
            yield DocError(page.origin, "extract", "no article body found")
            continue
        try:
            docs = list(res.nlp.pipe(article.paragraphs, batch_size=batch_size))
            yield analyze_article(page, article, docs, res)
        except Exception as exc:
            yield DocError(page.origin, "nlp", f"{type(exc).__name__}: {exc}")
