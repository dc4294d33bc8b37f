"""Suites end to end on a tiny hand-made gold folder, and on the real shared gold (marked shared)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from newsevents.errors import NewsEventsError
from newsevents.eval import SUITES, run_suite
from newsevents.model import Actor, Event

MakeActor = Callable[..., Actor]
MakeEvent = Callable[..., Event]


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


PETRARCH_GOLD = [
    # our own toy sentences, in the shape of shared/eval/petrarch_gold.jsonl
    {
        "id": "udpgsr:a1",
        "date": "20080804",
        "text": "Ruritania attacked Freedonia.",
        "events": [{"source": "RURMIL", "target": "FREGOV", "code": "190"}],
        "category": "AFP",
        "suite": "udp_gsr_english",
        "enabled": True,
        "expect_no_events": False,
    },
    {
        "id": "udpgsr:a2",
        "date": "20080805",
        "text": "Freedonia met Ruritania and criticised Sylvania.",
        "events": [
            {"source": "FRE", "target": "RUR", "code": "040"},
            {"source": "FRE", "target": "SYL", "code": "111"},
        ],
        "category": "TEST",
        "suite": "udp_gsr_english",
        "enabled": True,
        "expect_no_events": False,
    },
    {
        "id": "udpgsr:a3",
        "date": "20080806",
        "text": "It rained.",
        "events": [],
        "category": "AFP",
        "suite": "udp_gsr_english",
        "enabled": True,
        "expect_no_events": True,
    },
    {
        "id": "udpgsr:off",
        "date": "20080806",
        "text": "Disabled record.",
        "events": [{"source": "AAA", "target": "BBB", "code": "010"}],
        "category": "TEST",
        "suite": "udp_gsr_english",
        "enabled": False,
        "expect_no_events": False,
    },
    {
        "id": "p2ut:x",
        "date": "20080806",
        "text": "Other suite.",
        "events": [{"source": "ARN", "target": "GON", "code": "903"}],
        "category": "TEST",
        "suite": "petrarch2_unittest",
        "enabled": True,
        "expect_no_events": False,
    },
]

BASELINE = [
    {
        "id": "udpgsr:a1",
        "status": "ok",
        "pred": [{"source": "RUR", "target": "FRE", "code": "193"}],
    },
    {"id": "udpgsr:a2", "status": "no_parse", "pred": None},
    {
        "id": "udpgsr:a3",
        "status": "ok",
        "pred": [{"source": "XXX", "target": "YYY", "code": "010"}],
    },
]

GSR = [
    {
        "id": "g1",
        "text": "Japan hosted talks with China.",
        "event_v2": "CONSULT",
        "actor": [{"text": "Japan", "code": "JAP", "sector": None}],
        "recipient": [{"text": "China", "code": "CHN", "sector": None}],
    },
    {
        "id": "g2",
        "text": "Rebels attacked a village.",
        "event_v2": "ASSAULT",
        "actor": [{"text": "Rebels", "code": "SDN", "sector": "REB"}],
        "recipient": [],
    },
    {
        "id": "g3",
        "text": "The UN condemned the raid.",
        "event_v2": "ACCUSE",
        "actor": [{"text": "UN", "code": "IGO", "sector": None}],
        "recipient": [],
    },
]


@pytest.fixture
def toy_shared(tmp_path: Path) -> Path:
    _write_jsonl(tmp_path / "eval" / "petrarch_gold.jsonl", PETRARCH_GOLD)
    _write_jsonl(tmp_path / "eval" / "petrarch2_baseline_predictions.jsonl", BASELINE)
    _write_jsonl(tmp_path / "eval" / "plover_gsr_cameo" / "PLOVER_GSR_CAMEO.v2map.jsonl", GSR)
    return tmp_path


def test_suites_listed() -> None:
    assert set(SUITES) == {"plover-gsr", "petrarch-news", "petrarch-validate"}
    assert all(SUITES.values())


def test_unknown_suite_is_e301(toy_shared: Path) -> None:
    with pytest.raises(NewsEventsError) as err:
        run_suite("nope", shared=toy_shared)
    assert err.value.code == "E301"


@pytest.mark.parametrize("suite", ["plover-gsr", "petrarch-news"])
def test_missing_gold_is_e302(tmp_path: Path, suite: str) -> None:
    with pytest.raises(NewsEventsError) as err:
        run_suite(suite, shared=tmp_path, coder=lambda text, date, doc_id: [])
    assert err.value.code == "E302"


def test_petrarch_news_scoring(
    toy_shared: Path, make_actor: MakeActor, make_event: MakeEvent
) -> None:
    seen: list[tuple[str, dt.date | None, str]] = []

    def coder(text: str, date: dt.date | None, doc_id: str) -> list[Event]:
        seen.append((text, date, doc_id))
        if doc_id == "udpgsr:a1":  # right country-country-root, different exact code
            return [make_event("193", [make_actor("RURMIL")], [make_actor(country="FRE")])]
        if doc_id == "udpgsr:a2":  # one of two gold triples; plus a wrong one
            return [
                make_event("043", [make_actor("FRE")], [make_actor("RUR")], event_type="CONSULT"),
                make_event("173", [make_actor("FRE")], [], event_type="COERCE"),
            ]
        return [make_event("190")]  # a false positive on the no-event record

    report = run_suite("petrarch-news", shared=toy_shared, coder=coder, details=True)
    assert [s[2] for s in seen] == ["udpgsr:a1", "udpgsr:a2", "udpgsr:a3"]  # enabled, this suite
    assert seen[0][1] == dt.date(2008, 8, 4)

    ccr = report.view("country-country-root")
    # a1: {RUR,FRE,19} hit; a2: {FRE,RUR,04} hit, {FRE,---,17} miss; a3: {---,---,19} miss
    assert (ccr.ours.tp, ccr.ours.n_pred, ccr.ours.n_gold) == (2, 4, 3)
    assert ccr.baseline is not None
    # baseline: a1 hit, a2 no_parse -> nothing, a3 false positive
    assert (ccr.baseline.tp, ccr.baseline.n_pred, ccr.baseline.n_gold) == (1, 2, 3)

    exact = report.view("exact")
    assert exact.ours.tp == 0  # RURMIL/FRE/193 vs RURMIL/FREGOV/190 etc.
    root = report.view("root")
    assert (root.ours.tp, root.ours.n_pred, root.ours.n_gold) == (2, 4, 3)

    afp = report.view("AFP: country-country-root")
    assert (afp.ours.records, afp.ours.tp, afp.ours.n_pred, afp.ours.n_gold) == (2, 1, 2, 1)

    assert report.counts["records"] == 3
    assert report.counts["expect-no-event records"] == 1
    assert report.counts["  of which we output events"] == 1
    assert report.counts["  of which PETRARCH2 output events"] == 1
    assert report.counts["PETRARCH2 no-parse records (count as empty)"] == 1

    text = report.render()
    assert "country-country-root" in text and "PETRARCH2" in text and "0.500" in text
    data = report.to_dict()
    assert json.loads(json.dumps(data))["views"][0]["ours"]["tp"] == 2
    assert report.details is not None and len(report.details) == 3
    lines = report.details_jsonl().splitlines()
    assert json.loads(lines[0])["ours_ccr"] == [["RUR", "FRE", "19"]]


def test_petrarch_news_limit_applies_to_baseline(toy_shared: Path) -> None:
    report = run_suite("petrarch-news", shared=toy_shared, limit=1, coder=lambda t, d, i: [])
    ccr = report.view("country-country-root")
    assert ccr.ours.records == 1 and ccr.baseline is not None and ccr.baseline.records == 1
    assert ccr.baseline.f1 == 1.0
    assert report.details is None


def test_petrarch_news_without_baseline(toy_shared: Path) -> None:
    (toy_shared / "eval" / "petrarch2_baseline_predictions.jsonl").unlink()
    report = run_suite("petrarch-news", shared=toy_shared, coder=lambda t, d, i: [])
    assert report.baseline_name is None
    assert all(v.baseline is None for v in report.views)
    assert "PETRARCH2" not in report.render().split("\n\n")[1]


def test_coder_errors_count_as_no_output(toy_shared: Path) -> None:
    from newsevents.errors import Errors

    def failing(text: str, date: dt.date | None, doc_id: str) -> list[Event]:
        raise NewsEventsError(Errors.E006, doc_id=doc_id)

    report = run_suite("petrarch-news", shared=toy_shared, coder=failing)
    assert report.counts["coder errors"] == 3
    assert report.view("root").ours.n_pred == 0


def test_plover_gsr_scoring(toy_shared: Path, make_actor: MakeActor, make_event: MakeEvent) -> None:
    def coder(text: str, date: dt.date | None, doc_id: str) -> list[Event]:
        assert date == dt.date(2000, 1, 1)
        if doc_id == "g1":  # right type; JPN matches the gold's legacy JAP
            return [
                make_event(
                    "043", [make_actor(country="JPN")], [make_actor("CHNGOV")], event_type="CONSULT"
                ),
                make_event("111", [make_actor("CHN")], [], event_type="ACCUSE"),
            ]
        if doc_id == "g2":  # wrong type
            return [make_event("173", [make_actor(country="SDN")], [], event_type="COERCE")]
        return []  # g3: nothing

    report = run_suite("plover-gsr", shared=toy_shared, coder=coder, details=True)
    types = report.view("event type").ours
    assert (types.tp, types.n_pred, types.n_gold, types.records) == (1, 3, 3, 3)
    assert types.recall == pytest.approx(1 / 3)
    actor = report.view("actor country").ours
    # g1: focus on CONSULT event -> {JPN} vs {JPN}; g2: no COERCE==ASSAULT -> all events {SDN};
    # g3: nothing vs {IGO}
    assert (actor.tp, actor.n_pred, actor.n_gold) == (2, 2, 3)
    recipient = report.view("recipient country").ours
    assert (recipient.tp, recipient.n_pred, recipient.n_gold, recipient.records) == (1, 1, 1, 1)
    assert report.counts["sentences with no event"] == 1
    confusion = next(t for t in report.tables if t.title.startswith("Most common"))
    assert confusion.rows == [("ASSAULT", "COERCE", "1")]
    per_type = {row[0]: row for row in report.tables[0].rows}
    assert per_type["CONSULT"][2] == "1.000"
    assert per_type["ASSAULT"][2] == "0.000"
    assert per_type["ACCUSE"][3:] == ("1", "0.000")
    assert "event type" in report.render()
    assert report.details is not None and report.details[0]["type_hit"] is True


def test_plover_gsr_un_alias(
    toy_shared: Path, make_actor: MakeActor, make_event: MakeEvent
) -> None:
    def coder(text: str, date: dt.date | None, doc_id: str) -> list[Event]:
        return [make_event("111", [make_actor(country="UNO")], [], event_type="ACCUSE")]

    report = run_suite("plover-gsr", shared=toy_shared, coder=coder)
    assert report.view("actor country").ours.tp == 1  # UNO counts as the gold's IGO on g3


# --------------------------------------------------------------------------- real shared gold


def _oracle(
    shared: Path, make_actor: MakeActor, make_event: MakeEvent
) -> Callable[..., list[Event]]:
    gold = {}
    with (shared / "eval" / "petrarch_gold.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            gold[record["id"]] = record["events"]

    def coder(text: str, date: dt.date | None, doc_id: str) -> list[Event]:
        return [
            make_event(
                e["code"],
                [make_actor(e["source"])] if e.get("source") not in (None, "---") else [],
                [make_actor(e["target"])] if e.get("target") not in (None, "---") else [],
            )
            for e in gold[doc_id]
        ]

    return coder


@pytest.mark.shared
def test_petrarch2_baseline_reproduces(shared: Path) -> None:
    report = run_suite("petrarch-news", shared=shared, coder=lambda t, d, i: [])
    assert report.counts["records"] == 78
    ccr = report.view("country-country-root").baseline
    assert ccr is not None
    assert round(ccr.precision, 2) == 0.97
    assert round(ccr.recall, 2) == 0.74
    assert round(ccr.f1, 2) == 0.84
    afp = report.view("AFP: country-country-root").baseline
    assert afp is not None and afp.records == 18
    assert round(afp.f1, 2) == 0.76
    assert report.counts["PETRARCH2 no-parse records (count as empty)"] == 15


@pytest.mark.shared
def test_petrarch_news_oracle_scores_one(
    shared: Path, make_actor: MakeActor, make_event: MakeEvent
) -> None:
    report = run_suite(
        "petrarch-news", shared=shared, coder=_oracle(shared, make_actor, make_event)
    )
    for view in report.views:
        assert view.ours.f1 == pytest.approx(1.0), view.name
    assert report.counts["  of which we output events"] == 0


@pytest.mark.shared
def test_plover_gsr_runs_on_shared(shared: Path) -> None:
    report = run_suite("plover-gsr", shared=shared, limit=20, coder=lambda t, d, i: [])
    assert report.counts["sentences"] == 20
    assert report.counts["sentences with no event"] == 20
    assert report.view("event type").ours.recall == 0.0
    full = run_suite("plover-gsr", shared=shared, coder=lambda t, d, i: [])
    assert full.counts["sentences"] == 322
