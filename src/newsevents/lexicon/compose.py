"""Composed codes for triggers that govern another event (``compose.yaml``)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

from newsevents.errors import Errors, NewsEventsError

__all__ = ["composed_code"]


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, str]]:
    raw = resources.files("newsevents.lexicon").joinpath("compose.yaml").read_text("utf-8")
    data = yaml.safe_load(raw)
    if not isinstance(data, dict):
        raise NewsEventsError(Errors.E103, path="compose.yaml", detail="expected a mapping")
    return {str(k): {str(t): str(c) for t, c in v.items()} for k, v in data.items()}


def composed_code(governor_cameo: str, embedded_type: str) -> str | None:
    """The CAMEO code for "<governor> to <embedded event>", or None when there is none."""
    return _table().get(governor_cameo, {}).get(embedded_type)
