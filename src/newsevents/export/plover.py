"""PLOVER export: one PLOVER v2 JSON record per line.

Field names follow the "Data Fields" chapter of the PLOVER v2.0 manual: the event record
(:data:`PLOVER_FIELDS`), the entity object of ``actor``/``recipient``
(:data:`ENTITY_FIELDS`), the location object ``event_loc`` (:data:`LOCATION_FIELDS`, GeoNames
names), ``text_info``, ``cite_info`` and ``size``. How our fields map:

- ``id`` event_id; ``date``/``enddate`` the event date (range end); ``event`` ``[event_type]``;
  ``mode`` ``[mode]`` (empty when none); ``context``; ``quad_code``; ``event_scale`` the PLOVER
  score; ``event_text`` the evidence sentence; ``link`` the event cluster (the same real-world
  event reported elsewhere), ``coder``/``coded_date`` this package and the ingest date.
- entity ``code`` the country (ISO-3 or IGO/NGO-style code), ``sector`` the primary sector,
  ``other_sector_codes`` the rest, ``entity_text`` the words of the mention,
  ``identifier_text`` the canonical name (we hold no Wikidata ids, so ``identifier_id`` is absent).
- fields the manual allows as provider extensions: ``cameo``, ``goldstein``, ``factuality``,
  ``reported_by`` (an entity object), ``confidence`` and ``trigger``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import IO, Any

import sqlalchemy as sa

from newsevents._version import __version__
from newsevents.export._data import countries
from newsevents.export._source import Row, event_batches
from newsevents.model import Actor, Event, Place
from newsevents.store.query import EventFilter

__all__ = [
    "CITE_FIELDS",
    "ENTITY_FIELDS",
    "EXTRA_FIELDS",
    "LOCATION_FIELDS",
    "PLOVER_FIELDS",
    "plover_record",
    "validate_plover",
    "write_plover",
]

CODEBOOK = "PLOVER v2.0"

PLOVER_FIELDS: dict[str, bool] = {
    "id": True,
    "has_event": False,
    "date": True,
    "enddate": False,
    "actor": True,
    "recipient": False,
    "event": True,
    "event_loc": False,
    "event_text": False,
    "quad_code": False,
    "event_scale": False,
    "mode": False,
    "context": False,
    "link": False,
    "text_info": False,
    "cite_info": False,
    "coder": False,
    "coded_date": False,
    "size": False,
}
"""The PLOVER record fields we write → whether PLOVER requires them."""

EXTRA_FIELDS = ("cameo", "goldstein", "factuality", "reported_by", "confidence", "trigger")
"""Our named extensions of the record (allowed by the PLOVER data format)."""

ENTITY_FIELDS = (
    "code",
    "sector",
    "other_sector_codes",
    "entity_text",
    "identifier_text",
    "cameo_code",
)
LOCATION_FIELDS = (
    "extracted_place", "resolved_place", "geonameid", "lat", "lon", "province", "country",
    "country_code", "feature_class", "resolution",
)  # fmt: skip
TEXT_INFO_FIELDS = ("sequence", "start", "end")
CITE_FIELDS = ("citation", "url", "title", "publication", "language", "coder", "codebook")
SIZE_FIELDS = ("dead", "injured", "arrested")

_FEATURE_CLASS = {"city": "P", "region": "A", "country": "A", "landmark": "S", "water": "H"}
_RESOLUTION = {"country": 1, "region": 2, "city": 4, "landmark": 5}


def _entity(actor: Actor) -> dict[str, Any]:
    return {
        "code": actor.country,
        "sector": actor.sector,
        "other_sector_codes": [s for s in actor.sectors if s != actor.sector],
        "entity_text": actor.text,
        "identifier_text": actor.name,
        "cameo_code": actor.code,
    }


def _location(place: Place) -> dict[str, Any]:
    country = countries().get(place.country) if place.country else None
    resolution = 1 if place.precision == "country" else _RESOLUTION.get(place.feature)
    return {
        "extracted_place": place.text,
        "resolved_place": place.name,
        "geonameid": place.geonameid,
        "lat": place.lat,
        "lon": place.lon,
        "province": place.admin1,
        "country": country.name if country else None,
        "country_code": place.country,
        "feature_class": _FEATURE_CLASS.get(place.feature),
        "resolution": resolution,
    }


def _iso_date(value: object) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return None


def plover_record(event: Event, row: Row | None = None) -> dict[str, Any]:
    """One event as a PLOVER record; ``row`` (a store row) adds the cluster, article and ingest date."""
    coder = f"newsevents {__version__}"

    def get(key: str) -> Any:
        return row.get(key) if row is not None else None

    return {
        "id": event.event_id,
        "has_event": True,
        "date": event.date.value.isoformat(),
        "enddate": event.date.end.isoformat() if event.date.end else None,
        "actor": [_entity(a) for a in event.actor],
        "recipient": [_entity(a) for a in event.recipient],
        "event": [event.event_type],
        "event_loc": _location(event.location) if event.location else None,
        "event_text": [event.evidence.sentence],
        "quad_code": event.quad_class,
        "event_scale": event.plover_score,
        "mode": [event.mode] if event.mode else [],
        "context": list(event.context),
        "link": get("cluster_id"),
        "text_info": {
            "sequence": event.evidence.sentence_index,
            "start": event.evidence.start,
            "end": event.evidence.end,
        },
        "cite_info": {
            "citation": event.doc_id,
            "url": get("url"),
            "title": get("title"),
            "publication": get("source"),
            "language": "en",
            "coder": coder,
            "codebook": CODEBOOK,
        },
        "coder": coder,
        "coded_date": _iso_date(get("ingested_at")),
        "size": {
            "dead": event.size.dead,
            "injured": event.size.injured,
            "arrested": event.size.arrested,
        },
        "cameo": event.cameo,
        "goldstein": event.goldstein,
        "factuality": event.factuality,
        "reported_by": _entity(event.reported_by) if event.reported_by else None,
        "confidence": event.confidence,
        "trigger": event.evidence.trigger.model_dump(),
    }


def _check_object(where: str, value: object, fields: tuple[str, ...]) -> list[str]:
    if not isinstance(value, dict):
        return [f"{where} is not an object"]
    return [f"{where} has an unknown field {k!r}" for k in value if k not in fields]


def validate_plover(record: dict[str, Any]) -> list[str]:
    """Problems with a PLOVER record (empty when it is valid for our field list)."""
    problems: list[str] = []
    allowed = set(PLOVER_FIELDS) | set(EXTRA_FIELDS)
    problems += [f"unknown field {k!r}" for k in record if k not in allowed]
    problems += [
        f"missing required field {k!r}"
        for k, req in PLOVER_FIELDS.items()
        if req and record.get(k) is None
    ]
    if not isinstance(record.get("id"), str) or not record.get("id"):
        problems.append("id must be a non-empty string")
    try:
        dt.date.fromisoformat(str(record.get("date")))
    except ValueError:
        problems.append("date must be YYYY-MM-DD")
    if record.get("enddate") is not None:
        try:
            dt.date.fromisoformat(str(record["enddate"]))
        except ValueError:
            problems.append("enddate must be YYYY-MM-DD")
    for key in ("event", "mode", "context", "event_text"):
        value = record.get(key)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            problems.append(f"{key} must be a list of strings")
    if not record.get("event"):
        problems.append("event must name at least one event category")
    if record.get("quad_code") not in (None, 1, 2, 3, 4):
        problems.append("quad_code must be 1, 2, 3 or 4")
    for side in ("actor", "recipient"):
        entities = record.get(side)
        if entities is None:
            continue
        if not isinstance(entities, list):
            problems.append(f"{side} must be a list of entity objects")
            continue
        for n, entity in enumerate(entities):
            problems += _check_object(f"{side}[{n}]", entity, ENTITY_FIELDS)
    for key, fields in (
        ("event_loc", LOCATION_FIELDS),
        ("text_info", TEXT_INFO_FIELDS),
        ("cite_info", CITE_FIELDS),
        ("size", SIZE_FIELDS),
        ("reported_by", ENTITY_FIELDS),
    ):
        if record.get(key) is not None:
            problems += _check_object(key, record[key], fields)
    return problems


def write_plover(
    conn: sa.Connection, out: IO[str], f: EventFilter, *, batch_size: int = 1000
) -> int:
    """Write one PLOVER JSON record per line for the events matching ``f``; returns the count."""
    n = 0
    for batch in event_batches(conn, f, batch_size=batch_size):
        out.write(
            "".join(
                json.dumps(
                    plover_record(Event.model_validate_json(row["record"]), row), ensure_ascii=False
                )
                + "\n"
                for row in batch
            )
        )
        n += len(batch)
    out.flush()
    return n
