"""Builders of analyses and events for the store tests: every field filled, and six events over three documents."""

from __future__ import annotations

from typing import Any, cast

from newsgraph.models import ActorRef, Analysis, Article, Entity, Event, Location, Mention, Page


def make_event(
    label: str,
    source: str | None,
    target: str | None,
    plover: str = "CONSULT",
    date: str | None = None,
    precision: str | None = None,
    goldstein: Any = 1.0,
) -> Event:
    """An event whose sentence is `label`, so tests can name events by it."""
    return Event(
        source=ActorRef(name=f"{source} government", country=source, sector="GOV"),
        target=ActorRef(name=f"{target} government", country=target, sector="GOV") if target else None,
        plover=plover,
        cameo="040",
        goldstein=goldstein,
        quad=1,
        intensity=0.5,
        status="asserted",
        attributed_to=(),
        date=date,
        date_precision=cast(Any, precision),
        location=None,
        sentence=label,
        start=0,
        end=len(label),
        trigger="met",
    )


def make_analysis(origin: str, date: str | None, events: tuple[Event, ...] = (), title: str = "T") -> Analysis:
    page = Page(origin=origin, content="raw", fmt="text", url=f"https://example.org/{origin}", content_hash="h")
    article = Article(title=title, paragraphs=("First paragraph.", "Second."), date=date, outlet="Outlet")
    return Analysis(page=page, article=article, entities=(), events=events)


RICH_TEXT = "Le président Macron a rencontré Olaf Scholz à Berlin."


def rich_article() -> Article:
    """An article with every metadata field filled."""
    text = RICH_TEXT
    return Article(
        title="Macron à Berlin",
        paragraphs=(text, "Deuxième paragraphe ; avec point-virgule."),
        date="2023-10-05",
        published="2023-10-05T08:00:00+02:00",
        modified="2023-10-05T09:30:00+02:00",
        agency="AFP",
        outlet="Le Monde",
        section="International",
        breadcrumb=("Monde", "Europe"),
        tags=("France", "Allemagne"),
        summary="Rencontre franco-allemande.",
        image_captions=("Photo: AFP",),
        authors=("A. Auteur", "B. Autrice"),
        language="fr",
        url="https://example.org/macron",
    )


def rich_analysis() -> Analysis:
    """Every field filled, unicode, nested location, mentions: the round-trip case."""
    text = RICH_TEXT
    page = Page(origin="dumps/fr/0001.txt", content=text, fmt="page", date="2023-10-05", content_hash="abc")
    macron = Entity(
        name="Emmanuel Macron",
        type="PERSON",
        country="FRA",
        sector="GOV",
        role="president",
        actor_id="Q3052772",
        aliases=("Macron",),
        mentions=(Mention(text="Macron", start=13, end=19),),
    )
    scholz = Entity(
        name="Olaf Scholz",
        type="PERSON",
        country="DEU",
        sector="GOV",
        role=None,
        mentions=(Mention(text="Olaf Scholz", start=32, end=43), Mention(text="Scholz", start=0, end=6)),
    )
    event = Event(
        source=ActorRef(name="Emmanuel Macron", country="FRA", sector="GOV", actor_id="Q3052772"),
        target=ActorRef(name="Olaf Scholz", country="DEU", sector="GOV"),
        plover="CONSULT",
        cameo="040",
        goldstein=1.0,
        quad=1,
        intensity=0.25,
        status="reported",
        attributed_to=("AFP",),
        date="2023-10-05",
        date_precision="day",
        location=Location(name="Berlin", country="DEU", lat=52.52, lon=13.405),
        sentence=text,
        start=0,
        end=len(text),
        trigger="a rencontré",
        mode="meet",
        confidence=0.875,
    )
    return Analysis(page=page, article=rich_article(), entities=(macron, scholz), events=(event,))


# Six events over three documents; labels name them. Effective-date order: e4 e3 e1 e2 e5 e6.
EVENTS_A = (
    make_event("e1", "USA", "RUS", "ACCUSE", "2023-10-03", "day"),
    make_event("e2", "RUS", "USA", "THREATEN", None),  # falls back to article date 2023-10-05
    make_event("e3", "USA", None, "CONSULT", "2023-10", "month"),
)
EVENTS_B = (
    make_event("e4", "FRA", "DEU", "COOPERATE", "2023-09-30", "day"),
    make_event("e5", "usa", "CHN", "SANCTION", "2023-11", "month"),
)
EVENTS_C = (make_event("e6", "GBR", "USA", "CONSULT", None),)  # no date anywhere


def labels(events: list[dict[str, Any]]) -> list[str]:
    return [e["sentence"] for e in events]
