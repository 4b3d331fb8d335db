"""An HTML page's own declarations about its article: title, dates, authors, outlet, tags, language, URL.

Read from what publishers declare for search engines and social cards (JSON-LD, <meta> properties, itemprop,
<time>, rel=author), falling back to the page's visible bylines and to a date in the URL. Nothing is guessed from
the body prose; a value the page does not declare stays None or empty. The date finders for pages that declare
none (a date element, a dateline, the day the markup names most: element_date, text_date, page_date) are here too;
the HTML extractor calls them in that order. Month names are the timestamp parser's (timestamps.MONTHS) and a few
more languages and abbreviations.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from newsgraph.extract.lines import WIRE_AGENCIES, norm
from newsgraph.extract.timestamps import MONTHS, parse_date_text

_ARTICLE_TYPES = ("Article", "NewsArticle", "ReportageNewsArticle", "BlogPosting", "AnalysisNewsArticle", "Report")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|[-_.]|$)")
_URL_DAY = re.compile(r"(?<!\d)((?:19|20)\d\d)([/_-])(\d\d?)\2(\d\d?)(?!\d)")  # htmldate's form
_SPLIT_NAMES = re.compile(r"\s*(?:,|;|\||/|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bi\b|\bog\b|\ben\b)\s*")
_BY = re.compile(r"^(?:by|von|par|por|di|door|av|af|przez|autor(?:in)?:?|text:?|written by)\s+", re.I)
_NOT_NAMES = re.compile(r"\b(?:staff|redaktion|editorial|team|desk|newsroom|correspondent|reporter)\b", re.I)
_SPACE = re.compile(r"\s+")
# Month names: the timestamp parser's table, and the abbreviations and languages that only dates in running
# text or page furniture use ("12. Dez. 2024", "19 червня 2020").
_MORE_MONTHS = {
    1: "janv jän ene gen січня siječnja ledna sausio oca янв январь січень styczeń",
    2: "févr fevr лютого veljače února vasario şub фев февраль лютий luty",
    3: "mär mrz березня ožujka března kovo мар март березень marzec",
    4: "avr квітня travnja dubna balandžio nis апр апрель квітень kwiecień",
    5: "травня svibnja května gegužės май травень",
    6: "червня lipnja června birželio haz июн июнь червень czerwiec",
    7: "juil липня srpnja července liepos tem июл июль липень lipiec",
    8: "серпня kolovoza srpna rugpjūčio ağu авг август серпень sierpień",
    9: "вересня rujna září rugsėjo eyl сен сентябрь вересень wrzesień",
    10: "okt ott жовтня října spalio eki окт октябрь жовтень październik",
    11: "листопада studenoga listopadu lapkričio kas ноя ноябрь листопад",
    12: "dez dic грудня prosinca prosince gruodžio ara дек декабрь грудень grudzień",
}  # fmt: skip
MONTH_NAMES = dict(MONTHS)
for _number, _names in _MORE_MONTHS.items():
    for _name in _names.split():
        MONTH_NAMES.setdefault(_name, _number)
_MONTH = "|".join(sorted((re.escape(m) for m in MONTH_NAMES), key=len, reverse=True))
_TEXT_DATE = re.compile(
    rf"(?<!\w)(?:(?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>(?:19|20)\d\d)"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th|er)?\.?(?:\s+of)?[\s-]+(?:de\s+)?(?P<m2>{_MONTH})\.?,?[\s-]+(?:de\s+)?"
    r"(?P<y2>(?:19|20)\d\d)"
    r"|(?P<y3>(?:19|20)\d\d)-(?P<m3>[01]\d)-(?P<d3>[0-3]\d)"
    r"|(?P<d4>\d{1,2})\.\s?(?P<m4>\d{1,2})\.\s?(?P<y4>(?:19|20)\d\d)"
    r"|(?P<m5>\d{1,2})/(?P<d5>\d{1,2})/(?P<y5>(?:19|20)\d\d)"
    r"|(?P<y7>(?:19|20)\d\d)\s?[./年년]\s?(?P<m7>[01]?\d)\s?[./月월]\s?(?P<d7>[0-3]?\d)"
    rf"|(?P<y6>(?:19|20)\d\d)\s+(?P<m6>{_MONTH})\.?\s+(?P<d6>\d{{1,2}}))(?!\d)",
    re.I,
)
_YEAR = re.compile(r"(?:19|20)\d\d")
DATE_SPAN = 60  # characters of a date before its year, at most (in text with single spaces)
TEXT_DATE_WORDS = 20  # a date is read from blocks of at most this many words (datelines, not prose)


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str | None = None
    published: str | None = None  # declared by the page (meta, JSON-LD, itemprop, <time>)
    url_date: str | None = None  # a date in the page's URL
    image_date: str | None = None  # a date in the URL of the page's social-card image (its upload day)
    modified: str | None = None
    authors: tuple[str, ...] = ()
    agency: str | None = None
    outlet: str | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    summary: str | None = None
    language: str | None = None
    url: str | None = None


def read_metadata(tree: HTMLParser, url: str | None = None) -> Metadata:
    """Everything the page declares about its article."""
    meta = meta_tags(tree)
    ld = json_ld(tree)
    names = ld_names(ld.get("author")) or _meta_authors(meta) or _byline_authors(tree)
    return Metadata(
        title=title(tree, meta, ld),
        published=published(tree, meta, ld),
        url_date=url_date(url or _canonical(tree)),
        image_date=url_date(meta.get("og:image")),
        modified=iso_date(meta.get("article:modified_time") or _ld_str(ld, "dateModified")),
        authors=tuple(n for n in names if n.lower() not in WIRE_AGENCIES),
        agency=next((WIRE_AGENCIES[n.lower()] for n in names if n.lower() in WIRE_AGENCIES), None),
        outlet=meta.get("og:site_name") or _ld_name(ld.get("publisher")),
        section=meta.get("article:section") or _ld_str(ld, "articleSection"),
        tags=_tags(meta, ld),
        summary=meta.get("og:description") or meta.get("description") or _ld_str(ld, "description"),
        language=language(tree, meta),
        url=_canonical(tree) or meta.get("og:url") or url,
    )


# --- sources ------------------------------------------------------------------------------------------------


def meta_tags(tree: HTMLParser) -> dict[str, str]:
    """<meta> property/name/itemprop (lower case) -> the first non-empty content; repeated keys joined by ', '."""
    found: dict[str, str] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").strip().lower()
        value = _clean(attrs.get("content"))
        if not key or not value:
            continue
        if key in found and key in ("article:tag", "article:author", "author"):
            found[key] += f", {value}" if value not in found[key] else ""
        found.setdefault(key, value)
    for node in tree.css("[itemprop][datetime]"):
        key = f"itemprop:{(node.attributes.get('itemprop') or '').lower()}"
        found.setdefault(key, node.attributes.get("datetime") or "")
    return found


def json_ld(tree: HTMLParser) -> dict[str, Any]:
    """The page's JSON-LD article object (NewsArticle, BlogPosting ...); {} when it declares none."""
    fallback: dict[str, Any] = {}
    for node in tree.css('script[type="application/ld+json"]'):
        for item in _ld_items(node.text()):
            kinds = item.get("@type", "")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(k, str) and k.endswith(_ARTICLE_TYPES) for k in kinds):
                return item
            if not fallback and "datePublished" in item:
                fallback = item
    return fallback


def _ld_items(raw: str) -> Iterator[dict[str, Any]]:
    try:
        data = json.loads(raw, strict=False)
    except (ValueError, RecursionError):
        return
    todo = data if isinstance(data, list) else [data]
    for item in todo[:50]:
        if isinstance(item, dict):
            graph = item.get("@graph")
            if isinstance(graph, list):
                yield from (g for g in graph[:50] if isinstance(g, dict))
            yield item


def _ld_str(ld: dict[str, Any], key: str) -> str | None:
    value = ld.get(key)
    if isinstance(value, list) and value:
        value = value[0]
    return _clean(value) if isinstance(value, str) else None


def _ld_name(value: Any) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("name")
    return _clean(value) if isinstance(value, str) else None


def ld_names(value: Any) -> tuple[str, ...]:
    """Person names of a JSON-LD author value (a string, an object, or a list of either)."""
    items = value if isinstance(value, list) else [value] if value else []
    names: list[str] = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, list):
            name = ", ".join(n for n in name if isinstance(n, str))
        if isinstance(name, str):
            names.extend(split_names(name))
    return tuple(dict.fromkeys(names))


# --- fields -------------------------------------------------------------------------------------------------


def title(tree: HTMLParser, meta: dict[str, str], ld: dict[str, Any]) -> str | None:
    """The headline: og:title, else the first <h1>, JSON-LD headline or <title>; the site's name cut off."""
    found = meta.get("og:title") or _node_text(tree.css_first("h1")) or _ld_str(ld, "headline")
    found = found or _node_text(tree.css_first("title"))
    return strip_site_name(found, meta.get("og:site_name")) if found else None


def strip_site_name(text: str, site: str | None) -> str:
    """ "Talks resume | The Daily" -> "Talks resume": a last (or first) part that names the site, or is short."""
    for sep in _TITLE_SEPARATORS:
        if sep not in text:
            continue
        head, _, tail = text.rpartition(sep)
        if site and norm(site) in (norm(tail), norm(head)):
            return head.strip() if norm(site) == norm(tail) else tail.strip()
        if head and tail.count(" ") < 4 and len(head) > len(tail):
            return head.strip()
    return text


_TITLE_SEPARATORS = (" | ", " – ", " — ", " - ", " :: ", " · ", " « ", " » ")


def published(tree: HTMLParser, meta: dict[str, str], ld: dict[str, Any]) -> str | None:
    """The publication date (ISO, with time and offset when declared)."""
    for key in _PUBLISHED_META:
        value = iso_date(meta.get(key))
        if value:
            return value
    value = iso_date(_ld_str(ld, "datePublished")) or iso_date(_ld_str(ld, "dateCreated")) or _ld_raw_date(tree)
    if value:
        return value
    return _time_date(tree)


def _ld_raw_date(tree: HTMLParser) -> str | None:
    """A datePublished written in JSON-LD that does not parse (trailing commas, raw newlines ...)."""
    for node in tree.css('script[type="application/ld+json"]'):
        match = _LD_PUBLISHED.search(node.text())
        if match:
            return iso_date(match.group(1))
    return None


_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{8,40})"')


def _time_date(tree: HTMLParser) -> str | None:
    """The datetime of a <time> marked as the publication's, else of the first <time> outside article lists."""
    times = tree.css("time[datetime]")[:TIME_ELEMENTS]
    marked = [
        t for t in times if "pubdate" in t.attributes or (t.attributes.get("class") or "").startswith("entry-date")
    ]
    for node in marked or times:
        value = iso_date(node.attributes.get("datetime"))
        if value and not _in_listing(node):
            return value
    return None


_PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "itemprop:datepublished", "datepublished",
    "article:published", "publishdate", "publish-date", "pubdate", "parsely-pub-date", "sailthru.date", "dc.date",
    "dc.date.issued", "dcterms.date", "date", "og:published_time", "published_time", "article.published",
    # the other names htmldate knows for a publication date
    "analyticsattributes.articledate", "article.created", "article_date_original", "article:post_date",
    "article:published_date", "article:publicationdate", "bt:pubdate", "citation_date", "citation_publication_date",
    "content_create_date", "created", "cxenseparse:recs:publishtime", "date_created", "date_published",
    "datecreated", "dateposted", "dc.created", "dc.date.created", "dc.date.publication",
    "dcsext.articlefirstpublished", "dcterms.created", "dcterms.issued", "dc:created", "dc:date", "displaydate",
    "doc_date", "field-name-post-date", "gentime", "mediator_published_time", "og:article:published",
    "og:datepublished", "og:pubdate", "og:publish_date", "og:question:published_time", "og:regdate",
    "originalpublicationdate", "pdate", "ptime", "publish_date", "publish_time", "published-date",
    "published_date", "publisheddate", "publication_date", "rbpubdate", "release_date", "rnews:datepublished",
    "shareaholic:article_published_time", "timestamp", "twt-published-at", "video:release_date",
    "vr:published_time", "itemprop:datecreated", "published_on", "publication-date",
)  # fmt: skip


def iso_date(value: str | None) -> str | None:
    """A declared date or timestamp as ISO (``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM±HH:MM``); None if unreadable."""
    if not value:
        return None
    match = _ISO.match(value)
    if match:
        year, month, day, hour, minute, zone = match.groups()
        if not ("1990" <= year <= "2099" and "01" <= month <= "12" and "01" <= day <= "31"):
            return None
        if hour is None:
            return f"{year}-{month}-{day}"
        offset = "" if zone is None else "+00:00" if zone == "Z" else zone if ":" in zone else f"{zone[:3]}:{zone[3:]}"
        return f"{year}-{month}-{day}T{hour}:{minute}{offset}"
    return parse_date_text(value.strip()[:80])


def text_date(texts: Iterable[str], words: int = TEXT_DATE_WORDS) -> str | None:
    """The first full date (day, month, year) printed in a short block: "Published on January 29, 2026"."""
    for text in texts:
        year = _YEAR.search(text)  # every date has one: its match starts at most DATE_SPAN characters before
        if year is None or text.count(" ") >= words:
            continue
        for match in _TEXT_DATE.finditer(text, max(0, year.start() - DATE_SPAN)):
            value = _date_of(match)
            if value:
                return value
    return None


def _date_of(match: re.Match[str]) -> str | None:
    found = {k[0]: v for k, v in match.groupdict().items() if v}
    month_text = found.get("m", "")
    month = int(month_text) if month_text.isdigit() else MONTH_NAMES.get(month_text.lower().rstrip("."), 0)
    day, year = int(found.get("d", "0")), int(found.get("y", "0"))
    if "y" in found and match.group("m5") and month > 12 >= day:  # 25/12/2024 written day first
        day, month = month, day
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1990 <= year <= 2099):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


_LISTING = re.compile(  # a part of the page that lists other articles, each with its date
    r"card|teaser|related|recent|popular|trending|menu|sidebar|widget|carousel|slider|more-|most-|recommend|"
    r"comment|footer|list",
    re.I,
)
TIME_ELEMENTS = 30  # <time> elements read at most
LISTING_DEPTH = 12  # ancestors of a date element looked at


def element_date(nodes: Iterable[Node]) -> str | None:
    """The first date printed in (or on) one of the elements that say they hold a date, outside lists of other
    articles (teaser cards, related links, menus)."""
    for node in nodes:
        attrs = node.attributes
        for raw in (attrs.get("datetime"), attrs.get("content"), attrs.get("title"), node.text(separator=" ")):
            value = " ".join(raw.split()) if raw else ""
            found = (text_date((value,)) or iso_date(value) or _short_date(value)) if len(value) < 120 else None
            if found and not _in_listing(node):
                return found[:10]
    return None


_SHORT_DATE = re.compile(r"(?<![\d/.])(\d{1,2})([/.])(\d{1,2})\2(\d\d)(?![\d/.])")


def _short_date(text: str) -> str | None:
    """A date with a two-digit year, as date elements print it: 01/25/26 (month first), 25.01.26 (day first)."""
    match = _SHORT_DATE.search(text)
    if not match:
        return None
    first, sep, second, year = int(match.group(1)), match.group(2), int(match.group(3)), int(match.group(4))
    month, day = (first, second) if sep == "/" and first <= 12 else (second, first)
    return f"20{year:02d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None


def _in_listing(node: Node) -> bool:
    parent = node.parent
    for _ in range(LISTING_DEPTH):
        if parent is None or parent.tag in ("body", "html"):
            return False
        attrs = parent.attributes
        names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}" if attrs else ""
        if parent.tag in ("a", "li") or _LISTING.search(names):
            return True
        parent = parent.parent
    return False


_PAGE_DATES = (  # from surest to loosest: dated links, then ISO-like and day-first dates anywhere in the markup
    (re.compile(r"/((?:19|20)\d\d)/(\d\d)/(\d\d)/"), True),
    (re.compile(r"((?:19|20)\d\d)[/.-](\d\d)[/.-](\d\d)(?![\d.])"), True),
    (re.compile(r"(\d\d?)[/.](\d\d?)[/.]((?:19|20)\d\d)(?![\d.])"), False),
    (re.compile(r"((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)"), True),  # 20200619 in names and ids
)
_SCRIPTS = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
PAGE_DATES = 200  # dates counted at most, per pattern


def page_date(html: str) -> str | None:
    """The day that the page's markup names most often (the earliest of equals), scripts read last: share, print
    and comment links carry the article's own URL, and a page without declared dates still prints its own."""
    for text in (_SCRIPTS.sub(" ", html), html):
        for pattern, year_first in _PAGE_DATES:
            counts: dict[str, int] = {}
            for match in islice(pattern.finditer(text), PAGE_DATES):
                if match.start() and text[match.start() - 1] in _NUMBER_CHARS:
                    continue
                first, second, third = match.groups()
                year, month, day = (first, second, third) if year_first else (third, second, first)
                if int(month) > 12 >= int(day) and not year_first:  # 06/19/2020: month first
                    month, day = day, month
                if 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
                    found = f"{year}-{int(month):02d}-{int(day):02d}"
                    counts[found] = counts.get(found, 0) + 1
            if counts:
                return min(counts, key=lambda found: (-counts[found], found))
    return None


_NUMBER_CHARS = frozenset("0123456789.")


def url_date(url: str | None) -> str | None:
    """ "/2024/03/04/", "/20240304/", "news-2024-3-4-talks" -> "2024-03-04"."""
    match = _URL_DATE.search(url or "")
    if match:
        return "-".join(match.groups())
    match = _URL_DAY.search(url or "")
    if not match:
        return None
    year, _, month, day = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}" if 1 <= int(month) <= 12 and 1 <= int(day) <= 31 else None


def _meta_authors(meta: dict[str, str]) -> tuple[str, ...]:
    raw = meta.get("author") or meta.get("article:author") or meta.get("parsely-author") or meta.get("sailthru.author")
    if not raw or raw.startswith("http"):
        return ()
    return tuple(dict.fromkeys(split_names(raw)))


def _byline_authors(tree: HTMLParser) -> tuple[str, ...]:
    node = tree.css_first('[rel="author"], [itemprop="author"], [class*="byline"] a, [class*="author-name"]')
    text = _node_text(node)
    return tuple(split_names(text)) if text and len(text) < 80 else ()


def split_names(raw: str) -> list[str]:
    """ "By Jane Doe and John Roe" -> ["Jane Doe", "John Roe"]; staff and desk names dropped."""
    raw = _BY.sub("", _clean(raw) or "")
    names = [n.strip(" .,:;-–—") for n in _SPLIT_NAMES.split(raw)]
    return [n for n in names if n and not _NOT_NAMES.search(n) and not n.startswith("http") and len(n) < 60]


def _tags(meta: dict[str, str], ld: dict[str, Any]) -> tuple[str, ...]:
    raw = meta.get("article:tag") or meta.get("news_keywords") or meta.get("keywords") or ""
    if not raw:
        keywords = ld.get("keywords")
        raw = ", ".join(k for k in keywords if isinstance(k, str)) if isinstance(keywords, list) else ""
        raw = raw or (keywords if isinstance(keywords, str) else "")
    return tuple(dict.fromkeys(t.strip() for t in raw.split(",") if t.strip()))


def language(tree: HTMLParser, meta: dict[str, str]) -> str | None:
    node = tree.css_first("html")
    raw = (node.attributes.get("lang") or "") if node else ""
    raw = raw or meta.get("og:locale") or meta.get("content-language") or meta.get("language") or ""
    code = re.split(r"[-_]", raw.strip())[0].lower()
    return code if code.isalpha() and 2 <= len(code) <= 3 else None


def _canonical(tree: HTMLParser) -> str | None:
    node = tree.css_first('link[rel="canonical"]')
    href = (node.attributes.get("href") or "").strip() if node else ""
    return href if href.startswith("http") else None


def _node_text(node: Node | None) -> str | None:
    return _clean(node.text(separator=" ")) if node is not None else None


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = _SPACE.sub(" ", value).strip()
    return text or None
