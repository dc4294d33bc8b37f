"""Coding tables for the phrase coder, on Docs parsed by the real model."""

from __future__ import annotations

import pytest

from newsevents.knowledge import analyse_phrase, code_phrase

pytestmark = pytest.mark.model


def _span(nlp, sentence: str, phrase: str):  # type: ignore[no-untyped-def]
    doc = nlp(sentence)
    start = doc.text.index(phrase)
    span = doc.char_span(start, start + len(phrase))
    assert span is not None, phrase
    return span


@pytest.mark.parametrize(
    ("sentence", "phrase", "country", "sector", "code", "kind", "name", "why"),
    [
        (
            "Omani Foreign Minister Sayyid Badr Albusaidi met officials.",
            "Omani Foreign Minister Sayyid Badr Albusaidi",
            "OMN",
            "GOV",
            "OMNGOV",
            "person",
            "Sayyid Badr Albusaidi",
            "demonym + role noun",
        ),
        (
            "Qatari Prime Minister and Foreign Minister Sheikh Mohammed bin Abdulrahman bin Jassim Al Thani spoke.",
            "Qatari Prime Minister and Foreign Minister Sheikh Mohammed bin Abdulrahman bin Jassim Al Thani",
            "QAT",
            "GOV",
            "QATGOV",
            "person",
            "Sheikh Mohammed bin Abdulrahman bin Jassim Al Thani",
            "demonym + role noun",
        ),
        (
            "The foreign minister of Iran condemned it.",
            "The foreign minister of Iran",
            "IRN",
            "GOV",
            "IRNGOV",
            "role",
            None,
            "country + role noun",
        ),
        (
            "Iran's foreign minister said so.",
            "Iran's foreign minister",
            "IRN",
            "GOV",
            "IRNGOV",
            "role",
            None,
            "country + role noun",
        ),
        (
            "Israeli troops killed three people.",
            "Israeli troops",
            "ISR",
            "MIL",
            "ISRMIL",
            "role",
            None,
            "demonym + role noun",
        ),
        (
            "Iraqi security forces said no.",
            "Iraqi security forces",
            "IRQ",
            "COP",
            "IRQCOP",
            "role",
            None,
            "demonym + role noun",
        ),
        ("Iran said no.", "Iran", "IRN", None, "IRN", "country", "Iran", "country name"),
        (
            "The US said no.",
            "The US",
            "USA",
            None,
            "USA",
            "country",
            "United States",
            "country name",
        ),
        (
            "A Hamas spokesman said no.",
            "A Hamas spokesman",
            "PSE",
            "REB",
            "PSEREB",
            "group",
            "Hamas",
            "of Hamas",
        ),
        ("Hamas said no.", "Hamas", "PSE", "REB", "PSEREB", "group", "Hamas", "alias of Hamas"),
        (
            "Houthi rebels said no.",
            "Houthi rebels",
            "YEM",
            "REB",
            "YEMREB",
            "group",
            "Houthis",
            "alias of Houthis",
        ),
        (
            "The UN Security Council said no.",
            "The UN Security Council",
            "IGO",
            "IGO",
            "IGOUNO",
            "igo",
            "UN Security Council",
            "alias",
        ),
        (
            "WHO said no.",
            "WHO",
            "IGO",
            "IGO",
            "IGOUNOHLH",
            "igo",
            "World Health Organization",
            "alias",
        ),
        (
            "A police spokesman said no.",
            "A police spokesman",
            None,
            "COP",
            None,
            "role",
            None,
            "role noun",
        ),
        (
            "Turkey's defence minister said no.",
            "Turkey's defence minister",
            "TUR",
            "GOV",
            "TURGOVMIL",
            "role",
            None,
            "country + role noun",
        ),
        (
            "Kurdish fighters said no.",
            "Kurdish fighters",
            None,
            "REB",
            "KURREB",
            "role",
            None,
            "ethnic",
        ),
        (
            "Palestinians said no.",
            "Palestinians",
            "PSE",
            None,
            "PSE",
            "demonym",
            "Palestine",
            "plural",
        ),
    ],
)
def test_phrase_table(nlp, sentence, phrase, country, sector, code, kind, name, why) -> None:  # type: ignore[no-untyped-def]
    c = code_phrase(_span(nlp, sentence, phrase))
    assert c is not None
    assert (c.country, c.sector, c.code, c.kind, c.name) == (country, sector, code, kind, name)
    assert why in c.resolution


def test_health_ministry_has_secondary_sector(nlp) -> None:  # type: ignore[no-untyped-def]
    c = code_phrase(
        _span(nlp, "the Palestinian health ministry said.", "the Palestinian health ministry")
    )
    assert c is not None
    assert (c.country, c.sector, c.sectors) == ("PSE", "GOV", ("GOV", "HLH"))


@pytest.mark.parametrize(
    ("sentence", "phrase", "country"),
    [
        ("Tehran said no.", "Tehran", "IRN"),
        ("The Kremlin said no.", "The Kremlin", "RUS"),
        ("Downing Street said no.", "Downing Street", "GBR"),
        ("Doha said no.", "Doha", "QAT"),
        ("The White House said no.", "The White House", "USA"),
    ],
)
def test_capital_metonymy(nlp, sentence, phrase, country) -> None:  # type: ignore[no-untyped-def]
    c = code_phrase(_span(nlp, sentence, phrase))
    assert c is not None
    assert (c.country, c.sector, c.kind) == (country, "GOV", "capital")
    assert "metonymy" in c.resolution


@pytest.mark.parametrize(
    ("sentence", "phrase", "country", "sector", "code"),
    [
        ("The Zionist regime said no.", "The Zionist regime", "ISR", "GOV", "ISRGOV"),
        ("The Zionist entity said no.", "The Zionist entity", "ISR", "GOV", "ISRGOV"),
        ("The Tel Aviv regime said no.", "The Tel Aviv regime", "ISR", "GOV", "ISRGOV"),
        ("Occupation forces raided the camp.", "Occupation forces", "ISR", "MIL", "ISRMIL"),
        ("Daesh said no.", "Daesh", "IMG", "REB", "IMGMUSISI"),
        ("Terrorists attacked the post.", "Terrorists", None, "REB", None),
    ],
)
def test_framing(nlp, sentence, phrase, country, sector, code) -> None:  # type: ignore[no-untyped-def]
    span = _span(nlp, sentence, phrase)
    c = code_phrase(span)
    assert c is not None
    assert (c.country, c.sector, c.code) == (country, sector, code)
    assert "framing" in c.resolution


@pytest.mark.parametrize(
    ("sentence", "phrase", "sector"),
    [
        ("The regime denied it.", "The regime", "GOV"),
        ("Resistance fighters fired rockets.", "Resistance fighters", "REB"),
    ],
)
def test_framing_takes_the_story_country(nlp, sentence, phrase, sector) -> None:  # type: ignore[no-untyped-def]
    span = _span(nlp, sentence, phrase)
    a = analyse_phrase(span)
    assert a.needs_context and a.code is not None and a.code.country is None
    c = analyse_phrase(span, context_country="SYR").code
    assert c is not None and (c.country, c.sector, c.code) == ("SYR", sector, "SYR" + sector)


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("Let us go there.", "us"),
        ("Who said that?", "Who"),
        ("The talks ended.", "The talks"),
        ("He bought a turkey.", "a turkey"),
    ],
)
def test_unknown_or_lowercase_words_are_not_actors(nlp, sentence, phrase) -> None:  # type: ignore[no-untyped-def]
    assert code_phrase(_span(nlp, sentence, phrase)) is None


@pytest.mark.parametrize(
    ("sentence", "phrase", "country", "sector"),
    [
        # a sponsor is not the actor: "X-backed", "X-linked" say who supports it
        ("An Iran-backed militia fired rockets.", "An Iran-backed militia", None, "REB"),
        ("The Al Qaeda-linked Somali militant group claimed it.", "The Al Qaeda-linked Somali militant group", "SOM", "REB"),
        # a stance toward X is not X
        ("Pro-Russian separatists shelled the town.", "Pro-Russian separatists", None, "REB"),
        ("Anti-government protesters marched.", "Anti-government protesters", None, "CVL"),
        # "X-led" and "X-run" keep X: it leads or runs the body
        ("The Hamas-run health ministry said so.", "The Hamas-run health ministry", "PSE", "GOV"),
        # opponents and critics of X are X's opposition
        ("Critics of the Iranian government rallied.", "Critics of the Iranian government", "IRN", "OPP"),
    ],
)
def test_sponsors_and_stances_are_not_the_actor(nlp, sentence, phrase, country, sector) -> None:  # type: ignore[no-untyped-def]
    code = code_phrase(_span(nlp, sentence, phrase))
    assert code is not None and (code.country, code.sector) == (country, sector)

