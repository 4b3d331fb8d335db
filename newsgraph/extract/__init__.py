"""Extract: Page -> Article (clean body and metadata), for flattened pages, HTML and clean text."""

from __future__ import annotations

from newsgraph.extract.html import extract_html
from newsgraph.extract.language import guess_language
from newsgraph.extract.textpage import extract_text_page
from newsgraph.models import Article, Page

__all__ = ["extract", "extract_html", "extract_text", "extract_text_page"]


def extract_text(content: str, *, date: str | None = None) -> Article:
    """Already-clean article text: one paragraph per non-empty line, no extraction."""
    paragraphs = tuple(line.strip() for line in content.splitlines() if line.strip())
    return Article(title=None, paragraphs=paragraphs, date=date, language=guess_language(" ".join(paragraphs)))


def extract(page: Page) -> Article:
    """Dispatch on the page's format."""
    if page.fmt == "page":
        return extract_text_page(page.content, date=page.date, url=page.url)
    if page.fmt == "html":
        return extract_html(page.content, date=page.date, url=page.url)
    return extract_text(page.content, date=page.date)
