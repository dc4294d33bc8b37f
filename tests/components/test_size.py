"""Counts: each construction, qualifier and exclusion; years are never counts."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Token

from newsevents.components.size import extract_size, parse_number
from newsevents.model import Size


def _size(nlp: Language, text: str, word: str, event_type: str = "ASSAULT") -> Size:
    doc = nlp(text)
    trigger: Token = next(t for t in doc if t.text == word)
    return extract_size(trigger.sent, trigger, event_type)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["12"], (12, False)),
        (["1,500"], (1500, False)),
        (["twelve"], (12, False)),
        (["twenty-five"], (25, False)),
        (["Five", "hundred"], (500, False)),
        (["1.5", "million"], (1_500_000, False)),
        (["a", "dozen"], (12, False)),
        (["two", "dozen"], (24, False)),
        (["dozens"], (24, True)),
        (["hundreds"], (200, True)),
        (["scores"], (40, True)),
        (["thousands"], (2000, True)),
        (["tens", "thousands"], (20000, True)),
        (["banana"], None),
    ],
)
def test_parse_number(words: list[str], expected: tuple[int, bool] | None) -> None:
    assert parse_number(words) == expected


# text, trigger, event type, {kind: (value, qualifier)}
CASES = [
    (
        "Gunmen attacked a village late Tuesday, killing at least 12 people and wounding 30.",
        "attacked",
        "ASSAULT",
        {"dead": (12, "at_least"), "injured": (30, "exact")},
    ),
    (
        "Twelve people were killed and 30 wounded in the attack.",
        "attack",
        "ASSAULT",
        {"dead": (12, "exact"), "injured": (30, "exact")},
    ),
    (
        "The blast left 5 people dead and dozens injured.",
        "blast",
        "ASSAULT",
        {"dead": (5, "exact"), "injured": (24, "vague")},
    ),
    ("John Smith, 45, was among 12 dead.", "was", "ASSAULT", {"dead": (12, "exact")}),
    ("Soldiers wounded 30 protesters.", "wounded", "ASSAULT", {"injured": (30, "exact")}),
    ("Rebels killed 3 in May.", "killed", "ASSAULT", {"dead": (3, "exact")}),
    ("Nearly two dozen people were arrested.", "arrested", "COERCE", {"arrested": (24, "nearly")}),
    (
        "Police said 1,200 people were arrested on Monday.",
        "arrested",
        "COERCE",
        {"arrested": (1200, "exact")},
    ),
    ("Between 10 and 15 people died in the raid.", "died", "ASSAULT", {"dead": (10, "range")}),
    ("About 300 people were killed in 2014.", "killed", "ASSAULT", {"dead": (300, "about")}),
    ("More than 40 people were killed.", "killed", "ASSAULT", {"dead": (40, "more_than")}),
    ("Up to 200 people were hurt.", "hurt", "ASSAULT", {"injured": (200, "up_to")}),
]


@pytest.mark.model
@pytest.mark.parametrize(("text", "word", "event_type", "expected"), CASES)
def test_count_constructions(
    nlp: Language, text: str, word: str, event_type: str, expected: dict[str, tuple[int, str]]
) -> None:
    size = _size(nlp, text, word, event_type)
    for kind, (value, qualifier) in expected.items():
        assert getattr(size, kind) == value, (kind, size)
        assert size.qualifiers[kind] == qualifier
    for kind in {"dead", "injured", "arrested"} - set(expected):
        assert getattr(size, kind) is None


@pytest.mark.model
def test_death_toll_is_cumulative(nlp: Language) -> None:
    size = _size(nlp, "The death toll rose to 45 after clashes near Raqqa.", "clashes")
    assert size.dead == 45
    assert [c.cumulative for c in size.counts] == [True]


@pytest.mark.model
def test_breakdown_becomes_parts(nlp: Language) -> None:
    text = "Israeli air strikes killed 260 Palestinians, including 40 children and 11 women, on Monday."
    size = _size(nlp, text, "killed")
    assert size.dead == 260
    (count,) = size.counts
    assert [(p.kind, p.value) for p in count.parts] == [("children", 40), ("women", 11)]
    assert text[count.start : count.end] == count.text == "260 Palestinians"


@pytest.mark.model
def test_other_kinds_are_counted(nlp: Language) -> None:
    size = _size(
        nlp,
        "Militants fired two rockets and 1,500 mortar shells, killing a dozen soldiers.",
        "fired",
    )
    kinds = {c.kind: c.value for c in size.counts}
    assert kinds == {"rockets": 2, "shells": 1500, "dead": 12}
    protest = _size(nlp, "Hundreds of protesters marched in the capital.", "marched", "PROTEST")
    assert [(c.kind, c.value, c.qualifier) for c in protest.counts] == [
        ("protesters", 200, "vague")
    ]
    freed = _size(nlp, "The government released 500 prisoners.", "released", "CONCEDE")
    assert [(c.kind, c.value) for c in freed.counts] == [("released", 500)]


@pytest.mark.model
def test_counts_of_another_event_are_not_taken(nlp: Language) -> None:
    text = "Police arrested 20 protesters after clashes in which three people were killed."
    arrest = _size(nlp, text, "arrested", "COERCE")
    assert (arrest.arrested, arrest.dead) == (20, None)
    clash = _size(nlp, text, "clashes", "ASSAULT")
    assert (clash.arrested, clash.dead) == (None, 3)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("A 15-year-old boy was detained in 2014 under Resolution 2334.", "detained"),
        ("The 82nd Airborne attacked at 3 p.m. under Article 5.", "attacked"),
        ("The raid cost $5 million and cut output by 5 percent.", "raid"),
        ("Gunmen attacked the convoy 20 km from the town on March 5.", "attacked"),
        ("John Smith, 45, was attacked.", "attacked"),
        ("Brigade 6 attacked the village in 1999.", "attacked"),
    ],
)
def test_non_counts(nlp: Language, text: str, word: str) -> None:
    assert _size(nlp, text, word).counts == []


@pytest.mark.model
def test_count_offsets_index_the_text(nlp: Language) -> None:
    text = "Gunmen attacked a village, killing at least 12 people."
    size = _size(nlp, text, "attacked")
    (count,) = size.counts
    assert text[count.start : count.end] == count.text == "at least 12 people"


@pytest.mark.model
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    count=st.integers(min_value=1, max_value=3000),
    year=st.integers(min_value=1950, max_value=2030),
    template=st.sampled_from(
        [
            "Police said {n} people were killed in {y}.",
            "In {y}, rebels killed {n} civilians.",
            "Rebels killed {n} in {y}.",
            "At least {n} people were arrested in May {y}.",
            "Since {y}, troops have detained {n} protesters.",
        ]
    ),
)
def test_counts_never_equal_a_year_in_the_sentence(
    nlp: Language, count: int, year: int, template: str
) -> None:
    assume(count != year)
    text = template.format(n=count, y=year)
    doc = nlp(text)
    trigger = next(t for t in doc if t.lemma_ in ("kill", "arrest", "detain"))
    size = extract_size(trigger.sent, trigger, "ASSAULT")
    assert all(c.value != year for c in size.counts)
    assert all(p.value != year for c in size.counts for p in c.parts)
