"""The fast paths of an ingest: coding in a worker process (also with one), the writer's cached
statements, --shard-dir. The output must be the same as coding in this process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_helpers import dump
from typer.testing import CliRunner

import newsevents.ingest
from newsevents.cli import app
from newsevents.engines import DaskEngine, LocalEngine, make_engine
from newsevents.model import Article
from newsevents.store import open_store

STORIES = [
    ("a1", "Russia attacked Kharkiv on Monday, killing three people, officials said."),
    ("a2", "   "),  # empty: an E006 failure
    ("a3", "Police arrested 40 protesters in Tbilisi on Tuesday."),
    ("a4", "Россия атаковала Харьков в понедельник, заявили официальные лица."),  # not English
    ("a5", "The president of Kenya visited Uganda on Thursday and signed two trade agreements."),
    ("a6", "Qatar's foreign minister met his Egyptian counterpart in Doha."),
    ("a7", "Nothing happened here at all."),
]


def _articles() -> list[Article]:
    return [Article(id=i, text=t) for i, t in STORIES]


@pytest.mark.parametrize(
    ("kwargs", "in_process", "n"),
    [({}, False, 1), ({"n_process": 0}, True, 1), ({"in_process": True}, True, 1), ({"n_process": 2}, False, 2)],
)
def test_local_engine_modes(kwargs: dict[str, object], in_process: bool, n: int) -> None:
    engine = LocalEngine(**kwargs)  # type: ignore[arg-type]
    assert (engine.in_process, engine.n_process) == (in_process, n)
    assert ("in_process=True" in repr(engine)) is in_process


def test_make_engine_local_zero_is_in_process_and_dask_gets_the_shard_dir(tmp_path: Path) -> None:
    local = make_engine("local", n_process=0)
    assert isinstance(local, LocalEngine) and local.in_process
    dask = newsevents.ingest.make_engine("dask", shard_dir=tmp_path / "shards", workers=1)
    assert isinstance(dask, DaskEngine) and dask.shard_dir == tmp_path / "shards"
    assert not dask.running


def test_cli_passes_shard_dir_and_n_process_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, object] = {}

    class Stop(Exception):
        pass

    def fake_make_engine(name: str, **kwargs: object) -> object:
        seen.update(kwargs, name=name)
        raise Stop

    monkeypatch.setattr(newsevents.ingest, "make_engine", fake_make_engine)
    source = tmp_path / "a.jsonl"
    source.write_text(json.dumps({"id": "x", "text": "Qatar met Egypt."}) + "\n", encoding="utf-8")
    args = ["ingest", str(source), "--db", str(tmp_path / "x.db"), "--engine", "dask", "--shard-dir", str(tmp_path / "sh")]
    result = CliRunner().invoke(app, args)
    assert "Stop" in result.output  # reported by the CLI's guard
    assert seen["name"] == "dask" and seen["shard_dir"] == tmp_path / "sh"
    result = CliRunner().invoke(app, ["ingest", str(source), "--db", str(tmp_path / "x.db"), "--n-process", "0"])
    assert "Stop" in result.output
    assert seen["name"] == "local" and seen["n_process"] == 0
    help_text = CliRunner().invoke(app, ["ingest", "--help"], env={"COLUMNS": "200"}).output
    assert "--shard-dir" in help_text and "--n-process" in help_text


@pytest.mark.model
@pytest.mark.parametrize("batch_size", [1, 3, 32])
def test_worker_results_equal_in_process_results(batch_size: int) -> None:
    articles = _articles()
    here = list(LocalEngine(n_process=0, batch_size=batch_size).code(articles))
    worker = list(LocalEngine(n_process=1, batch_size=batch_size).code(iter(articles)))
    assert [r.article.id for r in worker] == [a.id for a in articles]  # input order
    assert worker == here
    assert any(r.events for r in worker)
    assert [r.error.code for r in worker if r.error] == ["E006", "E009"]


@pytest.mark.model
def test_worker_engine_handles_empty_input_and_early_stop() -> None:
    assert list(LocalEngine(n_process=1).code([])) == []
    stream = LocalEngine(n_process=1, batch_size=1).code(_articles())
    first = next(stream)
    assert first.article.id == "a1"
    stream.close()  # stopping early shuts the pool down without hanging


@pytest.mark.model
def test_ingest_with_a_worker_stores_what_in_process_coding_stores(tmp_path: Path) -> None:
    source = tmp_path / "stories.jsonl"
    records = [{"id": i, "text": t, "date": "2024-03-04", "source": "Wire"} for i, t in STORIES]
    records.append({"id": "copy", "text": STORIES[0][1] + "  "})  # the same article again
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    dumps = []
    for name, n_process in (("here", 0), ("worker", 1)):
        with open_store(str(tmp_path / f"{name}.db")) as store:
            summary = newsevents.ingest.ingest([str(source)], store, n_process=n_process, batch_size=2, progress=False)
            assert (summary.docs_read, summary.coded, summary.present, summary.failed) == (8, 5, 1, 2)
            dumps.append(dump(store))
    assert dumps[0] == dumps[1]
    assert dumps[0]["events"]


_ORPHAN_SCRIPT = """
import os, sys, time
from newsevents.engines import LocalEngine
from newsevents.model import Article

def articles():
    yield Article(id="a", text="Police arrested 40 protesters in Tbilisi on Tuesday.")
    print("READY", flush=True)
    time.sleep(600)
    yield Article(id="b", text="Qatar met Egypt.")

for result in LocalEngine(n_process=1, batch_size=1).code(articles()):
    pass
"""


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry))
    return found


@pytest.mark.model
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux-only")
def test_workers_die_with_a_killed_parent() -> None:
    proc = subprocess.Popen([sys.executable, "-c", _ORPHAN_SCRIPT], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "READY"
        deadline = time.monotonic() + 60
        workers: list[int] = []
        while time.monotonic() < deadline and not workers:
            workers = _children(proc.pid)
            time.sleep(0.05)
        assert workers, "no worker process was started"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        if proc.stdout is not None:
            proc.stdout.close()
    deadline = time.monotonic() + 20
    alive = workers
    while time.monotonic() < deadline and alive:
        alive = [pid for pid in alive if Path(f"/proc/{pid}").exists() and _state(pid) != "Z"]
        time.sleep(0.05)
    for pid in alive:  # never leave a process behind, even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not alive, f"orphaned workers {alive}"


def _state(pid: int) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return "Z"
    return stat[stat.rfind(")") + 2 :].split()[0]
