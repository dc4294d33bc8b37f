"""The HTTP API under bounded concurrent load while an ingest writes to the same SQLite store.

The API (``newsevents.api.create_app``, read-only) is served by uvicorn in a subprocess on a
loopback port chosen by the OS; ``newsevents ingest`` writes in another subprocess (WAL: one
writer, many readers); 4 async clients keep requesting for 10 s. Zero errors allowed: no 5xx,
no transport errors, no "database is locked". Latency percentiles are printed (run with -s).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from rb_helpers import cli_command, cli_env, count, story_records, write_jsonl

from newsevents.ingest import ingest
from newsevents.store import open_store
from newsevents.store import schema as s

pytestmark = [pytest.mark.slow, pytest.mark.model]

CLIENTS = 4
SECONDS = 10.0

_SERVE = """
import socket, sys, uvicorn
from newsevents.api import create_app
app = create_app(sys.argv[1])
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(("127.0.0.1", 0))
print(sock.getsockname()[1], flush=True)
uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False)).run(sockets=[sock])
"""


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)


async def _client(base: str, paths: list[str], until: float, out: list[tuple[float, int, str]]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30.0) as client:
        n = 0
        while time.monotonic() < until:
            path = paths[n % len(paths)]
            n += 1
            started = time.perf_counter()
            try:
                response = await client.get(path)
                problem = "locked" if "database is locked" in response.text else ""
                out.append((time.perf_counter() - started, response.status_code, problem or path))
            except httpx.HTTPError as err:
                out.append((time.perf_counter() - started, 0, f"{type(err).__name__}: {err}"))


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def test_api_under_load_while_an_ingest_writes(tmp_path: Path) -> None:
    db = str(tmp_path / "live.db")
    with open_store(db) as store:  # a few articles so every endpoint has data
        ingest([str(write_jsonl(tmp_path / "seed.jsonl", story_records(6, prefix="seed")))], store, progress=False)
    more = [{**r, "text": f"{r['text']} Update {n}."} for n, r in enumerate(story_records(60, prefix="more"))]
    source = write_jsonl(tmp_path / "more.jsonl", more)

    server = subprocess.Popen([sys.executable, "-c", _SERVE, db], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})  # fmt: skip
    writer: subprocess.Popen[str] | None = None
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline().strip() or 0)
        assert port, server.stderr.read() if server.stderr else ""
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        first = httpx.get(base + "/api/events", params={"limit": 5}, timeout=10).json()
        event_ids = [e["event_id"] for e in first.get("events", first.get("items", []))][:3]
        paths = ["/api/health", "/api/events?limit=20", "/api/events?limit=50&event_type=PROTEST",
                 "/api/stats/timeline", "/api/stats/dyads", "/api/entities"]  # fmt: skip
        paths += [f"/api/events/{eid}" for eid in event_ids]

        writer = subprocess.Popen(cli_command("ingest", str(source), "--db", db, "--quiet", "--batch-size", "1"),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=cli_env())  # fmt: skip
        with open_store(db, readonly=True) as store:  # start the load once the writer is writing
            deadline = time.monotonic() + 120
            while count(store, s.articles) <= 6 and time.monotonic() < deadline and writer.poll() is None:
                time.sleep(0.05)
            at_start = count(store, s.articles)
        assert writer.poll() is None, "the ingest ended before the load started"

        results: list[tuple[float, int, str]] = []

        async def load() -> None:
            until = time.monotonic() + SECONDS
            await asyncio.gather(*(_client(base, paths, until, results) for _ in range(CLIENTS)))

        asyncio.run(load())
        with open_store(db, readonly=True) as store:
            at_end = count(store, s.articles)
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
    finally:
        if writer is not None and writer.poll() is None:
            writer.kill()
            writer.wait(timeout=20)
        _stop(server)
        server_err = server.stderr.read() if server.stderr else ""
        for stream in (server.stdout, server.stderr):
            if stream is not None:
                stream.close()

    latencies = [r[0] for r in results]
    errors = [r for r in results if r[1] == 0 or r[1] >= 500 or r[2] == "locked"]
    report = {
        "clients": CLIENTS,
        "seconds": SECONDS,
        "requests": len(results),
        "requests_per_s": round(len(results) / SECONDS, 1),
        "errors": len(errors),
        "p50_ms": round(1000 * _percentile(latencies, 0.50), 1),
        "p95_ms": round(1000 * _percentile(latencies, 0.95), 1),
        "p99_ms": round(1000 * _percentile(latencies, 0.99), 1),
        "max_ms": round(1000 * max(latencies), 1),
        "articles_written_during_load": at_end - at_start,
    }
    print("\nAPI load while ingesting:", json.dumps(report))
    assert len(results) > 50
    assert not errors, errors[:10]
    assert {r[1] for r in results} <= {200}, {r[1] for r in results}
    assert at_end > at_start, "the ingest wrote nothing while the API was under load"
    assert "database is locked" not in server_err and "Traceback" not in server_err, server_err[-3000:]
