"""Store fixtures: every store test runs on SQLite and on PostgreSQL.

The PostgreSQL parameter uses ``$NEWSEVENTS_TEST_PG`` (a server URL; each test gets its own
database on it). When that is unset but the server binaries are installed, a throw-away server
is started once per session with ``scripts/test-postgres.sh`` and stopped at the end; otherwise
the PostgreSQL tests are skipped with a reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from store_helpers import pg_database

from newsevents.store import Store, open_store

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "test-postgres.sh"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL for an empty store: an SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "store.db")
        return
    server = request.getfixturevalue("pg_server")
    if server is None:
        pytest.skip("PostgreSQL: set NEWSEVENTS_TEST_PG or install the server binaries (initdb)")
    yield from pg_database(server)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as opened:
        yield opened
