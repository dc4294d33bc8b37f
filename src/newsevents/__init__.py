"""newsevents: traceable political event data (PLOVER/CAMEO) from English news.

>>> import newsevents
>>> events = newsevents.code("Iran condemned the strikes on Monday.", date="2024-03-05")

The heavy parts (spaCy and the English model) load on first use, not at import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsevents._version import __version__
from newsevents.errors import NewsEventsError, NewsEventsWarning
from newsevents.model import (
    Actor,
    Article,
    Count,
    DocError,
    Event,
    EventDate,
    Evidence,
    Place,
    Size,
    Span,
)

if TYPE_CHECKING:
    from newsevents.pipeline import CodedDoc, add_to_pipeline, code, code_many, load

__all__ = [
    "__version__",
    "Actor",
    "Article",
    "CodedDoc",
    "Count",
    "DocError",
    "Event",
    "EventDate",
    "Evidence",
    "NewsEventsError",
    "NewsEventsWarning",
    "Place",
    "Size",
    "Span",
    "add_to_pipeline",
    "code",
    "code_many",
    "load",
]

_LAZY = {"CodedDoc", "add_to_pipeline", "code", "code_many", "load"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from newsevents import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'newsevents' has no attribute {name!r}")
