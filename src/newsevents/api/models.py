"""Request and response bodies of the HTTP API; they make ``/openapi.json`` a precise spec."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from newsevents.model import DocError, Entity, Event
from newsevents.store.query import (
    Dyad,
    EntitySummary,
    EventFilter,
    EventSummary,
    SortName,
    TimelinePoint,
)

__all__ = [
    "MAX_CODE_CHARS",
    "MAX_PAGE",
    "CodeRequest",
    "CodeResponse",
    "DownloadQuery",
    "DyadsQuery",
    "DyadsResponse",
    "EntitiesResponse",
    "ErrorBody",
    "ErrorInfo",
    "EventsPage",
    "EventsQuery",
    "Health",
    "TimelineQuery",
    "TimelineResponse",
]

MAX_PAGE = 500
"""Largest page of /api/events."""
MAX_CODE_CHARS = 200_000
"""Longest text /api/code accepts."""


class ErrorInfo(BaseModel):
    code: str = Field(description="newsevents error code, E###")
    message: str
    detail: Any = None


class ErrorBody(BaseModel):
    """The one shape of every 4xx/5xx response."""

    error: ErrorInfo


class EventsQuery(EventFilter):
    """Query parameters of /api/events: the event filter plus paging."""

    limit: int = Field(50, ge=1, le=MAX_PAGE, description=f"page size (at most {MAX_PAGE})")
    cursor: str | None = Field(None, max_length=1000, description="next_cursor of the previous page")
    sort: SortName = "date_desc"
    total: bool = Field(False, description="also count all matching events (slower)")


class DownloadQuery(EventFilter):
    """Query parameters of the /api/events.{csv,jsonl,parquet} downloads."""

    sort: SortName = "date_asc"
    max_rows: int | None = Field(None, ge=1, le=2**53, description="stop after this many events")


class TimelineQuery(EventFilter):
    interval: Literal["day", "week", "month"] = "day"
    by: Literal["event_type", "quad_class"] | None = None


class DyadsQuery(EventFilter):
    level: Literal["country", "entity"] = "country"
    limit: int = Field(50, ge=1, le=MAX_PAGE)


class EventsPage(BaseModel):
    items: list[EventSummary]
    next_cursor: str | None = Field(description="pass as cursor= to get the next page; null on the last page")
    next: str | None = Field(None, description="URL of the next page")
    sort: SortName
    limit: int
    total: int | None = Field(None, description="number of matching events, when total=true")


class TimelineResponse(BaseModel):
    interval: str
    by: str | None
    points: list[TimelinePoint]


class DyadsResponse(BaseModel):
    level: str
    items: list[Dyad]


class EntitiesResponse(BaseModel):
    q: str | None
    items: list[EntitySummary]


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    dialect: str
    readonly: bool
    token_required: bool
    counts: dict[str, int]


class CodeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_CODE_CHARS, description="article text (plain text)")
    id: str = Field("api", max_length=200)
    date: dt.date | None = Field(None, description="publication date; relative dates resolve against it")
    title: str | None = Field(None, max_length=2000)
    source: str | None = Field(None, max_length=500)
    url: str | None = Field(None, max_length=2000)


class CodeResponse(BaseModel):
    doc_id: str
    events: list[Event]
    entities: list[Entity]
    error: DocError | None = None
