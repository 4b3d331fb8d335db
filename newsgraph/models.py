"""The one data model of newsgraph: frozen dataclasses that flow one way through the pipeline.

Page (ingest) -> Article (extract) -> Entity/Mention (nlp) -> Event (events) -> Story (corpus) -> store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

PageFormat = Literal["page", "html", "text"]
Status = Literal["asserted", "alleged", "denied", "planned", "hypothetical", "negated", "reported"]
# "published": the text dates the act no further than the report itself, so the publication day stands in.
DatePrecision = Literal["day", "week", "month", "year", "published"]


@dataclass(frozen=True, slots=True)
class Page:
    """A raw document as it arrived: where it came from and its decoded text.

    fmt: "page" (flattened page text, first line ` date YYYY-MM-DD <headline>`), "html", or "text"
    (already-clean article text, one paragraph per non-empty line).
    """

    origin: str
    content: str
    fmt: PageFormat
    date: str | None = None
    url: str | None = None
    content_hash: str = ""


@dataclass(frozen=True, slots=True)
class ToFetch:
    """A link a feed names without its content: recorded so that a crawler can fetch it; never invented."""

    url: str
    origin: str
    title: str | None = None
    date: str | None = None


@dataclass(frozen=True, slots=True)
class DocError:
    """A per-document failure: which document, at which stage, and why."""

    origin: str
    stage: str
    reason: str


@dataclass(frozen=True, slots=True)
class Article:
    """The clean article: body paragraphs and metadata. Missing values are None or empty, never invented."""

    title: str | None
    paragraphs: tuple[str, ...]
    date: str | None = None
    published: str | None = None
    modified: str | None = None
    agency: str | None = None
    outlet: str | None = None
    section: str | None = None
    breadcrumb: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    summary: str | None = None
    image_captions: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    language: str | None = None
    url: str | None = None

    @property
    def text(self) -> str:
        """The body as one string, paragraphs separated by a blank line (offsets refer to this)."""
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of an entity in the article body (character offsets into Article.text)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Entity:
    """An entity of one article, with its resolved actor codes and every mention of it."""

    name: str
    type: str  # PERSON | ORG | PLACE | GROUP
    country: str | None
    sector: str | None
    role: str | None
    actor_id: str | None = None
    aliases: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True, slots=True)
class ActorRef:
    """An event's participant: the entity's name and its codes."""

    name: str
    country: str | None
    sector: str | None
    actor_id: str | None = None


@dataclass(frozen=True, slots=True)
class Location:
    name: str
    country: str | None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """One coded political event, with the sentence and offsets it came from."""

    source: ActorRef
    target: ActorRef | None
    plover: str
    cameo: str
    goldstein: float
    quad: int
    intensity: float
    status: Status
    attributed_to: tuple[str, ...]
    date: str | None
    date_precision: DatePrecision | None
    location: Location | None
    sentence: str
    start: int
    end: int
    trigger: str
    mode: str | None = None
    confidence: float = 0.5


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the pipeline learnt from one page."""

    page: Page
    article: Article
    entities: tuple[Entity, ...] = ()
    events: tuple[Event, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Story:
    """Articles about the same development (filled by the corpus stage)."""

    story_id: str
    title: str
    article_ids: tuple[str, ...]
    first_date: str | None
    last_date: str | None
