"""Constructions the coder reads through the full pipeline and the bundled lexicon.

Every sentence here is written for these tests. Each case pins one rule: how objects are matched
(measure and group nouns, conjuncts, compounds, a preposition's object, exclusions), how
factuality reads refusals, wishes, conditional commitments and negation through prepositions,
and how nominal events find their arguments.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsevents.model import Event

pytestmark = pytest.mark.model


def _events(ne_nlp: Language, text: str) -> list[Event]:
    return list(ne_nlp(text)._.events)


def _by_trigger(events: list[Event], word: str) -> list[Event]:
    return [e for e in events if word in e.evidence.trigger.text]


@pytest.mark.parametrize(
    ("text", "trigger", "cameo"),
    [
        # the content noun inside a measure or group noun
        ("Japan sent 300 tons of flour to the flood victims in Bangladesh.", "sent", "073"),
        ("Cuba delivered 40 tons of medicine to Haiti.", "delivered", "073"),
        ("Tehran received a delegation of IAEA inspectors on Monday.", "received", "0862"),
        # a conjunct of the object
        ("Britain provided maps and other military intelligence to Kyiv.", "provided", "072"),
        # a compound on the object
        ("The Red Cross suspended aid deliveries in Darfur on Tuesday.", "suspended", "162"),
        # the object of the entry's preposition
        ("Border units remained on alert after the shooting.", "remained", "152"),
        # a noun entry's preposition object
        ("Poland announced a suspension of air links with Belarus.", "suspension", "161"),
    ],
)
def test_object_matching(ne_nlp: Language, text: str, trigger: str, cameo: str) -> None:
    events = _by_trigger(_events(ne_nlp, text), trigger)
    assert events, text
    assert {e.cameo for e in events} == {cameo}


@pytest.mark.parametrize(
    ("text", "unwanted"),
    [
        ("The board executed its plan to close two plants.", "ASSAULT"),
        ("The air force launched an air strike on the depot.", "PROTEST"),
    ],
)
def test_excluded_objects_block_an_entry(ne_nlp: Language, text: str, unwanted: str) -> None:
    assert unwanted not in {e.event_type for e in _events(ne_nlp, text)}


def test_light_verb_through_a_measure_noun(ne_nlp: Language) -> None:
    events = _events(ne_nlp, "Egypt and Greece began five days of joint naval drills with France.")
    assert any(e.cameo == "062" and e.evidence.trigger.text.startswith("began") for e in events)


@pytest.mark.parametrize(
    ("text", "trigger", "cameo", "factuality"),
    [
        ("Jordan said it will not accept any more refugees from Syria.", "accept", "122", "reported"),
        ("The minister declared that he would not resign.", "resign", "124", "reported"),
        ("The government will no longer allow inspectors into the plant.", "allow", "124", "asserted"),
    ],
)
def test_refusals_code_as_reject(ne_nlp: Language, text: str, trigger: str, cameo: str, factuality: str) -> None:
    events = _by_trigger(_events(ne_nlp, text), trigger)
    assert [(e.event_type, e.cameo, e.factuality) for e in events] == [("REJECT", cameo, factuality)]


@pytest.mark.parametrize(
    "text",
    [
        "The minister said she hoped the generals would be indicted for the massacre.",
        "Washington wants Riyadh to expel the envoy.",
        "Seoul hopes Pyongyang will release the fishermen.",
    ],
)
def test_wishes_are_not_events(ne_nlp: Language, text: str) -> None:
    doc = ne_nlp(text)
    facts = {doc[t.token].text: doc._.ne_factuality[t.id].factuality for t in doc._.ne_triggers}
    assert "hypothetical" in facts.values(), facts
    assert not [e for e in doc._.events if e.evidence.trigger.text in ("indicted", "expel", "release")]


def test_reported_conditional_commitment_is_a_threat(ne_nlp: Language) -> None:
    text = "The envoy said the bloc may suspend aid to the junta if the crackdown continues."
    events = _by_trigger(_events(ne_nlp, text), "suspend")
    assert [(e.event_type, e.factuality) for e in events] == [("THREATEN", "future")]


def test_own_voice_conditional_stays_hypothetical(ne_nlp: Language) -> None:
    assert _events(ne_nlp, "The bloc could suspend aid to the junta if the crackdown continues.") == []


@pytest.mark.parametrize(
    ("text", "trigger", "present"),
    [
        # a negated governor reaches the trigger through "from", not through other prepositions
        ("The army did not comment on the attack on the convoy.", "attack", True),
        ("The militia refrained from attacking the convoy.", "attacking", False),
        ("Dockers stopped work on the second day of the general strike.", "strike", True),
    ],
)
def test_negation_through_prepositions(ne_nlp: Language, text: str, trigger: str, present: bool) -> None:
    assert bool(_by_trigger(_events(ne_nlp, text), trigger)) is present


def test_attempts_are_events(ne_nlp: Language) -> None:
    events = _events(ne_nlp, "Gunmen tried to kidnap the governor in Kaduna.")
    assert [(e.event_type, e.factuality) for e in events] == [("ASSAULT", "asserted")]


@pytest.mark.parametrize(
    ("text", "cameo", "actor", "recipient"),
    [
        ("Militias were engaged in ethnic cleansing against the Rohingya minority.", "203", "Militias", "Rohingya minority"),
        ("The former governor was put under investigation for fraud.", "090", None, "former governor"),
    ],
)
def test_nominal_event_arguments(ne_nlp: Language, text: str, cameo: str, actor: str | None, recipient: str | None) -> None:
    events = [e for e in _events(ne_nlp, text) if e.cameo == cameo]
    assert events, text
    event = events[0]
    if actor is not None:
        assert actor in [a.text for a in event.actor]
    if recipient is not None:
        assert any(recipient in r.text for r in event.recipient)


def test_vow_of_violence_is_a_threat(ne_nlp: Language) -> None:
    events = _events(ne_nlp, "The rebels have sworn to attack the capital.")
    assert [(e.event_type, e.cameo) for e in events] == [("THREATEN", "138")]


@pytest.mark.parametrize(
    ("text", "trigger", "factuality"),
    [
        # "according to" after a relative clause vouches for that clause, not the main event
        ("Norway pledged $10 million in aid for villages hit by a cyclone, which destroyed 300 "
         "homes and displaced 4,000 people, according to the local authorities.", "pledged", "asserted"),
        # ... and for the whole sentence when no such clause stands before it
        ("Police arrested 40 protesters in Minsk on Sunday, according to a rights group.", "arrested", "reported"),
    ],
)
def test_according_to_covers_its_own_clause(ne_nlp: Language, text: str, trigger: str, factuality: str) -> None:
    found = _by_trigger(_events(ne_nlp, text), trigger)
    assert found and found[0].factuality == factuality, [(e.evidence.trigger.text, e.factuality) for e in found]


@pytest.mark.parametrize(
    ("text", "claimant"),
    [
        ("Rwanda made allegations that French troops killed civilians in 1994.", "Rwanda"),
        ("France condemned allegations by Rwanda that French troops killed civilians.", "Rwanda"),
        ("Iran's claim that Israeli jets bombed the base angered Washington.", "Iran"),
        ("The claims that Iran attacked the tanker were rejected by Tehran.", None),
    ],
)
def test_the_content_of_a_claim_is_reported_not_asserted(ne_nlp: Language, text: str, claimant: str | None) -> None:
    events = [e for e in ne_nlp(text)._.events if e.cameo[:2] in ("18", "19")]
    assert events, text
    for event in events:
        assert event.factuality == "reported", (text, event.factuality)
        assert (event.reported_by.text if event.reported_by else None) == claimant


def test_a_relative_clause_on_a_report_noun_is_not_its_content(ne_nlp: Language) -> None:
    events = [e for e in ne_nlp("The report that the ministry published on Monday condemned Israel.")._.events]
    assert all(e.factuality == "asserted" for e in events)


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("A suicide bomber killed 12 people at a market in Baghdad on Friday.", "A suicide bomber"),
        ("Attackers set fire to a church in Lahore.", "Attackers"),
    ],
)
def test_agent_nouns_are_actors_not_events(ne_nlp: Language, text: str, actor: str) -> None:
    events = _events(ne_nlp, text)
    assert events and any(a.text == actor for e in events for a in e.actor)


def test_a_time_phrase_is_not_a_preposition_constraint(ne_nlp: Language) -> None:
    events = _events(ne_nlp, "Unknown assailants shot dead a journalist in Karachi on Monday.")
    assert events and events[0].recipient and events[0].recipient[0].text == "a journalist"


@pytest.mark.parametrize(
    ("text", "coded"),
    [
        ("Investigators identified victims killed by the Malaysia Airlines flight MH17 crash.", False),
        ("Israeli fire killed two Palestinians near the fence on Friday.", True),
    ],
)
def test_an_accident_stays_an_accident_whoever_is_named_on_it(ne_nlp: Language, text: str, coded: bool) -> None:
    events = [e for e in _events(ne_nlp, text) if e.cameo.startswith(("18", "19", "20"))]
    assert bool(events) == coded


def test_an_arrest_warrant_is_a_threat_of_arrest(ne_nlp: Language) -> None:
    # CAMEO 173 ("charge with legal action"); PLOVER: an arrest in absentia is THREATEN 'arrest'
    events = _events(ne_nlp, "A court in Kenya issued an arrest warrant for the opposition leader.")
    assert [(e.cameo, e.event_type, e.mode) for e in events] == [("173", "THREATEN", "arrest")]
    assert events[0].actor[0].code == "KENJUD"  # a body of government "in" a country is that country's
    assert events[0].recipient[0].sector == "OPP"


def test_one_event_noun_modifying_another_is_one_event(ne_nlp: Language) -> None:
    events = _events(ne_nlp, "Rebels carried out a suicide bombing attack on the base in Kabul.")
    assert len([e for e in events if e.event_type == "ASSAULT"]) == 1


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("The Taliban claimed responsibility for the bombing in Kabul.", "AFGREB"),
        ("The Somali militant group al-Shabab is claiming responsibility for a deadly attack on a mall.", "SOMREB"),
    ],
)
def test_claiming_responsibility_makes_the_claimant_the_actor(ne_nlp: Language, text: str, actor: str) -> None:
    events = [e for e in _events(ne_nlp, text) if e.event_type == "ASSAULT"]
    assert events and [a.code for a in events[0].actor] == [actor]


@pytest.mark.parametrize(
    "text",
    ["The Taliban denied responsibility for the bombing in Kabul.", "Israel rarely claims responsibility for its strikes in Syria."],
)
def test_denying_responsibility_codes_no_attack(ne_nlp: Language, text: str) -> None:
    assert not [e for e in _events(ne_nlp, text) if e.event_type == "ASSAULT"]


def test_a_report_speaks_for_the_country_it_was_released_in(ne_nlp: Language) -> None:
    events = _events(ne_nlp, "A 500-page report released Tuesday in the Rwandan capital alleged that France armed the militias.")
    accusations = [e for e in events if e.event_type == "ACCUSE"]
    assert accusations and accusations[0].actor[0].country == "RWA" and accusations[0].recipient[0].country == "FRA"


def test_a_name_the_parser_cuts_in_pieces_is_one_mention(ne_nlp: Language) -> None:
    events = _events(ne_nlp, "Qatar's emir, Sheikh Hamad bin Khalifa al-Thani launched a mediation effort on Saturday.")
    assert events and [a.text for a in events[0].actor] == ["Sheikh Hamad bin Khalifa al-Thani"]


def test_a_motive_participle_is_not_an_intent(ne_nlp: Language) -> None:
    text = "Sarkozy heads to Beijing on Friday, seeking to mend ties with China."
    assert not [e for e in _events(ne_nlp, text) if e.event_type == "AGREE"]
    # stated in its own clause, the aim is an intent
    assert [e for e in _events(ne_nlp, "France will mend ties with China, the minister said.") if e.event_type == "AGREE"]


def test_an_event_named_by_its_year_is_a_reference(ne_nlp: Language) -> None:
    assert not [e for e in _events(ne_nlp, "Rwanda says France played a role in the 1994 genocide.") if e.event_type == "ASSAULT"]


def test_an_object_shifted_past_its_adjective(ne_nlp: Language) -> None:
    events = _by_trigger(_events(ne_nlp, "France condemned as unacceptable allegations by Rwanda."), "condemned")
    assert events and [r.country for r in events[0].recipient] == ["RWA"]


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # an event noun that only classifies its head
        ("The United States speeded up the withdrawal of some invasion forces from Panama.", "ASSAULT"),
        ("The army sent attack helicopters to the border.", "ASSAULT"),
        # an event that is prepared, planned or advocated has not happened
        ("Macedonia is preparing a major offensive against the rebels.", "ASSAULT"),
        ("Before taking office, Bolton advocated air strikes against Iranian nuclear facilities.", "ASSAULT"),
        # a participle naming an earlier act on what another event acts on
        ("President Bashir shortened the nightly curfew imposed in Sudan after the coup.", "COERCE"),
        # "on Monday" never satisfies a preposition: a labour strike is no military strike
        ("Some 500,000 workers began an open-ended strike on Monday over the law.", "ASSAULT"),
    ],
)
def test_classifiers_plans_and_background_acts_are_not_events(ne_nlp: Language, text: str, absent: str) -> None:
    assert absent not in {e.event_type for e in _events(ne_nlp, text)}


def test_a_participle_with_its_own_object_is_an_act(ne_nlp: Language) -> None:
    events = _events(ne_nlp, "It commandeered oil fields, sold crude to Damascus and Turkey and started levying taxes.")
    assert any(e.cameo.startswith("06") for e in events)


def test_its_forces_satisfy_a_possessive_modifier(ne_nlp: Language) -> None:
    events = _events(ne_nlp, "Israel has strengthened its forces in Lebanon.")
    assert [(e.event_type, e.actor[0].country) for e in events] == [("MOBILIZE", "ISR")]


def test_defending_someone_against_criticism_is_verbal_support(ne_nlp: Language) -> None:
    events = _events(ne_nlp, "Arafat defended Iraq and Libya on Friday against Western criticism of their arms industries.")
    assert ("052", {"IRQ", "LBY"}) in [(e.cameo, {r.country for r in e.recipient}) for e in events]
    assert not _events(ne_nlp, "Troops defended the city against the rebels.")

