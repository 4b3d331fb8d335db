"""newsgraph: raw news pages in, a dated, searchable record of political events out."""

from newsgraph.models import ActorRef, Analysis, Article, DocError, Entity, Event, Location, Mention, Page, Story

__all__ = ["ActorRef", "Analysis", "Article", "DocError", "Entity", "Event", "Location", "Mention", "Page", "Story"]
__version__ = "0.1.0"
