"""ingest(): streaming, skipping stored articles before coding, failures, globs; the CLI; readers."""

from __future__ import annotations

import gzip
import json
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select
from store_helpers import FAKE_HOOKS, FakeEngine, dump
from typer.testing import CliRunner

from newsevents.cli import app
from newsevents.ingest import IngestSummary, count_documents, expand_paths, ingest
from newsevents.store import Store, open_store, schema
from newsevents.store import schema as s
from newsevents.store.reader import store_info


def _write_jsonl(path: Path, records: list[dict[str, object]], *, gz: bool = False) -> Path:
    lines = "".join(json.dumps(r) + "\n" for r in records)
    if gz:
        path.write_bytes(gzip.compress(lines.encode()))
    else:
        path.write_text(lines, encoding="utf-8")
    return path


RECORDS: list[dict[str, object]] = [
    {"id": "r1", "text": "Russia attacked Kharkiv on Monday.", "date": "2024-03-04"},
    {"id": "r2", "text": "Georgia protested in Tbilisi; police attacked the crowd.", "date": "2024-03-05"},
    {"id": "r3", "text": "Qatar met Egypt in Doha.", "date": "2024-03-05", "source": "Wire"},
    {"id": "r4", "text": "  Russia attacked   Kharkiv on Monday. ", "date": "2024-03-04"},  # same text as r1
    {"id": "r5", "text": "This document will FAIL in the coder."},
    {"id": "r6", "text": ""},  # a read error (E004)
    {"id": "r7", "text": "Nothing to code here."},
]


def test_ingest_counts_and_resumes(store: Store, tmp_path: Path) -> None:
    source = _write_jsonl(tmp_path / "in.jsonl", RECORDS)
    engine = FakeEngine()
    summary = ingest([str(source)], store, engine=engine, progress=False, hooks=FAKE_HOOKS, command="test")
    assert isinstance(summary, IngestSummary)
    assert (summary.docs_read, summary.coded, summary.present, summary.failed) == (7, 4, 1, 2)
    assert summary.events == 4
    assert summary.failed_by_code == {"E004": 1, "E203": 1}
    assert summary.failed_by_stage == {"pipeline": 1, "read": 1}
    assert summary.docs_per_s > 0 and summary.elapsed > 0
    assert "already in store" in summary.render()
    assert summary.as_dict()["already_in_store"] == 1
    before = dump(store)
    assert len(before["articles"]) == 4 and len(before["failures"]) == 2
    with store.connect() as conn:
        inputs = set(conn.execute(select(s.failures.c.input)).scalars())
        assert inputs == {str(source)}

    again = FakeEngine()
    second = ingest([str(source)], store, engine=again, progress=False, hooks=FAKE_HOOKS)
    assert again.seen == ["r5"]  # stored articles are skipped before coding; failures retried
    assert (second.present, second.coded, second.failed, second.events) == (5, 0, 2, 0)
    assert dump(store) == before
    info = store_info(store)
    assert [r["status"] for r in info.runs] == ["finished", "finished"]
    assert {r["n_present"] for r in info.runs} == {1, 5}
    assert info.failures == {("E004", "read"): 1, ("E203", "pipeline"): 1}


def test_globs_gzip_and_folders(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    _write_jsonl(folder / "a.jsonl.gz", RECORDS[:2], gz=True)
    (folder / "sub" / "b.txt").write_text("Iran met Oman in Muscat.", encoding="utf-8")
    _write_jsonl(folder / "c.jsonl", RECORDS[2:3])
    assert expand_paths([str(folder / "*.jsonl*")]) == [str(folder / "a.jsonl.gz"), str(folder / "c.jsonl")]
    assert expand_paths([str(folder / "**" / "*.txt")]) == [str(folder / "sub" / "b.txt")]
    assert expand_paths(["no-such-*.jsonl"]) == ["no-such-*.jsonl"]
    assert count_documents([str(folder)]) == 4
    assert count_documents(["-"]) is None
    summary = ingest([str(folder / "*.jsonl*"), str(folder / "sub")], store, engine=FakeEngine(),
                     progress=False, hooks=FAKE_HOOKS)  # fmt: skip
    assert (summary.docs_read, summary.coded) == (4, 4)
    with store.connect() as conn:
        doc_ids = set(conn.execute(select(s.articles.c.doc_id)).scalars())
    assert doc_ids == {"r1", "r2", "r3", "b.txt"}


def test_missing_input_is_a_failure(store: Store, tmp_path: Path) -> None:
    summary = ingest([str(tmp_path / "absent.jsonl")], store, engine=FakeEngine(), progress=False, hooks=FAKE_HOOKS)
    assert summary.failed_by_code == {"E001": 1}


# ---------------------------------------------------------------------------------------------
# CLI


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    import newsevents.ingest
    from newsevents.store import writer

    monkeypatch.setattr(newsevents.ingest, "make_engine", lambda *a, **k: FakeEngine())
    monkeypatch.setattr(writer, "default_hooks", lambda: FAKE_HOOKS)


def test_cli_ingest_and_db_commands(store_url: str, tmp_path: Path, fake_engine: None) -> None:
    source = _write_jsonl(tmp_path / "in.jsonl", RECORDS)
    runner = CliRunner()
    done = runner.invoke(app, ["ingest", str(source), "--db", store_url, "--batch-size", "2"])
    assert done.exit_code == 1, done.output  # two documents failed
    assert "coded and stored  4" in done.output
    done = runner.invoke(app, ["ingest", str(tmp_path / "in.json*"), "--db", store_url, "--quiet"])
    assert done.exit_code == 1 and "coded" not in done.output
    clean = _write_jsonl(tmp_path / "clean.jsonl", RECORDS[:3])
    done = runner.invoke(app, ["ingest", str(clean), "--db", store_url])
    assert done.exit_code == 0, done.output
    assert "already in store  3" in done.output

    done = runner.invoke(app, ["db", "info", "--db", store_url])
    assert done.exit_code == 0, done.output
    assert f"schema version   {schema.SCHEMA_VERSION}" in done.output and "articles         4" in done.output
    assert "E004 (read): 1" in done.output
    done = runner.invoke(app, ["db", "info", "--db", store_url, "--json"])
    data = json.loads(done.output)
    assert data["counts"]["events"] == 4 and len(data["runs"]) == 3
    done = runner.invoke(app, ["db", "migrate", "--db", store_url])
    assert done.exit_code == 0 and "up to date" in done.output


def test_cli_usage_errors(tmp_path: Path, fake_engine: None) -> None:
    runner = CliRunner()
    db = str(tmp_path / "x.db")
    done = runner.invoke(app, ["ingest", str(tmp_path / "nothing.jsonl"), "--db", db])
    assert done.exit_code == 2 and "E001" in done.output
    done = runner.invoke(app, ["ingest", str(tmp_path), "--db", db, "--date", "yesterday"])
    assert done.exit_code == 2 and "E005" in done.output
    done = runner.invoke(app, ["ingest", str(tmp_path), "--db", "mysql://a@b/c"])
    assert done.exit_code == 1 and "E404" in done.output
    done = runner.invoke(app, ["db", "info", "--db", str(tmp_path / "none.db")])
    assert done.exit_code == 1 and "E401" in done.output
    done = runner.invoke(app, ["db", "migrate", "--db", db])
    assert done.exit_code == 0 and "Created a new store" in done.output


# ---------------------------------------------------------------------------------------------
# readers while the writer writes (SQLite WAL)


def test_reader_reads_while_writer_holds_a_transaction(tmp_path: Path) -> None:
    url = str(tmp_path / "wal.db")
    with open_store(url) as writer_store:
        ingest([str(_write_jsonl(tmp_path / "a.jsonl", RECORDS[:1]))], writer_store, engine=FakeEngine(),
               progress=False, hooks=FAKE_HOOKS)  # fmt: skip
        with open_store(url, readonly=True) as reader:
            with writer_store.begin() as conn:  # an open write transaction
                conn.execute(s.meta.insert().values(key="pending", value="1"))
                with reader.connect() as rconn:  # readers are not blocked, and see the old state
                    assert rconn.execute(select(func.count()).select_from(s.articles)).scalar_one() == 1
                    assert rconn.execute(select(s.meta.c.value).where(s.meta.c.key == "pending")).first() is None
            with reader.connect() as rconn:
                assert rconn.execute(select(s.meta.c.value).where(s.meta.c.key == "pending")).scalar_one() == "1"


def test_readers_in_threads_during_an_ingest(tmp_path: Path) -> None:
    url = str(tmp_path / "busy.db")
    records = [{"id": f"n{i}", "text": f"Country{i} attacked City{i} on day {i}."} for i in range(150)]
    source = _write_jsonl(tmp_path / "many.jsonl", records)
    open_store(url).close()
    seen: dict[int, list[int]] = {0: [], 1: []}
    errors: list[BaseException] = []
    stop = threading.Event()

    def read(k: int) -> None:
        try:
            with open_store(url, readonly=True) as reader:
                while not stop.is_set():
                    with reader.connect() as conn:
                        n = conn.execute(select(func.count()).select_from(s.articles)).scalar_one()
                        events = conn.execute(select(func.count()).select_from(s.events)).scalar_one()
                        assert events == n  # one event per article, committed together
                        seen[k].append(n)
        except BaseException as err:  # noqa: BLE001 - reported by the test below
            errors.append(err)

    threads = [threading.Thread(target=read, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    try:
        with open_store(url) as store:
            summary = ingest([str(source)], store, engine=FakeEngine(), progress=False, hooks=FAKE_HOOKS)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
    assert not errors, errors
    assert summary.coded == 150
    for counts in seen.values():  # each reader sees the store only grow, whole documents at a time
        assert counts and counts == sorted(counts)


VERBS = """\
---  APPROVE   [051]  ---
APPROVE
- * BUDGET                            [---]
"""


@pytest.mark.model
def test_cli_ingest_with_a_verb_dictionary(tmp_path: Path) -> None:
    """`ingest --dictionary` codes with the user's PETRARCH verb patterns, in the workers too."""
    verbs = tmp_path / "my_verbs.txt"
    verbs.write_text(VERBS)
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"id": "a", "text": "The Kenyan parliament approved the budget on Monday."}) + "\n"
        + json.dumps({"id": "b", "text": "The Kenyan parliament approved the deal on Tuesday."}) + "\n"
    )
    db = str(tmp_path / "dict.db")
    runner = CliRunner()
    done = runner.invoke(app, ["ingest", str(source), "--db", db, "--quiet", "--dictionary", str(verbs)])
    assert done.exit_code == 0, done.output
    with open_store(db, readonly=True) as st, st.connect() as conn:
        rows = conn.execute(select(s.events.c.doc_id, s.events.c.cameo)).all()
    assert [tuple(r) for r in rows] == [("b", "051")]  # "approved the budget" is no event in this dictionary
    missing = runner.invoke(app, ["ingest", str(source), "--db", db, "--dictionary", str(tmp_path / "none.txt")])
    assert missing.exit_code == 2 and "E107" in missing.output
