"""Allegations: a party saying that another party used violence is itself an ACCUSE event.

Every sentence is written for these tests. The reported act keeps ``reported_by`` and is never
coded as a fact; the allegation is the speaker's own act, asserted in the article's voice.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsevents.components.events import ALLEGATION_RULE
from newsevents.model import Event

pytestmark = pytest.mark.model


def _events(ne_nlp: Language, text: str) -> list[Event]:
    return list(ne_nlp(text)._.events)


def _allegations(events: list[Event]) -> list[tuple[str, str]]:
    return sorted(
        (
            e.actor[0].country or "",
            e.recipient[0].country or e.recipient[0].code or e.recipient[0].text,
        )
        for e in events
        if e.evidence.rule == ALLEGATION_RULE
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an alleging verb: any coded party alleges
        ("Turkey claimed that Syrian troops had shelled a border post.", [("TUR", "SYR")]),
        # the target of the act speaks: a mortar fired "at it" from a named place
        (
            "Israel said a mortar bomb was fired at it from the Gaza Strip on Tuesday.",
            [("ISR", "PSE")],
        ),
        # a state speaking as such
        ("The United States said that Iran had attacked the tanker.", [("USA", "IRN")]),
    ],
)
def test_a_party_alleging_violence_is_an_accusation(
    ne_nlp: Language, text: str, expected: list[tuple[str, str]]
) -> None:
    events = _events(ne_nlp, text)
    assert _allegations(events) == expected
    allegation = next(e for e in events if e.evidence.rule == ALLEGATION_RULE)
    assert (
        allegation.event_type == "ACCUSE"
        and allegation.cameo == "1123"
        and allegation.mode == "allege"
    )
    assert allegation.factuality == "asserted" and allegation.reported_by is None
    reported = [e for e in events if e.event_type == "ASSAULT"]
    assert reported and all(
        e.factuality == "reported" and e.reported_by is not None for e in reported
    )


@pytest.mark.parametrize(
    "text",
    [
        # news outlets and observers on the spot relay, they do not accuse
        "Syrian state media reported that rebels shelled a district of Aleppo.",
        "Relief officials in Nairobi said Sudanese rebels shelled Juba on Sunday.",
        # one's own side is never accused
        "Israel said its troops killed two militants in Gaza.",
        # a denial asserts nothing
        "Russia denied that Ukrainian troops attacked the village.",
        # coercion reported by the police accuses no one
        "A senior Guyanese police officer said a court had arrested two Brazilian men.",
    ],
)
def test_relays_own_side_denials_and_coercion_are_not_allegations(
    ne_nlp: Language, text: str
) -> None:
    assert _allegations(_events(ne_nlp, text)) == []


def test_a_speech_verb_that_is_an_event_is_not_doubled(ne_nlp: Language) -> None:
    events = _events(ne_nlp, "Ukraine accused Russia of shelling a hospital in Kharkiv.")
    assert _allegations(events) == []
    assert any(e.event_type == "ACCUSE" for e in events)
