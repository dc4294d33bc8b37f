"""Kill -9 an ingest half-way, run it again: the store equals the one a clean run gives."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from store_helpers import dump

from newsevents.errors import NewsEventsError
from newsevents.store import open_store
from newsevents.store import schema as s

pytestmark = [pytest.mark.slow, pytest.mark.model]

_PLACES = [
    ("Qatar", "Doha", "Egypt"), ("Georgia", "Tbilisi", "Armenia"), ("Indonesia", "Jakarta", "Malaysia"),
    ("Kenya", "Nairobi", "Uganda"), ("Peru", "Lima", "Chile"), ("Poland", "Warsaw", "Lithuania"),
    ("Japan", "Tokyo", "South Korea"), ("Turkey", "Ankara", "Greece"), ("Brazil", "Brasilia", "Argentina"),
    ("Nigeria", "Abuja", "Ghana"),
]  # fmt: skip
_STORIES = [
    "{city}, March {day} - {country}'s foreign minister met his {other} counterpart in {city} on Monday. "
    "Police arrested {n} protesters outside the parliament on Tuesday, officials said.",
    "{country} accused {other} of violating the border agreement on Wednesday. "
    "Troops fired on demonstrators in {city}, killing {n} people, the health ministry said.",
    "The president of {country} visited {other} on Thursday and signed {n} trade agreements. "
    "{other} promised to send aid to {city} after the floods.",
    "About {n} thousand people protested in {city} on Friday against the government of {country}. "
    "{country} threatened to impose sanctions on {other} over the dispute.",
]


def _records() -> list[str]:
    """About forty short constructed stories, with copies, a near-duplicate and bad records."""
    lines = []
    for n in range(40):
        country, city, other = _PLACES[n % len(_PLACES)]
        story = _STORIES[n % len(_STORIES)].format(country=country, city=city, other=other, day=1 + n % 28, n=3 + n)
        lines.append(json.dumps({"id": f"s{n}", "text": story, "date": f"2024-03-{1 + n % 28:02d}",
                                 "source": f"Wire {n % 3}"}))  # fmt: skip
        if n == 5:  # an exact copy (other whitespace) and a near-duplicate from another outlet
            lines.append(json.dumps({"id": "copy5", "text": story.replace(" ", "  "), "date": "2024-03-06"}))
            lines.append(json.dumps({"id": "near5", "text": story + " More follows.", "source": "Other"}))
        if n == 20:
            lines.append(json.dumps({"id": "empty", "text": "   "}))
            lines.append("{not json")
    return lines


def _count(url: str) -> int:
    try:
        with open_store(url, readonly=True) as store, store.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(s.articles)).scalar_one())
    except NewsEventsError:
        return 0  # not created yet


def _ingest(source: Path, url: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "newsevents.cli", "ingest", str(source), "--db", url, "--quiet", "--batch-size", "2"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})  # fmt: skip


@pytest.fixture
def second_url(request: pytest.FixtureRequest, store_url: str, tmp_path: Path) -> str:
    if store_url.startswith("postgresql"):
        from store_helpers import pg_database

        gen = pg_database(request.getfixturevalue("pg_server"))
        url = next(gen)
        request.addfinalizer(lambda: next(gen, None))
        return url
    return str(tmp_path / "clean.db")


def test_killed_ingest_resumes_to_the_clean_result(store_url: str, second_url: str, tmp_path: Path) -> None:
    source = tmp_path / "stories.jsonl"
    source.write_text("\n".join(_records()) + "\n", encoding="utf-8")

    proc = _ingest(source, store_url)
    deadline = time.monotonic() + 180
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        stored = _count(store_url)
        if stored >= 8:
            break
        time.sleep(0.05)
    assert proc.poll() is None, f"ingest ended before it could be killed: {proc.stderr.read() if proc.stderr else ''!r}"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    if proc.stderr is not None:
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    partial = _count(store_url)
    assert 8 <= partial < 40

    resumed = _ingest(source, store_url)
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 1, err.decode()  # the two bad records fail
    clean = _ingest(source, second_url)
    _, err = clean.communicate(timeout=300)
    assert clean.returncode == 1, err.decode()

    with open_store(store_url, readonly=True) as a, open_store(second_url, readonly=True) as b:
        got, want = dump(a), dump(b)
        with a.connect() as conn:
            runs = conn.execute(select(s.runs.c.status, s.runs.c.n_present).order_by(s.runs.c.started_at)).all()
    assert [r.status for r in runs] == ["running", "finished"]  # the killed run never finished
    assert runs[1].n_present >= partial
    assert (len(want["articles"]), len(want["failures"])) == (41, 2)
    assert want["events"] and want["entities"] and want["minhash_bands"]
    assert any(row for row in want["event_clusters"])
    for table in want:
        assert got[table] == want[table], _explain(table, got[table], want[table])


def _differ(x: object, y: object) -> str:
    if isinstance(x, str) and isinstance(y, str):
        at = next((i for i, (p, q) in enumerate(zip(x, y, strict=False)) if p != q), min(len(x), len(y)))
        return f"...{x[max(0, at - 60):at + 60]!r} != ...{y[max(0, at - 60):at + 60]!r}"
    return f"{x!r} != {y!r}"


def _explain(table: str, got: list[tuple[object, ...]], want: list[tuple[object, ...]]) -> str:
    """Which rows and columns differ (rows matched by their first column)."""
    columns = [c.name for c in s.metadata.tables[table].columns if c.name not in ("run_id", "ingested_at", "at")]
    a, b = {r[0]: r for r in got}, {r[0]: r for r in want}
    lines = [f"{table}: {len(got)} rows vs {len(want)} in the clean run"]
    for key in sorted(set(a) | set(b), key=repr):
        if a.get(key) != b.get(key):
            if key not in a or key not in b:
                lines.append(f"  {key!r} only in {'resumed' if key in a else 'clean'} store")
                continue
            diffs = [f"{c}: {_differ(x, y)}" for c, x, y in zip(columns, a[key], b[key], strict=True) if x != y]
            lines.append(f"  {key!r}: " + "; ".join(diffs))
    return "\n".join(lines[:40])
