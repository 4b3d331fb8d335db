"""One page through the pipeline: extract -> nlp (entities, actors) -> events. Pure over loaded resources."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.pipeline import Lemmatizer

from newsgraph.events.coder import EventCoder, without_duplicates
from newsgraph.events.lexicon import Lexicon, load_lexicon
from newsgraph.events.ontology import Ontology, load_ontology
from newsgraph.extract import extract
from newsgraph.limits import DEFAULT_LIMITS, Limits, within
from newsgraph.models import Analysis, Article, DocError, Page
from newsgraph.nlp.actors import ActorResolver
from newsgraph.nlp.kb import KnowledgeBase
from newsgraph.nlp.model import load_nlp
from newsgraph.nlp.parse import BodyParser, ParsedBody
from newsgraph.nlp.triage import Triage, lemma_rules_of

ARTICLES_PER_BATCH = 16


@dataclass(frozen=True, slots=True)
class Resources:
    """Everything loaded once per process: the spaCy pipeline, the knowledge base, the lexicon, the ontology, and
    the sentence triage built from the lexicon and the model's lemmatizer tables."""

    nlp: Language
    kb: KnowledgeBase
    lexicon: Lexicon
    ontology: Ontology
    parser: BodyParser

    @classmethod
    def load(cls, kb_files: Sequence[Path] = (), lexicon_files: Sequence[Path] = ()) -> Resources:
        nlp, lexicon = load_nlp(), load_lexicon(tuple(lexicon_files))
        lemmatizer = nlp.get_pipe("lemmatizer")
        assert isinstance(lemmatizer, Lemmatizer)
        triage = Triage(lexicon, lemma_rules_of(lemmatizer.lookups))
        return cls(nlp, KnowledgeBase.load(kb_files), lexicon, load_ontology(), BodyParser(nlp, triage))


def analyze_article(page: Page, article: Article, body: ParsedBody, res: Resources) -> Analysis:
    """Entities and events of an extracted article whose body has been parsed."""
    actors = ActorResolver(res.kb, article.date).resolve(
        body.docs, body.offsets, (article.title, article.summary, *article.image_captions)
    )
    published = article.published or article.date
    events = EventCoder(res.lexicon, res.ontology).code(
        body.docs, body.offsets, actors, published, body.parsed, body.paragraphs
    )
    return Analysis(page=page, article=article, entities=actors.entities, events=without_duplicates(events))


def analyze_pages(
    pages: Iterable[Page | DocError],
    res: Resources,
    batch: int = ARTICLES_PER_BATCH,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Analysis | DocError]:
    """Pages in, analyses (or per-document errors) out, in order. Up to `batch` articles are parsed together, so
    that the models see large batches; an error stays with its document, and so does going over the limits."""
    pending: list[tuple[Page, Article] | DocError] = []
    articles = 0
    for page in pages:
        pending.append(page if isinstance(page, DocError) else _extracted(page, limits))
        articles += not isinstance(pending[-1], DocError)
        if articles >= batch:
            yield from _analyze(pending, res, limits)
            pending, articles = [], 0
    yield from _analyze(pending, res, limits)


def _extracted(page: Page, limits: Limits) -> tuple[Page, Article] | DocError:
    try:
        with within(limits, "extraction"):
            article = extract(page)
    except Exception as exc:
        return DocError(page.origin, "extract", f"{type(exc).__name__}: {exc}")
    if not article.paragraphs:
        return DocError(page.origin, "extract", "no article body found")
    return page, article


def _analyze(
    pending: Sequence[tuple[Page, Article] | DocError], res: Resources, limits: Limits
) -> Iterator[Analysis | DocError]:
    articles = [p for p in pending if not isinstance(p, DocError)]
    try:
        with within(limits, "the batch"):  # over the limit: each article is tried again under its own
            parsed = res.parser.parse([a.paragraphs for _, a in articles])
        bodies = dict(zip(map(id, articles), parsed, strict=True))
    except Exception:
        bodies = {}  # one article broke the batch: parse each on its own below, so the error names its document
    for item in pending:
        if isinstance(item, DocError):
            yield item
            continue
        page, article = item
        try:
            with within(limits, "analysis"):
                body = bodies.get(id(item)) or res.parser.parse([article.paragraphs])[0]
                analysis = analyze_article(page, article, body, res)
            yield analysis
        except Exception as exc:
            yield DocError(page.origin, "nlp", f"{type(exc).__name__}: {exc}")
