"""The REST API and the web UI: FastAPI, thin over `Queries`; every page is rendered from the same data the JSON
endpoints return.

Hardened for a public corpus: read-only (GET only, over a read-only connection); all article text and user input
is escaped (Jinja2 autoescape, Markup only for the marks this module adds, JSON blocks that cannot close their
element); every response carries `SECURITY_HEADERS` (a CSP without inline script or style); lists are paged within
bounds and every statement has a time limit; a search the database cannot parse is a 400, a slow one a 503."""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsgraph.api.queries import (
    MARK_CLOSE,
    MARK_OPEN,
    MAX_LIMIT,
    MAX_OFFSET,
    MAX_QUERY_CHARS,
    Queries,
    QueryTimeout,
    SearchSyntaxError,
)
from newsgraph.store.sql import AmbiguousDocIdError

PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "ACCUSE", "REQUEST", "REJECT",
                "THREATEN", "PROTEST", "MOBILIZE", "SANCTION", "COERCE", "ASSAULT")  # fmt: skip
STATUSES = ("asserted", "reported", "alleged", "denied", "planned", "hypothetical", "negated")
QUERY_SECONDS = 5.0  # the longest any one statement may run for a request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Words = Annotated[str | None, Query(max_length=MAX_QUERY_CHARS)]
Code = Annotated[str | None, Query(max_length=12, pattern=r"^([A-Za-z]{2,6})?$")]  # empty: no filter (a blank form)
Day = Annotated[str | None, Query(max_length=10, pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$")]
Interval = Annotated[str, Query(pattern=r"^(day|week|month)$")]
DocId = Annotated[str, PathParam(max_length=128)]
ActorId = Annotated[str, PathParam(max_length=300)]
CountryCode = Annotated[str, PathParam(max_length=12)]


class SecurityHeaders:
    """ASGI middleware: `SECURITY_HEADERS` on every response (pages, JSON, static files, errors)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(SECURITY_HEADERS)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(db: str | Path, time_limit: float | None = QUERY_SECONDS) -> FastAPI:
    """The app over a database, opened read-only; time_limit: seconds any one statement may run."""
    queries = Queries(db, time_limit=time_limit)
    app = FastAPI(
        title="newsgraph",
        description="Political events from news pages: who did what to whom, when, where, and who says so.",
        version="0.1",
        docs_url=None,  # FastAPI's own pages load scripts from a CDN and run inline code: /docs is ours
        redoc_url=None,
    )
    web = resources.files("newsgraph.web")
    templates = Jinja2Templates(directory=str(web / "templates"))
    templates.env.autoescape = True  # every template, whatever its name
    templates.env.filters["marks"] = snippet_html
    app.mount("/static", StaticFiles(directory=str(web / "static")), name="static")

    def event_filters(
        actor: Code = None,
        a: Code = None,
        b: Code = None,
        type: Annotated[str | None, Query(max_length=12)] = None,
        root: Annotated[str | None, Query(max_length=2, pattern=r"^\d{2}$")] = None,
        status: Annotated[str | None, Query(max_length=12)] = None,
        since: Day = None,
        until: Day = None,
        place: Annotated[str | None, Query(max_length=80)] = None,
        who: Annotated[str | None, Query(max_length=120)] = None,
    ) -> dict[str, Any]:
        return {
            "actor": actor.upper() if actor else None,
            "dyad": (a.upper(), b.upper()) if a and b else None,
            "plover": type.upper() if type else None,
            "root": root or None,
            "status": status or None,
            "since": since or None,
            "until": until or None,
            "place": place or None,
            "who": who or None,
        }

    # -- JSON --------------------------------------------------------------------------------------------------
    @app.get("/api/stats", summary="Counts: articles, reports, events, stories, first and last date")
    def api_stats() -> dict[str, Any]:
        return queries.stats()

    @app.get("/api/articles", summary="Articles, newest first; q searches their text (words, not syntax)")
    def api_articles(
        q: Words = None,
        since: Day = None,
        until: Day = None,
        outlet: Annotated[str | None, Query(max_length=120)] = None,
        story: Annotated[int | None, Query(ge=0, le=2**62)] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        return queries.articles(q, since, until, outlet, story, limit, offset)

    @app.get("/api/articles/{doc_id}", summary="One article (id, or its first 6+ characters) with entities and events")
    def api_article(doc_id: DocId) -> dict[str, Any]:
        return _found(queries.article(doc_id) if len(doc_id) >= 6 else None, "article")

    @app.get("/api/events", summary="Events, one per happening (mentions=true: one per report), newest first")
    def api_events(
        mentions: bool = False,
        limit: Limit = 50,
        offset: Offset = 0,
        filters: dict[str, Any] = Depends(event_filters),  # noqa: B008 (FastAPI's way: the filters of every list)
    ) -> dict[str, Any]:
        return queries.events(**filters, mentions=mentions, limit=limit, offset=offset)

    @app.get("/api/actors", summary="Actors by the number of articles naming them; q filters by name or id")
    def api_actors(
        q: Annotated[str | None, Query(max_length=120)] = None, limit: Limit = 50, offset: Offset = 0
    ) -> dict[str, Any]:
        return queries.actors(q, limit, offset)

    @app.get("/api/actors/{actor_id}", summary="One actor and the events it takes part in or claims")
    def api_actor(actor_id: ActorId) -> dict[str, Any]:
        return _found(queries.actor(actor_id), "actor")

    @app.get("/api/dyads/{a}/{b}", summary="Events between two countries per day, week or month, by quad class")
    def api_dyad(a: CountryCode, b: CountryCode, interval: Interval = "month") -> dict[str, Any]:
        return queries.dyad(a.upper()[:6], b.upper()[:6], interval)

    @app.get("/api/stories", summary="Stories: articles about one development")
    def api_stories() -> list[dict[str, Any]]:
        return queries.stories()

    @app.get("/api/stories/{story_id}", summary="One story with its articles and events")
    def api_story(story_id: Annotated[int, PathParam(ge=0, le=2**62)]) -> dict[str, Any]:
        return _found(queries.story(story_id), "story")

    @app.get("/api/network", summary="Who acts on whom: event counts and mean Goldstein score per country pair")
    def api_network(since: Day = None, until: Day = None) -> dict[str, Any]:
        return queries.network(since, until)

    # -- pages -------------------------------------------------------------------------------------------------
    def page(request: Request, name: str, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, {"stats": queries.stats(), **context})

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, q: Words = None, offset: Offset = 0) -> HTMLResponse:
        return page(request, "search.html", q=q or "", results=queries.articles(q, limit=25, offset=offset))

    @app.get("/articles/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, doc_id: DocId) -> HTMLResponse:
        found = _found(queries.article(doc_id) if len(doc_id) >= 6 else None, "article")
        body = highlight("\n\n".join(found["article"]["paragraphs"]), found["entities"], found["events"])
        return page(request, "article.html", a=found, body=body)

    @app.get("/events", response_class=HTMLResponse, include_in_schema=False)
    def events_page(
        request: Request,
        offset: Offset = 0,
        actor: Code = None,
        a: Code = None,
        b: Code = None,
        type: Annotated[str | None, Query(max_length=12)] = None,
        status: Annotated[str | None, Query(max_length=12)] = None,
        since: Day = None,
        until: Day = None,
    ) -> HTMLResponse:
        filters = event_filters(actor, a, b, type or None, None, status or None, since, until, None, None)
        found = queries.events(**filters, limit=100, offset=offset)
        form = {"actor": actor or "", "a": a or "", "b": b or "", "type": type or "", "status": status or "",
                "since": since or "", "until": until or ""}  # fmt: skip
        return page(request, "events.html", events=found, form=form, types=PLOVER_TYPES, statuses=STATUSES)

    @app.get("/dyad", response_class=HTMLResponse, include_in_schema=False)
    def dyad_page(request: Request, a: Code = "RUS", b: Code = "PRK", interval: Interval = "month") -> HTMLResponse:
        a, b = (a or "RUS").upper(), (b or "PRK").upper()
        series = queries.dyad(a, b, interval)
        found = queries.events(dyad=(a, b), limit=500)
        return page(request, "dyad.html", a=a, b=b, interval=interval, series=series, events=found,
                    chart=Markup(json_for_script(series)))  # fmt: skip

    @app.get("/network", response_class=HTMLResponse, include_in_schema=False)
    def network_page(request: Request, since: Day = None, until: Day = None) -> HTMLResponse:
        net = queries.network(since or None, until or None)
        return page(request, "network.html", net=net, since=since or "", until=until or "")

    @app.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request) -> HTMLResponse:
        return page(request, "stories.html", stories=queries.stories())

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: Annotated[int, PathParam(ge=0, le=2**62)]) -> HTMLResponse:
        return page(request, "story.html", story=_found(queries.story(story_id), "story"))

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_page(request: Request) -> HTMLResponse:
        return page(request, "api.html", endpoints=api_endpoints(app.openapi()))

    # -- errors: JSON under /api/, a page elsewhere; never a stack trace --------------------------------------
    def error(request: Request, status: int, detail: Any, headers: Mapping[str, str] | None = None) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": detail}, status_code=status, headers=headers)
        context = {"stats": None, "status": status, "detail": detail}
        return templates.TemplateResponse(request, "error.html", context, status_code=status, headers=headers)

    @app.middleware("http")
    async def refuse_nul(request: Request, call_next: Any) -> Any:
        """Text with a NUL character is no text a database holds (PostgreSQL refuses it): a 400, on any backend."""
        query = request.query_params.multi_items()
        if "\x00" in request.url.path or any("\x00" in key + value for key, value in query):
            return error(request, 400, "a NUL character is not allowed in a path or a query")
        return await call_next(request)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error(request, exc.status_code, exc.detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)
        fields = ", ".join(sorted({str(e["loc"][-1]) for e in exc.errors()}))
        return error(request, 400, f"Please check: {fields}")

    @app.exception_handler(SearchSyntaxError)
    async def bad_search(request: Request, exc: SearchSyntaxError) -> Response:
        return error(request, 400, str(exc))

    @app.exception_handler(AmbiguousDocIdError)
    async def ambiguous(request: Request, exc: AmbiguousDocIdError) -> Response:
        return error(request, 400, f"the id {exc.prefix!r} names several articles: give more of it")

    @app.exception_handler(QueryTimeout)
    async def too_slow(request: Request, exc: QueryTimeout) -> Response:
        return error(request, 503, str(exc), {"Retry-After": "5"})

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        """Answered outside the middleware stack: the security headers are set here."""
        response = error(request, 500, "Internal server error")
        response.headers.update(SECURITY_HEADERS)
        return response

    app.add_middleware(SecurityHeaders)  # last: the outermost middleware, so its headers reach every response
    app.state.queries = queries
    app.state.templates = templates
    return app


def api_endpoints(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The REST endpoints of an OpenAPI spec, for the /docs page: path, summary, parameters."""
    return [
        {
            "method": method.upper(),
            "path": path,
            "summary": operation.get("summary") or "",
            "parameters": [_parameter(p) for p in operation.get("parameters") or []],
        }
        for path, operations in spec.get("paths", {}).items()
        for method, operation in operations.items()
    ]


def _parameter(parameter: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": parameter["name"],
        "in": parameter["in"],
        "required": parameter.get("required", False),
        "schema": _schema_text(parameter.get("schema") or {}),
    }


def _schema_text(schema: dict[str, Any]) -> str:
    """A parameter's type, bounds and default in words: "integer, minimum 1, maximum 500, default 50"."""
    options = schema.get("anyOf") or [schema]
    kinds = [o.get("type", "") for o in options if o.get("type") != "null"]
    bounds = [f"{key} {o[key]}" for o in options for key in ("minimum", "maximum", "maxLength", "pattern") if key in o]
    default = [f"default {schema['default']}"] if schema.get("default") is not None else []
    return ", ".join([" or ".join(kinds) or "any", *bounds, *default])


def _found(value: Any, what: str) -> dict[str, Any]:
    if value is None:
        raise HTTPException(status_code=404, detail=f"no such {what}")
    return dict(value)


def snippet_html(text: str | None) -> Markup:
    """A search snippet: escaped text with the query's matches in <mark>."""
    escaped = str(escape(text or ""))
    return Markup(escaped.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>"))


def json_for_script(value: Any) -> str:
    """JSON safe inside <script type="application/json">: no "</" can close the element."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def highlight(body: str, entities: list[dict[str, Any]], events: list[dict[str, Any]]) -> Markup:
    """The article body, escaped, with each event's sentence anchored (id="s-<start>") and actors' mentions marked."""
    marks: list[tuple[int, int, str, str]] = []  # (position, order, kind, html)
    for event in events:
        start, end = event.get("start"), event.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(body):
            marks.append((start, 0, "open", f'<span class="sentence" id="s-{start}">'))
            marks.append((end, 3, "close", "</span>"))
    for entity in entities:
        for mention in entity.get("mentions") or []:
            s, e = mention.get("start"), mention.get("end")
            if isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(body):
                css = "actor" if entity.get("type") != "PLACE" else "place"
                title = escape(" ".join(f"{entity.get('name')} ({entity.get('country') or '?'})".split()))
                marks.append((s, 1, "open", f'<mark class="{css}" title="{title}">'))
                marks.append((e, 2, "close", "</mark>"))
    marks.sort(key=lambda m: (m[0], m[1]))
    out, position, depth = [], 0, {"span": 0, "mark": 0}
    for at, _, kind, html in marks:
        out.append(str(escape(body[position:at])))
        position = at
        tag = "span" if "span" in html else "mark"
        if kind == "open" and (tag == "span" or depth["mark"] == 0):
            depth[tag] += 1
            out.append(html)
        elif kind == "close" and depth[tag] > 0:
            depth[tag] -= 1
            out.append(html)
    out.append(str(escape(body[position:])))
    out.extend("</mark>" for _ in range(depth["mark"]))
    out.extend("</span>" for _ in range(depth["span"]))
    return Markup("".join(out).replace("\n\n", "</p><p>").join(("<p>", "</p>")))
