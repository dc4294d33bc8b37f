"""The HTTP API: a FastAPI app over one store, built by :func:`create_app`.

Every route is a thin wrapper over :mod:`newsevents.store.query`. Every 4xx/5xx response has one
shape, ``{"error": {"code", "message", "detail"}}`` (:class:`~newsevents.api.models.ErrorBody`).
The store is opened read-only by default; ``/api/code`` needs the token when one is configured;
every response carries security headers (CSP ``default-src 'self'``, no framing, no sniffing).

What the web UI (``newsevents.web.install``) can rely on: ``app.state.store`` (the open
:class:`~newsevents.store.engine.Store`), ``app.state.token_required``, and
``app.state.content_security_policy`` (a string it may extend, read on every response).
"""

from __future__ import annotations

import hmac
import importlib
import importlib.util
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, MutableMapping
from contextlib import asynccontextmanager
from typing import Annotated, Any, TypeVar

import sqlalchemy as sa
from fastapi import Depends, FastAPI, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsevents._version import __version__
from newsevents.api.downloads import FORMATS
from newsevents.api.models import (
    MAX_CODE_CHARS,
    MAX_PAGE,
    CodeRequest,
    CodeResponse,
    DownloadQuery,
    DyadsQuery,
    DyadsResponse,
    EntitiesResponse,
    ErrorBody,
    EventsPage,
    EventsQuery,
    Health,
    TimelineQuery,
    TimelineResponse,
)
from newsevents.errors import Errors, NewsEventsError
from newsevents.store import query

__all__ = ["CSP", "MAX_BODY_BYTES", "STATS_TTL_SECONDS", "Conn", "create_app", "error_response", "require_token"]

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1_000_000
"""Largest request body accepted (a 200,000-character text fits even in 4-byte UTF-8... nearly)."""

CSP = (
    "default-src 'self'; base-uri 'self'; form-action 'self'; object-src 'none'; frame-ancestors 'none'"
)

_STATUS: dict[str, int] = {
    "E601": 400,
    "E602": 400,
    "E603": 500,
    "E604": 404,
    "E605": 401,
    "E606": 413,
    "E607": 413,
    "E608": 405,
    "E609": 404,
    "E610": 500,
    "E611": 503,
}

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in ((400, "Bad request"), (404, "Not found"), (422, "Invalid parameters"), (500, "Internal error"))
}


def _message(err: NewsEventsError) -> str:
    text = str(err)
    prefix = f"[{err.code}] "
    return text[len(prefix):] if text.startswith(prefix) else text


def error_response(status: int, code: str, message: str, detail: Any = None) -> JSONResponse:
    """A response in the API's one error shape."""
    body = ErrorBody.model_validate({"error": {"code": code, "message": message, "detail": detail}})
    return JSONResponse(body.model_dump(mode="json"), status_code=status)


def _coded(status: int, error: Errors, body_detail: Any = None, **kwargs: object) -> JSONResponse:
    """An error response with ``error``'s message (formatted with ``kwargs``) and ``body_detail``."""
    return error_response(status, error.name, error.format(**kwargs)[len(error.name) + 3:], body_detail)


# -- middleware (plain ASGI, so streaming responses pass straight through) ----------------------


class SecurityHeaders:
    """Adds CSP, X-Content-Type-Options, Referrer-Policy and X-Frame-Options to every response."""

    def __init__(self, app: ASGIApp, state: Any) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _SECURITY_NAMES]
                csp = str(getattr(self.state, "content_security_policy", CSP))
                headers += [
                    (b"content-security-policy", csp.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                ]
                message["headers"] = headers
            await send(message)

        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send_with_headers(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as err:
            # answer here, inside this middleware, so a 500 carries the headers and the error shape
            logger.error("Internal error", exc_info=err)
            if started:
                raise
            response = _coded(500, Errors.E610, None, detail=type(err).__name__)
            await response(scope, receive, send_with_headers)


_SECURITY_NAMES = {
    b"content-security-policy", b"x-content-type-options", b"referrer-policy", b"x-frame-options",
    b"cross-origin-opener-policy",
}


class BodyLimit:
    """Rejects request bodies over ``limit`` bytes with 413 (declared or actually sent)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = self.limit + 1
                if declared > self.limit:
                    await self._reject(scope, receive, send, declared)
                    return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise NewsEventsError(Errors.E606, size=received, limit=self.limit)
            return message

        await self.app(scope, limited_receive, send)

    async def _reject(self, scope: Scope, receive: Receive, send: Send, size: int) -> None:
        response = _coded(413, Errors.E606, size=size, limit=self.limit)
        await response(scope, receive, send)


# -- the store ----------------------------------------------------------------------------------


def _open_store(url: str | None, *, readonly: bool) -> Any:
    """The store for ``url`` (``newsevents.store.open_store``, read-only unless asked otherwise)."""
    from newsevents.store import open_store

    return open_store(url, readonly=readonly, create=not readonly)


def _install_web(app: FastAPI) -> None:
    if importlib.util.find_spec("newsevents.web") is None:
        return
    module = importlib.import_module("newsevents.web")
    install = getattr(module, "install", None)
    if callable(install):
        install(app)


# -- a small cache for the statistics endpoints ------------------------------------------------

STATS_TTL_SECONDS = 30.0
"""How long a timeline/dyads answer is reused; the store only grows, so a bounded delay is fine."""


class _TTLCache:
    """A thread-safe LRU of at most ``size`` answers, each kept ``ttl`` seconds.

    Single-flight: concurrent requests for the same key wait for the one computation in progress
    instead of all running the same aggregate query at once.
    """

    def __init__(self, *, ttl: float, size: int = 512) -> None:
        self.ttl = ttl
        self.size = size
        self._items: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._inflight: dict[str, threading.Lock] = {}

    def _fresh(self, key: str) -> tuple[bool, Any]:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and time.monotonic() - hit[0] < self.ttl:
                self._items.move_to_end(key)
                return True, hit[1]
            return False, None

    def get_or_compute(self, key: str, compute: Callable[[], Any]) -> Any:
        found, value = self._fresh(key)
        if found:
            return value
        with self._lock:
            key_lock = self._inflight.setdefault(key, threading.Lock())
        with key_lock:
            found, value = self._fresh(key)  # computed by the request we waited for
            if found:
                return value
            now = time.monotonic()
            value = compute()
            with self._lock:
                self._items[key] = (now, value)
                self._items.move_to_end(key)
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
                self._inflight.pop(key, None)
        return value


# -- dependencies -------------------------------------------------------------------------------


def _conn(request: Request) -> Iterator[sa.Connection]:
    """A read connection to the app's store for one request."""
    with request.app.state.store.connect() as c:
        yield c


Conn = Annotated[sa.Connection, Depends(_conn)]


def require_token(request: Request) -> None:
    """Passes when no token is configured, or the request carries it (constant-time compare)."""
    expected: bytes | None = request.app.state.api_token
    if expected is None:
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        given = request.headers.get("x-newsevents-token", "")
    if not hmac.compare_digest(given.strip().encode(), expected):
        raise NewsEventsError(Errors.E605)


Authorized = Annotated[None, Depends(require_token)]


# -- the app ------------------------------------------------------------------------------------


def create_app(db: str | None = None, *, token: str | None = None, readonly: bool = True) -> FastAPI:
    """The API app over the store at ``db`` (``--db`` rules: None → ``$NEWSEVENTS_DB`` or ./newsevents.db).

    ``token``: when set, ``POST /api/code`` needs ``Authorization: Bearer <token>``.
    ``readonly``: open the store read-only (the default; the API never writes).
    """
    store = _open_store(db, readonly=readonly)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="newsevents API",
        version=__version__,
        description="Political event records (PLOVER/CAMEO) coded from news articles, with evidence spans.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        responses=_ERROR_RESPONSES,
    )
    app.state.store = store
    app.state.token_required = bool(token)
    app.state.content_security_policy = CSP
    app.state.api_token = token.encode() if token else None
    code_lock = threading.Lock()
    stats_cache = _TTLCache(ttl=STATS_TTL_SECONDS)
    app.state.stats_cache = stats_cache
    token_bytes = app.state.api_token

    _add_error_handlers(app)

    @app.get("/api/health", response_model=Health, tags=["meta"])
    def health(c: Conn) -> Health:
        return Health(
            status="ok", version=__version__, dialect=c.dialect.name, readonly=readonly,
            token_required=token_bytes is not None, counts=query.summary(c),
        )

    @app.get("/api/events", response_model=EventsPage, tags=["events"])
    def list_events(request: Request, params: Annotated[EventsQuery, Query()], c: Conn) -> Response:
        f = _filter(params)
        page = query.page_events(c, f, limit=params.limit, cursor=params.cursor, sort=params.sort, columns=query.LIST_COLUMNS)
        next_url = str(request.url.include_query_params(cursor=page.next_cursor)) if page.next_cursor else None
        # The rows are already typed by the schema, so the page is serialised directly rather than
        # re-validated through EventsPage (a 500-row page: ~1 ms instead of ~10 ms); the
        # response_model still documents it, and the tests check the two agree.
        body = {
            "items": [query.summary_dict(r) for r in page.rows],
            "next_cursor": page.next_cursor,
            "next": next_url,
            "sort": params.sort,
            "limit": params.limit,
            "total": query.count_events(c, f) if params.total else None,
        }
        return Response(json.dumps(body, ensure_ascii=False, separators=(",", ":")), media_type="application/json")

    for fmt, (media_type, chunks) in FORMATS.items():
        _add_download(app, store, fmt, media_type, chunks)

    @app.get("/api/events/{event_id}", response_model=query.EventDetail, tags=["events"])
    def event_detail(event_id: str, c: Conn) -> query.EventDetail:
        return _found(query.get_event(c, event_id), "event", event_id)

    @app.get("/api/articles/{article_id}", response_model=query.ArticleDetail, tags=["articles"])
    def article_detail(article_id: str, c: Conn) -> query.ArticleDetail:
        return _found(query.get_article(c, article_id), "article", article_id)

    @app.get("/api/clusters/{cluster_id}", response_model=query.ClusterDetail, tags=["events"])
    def cluster_detail(cluster_id: str, c: Conn) -> query.ClusterDetail:
        return _found(query.get_cluster(c, cluster_id), "cluster", cluster_id)

    @app.get("/api/entities", response_model=EntitiesResponse, tags=["entities"])
    def list_entities(
        c: Conn,
        q: Annotated[str | None, Query(max_length=200, description="substring of the entity name")] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    ) -> EntitiesResponse:
        return EntitiesResponse(q=q, items=query.entity_list(c, q, limit))

    @app.get("/api/stats/timeline", response_model=TimelineResponse, tags=["stats"])
    def stats_timeline(params: Annotated[TimelineQuery, Query()], c: Conn) -> Response:
        def compute() -> bytes:
            points = query.timeline(c, _filter(params), interval=params.interval, by=params.by)
            return TimelineResponse(interval=params.interval, by=params.by, points=points).model_dump_json().encode()

        body = stats_cache.get_or_compute("timeline:" + params.model_dump_json(), compute)
        return Response(body, media_type="application/json")

    @app.get("/api/stats/dyads", response_model=DyadsResponse, tags=["stats"])
    def stats_dyads(params: Annotated[DyadsQuery, Query()], c: Conn) -> Response:
        def compute() -> bytes:
            items = query.dyads(c, _filter(params), level=params.level, limit=params.limit)
            return DyadsResponse(level=params.level, items=items).model_dump_json().encode()

        body = stats_cache.get_or_compute("dyads:" + params.model_dump_json(), compute)
        return Response(body, media_type="application/json")

    @app.post(
        "/api/code",
        response_model=CodeResponse,
        tags=["code"],
        responses={401: {"model": ErrorBody, "description": "Token missing or wrong"},
                   413: {"model": ErrorBody, "description": "Text too long"}},
    )
    async def code_text(body: CodeRequest, _auth: Authorized) -> CodeResponse:
        return await run_in_threadpool(_code, body, code_lock)

    _install_web(app)
    return app


_T = TypeVar("_T")


def _found(value: _T | None, what: str, ident: str) -> _T:
    """``value``, or the coded 404 (E604) for the ``what`` with id ``ident`` that is not there."""
    if value is None:
        raise NewsEventsError(Errors.E604, what=what, id=ident)
    return value


def _filter(params: query.EventFilter) -> query.EventFilter:
    names = query.EventFilter.model_fields
    try:
        return query.EventFilter.model_validate({k: v for k, v in params.model_dump().items() if k in names})
    except ValidationError as err:  # e.g. a code that grows past its limit when upper-cased ("ß" → "SS")
        raise RequestValidationError(err.errors()) from err


def _code(body: CodeRequest, lock: threading.Lock) -> CodeResponse:
    from newsevents.model import Article
    from newsevents.pipeline import code_many

    if len(body.text) > MAX_CODE_CHARS:  # also enforced by the model; kept for direct callers
        raise NewsEventsError(Errors.E607, size=len(body.text), limit=MAX_CODE_CHARS)
    article = Article(id=body.id, text=body.text, date=body.date, title=body.title, url=body.url, source=body.source)
    with lock:  # one document at a time through the shared spaCy pipeline
        result = next(iter(code_many([article])))
    return CodeResponse(doc_id=article.id, events=result.events, entities=result.entities, error=result.error)


def _add_download(
    app: FastAPI, store: Any, fmt: str, media_type: str, chunks: Callable[..., Iterator[bytes]]
) -> None:
    def download(params: Annotated[DownloadQuery, Query()]) -> StreamingResponse:
        f = _filter(params)
        query.normalise_sort(params.sort)

        def stream() -> Iterator[bytes]:
            with store.connect() as c:
                yield from chunks(c, f, sort=params.sort, max_rows=params.max_rows)

        return StreamingResponse(
            stream(),
            media_type=media_type,
            headers={"content-disposition": f'attachment; filename="events.{fmt}"'},
        )

    app.add_api_route(
        f"/api/events.{fmt}",
        download,
        methods=["GET"],
        tags=["downloads"],
        summary=f"Download matching events as {fmt.upper()}",
        response_class=StreamingResponse,
        responses={200: {"content": {media_type.split(";")[0]: {}}, "description": f"events as {fmt}"}},
        name=f"download_{fmt}",
    )


def _add_error_handlers(app: FastAPI) -> None:
    async def coded(_request: Request, err: Exception) -> JSONResponse:
        assert isinstance(err, NewsEventsError)
        status = _STATUS.get(err.code)
        if status is None:  # store errors (E4xx) mean the service is unavailable
            status = 503 if err.code.startswith("E4") else 400
        detail = {k: v for k, v in err.detail.items() if isinstance(v, str | int | float | bool)} or None
        return error_response(status, err.code, _message(err), detail)

    async def invalid(_request: Request, err: Exception) -> JSONResponse:
        assert isinstance(err, RequestValidationError)
        detail = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in err.errors()
        ]
        names = ", ".join(sorted({d["loc"][-1] for d in detail if d["loc"]})) or "request"
        return _coded(422, Errors.E601, detail, name=names, detail=detail[0]["msg"] if detail else "invalid")

    async def http_error(request: Request, err: Exception) -> JSONResponse:
        assert isinstance(err, StarletteHTTPException)
        if err.status_code == 404:
            return _coded(404, Errors.E609, path=request.url.path)
        if err.status_code == 405:
            allowed = (err.headers or {}).get("Allow", "")
            return _coded(405, Errors.E608, method=request.method, path=request.url.path, allowed=allowed or "GET")
        if err.status_code >= 500:
            return _coded(err.status_code, Errors.E610, None, detail=str(err.detail))
        return _coded(err.status_code, Errors.E601, None, name="request", detail=str(err.detail))

    async def internal(_request: Request, err: Exception) -> JSONResponse:
        logger.error("Internal error", exc_info=err)
        return _coded(500, Errors.E610, None, detail=type(err).__name__)

    app.add_exception_handler(NewsEventsError, coded)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, internal)
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    app.add_middleware(SecurityHeaders, state=app.state)
