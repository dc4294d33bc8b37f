"""Group references ("the two countries", "both sides"): ``data/group_references.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from newsevents.errors import Errors, NewsEventsError

__all__ = ["GroupNoun", "GroupReferences", "group_references"]

_FILE = "group_references.yaml"
_TARGETS = frozenset({"country", "person", "any"})


@dataclass(frozen=True, slots=True)
class GroupNoun:
    target: str  # country | person | any
    sector: str | None = None


@dataclass(frozen=True, slots=True)
class GroupReferences:
    nouns: dict[str, GroupNoun]  # singular lemma (lower case) -> what it refers to
    quantifiers: frozenset[str]
    not_sizes: frozenset[str]  # lemmas whose number is never an event size

    def lookup(self, lemma: str) -> GroupNoun | None:
        return self.nouns.get(lemma.lower())


def _bad(detail: str) -> NewsEventsError:
    return NewsEventsError(Errors.E104, path=_FILE, detail=detail)


@lru_cache(maxsize=1)
def group_references() -> GroupReferences:
    """The reviewed group-reference nouns and the quantifiers that make them references."""
    raw = resources.files("newsevents.knowledge").joinpath("data", _FILE).read_text("utf-8")
    data = yaml.safe_load(raw)
    if not isinstance(data, dict):
        raise _bad("the top level must be a mapping")
    nouns: dict[str, GroupNoun] = {}
    for n, row in enumerate(data.get("groups") or []):
        if not isinstance(row, dict) or row.get("target") not in _TARGETS:
            raise _bad(f"groups[{n}]: needs words and a target in {sorted(_TARGETS)}")
        sector = row.get("sector")
        words = row.get("words")
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise _bad(f"groups[{n}].words: expected a list of strings")
        for word in words:
            nouns[word.lower()] = GroupNoun(str(row["target"]), str(sector) if sector else None)
    quantifiers = data.get("quantifiers") or []
    if not isinstance(quantifiers, list):
        raise _bad("quantifiers: expected a list of strings")
    not_sizes = data.get("not_sizes") or []
    if not isinstance(not_sizes, list):
        raise _bad("not_sizes: expected a list of strings")
    return GroupReferences(
        nouns,
        frozenset(str(q).lower() for q in quantifiers),
        frozenset(str(w).lower() for w in not_sizes),
    )
