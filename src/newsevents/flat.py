"""The flat view of an event: one row of strings, as ``newsevents code --format csv`` writes it,
and ``newsevents export -f csv`` and the API's CSV download (with the store's two columns).

Lists (several actors) are joined with ``;``; a missing value is an empty cell.
"""

from __future__ import annotations

from collections.abc import Iterable

from newsevents.model import Event

__all__ = ["CSV_COLUMNS", "csv_row", "join"]

CSV_COLUMNS = (
    "doc_id", "event_id", "event_type", "mode", "cameo", "cameo_name", "quad_class", "goldstein",
    "actor_codes", "actor_names", "actor_text", "recipient_codes", "recipient_names",
    "recipient_text", "date", "date_end", "date_precision", "location_name",
    "location_country", "location_lat", "location_lon", "dead", "injured", "arrested",
    "reported_by", "factuality", "sentence", "trigger", "confidence",
)  # fmt: skip
"""The columns of ``newsevents code --format csv``, in order."""


def join(values: Iterable[str | None]) -> str:
    """Several values in one cell, ``;``-separated; empty ones left out."""
    return ";".join(v for v in values if v)


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def csv_row(event: Event) -> list[str]:
    """One event as the flat row of :data:`CSV_COLUMNS`."""
    location = event.location
    return [
        event.doc_id,
        event.event_id,
        event.event_type,
        _cell(event.mode),
        event.cameo,
        _cell(event.cameo_name),
        str(event.quad_class),
        str(event.goldstein),
        join(a.code for a in event.actor),
        join(a.name for a in event.actor),
        join(a.text for a in event.actor),
        join(a.code for a in event.recipient),
        join(a.name for a in event.recipient),
        join(a.text for a in event.recipient),
        event.date.value.isoformat(),
        _cell(event.date.end),
        event.date.precision,
        _cell(location.name if location else None),
        _cell(location.country if location else None),
        _cell(location.lat if location else None),
        _cell(location.lon if location else None),
        _cell(event.size.dead),
        _cell(event.size.injured),
        _cell(event.size.arrested),
        _cell((event.reported_by.name or event.reported_by.text) if event.reported_by else None),
        event.factuality,
        event.evidence.sentence,
        event.evidence.trigger.text,
        str(event.confidence),
    ]
