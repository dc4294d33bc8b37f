"""Helpers for the dedup tests: Events built directly and a stand-in for the store's writer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from newsevents.dedup import assign_cluster, assign_dup_group
from newsevents.model import Actor, Event, EventDate, Evidence, Place, Size, Span
from newsevents.store import schema


def make_event(
    event_id: str,
    event_type: str = "ASSAULT",
    cameo: str = "190",
    *,
    doc_id: str = "doc",
    actor: tuple[str, str | None, str | None] | None = ("Israeli forces", "ISR", "MIL"),
    recipient: tuple[str, str | None, str | None] | None = ("Palestinians", "PSE", "CVL"),
    date: dt.date = dt.date(2024, 3, 5),
    precision: str = "day",
    date_end: dt.date | None = None,
    place: tuple[str, str | None, float | None, float | None] | None = None,
    dead: int | None = None,
    injured: int | None = None,
    arrested: int | None = None,
    qualifiers: dict[str, str] | None = None,
    reported_by: str | None = None,
    confidence: float = 0.7,
) -> Event:
    """An Event built directly (no spaCy)."""

    def actor_of(spec: tuple[str, str | None, str | None] | None) -> list[Actor]:
        if spec is None:
            return []
        text, country, sector = spec
        return [Actor(text=text, name=text, country=country, sector=sector, start=0, end=len(text))]

    location = None
    if place is not None:
        name, country, lat, lon = place
        location = Place(text=name, name=name, country=country, lat=lat, lon=lon, feature="city")
    sentence = "Something happened."
    return Event(
        doc_id=doc_id,
        event_id=event_id,
        event_type=event_type,
        cameo=cameo,
        quad_class=4,
        goldstein=-10.0,
        actor=actor_of(actor),
        recipient=actor_of(recipient),
        date=EventDate(value=date, end=date_end, precision=precision),  # type: ignore[arg-type]
        location=location,
        size=Size(dead=dead, injured=injured, arrested=arrested, qualifiers=qualifiers or {}),  # type: ignore[arg-type]
        reported_by=Actor(text=reported_by, start=0, end=len(reported_by)) if reported_by else None,
        evidence=Evidence(
            sentence=sentence, sentence_index=0, start=0, end=len(sentence),
            trigger=Span(text="happened", start=10, end=18),
        ),
        confidence=confidence,
    )


@dataclass
class Stored:
    article_id: str
    dup_group: str
    cluster_ids: list[str]


class MiniWriter:
    """What the store's writer does around the dedup hooks, in the order the contract asks."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self.n = 0

    def write(
        self,
        article_id: str,
        text: str,
        evs: Sequence[Event] = (),
        *,
        source: str | None = None,
        pub_date: dt.date | None = dt.date(2024, 3, 5),
    ) -> Stored:
        self.n += 1
        dup_group = assign_dup_group(self.conn, article_id, text)
        self.conn.execute(
            schema.articles.insert().values(
                article_id=article_id, doc_id=article_id, source=source, pub_date=pub_date,
                text=text, n_chars=len(text), n_events=len(evs), dup_group=dup_group,
                # distinct, increasing ingestion times, as a real ingest has
                ingested_at=dt.datetime(2024, 3, 6, tzinfo=dt.UTC) + dt.timedelta(seconds=self.n),
            )
        )
        duplicate = dup_group != article_id
        cids = []
        for ev in evs:
            cid = assign_cluster(
                self.conn, ev, article_id=article_id, source=source, pub_date=pub_date,
                duplicate_article=duplicate,
            )
            cids.append(cid)
            self.conn.execute(schema.events.insert().values(**flat(ev, article_id, cid, duplicate)))
        return Stored(article_id, dup_group, cids)


def flat(ev: Event, article_id: str, cluster_id: str, duplicate: bool) -> dict[str, Any]:
    a = ev.actor[0] if ev.actor else None
    r = ev.recipient[0] if ev.recipient else None
    loc = ev.location
    return {
        "event_id": ev.event_id, "article_id": article_id, "doc_id": ev.doc_id,
        "event_type": ev.event_type, "cameo": ev.cameo, "quad_class": ev.quad_class,
        "goldstein": ev.goldstein, "factuality": ev.factuality,
        "actor_name": a.name if a else None, "actor_country": a.country if a else None,
        "actor_sector": a.sector if a else None,
        "recipient_name": r.name if r else None, "recipient_country": r.country if r else None,
        "recipient_sector": r.sector if r else None,
        "reported_by": ev.reported_by.text if ev.reported_by else None,
        "date": ev.date.value, "date_end": ev.date.end, "date_precision": ev.date.precision,
        "place_name": loc.name if loc else None, "place_country": loc.country if loc else None,
        "lat": loc.lat if loc else None, "lon": loc.lon if loc else None,
        "dead": ev.size.dead, "injured": ev.size.injured, "arrested": ev.size.arrested,
        "confidence": ev.confidence, "sentence_index": 0, "sentence": ev.evidence.sentence,
        "evidence_start": 0, "evidence_end": 1, "trigger_start": 0, "trigger_end": 1,
        "cluster_id": cluster_id, "duplicate_article": duplicate,
        "record": ev.model_dump_json(),
    }
