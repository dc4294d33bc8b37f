"""Locate and read gold files under the shared data folder (read only, never copied)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from newsevents.errors import Errors, NewsEventsError

__all__ = ["GOLD_FILES", "parse_yyyymmdd", "read_jsonl", "require"]

GOLD_FILES = {
    "petrarch_gold": Path("eval/petrarch_gold.jsonl"),
    "petrarch2_baseline": Path("eval/petrarch2_baseline_predictions.jsonl"),
    "plover_gsr": Path("eval/plover_gsr_cameo/PLOVER_GSR_CAMEO.v2map.jsonl"),
}


def require(shared: Path, key: str, suite: str) -> Path:
    """Path of a gold file; ``E302`` when it is missing."""
    path = Path(shared) / GOLD_FILES[key]
    if not path.is_file():
        raise NewsEventsError(Errors.E302, suite=suite, path=str(path))
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """All JSON objects of a JSONL file, in order."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def parse_yyyymmdd(value: str | None) -> dt.date | None:
    """``20080804`` → date; anything unreadable → None."""
    if not value:
        return None
    try:
        return dt.datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        return None
