"""Shards round-trip exactly; engines are cheap to construct and chosen by name (no model)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newsevents.engines import DaskEngine, Engine, LocalEngine, make_engine
from newsevents.engines.memory import malloc_trim, process_memory
from newsevents.engines.shards import SHARD_COLUMNS, read_shard, write_shard
from newsevents.errors import NewsEventsError
from newsevents.model import (
    Actor,
    Article,
    Count,
    DocError,
    Entity,
    EntityMention,
    Event,
    EventDate,
    Evidence,
    Place,
    Size,
    Span,
)
from newsevents.pipeline import CodedDoc

TEXT = "Protesters clashed with police in Tbilisi on Sunday; 12 people were hurt, officials said. \u00e9\u4e2d"


def _event() -> Event:
    return Event(
        doc_id="a1",
        event_id="a1-e1",
        event_type="PROTEST",
        mode="demonstrate",
        context=["political"],
        cameo="141",
        quad_class=3,
        goldstein=-6.5,
        plover_score=0.1 + 0.2,  # a float that is not exactly representable
        actor=[Actor(text="Protesters", sector="CVL", sectors=["CVL"], start=0, end=10)],
        recipient=[
            Actor(text="police", country="GEO", sector="COP", start=24, end=30, entity_id="e2")
        ],
        date=EventDate(
            value=dt.date(2024, 3, 3), precision="day", text="Sunday", start=43, end_char=49
        ),
        location=Place(
            text="Tbilisi", name="Tbilisi", country="GEO", lat=41.69, lon=44.83, start=34, end=41
        ),
        size=Size(
            injured=12,
            qualifiers={"injured": "exact"},
            counts=[Count(kind="injured", value=12, text="12 people", start=51, end=60)],
        ),
        reported_by=Actor(text="officials", start=76, end=85),
        factuality="reported",
        evidence=Evidence(
            sentence=TEXT[:89],
            sentence_index=0,
            start=0,
            end=89,
            trigger=Span(text="clashed", start=11, end=18),
        ),
        confidence=0.8,
        versions={"lexicon": "1"},
    )


def _results() -> list[CodedDoc]:
    ok = Article(
        id="a1",
        text=TEXT,
        date=dt.date(2024, 3, 4),
        title="T",
        url="https://x.example/1",
        source="Wire",
    )
    entity = Entity(
        doc_id="a1",
        entity_id="e2",
        name="police",
        country="GEO",
        kind="group",
        mentions=[EntityMention(text="police", start=24, end=30)],
    )
    failed = Article(id="a2", text="   ")
    error = DocError(doc_id="a2", code="E006", stage="normalize", message="[E006] empty")
    return [
        CodedDoc(ok, [_event()], None, [entity]),
        CodedDoc(failed, [], error, []),
        CodedDoc(Article(id="a3", text="Nothing happened."), [], None, []),
    ]


def test_shard_round_trip_is_exact(tmp_path: Path) -> None:
    results = _results()
    path = write_shard(results, tmp_path / "sub" / "batch.parquet")
    assert path.is_file()
    assert [p.name for p in path.parent.iterdir()] == ["batch.parquet"]  # no partial file left
    back = read_shard(path)
    assert back == results
    assert [e.to_json_dict() for e in back[0].events] == [
        e.to_json_dict() for e in results[0].events
    ]


def test_shard_columns_are_readable_without_newsevents(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    path = write_shard(_results(), tmp_path / "b.parquet")
    table = pq.read_table(path)
    assert tuple(table.column_names) == SHARD_COLUMNS
    rows = table.to_pylist()
    assert [r["id"] for r in rows] == ["a1", "a2", "a3"]
    assert rows[1]["error_code"] == "E006" and rows[0]["error_code"] is None
    assert rows[0]["date"] == dt.date(2024, 3, 4)


def test_empty_shard(tmp_path: Path) -> None:
    assert read_shard(write_shard([], tmp_path / "empty.parquet")) == []


@pytest.mark.parametrize(
    ("name", "kind"),
    [("local", LocalEngine), ("LOCAL", LocalEngine), ("dask", DaskEngine), (" dask ", DaskEngine)],
)
def test_make_engine(name: str, kind: type) -> None:
    engine = make_engine(name, n_process=2, workers=3, batch_size=8)
    assert isinstance(engine, kind)
    assert isinstance(engine, Engine)


def test_make_engine_rejects_unknown_names() -> None:
    with pytest.raises(NewsEventsError) as info:
        make_engine("spark")
    assert info.value.code == "E701"


def test_dask_engine_construction_starts_nothing(tmp_path: Path) -> None:
    engine = DaskEngine(
        scheduler="tcp://127.0.0.1:1", n_workers=3, batch_size=0, shard_dir=tmp_path / "s"
    )
    assert not engine.running
    assert engine.batch_size == 1
    assert not (tmp_path / "s").exists()
    assert engine.worker_memory() == {}
    engine.close()  # closing an engine that never started is fine
    assert "tcp://127.0.0.1:1" in repr(engine)


@pytest.mark.parametrize(("threshold", "expected"), [(None, None), (65536, "65536")])
def test_nanny_pre_spawn_environment_override(threshold: int | None, expected: str | None) -> None:
    engine = DaskEngine(malloc_trim_threshold=threshold)
    config = engine.dask_config()
    assert config["distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_"] == expected
    assert config["distributed.worker.profile.enabled"] is False


def test_process_memory_reads_proc() -> None:
    memory = process_memory()
    if not Path("/proc/self/status").exists():
        assert memory == {}
        return
    assert memory["hwm"] >= memory["rss"] > 0
    assert process_memory(2**22 + 12345) == {}


def test_unreachable_scheduler_is_a_coded_error() -> None:
    engine = DaskEngine(scheduler="tcp://127.0.0.1:9", warm_up=False)
    import dask

    with (
        dask.config.set({"distributed.comm.timeouts.connect": "1s"}),
        pytest.raises(NewsEventsError) as info,
    ):
        list(engine.code([Article(id="x", text="Nothing.")]))
    assert info.value.code == "E704"
    assert not engine.running


def test_malloc_trim_is_safe_to_call() -> None:
    assert malloc_trim() in (True, False)
