"""ondit's web face: a JSON API (FastAPI, schema at /openapi.json) and server-rendered pages over one store.

`create_app(store_url, token)` opens the store and returns the ASGI app. Without a token the server is
read-only: `POST /api/articles` answers 403. Every page, script and style is served by ondit itself
(Plotly's JavaScript from the installed `plotly` package), so it works offline.

Security: article text and titles are untrusted. Templates autoescape everything, links are kept only
when they are http(s), Plotly labels are entity-escaped, the chart data travels as JSON in a
non-executed script element, and a Content-Security-Policy allows scripts from this server only.
Request bodies are limited to `max_body` bytes; errors are JSON `{"error": {"code", "message"}}` on
/api (an HTML page elsewhere) and never carry a stack trace; the token is compared in constant time.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs

from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from ondit import __version__
from ondit.api import schemas, views
from ondit.errors import InputError
from ondit.model import Article, ArticleExtraction, BadDateError, ClaimTypeName, EntityTypeName, PubDate
from ondit.store import Store, open_store

log = logging.getLogger("ondit.api")

DEFAULT_MAX_BODY = 1_000_000  # bytes: a long article is ~100 kB
MAX_ID = 2**31 - 1  # ids beyond a 32-bit integer name nothing (and PostgreSQL's integer stops there)
STATIC = Path(__file__).parent / "static"

StateName = Literal[
    "rumoured", "reported", "confirmed", "denied", "disputed", "abandoned", "lapsed", "unstated"
]
IdPath = Annotated[int, PathParam(ge=1, le=MAX_ID)]
ArticleIdPath = Annotated[str, PathParam(max_length=200)]
SourceColumn = Literal["source", "kind", "claims", "right", "wrong", "open", "reliability"]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]

STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_parameter",
}


class ApiError(Exception):
    """An error answered to the client with a stable code and a message."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


ARTICLE_BODY = {
    "required": True,
    "content": {"application/json": {"schema": schemas.ArticleIn.model_json_schema()}},
}
BEARER = HTTPBearer(auto_error=False, description="The token given to `ondit serve --token`.")


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {s: {"model": schemas.ErrorBody, "description": STATUS_CODES.get(s, "error")} for s in statuses}


# --------------------------------------------------------------------------- templates


def environment() -> Environment:
    """The Jinja environment of the pages (autoescape on for every template and string)."""
    env = Environment(
        loader=PackageLoader("ondit.api", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        state_word=views.state_word,
        safe_url=views.safe_url,
        source_chain=views.source_chain,
        args_text=views.args_text,
        evidence_segments=views.evidence_segments,
        certainties=views.CERTAINTY_ORDER,
        colours=views.CERTAINTY_COLOURS,
        version=__version__,
    )
    return env


def plotly_js_path() -> Path:
    """The installed plotly package's own minified plotly.js."""
    return Path(str(files("plotly") / "package_data" / "plotly.min.js"))


# --------------------------------------------------------------------------- ASGI middleware

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def _error_response(path: str, status: int, code: str, message: str) -> Response:
    if path.startswith("/api"):
        return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)
    page = environment().get_template("error.html").render(status=status, code=code, message=message)
    return HTMLResponse(page, status_code=status)


class SecurityHeaders:
    """Adds the Content-Security-Policy and friends to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                ours = dict(SECURITY_HEADERS)
                headers = [h for h in message.get("headers", []) if h[0].lower() not in ours]
                message["headers"] = [*headers, *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuses request bodies over `max_body` bytes with 413 (declared or streamed), before any parsing."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        too_large = _error_response(
            path, 413, "payload_too_large", f"the request body is limited to {self.max_body} bytes"
        )
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            await too_large(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_body:
                await too_large(scope, receive, send)
                return
            chunks.append(body)
            if not message.get("more_body"):
                break
        data = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": data, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


# --------------------------------------------------------------------------- the app


def create_app(store_url: str | None, token: str | None, max_body: int = DEFAULT_MAX_BODY) -> FastAPI:
    """The web UI and JSON API over the store at `store_url` (else `$ONDIT_DB`, else ./ondit.db).

    `token`: the bearer token `POST /api/articles` requires; None (or empty) makes the server read-only.
    """
    store = open_store(store_url)
    index = views.ClaimIndex(store)
    env = environment()
    secret = token.encode() if token else None
    extract_lock = threading.Lock()  # one extraction at a time: spaCy's pipeline is shared

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:  # pragma: no cover - run by servers
        yield
        store.close()

    app = FastAPI(
        lifespan=lifespan,
        title="ondit",
        version=__version__,
        description="Sourced, certainty-graded, dated claims about companies, and what became of them.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.add_middleware(BodyLimit, max_body=max_body)
    app.add_middleware(SecurityHeaders)

    # ----------------------------------------------------------------- errors

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        response = _error_response(request.url.path, exc.status, exc.code, exc.message)
        response.headers.update(exc.headers or {})
        return response

    @app.exception_handler(views.NotFound)
    async def _not_found(request: Request, exc: views.NotFound) -> Response:
        return _error_response(request.url.path, 404, "not_found", str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 400:  # FastAPI could not parse the body (not UTF-8, not JSON): a bad parameter
            return _error_response(request.url.path, 422, "invalid_parameter", "the body is not valid JSON")
        code = STATUS_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        response = _error_response(request.url.path, exc.status_code, code, message)
        response.headers.update(exc.headers or {})
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        fields = []
        for err in exc.errors():
            loc = [p if isinstance(p, int) else str(p) for p in err.get("loc", ())]
            fields.append({"loc": loc, "message": str(err.get("msg", "invalid"))})
        where = ", ".join(
            ".".join(str(p) for p in f["loc"][1:]) or str(f["loc"][0]) for f in fields if f["loc"]
        )
        message = f"invalid parameter: {where}" if where else "invalid request"
        if not request.url.path.startswith("/api"):
            return _error_response(request.url.path, 422, "invalid_parameter", message)
        body = {"error": {"code": "invalid_parameter", "message": message, "fields": fields}}
        return JSONResponse(body, status_code=422)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        log.exception("error on %s %s", request.method, request.url.path)
        return _error_response(request.url.path, 500, "internal_error", "internal server error")

    # ----------------------------------------------------------------- helpers

    def require_token(cred: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)]) -> None:
        if secret is None:
            raise ApiError(403, "read_only", "this server is read-only (start it with --token to ingest)")
        given = cred.credentials.encode() if cred is not None else b""
        if not hmac.compare_digest(given, secret):
            raise ApiError(
                401, "unauthorized", "a valid bearer token is required", {"WWW-Authenticate": "Bearer"}
            )

    def parse_published(value: str | None) -> PubDate | None:
        if value is None or not value.strip():
            return None
        try:
            return PubDate.parse(value)
        except BadDateError as e:
            raise ApiError(422, "invalid_parameter", f"published: {e}") from e

    def run_extraction(article: Article) -> ArticleExtraction:
        from ondit.extract.run import extract_article

        try:
            with extract_lock:
                return extract_article(article)
        except InputError as e:
            raise ApiError(422, "unusable_text", e.reason) from e
        except Exception as e:  # the extractor's own failure on this text: reported like ingest does
            log.exception("extraction failed")
            raise ApiError(422, "unusable_text", f"extraction failed: {type(e).__name__}") from e

    def render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(standalone=False, **context), status_code=status)

    def entity_context(entity_id: int, as_of: dt.date | None) -> dict[str, Any]:
        return entity_page_context(store, entity_id, as_of)

    # ----------------------------------------------------------------- JSON API

    @app.get("/api/entities", response_model=schemas.EntityList, responses=_errors(422), tags=["entities"])
    def api_entities(
        q: Annotated[str | None, Query(max_length=200, description="Part of a name or alias.")] = None,
        type: Annotated[EntityTypeName | None, Query()] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> dict[str, Any]:
        """Entities, those named like `q` (name or alias, case and accents ignored) first."""
        found = views.entity_list(store, q, type)
        return {"entities": found[:limit], "total": len(found)}

    @app.get(
        "/api/entities/{entity_id}",
        response_model=schemas.EntityOut,
        responses=_errors(404, 422),
        tags=["entities"],
    )
    def api_entity(entity_id: IdPath) -> dict[str, Any]:
        """One entity: type, parent, aliases, numbers of mentions and claims."""
        return views.entity_view(store, entity_id)

    @app.get(
        "/api/entities/{entity_id}/story",
        response_model=schemas.Story,
        responses=_errors(404, 422),
        tags=["entities"],
    )
    def api_story(entity_id: IdPath, as_of: Annotated[dt.date | None, Query()] = None) -> dict[str, Any]:
        """The claims the entity is party to, grouped by counterpart, with their states (as of a day)."""
        return views.story_view(store, entity_id, as_of)

    @app.get("/api/claims", response_model=schemas.ClaimList, responses=_errors(422), tags=["claims"])
    def api_claims(
        entity: Annotated[str | None, Query(max_length=200, description="An entity id or name.")] = None,
        type: Annotated[ClaimTypeName | None, Query()] = None,
        state: Annotated[StateName | None, Query()] = None,
        since: Annotated[dt.date | None, Query(description="With a report on or after this day.")] = None,
        until: Annotated[dt.date | None, Query(description="With a report on or before this day.")] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        cursor: Annotated[str | None, Query(max_length=200, description="The last `next_cursor`.")] = None,
    ) -> dict[str, Any]:
        """Claims, newest last report first, a page at a time."""
        try:
            page, nxt = index.page(entity, type, state, since, until, limit, cursor)
        except views.BadCursor as e:
            raise ApiError(422, "invalid_cursor", str(e)) from e
        return {"claims": [c.to_json() for c in page], "next_cursor": nxt}

    @app.get(
        "/api/claims/{claim_id}",
        response_model=schemas.ClaimDetail,
        responses=_errors(404, 422),
        tags=["claims"],
    )
    def api_claim(claim_id: IdPath) -> dict[str, Any]:
        """One claim: every report (source chain, certainty, cue, evidence and offsets), its transitions."""
        return views.claim_view(store, claim_id)

    @app.get("/api/sources", response_model=schemas.SourceList, tags=["sources"])
    def api_sources() -> dict[str, Any]:
        """Each credited source's track record: claims right, wrong, open; reliability with its count."""
        return {"sources": store.track_record()}

    @app.get(
        "/api/articles/{article_id}",
        response_model=schemas.ArticleOut,
        responses=_errors(404, 422),
        tags=["articles"],
    )
    def api_article(article_id: ArticleIdPath) -> dict[str, Any]:
        """A stored article: its text, the entities mentioned, its reports with evidence and cue offsets."""
        return views.article_view(store, article_id)

    @app.post(
        "/api/extract",
        response_model=schemas.ExtractionOut,
        responses=_errors(413, 422),
        tags=["extraction"],
    )
    def api_extract(body: schemas.ExtractIn) -> dict[str, Any]:
        """Extract one article's claims; nothing is stored."""
        art = Article(
            text=body.text,
            title=body.title,
            published=parse_published(body.published),
            outlet=body.outlet or None,
            lang=body.lang or None,
            origin="request",
        )
        return views.extraction_view(run_extraction(art))

    @app.post(
        "/api/articles",
        response_model=schemas.IngestOut,
        status_code=201,
        responses={
            200: {"model": schemas.IngestOut, "description": "Already stored."},
            **_errors(401, 403, 413, 422),
        },
        tags=["articles"],
        dependencies=[Depends(require_token)],
        # the body is read after the token is checked (a declared body would be parsed before it)
        openapi_extra={"requestBody": ARTICLE_BODY},
    )
    async def api_ingest(request: Request, response: Response) -> dict[str, Any]:
        """Extract and store one article (bearer token required; 403 on a read-only server)."""
        raw = await request.body()
        try:
            body = schemas.ArticleIn.model_validate_json(raw)
        except ValidationError as e:
            errors = [{**err, "loc": ("body", *err.get("loc", ()))} for err in e.errors(include_url=False)]
            raise RequestValidationError(errors) from e
        art = Article(
            text=body.text,
            title=body.title,
            id=body.id,
            url=body.url,
            published=parse_published(body.published),
            outlet=body.outlet or None,
            lang=body.lang or None,
            origin="api",
        )

        def write() -> tuple[ArticleExtraction, bool]:
            ex = run_extraction(art)
            return ex, store.add(ex, origin="api")

        ex, stored = await run_in_threadpool(write)
        index.invalidate()
        if not stored:
            response.status_code = 200
        return {"id": ex.id, "stored": stored, "claims": len(ex.claims)}

    # ----------------------------------------------------------------- pages

    @app.get("/static/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(
            plotly_js_path(), media_type="text/javascript", headers={"Cache-Control": "max-age=86400"}
        )

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def home(q: str | None = Query(None, max_length=200)) -> HTMLResponse:
        results = views.entity_list(store, q)[:50] if q and q.strip() else None
        latest = [c.to_json() for c in index.all()[:20]]
        return render("home.html", q=q or "", results=results, latest=latest, stats=store.stats())

    @app.get("/entities/{entity_id}", include_in_schema=False)
    def entity_page(entity_id: IdPath, as_of: Annotated[dt.date | None, Query()] = None) -> HTMLResponse:
        return render("entity.html", **entity_context(entity_id, as_of))

    @app.get("/claims/{claim_id}", include_in_schema=False)
    def claim_page(claim_id: IdPath) -> HTMLResponse:
        claim = views.claim_view(store, claim_id)
        by_id = {r["id"]: r for r in claim["reports"]}
        return render("claim.html", claim=claim, by_id=by_id)

    @app.get("/articles/{article_id}", include_in_schema=False)
    def article_page(article_id: ArticleIdPath) -> HTMLResponse:
        view = views.article_view(store, article_id)
        return render("article.html", article=view, **views.article_page(view))

    @app.get("/sources", include_in_schema=False)
    def sources_page(
        sort: Annotated[SourceColumn, Query()] = "reliability",
        order: Annotated[Literal["asc", "desc"], Query()] = "desc",
    ) -> HTMLResponse:
        rows = store.track_record()
        rows.sort(key=lambda r: r["source"].casefold())
        rows.sort(
            key=lambda r: r[sort].casefold() if isinstance(r[sort], str) else (r[sort], r["n"]),
            reverse=order == "desc",
        )
        return render("sources.html", sources=rows, sort=sort, order=order)

    @app.get("/try", include_in_schema=False)
    def try_page() -> HTMLResponse:
        return render("try.html", text="", published="", result=None, error=None)

    @app.post("/try", include_in_schema=False)
    async def try_submit(request: Request) -> HTMLResponse:
        form = parse_qs((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)
        text = (form.get("text") or [""])[0]
        published = (form.get("published") or [""])[0].strip()
        try:
            art = Article(text=text, published=parse_published(published), origin="try")
            ex = views.extraction_view(await run_in_threadpool(run_extraction, art))
        except ApiError as e:
            failed = {"text": text, "published": published, "result": None, "error": e.message}
            return render("try.html", status=422, **failed)
        return render(
            "try.html", text=text, published=published, result=ex, error=None, **views.extraction_page(ex)
        )

    return app


def entity_page_context(store: Store, entity_id: int, as_of: dt.date | None = None) -> dict[str, Any]:
    """What the entity page (and `ondit report`) shows: the entity, its story, each claim's reports, the
    chart's data and the counterparts graph."""
    entity = views.entity_view(store, entity_id)
    story = views.story_view(store, entity_id, as_of)
    details = {c["id"]: views.claim_view(store, c["id"], as_of) for c in story["claims"]}
    return {
        "entity": entity,
        "story": story,
        "details": details,
        "chart": views.timeline(story, details),
        "graph": views.counterpart_graph(store, story),
        "as_of": as_of.isoformat() if as_of else "",
    }
