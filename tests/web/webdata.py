"""Test data for the web UI: a small store built from hand-made Event records (no spaCy), the app over it, a live server.

The articles are written here; every span is found by ``text.index`` so offsets are right by
construction. Two articles report the same shelling with different death tolls (one cluster with
a disagreement); one article carries ``<script>`` in its text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import warnings
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from newsevents.model import Actor, Article, Count, Event, EventDate, Evidence, Place, Size, Span
from newsevents.pipeline import CodedDoc
from newsevents.store import DedupHooks, StoreWriter, open_store, schema

with warnings.catch_warnings():  # starlette warns at import that it prefers httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "DISAGREEMENT", "XSS", "TestClient", "build_docs", "fill_store"]

with warnings.catch_warnings():  # starlette warns at import that it prefers httpx2
    warnings.simplefilter("ignore")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

XSS = "<script>alert(1)</script>"


def _find(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    start = text.index(needle, after)
    return start, start + len(needle)


def actor(text: str, words: str, *, name: str, country: str, code: str, sector: str = "GOV") -> Actor:
    s, e = _find(text, words)
    return Actor(text=words, name=name, country=country, code=code, sector=sector, sectors=[sector], start=s, end=e)


def make_event(
    article: Article,
    *,
    n: int,
    event_type: str,
    cameo: str,
    quad: int,
    goldstein: float,
    trigger: str,
    actor_: Actor | None,
    recipient: Actor | None,
    day: dt.date,
    date_text: str | None = None,
    place: tuple[str, str, str, float, float] | None = None,
    counts: list[tuple[str, str, int]] | None = None,
    reported_by: Actor | None = None,
    factuality: str = "asserted",
) -> Event:
    text = article.text
    t_start, t_end = _find(text, trigger)
    sent_start = text.rfind(". ", 0, t_start)
    sent_start = 0 if sent_start < 0 else sent_start + 2
    sent_end = text.find(".", t_end)
    sent_end = len(text) if sent_end < 0 else sent_end + 1
    d_start = d_end = None
    if date_text:
        d_start, d_end = _find(text, date_text)
    location = None
    if place:
        words, pname, pcountry, lat, lon = place
        p_start, p_end = _find(text, words)
        location = Place(text=words, name=pname, country=pcountry, lat=lat, lon=lon, feature="city", start=p_start, end=p_end)
    count_records = []
    for words, kind, value in counts or []:
        c_start, c_end = _find(text, words)
        count_records.append(Count(kind=kind, value=value, text=words, start=c_start, end=c_end))
    size = Size(
        dead=next((c.value for c in count_records if c.kind == "dead"), None),
        counts=count_records,
    )
    return Event(
        doc_id=article.id,
        event_id=hashlib.sha1(f"{article.id}:{n}".encode()).hexdigest()[:16],
        event_type=event_type,
        cameo=cameo,
        cameo_name=None,
        quad_class=quad,
        goldstein=goldstein,
        actor=[actor_] if actor_ else [],
        recipient=[recipient] if recipient else [],
        date=EventDate(value=day, precision="day", text=date_text, start=d_start, end_char=d_end),
        location=location,
        size=size,
        reported_by=reported_by,
        factuality=factuality,  # type: ignore[arg-type]
        evidence=Evidence(
            sentence=text[sent_start:sent_end],
            sentence_index=0,
            start=sent_start,
            end=sent_end,
            trigger=Span(text=trigger, start=t_start, end=t_end),
        ),
        confidence=0.9,
    )


def build_docs() -> list[CodedDoc]:
    docs: list[CodedDoc] = []
    # 1, 2: the same shelling, reported with different tolls
    a1 = Article(
        id="wire-1",
        title="Shelling hits Gaza City",
        source="Wire One",
        date=dt.date(2024, 3, 5),
        text="GAZA CITY - Israeli troops shelled Gaza City on Monday, killing 12 people, health officials said. "
        "Residents fled south.",
    )
    a2 = Article(
        id="paper-2",
        title="Deadly shelling in Gaza",
        source="Daily Two",
        date=dt.date(2024, 3, 5),
        text="Israeli forces shelled Gaza City on Monday and killed 15 people, according to the health ministry.",
    )
    for art, act_words, trig, count_words, dead, src in (
        (a1, "Israeli troops", "shelled", "12 people", 12, "health officials"),
        (a2, "Israeli forces", "shelled", "15 people", 15, "the health ministry"),
    ):
        ev = make_event(
            art,
            n=1,
            event_type="ASSAULT",
            cameo="195",
            quad=4,
            goldstein=-10.0,
            trigger=trig,
            actor_=actor(art.text, act_words, name="Israel Defense Forces", country="ISR", code="ISRMIL", sector="MIL"),
            recipient=actor(art.text, "Gaza City", name="Gaza City", country="PSE", code="PSE", sector="CVL"),
            day=dt.date(2024, 3, 4),
            date_text="Monday",
            place=("Gaza City", "Gaza City", "PSE", 31.5, 34.47),
            counts=[(count_words, "dead", dead)],
            reported_by=actor(art.text, src, name=src, country="PSE", code="PSEMED", sector="MED"),
            factuality="reported",
        )
        docs.append(CodedDoc(article=art, events=[ev]))
    # 3: cooperation, a week later
    a3 = Article(
        id="trade-3",
        title="Trade deal signed",
        source="Wire One",
        date=dt.date(2024, 3, 12),
        text="Russia and China signed a trade agreement in Beijing on Tuesday. Officials praised the deal.",
    )
    ev3 = make_event(
        a3,
        n=1,
        event_type="AGREE",
        cameo="057",
        quad=1,
        goldstein=8.0,
        trigger="signed",
        actor_=actor(a3.text, "Russia", name="Russia", country="RUS", code="RUS"),
        recipient=actor(a3.text, "China", name="China", country="CHN", code="CHN"),
        day=dt.date(2024, 3, 12),
        date_text="Tuesday",
        place=("Beijing", "Beijing", "CHN", 39.9, 116.4),
    )
    docs.append(CodedDoc(article=a3, events=[ev3]))
    # 4: markup in the text must stay text
    a4 = Article(
        id="xss-4",
        title="Protest <b>in</b> Tbilisi",
        source="Blog",
        date=dt.date(2024, 3, 8),
        text=f"Protesters {XSS} rallied against the government in Tbilisi on Friday. Police watched.",
    )
    ev4 = make_event(
        a4,
        n=1,
        event_type="PROTEST",
        cameo="141",
        quad=3,
        goldstein=-6.5,
        trigger="rallied",
        actor_=actor(a4.text, "Protesters", name="Georgian protesters", country="GEO", code="GEOCVL", sector="CVL"),
        recipient=actor(a4.text, "the government", name="Georgian government", country="GEO", code="GEOGOV"),
        day=dt.date(2024, 3, 8),
        date_text="Friday",
        place=("Tbilisi", "Tbilisi", "GEO", 41.69, 44.8),
    )
    docs.append(CodedDoc(article=a4, events=[ev4]))
    # 5: verbal conflict, Russia → Ukraine, no place
    a5 = Article(
        id="accuse-5",
        title="Moscow accuses Kyiv",
        source="Daily Two",
        date=dt.date(2024, 3, 6),
        text="Russia accused Ukraine of attacking a border post on Wednesday.",
    )
    ev5 = make_event(
        a5,
        n=1,
        event_type="ACCUSE",
        cameo="112",
        quad=3,
        goldstein=-2.0,
        trigger="accused",
        actor_=actor(a5.text, "Russia", name="Russia", country="RUS", code="RUS"),
        recipient=actor(a5.text, "Ukraine", name="Ukraine", country="UKR", code="UKR"),
        day=dt.date(2024, 3, 6),
        date_text="Wednesday",
    )
    docs.append(CodedDoc(article=a5, events=[ev5]))
    return docs


def _cluster_hook(
    conn: sa.Connection,
    event: Event,
    *,
    article_id: str,
    source: str | None,
    pub_date: dt.date | None,
    duplicate_article: bool,
) -> str | None:
    """Test stand-in for dedup.assign_cluster: one cluster per (type, date, place)."""
    place = event.location.name if event.location else None
    cid = hashlib.sha1(f"{event.event_type}|{event.date.value}|{place}".encode()).hexdigest()
    c = schema.event_clusters.c
    row = conn.execute(sa.select(c.num_mentions).where(c.cluster_id == cid)).first()
    if row is None:
        conn.execute(
            schema.event_clusters.insert().values(
                cluster_id=cid,
                event_type=event.event_type,
                cameo=event.cameo,
                actor_country=event.actor[0].country if event.actor else None,
                recipient_country=event.recipient[0].country if event.recipient else None,
                date_first=event.date.value,
                date_last=event.date.value,
                place_name=place,
                num_mentions=1,
                num_articles=1,
                num_sources=1,
                first_seen=dt.datetime.now(dt.UTC),
                representative_event_id=event.event_id,
                disagreements="[]",
            )
        )
    else:
        conn.execute(
            schema.event_clusters.update()
            .where(c.cluster_id == cid)
            .values(num_mentions=c.num_mentions + 1, num_articles=c.num_articles + 1, num_sources=c.num_sources + 1)
        )
    return cid


def _own_group(conn: sa.Connection, article_id: str, text: str) -> str:
    return article_id


DISAGREEMENT = {"field": "dead", "values": {"12": ["Wire One"], "15": ["Daily Two"]}}


def fill_store(path: Path) -> dict[str, Any]:
    """Write the test articles into a new SQLite store; return ids for the tests."""
    docs = build_docs()
    store = open_store(str(path))
    try:
        writer = StoreWriter(store, None, hooks=DedupHooks(assign_dup_group=_own_group, assign_cluster=_cluster_hook))
        ids: dict[str, Any] = {"events": {}, "articles": {}}
        for doc in docs:
            outcome = writer.write(doc)
            ids["articles"][doc.article.id] = outcome.article_id
        with store.begin() as conn:
            for row in conn.execute(sa.select(schema.events.c.event_id, schema.events.c.doc_id)):
                ids["events"][row.doc_id] = row.event_id
            conn.execute(
                schema.event_clusters.update()
                .where(schema.event_clusters.c.event_type == "ASSAULT")
                .values(disagreements=json.dumps([DISAGREEMENT]))
            )
    finally:
        store.close()
    ids["docs"] = {d.article.id: d for d in docs}
    return ids


