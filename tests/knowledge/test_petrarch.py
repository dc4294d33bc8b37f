"""The PETRARCH/CAMEO dictionary reader on small inline fixtures (written for these tests)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newsevents.errors import NewsEventsError, NewsEventsWarning
from newsevents.knowledge.petrarch import (
    DatedCode,
    load_dictionaries,
    parse_actors,
    parse_agents,
    read_dictionary,
)

ACTORS = """\
# a comment line
<!-- a one-line xml comment -->
<!--
# a block comment over
several lines -->
NORTHLAND_  [NLD]   # whole-word entry
+NORTHLANDER_
+THE_NORTH_CAPITAL
SOUTHMARCH [SMR]
ERIK_STONE_   # a person, dated roles below
+PRESIDENT_ERIK_STONE_
    [NLDELI 900101-091231]
    [NLDGOV 100101-151231]
    [NLDOPP >160101]
OLD_REALM
    [ORM <850101]
MERCHANT_LEAGUE [NLDBUS] [IGOBUS 20000101-20091231]
RAVEN_COUNCIL
+RAVENS
    [---]
UNNAMED_ONE
ANOTHER_NAME
    [XYZ]
"""

AGENTS = """\
!PERSON! = MAN, MEN, WOMAN, WOMEN
FOREIGN_MINISTER [~GOVFRM]   # foreign minister
BORDER_GUARD [~MIL]
POLICE {} [ ~COP]
GOOSE {GEESE} [~AGR]
CITY!PERSON! [~CVL]
RELIEF_AGENCY [NGO~]
"""


def _actors(text: str = ACTORS) -> dict[str, object]:
    pairs, skipped = parse_actors(text, source="Test")
    assert skipped == []
    return {" ".join(ph.key): entry for ph, entry in pairs}


def test_actor_entries_synonyms_and_codes() -> None:
    entries = _actors()
    north = entries["northland"]
    assert entries["northlander"] is north and entries["the north capital"] is north
    assert north.name == "Northland" and north.codes == (DatedCode("NLD"),)  # type: ignore[attr-defined]
    assert entries["southmarch"].codes == (DatedCode("SMR"),)  # type: ignore[attr-defined]


def test_whole_word_and_stem_entries() -> None:
    pairs, _ = parse_actors(ACTORS, source="Test")
    stems = {" ".join(ph.key): ph.stem for ph, _ in pairs}
    assert stems["northland"] is False  # trailing "_": whole word only
    assert stems["southmarch"] is True  # no "_": the last word is a stem


@pytest.mark.parametrize(
    ("date", "code", "dated"),
    [
        (dt.date(1995, 6, 1), "NLDELI", True),
        (dt.date(2012, 3, 4), "NLDGOV", True),
        (dt.date(2015, 12, 31), "NLDGOV", True),  # both ends included
        (dt.date(2020, 1, 1), "NLDOPP", True),  # ">" = from this date on
        (None, "NLDOPP", True),  # no date: the latest role
    ],
)
def test_dated_roles(date: dt.date | None, code: str, dated: bool) -> None:
    stone = _actors()["erik stone"]
    block = stone.resolve(date)  # type: ignore[attr-defined]
    assert block is not None and block.code == code and block.dated is dated


def test_before_and_outside_dates() -> None:
    old = _actors()["old realm"]
    assert old.resolve(dt.date(1984, 12, 31)).code == "ORM"  # type: ignore[attr-defined]
    assert old.resolve(dt.date(1985, 1, 1)) is None  # type: ignore[attr-defined]


def test_undated_code_is_the_default_outside_dated_blocks() -> None:
    league = _actors()["merchant league"]
    assert league.resolve(dt.date(2005, 1, 1)).code == "IGOBUS"  # type: ignore[attr-defined]
    assert league.resolve(dt.date(2015, 1, 1)).code == "NLDBUS"  # type: ignore[attr-defined]


def test_null_code_and_names_sharing_a_block() -> None:
    entries = _actors()
    assert entries["ravens"].resolve(None).code is None  # type: ignore[attr-defined]
    assert entries["unnamed one"] is entries["another name"]
    assert entries["unnamed one"].codes == (DatedCode("XYZ"),)  # type: ignore[attr-defined]


def test_eight_digit_dates() -> None:
    pairs, _ = parse_actors("HERO [HRO 20100109-20100112]\n", source="T")
    ((_, hero),) = pairs
    assert hero.codes[0].start == dt.date(2010, 1, 9) and hero.codes[0].end == dt.date(2010, 1, 12)


@pytest.mark.parametrize(
    "line",
    [
        "BROKEN [NLD 900101-",  # unbalanced
        "BAD_DATE [NLD 9001011-950101]",  # seven digits
        "BACKWARDS [NLD 950101-900101]",  # ends before it starts
        "+SYNONYM_FIRST",  # a synonym before any entry
        "NO_CODE_AT_ALL",  # an entry that never gets a code
    ],
)
def test_bad_actor_lines_are_skipped_or_raise(line: str) -> None:
    pairs, skipped = parse_actors(line + "\n", source="T")
    assert skipped == [1]
    with pytest.raises(NewsEventsError) as info:
        parse_actors(line + "\n", source="T", strict=True)
    assert info.value.code == "E105"


def test_agents_plurals_substitutions_and_prefixes() -> None:
    pairs, skipped = parse_agents(AGENTS, source="Agents")
    assert skipped == []
    by_key = {" ".join(ph.key): entry for ph, entry in pairs}
    assert by_key["foreign minister"].code == "GOVFRM"
    assert by_key["foreign ministers"] is by_key["foreign minister"]  # regular plural
    assert "polices" not in by_key and by_key["police"].code == "COP"  # {} = no plural
    assert by_key["geese"].code == "AGR" and "gooses" not in by_key  # irregular plural
    assert by_key["citymen"].code == "CVL" and by_key["citywomen"].code == "CVL"
    relief = by_key["relief agency"]
    assert relief.prefix and relief.apply("NLD") == "NGONLD"
    assert by_key["border guard"].apply("NLD") == "NLDMIL"
    assert by_key["foreign minister"].apply("NLDGOVFRM") == "NLDGOVFRM"  # not twice


def test_bad_agent_lines() -> None:
    _, skipped = parse_agents("NO_CODE_HERE\nUNKNOWN!SET! [~GOV]\nFINE [~GOV]\n", source="A")
    assert skipped == [1, 2]


def test_files_scan_and_warning(tmp_path: Path) -> None:
    actors = tmp_path / "Test.actors.txt"
    actors.write_text(ACTORS + "BROKEN [NLD 900101-\n", encoding="utf-8")
    agents = tmp_path / "Test.agents.txt"
    agents.write_text(AGENTS, encoding="utf-8")
    with pytest.warns(NewsEventsWarning, match="W101"):
        parsed = read_dictionary(actors)
    assert parsed.kind == "actors" and parsed.name == "Test" and parsed.skipped
    with pytest.warns(NewsEventsWarning):
        dicts = load_dictionaries([actors, agents])
    assert dicts.names == ("Test", "Test") and dicts.has_agents
    words = [
        "The",
        "Northland",
        "foreign",
        "minister",
        "met",
        "Southmarchers",
        "and",
        "the",
        "police",
    ]
    found_actors, found_agents = dicts.scan(words)
    assert [(m.start, m.end) for m in found_actors] == [(1, 2), (5, 6)]  # stem: Southmarchers
    assert [(m.start, m.end, m.agent.code) for m in found_agents if m.agent] == [
        (2, 4, "GOVFRM"),
        (8, 9, "COP"),
    ]
    # a lower-case word never matches an actor name
    assert dicts.scan(["northland"])[0] == []


def test_missing_file() -> None:
    with pytest.raises(NewsEventsError) as info:
        load_dictionaries(["/nonexistent/Nothing.actors.txt"])
    assert info.value.code == "E107"
