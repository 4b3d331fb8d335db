"""The REST API and the web UI: FastAPI, thin over `Queries`; every page is rendered from the same data the JSON
endpoints return. Read-only; all article text and user input is escaped (Jinja2 autoescape, Markup only for the
marks this module adds)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from newsgraph.api.queries import MARK_CLOSE, MARK_OPEN, Queries

PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "ACCUSE", "REQUEST", "REJECT",
                "THREATEN", "PROTEST", "MOBILIZE", "SANCTION", "COERCE", "ASSAULT")  # fmt: skip
STATUSES = ("asserted", "reported", "alleged", "denied", "planned", "hypothetical", "negated")

Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
Code = Annotated[str | None, Query(max_length=12, pattern=r"^([A-Za-z]{2,6})?$")]  # empty: no filter (a blank form)
Day = Annotated[str | None, Query(max_length=10, pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$")]


def create_app(db: str | Path) -> FastAPI:
    queries = Queries(db)
    app = FastAPI(
        title="newsgraph",
        description="Political events from news pages: who did what to whom, when, where, and who says so.",
        version="0.1",
    )
    web = resources.files("newsgraph.web")
    templates = Jinja2Templates(directory=str(web / "templates"))
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
    @app.get("/api/stats")
    def api_stats() -> dict[str, Any]:
        return queries.stats()

    @app.get("/api/articles")
    def api_articles(
        q: Annotated[str | None, Query(max_length=200)] = None,
        since: Day = None,
        until: Day = None,
        outlet: Annotated[str | None, Query(max_length=120)] = None,
        story: Annotated[int | None, Query(ge=0, le=2**62)] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        return queries.articles(q, since, until, outlet, story, limit, offset)

    @app.get("/api/articles/{doc_id}")
    def api_article(doc_id: str) -> dict[str, Any]:
        return _found(queries.article(doc_id) if len(doc_id) >= 6 else None, "article")

    @app.get("/api/events")
    def api_events(
        mentions: bool = False,
        limit: Limit = 50,
        offset: Offset = 0,
        filters: dict[str, Any] = Depends(event_filters),  # noqa: B008 (FastAPI's way: the filters of every list)
    ) -> dict[str, Any]:
        return queries.events(**filters, mentions=mentions, limit=limit, offset=offset)

    @app.get("/api/actors")
    def api_actors(
        q: Annotated[str | None, Query(max_length=120)] = None, limit: Limit = 50, offset: Offset = 0
    ) -> dict[str, Any]:
        return queries.actors(q, limit, offset)

    @app.get("/api/actors/{actor_id}")
    def api_actor(actor_id: str) -> dict[str, Any]:
        return _found(queries.actor(actor_id), "actor")

    @app.get("/api/dyads/{a}/{b}")
    def api_dyad(a: str, b: str, interval: str = "month") -> dict[str, Any]:
        return queries.dyad(a.upper()[:6], b.upper()[:6], interval)

    @app.get("/api/stories")
    def api_stories() -> list[dict[str, Any]]:
        return queries.stories()

    @app.get("/api/stories/{story_id}")
    def api_story(story_id: int) -> dict[str, Any]:
        return _found(queries.story(story_id), "story")

    @app.get("/api/network")
    def api_network(since: Day = None, until: Day = None) -> dict[str, Any]:
        return queries.network(since, until)

    # -- pages -------------------------------------------------------------------------------------------------
    def page(request: Request, name: str, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, {"stats": queries.stats(), **context})

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(
        request: Request, q: Annotated[str | None, Query(max_length=200)] = None, offset: Offset = 0
    ) -> HTMLResponse:
        return page(request, "search.html", q=q or "", results=queries.articles(q, limit=25, offset=offset))

    @app.get("/articles/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, doc_id: str) -> HTMLResponse:
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
    def dyad_page(request: Request, a: Code = "RUS", b: Code = "PRK", interval: str = "month") -> HTMLResponse:
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
    def story_page(request: Request, story_id: int) -> HTMLResponse:
        return page(request, "story.html", story=_found(queries.story(story_id), "story"))

    @app.middleware("http")
    async def refuse_nul(request: Request, call_next: Any) -> Any:
        """Text with a NUL character is no text a database holds (PostgreSQL refuses it): a 400, on any backend."""
        query = request.query_params.multi_items()
        if "\x00" in request.url.path or any("\x00" in key + value for key, value in query):
            detail = "a NUL character is not allowed in a path or a query"
            if request.url.path.startswith("/api/"):
                from fastapi.responses import JSONResponse

                return JSONResponse({"detail": detail}, status_code=400)
            return templates.TemplateResponse(request, "error.html", {"stats": None, "detail": detail}, status_code=400)
        return await call_next(request)

    @app.exception_handler(HTTPException)
    async def not_found(request: Request, exc: HTTPException) -> HTMLResponse:
        if request.url.path.startswith("/api/"):
            from fastapi.responses import JSONResponse

            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)  # type: ignore[return-value]
        return templates.TemplateResponse(
            request, "error.html", {"stats": None, "detail": exc.detail}, status_code=exc.status_code
        )

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Any:
        if request.url.path.startswith("/api/"):
            from fastapi.responses import JSONResponse

            return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)
        fields = ", ".join(sorted({str(e["loc"][-1]) for e in exc.errors()}))
        return templates.TemplateResponse(
            request, "error.html", {"stats": None, "detail": f"Please check: {fields}"}, status_code=400
        )

    app.state.queries = queries
    return app


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
                title = escape(f"{entity.get('name')} ({entity.get('country') or '?'})")
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
