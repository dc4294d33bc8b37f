"""A small store built from hand-made Event records (no spaCy), and API clients over it."""

from __future__ import annotations

import datetime as dt
import json
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, select

from newsevents.model import (
    Actor,
    Article,
    Entity,
    EntityMention,
    Event,
    EventDate,
    Evidence,
    Place,
    Size,
    Span,
)
from newsevents.store import DedupHooks, StoreWriter, article_key, open_store
from newsevents.store.schema import event_clusters

with warnings.catch_warnings():  # starlette warns at import that it prefers httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

TOKEN = "s3cret-token"


@dataclass
class Spec:
    """One event to put in an article: the sentence holds ``trigger``."""

    sentence: str
    trigger: str
    event_type: str
    cameo: str
    quad: int
    goldstein: float
    actor: tuple[str, str | None, str | None, str | None]  # name, country, sector, code
    recipient: tuple[str, str | None, str | None, str | None] | None
    date: dt.date
    place: tuple[str, str] | None = None
    factuality: str = "asserted"
    reported_by: str | None = None
    dead: int | None = None
    confidence: float = 0.8
    cluster: str | None = None
    mode: str | None = None


@dataclass
class Doc:
    doc_id: str
    title: str
    source: str
    pub_date: dt.date
    specs: list[Spec]
    prefix: str = ""
    duplicate_of: str | None = None
    events: list[Event] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.prefix + " ".join(s.sentence for s in self.specs)


IRN = ("Iran", "IRN", "GOV", "IRNGOV")
ISR = ("Israel", "ISR", "MIL", "ISRMIL")
USA = ("United States", "USA", "GOV", "USAGOV")
UKR = ("Ukraine", "UKR", "GOV", "UKRGOV")
RUS = ("Russia", "RUS", "MIL", "RUSMIL")
PROT = ("protesters", "FRA", "CVL", "FRACVL")
POLICE = ("French police", "FRA", "COP", "FRACOP")
D = dt.date


def _docs() -> list[Doc]:
    return [
        Doc("a1", "Strikes in Gaza", "Wire One", D(2024, 3, 4), [
            Spec("Israeli jets struck targets in Gaza on Monday, killing 12 people.", "struck", "ASSAULT", "195", 4, -10.0,
                 ISR, ("Hamas", "PSE", "REB", "PSEREB"), D(2024, 3, 4), ("Gaza", "PSE"), dead=12, confidence=0.9, cluster="c1"),
            Spec("Iran condemned the strikes, the foreign ministry said.", "condemned", "ACCUSE", "111", 3, -2.0,
                 IRN, ISR, D(2024, 3, 4), factuality="reported", reported_by="the foreign ministry", confidence=0.7),
            Spec("The United States urged restraint.", "urged", "REQUEST", "10", 1, -5.0, USA, ISR, D(2024, 3, 5)),
        ]),
        Doc("a2", "Gaza toll rises", "Wire Two", D(2024, 3, 5), [
            Spec("Officials said Israeli air strikes in Gaza killed 15 people on Monday.", "strikes", "ASSAULT", "195", 4, -10.0,
                 ISR, ("Hamas", "PSE", "REB", "PSEREB"), D(2024, 3, 4), ("Gaza", "PSE"), factuality="reported",
                 reported_by="Officials", dead=15, confidence=0.85, cluster="c1"),
            Spec("Egypt offered to host talks between the sides.", "offered", "AGREE", "057", 1, 4.0,
                 ("Egypt", "EGY", "GOV", "EGYGOV"), ISR, D(2024, 3, 6), factuality="future", confidence=0.6),
        ]),
        # a near-duplicate of a2 (syndicated copy): its events are hidden unless include_duplicates
        Doc("a2-copy", "Gaza toll rises (copy)", "Aggregator", D(2024, 3, 5), [], duplicate_of="a2"),
        Doc("a3", "Kyiv and Moscow", "Wire One", D(2024, 2, 12), [
            Spec("Russian forces shelled Kharkiv overnight.", "shelled", "ASSAULT", "195", 4, -10.0,
                 RUS, UKR, D(2024, 2, 11), ("Kharkiv", "UKR"), dead=3, confidence=0.95),
            Spec("Ukraine met Russia for talks in Istanbul.", "met", "CONSULT", "036", 1, 4.0, UKR, RUS, D(2024, 2, 12),
                 ("Istanbul", "TUR"), mode="visit", confidence=0.75),
            Spec("Ukraine rejected the proposal.", "rejected", "REJECT", "12", 3, -4.0, UKR, RUS, D(2024, 2, 13)),
            Spec("The United States sent aid to Ukraine.", "sent", "AID", "07", 2, 7.0, USA, UKR, D(2024, 2, 14), confidence=0.65),
        ]),
        Doc("a4", "Paris protests", "Le Wire", D(2024, 1, 20), [
            Spec("Thousands of protesters marched in Paris against the pension law.", "marched", "PROTEST", "141", 3, -6.5,
                 PROT, ("French government", "FRA", "GOV", "FRAGOV"), D(2024, 1, 20), ("Paris", "FRA"), confidence=0.88),
            Spec("French police arrested 40 people 100% peacefully_ said a_b.", "arrested", "COERCE", "173", 4, -5.0,
                 POLICE, PROT, D(2024, 1, 20), ("Paris", "FRA"), confidence=0.8),
            Spec("Protesters threatened to strike again.", "threatened", "THREATEN", "13", 3, -4.4, PROT, None, D(2024, 1, 21),
                 factuality="intended", confidence=0.5),
        ]),
        Doc("a5", "<script>alert('x')</script> headline", "Evil & Co", D(2024, 1, 28), [
            Spec("Iran <script>alert(1)</script> accused Israel of spying.", "accused", "ACCUSE", "112", 3, -2.0,
                 IRN, ISR, D(2024, 1, 28), confidence=0.77),
        ], prefix="<b>Tehran</b> -- "),
        Doc("a6", "Aid and sanctions", "Wire Two", D(2024, 2, 26), [
            Spec("The United States imposed sanctions on Iran.", "imposed", "SANCTION", "163", 4, -8.0, USA, IRN, D(2024, 2, 26),
                 confidence=0.9),
            Spec("Iran vowed to retaliate.", "vowed", "THREATEN", "13", 3, -4.4, IRN, USA, D(2024, 2, 27),
                 factuality="intended", confidence=0.6),
            Spec("The United States and Iran agreed to a prisoner swap.", "agreed", "AGREE", "057", 1, 4.0, USA, IRN,
                 D(2024, 3, 10), confidence=0.8),
            Spec("Iran released two prisoners to the United States.", "released", "CONCEDE", "0841", 2, 7.0, IRN, USA,
                 D(2024, 3, 11), confidence=0.8),
        ]),
    ]


def _actor(text: str, start: int, info: tuple[str, str | None, str | None, str | None], eid: str) -> Actor:
    name, country, sector, code = info
    return Actor(text=text, name=name, country=country, sector=sector, sectors=[sector] if sector else [], code=code,
                 start=start, end=start + len(text), entity_id=eid)


def _build(docs: list[Doc]) -> None:
    by_id = {d.doc_id: d for d in docs}
    n = 0
    for doc in docs:
        if doc.duplicate_of:
            doc.specs = list(by_id[doc.duplicate_of].specs)
            doc.prefix = "AGGREGATED: "
        text = doc.text
        offset = len(doc.prefix)
        entities: dict[str, Entity] = {}
        for index, spec in enumerate(doc.specs):
            n += 1
            start = offset
            end = start + len(spec.sentence)
            t = spec.sentence.index(spec.trigger)
            trigger = Span(text=spec.trigger, start=start + t, end=start + t + len(spec.trigger))
            actors = []
            for role, info in (("a", spec.actor), ("r", spec.recipient)):
                if info is None:
                    actors.append([])
                    continue
                eid = f"{doc.doc_id}-{info[0]}"
                actors.append([_actor(spec.sentence[:3], start, info, eid)])
                mention = EntityMention(text=spec.sentence[:3], start=start, end=start + 3)
                old = entities.get(eid)
                entities[eid] = Entity(
                    doc_id=doc.doc_id, entity_id=eid, name=info[0], country=info[1], sector=info[2], code=info[3],
                    kind="country", mentions=[*(old.mentions if old else []), mention],
                )
                del role
            reported = Actor(text=spec.reported_by, name=spec.reported_by, start=start, end=start + 1) if spec.reported_by else None
            place = Place(text=spec.place[0], name=spec.place[0], country=spec.place[1], lat=31.5, lon=34.4) if spec.place else None
            event = Event(
                doc_id=doc.doc_id,
                event_id=f"{doc.doc_id}-ev{index}",
                event_type=spec.event_type,
                mode=spec.mode,
                cameo=spec.cameo,
                quad_class=spec.quad,
                goldstein=spec.goldstein,
                actor=actors[0],
                recipient=actors[1],
                date=EventDate(value=spec.date, precision="day"),
                location=place,
                size=Size(dead=spec.dead),
                reported_by=reported,
                factuality=spec.factuality,  # type: ignore[arg-type]
                evidence=Evidence(sentence=spec.sentence, sentence_index=index, start=start, end=end, trigger=trigger),
                confidence=spec.confidence,
            )
            assert text[trigger.start:trigger.end] == spec.trigger
            doc.events.append(event)
            offset = end + 1
        doc.entities = list(entities.values())


@dataclass
class Built:
    url: str
    docs: list[Doc]
    article_ids: dict[str, str]

    def events(self, *, include_duplicates: bool = False) -> list[Event]:
        return [e for d in self.docs if include_duplicates or not d.duplicate_of for e in d.events]


@dataclass
class _Coded:
    article: Article
    events: list[Event]
    entities: list[Entity]
    error: None = None


def build_store(path: Path) -> Built:
    docs = _docs()
    _build(docs)
    ids = {d.doc_id: article_key(d.text) for d in docs}
    dup_of = {ids[d.doc_id]: ids[d.duplicate_of] for d in docs if d.duplicate_of}
    clusters = {e.event_id: spec.cluster for d in docs for e, spec in zip(d.events, d.specs, strict=True) if spec.cluster}
    disagreements = [{"field": "dead", "values": [{"value": 12, "source": "Wire One"}, {"value": 15, "source": "Wire Two"}]}]

    def assign_dup_group(conn: Connection, article_id: str, text: str) -> str:
        return dup_of.get(article_id, article_id)

    def assign_cluster(conn: Connection, event: Event, *, article_id: str, source: str | None,
                       pub_date: dt.date | None, duplicate_article: bool) -> str | None:
        cluster_id = clusters.get(event.event_id)
        if cluster_id is None:
            return None
        if conn.execute(select(event_clusters.c.cluster_id).where(event_clusters.c.cluster_id == cluster_id)).first() is None:
            conn.execute(event_clusters.insert().values(
                cluster_id=cluster_id, event_type=event.event_type, cameo=event.cameo, actor_country="ISR",
                recipient_country="PSE", date_first=event.date.value, date_last=event.date.value, place_name="Gaza",
                place_country="PSE", num_mentions=3, num_articles=3, num_sources=2,
                first_seen=dt.datetime(2024, 3, 4, 12, tzinfo=dt.UTC), representative_event_id=event.event_id,
                disagreements=json.dumps(disagreements),
            ))
        return cluster_id

    url = f"sqlite:///{path}"
    with open_store(url) as store:
        writer = StoreWriter(store, None, hooks=DedupHooks(assign_dup_group=assign_dup_group, assign_cluster=assign_cluster))
        for doc in docs:
            article = Article(id=doc.doc_id, text=doc.text, date=doc.pub_date, title=doc.title, source=doc.source,
                              url=f"https://example.org/{doc.doc_id}")
            outcome = writer.write(_Coded(article, doc.events, doc.entities))
            assert outcome.status == "stored", outcome
    return Built(url=url, docs=docs, article_ids=ids)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_store(tmp_path_factory.mktemp("api-store") / "store.db")


@pytest.fixture(scope="session")
def client(built: Built) -> Iterator[TestClient]:
    from newsevents.api import create_app

    with TestClient(create_app(built.url), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="session")
def token_client(built: Built) -> Iterator[TestClient]:
    from newsevents.api import create_app

    with TestClient(create_app(built.url, token=TOKEN), raise_server_exceptions=False) as c:
        yield c


def all_pages(client: TestClient, params: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    for _ in range(1000):
        page = client.get("/api/events", params={**params, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        body = page.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("pagination does not end")
