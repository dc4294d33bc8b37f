"""Fixtures of the exporter tests: a small store built from hand-made events."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from _export_store import Fixture, build


@pytest.fixture
def fx(tmp_path: Path) -> Iterator[Fixture]:
    fixture = build(tmp_path / "events.db")
    try:
        yield fixture
    finally:
        fixture.store.close()
