"""A small store of hand-built events for the exporter tests (no spaCy needed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from newsevents.model import Actor, Event, EventDate, Evidence, Place, Size, Span
from newsevents.store.engine import Store, open_store
from newsevents.store.schema import articles, event_clusters, events
from newsevents.store.writer import event_row

NOW = dt.datetime(2024, 5, 1, 12, 30, 15, tzinfo=dt.UTC)


def make_event(
    n: int,
    *,
    event_type: str = "ASSAULT",
    cameo: str = "190",
    quad_class: int = 4,
    goldstein: float = -10.0,
    date: dt.date = dt.date(2024, 3, 5),
    actor: Actor | None = None,
    recipient: Actor | None = None,
    location: Place | None = None,
    factuality: str = "asserted",
    reported_by: Actor | None = None,
    mode: str | None = None,
    dead: int | None = None,
    sentence_index: int = 0,
) -> Event:
    sentence = f"Sentence number {n} says that forces attacked the town."
    start = 100 * n
    trig = sentence.index("attacked")
    return Event(
        doc_id=f"doc-{n}",
        event_id=f"doc-{n}:e0",
        event_type=event_type,
        mode=mode,
        context=["military"] if event_type == "ASSAULT" else [],
        cameo=cameo,
        cameo_name="Use conventional military force" if cameo == "190" else None,
        quad_class=quad_class,
        goldstein=goldstein,
        plover_score=goldstein,
        actor=[actor] if actor else [],
        recipient=[recipient] if recipient else [],
        date=EventDate(value=date, precision="day"),
        location=location,
        size=Size(dead=dead, counts=[]),
        reported_by=reported_by,
        factuality=factuality,  # type: ignore[arg-type]
        evidence=Evidence(
            sentence=sentence,
            sentence_index=sentence_index,
            start=start,
            end=start + len(sentence),
            trigger=Span(text="attacked", start=start + trig, end=start + trig + len("attacked")),
            rule="attack.v",
        ),
        confidence=0.8,
        versions={"lexicon": "1"},
    )


RUS = Actor(
    text="Russian troops",
    name="Russia",
    country="RUS",
    sector="MIL",
    sectors=["MIL"],
    code="RUSMIL",
    start=0,
    end=14,
)
UKR = Actor(
    text="Kyiv",
    name="Ukraine",
    country="UKR",
    sector="GOV",
    sectors=["GOV", "JRN"],
    code="UKRGOV",
    start=20,
    end=24,
)
UN = Actor(
    text="the UN", name="United Nations", country="UNO", sector=None, code="UNO", start=0, end=6
)
USA = Actor(
    text="Washington",
    name="United States",
    country="USA",
    sector="GOV",
    sectors=["GOV"],
    code="USAGOV",
    start=0,
    end=10,
)
KHARKIV = Place(
    text="Kharkiv",
    name="Kharkiv",
    country="UKR",
    admin1="Kharkivska",
    lat=49.98,
    lon=36.25,
    geonameid=706483,
    feature="city",
)
TEXAS = Place(text="Texas", name="Texas", country="USA", feature="region", lat=31.0, lon=-100.0)
SYRIA = Place(text="Syria", name="Syria", country="SYR", feature="country", precision="country")


@dataclass
class Stored:
    event: Event
    article_id: str
    cluster_id: str | None
    duplicate_article: bool
    url: str | None
    source: str | None


def insert(
    conn: sa.Connection,
    event: Event,
    *,
    cluster_id: str | None = None,
    duplicate_article: bool = False,
    url: str | None = None,
    source: str | None = "Example News",
    pub_date: dt.date | None = None,
) -> Stored:
    article_id = f"a{event.doc_id}"
    conn.execute(
        sa.insert(articles).values(
            article_id=article_id,
            doc_id=event.doc_id,
            title=f"Title of {event.doc_id}",
            url=url,
            source=source,
            pub_date=pub_date or event.date.value,
            text="x" * 10,
            n_chars=10,
            n_events=1,
            dup_group=article_id,
            ingested_at=NOW,
        )
    )
    conn.execute(
        sa.insert(events).values(
            event_row(
                event,
                article_id=article_id,
                cluster_id=cluster_id,
                duplicate_article=duplicate_article,
            )
        )
    )
    return Stored(event, article_id, cluster_id, duplicate_article, url, source)


def add_cluster(
    conn: sa.Connection, cluster_id: str, rep: Event, *, mentions: int, articles_: int, sources: int
) -> None:
    conn.execute(
        sa.insert(event_clusters).values(
            cluster_id=cluster_id,
            event_type=rep.event_type,
            cameo=rep.cameo,
            actor_country=rep.actor[0].country if rep.actor else None,
            recipient_country=rep.recipient[0].country if rep.recipient else None,
            date_first=rep.date.value,
            date_last=rep.date.value,
            num_mentions=mentions,
            num_articles=articles_,
            num_sources=sources,
            first_seen=NOW,
            representative_event_id=rep.event_id,
            disagreements="[]",
        )
    )


@dataclass
class Fixture:
    store: Store
    url: str
    stored: list[Stored]

    @property
    def visible(self) -> list[Stored]:
        """The events a default filter returns (no near-duplicate articles), in export order."""
        rows = [s for s in self.stored if not s.duplicate_article]
        return sorted(rows, key=lambda s: (s.event.date.value, s.event.event_id))


def build(path: Path) -> Fixture:
    store = open_store(str(path))
    e1 = make_event(1, actor=RUS, recipient=UKR, location=KHARKIV, dead=3, date=dt.date(2024, 3, 5))
    e2 = make_event(2, actor=RUS, recipient=UKR, location=KHARKIV, dead=4, date=dt.date(2024, 3, 5),
                    factuality="reported", reported_by=UN, sentence_index=5)  # fmt: skip
    e3 = make_event(
        3, actor=RUS, recipient=UKR, location=KHARKIV, date=dt.date(2024, 3, 6)
    )  # duplicate article
    e4 = make_event(4, event_type="CONSULT", cameo="040", quad_class=1, goldstein=1.0, actor=USA,
                    recipient=UN, location=TEXAS, mode="visit", date=dt.date(2024, 4, 2))  # fmt: skip
    e5 = make_event(5, event_type="ACCUSE", cameo="112", quad_class=3, goldstein=-2.0, actor=UN,
                    recipient=None, location=SYRIA, date=dt.date(2023, 12, 31))  # fmt: skip
    e6 = make_event(6, event_type="AID", cameo="070", quad_class=2, goldstein=7.0, actor=USA,
                    recipient=UKR, location=None, date=dt.date(2024, 4, 20))  # fmt: skip
    with store.begin() as conn:
        add_cluster(conn, "c-assault", e1, mentions=3, articles_=3, sources=2)
        add_cluster(conn, "c-consult", e4, mentions=1, articles_=1, sources=1)
        add_cluster(conn, "c-accuse", e5, mentions=1, articles_=1, sources=1)
        stored = [
            insert(conn, e1, cluster_id="c-assault", url="https://example.org/1"),
            insert(
                conn, e2, cluster_id="c-assault", url="https://example.org/2", source="Other Wire"
            ),
            insert(
                conn,
                e3,
                cluster_id="c-assault",
                duplicate_article=True,
                url="https://example.org/3",
            ),
            insert(conn, e4, cluster_id="c-consult", url="https://example.org/4"),
            insert(conn, e5, cluster_id="c-accuse", url=None, source="Radio Example"),
            insert(conn, e6, cluster_id=None, url="https://example.org/6"),
        ]
    return Fixture(store=store, url=str(path), stored=stored)
