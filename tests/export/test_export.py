"""The exporters, format by format, against a small hand-built store."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from _export_store import Fixture

from newsevents.cli import CSV_COLUMNS, csv_row
from newsevents.errors import NewsEventsError
from newsevents.export import FORMATS, ExportSummary, export_events
from newsevents.export.gdelt import GDELT_COLUMNS, global_event_id
from newsevents.export.plover import PLOVER_FIELDS, validate_plover
from newsevents.model import Event
from newsevents.store.query import EventFilter


def _text(
    fx: Fixture, fmt: str, f: EventFilter | None = None, **kw: object
) -> tuple[str, ExportSummary]:
    out = io.StringIO()
    summary = export_events(fx.store, fmt, out, f, **kw)  # type: ignore[arg-type]
    return out.getvalue(), summary


# -- jsonl -------------------------------------------------------------------------------------


def test_jsonl_is_the_stored_record_in_date_order(fx: Fixture) -> None:
    text, summary = _text(fx, "jsonl")
    lines = text.splitlines()
    assert summary.records == len(lines) == len(fx.visible)
    assert [json.loads(line) for line in lines] == [s.event.to_json_dict() for s in fx.visible]
    assert [Event.model_validate_json(line) for line in lines] == [s.event for s in fx.visible]


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (EventFilter(event_type=["ASSAULT"]), ["doc-1:e0", "doc-2:e0"]),
        (
            EventFilter(event_type=["ASSAULT"], include_duplicates=True),
            ["doc-1:e0", "doc-2:e0", "doc-3:e0"],
        ),
        (EventFilter(date_from=dt.date(2024, 4, 1)), ["doc-4:e0", "doc-6:e0"]),
        (EventFilter(date_to=dt.date(2023, 12, 31)), ["doc-5:e0"]),
        (EventFilter(quad_class=[1, 2]), ["doc-4:e0", "doc-6:e0"]),
        (EventFilter(country="UNO"), ["doc-5:e0", "doc-4:e0"]),
        (EventFilter(factuality=["reported"]), ["doc-2:e0"]),
        (EventFilter(place_country="USA"), ["doc-4:e0"]),
        (
            EventFilter(cluster_id="c-assault", include_duplicates=True),
            ["doc-1:e0", "doc-2:e0", "doc-3:e0"],
        ),
        (EventFilter(event_type=["PROTEST"]), []),
    ],
)
def test_filters_select_the_same_events_as_the_api(
    fx: Fixture, flt: EventFilter, expected: list[str]
) -> None:
    text, summary = _text(fx, "jsonl", flt)
    assert [json.loads(line)["event_id"] for line in text.splitlines()] == expected
    assert summary.records == len(expected)


def test_connection_engine_and_store_sources_agree(fx: Fixture) -> None:
    by_store, _ = _text(fx, "jsonl")
    out = io.StringIO()
    export_events(fx.store.engine, "jsonl", out)
    with fx.store.connect() as conn:
        out2 = io.StringIO()
        export_events(conn, "jsonl", out2)
        assert not conn.closed  # a connection passed in is left open
    assert by_store == out.getvalue() == out2.getvalue()


def test_unknown_format_is_E501(fx: Fixture) -> None:
    with pytest.raises(NewsEventsError) as info:
        export_events(fx.store, "xlsx", io.StringIO())
    assert info.value.code == "E501"
    assert set(FORMATS) == {"parquet", "csv", "jsonl", "plover", "gdelt"}


def test_text_format_to_a_file_path(fx: Fixture, tmp_path: Path) -> None:
    target = tmp_path / "sub" / "events.jsonl"
    summary = export_events(fx.store, "jsonl", target)
    assert summary.files == (target,)
    assert len(target.read_text().splitlines()) == summary.records == len(fx.visible)


# -- csv ---------------------------------------------------------------------------------------


def test_csv_has_the_code_columns_plus_cluster_and_article(fx: Fixture) -> None:
    text, summary = _text(fx, "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == (*CSV_COLUMNS, "cluster_id", "article_id")
    assert summary.records == len(rows) - 1 == len(fx.visible)
    for row, stored in zip(rows[1:], fx.visible, strict=True):
        assert row == [*csv_row(stored.event), stored.cluster_id or "", stored.article_id]


def test_csv_round_trips_through_pandas(fx: Fixture) -> None:
    pd = pytest.importorskip("pandas")
    text, _ = _text(fx, "csv")
    frame = pd.read_csv(io.StringIO(text), keep_default_na=False, dtype=str)
    assert list(frame["event_id"]) == [s.event.event_id for s in fx.visible]
    assert list(frame["sentence"]) == [s.event.evidence.sentence for s in fx.visible]


# -- parquet -----------------------------------------------------------------------------------


def test_parquet_dataset_is_hive_partitioned(fx: Fixture, tmp_path: Path) -> None:
    root = tmp_path / "ds"
    summary = export_events(fx.store, "parquet", root)
    rel = sorted(str(p.relative_to(root)) for p in summary.files)
    assert rel == [
        "year=2023/month=12/part-0.parquet",
        "year=2024/month=03/part-0.parquet",
        "year=2024/month=04/part-0.parquet",
    ]
    assert summary.records == len(fx.visible)


def test_parquet_reads_back_in_duckdb_with_types(fx: Fixture, tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    root = tmp_path / "ds"
    export_events(fx.store, "parquet", root)
    con = duckdb.connect()
    try:
        rel = con.sql(
            f"SELECT * FROM read_parquet('{root.as_posix()}/**/*.parquet', hive_partitioning = true, "
            "hive_types = {'year': INTEGER, 'month': INTEGER}) "
            "ORDER BY date, event_id"
        )
        types = dict(zip(rel.columns, [str(t) for t in rel.types], strict=True))
        rows = rel.fetchall()
        cols = rel.columns
    finally:
        con.close()
    assert types["date"] == "DATE"
    assert types["pub_date"] == "DATE"
    assert types["quad_class"] == "INTEGER"
    assert types["goldstein"] == "DOUBLE"
    assert types["dead"] == "INTEGER"
    assert types["duplicate_article"] == "BOOLEAN"
    assert types["context"] == "VARCHAR[]"
    assert types["actor"].startswith("STRUCT(") and types["actor"].endswith("[]")
    assert types["year"] == "INTEGER" and types["month"] == "INTEGER"
    assert len(rows) == len(fx.visible)
    for row, stored in zip(rows, fx.visible, strict=True):
        m = dict(zip(cols, row, strict=True))
        ev = stored.event
        assert m["event_id"] == ev.event_id
        assert m["date"] == ev.date.value
        assert (m["year"], m["month"]) == (ev.date.value.year, ev.date.value.month)
        assert m["quad_class"] == ev.quad_class and m["goldstein"] == ev.goldstein
        assert m["cluster_id"] == stored.cluster_id
        assert m["dead"] == ev.size.dead
        assert m["lat"] == (ev.location.lat if ev.location else None)
        assert m["geonameid"] == (ev.location.geonameid if ev.location else None)
        assert [a["code"] for a in m["actor"]] == [a.code for a in ev.actor]
        assert [a["sectors"] for a in m["recipient"]] == [a.sectors for a in ev.recipient]
        assert m["trigger"] == ev.evidence.trigger.text
        assert m["url"] == stored.url


def test_parquet_reads_back_in_pandas(fx: Fixture, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    root = tmp_path / "ds"
    export_events(fx.store, "parquet", root)
    frame = pd.read_parquet(root).sort_values(["date", "event_id"]).reset_index(drop=True)
    assert list(frame["event_id"]) == [s.event.event_id for s in fx.visible]
    assert str(frame["quad_class"].dtype) == "int32"
    assert str(frame["goldstein"].dtype) == "float64"
    assert list(frame["date"]) == [
        s.event.date.value for s in fx.visible
    ]  # date32 → datetime.date objects
    assert frame["dead"].isna().sum() == sum(s.event.size.dead is None for s in fx.visible)
    assert [int(y) for y in frame["year"]] == [s.event.date.value.year for s in fx.visible]
    first = frame.iloc[0]
    assert list(first["context"]) == fx.visible[0].event.context


def test_parquet_row_groups_stream_in_small_batches(fx: Fixture, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    root = tmp_path / "ds"
    summary = export_events(fx.store, "parquet", root, batch_size=1, row_group_size=1)
    march = root / "year=2024" / "month=03" / "part-0.parquet"
    assert pq.ParquetFile(march).metadata.num_row_groups == 2
    assert sum(pq.ParquetFile(p).metadata.num_rows for p in summary.files) == len(fx.visible)


def test_parquet_needs_a_new_or_empty_directory(fx: Fixture, tmp_path: Path) -> None:
    with pytest.raises(NewsEventsError) as info:
        export_events(fx.store, "parquet", io.StringIO())
    assert info.value.code == "E502"
    used = tmp_path / "used"
    used.mkdir()
    (used / "x.txt").write_text("x")
    with pytest.raises(NewsEventsError) as info:
        export_events(fx.store, "parquet", used)
    assert info.value.code == "E503"


def test_parquet_empty_export_writes_no_files(fx: Fixture, tmp_path: Path) -> None:
    summary = export_events(
        fx.store, "parquet", tmp_path / "none", EventFilter(event_type=["PROTEST"])
    )
    assert summary.records == 0 and summary.files == ()


# -- plover ------------------------------------------------------------------------------------


def test_plover_records_validate_and_map_fields(fx: Fixture) -> None:
    text, summary = _text(fx, "plover")
    records = [json.loads(line) for line in text.splitlines()]
    assert summary.records == len(records) == len(fx.visible)
    for rec, stored in zip(records, fx.visible, strict=True):
        assert validate_plover(rec) == []
        assert all(rec.get(k) is not None for k, required in PLOVER_FIELDS.items() if required)
        ev = stored.event
        assert rec["id"] == ev.event_id
        assert rec["date"] == ev.date.value.isoformat()
        assert rec["event"] == [ev.event_type]
        assert rec["quad_code"] == ev.quad_class
        assert rec["link"] == stored.cluster_id
        assert rec["cite_info"]["url"] == stored.url
        assert rec["cite_info"]["publication"] == stored.source
        assert [a["code"] for a in rec["actor"]] == [a.country for a in ev.actor]
        assert [a["sector"] for a in rec["actor"]] == [a.sector for a in ev.actor]
    kharkiv = records[1]["event_loc"]
    assert kharkiv["resolved_place"] == "Kharkiv" and kharkiv["country_code"] == "UKR"
    assert kharkiv["country"] == "Ukraine" and kharkiv["feature_class"] == "P"
    reported = next(r for r in records if r["id"] == "doc-2:e0")
    assert (
        reported["factuality"] == "reported"
        and reported["reported_by"]["identifier_text"] == "United Nations"
    )
    assert next(r for r in records if r["id"] == "doc-4:e0")["mode"] == ["visit"]
    assert records[2]["recipient"][0]["other_sector_codes"] == ["JRN"]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"id": ""}, "id must be a non-empty string"),
        ({"date": "05/03/2024"}, "date must be YYYY-MM-DD"),
        ({"event": []}, "event must name at least one event category"),
        ({"quad_code": 7}, "quad_code must be 1, 2, 3 or 4"),
        ({"bogus": 1}, "unknown field 'bogus'"),
        ({"actor": [{"kode": "USA"}]}, "actor[0] has an unknown field 'kode'"),
    ],
)
def test_validate_plover_reports_problems(
    fx: Fixture, change: dict[str, object], problem: str
) -> None:
    text, _ = _text(fx, "plover")
    record = json.loads(text.splitlines()[0]) | change
    assert problem in validate_plover(record)


# -- gdelt -------------------------------------------------------------------------------------


def _gdelt(fx: Fixture, **kw: object) -> list[dict[str, str]]:
    text, summary = _text(fx, "gdelt", **kw)
    lines = text.split("\n")
    assert lines[-1] == ""
    rows = [line.split("\t") for line in lines[:-1]]
    assert all(len(r) == 61 for r in rows)
    assert tuple(rows[0]) == GDELT_COLUMNS
    assert summary.records == len(rows) - 1
    return [dict(zip(GDELT_COLUMNS, r, strict=True)) for r in rows[1:]]


def test_gdelt_header_is_the_61_gdelt2_columns() -> None:
    assert len(GDELT_COLUMNS) == 61
    assert GDELT_COLUMNS[:6] == (
        "GLOBALEVENTID",
        "SQLDATE",
        "MonthYear",
        "Year",
        "FractionDate",
        "Actor1Code",
    )
    assert GDELT_COLUMNS[12:15] == ("Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code")
    assert GDELT_COLUMNS[25:35] == (
        "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
        "NumMentions", "NumSources", "NumArticles", "AvgTone",
    )  # fmt: skip
    assert GDELT_COLUMNS[51:] == (
        "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
        "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
        "DATEADDED", "SOURCEURL",
    )  # fmt: skip
    assert len(set(GDELT_COLUMNS)) == 61


def test_gdelt_one_row_per_cluster_with_cluster_counts(fx: Fixture) -> None:
    rows = _gdelt(fx)
    # three clusters (the duplicate article's event is in c-assault) plus the unclustered doc-6
    assert len(rows) == 4
    by_id = {r["GLOBALEVENTID"]: r for r in rows}
    assault = by_id[str(global_event_id("c-assault"))]
    assert (assault["NumMentions"], assault["NumSources"], assault["NumArticles"]) == (
        "3",
        "2",
        "3",
    )
    assert (
        assault["SQLDATE"] == "20240305"
        and assault["MonthYear"] == "202403"
        and assault["Year"] == "2024"
    )
    assert assault["FractionDate"] == f"{2024 + 65 / 365:.4f}"
    assert (assault["EventCode"], assault["EventBaseCode"], assault["EventRootCode"]) == (
        "190",
        "190",
        "19",
    )
    assert assault["QuadClass"] == "4" and assault["GoldsteinScale"] == "-10"
    assert assault["Actor1Code"] == "RUSMIL" and assault["Actor1CountryCode"] == "RUS"
    assert assault["Actor1Name"] == "RUSSIA" and assault["Actor1Type1Code"] == "MIL"
    assert (
        assault["Actor2Type1Code"] == "GOV" and assault["Actor2Type2Code"] == "MED"
    )  # PLOVER JRN → CAMEO MED
    assert assault["IsRootEvent"] == "1" and assault["AvgTone"] == ""
    assert (
        assault["ActionGeo_Type"] == "4" and assault["ActionGeo_CountryCode"] == "UP"
    )  # FIPS for Ukraine
    assert assault["ActionGeo_FullName"] == "Kharkiv, Kharkivska, Ukraine"
    assert assault["ActionGeo_FeatureID"] == "706483"
    assert assault["Actor1Geo_Type"] == "0" and assault["Actor1Geo_FullName"] == ""
    assert assault["DATEADDED"] == "20240501123015"
    assert assault["SOURCEURL"] == "https://example.org/1"
    consult = by_id[str(global_event_id("c-consult"))]
    assert consult["Actor2CountryCode"] == "" and consult["Actor2KnownGroupCode"] == "UNO"
    assert consult["ActionGeo_Type"] == "2" and consult["ActionGeo_CountryCode"] == "US"
    assert consult["QuadClass"] == "1" and consult["GoldsteinScale"] == "1"
    accuse = by_id[str(global_event_id("c-accuse"))]
    assert accuse["ActionGeo_Type"] == "1" and accuse["ActionGeo_FullName"] == "Syria"
    assert accuse["ActionGeo_FeatureID"] == "SY" and accuse["SOURCEURL"] == "Radio Example"
    aid = by_id[str(global_event_id("doc-6:e0"))]
    assert aid["NumMentions"] == "1" and aid["ActionGeo_Type"] == "0"


def test_gdelt_per_event_rows(fx: Fixture) -> None:
    rows = _gdelt(fx, gdelt_per_event=True)
    assert [r["GLOBALEVENTID"] for r in rows] == [
        str(global_event_id(s.event.event_id)) for s in fx.visible
    ]
    assert {r["NumMentions"] for r in rows} == {"1"}
    reported = next(r for r in rows if r["GLOBALEVENTID"] == str(global_event_id("doc-2:e0")))
    assert reported["IsRootEvent"] == "0"


def test_gdelt_filter_keeps_clusters_with_a_matching_event(fx: Fixture) -> None:
    rows = _gdelt(fx, f=EventFilter(factuality=["reported"]))
    assert [r["GLOBALEVENTID"] for r in rows] == [str(global_event_id("c-assault"))]


def test_global_event_id_is_stable_and_positive() -> None:
    assert global_event_id("c-1") == global_event_id("c-1") != global_event_id("c-2")
    assert 0 < global_event_id("c-1") < 2**63
