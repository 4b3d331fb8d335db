"""Model <-> JSON: the contract of `newsgraph analyze --format jsonl` (field names are public)."""

from __future__ import annotations

from typing import Any

from newsgraph.models import ActorRef, Analysis, Article, Entity, Event, Location, Mention, Page


def article_json(article: Article) -> dict[str, Any]:
    return {
        "title": article.title,
        "date": article.date,
        "published": article.published,
        "modified": article.modified,
        "agency": article.agency,
        "outlet": article.outlet,
        "section": article.section,
        "breadcrumb": list(article.breadcrumb),
        "tags": list(article.tags),
        "summary": article.summary,
        "image_captions": list(article.image_captions),
        "authors": list(article.authors),
        "language": article.language,
        "url": article.url,
        "paragraphs": list(article.paragraphs),
    }


def entity_json(entity: Entity) -> dict[str, Any]:
    return {
        "name": entity.name,
        "type": entity.type,
        "country": entity.country,
        "sector": entity.sector,
        "role": entity.role,
        "actor_id": entity.actor_id,
        "aliases": list(entity.aliases),
        "mentions": [{"text": m.text, "start": m.start, "end": m.end} for m in entity.mentions],
    }


def actor_json(actor: ActorRef | None) -> dict[str, Any] | None:
    if actor is None:
        return None
    return {"name": actor.name, "country": actor.country, "sector": actor.sector, "actor_id": actor.actor_id}


def location_json(location: Location | None) -> dict[str, Any] | None:
    if location is None:
        return None
    return {"name": location.name, "country": location.country, "lat": location.lat, "lon": location.lon}


def event_json(event: Event, article_path: str) -> dict[str, Any]:
    return {
        "source": actor_json(event.source),
        "target": actor_json(event.target),
        "plover": event.plover,
        "mode": event.mode,
        "cameo": event.cameo,
        "goldstein": event.goldstein,
        "quad": event.quad,
        "intensity": event.intensity,
        "status": event.status,
        "attributed_to": list(event.attributed_to),
        "date": event.date,
        "date_precision": event.date_precision,
        "location": location_json(event.location),
        "sentence": event.sentence,
        "start": event.start,
        "end": event.end,
        "trigger": event.trigger,
        "confidence": event.confidence,
        "article_path": article_path,
    }


def analysis_json(analysis: Analysis) -> dict[str, Any]:
    path = analysis.page.origin
    return {
        "path": path,
        "article": article_json(analysis.article),
        "entities": [entity_json(e) for e in analysis.entities],
        "events": [event_json(e, path) for e in analysis.events],
    }


# -- JSON -> model (the inverse of the above: analyses written to Parquet by the Spark runner are read back) -------
def article_from_json(data: dict[str, Any]) -> Article:
    tuples = ("breadcrumb", "tags", "image_captions", "authors", "paragraphs")
    fields: dict[str, Any] = {k: tuple(v) if k in tuples else v for k, v in data.items()}
    return Article(**fields)


def entity_from_json(data: dict[str, Any]) -> Entity:
    mentions = tuple(Mention(m["text"], m["start"], m["end"]) for m in data["mentions"])
    return Entity(**{**data, "aliases": tuple(data["aliases"]), "mentions": mentions})


def actor_from_json(data: dict[str, Any] | None) -> ActorRef | None:
    return None if data is None else ActorRef(**data)


def event_from_json(data: dict[str, Any]) -> Event:
    fields = {k: v for k, v in data.items() if k not in ("article_path", "source", "target", "location")}
    source = actor_from_json(data["source"])
    assert source is not None
    location = data["location"]
    fields["attributed_to"] = tuple(fields["attributed_to"])
    return Event(
        **fields,
        source=source,
        target=actor_from_json(data["target"]),
        location=None if location is None else Location(**location),
    )


def analysis_from_json(data: dict[str, Any], page: Page) -> Analysis:
    """The Analysis that `analysis_json` rendered, with the page it came from (its content is not kept)."""
    return Analysis(
        page=page,
        article=article_from_json(data["article"]),
        entities=tuple(entity_from_json(e) for e in data["entities"]),
        events=tuple(event_from_json(e) for e in data["events"]),
    )
