"""The petrarch-validate suite on toy records, and dictionary options of run_suite."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from newsevents.errors import NewsEventsError, NewsEventsWarning
from newsevents.eval import run_suite
from newsevents.eval.suites import resolve_dictionaries
from newsevents.model import Actor, Event

MakeActor = Callable[..., Actor]
MakeEvent = Callable[..., Event]

GOLD = [
    {
        "id": "udpv202:T-1",
        "date": "19950101",
        "text": "Northland attacked Southmarch.",
        "events": [{"source": "NLDMIL", "target": "SMR", "code": "190"}],
        "category": "DEMO",
        "suite": "udp_validate_2_02",
        "enabled": True,
    },
    {
        "id": "udpv202:T-2",
        "date": "19950102",
        "text": "Northland met Southmarch.",
        "events": [{"source": "NLD", "target": "SMR", "code": "040"}],
        "category": "DEMO",
        "suite": "udp_validate_2_02",
        "enabled": True,
    },
    {
        "id": "udpv202:T-off",
        "date": "19950102",
        "text": "Disabled.",
        "events": [],
        "suite": "udp_validate_2_02",
        "enabled": False,
    },
]
BASELINE = [
    {"id": "udpv202:T-1", "run": "validate_2_02", "status": "ok", "pred": GOLD[0]["events"]},
    {"id": "udpv202:T-2", "run": "validate_2_02", "status": "no_parse", "pred": None},
    {"id": "udpv202:T-2", "run": "validate_v1", "status": "ok", "pred": GOLD[1]["events"]},
]


def _write(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


@pytest.fixture
def toy(tmp_path: Path) -> Path:
    _write(tmp_path / "eval" / "petrarch_gold.jsonl", GOLD)
    _write(tmp_path / "eval" / "petrarch2_baseline_predictions.jsonl", BASELINE)
    return tmp_path


def test_validate_scoring_with_a_given_coder(
    toy: Path, make_actor: MakeActor, make_event: MakeEvent
) -> None:
    seen: list[dt.date | None] = []

    def coder(text: str, date: dt.date | None, doc_id: str) -> list[Event]:
        seen.append(date)
        if doc_id.endswith("T-1"):
            return [make_event("190", [make_actor("NLDMIL")], [make_actor("SMR")], doc_id=doc_id)]
        return [make_event("042", [make_actor("NLD")], [make_actor("SMR")], doc_id=doc_id)]

    report = run_suite("petrarch-validate", shared=toy, coder=coder)
    views = {v.name: v for v in report.views}
    assert views["exact"].ours.tp == 1 and views["exact"].ours.n_gold == 2
    assert views["root"].ours.tp == 2
    assert views["dyads"].ours.tp == 2
    base = views["exact"].baseline
    assert base is not None and base.tp == 1 and base.n_pred == 1  # no_parse predicts nothing
    parsed = views["parsed: exact"]
    assert parsed.ours.records == 1
    assert report.counts["records"] == 2 and report.counts["coder errors (crashes)"] == 0
    assert report.counts["PETRARCH2 no_parse records"] == 1
    assert seen == [dt.date(1995, 1, 1), dt.date(1995, 1, 2)]


def test_validate_needs_its_dictionaries(toy: Path) -> None:
    with pytest.raises(NewsEventsError) as info:
        run_suite("petrarch-validate", shared=toy)
    assert info.value.code == "E302"


def test_resolve_dictionaries(tmp_path: Path) -> None:
    paths = resolve_dictionaries(["phoenix", "validate", "my.actors.txt"], tmp_path)
    names = [p.name for p in paths]
    assert names[:4] == [
        "Phoenix.Countries.actors.txt",
        "Phoenix.International.actors.txt",
        "Phoenix.MilNonState.actors.txt",
        "Phoenix.agents.txt",
    ]
    assert names[4:6] == ["CAMEO.2.0.txt", "Phoenix.discards.txt"]  # a set's name brings its verbs and discards
    assert names[6:10] == [
        "PETR_Validate_actors_2_02.txt",
        "PETR_Validate_agents_2_02.txt",
        "PETR_Validate_verbs_2_02.txt",
        "PETR_Validate_discards_2_02.txt",
    ]
    assert paths[-1] == Path("my.actors.txt")
    only_actors = [p.name for p in resolve_dictionaries(["phoenix-actors", "validate-actors"], tmp_path)]
    assert not any("verb" in n or "CAMEO" in n or "discard" in n for n in only_actors)
    assert len(only_actors) == 6


@pytest.mark.shared
@pytest.mark.model
def test_validate_runs_on_shared(shared: Path) -> None:
    # the suite's verb file has patterns this lexicon cannot state (words before the verb): counted, not fatal
    with pytest.warns(NewsEventsWarning, match="W102"):
        report = run_suite("petrarch-validate", shared=shared, limit=5)
    assert report.counts["records"] == 5 and report.counts["coder errors (crashes)"] == 0
    assert any("PETR_Validate_actors_2_02" in n for n in report.notes)
