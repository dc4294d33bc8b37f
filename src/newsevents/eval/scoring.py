"""Scorer arithmetic shared by every suite: set comparison per record, micro-averaged.

Everything here is pure (no files, no model), so ``tests/eval`` checks the maths on hand-made
predictions.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from newsevents.model import Actor, Event

__all__ = [
    "MISSING",
    "Scores",
    "actor_key",
    "event_triples",
    "gold_triples",
    "prf",
    "set_counts",
]

MISSING = "---"
"""Placeholder for a missing actor or recipient (PETRARCH's convention)."""


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts; an empty denominator gives 0.0."""
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


@dataclass
class Scores:
    """Micro-averaged counts over records: true positives, predicted items, gold items."""

    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0
    records: int = 0

    def add(self, pred: Iterable[Hashable], gold: Iterable[Hashable]) -> int:
        """Add one record's predicted and gold sets; returns that record's true positives."""
        tp, n_pred, n_gold = set_counts(pred, gold)
        self.tp += tp
        self.n_pred += n_pred
        self.n_gold += n_gold
        self.records += 1
        return tp

    @property
    def precision(self) -> float:
        return prf(self.tp, self.n_pred, self.n_gold)[0]

    @property
    def recall(self) -> float:
        return prf(self.tp, self.n_pred, self.n_gold)[1]

    @property
    def f1(self) -> float:
        return prf(self.tp, self.n_pred, self.n_gold)[2]

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "tp": self.tp,
            "n_pred": self.n_pred,
            "n_gold": self.n_gold,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


def set_counts(pred: Iterable[Hashable], gold: Iterable[Hashable]) -> tuple[int, int, int]:
    """(|pred ∩ gold|, |pred|, |gold|) with duplicates removed on both sides."""
    pred_set, gold_set = set(pred), set(gold)
    return len(pred_set & gold_set), len(pred_set), len(gold_set)


def actor_key(actor: Actor, *, country_only: bool) -> str:
    """How one of our actors is compared with a PETRARCH code.

    ``country_only``: the first three characters of the CAMEO actor ``code`` (``IRNGOV`` → ``IRN``),
    else the ``country``; otherwise the full ``code``, else the ``country``. ``---`` when neither (``---`` + sector, e.g. ``---REB``, in the full view).
    """
    value = actor.code or actor.country
    if not value:
        # a sector with no country is PETRARCH's "---REB", "---CVL": same information, its spelling
        return MISSING + actor.sector if actor.sector and not country_only else MISSING
    return value[:3] if country_only else value


def event_triples(event: Event, view: str) -> set[tuple[str, str, str]]:
    """Our event as (source, target, code) triples: actor × recipient, a missing side is ``---``.

    ``view`` is ``exact`` (full actor codes, full CAMEO code) or ``country`` (3-letter country
    part, CAMEO root).
    """
    country = view == "country"
    sources = {actor_key(a, country_only=country) for a in event.actor} or {MISSING}
    targets = {actor_key(a, country_only=country) for a in event.recipient} or {MISSING}
    code = event.cameo[:2] if country else event.cameo
    return {(s, t, code) for s in sources for t in targets}


def gold_triples(events: Iterable[dict[str, Any]], view: str) -> set[tuple[str, str, str]]:
    """PETRARCH-style ``{"source","target","code"}`` dicts as triples, literally (no normalising).

    ``country`` view: first three characters of each code and the 2-character CAMEO root.
    """
    triples: set[tuple[str, str, str]] = set()
    for event in events:
        source = str(event.get("source") or MISSING)
        target = str(event.get("target") or MISSING)
        code = str(event.get("code") or "")
        if view == "country":
            triples.add((source[:3], target[:3], code[:2]))
        else:
            triples.add((source, target, code))
    return triples
