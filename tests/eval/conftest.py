from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from newsevents.model import Actor, Event, EventDate, Evidence, Span


def _shared() -> Path:
    env = os.environ.get("NEWSEVENTS_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[3] / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    path = _shared()
    if not (path / "eval").is_dir():
        pytest.skip(f"shared data not found at {path} (set NEWSEVENTS_SHARED)")
    return path


def _make_actor(code: str | None = None, country: str | None = None, text: str = "x") -> Actor:
    return Actor(text=text, code=code, country=country, start=0, end=len(text))


def _make_event(
    cameo: str,
    actors: list[Actor] | None = None,
    recipients: list[Actor] | None = None,
    event_type: str = "ASSAULT",
    doc_id: str = "d",
) -> Event:
    return Event(
        doc_id=doc_id,
        event_id=f"{doc_id}-{cameo}",
        event_type=event_type,
        cameo=cameo,
        quad_class=4,
        goldstein=-10.0,
        actor=actors or [],
        recipient=recipients or [],
        date=EventDate(value=dt.date(2000, 1, 1)),
        evidence=Evidence(
            sentence="s", sentence_index=0, start=0, end=1, trigger=Span(text="s", start=0, end=1)
        ),
        confidence=1.0,
    )


@pytest.fixture(scope="session")
def make_actor() -> Callable[..., Actor]:
    """Factory: make_actor(code=None, country=None, text="x")."""
    return _make_actor


@pytest.fixture(scope="session")
def make_event() -> Callable[..., Event]:
    """Factory: make_event(cameo, actors=None, recipients=None, event_type="ASSAULT", doc_id="d")."""
    return _make_event
