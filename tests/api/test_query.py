"""newsevents.store.query over a hand-built store: filters, keyset pages, streams, statistics."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import Connection

from newsevents.errors import NewsEventsError
from newsevents.store import open_store
from newsevents.store.query import (
    SORTS,
    EventFilter,
    count_events,
    decode_cursor,
    dyads,
    encode_cursor,
    entity_list,
    get_article,
    get_cluster,
    get_event,
    iter_events,
    page_events,
    select_events,
    timeline,
)

from .conftest import Built

ALL = 17  # events outside the near-duplicate copy
A1 = {"a1-ev0", "a1-ev1", "a1-ev2"}


@pytest.fixture(scope="module")
def conn(built: Built) -> Iterator[Connection]:
    with open_store(built.url, readonly=True) as store, store.connect() as c:
        yield c


def ids(conn: Connection, **kwargs: Any) -> set[str]:
    stmt = select_events(EventFilter(**kwargs), columns=["event_id"])
    return {r.event_id for r in conn.execute(stmt)}


FILTER_CASES: list[tuple[dict[str, Any], set[str]]] = [
    ({"event_type": ["ASSAULT"]}, {"a1-ev0", "a2-ev0", "a3-ev0"}),
    ({"event_type": ["assault", "PROTEST"]}, {"a1-ev0", "a2-ev0", "a3-ev0", "a4-ev0"}),
    ({"event_type": "ASSAULT,PROTEST"}, {"a1-ev0", "a2-ev0", "a3-ev0", "a4-ev0"}),
    ({"quad_class": [1]}, {"a1-ev2", "a2-ev1", "a3-ev1", "a6-ev2"}),
    ({"quad_class": [2, 4], "country": "UKR"}, {"a3-ev0", "a3-ev3"}),
    ({"actor_country": "usa"}, {"a1-ev2", "a3-ev3", "a6-ev0", "a6-ev2"}),
    ({"recipient_country": "IRN"}, {"a6-ev0", "a6-ev2"}),
    ({"country": "IRN"}, {"a1-ev1", "a5-ev0", "a6-ev0", "a6-ev1", "a6-ev2", "a6-ev3"}),
    ({"actor": "iran"}, {"a1-ev1", "a5-ev0", "a6-ev1", "a6-ev3"}),
    ({"actor": "ISRMIL"}, {"a1-ev0", "a2-ev0"}),
    ({"recipient": "HAMA"}, {"a1-ev0", "a2-ev0"}),
    ({"sector": "cop"}, {"a4-ev1"}),
    ({"date_from": "2024-03-01"}, {"a1-ev0", "a1-ev1", "a1-ev2", "a2-ev0", "a2-ev1", "a6-ev2", "a6-ev3"}),
    ({"date_from": dt.date(2024, 2, 1), "date_to": "2024-02-29"},
     {"a3-ev0", "a3-ev1", "a3-ev2", "a3-ev3", "a6-ev0", "a6-ev1"}),
    ({"place_country": "FRA"}, {"a4-ev0", "a4-ev1"}),
    ({"place": "khar"}, {"a3-ev0"}),
    ({"factuality": ["intended"]}, {"a4-ev2", "a6-ev1"}),
    ({"factuality": ["reported", "future"]}, {"a1-ev1", "a2-ev0", "a2-ev1"}),
    ({"reported": True}, {"a1-ev1", "a2-ev0"}),
    ({"mode": "visit"}, {"a3-ev1"}),
    ({"min_confidence": 0.9}, {"a1-ev0", "a3-ev0", "a6-ev0"}),
    ({"q": "100%"}, {"a4-ev1"}),
    ({"q": "%"}, {"a4-ev1"}),
    ({"q": "_"}, {"a4-ev1"}),
    ({"q": "<SCRIPT>"}, {"a5-ev0"}),
    ({"q": "nothing like this"}, set()),
    ({"cluster_id": "c1"}, {"a1-ev0", "a2-ev0"}),
    ({"cluster_id": "c1", "include_duplicates": True}, {"a1-ev0", "a2-ev0", "a2-copy-ev0"}),
    ({"event_type": ["ASSAULT"], "country": "UKR"}, {"a3-ev0"}),
    ({"actor": "  "}, None),  # blank text is no filter
]


@pytest.mark.parametrize(("kwargs", "expected"), FILTER_CASES)
def test_filters(conn: Connection, kwargs: dict[str, Any], expected: set[str] | None) -> None:
    got = ids(conn, **kwargs)
    if expected is None:
        assert len(got) == ALL
    else:
        assert got == expected
    assert count_events(conn, EventFilter(**kwargs)) == len(got)


def test_duplicates_hidden_by_default(conn: Connection, built: Built) -> None:
    assert len(ids(conn)) == ALL
    everything = ids(conn, include_duplicates=True)
    assert everything == {e.event_id for e in built.events(include_duplicates=True)}
    assert everything - ids(conn) == {"a2-copy-ev0", "a2-copy-ev1"}
    assert len(ids(conn, reported=False)) == ALL - 2


def test_article_filter(conn: Connection, built: Built) -> None:
    assert ids(conn, article_id=built.article_ids["a1"]) == A1


@pytest.mark.parametrize(
    "kwargs",
    [{"quad_class": [5]}, {"event_type": ["FLY"]}, {"factuality": ["maybe"]}, {"min_confidence": 2},
     {"date_from": "yesterday"}, {"unknown": 1}, {"q": "x" * 201}],
)
def test_invalid_filters(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        EventFilter(**kwargs)


def test_filter_is_frozen_and_round_trips_as_query_params() -> None:
    f = EventFilter(event_type=["ASSAULT", "PROTEST"], country="irn", reported=False, date_from="2024-01-02")
    with pytest.raises(ValidationError):
        f.country = "USA"  # type: ignore[misc]
    params = f.query_params()
    assert ("event_type", "ASSAULT") in params and ("event_type", "PROTEST") in params
    assert ("country", "IRN") in params and ("reported", "false") in params
    rebuilt: dict[str, Any] = {}
    for k, v in params:
        rebuilt.setdefault(k, []).append(v)
    again = EventFilter(**{k: v if k in ("event_type", "quad_class", "factuality") else v[0] for k, v in rebuilt.items()})
    assert again == f


def _expected_order(conn: Connection, sort: str, f: EventFilter) -> list[str]:
    key, desc = SORTS[sort]
    rows = [r._mapping for r in conn.execute(select_events(f, columns=["event_id", key]))]
    rows.sort(key=lambda m: (m[key], m["event_id"]), reverse=desc)
    return [m["event_id"] for m in rows]


@pytest.mark.parametrize("sort", [*SORTS, "date", "-goldstein"])
@pytest.mark.parametrize("limit", [1, 2, 5, 100])
@pytest.mark.parametrize("include_duplicates", [False, True])
def test_pages_walk_every_row_once_in_order(conn: Connection, sort: str, limit: int, include_duplicates: bool) -> None:
    f = EventFilter(include_duplicates=include_duplicates)
    seen: list[str] = []
    cursor = None
    for _ in range(100):
        page = page_events(conn, f, limit=limit, cursor=cursor, sort=sort)
        assert len(page.rows) <= limit
        seen += [r.event_id for r in page.rows]
        cursor = page.next_cursor
        if cursor is None:
            break
    canonical = {"date": "date_desc", "-goldstein": "goldstein_desc"}.get(sort, sort)
    assert seen == _expected_order(conn, canonical, f)
    assert len(seen) == len(set(seen)) == (19 if include_duplicates else ALL)


def test_iter_events_streams_everything(conn: Connection) -> None:
    f = EventFilter(include_duplicates=True)
    rows = list(iter_events(conn, f, batch=3, columns=["event_id", "date"]))
    assert [r.event_id for r in rows] == _expected_order(conn, "date_asc", f)


@pytest.mark.parametrize(
    ("cursor", "sort"),
    [
        ("not base64!!", "date_desc"),
        ("bm90IGpzb24", "date_desc"),  # base64 of "not json"
        (encode_cursor("date_asc", "2024-01-01", "x"), "date_desc"),  # made for another sort
        (encode_cursor("date_desc", 12, "x"), "date_desc"),  # key of the wrong type
        (encode_cursor("confidence_desc", "high", "x"), "confidence_desc"),
        (encode_cursor("confidence_desc", True, "x"), "confidence_desc"),
    ],
)
def test_bad_cursors(conn: Connection, cursor: str, sort: str) -> None:
    with pytest.raises(NewsEventsError) as info:
        page_events(conn, EventFilter(), cursor=cursor, sort=sort)
    assert info.value.code == "E602"


def test_cursor_round_trip() -> None:
    assert decode_cursor(encode_cursor("date_desc", dt.date(2024, 1, 2), "e1"), "date_desc") == (dt.date(2024, 1, 2), "e1")
    assert decode_cursor(encode_cursor("goldstein_asc", -2.5, "e2"), "goldstein_asc") == (-2.5, "e2")


def test_bad_sort(conn: Connection) -> None:
    with pytest.raises(NewsEventsError) as info:
        page_events(conn, EventFilter(), sort="random")
    assert info.value.code == "E601"


@pytest.mark.parametrize("interval", ["day", "week", "month"])
def test_timeline_buckets(conn: Connection, interval: str) -> None:
    points = timeline(conn, EventFilter(), interval=interval)
    assert sum(p.count for p in points) == ALL
    assert [p.period for p in points] == sorted(p.period for p in points)
    for p in points:
        if interval == "week":
            assert p.period.weekday() == 0
        if interval == "month":
            assert p.period.day == 1
    if interval == "week":  # Sunday 2024-01-28 belongs to the week of Monday 2024-01-22
        assert {p.period: p.count for p in points}[dt.date(2024, 1, 22)] == 1
    if interval == "month":
        assert {p.period: p.count for p in points} == {dt.date(2024, 1, 1): 4, dt.date(2024, 2, 1): 6, dt.date(2024, 3, 1): 7}


def test_timeline_grouped_and_filtered(conn: Connection) -> None:
    points = timeline(conn, EventFilter(event_type=["ASSAULT", "AGREE"]), interval="month", by="event_type")
    got = {(p.period.month, p.key): p.count for p in points}
    assert got == {(2, "ASSAULT"): 1, (3, "ASSAULT"): 2, (3, "AGREE"): 2}
    quads = timeline(conn, EventFilter(), interval="month", by="quad_class")
    assert {p.key for p in quads} == {"1", "2", "3", "4"}
    assert all(p.goldstein_mean is not None for p in quads)
    with pytest.raises(NewsEventsError):
        timeline(conn, EventFilter(), interval="year")
    with pytest.raises(NewsEventsError):
        timeline(conn, EventFilter(), by="actor")


def test_dyads(conn: Connection) -> None:
    got = {(d.actor, d.recipient): d for d in dyads(conn, EventFilter(), level="country", limit=100)}
    assert got["ISR", "PSE"].count == 2 and got["ISR", "PSE"].quad_counts == [0, 0, 0, 2]
    assert got["IRN", "ISR"].count == 2 and got["IRN", "ISR"].goldstein_mean == -2.0
    assert sum(d.count for d in got.values()) == ALL - 1  # one event has no recipient
    top = dyads(conn, EventFilter(), level="country", limit=3)
    assert len(top) == 3 and top[0].count >= top[-1].count
    ent = {(d.actor, d.recipient): d.count for d in dyads(conn, EventFilter(country="IRN"), level="entity")}
    assert ent == {("Iran", "Israel"): 2, ("United States", "Iran"): 2, ("Iran", "United States"): 2}
    with pytest.raises(NewsEventsError):
        dyads(conn, EventFilter(), level="planet")


def test_entity_list(conn: Connection) -> None:
    found = entity_list(conn, "IRA", 10)
    assert [e.name for e in found] == ["Iran"]
    assert found[0].n_articles == 3 and found[0].country == "IRN"
    assert found[0].n_mentions >= 3
    everyone = entity_list(conn, None, 100)
    assert {"Israel", "Hamas", "Ukraine", "protesters"} <= {e.name for e in everyone}
    assert entity_list(conn, "%", 10) == []


def test_get_event(conn: Connection, built: Built) -> None:
    doc = built.docs[0]
    detail = get_event(conn, "a1-ev0")
    assert detail is not None
    assert detail.event == doc.events[0]
    assert detail.article.doc_id == "a1" and not detail.duplicate_article
    assert doc.text[detail.excerpt.start:detail.excerpt.end] == detail.excerpt.text
    ev = detail.event.evidence
    assert detail.excerpt.start <= ev.start and detail.excerpt.end >= ev.end
    assert detail.cluster is not None and detail.cluster.cluster_id == "c1"
    assert {m.event_id for m in detail.cluster.mentions} == {"a1-ev0", "a2-ev0", "a2-copy-ev0"}
    assert {m.source for m in detail.cluster.mentions} == {"Wire One", "Wire Two", "Aggregator"}
    assert detail.cluster.disagreements[0]["field"] == "dead"
    assert get_event(conn, "nope") is None
    no_cluster = get_event(conn, "a1-ev1")
    assert no_cluster is not None and no_cluster.cluster is None


def test_get_cluster_truncates(conn: Connection) -> None:
    cluster = get_cluster(conn, "c1", max_mentions=1)
    assert cluster is not None and len(cluster.mentions) == 1 and cluster.mentions_truncated
    assert get_cluster(conn, "c404") is None


def test_get_article(conn: Connection, built: Built) -> None:
    doc = built.docs[4]
    art = get_article(conn, built.article_ids[doc.doc_id])
    assert art is not None
    assert art.text == doc.text and art.events == doc.events
    assert {e.entity_id for e in art.entities} == {e.entity_id for e in doc.entities}
    copy = get_article(conn, built.article_ids["a2-copy"])
    assert copy is not None and copy.article.duplicate and copy.article.dup_group == built.article_ids["a2"]
    assert get_article(conn, "0" * 40) is None


@pytest.mark.parametrize("interval", ["day", "week", "month"])
@pytest.mark.parametrize("by", [None, "event_type", "quad_class"])
def test_timeline_from_daily_counts_equals_timeline_from_events(conn: Connection, interval: str, by: str | None) -> None:
    # min_confidence=0 matches every event but is not a rollup dimension: it forces the events path
    from sqlalchemy import select

    from newsevents.store.schema import events

    countries = sorted({c for c in conn.execute(select(events.c.actor_country)).scalars() if c})
    extras: list[dict[str, object]] = [{}, {"event_type": ["ASSAULT", "AGREE"]}, {"include_duplicates": True}]
    extras += [{"country": c} for c in countries] + [{"country": countries[0], "include_duplicates": True}]
    for extra in extras:
        rolled = timeline(conn, EventFilter(**extra), interval=interval, by=by)
        direct = timeline(conn, EventFilter(min_confidence=0.0, **extra), interval=interval, by=by)
        assert [(p.period, p.key, p.count) for p in rolled] == [(p.period, p.key, p.count) for p in direct]
        assert [p.goldstein_mean for p in rolled] == pytest.approx([p.goldstein_mean for p in direct])


def test_writer_keeps_daily_counts_equal_to_the_events(conn: Connection) -> None:
    from sqlalchemy import func, select

    from newsevents.store.schema import daily_counts, events

    e = events.c
    counted = conn.execute(
        select(e.date, e.event_type, e.quad_class, e.duplicate_article, func.count())
        .group_by(e.date, e.event_type, e.quad_class, e.duplicate_article)
    ).all()
    d = daily_counts.c
    kept = conn.execute(select(d.date, d.event_type, d.quad_class, d.duplicate_article, d.n)).all()
    assert counted and sorted(map(tuple, counted)) == sorted(map(tuple, kept))
    # the writer's country counts: each event once per distinct country on either side
    from collections import Counter

    from newsevents.store.schema import country_daily_counts

    expected: Counter[tuple[object, ...]] = Counter()
    for row in conn.execute(select(e.actor_country, e.recipient_country, e.date, e.event_type, e.quad_class, e.duplicate_article)):
        for country in {row[0], row[1]} - {None}:
            expected[(country, *row[2:])] += 1
    k = country_daily_counts.c
    by_writer = {tuple(r[:-1]): r[-1] for r in conn.execute(select(k.country, k.date, k.event_type, k.quad_class, k.duplicate_article, k.n))}
    assert by_writer and by_writer == dict(expected)
