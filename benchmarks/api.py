"""API latency benchmark: a synthetic SQLite store, uvicorn in a subprocess, concurrent clients.

    .venv/bin/python benchmarks/api.py [--db /tmp/newsevents-bench-api.db] [--events 100000]
        [--concurrency 8] [--requests 2000] [--seconds 60]

Builds (or reuses) a store with ``--events`` synthetic events (bulk inserts, no spaCy), creates
the extra indexes the API's queries want (:data:`EXTRA_INDEXES`) if they are missing, starts
``uvicorn`` on a free loopback port, runs ``--concurrency`` async httpx clients over a fixed mix
of ``/api/events`` filters and ``/api/stats/timeline`` queries until ``--requests`` are done or
``--seconds`` have passed, and prints p50/p99 per endpoint. Exit status 1 when a target is
missed: p50 <= 50 ms, p99 <= 300 ms per endpoint, no errors.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from newsevents.model import EVENT_TYPES
from newsevents.store import open_store
from newsevents.store.migrations import rebuild_daily_counts
from newsevents.store.schema import articles, events

P50_MS, P99_MS = 50.0, 300.0

EXTRA_INDEXES: dict[str, tuple[str, ...]] = {
    # the store's own query indexes (schema version 4), created here for stores made before it
    "ix_events_dup_date": ("duplicate_article", "date", "event_type", "quad_class", "goldstein"),
    "ix_events_dup_date_id": ("duplicate_article", "date", "event_id"),
    "ix_events_dup_confidence_id": ("duplicate_article", "confidence", "event_id"),
    "ix_events_dup_goldstein_id": ("duplicate_article", "goldstein", "event_id"),
}
"""Indexes the benchmark adds when the store lacks them (they are in the schema since version 4)."""

COUNTRIES = ["USA", "RUS", "UKR", "ISR", "PSE", "IRN", "CHN", "GBR", "FRA", "DEU", "TUR", "SYR", "IRQ", "AFG",
             "PAK", "IND", "EGY", "SAU", "YEM", "LBN", "NGA", "ETH", "SDN", "VEN", "BRA", "MEX", "JPN", "KOR",
             "PRK", "TWN"]
SECTORS = ["GOV", "MIL", "REB", "CVL", "COP", "OPP", "MED", "BUS"]
QUAD = {"AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 2, "COOPERATE": 2, "AID": 2, "RETREAT": 2,
        "REQUEST": 1, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "PROTEST": 3, "SANCTION": 4, "MOBILIZE": 4,
        "COERCE": 4, "ASSAULT": 4}
WORDS = ["talks", "strike", "border", "minister", "ceasefire", "protest", "aid", "sanctions", "troops", "election"]


def _template() -> dict[str, Any]:
    return {
        "doc_id": "", "event_id": "", "event_type": "", "mode": None, "context": [], "cameo": "01",
        "cameo_name": None, "quad_class": 1, "goldstein": 0.0, "plover_score": None, "actor": [], "recipient": [],
        "date": {"value": "2024-01-01", "end": None, "precision": "day", "text": None, "start": None,
                 "end_char": None, "rule": None},
        "location": None, "size": {"dead": None, "injured": None, "arrested": None, "qualifiers": {}, "counts": []},
        "reported_by": None, "factuality": "asserted",
        "evidence": {"sentence": "", "sentence_index": 0, "start": 0, "end": 0,
                     "trigger": {"text": "x", "start": 0, "end": 1}, "rule": None},
        "confidence": 0.5, "versions": {},
    }


def build(url: str, n_events: int, *, seed: int = 42) -> None:
    """Bulk-insert ``n_events`` synthetic events (5 per article) into a fresh store."""
    rng = random.Random(seed)
    start = dt.date(2021, 1, 1)
    now = dt.datetime.now(dt.UTC)
    template = _template()
    t0 = time.perf_counter()
    with open_store(url) as store:
        n_articles = max(1, n_events // 5)
        with store.begin() as conn:
            for lo in range(0, n_articles, 5000):
                rows = []
                for a in range(lo, min(lo + 5000, n_articles)):
                    aid = f"{a:040x}"
                    rows.append({"article_id": aid, "doc_id": f"doc{a}", "title": f"Article {a}", "url": None,
                                 "source": f"Outlet {a % 40}", "pub_date": start + dt.timedelta(days=a % 1100),
                                 "text": "synthetic article text", "n_chars": 22, "n_events": 5,
                                 "dup_group": f"{a - 1:040x}" if a % 50 == 1 else aid, "run_id": None,
                                 "ingested_at": now})
                conn.execute(articles.insert(), rows)
            for lo in range(0, n_events, 5000):
                rows = []
                for i in range(lo, min(lo + 5000, n_events)):
                    a = i // 5
                    etype = rng.choice(EVENT_TYPES)
                    day = start + dt.timedelta(days=(a % 1100) - rng.randint(0, 3))
                    sentence = f"Synthetic {etype.lower()} sentence about {rng.choice(WORDS)} number {i}."
                    eid = f"e{i:08d}"
                    record = dict(template, doc_id=f"doc{a}", event_id=eid, event_type=etype, quad_class=QUAD[etype])
                    record["date"] = dict(template["date"], value=day.isoformat())
                    record["evidence"] = dict(template["evidence"], sentence=sentence, end=len(sentence))
                    actor, recipient = rng.choice(COUNTRIES), rng.choice(COUNTRIES)
                    rows.append({
                        "event_id": eid, "article_id": f"{a:040x}", "doc_id": f"doc{a}", "event_type": etype,
                        "mode": None, "cameo": "01", "quad_class": QUAD[etype],
                        "goldstein": round(rng.uniform(-10, 10), 1), "plover_score": None,
                        "factuality": rng.choice(["asserted", "asserted", "reported", "future"]),
                        "actor_name": f"{actor} actor", "actor_country": actor, "actor_sector": rng.choice(SECTORS),
                        "actor_code": actor + "GOV", "actor_entity": None,
                        "recipient_name": f"{recipient} actor", "recipient_country": recipient,
                        "recipient_sector": rng.choice(SECTORS), "recipient_code": recipient + "GOV",
                        "recipient_entity": None, "reported_by": None if rng.random() < 0.7 else "officials",
                        "date": day, "date_end": None, "date_precision": "day", "place_name": None,
                        "place_country": rng.choice(COUNTRIES), "place_admin1": None, "lat": None, "lon": None,
                        "dead": rng.randint(0, 20) if etype == "ASSAULT" else None, "injured": None, "arrested": None,
                        "confidence": round(rng.random(), 3), "sentence_index": 0, "sentence": sentence,
                        "evidence_start": 0, "evidence_end": len(sentence), "trigger_start": 0, "trigger_end": 1,
                        "cluster_id": None, "duplicate_article": a % 50 == 1,
                        "record": json.dumps(record, separators=(",", ":")),
                    })
                conn.execute(events.insert(), rows)
            rebuild_daily_counts(conn)  # what the writer keeps up to date, for the bulk insert here
            conn.exec_driver_sql("ANALYZE")
    print(f"built {n_events:,} events in {time.perf_counter() - t0:.1f}s")


def ensure_indexes(url: str) -> list[str]:
    created = []
    with open_store(url) as store, store.begin() as conn:
        existing = {ix["name"] for ix in sa.inspect(conn).get_indexes("events")}
        for name, cols in EXTRA_INDEXES.items():
            if name not in existing:
                sa.Index(name, *[events.c[c] for c in cols]).create(conn)
                created.append(name)
        if created:
            conn.exec_driver_sql("ANALYZE")
    return created


def event_count(url: str) -> int:
    with open_store(url, readonly=True) as store, store.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(events)).scalar_one())


def start_server(url: str, workers: int = 1) -> tuple[subprocess.Popen[bytes], str]:
    """`newsevents serve` on a free loopback port, once /api/health answers; (process, base URL)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "newsevents.cli", "serve", "--db", url, "--port", str(port),
               "--workers", str(workers), "--log-level", "warning"]  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("newsevents serve did not start")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def request_mix(rng: random.Random) -> list[tuple[str, str, dict[str, Any]]]:
    mix: list[tuple[str, str, dict[str, Any]]] = []
    for _ in range(200):
        c = rng.choice(COUNTRIES)
        t = rng.choice(EVENT_TYPES)
        y = rng.choice([2021, 2022, 2023])
        mix += [
            ("events", "/api/events", {}),
            ("events?event_type", "/api/events", {"event_type": t}),
            ("events?country", "/api/events", {"country": c}),
            ("events?actor_country+quad", "/api/events", {"actor_country": c, "quad_class": rng.randint(1, 4)}),
            ("events?date_range", "/api/events", {"date_from": f"{y}-03-01", "date_to": f"{y}-05-31"}),
            ("events?q", "/api/events", {"q": rng.choice(WORDS)}),
            ("events?sort=confidence", "/api/events", {"sort": "confidence_desc", "event_type": t}),
            ("events?limit=500", "/api/events", {"limit": 500, "date_from": f"{y}-06-01"}),
            ("timeline?day", "/api/stats/timeline", {"interval": "day", "date_from": f"{y}-01-01", "date_to": f"{y}-12-31"}),
            ("timeline?week+type", "/api/stats/timeline", {"interval": "week", "by": "event_type", "country": c}),
            ("timeline?month+quad", "/api/stats/timeline", {"interval": "month", "by": "quad_class"}),
        ]
    rng.shuffle(mix)
    return mix


async def load(base: str, *, concurrency: int, n_requests: int, seconds: float) -> tuple[dict[str, list[float]], list[str]]:
    rng = random.Random(7)
    mix = request_mix(rng)
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    counter = 0
    deadline = time.monotonic() + seconds

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal counter
        while counter < n_requests and time.monotonic() < deadline:
            label, path, params = mix[counter % len(mix)]
            counter += 1
            t0 = time.perf_counter()
            try:
                r = await client.get(path, params=params)
                ms = (time.perf_counter() - t0) * 1000
                if r.status_code != 200:
                    errors.append(f"{label}: HTTP {r.status_code} {r.text[:200]}")
                latencies[label].append(ms)
                if label == "events" and r.status_code == 200 and (cur := r.json().get("next_cursor")):
                    t1 = time.perf_counter()
                    r2 = await client.get(path, params={"cursor": cur})
                    latencies["events?cursor(page 2)"].append((time.perf_counter() - t1) * 1000)
                    if r2.status_code != 200:
                        errors.append(f"cursor: HTTP {r2.status_code}")
            except httpx.HTTPError as e:
                errors.append(f"{label}: {type(e).__name__}: {e}")

    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        await client.get("/api/health")  # warm up
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return latencies, errors


def percentile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="/tmp/newsevents-bench-api.db")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1, help="server processes (newsevents serve --workers)")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--no-indexes", action="store_true", help="do not add EXTRA_INDEXES (to measure without)")
    args = parser.parse_args()

    path = Path(args.db)
    url = f"sqlite:///{path}"
    if not path.exists() or event_count(url) < args.events:
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        build(url, args.events)
    if not args.no_indexes:
        created = ensure_indexes(url)
        if created:
            print("created indexes:", ", ".join(created))
    n = event_count(url)
    proc, base = start_server(url, args.workers)
    try:
        t0 = time.perf_counter()
        latencies, errors = asyncio.run(
            load(base, concurrency=args.concurrency, n_requests=args.requests, seconds=args.seconds)
        )
        elapsed = time.perf_counter() - t0
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    total = sum(len(v) for v in latencies.values())
    print(f"store: {n:,} events; server workers {args.workers}; {total:,} requests in {elapsed:.1f}s ({total / elapsed:.0f}/s), "
          f"concurrency {args.concurrency}")
    print(f"{'request kind':<28} {'n':>5} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for label in sorted(latencies):
        values = latencies[label]
        p50, p99 = percentile(values, 50), percentile(values, 99)
        flag = "" if p50 <= P50_MS and p99 <= P99_MS else "  (over the per-endpoint target)"
        print(f"{label:<28} {len(values):>5} {p50:>8.1f} {p99:>8.1f} {max(values):>8.1f}{flag}")
    # the targets are per endpoint: every request to /api/events, every request to the timeline
    print(f"{'endpoint':<28} {'n':>5} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    ok = not errors
    for endpoint, prefix in (("/api/events", "events"), ("/api/stats/timeline", "timeline")):
        values = [v for label, vs in latencies.items() if label.startswith(prefix) for v in vs]
        if not values:
            continue
        p50, p99 = percentile(values, 50), percentile(values, 99)
        flag = "" if p50 <= P50_MS and p99 <= P99_MS else "  <-- over target"
        ok = ok and not flag
        print(f"{endpoint:<28} {len(values):>5} {p50:>8.1f} {p99:>8.1f} {max(values):>8.1f}{flag}")
    every = [v for values in latencies.values() for v in values]
    print(f"{'ALL':<28} {len(every):>5} {percentile(every, 50):>8.1f} {percentile(every, 99):>8.1f} {max(every):>8.1f}")
    print(f"errors: {len(errors)}")
    for e in errors[:10]:
        print("  ", e)
    print(f"targets (p50 <= {P50_MS:.0f} ms, p99 <= {P99_MS:.0f} ms, no errors): {'MET' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
