"""The HTML pages of the web UI and their JSON twins.

Every page ``/PATH`` has a twin ``/PATH.json`` (``/index.json`` for ``/``) and answers
``?format=json`` too; both return exactly the dict the template renders (see
:mod:`newsevents.web.data`). Pages read the store the API app keeps in ``app.state.store``.
HTML responses carry a strict Content-Security-Policy (``default-src 'self'``): every script and
style is a static file, and pages pass data through ``data-`` attributes or their JSON twin.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.engine import Connection
from starlette.concurrency import run_in_threadpool

from newsevents.errors import NewsEventsError
from newsevents.model import EVENT_TYPES
from newsevents.web import data
from newsevents.web.highlight import KINDS, HighlightSpan, render_highlighted

__all__ = ["CSP", "STATIC_DIR", "TEMPLATES_DIR", "VENDOR_DIR", "install"]

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"
VENDOR_DIR = WEB_DIR / "node_modules"
CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
NAV = (
    ("/", "Events"),
    ("/timeline", "Timeline"),
    ("/network", "Network"),
    ("/map", "Map"),
    ("/code", "Code a text"),
)
FACTUALITIES = ("asserted", "reported", "future", "intended", "hypothetical", "negated")

Params = Mapping[str, Sequence[str]]


def _params(request: Request) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        out.setdefault(key, []).append(value)
    return out


@contextmanager
def _connection(request: Request) -> Iterator[Connection]:
    store = getattr(request.app.state, "store", None)
    if store is None:
        raise RuntimeError("the web UI needs app.state.store (set by newsevents.api.create_app)")
    with store.connect() as conn:
        yield conn


def _wants_json(request: Request, twin: bool) -> bool:
    return twin or request.query_params.get("format") == "json"


def _error_payload(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "detail": None}}


def _split_error(err: Exception) -> tuple[str, str]:
    text = str(err)
    if text.startswith("[E") and "] " in text[:8]:
        code, _, message = text[1:].partition("] ")
        return code, message
    return "E604" if isinstance(err, data.NotFound) else "E601", text


def _query_string(params: Params, **changes: str | None) -> str:
    """The current query string with some parameters replaced (None removes them)."""
    items = [(k, v) for k, values in params.items() if k not in changes and k != "format" for v in values]
    items += [(k, v) for k, v in changes.items() if v is not None]
    return urlencode(items)


def _download_links(params: Params) -> dict[str, str]:
    keep = {k: v for k, v in params.items() if k not in ("cursor", "limit", "sort", "format")}
    qs = _query_string(keep)
    return {fmt: f"/api/events.{fmt}" + (f"?{qs}" if qs else "") for fmt in ("csv", "jsonl", "parquet")}


def _spans(payload: Mapping[str, Any]) -> list[HighlightSpan]:
    return [
        HighlightSpan(s["kind"], s["start"], s["end"], s["text"], s.get("label", ""), tuple(s.get("event_ids", ())))
        for s in payload.get("spans", [])
    ]


def _sentence_html(summary: Mapping[str, Any]) -> Any:
    trig = summary.get("sentence_trigger")
    sentence = summary.get("sentence") or ""
    spans = []
    if trig:
        spans.append(HighlightSpan("trigger", trig["start"], trig["end"], sentence[trig["start"] : trig["end"]]))
    return render_highlighted(sentence, spans)


class _Pages:
    def __init__(self, templates: Jinja2Templates) -> None:
        self.templates = templates

    def respond(
        self,
        request: Request,
        template: str,
        twin: bool,
        build: Callable[[Connection, Params], dict[str, Any]],
        extra: Callable[[dict[str, Any], Params], dict[str, Any]] | None = None,
    ) -> Response:
        params = _params(request)
        want_json = _wants_json(request, twin)
        try:
            with _connection(request) as conn:
                payload = build(conn, params)
        except data.NotFound as err:
            return self.error(request, 404, err, want_json)
        except NewsEventsError as err:
            return self.error(request, 400, err, want_json)
        if want_json:
            return JSONResponse(payload)
        context: dict[str, Any] = {"data": payload, "params": params}
        if extra is not None:
            context.update(extra(payload, params))
        return self.html(request, template, context)

    def html(self, request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
        base = {
            "nav": NAV,
            "path": request.url.path,
            "json_url": request.url.path.rstrip("/") + ".json" if request.url.path != "/" else "/index.json",
            "query": request.url.query,
            "kinds": KINDS,
        }
        response = self.templates.TemplateResponse(request, template, {**base, **context}, status_code=status)
        response.headers.update(SECURITY_HEADERS)
        return response

    def error(self, request: Request, status: int, err: Exception, want_json: bool) -> Response:
        code, message = _split_error(err)
        if want_json:
            return JSONResponse(_error_payload(code, message), status_code=status)
        context = {"status": status, "code": code, "message": message}
        return self.html(request, "error.html", context, status=status)


def _search_extra(payload: dict[str, Any], params: Params) -> dict[str, Any]:
    nxt = payload.get("next_cursor")
    return {
        "event_types": EVENT_TYPES,
        "quad_classes": data.QUAD_CLASSES,
        "factualities": FACTUALITIES,
        "sorts": data.SORTS,
        "downloads": _download_links(params),
        "next_url": "/?" + _query_string(params, cursor=nxt) if nxt else None,
        "first_url": "/?" + _query_string(params, cursor=None) if payload.get("cursor") else None,
        "sentences": {e["event_id"]: _sentence_html(e) for e in payload["events"]},
        "selected": {k: set(v) for k, v in params.items()},
    }


def _text_extra(payload: dict[str, Any], params: Params) -> dict[str, Any]:
    text = payload["article"]["text"]
    spans = _spans(payload)
    present = {s.kind for s in spans}
    return {
        "article_html": render_highlighted(text, spans),
        "legend": [(k, label) for k, label in KINDS.items() if k in present],
        "sentences": {e["event_id"]: _sentence_html(e) for e in payload.get("events", [])},
    }


def _chart_extra(payload: dict[str, Any], params: Params) -> dict[str, Any]:
    return {
        "event_types": EVENT_TYPES,
        "quad_classes": data.QUAD_CLASSES,
        "selected": {k: set(v) for k, v in params.items()},
    }


def install(app: FastAPI) -> None:
    """Add the HTML pages (and their JSON twins), ``/static`` and ``/static/vendor`` to ``app``.

    The pages read the store from ``app.state.store`` (an object with a ``connect()`` context
    manager yielding an SQLAlchemy connection, such as :class:`newsevents.store.Store`).
    """
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    pages = _Pages(templates)
    router = APIRouter(include_in_schema=False)

    def add(path: str, twin_path: str, endpoint: Callable[[Request, bool], Any]) -> None:
        async def page(request: Request) -> Response:
            return await _run(endpoint, request, False)

        async def twin(request: Request) -> Response:
            return await _run(endpoint, request, True)

        router.add_api_route(twin_path, twin, methods=["GET"], name=f"{endpoint.__name__}_json")
        router.add_api_route(path, page, methods=["GET"], name=endpoint.__name__, response_class=HTMLResponse)

    async def _run(endpoint: Callable[[Request, bool], Any], request: Request, twin: bool) -> Response:
        result: Response = await run_in_threadpool(endpoint, request, twin)
        return result

    def search(request: Request, twin: bool) -> Response:
        return pages.respond(request, "search.html", twin, data.search_page, _search_extra)

    def event(request: Request, twin: bool) -> Response:
        event_id = request.path_params["event_id"]
        return pages.respond(request, "event.html", twin, lambda c, p: data.event_page(c, event_id), _text_extra)

    def article(request: Request, twin: bool) -> Response:
        article_id = request.path_params["article_id"]
        return pages.respond(
            request, "article.html", twin, lambda c, p: data.article_page(c, article_id), _text_extra
        )

    def timeline(request: Request, twin: bool) -> Response:
        return pages.respond(request, "timeline.html", twin, data.timeline_page, _chart_extra)

    def network(request: Request, twin: bool) -> Response:
        return pages.respond(request, "network.html", twin, data.network_page, _chart_extra)

    def world_map(request: Request, twin: bool) -> Response:
        return pages.respond(
            request, "map.html", twin, lambda c, p: data.map_page(c, p, VENDOR_DIR), _chart_extra
        )

    def code(request: Request, twin: bool) -> Response:
        payload = {
            "endpoint": "/api/code",
            "method": "POST",
            "fields": {"text": "article text (required)", "date": "publication date, YYYY-MM-DD (optional)"},
            "kinds": KINDS,
        }
        if _wants_json(request, twin):
            return JSONResponse(payload)
        return pages.html(request, "code.html", {"data": payload, "params": _params(request)})

    add("/", "/index.json", search)
    add("/events/{event_id}", "/events/{event_id}.json", event)
    add("/articles/{article_id}", "/articles/{article_id}.json", article)
    add("/timeline", "/timeline.json", timeline)
    add("/network", "/network.json", network)
    add("/map", "/map.json", world_map)
    add("/code", "/code.json", code)
    app.include_router(router)
    app.mount("/static/vendor", StaticFiles(directory=str(VENDOR_DIR), check_dir=False), name="vendor")
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    if not VENDOR_DIR.is_dir():
        logger.warning(
            "front-end libraries are not installed (%s is missing): the map shows no countries and the "
            "network page draws without d3-force; run `npm ci` in %s",
            VENDOR_DIR,
            WEB_DIR,
        )
