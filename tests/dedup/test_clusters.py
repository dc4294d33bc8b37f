"""Event clusters: matching helpers, then whole articles through a stand-in writer."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import sqlalchemy as sa
from dedup_support import MiniWriter, make_event

from newsevents.dedup import (
    CountReport,
    Mention,
    Side,
    cluster_id_for,
    count_interval,
    counts_conflict,
    date_window,
    disagreements,
    haversine_km,
    names_match,
    pair_score,
    side_score,
)
from newsevents.dedup.clusters import candidate_keys, roots_compatible
from newsevents.store import schema

D = dt.date(2024, 3, 5)
GAZA = ("Gaza City", "PSE", 31.50, 34.47)
KHAN_YOUNIS = ("Khan Younis", "PSE", 31.34, 34.31)  # ~23 km from Gaza City
RAFAH_FAR = ("Somewhere far", "PSE", 30.20, 34.10)  # ~150 km away


# ------------------------------------------------------------------------------------------
# pure helpers


@pytest.mark.parametrize(
    ("value", "end", "precision", "expected"),
    [
        (D, None, "day", (dt.date(2024, 3, 4), dt.date(2024, 3, 6))),
        (D, dt.date(2024, 3, 7), "range", (dt.date(2024, 3, 4), dt.date(2024, 3, 8))),
        (dt.date(2024, 3, 1), None, "month", (dt.date(2024, 3, 1), dt.date(2024, 3, 31))),
        (dt.date(2024, 12, 1), None, "month", (dt.date(2024, 12, 1), dt.date(2024, 12, 31))),
        (dt.date(2024, 3, 4), None, "week", (dt.date(2024, 3, 3), dt.date(2024, 3, 11))),
        (dt.date(2024, 1, 1), None, "year", (dt.date(2024, 1, 1), dt.date(2024, 12, 31))),
        (D, None, "unknown", (dt.date(2024, 3, 3), dt.date(2024, 3, 6))),
    ],
)
def test_date_window(value: dt.date, end: dt.date | None, precision: str, expected: Any) -> None:
    assert date_window(value, end, precision) == expected


@pytest.mark.parametrize(
    ("a", "qa", "b", "qb", "conflict"),
    [
        (12, "exact", 12, "exact", False),
        (12, "exact", 15, "exact", True),
        (12, "at_least", 15, "exact", False),
        (12, "more_than", 12, "exact", True),
        (15, "up_to", 12, "exact", False),
        (10, "up_to", 12, "exact", True),
        (100, "about", 110, "exact", False),
        (100, "about", 130, "exact", True),
        (20, "nearly", 19, "exact", False),
        (20, "nearly", 21, "exact", True),
        (3, "vague", 300, "exact", False),
        (12, "at_least", 20, "more_than", False),
    ],
)
def test_counts_conflict(a: int, qa: str, b: int, qb: str, conflict: bool) -> None:
    assert counts_conflict(a, qa, b, qb) is conflict
    assert counts_conflict(b, qb, a, qa) is conflict


def test_count_interval() -> None:
    assert count_interval(12, "exact") == (12.0, 12.0)
    assert count_interval(12, "at_least")[1] == float("inf")


def test_disagreements_lists_values_and_reporters() -> None:
    reps = {
        "dead": [
            CountReport(12, "exact", "e1", "a1", "Outlet A", None),
            CountReport(15, "exact", "e3", "a3", "Outlet C", "health ministry"),
            CountReport(12, "exact", "e2", "a2", None, None),
        ],
        "injured": [CountReport(30, "exact", "e1", "a1", "Outlet A", None),
                    CountReport(30, "about", "e2", "a2", None, None)],
    }
    out = disagreements(reps)
    assert [d["field"] for d in out] == ["dead"]
    values = out[0]["values"]
    assert [v["value"] for v in values] == [12, 15]
    assert [r["article_id"] for r in values[0]["reports"]] == ["a1", "a2"]
    assert values[1]["reports"][0]["source"] == "Outlet C"
    assert values[1]["reports"][0]["reported_by"] == "health ministry"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (["Hamas"], ["Hamas militants"], True),
        (["the Israeli army"], ["Israeli Army"], True),
        (["United States"], ["United Nations"], False),
        (["Vladimir Putin"], ["Putin"], True),
        (["protesters"], ["police"], False),
    ],
)
def test_names_match(a: list[str], b: list[str], same: bool) -> None:
    assert names_match(a, b) is same


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (Side("ISR", "MIL", ("Israeli army",)), Side("ISR", "MIL", ("Israeli troops",)), 0.75),
        (Side("ISR", "MIL", ("Israeli army",)), Side("ISR", None, ("Israel",)), 0.75),
        (Side("ISR", "MIL", ("army",)), Side("ISR", "GOV", ("the army",)), 1.0),
        (Side("ISR", "MIL", ("Israeli army",)), Side("ISR", "GOV", ("Netanyahu",)), None),
        (Side("ISR", None, ()), Side("PSE", None, ()), None),
        (Side("ISR", None, ()), Side(), 0.25),
        (Side(), Side(), 0.5),
        (Side(None, None, ("protesters",)), Side(None, None, ("farmers",)), None),
    ],
)
def test_side_score(a: Side, b: Side, expected: float | None) -> None:
    assert side_score(a, b) == expected


def _mention(event_type: str, actor: Side, recipient: Side, **kw: Any) -> Mention:
    return Mention(event_type=event_type, cameo=kw.pop("cameo", "040"), actor=actor,
                   recipient=recipient, date=kw.pop("date", D), **kw)


def test_pair_score_symmetric_types_accept_swapped_actors() -> None:
    rus, chn = Side("RUS", "GOV", ("Russia",)), Side("CHN", "GOV", ("China",))
    assert pair_score(_mention("CONSULT", rus, chn), _mention("CONSULT", chn, rus)) is not None
    acc_a = _mention("ACCUSE", rus, chn, cameo="112")
    acc_b = _mention("ACCUSE", chn, rus, cameo="112")
    assert pair_score(acc_a, acc_b) is None


def test_pair_score_place_and_roots() -> None:
    a, r = Side("ISR", "MIL", ("Israeli army",)), Side("PSE", None, ("Palestinians",))
    base = {"place_country": "PSE", "lat": GAZA[2], "lon": GAZA[3], "point": True}
    one = _mention("ASSAULT", a, r, cameo="190", **base)
    near = _mention("ASSAULT", a, r, cameo="183", place_country="PSE", lat=KHAN_YOUNIS[2],
                    lon=KHAN_YOUNIS[3], point=True)
    far = _mention("ASSAULT", a, r, cameo="190", place_country="PSE", lat=RAFAH_FAR[2],
                   lon=RAFAH_FAR[3], point=True)
    elsewhere = _mention("ASSAULT", a, r, cameo="190", place_country="LBN")
    assert pair_score(one, near) is not None  # 18x and 19x are compatible roots
    assert pair_score(one, far) is None
    assert pair_score(one, elsewhere) is None
    assert not roots_compatible("190", "145")


def test_unknown_actors_need_a_place() -> None:
    blank = _mention("PROTEST", Side(), Side(), cameo="140")
    assert pair_score(blank, blank) is None
    placed = _mention("PROTEST", Side(), Side(), cameo="140", place_country="FRA")
    assert pair_score(placed, placed) is not None


def test_haversine() -> None:
    assert haversine_km(*GAZA[2:], *KHAN_YOUNIS[2:]) == pytest.approx(23, abs=3)
    assert haversine_km(0, 0, 0, 1) == pytest.approx(111.2, abs=0.5)


def test_candidate_keys() -> None:
    assert candidate_keys("ASSAULT", "ISR", "PSE") == [("ISR", "PSE"), ("ISR", None), (None, "PSE")]
    assert candidate_keys("ASSAULT", "ISR", None) == [("ISR", None)]
    assert ("CHN", "RUS") in candidate_keys("CONSULT", "RUS", "CHN")


# ------------------------------------------------------------------------------------------
# through the store


def _cluster(conn: sa.Connection, cid: str) -> Any:
    return conn.execute(
        sa.select(schema.event_clusters).where(schema.event_clusters.c.cluster_id == cid)
    ).one()


def _n_clusters(conn: sa.Connection) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(schema.event_clusters)).scalar_one())


def _text(i: int) -> str:
    return f"Independent report number {i} written in its own words about the events of the day {i}."


def test_three_reports_of_one_strike_merge_with_toll_disagreement(
    conn: sa.Connection, writer: MiniWriter
) -> None:
    tolls = [("Outlet A", 12, "e1"), ("Outlet B", 12, "e2"), ("Outlet C", 15, "e3")]
    stored = [
        writer.write(
            f"{i:040d}", _text(i),
            [make_event(eid, place=GAZA if i != 2 else KHAN_YOUNIS, dead=dead,
                        reported_by="health ministry" if i == 2 else None)],
            source=src, pub_date=D + dt.timedelta(days=1 if i == 2 else 0),
        )
        for i, (src, dead, eid) in enumerate(tolls)
    ]
    cids = {s.cluster_ids[0] for s in stored}
    assert len(cids) == 1
    row = _cluster(conn, cids.pop())
    assert row.cluster_id == cluster_id_for(f"{0:040d}", "e1")
    assert (row.num_mentions, row.num_articles, row.num_sources) == (3, 3, 3)
    assert (row.date_first, row.date_last) == (D, D)
    assert row.place_country == "PSE"
    dis = json.loads(row.disagreements)
    assert [d["field"] for d in dis] == ["dead"]
    by_value = {v["value"]: v["reports"] for v in dis[0]["values"]}
    assert sorted(by_value) == [12, 15]
    assert {r["source"] for r in by_value[12]} == {"Outlet A", "Outlet B"}
    assert by_value[15] == [
        {"source": "Outlet C", "article_id": f"{2:040d}", "event_id": "e3",
         "reported_by": "health ministry", "duplicate_article": False}
    ]


def test_agreeing_tolls_record_no_disagreement(conn: sa.Connection, writer: MiniWriter) -> None:
    a = writer.write("a" * 40, _text(1), [make_event("e1", dead=12)], source="A")
    writer.write("b" * 40, _text(2), [make_event("e2", dead=12, qualifiers={"dead": "exact"})], source="B")
    writer.write("c" * 40, _text(3), [make_event("e3", dead=10, qualifiers={"dead": "at_least"})], source="C")
    assert json.loads(_cluster(conn, a.cluster_ids[0]).disagreements) == []


def test_same_type_different_dates_are_separate(conn: sa.Connection, writer: MiniWriter) -> None:
    one = writer.write("a" * 40, _text(1), [make_event("e1", date=D)])
    two = writer.write("b" * 40, _text(2), [make_event("e2", date=D + dt.timedelta(days=5))])
    three = writer.write("c" * 40, _text(3), [make_event("e3", date=D + dt.timedelta(days=1))])
    assert one.cluster_ids != two.cluster_ids
    assert three.cluster_ids == one.cluster_ids  # +-1 day for day precision
    assert _n_clusters(conn) == 2


def test_month_precision_joins_a_day_cluster_without_stretching_it(
    conn: sa.Connection, writer: MiniWriter
) -> None:
    one = writer.write("a" * 40, _text(1), [make_event("e1", date=D)])
    two = writer.write("b" * 40, _text(2), [make_event("e2", date=dt.date(2024, 3, 1), precision="month")])
    assert one.cluster_ids == two.cluster_ids
    row = _cluster(conn, one.cluster_ids[0])
    assert (row.date_first, row.date_last) == (D, D)


def test_swapped_consult_actors_merge(conn: sa.Connection, writer: MiniWriter) -> None:
    rus, chn = ("Russia", "RUS", "GOV"), ("China", "CHN", "GOV")
    one = writer.write("a" * 40, _text(1), [make_event("e1", "CONSULT", "040", actor=rus, recipient=chn)])
    two = writer.write("b" * 40, _text(2), [make_event("e2", "CONSULT", "040", actor=chn, recipient=rus)])
    assert one.cluster_ids == two.cluster_ids
    assert _cluster(conn, one.cluster_ids[0]).num_articles == 2
    # not for a directed type
    three = writer.write("c" * 40, _text(3), [make_event("e3", "ACCUSE", "112", actor=rus, recipient=chn)])
    four = writer.write("d" * 40, _text(4), [make_event("e4", "ACCUSE", "112", actor=chn, recipient=rus)])
    assert three.cluster_ids != four.cluster_ids


def test_different_actors_or_places_stay_apart(conn: sa.Connection, writer: MiniWriter) -> None:
    writer.write("a" * 40, _text(1), [make_event("e1", place=GAZA)])
    writer.write("b" * 40, _text(2), [make_event("e2", place=RAFAH_FAR)])
    writer.write("c" * 40, _text(3), [make_event("e3", actor=("Hezbollah", "LBN", "REB"))])
    writer.write("d" * 40, _text(4), [make_event("e4", event_type="PROTEST", cameo="140")])
    assert _n_clusters(conn) == 4


def test_more_specific_event_joins_cluster_with_unknown_recipient(
    conn: sa.Connection, writer: MiniWriter
) -> None:
    one = writer.write("a" * 40, _text(1), [make_event("e1", recipient=None, place=GAZA)])
    two = writer.write("b" * 40, _text(2), [make_event("e2", place=GAZA)])
    assert one.cluster_ids == two.cluster_ids


def test_duplicate_article_events_do_not_inflate_counts(conn: sa.Connection, writer: MiniWriter) -> None:
    body = " ".join(f"word{i}" for i in range(200))
    one = writer.write("a" * 40, body, [make_event("e1", dead=12)], source="Wire")
    two = writer.write("b" * 40, "Other headline\n" + body, [make_event("e2", dead=15)], source="Reprinter")
    assert two.dup_group == "a" * 40
    assert one.cluster_ids == two.cluster_ids
    row = _cluster(conn, one.cluster_ids[0])
    assert (row.num_mentions, row.num_articles, row.num_sources) == (2, 1, 1)
    dis = json.loads(row.disagreements)
    dup_report = next(v for v in dis[0]["values"] if v["value"] == 15)["reports"][0]
    assert dup_report["duplicate_article"] is True
    ev = conn.execute(sa.select(schema.events.c.duplicate_article).where(schema.events.c.event_id == "e2")).scalar_one()
    assert ev is True


def test_sources_counted_by_outlet_and_unknown_by_article(conn: sa.Connection, writer: MiniWriter) -> None:
    first = writer.write("a" * 40, _text(1), [make_event("e1")], source="Outlet A")
    writer.write("b" * 40, _text(2), [make_event("e2")], source="Outlet A")
    writer.write("c" * 40, _text(3), [make_event("e3")], source=None)
    writer.write("d" * 40, _text(4), [make_event("e4")], source=None)
    row = _cluster(conn, first.cluster_ids[0])
    assert (row.num_mentions, row.num_articles, row.num_sources) == (4, 4, 3)


def test_two_mentions_in_one_article_count_one_article(conn: sa.Connection, writer: MiniWriter) -> None:
    s = writer.write("a" * 40, _text(1), [make_event("e1", confidence=0.5), make_event("e2", confidence=0.9)])
    assert s.cluster_ids[0] == s.cluster_ids[1]
    row = _cluster(conn, s.cluster_ids[0])
    assert (row.num_mentions, row.num_articles, row.num_sources) == (2, 1, 1)
    assert row.representative_event_id == "e2"


def test_first_seen_and_date_range(conn: sa.Connection, writer: MiniWriter) -> None:
    one = writer.write("a" * 40, _text(1), [make_event("e1", date=D)], pub_date=D + dt.timedelta(days=2))
    writer.write("b" * 40, _text(2), [make_event("e2", date=D + dt.timedelta(days=1))], pub_date=D + dt.timedelta(days=1))
    row = _cluster(conn, one.cluster_ids[0])
    assert (row.date_first, row.date_last) == (D, D + dt.timedelta(days=1))
    assert row.first_seen.replace(tzinfo=None) == dt.datetime(2024, 3, 6)


def _feed(w: MiniWriter) -> list[list[str]]:
    rus, chn = ("Russia", "RUS", "GOV"), ("China", "CHN", "GOV")
    plan = [
        [make_event("e1", dead=3, place=GAZA), make_event("e2", "CONSULT", "040", actor=rus, recipient=chn)],
        [make_event("e3", dead=4, place=KHAN_YOUNIS)],
        [make_event("e4", "CONSULT", "040", actor=chn, recipient=rus, date=D + dt.timedelta(days=1))],
        [make_event("e5", date=D + dt.timedelta(days=9))],
    ]
    return [w.write(f"{i:040d}", _text(i), evs, source=f"S{i % 2}").cluster_ids for i, evs in enumerate(plan)]


def test_determinism_same_articles_same_clusters(conn: sa.Connection) -> None:
    first = _feed(MiniWriter(conn))
    rows = conn.execute(sa.select(schema.event_clusters).order_by(schema.event_clusters.c.cluster_id)).all()
    engine = sa.create_engine("sqlite://")
    with engine.connect() as other:
        schema.metadata.create_all(other)
        assert _feed(MiniWriter(other)) == first
        again = other.execute(sa.select(schema.event_clusters).order_by(schema.event_clusters.c.cluster_id)).all()
    engine.dispose()

    def norm(r: Any) -> tuple[Any, ...]:
        d = r._asdict()
        d["first_seen"] = d["first_seen"].replace(tzinfo=None)
        return tuple(d.items())

    assert [norm(r) for r in rows] == [norm(r) for r in again]
    assert len({c for cs in first for c in cs}) == 3
