"""Shared pieces of the robustness tests: constructed articles, store dumps and invariants.

Every article text here is written for these tests (no corpus text).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from newsevents.store import Store
from newsevents.store import schema as s
from store_dump import dump as dump_store

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "test-postgres.sh"

_PLACES = [
    ("Qatar", "Doha", "Egypt"), ("Kenya", "Nairobi", "Uganda"), ("Peru", "Lima", "Chile"),
    ("Poland", "Warsaw", "Lithuania"), ("Japan", "Tokyo", "South Korea"), ("Turkey", "Ankara", "Greece"),
]  # fmt: skip
_STORIES = [
    "{country}'s foreign minister met his {other} counterpart in {city} on Monday. "
    "Police arrested {n} protesters outside the parliament, officials said.",
    "{country} accused {other} of violating the border agreement on Wednesday. "
    "Troops fired on demonstrators in {city}, killing {n} people.",
    "The president of {country} visited {other} on Thursday and signed {n} trade agreements.",
    "About {n} thousand people protested in {city} on Friday against the government of {country}.",
]


def story(n: int) -> str:
    """A short constructed news story, different for every ``n``."""
    country, city, other = _PLACES[n % len(_PLACES)]
    return _STORIES[n % len(_STORIES)].format(country=country, city=city, other=other, n=3 + n)


def story_records(count: int, *, prefix: str = "s") -> list[dict[str, Any]]:
    return [
        {"id": f"{prefix}{n}", "text": story(n), "date": f"2024-03-{1 + n % 28:02d}", "source": f"Wire {n % 3}"}
        for n in range(count)
    ]


def write_jsonl(path: Path, records: Iterable[dict[str, Any] | str]) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


VOLATILE = {"run_id", "ingested_at", "at", "first_seen", "last_seen", "updated_at"}


def dump(store: Store, *, skip: Iterable[str] = ("runs", "meta")) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table minus run ids and timestamps (:data:`VOLATILE`), sorted."""
    return dump_store(store, volatile=VOLATILE, skip=skip)


def consistency_problems(store: Store) -> list[str]:
    """What breaks "nothing half-written": each article has exactly its events and entities and
    no failure; each failure names no stored article; no event or entity without its article."""
    problems: list[str] = []
    a, e, f, en = s.articles.c, s.events.c, s.failures.c, s.entities.c
    with store.connect() as conn:
        counts = dict(conn.execute(select(e.article_id, func.count()).group_by(e.article_id)).all())
        for row in conn.execute(select(a.article_id, a.doc_id, a.n_events)):
            if counts.get(row.article_id, 0) != row.n_events:
                problems.append(f"article {row.doc_id}: n_events {row.n_events} but {counts.get(row.article_id, 0)} events")
        stored = {r[0] for r in conn.execute(select(a.article_id))}
        orphans = set(counts) - stored
        if orphans:
            problems.append(f"events without their article: {sorted(orphans)[:5]}")
        entity_articles = {r[0] for r in conn.execute(select(en.article_id).distinct())}
        if entity_articles - stored:
            problems.append(f"entities without their article: {sorted(entity_articles - stored)[:5]}")
        for row in conn.execute(select(f.doc_id, f.code, f.article_id).where(f.article_id.is_not(None))):
            if row.article_id in stored:
                problems.append(f"failure {row.code} of {row.doc_id} but its article is stored")
    return problems


def count(store: Store, table: Any) -> int:
    with store.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def failures(store: Store) -> list[tuple[str, str, str]]:
    """(doc id, code, stage) of every failures row, sorted."""
    f = s.failures.c
    with store.connect() as conn:
        return sorted((r.doc_id, r.code, r.stage) for r in conn.execute(select(f.doc_id, f.code, f.stage)))


def cli_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsevents.cli", *args]


def cli_env() -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1"}


def run_cli(*args: str, timeout: float = 600, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cli_command(*args), capture_output=True, text=True, timeout=timeout, env=cli_env(), **kwargs)
