"""Places: gazetteer look-ups, document context, and the rules that pick an event's place."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from newsevents.components.where import (
    event_location,
    find_places,
    lookup_place,
    resolve_place_name,
)
from newsevents.model import Place


@pytest.mark.parametrize(
    ("name", "country", "feature"),
    [
        ("Gaza Strip", "PSE", "region"),
        ("the West Bank", "PSE", "region"),
        ("East Jerusalem", "PSE", "region"),
        ("Golan Heights", "SYR", "region"),
        ("al-Aqsa Mosque", "PSE", "landmark"),
        ("Temple Mount", "PSE", "landmark"),
        ("Kurdistan Region", "IRQ", "region"),
        ("Sinai", "EGY", "region"),
        ("Donbas", "UKR", "region"),
        ("Crimea", "UKR", "region"),
        ("Idlib province", "SYR", "region"),
        ("Darfur", "SDN", "region"),
        ("Tigray", "ETH", "region"),
        ("Strait of Hormuz", None, "water"),
        ("Red Sea", None, "water"),
        ("Britain", "GBR", "country"),
        ("U.S.", "USA", "country"),
        ("Kiev", "UKR", "city"),
        ("Gorazde", "BIH", "city"),
        ("Baghdad", "IRQ", "city"),
        ("Texas", "USA", "region"),
    ],
)
def test_lookup(name: str, country: str | None, feature: str) -> None:
    top = lookup_place(name)[0]
    assert (top.country, top.feature) == (country, feature)


def test_unknown_name() -> None:
    assert lookup_place("Xyzzyville") == ()
    assert resolve_place_name("Xyzzyville") is None


def test_context_resolves_ambiguous_names() -> None:
    tripoli = resolve_place_name("Tripoli")
    assert tripoli is not None and tripoli.country == "LBY"  # more people
    lebanon = resolve_place_name("Tripoli", countries=["LBN"])
    assert lebanon is not None and lebanon.country == "LBN"


def _locate(nlp: Language, text: str, word: str) -> Place | None:
    doc: Doc = nlp(text)
    places = find_places(doc)
    trigger = next(t for t in doc if t.text == word)
    sents = list(doc.sents)
    index = next(n for n, s in enumerate(sents) if s.start <= trigger.i < s.end)
    return event_location(sents[index], trigger, places, sent_index=index)


CASES = [
    # text, trigger, place name, country, precision
    (
        "Israeli troops raided homes in the West Bank on Monday.",
        "raided",
        "West Bank",
        "PSE",
        "exact",
    ),
    ("The death toll rose after clashes near Raqqa.", "clashes", "Raqqa", "SYR", "near"),
    (
        "Police clashed with worshippers at al-Aqsa Mosque.",
        "clashed",
        "al-Aqsa Mosque",
        "PSE",
        "exact",
    ),
    ("Gunmen attacked a village in southern Guyana.", "attacked", "Guyana", "GUY", "country"),
    ("A car bomb exploded 20 km southwest of Baghdad.", "exploded", "Baghdad", "IRQ", "near"),
    (
        "U.N. helicopters evacuated the wounded from the besieged Bosnian town of Gorazde.",
        "evacuated",
        "Goražde",
        "BIH",
        "exact",
    ),
    (
        "Swiss doctors handed over medicine to the Red Crescent in Bam, Iran.",
        "handed",
        "Bam",
        "IRN",
        "exact",
    ),
    (
        "Zambia extradited a suspected militant to Britain on Sunday.",
        "extradited",
        "United Kingdom",
        "GBR",
        "country",
    ),
    ("Syria's president met Iranian officials in Tehran.", "met", "Tehran", "IRN", "exact"),
    ("Houthi rebels fired missiles at ships in the Red Sea.", "fired", "Red Sea", None, "exact"),
]


@pytest.mark.model
@pytest.mark.parametrize(("text", "word", "name", "country", "precision"), CASES)
def test_event_location(
    nlp: Language, text: str, word: str, name: str, country: str | None, precision: str
) -> None:
    place = _locate(nlp, text, word)
    assert place is not None
    assert (place.name, place.country, place.precision) == (name, country, precision)
    assert place.start is not None and place.end is not None
    assert text[place.start : place.end] == place.text


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Iran condemned the attack.", "condemned"),  # the actor itself
        ("The Iranian foreign minister condemned the attack.", "condemned"),  # a demonym
        ("Syria's president condemned the attack.", "condemned"),  # possessor of the actor
        ("The Bank of England raised interest rates.", "raised"),  # an organisation
        ("Russia accused Ukraine of shelling.", "accused"),  # actor and recipient
    ],
)
def test_not_a_location(nlp: Language, text: str, word: str) -> None:
    assert _locate(nlp, text, word) is None


@pytest.mark.model
def test_location_inferred_from_previous_sentence(nlp: Language) -> None:
    text = "Fighting raged in Tripoli on Monday. The army of Lebanon said it had arrested 12 men. Protesters gathered outside parliament."
    place = _locate(nlp, text, "gathered")
    assert place is not None
    assert (place.name, place.country, place.precision) == ("Tripoli", "LBN", "inferred")


@pytest.mark.model
def test_find_places_offsets_and_sentences(nlp: Language) -> None:
    text = "Rockets hit the Gaza Strip. Later, talks opened in Cairo."
    doc = nlp(text)
    places = find_places(doc)
    assert [(m.text, m.place.country, m.sent_index) for m in places] == [
        ("Gaza Strip", "PSE", 0),
        ("Cairo", "EGY", 1),
    ]
    for m in places:
        assert text[m.start : m.end] == m.text
        assert doc[m.token_start : m.token_end].text == m.text
