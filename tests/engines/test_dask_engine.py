"""A Dask run (LocalCluster, 2 worker processes) gives exactly the local run's results."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsevents.engines import DaskEngine, LocalEngine
from newsevents.model import Article
from newsevents.pipeline import CodedDoc, as_article

pytestmark = [pytest.mark.model, pytest.mark.slow]

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "articles.jsonl"


def _articles() -> list[Article]:
    with SAMPLES.open(encoding="utf-8") as handle:
        articles = [as_article(json.loads(line), index=n) for n, line in enumerate(handle)]
    return [
        *articles,
        Article(id="empty", text="   \n "),  # fails: E006
        Article(id="short", text="Russia warned Ukraine on Monday.", source="Constructed"),
        Article(id="no-event", text="The weather in Oslo was mild.", title="Weather"),
        Article(
            id="unicode",
            text="Égypte\u2019s president met Jordan\u2019s king in Cairo on 5 March 2024.",
        ),
    ]


def _key(result: CodedDoc) -> tuple[Any, ...]:
    return (
        result.article.model_dump(mode="json"),
        [event.to_json_dict() for event in result.events],
        [entity.model_dump(mode="json") for entity in result.entities],
        None if result.error is None else result.error.model_dump(),
    )


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    return _articles()


@pytest.fixture(scope="module")
def local_results(articles: list[Article]) -> list[tuple[Any, ...]]:
    return [_key(r) for r in LocalEngine(n_process=1, batch_size=3).code(articles)]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaskEngine]:
    with DaskEngine(
        n_workers=2, batch_size=2, shard_dir=tmp_path_factory.mktemp("shards")
    ) as started:
        yield started
    assert not started.running


def test_dask_matches_local(
    engine: DaskEngine, articles: list[Article], local_results: list[tuple[Any, ...]]
) -> None:
    results = [_key(r) for r in engine.code(articles)]
    assert results == local_results
    assert [r[0]["id"] for r in results] == [a.id for a in articles]
    errors = {r[0]["id"]: r[3] for r in results if r[3] is not None}
    assert list(errors) == ["empty"] and errors["empty"]["code"] == "E006"
    assert sum(len(r[1]) for r in results) > 0
    assert engine.shard_dir is not None and list(engine.shard_dir.iterdir()) == []


def test_workers_report_memory(engine: DaskEngine) -> None:
    memory = engine.worker_memory()
    assert len(memory) == 2
    for status in memory.values():
        assert status["hwm"] >= status["rss"] > 50 * 2**20  # a loaded pipeline


def test_workers_allocate_like_a_plain_process(engine: DaskEngine) -> None:
    """The nanny's MALLOC_TRIM_THRESHOLD_=65536 is not passed on (unless this process has it)."""
    inherited = os.environ.get("MALLOC_TRIM_THRESHOLD_")
    values = engine.client.run(os.environ.get, "MALLOC_TRIM_THRESHOLD_")
    assert set(values.values()) == {inherited}


def test_lost_worker_is_retried(
    engine: DaskEngine, articles: list[Article], local_results: list[tuple[Any, ...]]
) -> None:
    """Kill a worker process mid-run (as an OOM kill would): its tasks re-run elsewhere."""
    stream = engine.code(articles)
    results = [_key(next(stream))]
    victim = next(iter(engine.worker_memory().values()))["pid"]
    os.kill(victim, signal.SIGKILL)
    results.extend(_key(r) for r in stream)
    assert results == local_results


def test_early_stop_cancels_and_cleans_up(engine: DaskEngine, articles: list[Article]) -> None:
    stream = engine.code(articles)
    first = next(stream)
    stream.close()
    assert first.article.id == articles[0].id
    assert engine.running  # the engine was started explicitly: the cluster stays up
    assert engine.shard_dir is not None and list(engine.shard_dir.glob("*.parquet")) == []


def test_engine_started_by_code_is_closed_afterwards(
    articles: list[Article], local_results: list[tuple[Any, ...]]
) -> None:
    engine = DaskEngine(n_workers=1, batch_size=4)
    results = [_key(r) for r in engine.code(articles[-4:])]
    assert results == local_results[-4:]
    assert not engine.running


def test_local_engine_with_memory_trimming_gives_the_same_results(
    articles: list[Article], local_results: list[tuple[Any, ...]]
) -> None:
    engine = LocalEngine(n_process=1, batch_size=2, trim_memory=True)
    assert [_key(r) for r in engine.code(articles)] == local_results


def test_versions_are_read_when_the_workers_warm_up(engine: DaskEngine) -> None:
    """The warm-up task reports the versions, so an ingest does not wait for another task."""
    from newsevents.engines.dask_engine import _worker_versions

    assert engine._versions is not None
    known = engine.versions()
    assert known == engine.client.submit(_worker_versions, pure=False).result()
    assert {"newsevents", "lexicon", "model"} <= set(known)


def test_a_cluster_that_does_not_come_up_in_time_is_an_error_not_a_hang() -> None:
    from newsevents.errors import NewsEventsError

    # one second is shorter than any worker needs to start and load the model
    engine = DaskEngine(n_workers=1, start_timeout=1.0)
    with pytest.raises(NewsEventsError) as info:
        engine.start()
    assert info.value.code == "E704" and "TimeoutError" in str(info.value)
    assert not engine.running  # the half-started cluster was shut down
