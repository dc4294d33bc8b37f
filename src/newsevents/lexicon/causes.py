"""Natural and accidental causes (``non_political.yaml``): disasters are not political events."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from newsevents.errors import Errors, NewsEventsError
from newsevents.lexicon.schema import read_yaml

__all__ = ["NonPolitical", "non_political"]


@dataclass(frozen=True, slots=True)
class NonPolitical:
    causes: frozenset[str]
    political_modifiers: frozenset[str]
    accidents: frozenset[str] = frozenset()


def _words(data: dict[object, object], key: str) -> frozenset[str]:
    raw = data.get(key) or []
    if not isinstance(raw, list) or not all(isinstance(w, str) for w in raw):
        raise NewsEventsError(Errors.E103, path="non_political.yaml", detail=f"{key}: expected a list of words")
    return frozenset(w.strip().lower() for w in raw)


@lru_cache(maxsize=1)
def non_political() -> NonPolitical:
    """The reviewed list of natural and accidental causes, and the words that make a cause a weapon."""
    raw = resources.files("newsevents.lexicon").joinpath("non_political.yaml").read_text("utf-8")
    data = read_yaml(raw)
    if not isinstance(data, dict):
        raise NewsEventsError(Errors.E103, path="non_political.yaml", detail="expected a mapping")
    accidents = _words(data, "accidents")
    causes = _words(data, "causes")
    if not accidents <= causes:
        raise NewsEventsError(Errors.E103, path="non_political.yaml", detail=f"accidents not among causes: {sorted(accidents - causes)}")
    return NonPolitical(causes, _words(data, "political_modifiers"), accidents)
