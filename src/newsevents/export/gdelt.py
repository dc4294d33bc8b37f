"""GDELT export: a tab-separated file shaped like the GDELT 2.0 event table (61 columns).

By default there is one row per event cluster (GDELT's "event" is a real-world event that many
articles mention): the codes, actors, place and date of the cluster's representative event,
``NumMentions``/``NumSources``/``NumArticles`` from ``event_clusters``, and ``DATEADDED`` the
time the cluster was first seen. Events of stores ingested without clustering come as one row
each. ``per_event=True`` writes one row per stored event with counts of 1.

How our data fills GDELT's columns (where it differs from GDELT's own practice):

- ``GLOBALEVENTID``: a stable 63-bit integer derived from the cluster id (event id per event).
- ``Actor*Code``: our CAMEO actor code; ``Actor*CountryCode`` the ISO-3/CAMEO country code for
  states, ``Actor*KnownGroupCode`` the code of non-state actors (UNO, EUR, IGO, NGO, ...);
  ``Actor*Type*Code`` the actor's sectors in CAMEO spelling (see ``data/cameo_sectors.tsv``);
  ethnic and religion codes are empty (we do not code them).
- ``IsRootEvent``: 1 when the evidence sentence is one of the first two of the article.
- ``AvgTone``: empty: newsevents does not measure tone.
- ``Actor1Geo_*``/``Actor2Geo_*``: empty (type 0): we geolocate events, not actors.
- ``ActionGeo_CountryCode``: the FIPS 10-4 code (``data/iso3_fips.tsv``) as GDELT uses;
  ``ActionGeo_ADM1Code`` is that FIPS code too (we hold admin-1 names, not FIPS admin codes);
  ``ActionGeo_FeatureID`` the GeoNames id (GDELT uses GNS ids) or, for countries, the FIPS code.
- ``DATEADDED``: ``YYYYMMDDHHMMSS`` in UTC; ``SOURCEURL`` the article URL (else its source).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from typing import IO

import sqlalchemy as sa

from newsevents.export._data import cameo_types, countries
from newsevents.export._source import Row, cluster_batches, event_batches, unclustered_batches
from newsevents.model import Actor, Event, Place
from newsevents.store.query import EventFilter

__all__ = ["GDELT_COLUMNS", "gdelt_row", "global_event_id", "write_gdelt"]

_ACTOR = (
    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
    "Religion2Code", "Type1Code", "Type2Code", "Type3Code",
)  # fmt: skip
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")

GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{name}" for name in _ACTOR),
    *(f"Actor2{name}" for name in _ACTOR),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{name}" for name in _GEO),
    *(f"Actor2Geo_{name}" for name in _GEO),
    *(f"ActionGeo_{name}" for name in _GEO),
    "DATEADDED", "SOURCEURL",
)  # fmt: skip
"""The 61 columns of the GDELT 2.0 event table, in order."""

_ROOT_SENTENCES = 2
_US = "USA"


def global_event_id(key: str) -> int:
    """A stable positive 63-bit integer for a cluster or event id."""
    return int.from_bytes(hashlib.sha1(key.encode("utf-8")).digest()[:8], "big") >> 1


def _num(value: float) -> str:
    return f"{value:g}"


def _actor_cells(actors: Sequence[Actor]) -> list[str]:
    if not actors:
        return [""] * len(_ACTOR)
    actor = actors[0]
    known = countries()
    country = actor.country or ""
    is_state = country in known
    types: list[str] = []
    mapping = cameo_types()
    for sector in actor.sectors or ([actor.sector] if actor.sector else []):
        code = mapping.get(sector)
        if code and code not in types:
            types.append(code)
    types = (types + ["", "", ""])[:3]
    return [
        actor.code or country,
        (actor.name or actor.text).upper(),
        country if is_state else "",
        "" if is_state else country,
        "",
        "",
        "",
        *types,
    ]


def _geo_cells(place: Place | None) -> list[str]:
    if place is None:
        return ["0", "", "", "", "", "", "", ""]
    country = countries().get(place.country) if place.country else None
    fips = country.fips if country and country.fips else ""
    is_country = place.feature == "country" or place.precision == "country"
    us = place.country == _US
    if is_country:
        geo_type = 1
    elif place.feature == "region":
        geo_type = 2 if us else 5
    else:
        geo_type = 3 if us else 4
    parts = [] if is_country else [place.name, place.admin1]
    parts.append(country.name if country else place.name)
    names: list[str] = []
    for part in parts:
        if part and (not names or names[-1] != part):
            names.append(part)
    feature = str(place.geonameid) if place.geonameid is not None and not is_country else fips
    return [
        str(geo_type),
        ", ".join(names),
        fips,
        fips,
        "",
        "" if place.lat is None else _num(place.lat),
        "" if place.lon is None else _num(place.lon),
        feature,
    ]


def _timestamp(value: object) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.strftime("%Y%m%d%H%M%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y%m%d") + "000000"
    return ""


def gdelt_row(
    event: Event,
    *,
    key: str,
    num_mentions: int = 1,
    num_sources: int = 1,
    num_articles: int = 1,
    added: object = None,
    url: str | None = None,
) -> list[str]:
    """One GDELT 2.0 row (:data:`GDELT_COLUMNS`) for an event; ``key`` makes GLOBALEVENTID."""
    day = event.date.value
    fraction = day.year + day.timetuple().tm_yday / 365
    code = event.cameo
    return [
        str(global_event_id(key)),
        day.strftime("%Y%m%d"),
        day.strftime("%Y%m"),
        str(day.year),
        f"{fraction:.4f}",
        *_actor_cells(event.actor),
        *_actor_cells(event.recipient),
        "1" if event.evidence.sentence_index < _ROOT_SENTENCES else "0",
        code,
        code[:3],
        code[:2],
        str(event.quad_class),
        _num(event.goldstein),
        str(num_mentions),
        str(num_sources),
        str(num_articles),
        "",
        *_geo_cells(None),
        *_geo_cells(None),
        *_geo_cells(event.location),
        _timestamp(added),
        url or "",
    ]


def _clean(cells: list[str]) -> list[str]:
    """No tabs or newlines inside a cell: the file is read by splitting on them."""
    return [c.replace("\t", " ").replace("\r", " ").replace("\n", " ") for c in cells]


def _event_rows(batches: Iterable[Sequence[Row]]) -> Iterator[list[str]]:
    for batch in batches:
        for row in batch:
            yield gdelt_row(
                Event.model_validate_json(row["record"]),
                key=row["event_id"],
                added=row["ingested_at"],
                url=row["url"] or row["source"],
            )


def _cluster_rows(batches: Iterable[Sequence[Row]]) -> Iterator[list[str]]:
    for batch in batches:
        for row in batch:
            yield gdelt_row(
                Event.model_validate_json(row["record"]),
                key=row["cluster_id"],
                num_mentions=row["num_mentions"],
                num_sources=row["num_sources"],
                num_articles=row["num_articles"],
                added=row["first_seen"],
                url=row["url"] or row["source"],
            )


def write_gdelt(
    conn: sa.Connection,
    out: IO[str],
    f: EventFilter,
    *,
    per_event: bool = False,
    header: bool = True,
    batch_size: int = 1000,
) -> int:
    """Write the GDELT table for the events matching ``f``; returns the number of data rows.

    Cells hold no tabs or line breaks (they become spaces) and are not quoted, as in GDELT's
    own files. Open ``out`` with ``newline=""`` when it is a file (rows end in ``\\n``).
    """
    if header:
        out.write("\t".join(GDELT_COLUMNS) + "\n")
    rows: Iterator[list[str]]
    if per_event:
        rows = _event_rows(event_batches(conn, f, batch_size=batch_size))
    else:
        rows = _chain(
            _cluster_rows(cluster_batches(conn, f, batch_size=batch_size)),
            _event_rows(unclustered_batches(conn, f, batch_size=batch_size)),
        )
    n = 0
    for cells in rows:
        out.write("\t".join(_clean(cells)) + "\n")
        n += 1
    out.flush()
    return n


def _chain(*parts: Iterator[list[str]]) -> Iterator[list[str]]:
    for part in parts:
        yield from part
