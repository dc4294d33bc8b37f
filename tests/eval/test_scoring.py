from __future__ import annotations

from collections.abc import Callable

import pytest

from newsevents.eval.scoring import (
    MISSING,
    Scores,
    actor_key,
    event_triples,
    gold_triples,
    prf,
    set_counts,
)
from newsevents.model import Actor, Event


@pytest.mark.parametrize(
    ("tp", "n_pred", "n_gold", "expected"),
    [
        (0, 0, 0, (0.0, 0.0, 0.0)),
        (1, 1, 1, (1.0, 1.0, 1.0)),
        (1, 2, 4, (0.5, 0.25, 1 / 3)),
        (0, 3, 2, (0.0, 0.0, 0.0)),
        (3, 3, 0, (1.0, 0.0, 0.0)),
    ],
)
def test_prf(tp: int, n_pred: int, n_gold: int, expected: tuple[float, float, float]) -> None:
    assert prf(tp, n_pred, n_gold) == pytest.approx(expected)


def test_set_counts_deduplicates() -> None:
    assert set_counts(["a", "a", "b"], ["b", "c", "c"]) == (1, 2, 2)
    assert set_counts([], ["x"]) == (0, 0, 1)


def test_scores_micro_average() -> None:
    scores = Scores()
    assert scores.add({"a", "b"}, {"a"}) == 1  # 1 tp, 2 pred, 1 gold
    assert scores.add(set(), {"c", "d"}) == 0  # a miss
    assert scores.add({"e"}, set()) == 0  # a false positive on a no-event record
    assert (scores.tp, scores.n_pred, scores.n_gold, scores.records) == (1, 3, 3, 3)
    assert scores.precision == pytest.approx(1 / 3)
    assert scores.recall == pytest.approx(1 / 3)
    assert scores.f1 == pytest.approx(1 / 3)
    assert scores.to_dict()["records"] == 3


def test_actor_key(make_actor: Callable[..., Actor]) -> None:
    assert actor_key(make_actor(code="IRNGOV", country="IRN"), country_only=True) == "IRN"
    assert actor_key(make_actor(code="IRNGOV"), country_only=False) == "IRNGOV"
    assert actor_key(make_actor(country="FRA"), country_only=True) == "FRA"
    assert actor_key(make_actor(), country_only=True) == MISSING


def test_event_triples_cross_product(
    make_actor: Callable[..., Actor], make_event: Callable[..., Event]
) -> None:
    event = make_event(
        "1823",
        actors=[make_actor("USAMIL"), make_actor(country="GBR")],
        recipients=[make_actor("IRQREB")],
    )
    assert event_triples(event, "country") == {("USA", "IRQ", "18"), ("GBR", "IRQ", "18")}
    assert event_triples(event, "exact") == {
        ("USAMIL", "IRQREB", "1823"),
        ("GBR", "IRQREB", "1823"),
    }


def test_event_triples_missing_sides(
    make_actor: Callable[..., Actor], make_event: Callable[..., Event]
) -> None:
    assert event_triples(make_event("190"), "country") == {(MISSING, MISSING, "19")}
    one_sided = make_event("111", actors=[make_actor("RUS")])
    assert event_triples(one_sided, "country") == {("RUS", MISSING, "11")}


def test_gold_triples_literal() -> None:
    gold = [
        {"source": "GUYJUD", "target": "BRAPPL", "code": "173"},
        {"source": "GUYJUD", "target": "BRAPPL", "code": "172"},
        {"source": '"INJURY TOLL"', "target": None, "code": "190"},
    ]
    assert gold_triples(gold, "country") == {("GUY", "BRA", "17"), ('"IN', MISSING, "19")}
    assert ("GUYJUD", "BRAPPL", "173") in gold_triples(gold, "exact")
    assert len(gold_triples(gold, "exact")) == 3
