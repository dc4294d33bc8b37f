"""Records, a fake coder/engine and fake de-duplication hooks for the store tests (no model)."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy
from sqlalchemy import Connection, select

from newsevents.model import (
    Actor,
    Article,
    DocError,
    Entity,
    EntityMention,
    Event,
    EventDate,
    Evidence,
    Span,
)
from newsevents.store import DedupHooks, Store
from newsevents.store import schema as s
from store_dump import dump as dump_store

# ---------------------------------------------------------------------------------------------
# records built by hand (no model)


def make_event(doc_id: str, text: str, trigger: str, *, event_type: str = "ASSAULT", cameo: str = "190",
               actor: str | None = None, country: str | None = None, dead: int | None = None,
               date: dt.date = dt.date(2024, 3, 5)) -> Event:  # fmt: skip
    start = text.index(trigger)
    actors = []
    if actor is not None:
        a_start = text.index(actor)
        actors = [Actor(text=actor, name=actor, country=country, start=a_start, end=a_start + len(actor), entity_id="e1")]
    size: dict[str, Any] = {}
    if dead is not None:
        size = {"dead": dead, "counts": []}
    key = f"{doc_id}|{start}|{cameo}"
    return Event.model_validate(
        {
            "doc_id": doc_id,
            "event_id": hashlib.sha1(key.encode()).hexdigest()[:20],
            "event_type": event_type,
            "cameo": cameo,
            "quad_class": 4,
            "goldstein": -10.0,
            "actor": [a.model_dump() for a in actors],
            "date": EventDate(value=date, precision="day").model_dump(),
            "size": size,
            "evidence": Evidence(
                sentence=text, sentence_index=0, start=0, end=len(text),
                trigger=Span(text=trigger, start=start, end=start + len(trigger)),
            ).model_dump(),  # fmt: skip
            "confidence": 0.8,
        }
    )


@dataclass(frozen=True)
class Coded:
    """Stands in for newsevents.pipeline.CodedDoc."""

    article: Article
    events: list[Event] = field(default_factory=list)
    error: DocError | None = None
    entities: list[Entity] = field(default_factory=list)


TRIGGERS = {"attacked": ("ASSAULT", "190"), "met": ("CONSULT", "040"), "protested": ("PROTEST", "140")}


def fake_code(article: Article) -> Coded:
    """A rule 'coder': one event per trigger word, its actor the first capitalised word."""
    if "FAIL" in article.text:
        return Coded(article, error=DocError(doc_id=article.id, code="E203", stage="pipeline", message="fake failure"))
    events = []
    for word, (event_type, cameo) in TRIGGERS.items():
        if word in article.text:
            actor = article.text.split()[0]
            events.append(make_event(article.id, article.text, word, event_type=event_type, cameo=cameo,
                                     actor=actor, country=actor[:3].upper(), date=article.date or dt.date(2024, 1, 1)))  # fmt: skip
    first = article.text.split()[0]
    entities = [
        Entity(doc_id=article.id, entity_id="e1", name=first, kind="country",
               mentions=[EntityMention(text=first, start=0, end=len(first))])
    ]  # fmt: skip
    return Coded(article, events, None, entities)


class FakeEngine:
    """An Engine without a model; records what it was asked to code."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def code(self, articles: Iterable[Article]) -> Iterator[Coded]:
        for article in articles:
            self.seen.append(article.id)
            yield fake_code(article)


def _fake_dup_group(conn: Connection, article_id: str, text: str) -> str:
    """Same first five words = same group (the earliest stored article's group)."""
    head = " ".join(text.split()[:5])
    for row in conn.execute(select(s.articles.c.article_id, s.articles.c.text, s.articles.c.dup_group)):
        if " ".join(row.text.split()[:5]) == head:
            return str(row.dup_group or row.article_id)
    return article_id


def _fake_cluster(conn: Connection, event: Event, *, article_id: str, source: str | None,
                  pub_date: dt.date | None, duplicate_article: bool) -> str:  # fmt: skip
    """One cluster per (event type, date); counters updated in the caller's transaction."""
    cid = hashlib.sha1(f"{event.event_type}|{event.date.value}".encode()).hexdigest()
    c = s.event_clusters.c
    row = conn.execute(select(c.num_mentions, c.num_articles).where(c.cluster_id == cid)).first()
    if row is None:
        conn.execute(s.event_clusters.insert().values(
            cluster_id=cid, event_type=event.event_type, cameo=event.cameo, date_first=event.date.value,
            date_last=event.date.value, num_mentions=1, num_articles=0 if duplicate_article else 1,
            num_sources=1, first_seen=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
            representative_event_id=event.event_id, disagreements="[]",
        ))  # fmt: skip
    else:
        conn.execute(
            s.event_clusters.update().where(c.cluster_id == cid).values(
                num_mentions=row.num_mentions + 1,
                num_articles=row.num_articles + (0 if duplicate_article else 1),
            )
        )
    return cid


FAKE_HOOKS = DedupHooks(assign_dup_group=_fake_dup_group, assign_cluster=_fake_cluster)


# ---------------------------------------------------------------------------------------------
# comparing stores

VOLATILE = {"run_id", "ingested_at", "at"}


def dump(store: Store, *, skip: Iterable[str] = ("runs", "meta")) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table minus run ids and timestamps (:data:`VOLATILE`), sorted."""
    return dump_store(store, volatile=VOLATILE, skip=skip)


def pg_database(server: str) -> Iterator[str]:
    """A fresh database on the server, dropped afterwards."""
    name = "ne_test_" + uuid.uuid4().hex[:12]
    admin_url = sqlalchemy.make_url(server).set(drivername="postgresql+psycopg")
    admin = sqlalchemy.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield admin_url.set(database=name, drivername="postgresql").render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()
