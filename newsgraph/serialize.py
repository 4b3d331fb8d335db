"""Model <-> JSON: the contract of `newsgraph analyze --format jsonl` (field names are public)."""

from __future__ import annotations

from typing import Any

from newsgraph.models import ActorRef, Analysis, Article, Entity, Event, Location


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
