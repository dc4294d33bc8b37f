"""Read queries over the store: one event filter, keyset pages, streams and statistics.

Everything here is SQLAlchemy Core with bound parameters (no SQL is built from strings) and runs
unchanged on SQLite and PostgreSQL. The API, the web pages and the exporters share these functions,
so a filter means the same thing in a URL, a page and a download.

Sorts (``sort=``) are keyset-paginated over ``(sort key, event_id)``: ``date_desc`` (default),
``date_asc``, ``confidence_desc``, ``confidence_asc``, ``goldstein_asc`` (most conflictual first)
and ``goldstein_desc``. The aliases ``date``/``-date``, ``confidence``/``-confidence`` and
``goldstein``/``-goldstein`` are accepted too (a bare name sorts in its natural direction: newest,
most confident, most conflictual first; a leading ``-`` reverses it; see :data:`SORT_ALIASES`).
Cursors are opaque URL-safe strings; pass ``next_cursor`` back unchanged with the same sort.

Events of near-duplicate articles (``events.duplicate_article``) are left out unless
``EventFilter.include_duplicates`` is set, so counts are not inflated by syndicated copies.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from newsevents.errors import Errors, NewsEventsError
from newsevents.model import EVENT_TYPES, Entity, Event, Factuality
from newsevents.store.schema import (
    articles,
    country_daily_counts,
    daily_counts,
    entities,
    event_clusters,
    events,
)

__all__ = [
    "ArticleDetail",
    "ArticleSummary",
    "ClusterDetail",
    "Dyad",
    "EntitySummary",
    "EventDetail",
    "EventFilter",
    "EventPage",
    "EventSummary",
    "Excerpt",
    "Interval",
    "LIST_COLUMNS",
    "Mention",
    "SORTS",
    "SORT_ALIASES",
    "SortName",
    "TimelinePoint",
    "count_events",
    "decode_cursor",
    "dyads",
    "encode_cursor",
    "entity_list",
    "event_conditions",
    "get_article",
    "get_cluster",
    "get_event",
    "iter_events",
    "normalise_sort",
    "page_events",
    "select_events",
    "summary",
    "summary_dict",
    "timeline",
]

SortName = Literal["date_desc", "date_asc", "confidence_desc", "confidence_asc", "goldstein_asc", "goldstein_desc"]
Interval = Literal["day", "week", "month"]

SORTS: dict[str, tuple[str, bool]] = {
    "date_desc": ("date", True),
    "date_asc": ("date", False),
    "confidence_desc": ("confidence", True),
    "confidence_asc": ("confidence", False),
    "goldstein_asc": ("goldstein", False),
    "goldstein_desc": ("goldstein", True),
}
"""Sort name → (column, descending)."""

SORT_ALIASES: dict[str, str] = {
    "date": "date_desc",
    "-date": "date_asc",
    "confidence": "confidence_desc",
    "-confidence": "confidence_asc",
    "goldstein": "goldstein_asc",
    "-goldstein": "goldstein_desc",
}

_MAX_TEXT = 200
_EXCERPT_CONTEXT = 400
_MAX_MENTIONS = 500

LIST_COLUMNS: tuple[str, ...] = (
    "event_id",
    "article_id",
    "doc_id",
    "event_type",
    "mode",
    "cameo",
    "quad_class",
    "goldstein",
    "factuality",
    "actor_name",
    "actor_country",
    "actor_sector",
    "actor_code",
    "recipient_name",
    "recipient_country",
    "recipient_sector",
    "recipient_code",
    "reported_by",
    "date",
    "date_precision",
    "place_name",
    "place_country",
    "lat",
    "lon",
    "dead",
    "injured",
    "arrested",
    "confidence",
    "sentence",
    "cluster_id",
    "duplicate_article",
)
"""The flat columns of an event list row (everything except the JSON ``record``)."""


# -- the filter ----------------------------------------------------------------------------


def _clean_text(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


class EventFilter(BaseModel):
    """Which events to select. Every field is optional; fields combine with AND, list values with OR."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: list[str] = Field(default_factory=list, description="PLOVER event types, e.g. ASSAULT")
    mode: str | None = Field(None, max_length=_MAX_TEXT, description="PLOVER mode, e.g. 'beat'")
    quad_class: list[Annotated[int, Field(ge=1, le=4)]] = Field(
        default_factory=list, description="1 verbal coop., 2 material coop., 3 verbal confl., 4 material confl."
    )
    actor_country: str | None = Field(None, max_length=16, description="actor's country code (ISO-3 or IGO code)")
    recipient_country: str | None = Field(None, max_length=16, description="recipient's country code")
    country: str | None = Field(None, max_length=16, description="country code on either side")
    actor: str | None = Field(None, max_length=_MAX_TEXT, description="substring of the actor's name, or its CAMEO code")
    recipient: str | None = Field(None, max_length=_MAX_TEXT, description="substring of the recipient's name, or its code")
    sector: str | None = Field(None, max_length=16, description="sector code (GOV, MIL, ...) on either side")
    date_from: dt.date | None = Field(None, description="events on or after this date")
    date_to: dt.date | None = Field(None, description="events on or before this date")
    place_country: str | None = Field(None, max_length=16, description="country code of the event's place")
    place: str | None = Field(None, max_length=_MAX_TEXT, description="substring of the place name")
    factuality: list[Factuality] = Field(default_factory=list)
    reported: bool | None = Field(None, description="true: only events attributed to a source; false: only unattributed")
    q: str | None = Field(None, max_length=_MAX_TEXT, description="text search in the evidence sentence")
    min_confidence: float | None = Field(None, ge=0.0, le=1.0)
    article_id: str | None = Field(None, max_length=64)
    cluster_id: str | None = Field(None, max_length=64)
    include_duplicates: bool = Field(False, description="also return events of near-duplicate articles")

    @field_validator(
        "mode", "actor", "recipient", "place", "q", "article_id", "cluster_id",
        "actor_country", "recipient_country", "country", "sector", "place_country",
        mode="before",
    )
    @classmethod
    def _strip(cls, value: object) -> object:
        return _clean_text(value)

    @field_validator("actor_country", "recipient_country", "country", "sector", "place_country", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        # before the length check: upper-casing can lengthen a string ("ß" -> "SS")
        return value.upper() if isinstance(value, str) else value

    @field_validator("event_type", mode="before")
    @classmethod
    def _event_types(cls, value: object) -> object:
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list | tuple):
            out: list[object] = []
            for item in value:
                if not isinstance(item, str):
                    out.append(item)
                    continue
                for part in item.split(","):  # event_type=ASSAULT,PROTEST works too
                    name = part.strip().upper()
                    if not name:
                        continue
                    if name not in EVENT_TYPES:
                        raise ValueError(f"unknown event type {name!r}; expected one of {', '.join(EVENT_TYPES)}")
                    out.append(name)
            return out
        return value

    def query_params(self) -> list[tuple[str, str]]:
        """The non-default fields as URL query parameters (lists repeat the key)."""
        params: list[tuple[str, str]] = []
        for name, value in self.model_dump(mode="json", exclude_defaults=True).items():
            if isinstance(value, list):
                params.extend((name, str(v)) for v in value)
            elif isinstance(value, bool):
                params.append((name, "true" if value else "false"))
            else:
                params.append((name, str(value)))
        return params


def event_conditions(f: EventFilter) -> list[sa.ColumnElement[bool]]:
    """The WHERE conditions of a filter over the ``events`` table."""
    c = events.c
    where: list[sa.ColumnElement[bool]] = []
    if not f.include_duplicates:
        where.append(c.duplicate_article == sa.false())
    if f.event_type:
        where.append(c.event_type.in_(f.event_type) if len(f.event_type) > 1 else c.event_type == f.event_type[0])
    if f.mode is not None:
        where.append(c.mode == f.mode)
    if f.quad_class:
        where.append(c.quad_class.in_(f.quad_class) if len(f.quad_class) > 1 else c.quad_class == f.quad_class[0])
    if f.actor_country is not None:
        where.append(c.actor_country == f.actor_country)
    if f.recipient_country is not None:
        where.append(c.recipient_country == f.recipient_country)
    if f.country is not None:
        # "? IN (a, b)" rather than "a = ? OR b = ?": SQLite then walks the date index and stops
        # after one page instead of sorting every event of the country (PostgreSQL plans both alike)
        where.append(sa.literal(f.country, sa.String).in_([c.actor_country, c.recipient_country]))
    if f.actor is not None:
        where.append(sa.or_(c.actor_name.icontains(f.actor, autoescape=True), c.actor_code == f.actor.upper()))
    if f.recipient is not None:
        where.append(
            sa.or_(c.recipient_name.icontains(f.recipient, autoescape=True), c.recipient_code == f.recipient.upper())
        )
    if f.sector is not None:
        where.append(sa.or_(c.actor_sector == f.sector, c.recipient_sector == f.sector))
    if f.date_from is not None:
        where.append(c.date >= f.date_from)
    if f.date_to is not None:
        where.append(c.date <= f.date_to)
    if f.place_country is not None:
        where.append(c.place_country == f.place_country)
    if f.place is not None:
        where.append(c.place_name.icontains(f.place, autoescape=True))
    if f.factuality:
        where.append(c.factuality.in_(list(f.factuality)))
    if f.reported is not None:
        where.append(c.reported_by.is_not(None) if f.reported else c.reported_by.is_(None))
    if f.q is not None:
        where.append(c.sentence.icontains(f.q, autoescape=True))
    if f.min_confidence is not None:
        where.append(c.confidence >= f.min_confidence)
    if f.article_id is not None:
        where.append(c.article_id == f.article_id)
    if f.cluster_id is not None:
        where.append(c.cluster_id == f.cluster_id)
    return where


def _columns(columns: Sequence[str | sa.ColumnElement[Any]] | None) -> list[sa.ColumnElement[Any]]:
    if columns is None:
        return list(events.c)
    out: list[sa.ColumnElement[Any]] = []
    for col in columns:
        if isinstance(col, str):
            if col not in events.c:
                raise NewsEventsError(Errors.E601, name="columns", detail=f"unknown events column {col!r}")
            out.append(events.c[col])
        else:
            out.append(col)
    return out


def select_events(
    f: EventFilter, *, columns: Sequence[str | sa.ColumnElement[Any]] | None = None
) -> sa.Select[Any]:
    """A SELECT over ``events`` restricted by ``f`` (no ORDER BY); ``columns`` default to all."""
    return sa.select(*_columns(columns)).where(*event_conditions(f))


def count_events(conn: sa.Connection, f: EventFilter) -> int:
    """How many events match ``f``."""
    stmt = sa.select(sa.func.count()).select_from(events).where(*event_conditions(f))
    return int(conn.execute(stmt).scalar_one())


# -- keyset pagination -----------------------------------------------------------------------


def normalise_sort(sort: str) -> str:
    """The canonical sort name for ``sort`` (a name of :data:`SORTS` or an alias)."""
    name = SORT_ALIASES.get(sort, sort)
    if name not in SORTS:
        options = ", ".join([*SORTS, *SORT_ALIASES])
        raise NewsEventsError(Errors.E601, name="sort", detail=f"unknown sort {sort!r}; expected one of {options}")
    return name


def encode_cursor(sort: str, value: object, event_id: str) -> str:
    """An opaque cursor pointing just after the row with sort key ``value`` and ``event_id``."""
    if isinstance(value, dt.date):
        value = value.isoformat()
    raw = json.dumps([sort, value, event_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[object, str]:
    """The (sort key value, event_id) of a cursor made by :func:`encode_cursor` for ``sort``."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError) as e:
        raise NewsEventsError(Errors.E602, cursor=cursor[:80], detail="not a cursor made by this API") from e
    if not (isinstance(data, list) and len(data) == 3 and isinstance(data[2], str)):
        raise NewsEventsError(Errors.E602, cursor=cursor[:80], detail="not a cursor made by this API")
    made_for, value, event_id = data
    if made_for != sort:
        raise NewsEventsError(Errors.E602, cursor=cursor[:80], detail=f"it was made for sort {made_for!r}, not {sort!r}")
    key = SORTS[sort][0]
    try:
        if key == "date":
            if not isinstance(value, str):
                raise TypeError(value)
            return dt.date.fromisoformat(value), event_id
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(value)
        return float(value), event_id
    except (TypeError, ValueError) as e:
        raise NewsEventsError(Errors.E602, cursor=cursor[:80], detail="its sort key is malformed") from e


@dataclass(frozen=True, slots=True)
class EventPage:
    """One page of events; ``next_cursor`` is None on the last page."""

    rows: list[sa.Row[Any]]
    next_cursor: str | None
    sort: str
    limit: int


def _keyset(
    sort: str, cursor: str | None
) -> tuple[list[sa.ColumnElement[bool]], list[sa.UnaryExpression[Any]]]:
    key_name, desc = SORTS[sort]
    key = events.c[key_name]
    eid = events.c.event_id
    order = [key.desc(), eid.desc()] if desc else [key.asc(), eid.asc()]
    where: list[sa.ColumnElement[bool]] = []
    if cursor:
        value, last_id = decode_cursor(cursor, sort)
        # written as a range on the key (index-friendly) plus the tie-break on event_id
        if desc:
            where += [key <= value, sa.or_(key < value, eid < last_id)]
        else:
            where += [key >= value, sa.or_(key > value, eid > last_id)]
    return where, order


def page_events(
    conn: sa.Connection,
    f: EventFilter,
    *,
    limit: int = 50,
    cursor: str | None = None,
    sort: str = "date_desc",
    columns: Sequence[str | sa.ColumnElement[Any]] | None = None,
) -> EventPage:
    """One page of at most ``limit`` events matching ``f``, after ``cursor``, in ``sort`` order."""
    if limit < 1:
        raise NewsEventsError(Errors.E601, name="limit", detail="must be at least 1")
    sort = normalise_sort(sort)
    key_name = SORTS[sort][0]
    cols = _columns(columns)
    names = {getattr(col, "key", None) for col in cols}
    extra = [events.c[n] for n in (key_name, "event_id") if n not in names]
    where, order = _keyset(sort, cursor)
    stmt = select_events(f, columns=[*cols, *extra]).where(*where).order_by(*order).limit(limit + 1)
    rows = list(conn.execute(stmt))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]._mapping
        next_cursor = encode_cursor(sort, last[key_name], str(last["event_id"]))
    return EventPage(rows=rows, next_cursor=next_cursor, sort=sort, limit=limit)


def iter_events(
    conn: sa.Connection,
    f: EventFilter,
    *,
    batch: int = 1000,
    sort: str = "date_asc",
    columns: Sequence[str | sa.ColumnElement[Any]] | None = None,
) -> Iterator[sa.Row[Any]]:
    """Every event matching ``f`` in ``sort`` order, fetched ``batch`` rows at a time (flat memory)."""
    cursor: str | None = None
    while True:
        page = page_events(conn, f, limit=batch, cursor=cursor, sort=sort, columns=columns)
        yield from page.rows
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


# -- typed records ---------------------------------------------------------------------------


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class EventSummary(_Out):
    """The flat, indexed columns of one stored event (see :data:`LIST_COLUMNS`)."""

    event_id: str
    article_id: str
    doc_id: str
    event_type: str
    mode: str | None = None
    cameo: str
    quad_class: int
    goldstein: float
    factuality: str
    actor_name: str | None = None
    actor_country: str | None = None
    actor_sector: str | None = None
    actor_code: str | None = None
    recipient_name: str | None = None
    recipient_country: str | None = None
    recipient_sector: str | None = None
    recipient_code: str | None = None
    reported_by: str | None = None
    date: dt.date
    date_precision: str
    place_name: str | None = None
    place_country: str | None = None
    lat: float | None = None
    lon: float | None = None
    dead: int | None = None
    injured: int | None = None
    arrested: int | None = None
    confidence: float
    sentence: str
    cluster_id: str | None = None
    duplicate_article: bool

    @classmethod
    def from_row(cls, row: sa.Row[Any]) -> EventSummary:
        return cls.model_validate(summary_dict(row))


def summary_dict(row: sa.Row[Any]) -> dict[str, Any]:
    """The JSON-ready :class:`EventSummary` fields of a row (fast path for large pages)."""
    m = row._mapping
    out = {name: m[name] for name in LIST_COLUMNS}
    day = out["date"]
    if isinstance(day, dt.date):
        out["date"] = day.isoformat()
    out["duplicate_article"] = bool(out["duplicate_article"])
    return out


class ArticleSummary(_Out):
    article_id: str
    doc_id: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    pub_date: dt.date | None = None
    n_chars: int
    n_events: int
    dup_group: str | None = None
    duplicate: bool = Field(description="true when the article is a near-duplicate of an earlier one")


class Excerpt(_Out):
    """A window of the article text; ``start``/``end`` index the full article text."""

    text: str
    start: int
    end: int


class Mention(_Out):
    """One report of a clustered real-world event: which article said what."""

    event_id: str
    article_id: str
    doc_id: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    pub_date: dt.date | None = None
    date: dt.date
    factuality: str
    reported_by: str | None = None
    dead: int | None = None
    injured: int | None = None
    arrested: int | None = None
    confidence: float
    sentence: str
    duplicate_article: bool


class ClusterDetail(_Out):
    """A real-world event seen in one or more articles, with every mention and the disagreements."""

    cluster_id: str
    event_type: str
    cameo: str
    actor_country: str | None = None
    actor_code: str | None = None
    recipient_country: str | None = None
    recipient_code: str | None = None
    date_first: dt.date
    date_last: dt.date
    place_name: str | None = None
    place_country: str | None = None
    num_mentions: int
    num_articles: int
    num_sources: int
    first_seen: dt.datetime
    representative_event_id: str
    disagreements: list[Any] = Field(default_factory=list, description="where the reports differ, and who said what")
    mentions: list[Mention] = Field(default_factory=list)
    mentions_truncated: bool = False


class EventDetail(_Out):
    """One event: the full coded record, its article and excerpt, and its cluster."""

    event: Event
    article_id: str
    duplicate_article: bool
    article: ArticleSummary
    excerpt: Excerpt
    cluster: ClusterDetail | None = None


class ArticleDetail(_Out):
    article: ArticleSummary
    text: str
    events: list[Event]
    entities: list[Entity]


class TimelinePoint(_Out):
    period: dt.date = Field(description="first day of the day/week (Monday)/month bucket")
    key: str | None = Field(None, description="event type or quad class, when grouped")
    count: int
    goldstein_mean: float | None = None


class Dyad(_Out):
    actor: str
    recipient: str
    count: int
    goldstein_mean: float
    quad_counts: list[int] = Field(description="number of events of quad class 1, 2, 3 and 4")


class EntitySummary(_Out):
    name: str
    country: str | None = None
    sector: str | None = None
    code: str | None = None
    kind: str | None = None
    n_articles: int
    n_mentions: int


# -- statistics ------------------------------------------------------------------------------


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _bucket(day: dt.date, interval: str) -> dt.date:
    if interval == "week":
        return day - dt.timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    return day


_ROLLUP_FIELDS = frozenset({"event_type", "quad_class", "date_from", "date_to", "include_duplicates", "country"})


def _rollup_answers(f: EventFilter) -> bool:
    """True when the per-day counts hold the answer: no filter beyond type, quad class, dates and
    a country on either side (``country_daily_counts``)."""
    return set(f.model_dump(exclude_defaults=True)) <= _ROLLUP_FIELDS


def _period(conn: sa.Connection, interval: str, col: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    """The first day of a day, week (from Monday) or month, as a database expression."""
    if interval == "day":
        return col
    if conn.dialect.name == "postgresql":
        return sa.cast(sa.func.date_trunc(interval, col), sa.Date)
    if conn.dialect.name == "sqlite":
        if interval == "month":
            return sa.func.date(col, "start of month")
        return sa.func.date(col, "-6 days", "weekday 1")  # the Monday on or before
    return col  # other databases: grouped by day, bucketed below


def timeline(
    conn: sa.Connection,
    f: EventFilter,
    *,
    interval: str = "day",
    by: str | None = None,
) -> list[TimelinePoint]:
    """Event counts (and mean Goldstein) per day, week (from Monday) or month, optionally per type/quad.

    The database groups by period (an index-only scan of ``ix_events_dup_date``), with the
    period's first day computed in SQL (SQLite ``date()`` modifiers, PostgreSQL ``date_trunc``),
    so only one row per period and group comes back; the rows are then bucketed again here with
    the same rule, which makes the answer identical on both dialects.
    """
    if interval not in ("day", "week", "month"):
        raise NewsEventsError(Errors.E601, name="interval", detail=f"unknown interval {interval!r}; expected day, week or month")
    if by not in (None, "event_type", "quad_class"):
        raise NewsEventsError(Errors.E601, name="by", detail=f"unknown grouping {by!r}; expected event_type or quad_class")
    if _rollup_answers(f):
        # the writer's per-day counts: a few thousand rows however many events the store holds
        d = (country_daily_counts if f.country else daily_counts).c
        group = [_period(conn, interval, d.date)]
        if by is not None:
            group.append(d[by])
        where: list[sa.ColumnElement[bool]] = []
        if f.country:
            where.append(d.country == f.country)
        if not f.include_duplicates:
            where.append(d.duplicate_article.is_(False))
        if f.event_type:
            where.append(d.event_type.in_(f.event_type))
        if f.quad_class:
            where.append(d.quad_class.in_(f.quad_class))
        if f.date_from is not None:
            where.append(d.date >= f.date_from)
        if f.date_to is not None:
            where.append(d.date <= f.date_to)
        stmt = (
            sa.select(*group, sa.func.sum(d.n).label("n"), sa.func.sum(d.goldstein_sum).label("g"))
            .where(*where)
            .group_by(*group)
        )
    else:
        group = [_period(conn, interval, events.c.date)]
        if by is not None:
            group.append(events.c[by])
        stmt = (
            sa.select(*group, sa.func.count().label("n"), sa.func.sum(events.c.goldstein).label("g"))
            .where(*event_conditions(f))
            .group_by(*group)
        )
    totals: dict[tuple[dt.date, str | None], list[float]] = {}
    for row in conn.execute(stmt):
        key = None if by is None else str(row[1])
        slot = totals.setdefault((_bucket(_as_date(row[0]), interval), key), [0, 0.0])
        slot[0] += int(row.n)
        slot[1] += float(row.g or 0.0)
    return [
        TimelinePoint(period=period, key=key, count=int(n), goldstein_mean=round(g / n, 4) if n else None)
        for (period, key), (n, g) in sorted(totals.items(), key=lambda item: (item[0][0], item[0][1] or ""))
    ]


def dyads(conn: sa.Connection, f: EventFilter, *, level: str = "country", limit: int = 50) -> list[Dyad]:
    """The most frequent actor → recipient pairs, by country code or by canonical entity name."""
    if level == "country":
        a, r = events.c.actor_country, events.c.recipient_country
    elif level == "entity":
        a, r = events.c.actor_name, events.c.recipient_name
    else:
        raise NewsEventsError(Errors.E601, name="level", detail=f"unknown level {level!r}; expected country or entity")
    quads = [sa.func.sum(sa.case((events.c.quad_class == q, 1), else_=0)).label(f"q{q}") for q in (1, 2, 3, 4)]
    n = sa.func.count().label("n")
    stmt = (
        sa.select(a.label("a"), r.label("r"), n, sa.func.avg(events.c.goldstein).label("g"), *quads)
        .where(*event_conditions(f), a.is_not(None), r.is_not(None))
        .group_by(a, r)
        .order_by(n.desc(), a, r)
        .limit(limit)
    )
    return [
        Dyad(
            actor=str(m["a"]),
            recipient=str(m["r"]),
            count=int(m["n"]),
            goldstein_mean=round(float(m["g"]), 4),
            quad_counts=[int(m[f"q{q}"] or 0) for q in (1, 2, 3, 4)],
        )
        for m in (row._mapping for row in conn.execute(stmt))
    ]


def entity_list(conn: sa.Connection, q: str | None = None, limit: int = 50) -> list[EntitySummary]:
    """Entities by canonical name (substring ``q``, case-insensitive), most widely reported first."""
    e = entities.c
    n_articles = sa.func.count(sa.distinct(e.article_id)).label("n_articles")
    stmt = sa.select(
        e.name, e.country, e.sector, e.code, sa.func.max(e.kind).label("kind"), n_articles,
        sa.func.sum(e.n_mentions).label("n_mentions"),
    ).where(e.name.is_not(None))
    q = _clean_text(q) if q is not None else None  # type: ignore[assignment]
    if q:
        stmt = stmt.where(e.name.icontains(q, autoescape=True))
    stmt = stmt.group_by(e.name, e.country, e.sector, e.code).order_by(n_articles.desc(), e.name).limit(limit)
    return [
        EntitySummary(
            name=str(m["name"]), country=m["country"], sector=m["sector"], code=m["code"], kind=m["kind"],
            n_articles=int(m["n_articles"]), n_mentions=int(m["n_mentions"] or 0),
        )
        for m in (row._mapping for row in conn.execute(stmt))
    ]


def summary(conn: sa.Connection) -> dict[str, int]:
    """Row counts of the main tables."""
    out: dict[str, int] = {}
    for name, table in (("articles", articles), ("events", events), ("clusters", event_clusters), ("entities", entities)):
        out[name] = int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
    return out


# -- single records --------------------------------------------------------------------------

_ARTICLE_SUMMARY_COLS = ("article_id", "doc_id", "title", "url", "source", "pub_date", "n_chars", "n_events", "dup_group")


def _article_summary(m: Any) -> ArticleSummary:
    data = {k: m[k] for k in _ARTICLE_SUMMARY_COLS}
    dup = data["dup_group"]
    return ArticleSummary(**data, duplicate=dup is not None and dup != data["article_id"])


def _disagreements(raw: object) -> list[Any]:
    if not raw:
        return []
    try:
        value = json.loads(str(raw))
    except ValueError:
        return [str(raw)]
    return value if isinstance(value, list) else [value]


def get_cluster(conn: sa.Connection, cluster_id: str, *, max_mentions: int = _MAX_MENTIONS) -> ClusterDetail | None:
    """A cluster with every mention (up to ``max_mentions``), oldest publication first."""
    row = conn.execute(sa.select(event_clusters).where(event_clusters.c.cluster_id == cluster_id)).first()
    if row is None:
        return None
    e, a = events.c, articles.c
    stmt = (
        sa.select(
            e.event_id, e.article_id, e.doc_id, a.title, a.source, a.url, a.pub_date, e.date, e.factuality,
            e.reported_by, e.dead, e.injured, e.arrested, e.confidence, e.sentence, e.duplicate_article,
        )
        .select_from(events.join(articles, e.article_id == a.article_id))
        .where(e.cluster_id == cluster_id)
        .order_by(a.pub_date, e.date, e.event_id)
        .limit(max_mentions + 1)
    )
    mentions = [Mention.model_validate(dict(r._mapping)) for r in conn.execute(stmt)]
    data = dict(row._mapping)
    data["disagreements"] = _disagreements(data.get("disagreements"))
    return ClusterDetail(
        **data, mentions=mentions[:max_mentions], mentions_truncated=len(mentions) > max_mentions
    )


def get_event(conn: sa.Connection, event_id: str) -> EventDetail | None:
    """One event with its record, its article (and a text excerpt around the evidence) and cluster."""
    e, a = events.c, articles.c
    stmt = (
        sa.select(
            e.record, e.article_id, e.duplicate_article, e.cluster_id, e.evidence_start, e.evidence_end,
            *[a[k] for k in _ARTICLE_SUMMARY_COLS if k != "article_id"],
        )
        .select_from(events.join(articles, e.article_id == a.article_id))
        .where(e.event_id == event_id)
    )
    row = conn.execute(stmt).first()
    if row is None:
        return None
    m = row._mapping
    start = max(int(m["evidence_start"]) - _EXCERPT_CONTEXT, 0)
    length = int(m["evidence_end"]) + _EXCERPT_CONTEXT - start
    excerpt_text = conn.execute(
        sa.select(sa.func.substr(a.text, start + 1, length)).where(a.article_id == m["article_id"])
    ).scalar_one()
    excerpt_text = str(excerpt_text or "")
    cluster = get_cluster(conn, str(m["cluster_id"])) if m["cluster_id"] else None
    try:
        record = Event.model_validate_json(m["record"])
    except ValidationError as e:
        raise NewsEventsError(Errors.E603, what="event", id=event_id, detail=str(e)[:300]) from e
    return EventDetail(
        event=record,
        article_id=str(m["article_id"]),
        duplicate_article=bool(m["duplicate_article"]),
        article=_article_summary(m),
        excerpt=Excerpt(text=excerpt_text, start=start, end=start + len(excerpt_text)),
        cluster=cluster,
    )


def get_article(conn: sa.Connection, article_id: str) -> ArticleDetail | None:
    """One article: its text, every event coded from it (text order) and its entities."""
    row = conn.execute(sa.select(articles).where(articles.c.article_id == article_id)).first()
    if row is None:
        return None
    m = row._mapping
    ev = conn.execute(
        sa.select(events.c.record)
        .where(events.c.article_id == article_id)
        .order_by(events.c.evidence_start, events.c.event_id)
    ).scalars()
    ents = conn.execute(
        sa.select(entities.c.record).where(entities.c.article_id == article_id).order_by(entities.c.entity_id)
    ).scalars()
    try:
        return ArticleDetail(
            article=_article_summary(m),
            text=str(m["text"]),
            events=[Event.model_validate_json(r) for r in ev],
            entities=[Entity.model_validate_json(r) for r in ents],
        )
    except ValidationError as e:  # a stored record that no longer matches the model
        raise NewsEventsError(Errors.E603, what="article", id=article_id, detail=str(e)[:300]) from e
