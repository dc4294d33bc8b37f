"""Participant and reference rules, read through the full pipeline.

Every sentence is written for these tests. Each case pins one rule: dates are never
participants, reduced and relative passives give the patient (not the actor), names and
demonyms on "thing" nouns stand for their owner, list appositions and plural pronouns expand to
every member, event nouns used as a topic or a time reference are not events, and a protest with
no named target is addressed to the country it takes place in.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsevents.model import Actor, Event

pytestmark = pytest.mark.model


def _events(ne_nlp: Language, text: str) -> list[Event]:
    return list(ne_nlp(text)._.events)


def _codes(actors: list[Actor]) -> set[str]:
    return {a.code or a.country or "" for a in actors}


def _countries(actors: list[Actor]) -> set[str | None]:
    return {a.country for a in actors}


def test_a_date_is_never_a_recipient(ne_nlp: Language) -> None:
    events = _events(ne_nlp, "Chadian troops engaged Sudanese militiamen in a gunfight near Adre on Sunday.")
    assert events
    for event in events:
        assert not any("Sunday" in a.text for a in [*event.actor, *event.recipient])
    assert any("SDN" in _countries(e.recipient) for e in events)


def test_passive_relative_clause_antecedent_is_the_patient(ne_nlp: Language) -> None:
    events = [e for e in _events(ne_nlp, "Police freed the journalist Ana Ruiz, who had been detained in Lima.") if e.cameo.startswith("17")]
    for event in events:
        assert not any("Ruiz" in a.text for a in event.actor)


def test_reduced_passive_modifies_the_victims(ne_nlp: Language) -> None:
    events = [e for e in _events(ne_nlp, "There were seven Nigerian soldiers killed near Maiduguri yesterday.") if e.event_type == "ASSAULT"]
    assert events
    assert "NGA" in _countries(events[0].recipient)
    assert not events[0].actor


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Ukrainian drones struck a Russian oil depot near Bryansk.", "RUS"),
        ("Rebels shelled a government-held part of Libya's capital Tripoli overnight.", "LBY"),
    ],
)
def test_owner_of_a_thing_is_the_recipient(ne_nlp: Language, text: str, country: str) -> None:
    events = [e for e in _events(ne_nlp, text) if e.event_type == "ASSAULT"]
    assert events
    assert country in _countries(events[0].recipient)


def test_list_apposition_expands_to_every_member(ne_nlp: Language) -> None:
    # parsed as "UK" with the apposition "Norway", whose conjunct is "Italy"
    events = _events(ne_nlp, "The UK, Norway, and Italy met yesterday.")
    pairs = {(a.country, r.country) for e in events for a in e.actor for r in e.recipient}
    assert {("GBR", "NOR"), ("NOR", "ITA"), ("ITA", "GBR")} <= pairs


def test_plural_pronoun_takes_the_coordinated_subject(ne_nlp: Language) -> None:
    events = [e for e in _events(ne_nlp, "Egypt and Jordan said they will attack the smugglers.") if e.event_type == "THREATEN"]
    assert events
    assert {"EGY", "JOR"} <= _countries(events[0].actor)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # a topic of another noun, with no participant of its own
        ("The minister spoke at the start of a regional tour aimed at reviving trade.", "CONSULT"),
        ("Delegates will attend a conference on the riots in Dakar.", "PROTEST"),
        # a clause that only dates the main event
        ("Peacekeepers left the town three days after gunmen abducted two aid workers.", "ASSAULT"),
    ],
)
def test_references_to_events_are_not_events(ne_nlp: Language, text: str, absent: str) -> None:
    assert absent not in {e.event_type for e in _events(ne_nlp, text)}


def test_participle_on_an_event_noun_is_not_a_second_event(ne_nlp: Language) -> None:
    # "a bombing targeting hotel guests": the participle describes the noun's own event
    events = _events(ne_nlp, "Al-Shabaab claimed a bombing targeting hotel guests in Mogadishu.")
    assert not any(e.evidence.trigger.text == "targeting" for e in events)


def test_allegation_content_is_not_a_separate_event(ne_nlp: Language) -> None:
    events = _events(ne_nlp, "An inquiry report alleged that Ruritanian police tortured the detainees.")
    assert {e.event_type for e in events} == {"ACCUSE"}


def test_event_noun_recipient_gives_its_target(ne_nlp: Language) -> None:
    events = [e for e in _events(ne_nlp, "Brussels has agreed to lift the embargo on Belarus.") if e.actor]
    assert events
    assert "BLR" in _countries(events[0].recipient)


def test_uncoded_object_gives_way_to_a_named_partner(ne_nlp: Language) -> None:
    events = [e for e in _events(ne_nlp, "Georgian deputies approved a trade agreement with Japan.") if e.event_type == "SUPPORT"]
    assert events
    assert "JPN" in _countries(events[0].recipient)


def test_protest_without_target_is_addressed_to_its_host_country(ne_nlp: Language) -> None:
    events = [e for e in _events(ne_nlp, "Hundreds of students staged a protest in Nairobi on Tuesday.") if e.event_type == "PROTEST"]
    assert events
    assert "KEN" in _countries(events[0].recipient)


@pytest.mark.parametrize(
    ("text", "actor", "recipient", "root"),
    [
        ("The rebels received rifles from Eritrea.", "ERI", None, "07"),
        ("Tunisia received assurances from Algeria.", "DZA", "TUN", "03"),
        ("Serbia presented evidence against Kosovo.", "SRB", "XKX", "11"),
        ("Norway advised against travel to Mali.", "NOR", "MLI", "16"),
    ],
)
def test_lexicon_role_patterns(ne_nlp: Language, text: str, actor: str, recipient: str | None, root: str) -> None:
    events = [e for e in _events(ne_nlp, text) if e.cameo.startswith(root)]
    assert events, text
    assert actor in _countries(events[0].actor)
    if recipient is not None:
        assert recipient in _countries(events[0].recipient) or recipient in _codes(events[0].recipient)


# -- partners named deeper in the sentence, self-pairs, unidentifiable participants ------------


@pytest.mark.parametrize(
    ("text", "cameo_root", "partner"),
    [
        ("Ukraine signed a two-year trade protocol for 2025 with Poland on Monday.", "05", "POL"),
        ("Jordan welcomed the resumption of diplomatic ties with Qatar on Sunday.", "05", "QAT"),
        ("North Korean troops fired two artillery shells at Seoul on Thursday.", "19", "KOR"),
        ("Egypt promised aid to the flooded Sudanese villages on Friday.", "03", "SDN"),
        # the object of a prepositional verb, a craft's owner, a purpose clause, a possessed date
        ("Egypt called for a boycott against Israel on Monday.", "02", "ISR"),
        ("North Korean troops fired two shells near a naval vessel from South Korea.", "19", "KOR"),
        ("Russia signed an accord on Thursday to supply Egypt with wheat.", "05", "EGY"),
        ("Ethiopia signed a treaty with Libya's almost five years after the war.", "05", "LBY"),
    ],
)
def test_partner_named_inside_the_object_or_on_the_verb(ne_nlp: Language, text: str, cameo_root: str, partner: str) -> None:
    events = [e for e in _events(ne_nlp, text) if e.cameo.startswith(cameo_root)]
    assert events, text
    assert partner in _countries(events[0].recipient), (text, events[0].recipient)


def test_a_place_is_not_made_a_partner(ne_nlp: Language) -> None:
    events = [e for e in _events(ne_nlp, "Turkish police arrested a German journalist in Syria on Monday.") if e.cameo.startswith("17")]
    assert events
    assert "SYR" not in _countries(events[0].recipient)


def test_no_one_is_their_own_recipient(ne_nlp: Language) -> None:
    for event in _events(ne_nlp, "The Iranian foreign minister cancelled his visit to Oman on Monday."):
        ids = {a.entity_id for a in event.actor if a.entity_id}
        assert not ids & {a.entity_id for a in event.recipient}


def test_reciprocal_event_of_two_actors_has_no_thing_recipient(ne_nlp: Language) -> None:
    events = [e for e in _events(ne_nlp, "Egypt and Qatar restored diplomatic ties on Tuesday.") if e.cameo.startswith("05")]
    pairs = {(e.actor[0].country, e.recipient[0].country) for e in events if e.actor and e.recipient}
    assert pairs == {("EGY", "QAT"), ("QAT", "EGY")}
    assert all(e.recipient for e in events)


def test_a_future_meeting_is_only_the_speakers_intent(ne_nlp: Language) -> None:
    events = [e for e in _events(ne_nlp, "Iran will meet Oman next week, the foreign ministry said.") if e.factuality == "future"]
    assert events
    assert {e.actor[0].country for e in events if e.actor} == {"IRN"}


def test_events_need_someone_identifiable() -> None:
    from newsevents.components.events import _identified

    def actor(text: str, **kw: str) -> Actor:
        return Actor(text=text, start=0, end=len(text), **kw)  # type: ignore[arg-type]

    assert not _identified(actor("asset"))
    assert not _identified(actor("The statement"))
    assert _identified(actor("Lt. Gen. Prosper Avril"))
    assert _identified(actor("the NPFL"))
    assert _identified(actor("its"))
    assert _identified(actor("protesters", sector="CVL"))


def test_from_is_an_origin_for_force_and_a_party_otherwise(ne_nlp: Language) -> None:
    for event in _events(ne_nlp, "A rocket was fired at the town from the Gaza Strip on Tuesday."):
        assert "PSE" not in _countries(event.recipient)
    events = [e for e in _events(ne_nlp, "Ethiopian troops withdrew from Somalia on Monday.") if e.event_type == "RETREAT"]
    assert events and "SOM" in _countries(events[0].recipient)


@pytest.mark.parametrize(
    ("phrase", "code"),
    [("two American missionaries", "USAREL"), ("French nationals", "FRACVL"), ("Israeli tanks", "ISRMIL")],
)
def test_people_and_instrument_nouns_take_their_demonym(nlp: Language, phrase: str, code: str) -> None:
    from newsevents.knowledge import code_phrase

    coded = code_phrase(nlp(phrase)[:])
    assert coded is not None and coded.code == code


def test_the_author_of_the_object_is_the_party(ne_nlp: Language) -> None:
    events = [e for e in _events(ne_nlp, "France on Wednesday condemned the allegations by Rwanda.") if e.cameo.startswith("11")]
    assert events and "RWA" in _countries(events[0].recipient)


def test_a_statement_acts_for_its_author(ne_nlp: Language) -> None:
    text = "A statement by the Egyptian foreign ministry condemned the attack on the embassy on Monday."
    events = [e for e in _events(ne_nlp, text) if e.cameo.startswith("11")]
    assert events and "EGY" in _countries(events[0].actor)


def test_a_clause_that_only_dates_another_event_is_not_coded(ne_nlp: Language) -> None:
    text = "The statement came a day before the French president heads to Beijing for the Games."
    assert not [e for e in _events(ne_nlp, text) if e.event_type == "CONSULT"]


@pytest.mark.parametrize(
    ("text", "root", "partner"),
    [
        ("Egypt welcomed the resolution drafted by France on Monday.", "05", "FRA"),
        ("The Iranian president arrived in Oman on Sunday on his first foreign visit.", "04", "OMN"),
    ],
)
def test_authors_of_participles_and_hosts_of_visits(ne_nlp: Language, text: str, root: str, partner: str) -> None:
    events = [e for e in _events(ne_nlp, text) if e.cameo.startswith(root)]
    assert events and partner in _countries(events[0].recipient), events


def test_the_actors_own_thing_is_not_a_partner(ne_nlp: Language) -> None:
    for event in _events(ne_nlp, "The Iranian president arrived on Sunday on his first foreign visit."):
        assert not any("visit" in a.text for a in event.recipient)


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        # a role noun over coordinated places: one actor per country, same role
        ("Police in France and Germany arrested 12 people.", {"FRACOP", "DEUCOP"}),
        ("Officials in Moscow and Beijing welcomed the agreement.", {"RUSGOV", "CHNGOV"}),
        # a bare role noun coordinated after a role with a nationality shares it
        ("The Chinese media and government criticized Japan.", {"CHNMED", "CHNGOV"}),
        # lists the parser breaks: two subjects on one verb, a list hung on the last name
        ("France, Germany and the new Italy welcomed the agreement with Iran.", {"FRA", "DEU", "ITA"}),
        # a plain list keeps members no knowledge codes (they are still participants)
        ("Lions, tigers, and Portugal condemned Russia.", {"", "PRT"}),
    ],
)
def test_coordinated_actors_each_get_their_code(ne_nlp: Language, text: str, actors: set[str]) -> None:
    events = _events(ne_nlp, text)
    assert events
    assert _codes(events[0].actor) == actors


def test_titles_joined_by_and_are_not_a_list_of_names(ne_nlp: Language) -> None:
    text = "Qatari Prime Minister and Foreign Minister Sheikh Mohammed bin Abdulrahman Al Thani met Iran's foreign minister."
    events = _events(ne_nlp, text)
    assert events and _codes(events[0].actor) == {"QATGOV"}


@pytest.mark.parametrize(
    ("text", "side", "code"),
    [
        # unnamed people and local bodies belong to the country where the event takes place
        ("Gunmen killed five police officers in Kabul on Monday.", "recipient", "AFGCOP"),
        ("Four children were killed in Israeli tank shelling in the Gaza Strip on Friday.", "recipient", "PSECVL"),
        # a coded military noun in the instrument phrase is the force that did it
        ("Four children were killed in Israeli tank shelling in the Gaza Strip on Friday.", "actor", "ISRMIL"),
    ],
)
def test_local_people_and_armed_platforms(ne_nlp: Language, text: str, side: str, code: str) -> None:
    events = [e for e in _events(ne_nlp, text) if e.event_type == "ASSAULT"]
    assert events
    assert code in _codes(getattr(events[0], side))


@pytest.mark.parametrize(
    "text",
    [
        "Troops shelled a village in Syria on Monday.",
        "Gunmen killed five police officers in Kabul on Monday.",
        # a place named outside the event's phrase is not where it happened
        "A UK-based monitoring group said eight people were killed in an air strike.",
    ],
)
def test_armed_actors_and_other_places_give_no_country(ne_nlp: Language, text: str) -> None:
    events = [e for e in _events(ne_nlp, text) if e.event_type == "ASSAULT"]
    assert events
    participants = [*events[0].actor, *(r for r in events[0].recipient if "UK" in text)]
    assert all(p.country is None for p in participants)


@pytest.mark.parametrize(
    "text",
    [
        # a visit's destination and a detention abroad say nothing of the people's country
        "More than 100 women travelled to Syria last year.",
        "A man from Birmingham has been detained in Syria.",
        # foreigners are not local
        "Gunmen killed two foreign nationals in Kabul on Monday.",
    ],
)
def test_the_place_gives_no_country_to_visitors_detainees_or_foreigners(ne_nlp: Language, text: str) -> None:
    for event in _events(ne_nlp, text):
        assert all(p.country is None for p in [*event.actor, *event.recipient] if p.sector == "CVL")


def test_a_meeting_purpose_is_its_topic_not_its_partner(ne_nlp: Language) -> None:
    events = [e for e in _events(ne_nlp, "The ministers met in Moscow on Saturday to discuss Syria.") if e.event_type == "CONSULT"]
    assert all("SYR" not in _countries(e.recipient) for e in events)


def test_the_addressee_of_an_appeal_comes_before_the_object_of_its_preposition(ne_nlp: Language) -> None:
    text = "Kurdish fighters appealed to the Assad regime for help against the threat of attack by Turkey."
    events = [e for e in _events(ne_nlp, text) if e.event_type == "REQUEST"]
    assert events and _countries(events[0].recipient) == {"SYR"}


def test_a_possessive_stays_outside_a_name(ne_nlp: Language) -> None:
    events = _events(ne_nlp, "Downing Street has rejected Donald Trump's call for Britain to take back the fighters.")
    assert any("USAGOV" in _codes(e.recipient) for e in events)


def test_an_attacks_toll_is_not_another_attack(ne_nlp: Language) -> None:
    events = [e for e in _events(ne_nlp, "Rebels attacked an army base in Mali on Sunday, killing five soldiers and wounding 12.") if e.event_type == "ASSAULT"]
    assert len(events) == 1
    assert (events[0].size.dead, events[0].size.injured) == (5, 12)
    assert "five soldiers" in {r.text for r in events[0].recipient}  # the people killed, beside the base
    # a clause with its own act stays an event
    events = [e for e in _events(ne_nlp, "Rebels attacked the base and are shelling the town.") if e.event_type == "ASSAULT"]
    assert len(events) == 2


@pytest.mark.parametrize(
    ("text", "recipient"),
    [
        # the partner named on the complement verb
        ("Al-Qaeda has threatened to deliver devastating blows to the United States.", "USA"),
        # the subject of a demanded clause
        ("Greece demanded that Turkey withdraw its troops from Cyprus.", "TUR"),
        # the named owner of a thing the act is aimed at
        ("Palestinian riots against Israeli military policies continued on Monday.", "ISR"),
        ("Senator Graham condemned the Trump administration's move.", "USA"),
    ],
)
def test_recipients_behind_complements_and_things(ne_nlp: Language, text: str, recipient: str) -> None:
    events = _events(ne_nlp, text)
    assert any(recipient in _countries(e.recipient) for e in events), [(e.cameo, e.recipient) for e in events]


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # a relation's owner is someone else: Iran's allies are not Iran
        ("The sanctions squeeze targets Iranian allies in the region.", "IRN"),
        # a reciprocal event keeps its partner: talks with America's Kurdish allies are not with America
        ("McGurk held talks with America's Kurdish allies on Monday.", "USA"),
    ],
)
def test_relations_and_reciprocal_events_keep_their_recipient(ne_nlp: Language, text: str, absent: str) -> None:
    for event in _events(ne_nlp, text):
        assert absent not in _countries(event.recipient)


def test_the_coded_owner_of_an_instrument_is_the_actor(ne_nlp: Language) -> None:
    events = [e for e in _events(ne_nlp, "Recent US Predator attacks have killed eight al-Qaeda leaders since July.") if e.event_type == "ASSAULT"]
    assert events and _countries(events[0].actor) == {"USA"}


def test_a_bare_name_owns_nothing(ne_nlp: Language) -> None:
    events = _events(ne_nlp, "The state department said it had approved the sale of Patriot ground-to-air missiles to Turkey.")
    assert any("TUR" in _countries(e.recipient) for e in events)


def test_an_unknown_name_takes_the_code_of_its_apposition(ne_nlp: Language) -> None:
    events = _events(ne_nlp, "Kenzo Oshima, the United Nations Emergency Relief Coordinator, demanded that the parties allow aid.")
    assert events and _countries(events[0].actor) == {"IGO"}

