"""Faults during an ingest: kill -9 at random points, a read-only or full disk, a PostgreSQL
restart. After each, the store is consistent and a re-run ends with exactly the store of a clean
run (compared table by table, run ids and timestamps left out)."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from glob import glob
from pathlib import Path

import pytest
import sqlalchemy
from rb_helpers import (
    SCRIPT,
    cli_command,
    cli_env,
    consistency_problems,
    count,
    dump,
    run_cli,
    story_records,
    write_jsonl,
)
from sqlalchemy import select

from newsevents.errors import NewsEventsError
from newsevents.ingest import ingest
from newsevents.store import open_store
from newsevents.store import schema as s

pytestmark = [pytest.mark.slow, pytest.mark.model]


def _source(tmp_path: Path, n: int = 12) -> Path:
    records: list[dict[str, object]] = list(story_records(n))
    records.insert(n // 2, {"id": "blank", "text": "   "})  # one failure row in every run
    return write_jsonl(tmp_path / "stories.jsonl", records)


def _other_records(n: int) -> list[dict[str, object]]:
    return [{**r, "text": f"{r['text']} First edition."} for r in story_records(n, prefix="f")]


def _articles(url: str) -> int:
    try:
        with open_store(url, readonly=True) as store:
            return count(store, s.articles)
    except NewsEventsError:
        return 0


def _clean(source: Path, url: str) -> dict[str, list[tuple[object, ...]]]:
    with open_store(url) as store:
        ingest([str(source)], store, progress=False)
        return dump(store)


def _assert_same(got: dict[str, list[tuple[object, ...]]], want: dict[str, list[tuple[object, ...]]]) -> None:
    for table in want:
        assert got[table] == want[table], f"{table}: {len(got[table])} rows vs {len(want[table])} in a clean run"


# ---------------------------------------------------------------------------------------------
# kill -9


def test_kill_9_at_random_points_ten_trials(tmp_path: Path) -> None:
    source = _source(tmp_path)
    want = _clean(source, str(tmp_path / "clean.db"))
    assert len(want["articles"]) == 12 and len(want["failures"]) == 1 and want["events"]
    rng = random.Random(20240305)
    killed_mid_run = 0
    for trial in range(10):
        url = str(tmp_path / f"trial{trial}.db")
        proc = subprocess.Popen(cli_command("ingest", str(source), "--db", url, "--quiet", "--batch-size", "1"),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=cli_env())  # fmt: skip
        try:
            if trial % 2 == 0:  # after a random delay: start-up, migrations, coding or writing
                time.sleep(rng.uniform(0.2, 6.0))
            else:  # after k stored documents
                k = rng.randrange(1, 12)
                deadline = time.monotonic() + 120
                while proc.poll() is None and _articles(url) < k and time.monotonic() < deadline:
                    time.sleep(0.02)
            finished = proc.poll() is not None
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.wait(timeout=30)
        partial = _articles(url)
        if not finished and partial < 12:
            killed_mid_run += 1
        if Path(url).exists():
            with open_store(url) as store:  # what the kill left is consistent
                assert consistency_problems(store) == [], f"trial {trial}"
                with store.connect() as conn:
                    assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        with open_store(url) as store:  # the re-run completes, once
            summary = ingest([str(source)], store, progress=False)
            assert summary.present == partial and summary.coded == 12 - partial, f"trial {trial}"
            _assert_same(dump(store), want)
            assert consistency_problems(store) == []
            with store.connect() as conn:
                statuses = conn.execute(select(s.runs.c.status).order_by(s.runs.c.started_at)).scalars().all()
            # the killed run stays "running", unless it had already recorded its end (all stored)
            assert statuses[-1] == "finished"
            assert all(x == "running" or (x == "finished" and partial == 12) for x in statuses[:-1]), statuses
    assert killed_mid_run >= 7, killed_mid_run


# ---------------------------------------------------------------------------------------------
# read-only and full disks (tmpfs; needs root, skipped otherwise)


@contextlib.contextmanager
def _tmpfs(path: Path, size: str) -> Iterator[Path]:
    path.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False, capture_output=True)


def _remount(path: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(path)], check=True, capture_output=True)


def test_read_only_store_is_e402_and_unharmed(tmp_path: Path) -> None:
    source = _source(tmp_path)
    first = write_jsonl(tmp_path / "first.jsonl", _other_records(3))
    with _tmpfs(tmp_path / "ro", "16m") as mnt:
        url = str(mnt / "store.db")
        done = run_cli("ingest", str(first), "--db", url, "--quiet")
        assert done.returncode == 0, done.stderr
        with open_store(url) as store:
            before = dump(store)
        _remount(mnt, "ro")
        done = run_cli("ingest", str(source), "--db", url, "--quiet")
        assert done.returncode == 1
        assert "[E402]" in done.stderr and "Traceback" not in done.stderr
        _remount(mnt, "rw")
        with open_store(url) as store:
            assert dump(store) == before
            with store.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        done = run_cli("ingest", str(source), "--db", url, "--quiet")
        assert done.returncode == 1, done.stderr  # the blank record fails; the rest is stored
        with open_store(url) as store:
            assert count(store, s.articles) == 15
            assert consistency_problems(store) == []


def test_disk_full_is_e403_then_completes_after_space_is_freed(tmp_path: Path) -> None:
    records = story_records(60)
    for n, record in enumerate(records):  # longer texts fill the disk sooner
        record["text"] = " ".join([str(record["text"])] * 30) + f" Report {n}."
    source = write_jsonl(tmp_path / "many.jsonl", records)
    want = _clean(source, str(tmp_path / "clean.db"))
    with _tmpfs(tmp_path / "full", "1m") as mnt:
        url = str(mnt / "store.db")
        done = run_cli("ingest", str(source), "--db", url, "--quiet", "--batch-size", "4")
        assert done.returncode == 1
        assert "[E403]" in done.stderr and "Traceback" not in done.stderr, done.stderr[-2000:]
        with open_store(url, readonly=True) as store:
            partial = count(store, s.articles)
            assert 0 < partial < 60
            assert consistency_problems(store) == []
            with store.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        _remount(mnt, "size=64m")  # space freed
        done = run_cli("ingest", str(source), "--db", url, "--quiet", "--batch-size", "4")
        assert done.returncode == 0, done.stderr
        with open_store(url) as store:
            _assert_same(dump(store), want)
            assert consistency_problems(store) == []


# ---------------------------------------------------------------------------------------------
# PostgreSQL restarted mid-ingest


def _pg_bin() -> str | None:
    if shutil.which("initdb"):
        return str(Path(shutil.which("initdb") or "").parent)
    found = sorted(glob("/usr/lib/postgresql/*/bin/initdb"))
    return str(Path(found[-1]).parent) if found else None


class _Server:
    """A throw-away server from scripts/test-postgres.sh that this test may stop and start."""

    def __init__(self) -> None:
        done = subprocess.run(["bash", str(SCRIPT), "start"], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            pytest.fail(f"test-postgres.sh start failed: {done.stderr}")
        env = dict(line.removeprefix("export ").split("=", 1) for line in done.stdout.splitlines() if "=" in line)
        self.url, self.dir = env["NEWSEVENTS_TEST_PG"], Path(env["NEWSEVENTS_TEST_PG_DIR"])
        self.bin = (self.dir / "bin").read_text().strip()
        self.port = sqlalchemy.make_url(self.url).port

    def _pg_ctl(self, *args: str) -> None:
        command = [f"{self.bin}/pg_ctl", "-D", str(self.dir / "data"), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "-w", "stop")

    def start(self) -> None:
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50 -c shared_buffers=32MB")  # fmt: skip
        self._pg_ctl("-l", str(self.dir / "server.log"), "-w", "-t", "60", "-o", options, "start")

    def database(self) -> str:
        name = "ne_rb_" + uuid.uuid4().hex[:10]
        admin = sqlalchemy.create_engine(sqlalchemy.make_url(self.url).set(drivername="postgresql+psycopg"),
                                         isolation_level="AUTOCOMMIT")  # fmt: skip
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        admin.dispose()
        return sqlalchemy.make_url(self.url).set(database=name).render_as_string(hide_password=False)

    def close(self) -> None:
        subprocess.run(["bash", str(SCRIPT), "stop", str(self.dir)], capture_output=True, timeout=60, check=False)


@pytest.fixture
def pg() -> Iterator[_Server]:
    if _pg_bin() is None:
        pytest.skip("PostgreSQL server binaries (initdb) are not installed")
    server = _Server()
    try:
        yield server
    finally:
        server.close()


def test_postgres_restart_mid_ingest_retries_and_resumes(tmp_path: Path, pg: _Server) -> None:
    source = _source(tmp_path, 24)
    clean_url, url = pg.database(), pg.database()
    want = _clean(source, clean_url)

    # 1. a restart of a few seconds: the running ingest waits, reconnects and finishes
    proc = subprocess.Popen(cli_command("ingest", str(source), "--db", url, "--quiet", "--batch-size", "1"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env())  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while proc.poll() is None and _articles(url) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, proc.communicate()[1]
        pg.stop()
        time.sleep(3)
        pg.start()
        _, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 1, err  # exit 1: the blank record; no crash
    assert "Traceback" not in err
    assert "lost the connection" in err or _articles(url) == 24  # it noticed, or the restart fell between docs
    with open_store(url) as store:
        _assert_same(dump(store), want)
        assert consistency_problems(store) == []

    # 2. the server stays down: the ingest gives up with E411 after its retries; a re-run resumes
    url2 = pg.database()
    with open_store(url2) as store:
        store.retry_delays = (0.2, 0.5)
        first = write_jsonl(tmp_path / "first.jsonl", _other_records(3))
        ingest([str(first)], store, progress=False)
        pg.stop()
        try:
            with pytest.raises(NewsEventsError) as raised:
                ingest([str(source)], store, progress=False)
        finally:
            pg.start()
        assert raised.value.code == "E411", raised.value
    with open_store(url2) as store:
        assert consistency_problems(store) == []
        summary = ingest([str(source)], store, progress=False)
        assert summary.coded == 24
        got = dump(store)
    assert {r[0] for r in got["articles"]} >= {r[0] for r in want["articles"]}
