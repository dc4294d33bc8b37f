from __future__ import annotations

import re

import pytest

from newsevents import ontology
from newsevents.errors import NewsEventsError
from newsevents.model import EVENT_TYPES

ALL = ontology.all_codes()
CODES = [info.code for info in ALL]

QUAD_OF = {
    "AGREE": 1,
    "CONSULT": 1,
    "SUPPORT": 1,
    "CONCEDE": 1,
    "COOPERATE": 2,
    "AID": 2,
    "RETREAT": 2,
    "REQUEST": 3,
    "ACCUSE": 3,
    "REJECT": 3,
    "THREATEN": 3,
    "PROTEST": 4,
    "SANCTION": 4,
    "MOBILIZE": 4,
    "COERCE": 4,
    "ASSAULT": 4,
}


def test_code_counts() -> None:
    by_len = {n: sum(1 for c in CODES if len(c) == n) for n in (2, 3, 4)}
    assert by_len == {2: 20, 3: 147, 4: 145}
    assert len(set(CODES)) == len(CODES)


def test_every_root_and_every_code_has_its_root() -> None:
    roots = {f"{i:02d}" for i in range(1, 21)}
    assert {c for c in CODES if len(c) == 2} == roots
    for code in CODES:
        assert code[:2] in roots
        if len(code) == 4:
            assert code[:3] in CODES, code


@pytest.mark.parametrize("code", CODES)
def test_every_code_resolves(code: str) -> None:
    info = ontology.cameo_info(code)
    assert info.code == code
    assert ontology.is_known(code)
    assert info.name.strip() == info.name and info.name
    assert -10.0 <= info.goldstein <= 10.0
    assert re.fullmatch(r"\d{2,4}", code)
    if info.event_type is None:
        assert code[:2] in {"01", "02"}
        assert info.mode is None and info.quad_class is None and info.context == ()
    else:
        assert info.event_type in EVENT_TYPES
        assert info.quad_class == QUAD_OF[info.event_type]
        assert ontology.is_valid_mode(info.event_type, info.mode)
        assert set(info.context) <= set(ontology.contexts())


@pytest.mark.parametrize(
    ("code", "goldstein"),
    [
        ("190", -10.0),
        ("042", 1.9),
        ("043", 2.8),
        ("1723", -5.0),
        ("01", 0.0),
        ("016", -2.0),  # GDELT value; ICEWS has -5.0
        ("022", 3.2),  # GDELT value; ICEWS has 3.4
        ("164", -7.0),
        ("0874", 10.0),
        ("1213", -4.0),  # absent from GDELT, ICEWS value
        ("2042", -10.0),
    ],
)
def test_goldstein_values(code: str, goldstein: float) -> None:
    assert ontology.cameo_info(code).goldstein == goldstein


@pytest.mark.parametrize(
    ("code", "event_type", "mode", "context"),
    [
        ("010", None, None, ()),
        ("0214", None, None, ()),
        ("036", "AGREE", None, ("diplomatic",)),
        ("041", "CONSULT", "phone", ()),
        ("042", "CONSULT", "visit", ()),
        ("057", "SUPPORT", None, ("diplomatic",)),
        ("073", "AID", None, ("human_security",)),
        ("0811", "CONCEDE", None, ("pro_democracy",)),
        ("0813", "CONCEDE", None, ("legal",)),
        ("0841", "RETREAT", "release", ("legal",)),
        ("0871", "RETREAT", "ceasefire", ("military",)),
        ("091", "ACCUSE", "investigate", ("crime", "corruption")),
        ("1056", "REQUEST", "yield", ("military",)),
        ("111", "ACCUSE", "disapprove", ()),
        ("116", "SANCTION", "convict", ("legal",)),
        ("1243", "REJECT", "yield", ("legal",)),
        ("1322", "THREATEN", "restrict", ("pro_autocracy",)),
        ("1382", "THREATEN", "territory", ("military",)),
        ("145", "PROTEST", "riot", ()),
        ("154", "MOBILIZE", "troops", ("military",)),
        ("163", "SANCTION", "discontinue", ("economic",)),
        ("1712", "ASSAULT", "destroy", ("human_security",)),
        ("173", "COERCE", "arrest", ("legal",)),
        ("175", "ASSAULT", None, ("repression",)),
        ("186", "ASSAULT", "targeted", ()),
        ("195", "ASSAULT", "aerial", ("military",)),
        ("202", "ASSAULT", "targeted", ("religion_ethnicity",)),
        ("2041", "ASSAULT", "unconventional", ("cbrn",)),
        ("20", "ASSAULT", "targeted", ()),
        ("08", "CONCEDE", None, ()),
        ("09", "ACCUSE", "investigate", ()),
    ],
)
def test_plover_translation(
    code: str, event_type: str | None, mode: str | None, context: tuple[str, ...]
) -> None:
    info = ontology.cameo_info(code)
    assert (info.event_type, info.mode, info.context) == (event_type, mode, context)


@pytest.mark.parametrize(
    "root,event_type",
    [
        ("03", "AGREE"),
        ("04", "CONSULT"),
        ("05", "SUPPORT"),
        ("06", "COOPERATE"),
        ("07", "AID"),
        ("09", "ACCUSE"),
        ("10", "REQUEST"),
        ("11", "ACCUSE"),
        ("12", "REJECT"),
        ("13", "THREATEN"),
        ("14", "PROTEST"),
        ("15", "MOBILIZE"),
        ("18", "ASSAULT"),
        ("19", "ASSAULT"),
        ("20", "ASSAULT"),
    ],
)
def test_root_follows_manual_cue_table(root: str, event_type: str) -> None:
    assert ontology.cameo_info(root).event_type == event_type


def test_yield_split_between_concede_and_retreat() -> None:
    for info in ALL:
        if info.code[:3] in {"081", "082", "083"}:
            assert info.event_type == "CONCEDE", info.code
        if info.code[:3] in {"084", "085", "086", "087"}:
            assert info.event_type == "RETREAT", info.code


@pytest.mark.parametrize("bad", ["", "0", "99", "1214", "042 ", "42", "0000", "abc", "21"])
def test_unknown_code_raises_e101(bad: str) -> None:
    assert not ontology.is_known(bad)
    with pytest.raises(NewsEventsError) as err:
        ontology.cameo_info(bad)
    assert err.value.code == "E101"


def test_non_string_code_is_unknown() -> None:
    assert not ontology.is_known(42)  # type: ignore[arg-type]
    with pytest.raises(NewsEventsError):
        ontology.cameo_info(42)  # type: ignore[arg-type]


def test_event_types_match_model() -> None:
    assert ontology.event_types() == EVENT_TYPES


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_event_type_info(event_type: str) -> None:
    info = ontology.event_type_info(event_type)
    assert info.name == event_type
    assert info.quad_class == QUAD_OF[event_type]
    assert (
        info.quad
        == {
            1: "verbal_cooperation",
            2: "material_cooperation",
            3: "verbal_conflict",
            4: "material_conflict",
        }[info.quad_class]
    )
    assert info.definition
    assert info.modes == tuple(m.name for m in info.mode_info)
    assert info.requires_recipient == (event_type in {"COOPERATE", "AID", "SANCTION"})


@pytest.mark.parametrize(
    ("event_type", "modes"),
    [
        ("AGREE", ()),
        ("CONSULT", ("visit", "third-party", "multilateral", "phone")),
        ("RETREAT", ("withdraw", "release", "disarm", "ceasefire", "access", "resign")),
        ("REQUEST", ("assist", "change", "yield", "meet")),
        ("ACCUSE", ("disapprove", "investigate", "allege")),
        ("SANCTION", ("convict", "expel", "withdraw", "discontinue")),
        ("MOBILIZE", ("troops", "weapons", "police", "militia")),
    ],
)
def test_modes(event_type: str, modes: tuple[str, ...]) -> None:
    assert ontology.event_type_info(event_type).modes == modes


def test_mode_counts() -> None:
    counts = {t: len(ontology.event_type_info(t).modes) for t in EVENT_TYPES}
    assert counts["THREATEN"] == 6
    assert counts["PROTEST"] == 7
    assert counts["COERCE"] == 10
    assert counts["ASSAULT"] == 15


def test_unknown_event_type_raises_e102() -> None:
    with pytest.raises(NewsEventsError) as err:
        ontology.event_type_info("FIGHT")
    assert err.value.code == "E102"
    with pytest.raises(NewsEventsError):
        ontology.plover_score("DEMAND", None)


@pytest.mark.parametrize(
    ("event_type", "mode", "score"),
    [
        ("AGREE", None, 2.5),
        ("CONSULT", None, 2.5),
        ("CONSULT", "visit", 4.0),
        ("CONSULT", "phone", 1.5),
        ("AID", None, 10.0),
        ("RETREAT", "disarm", 10.0),
        ("REQUEST", None, 0.0),
        ("REQUEST", "assist", 0.5),
        ("ACCUSE", None, -3.0),
        ("ACCUSE", "disapprove", -2.0),
        ("THREATEN", "territory", -4.0),
        ("PROTEST", "riot", -7.0),
        ("PROTEST", "vandalize", -5.0),
        ("SANCTION", "expel", -5.5),
        ("MOBILIZE", None, -5.5),
        ("COERCE", "martial-law", -7.5),
        ("ASSAULT", None, -9.0),
        ("ASSAULT", "unconventional", -10.0),
        ("ASSAULT", "phone", None),
    ],
)
def test_plover_scores(event_type: str, mode: str | None, score: float | None) -> None:
    assert ontology.plover_score(event_type, mode) == score


def test_every_mode_has_a_score() -> None:
    for event_type in EVENT_TYPES:
        for mode in ontology.event_type_info(event_type).modes:
            value = ontology.plover_score(event_type, mode)
            assert value is not None and -10.0 <= value <= 10.0


def test_contexts() -> None:
    ctx = ontology.contexts()
    assert len(ctx) == 37 == len(set(ctx))
    for name in ("military", "pro_democracy", "human_security", "cbrn", "trafficking"):
        assert name in ctx


def test_sector_codes() -> None:
    sectors = ontology.sector_codes()
    assert len(sectors) == 25
    for code in ("GOV", "MIL", "REB", "CVL", "COP", "JRN", "UNK"):
        assert code in sectors
    assert all(re.fullmatch(r"[A-Z]{3}", c) for c in sectors)
    assert "UNO" in ontology.non_state_codes()


def test_codes_for() -> None:
    visits = ontology.codes_for("CONSULT", "visit")
    assert {i.code for i in visits} == {"042", "043"}
    assert all(i.event_type == "ASSAULT" for i in ontology.codes_for("ASSAULT"))


def test_version_is_stable_hash() -> None:
    version = ontology.ontology_version()
    assert re.fullmatch(r"[0-9a-f]{12}", version)
    assert version == ontology.ontology_version()
    assert ontology.plover_version().startswith("2.0")


def test_records_are_immutable() -> None:
    info = ontology.cameo_info("190")
    with pytest.raises(AttributeError):
        info.goldstein = 0.0  # type: ignore[misc]
    sectors = ontology.sector_codes()
    sectors["XXX"] = "x"
    assert "XXX" not in ontology.sector_codes()
