"""The data behind each page, as plain JSON-ready dicts.

Every page is rendered from exactly the dict its JSON twin returns, so what a person sees and
what a script downloads cannot drift apart. Filtering goes through
:mod:`newsevents.store.query` (``EventFilter``, ``select_events``, ``page_events``); the page
specific aggregations (facets, time buckets, dyads, map points) group over ``select_events``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.engine import Connection

from newsevents.errors import Errors, NewsEventsError
from newsevents.model import Event
from newsevents.store import schema
from newsevents.store.query import (
    LIST_COLUMNS,
    ClusterDetail,
    EventFilter,
    dyads,
    get_article,
    get_event,
    page_events,
    select_events,
    timeline,
)
from newsevents.web.highlight import HighlightSpan, event_spans, merge_spans

__all__ = [
    "FILTER_LIST_FIELDS",
    "QUAD_CLASSES",
    "NotFound",
    "article_page",
    "event_page",
    "map_page",
    "network_page",
    "parse_filter",
    "search_page",
    "timeline_page",
    "vendor_status",
]

QUAD_CLASSES: dict[int, str] = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}

FILTER_LIST_FIELDS = ("event_type", "quad_class", "factuality")
FILTER_TEXT_FIELDS = (
    "mode",
    "country",
    "actor_country",
    "recipient_country",
    "actor",
    "recipient",
    "sector",
    "place_country",
    "place",
    "q",
    "article_id",
    "cluster_id",
)
FILTER_DATE_FIELDS = ("date_from", "date_to")
FILTER_BOOL_FIELDS = ("reported", "include_duplicates")

VENDOR_FILES = (
    "world-atlas/countries-110m.json",
    "topojson-client/dist/topojson-client.min.js",
    "d3-dispatch/dist/d3-dispatch.min.js",
    "d3-quadtree/dist/d3-quadtree.min.js",
    "d3-timer/dist/d3-timer.min.js",
    "d3-force/dist/d3-force.min.js",
)
MAX_LIMIT = 200
SORTS = ("date_desc", "date_asc", "confidence_desc", "goldstein_asc")
_SEARCH_COLUMNS = (*LIST_COLUMNS, "evidence_start", "trigger_start", "trigger_end")
MAX_BUCKETS = 2000


class NotFound(LookupError):
    """The event, article or cluster asked for is not in the store."""


def quad_class_name_safe(value: int) -> str:
    return QUAD_CLASSES.get(value, str(value))


# --------------------------------------------------------------------------- filters


def _bad(name: str, detail: str) -> NewsEventsError:
    return NewsEventsError(Errors.E601, name=name, detail=detail)


def _as_bool(name: str, value: str) -> bool:
    low = value.strip().lower()
    if low in ("1", "true", "yes", "on"):
        return True
    if low in ("0", "false", "no", "off"):
        return False
    raise _bad(name, f"expected true or false, got {value!r}")


def parse_filter(params: Mapping[str, Sequence[str]]) -> tuple[EventFilter, dict[str, Any]]:
    """An :class:`EventFilter` from query parameters, and the active parameters (for the page).

    ``params`` maps a name to all its values (repeatable parameters such as ``event_type``).
    Empty values are ignored so that a submitted form with blank fields filters nothing.
    """
    kwargs: dict[str, Any] = {}
    for name in FILTER_LIST_FIELDS:
        values = [v.strip() for raw in params.get(name, []) for v in raw.split(",") if v.strip()]
        if not values:
            continue
        if name == "quad_class":
            try:
                kwargs[name] = sorted({int(v) for v in values})
            except ValueError as e:
                raise _bad(name, "expected integers 1-4") from e
        else:
            kwargs[name] = values
    for name in FILTER_TEXT_FIELDS:
        texts = [v.strip() for v in params.get(name, []) if v.strip()]
        if texts:
            kwargs[name] = texts[-1]
    for name in FILTER_DATE_FIELDS:
        texts = [v.strip() for v in params.get(name, []) if v.strip()]
        if texts:
            try:
                kwargs[name] = dt.date.fromisoformat(texts[-1])
            except ValueError as e:
                raise _bad(name, f"expected an ISO date such as 2024-03-05, got {texts[-1]!r}") from e
    for name in FILTER_BOOL_FIELDS:
        texts = [v.strip() for v in params.get(name, []) if v.strip()]
        if texts:
            kwargs[name] = _as_bool(name, texts[-1])
    try:
        flt = EventFilter(**kwargs)
    except ValidationError as e:
        first = e.errors()[0]
        raise _bad(".".join(str(p) for p in first["loc"]) or "filter", first["msg"]) from e
    active = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in kwargs.items()}
    return flt, active


def _int_param(params: Mapping[str, Sequence[str]], name: str, default: int, lo: int, hi: int) -> int:
    values = [v for v in params.get(name, []) if v.strip()]
    if not values:
        return default
    try:
        value = int(values[-1])
    except ValueError as e:
        raise _bad(name, f"expected an integer, got {values[-1]!r}") from e
    if not lo <= value <= hi:
        raise _bad(name, f"expected {lo}..{hi}, got {value}")
    return value


def _choice(params: Mapping[str, Sequence[str]], name: str, options: Sequence[str]) -> str:
    values = [v for v in params.get(name, []) if v.strip()]
    if not values:
        return options[0]
    if values[-1] not in options:
        raise _bad(name, f"expected one of {', '.join(options)}, got {values[-1]!r}")
    return values[-1]


# --------------------------------------------------------------------------- rows


def _iso(value: object) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def event_summary(row: Mapping[str, Any]) -> dict[str, Any]:
    """The short form of one event row used in lists (search results, article, cluster)."""
    sentence = row.get("sentence") or ""
    ev_start = row.get("evidence_start")
    t_start, t_end = row.get("trigger_start"), row.get("trigger_end")
    trigger: dict[str, int] | None = None
    if isinstance(ev_start, int) and isinstance(t_start, int) and isinstance(t_end, int):
        rel_start, rel_end = t_start - ev_start, t_end - ev_start
        if 0 <= rel_start < rel_end <= len(sentence):
            trigger = {"start": rel_start, "end": rel_end}
    quad = row.get("quad_class")
    return {
        "event_id": row["event_id"],
        "article_id": row.get("article_id"),
        "doc_id": row.get("doc_id"),
        "event_type": row.get("event_type"),
        "mode": row.get("mode"),
        "cameo": row.get("cameo"),
        "quad_class": quad,
        "quad_class_name": quad_class_name_safe(quad) if isinstance(quad, int) else None,
        "goldstein": row.get("goldstein"),
        "factuality": row.get("factuality"),
        "actor_name": row.get("actor_name"),
        "actor_country": row.get("actor_country"),
        "recipient_name": row.get("recipient_name"),
        "recipient_country": row.get("recipient_country"),
        "reported_by": row.get("reported_by"),
        "date": _iso(row.get("date")),
        "date_precision": row.get("date_precision"),
        "place_name": row.get("place_name"),
        "place_country": row.get("place_country"),
        "dead": row.get("dead"),
        "injured": row.get("injured"),
        "arrested": row.get("arrested"),
        "confidence": row.get("confidence"),
        "cluster_id": row.get("cluster_id"),
        "duplicate_article": row.get("duplicate_article"),
        "sentence": sentence,
        "sentence_trigger": trigger,
    }


def _facet_rows(flt: EventFilter, field: str) -> sa.Subquery:
    """The events a facet counts: the filter without the facet's own field, so that ticking one
    event type still shows how many events the other types would add."""
    default = EventFilter.model_fields[field].get_default(call_default_factory=True)
    return select_events(flt.model_copy(update={field: default}), columns=[field]).subquery()


def _facet(conn: Connection, sub: sa.Subquery, column: str, limit: int = 40) -> list[dict[str, Any]]:
    col = sub.c[column]
    n = sa.func.count().label("n")
    stmt = sa.select(col, n).where(col.is_not(None)).group_by(col).order_by(n.desc(), col).limit(limit)
    return [{"value": value, "count": count} for value, count in conn.execute(stmt)]


# --------------------------------------------------------------------------- pages


def search_page(conn: Connection, params: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """``/``: one page of events for the filter, facet counts and download links."""
    flt, active = parse_filter(params)
    limit = _int_param(params, "limit", 50, 1, MAX_LIMIT)
    sort = _choice(params, "sort", SORTS)
    cursors = [c for c in params.get("cursor", []) if c.strip()]
    cursor = cursors[-1] if cursors else None
    page = page_events(conn, flt, limit=limit, cursor=cursor, sort=sort, columns=_SEARCH_COLUMNS)
    sub = select_events(flt, columns=["event_id"]).subquery()
    facets = {
        "event_type": _facet(conn, _facet_rows(flt, "event_type"), "event_type"),
        "quad_class": [
            dict(f, label=quad_class_name_safe(int(f["value"])))
            for f in _facet(conn, _facet_rows(flt, "quad_class"), "quad_class")
        ],
        "factuality": _facet(conn, _facet_rows(flt, "factuality"), "factuality"),
        "actor_country": _facet(conn, _facet_rows(flt, "actor_country"), "actor_country", 30),
        "recipient_country": _facet(conn, _facet_rows(flt, "recipient_country"), "recipient_country", 30),
    }
    total = conn.execute(sa.select(sa.func.count()).select_from(sub)).scalar_one()
    return {
        "filter": active,
        "limit": limit,
        "sort": sort,
        "cursor": cursor,
        "total": int(total),
        "events": [event_summary(dict(r._mapping)) for r in page.rows],
        "next_cursor": page.next_cursor,
        "facets": facets,
    }


def _not_found(what: str, ident: str) -> NotFound:
    return NotFound(Errors.E604.format(what=what, id=ident))


def _spans(events: Sequence[Event], text: str, *, with_sentence: bool) -> list[HighlightSpan]:
    spans: list[HighlightSpan] = []
    for event in events:
        spans.extend(event_spans(event, text, with_sentence=with_sentence))
    return merge_spans(spans)


def _source_table(cluster: ClusterDetail) -> list[dict[str, Any]]:
    """Who reported which numbers: one row per source (outlet), with the counts it gave."""
    rows: dict[str, dict[str, Any]] = {}
    for m in cluster.mentions:
        key = m.source or m.title or m.article_id
        row = rows.setdefault(key, {"source": key, "articles": 0, "dead": set(), "injured": set(), "arrested": set()})
        row["articles"] += 1
        for kind in ("dead", "injured", "arrested"):
            value = getattr(m, kind)
            if value is not None:
                row[kind].add(value)
    out = []
    for row in rows.values():
        out.append({k: (sorted(v) if isinstance(v, set) else v) for k, v in row.items()})
    return out


def event_page(conn: Connection, event_id: str) -> dict[str, Any]:
    """``/events/{id}``: the event record, its article text, spans to highlight, its cluster."""
    detail = get_event(conn, event_id)
    if detail is None:
        raise _not_found("event", event_id)
    text = conn.execute(
        sa.select(schema.articles.c.text).where(schema.articles.c.article_id == detail.article_id)
    ).scalar_one()
    cluster: dict[str, Any] | None = None
    if detail.cluster is not None:
        cluster = detail.cluster.model_dump(mode="json")
        cluster["by_source"] = _source_table(detail.cluster)
    return {
        "event": detail.event.to_json_dict(),
        "duplicate_article": detail.duplicate_article,
        "article": dict(detail.article.model_dump(mode="json"), text=text),
        "spans": [s.as_dict() for s in _spans([detail.event], text, with_sentence=True)],
        "cluster": cluster,
    }


def _record_summary(event: Event) -> dict[str, Any]:
    ev = event.evidence
    trig_start, trig_end = ev.trigger.start - ev.start, ev.trigger.end - ev.start
    actor = event.actor[0] if event.actor else None
    recipient = event.recipient[0] if event.recipient else None
    return {
        "event_id": event.event_id,
        "event_type": event.event_type,
        "cameo": event.cameo,
        "cameo_name": event.cameo_name,
        "quad_class": event.quad_class,
        "quad_class_name": quad_class_name_safe(event.quad_class),
        "factuality": event.factuality,
        "actor_name": actor.name or actor.text if actor else None,
        "actor_country": actor.country if actor else None,
        "recipient_name": recipient.name or recipient.text if recipient else None,
        "recipient_country": recipient.country if recipient else None,
        "date": event.date.value.isoformat(),
        "place_name": event.location.name if event.location else None,
        "dead": event.size.dead,
        "injured": event.size.injured,
        "sentence": ev.sentence,
        "sentence_trigger": (
            {"start": trig_start, "end": trig_end} if 0 <= trig_start < trig_end <= len(ev.sentence) else None
        ),
    }


def article_page(conn: Connection, article_id: str) -> dict[str, Any]:
    """``/articles/{id}``: the article with all its events, their spans and its entities."""
    detail = get_article(conn, article_id)
    if detail is None:
        raise _not_found("article", article_id)
    return {
        "article": dict(detail.article.model_dump(mode="json"), text=detail.text),
        "events": [_record_summary(e) for e in detail.events],
        "spans": [s.as_dict() for s in _spans(detail.events, detail.text, with_sentence=False)],
        "entities": [
            {"entity_id": e.entity_id, "name": e.name, "country": e.country, "sector": e.sector,
             "code": e.code, "kind": e.kind, "mentions": len(e.mentions)}
            for e in detail.entities
        ],
    }


def _next_bucket(day: dt.date, interval: str) -> dt.date:
    if interval == "week":
        return day + dt.timedelta(days=7)
    if interval == "month":
        return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return day + dt.timedelta(days=1)


def timeline_page(conn: Connection, params: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """``/timeline``: event counts per day/week/month, one series per event type or quad class.

    Buckets are contiguous (empty days/weeks count 0) so the chart's x axis is real time.
    """
    flt, active = parse_filter(params)
    interval = _choice(params, "interval", ("day", "week", "month"))
    by = _choice(params, "by", ("event_type", "quad_class"))
    points = timeline(conn, flt, interval=interval, by=by)
    counts: dict[tuple[dt.date, str], int] = defaultdict(int)
    totals: dict[str, int] = defaultdict(int)
    for p in points:
        key = p.key or "?"
        counts[(p.period, key)] += p.count
        totals[key] += p.count
    buckets: list[dt.date] = []
    truncated = False
    if points:
        cur, last = min(p.period for p in points), max(p.period for p in points)
        while cur <= last:
            if len(buckets) >= MAX_BUCKETS:
                truncated = True
                break
            buckets.append(cur)
            cur = _next_bucket(cur, interval)
    if by == "quad_class":
        order = sorted(totals, key=lambda k: (not k.isdigit(), int(k) if k.isdigit() else 0, k))
    else:
        order = sorted(totals, key=lambda k: (-totals[k], k))
    series = [
        {
            "key": key,
            "label": quad_class_name_safe(int(key)) if by == "quad_class" and key.isdigit() else key,
            "total": totals[key],
            "counts": [counts.get((b, key), 0) for b in buckets],
        }
        for key in order
    ]
    return {
        "filter": active,
        "interval": interval,
        "by": by,
        "buckets": [b.isoformat() for b in buckets],
        "series": series,
        "total": sum(totals.values()),
        "truncated": truncated,
    }


def network_page(conn: Connection, params: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """``/network``: who acts on whom: weighted directed edges between entities or countries."""
    flt, active = parse_filter(params)
    level = _choice(params, "level", ("entity", "country"))
    limit = _int_param(params, "edges", 150, 1, 2000)
    edges: list[dict[str, Any]] = []
    weight: dict[str, int] = defaultdict(int)
    for d in dyads(conn, flt, level=level, limit=limit):
        if d.actor == d.recipient:
            continue
        conflict = d.quad_counts[2] + d.quad_counts[3]
        edges.append(
            {
                "source": d.actor,
                "target": d.recipient,
                "weight": d.count,
                "goldstein": d.goldstein_mean,
                "conflict": conflict,
                "quad_counts": d.quad_counts,
            }
        )
        weight[d.actor] += d.count
        weight[d.recipient] += d.count
    nodes = [{"id": k, "weight": v} for k, v in sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))]
    return {"filter": active, "level": level, "nodes": nodes, "edges": edges}


def vendor_status(vendor_dir: Path) -> dict[str, bool]:
    """Which front-end library files are installed (``npm ci`` in the web folder)."""
    return {name: (vendor_dir / name).is_file() for name in VENDOR_FILES}


def map_page(conn: Connection, params: Mapping[str, Sequence[str]], vendor_dir: Path) -> dict[str, Any]:
    """``/map``: event counts per located place (points with coordinates)."""
    flt, active = parse_filter(params)
    limit = _int_param(params, "points", 1000, 1, 10000)
    sub = select_events(flt, columns=["place_name", "place_country", "lat", "lon", "quad_class"]).subquery()
    n = sa.func.count().label("n")
    stmt = (
        sa.select(sub.c.place_name, sub.c.place_country, sub.c.lat, sub.c.lon, n,
                  sa.func.sum(sa.case((sub.c.quad_class >= 3, 1), else_=0)))
        .where(sub.c.lat.is_not(None), sub.c.lon.is_not(None))
        .group_by(sub.c.place_name, sub.c.place_country, sub.c.lat, sub.c.lon)
        .order_by(n.desc(), sub.c.place_name)
        .limit(limit)
    )
    points = [
        {"place": name, "country": country, "lat": float(lat), "lon": float(lon), "count": int(count),
         "conflict": int(conflict or 0)}
        for name, country, lat, lon, count, conflict in conn.execute(stmt)
    ]
    unlocated = conn.execute(
        sa.select(sa.func.count()).select_from(sub).where(sa.or_(sub.c.lat.is_(None), sub.c.lon.is_(None)))
    ).scalar_one()
    world = "world-atlas/countries-110m.json"
    status = vendor_status(vendor_dir)
    return {
        "filter": active,
        "points": points,
        "unlocated": int(unlocated),
        "world_map": {
            "available": status[world] and status["topojson-client/dist/topojson-client.min.js"],
            "url": "/static/vendor/" + world,
        },
    }
