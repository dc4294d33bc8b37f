"""Event dates: each date expression against a fixed publication date."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language
from spacy.tokens import Token

from newsevents.components.when import parse_dateline_date, resolve_event_date

PUB = dt.date(2024, 3, 6)  # a Wednesday


def _trigger(nlp: Language, text: str, word: str) -> Token:
    doc = nlp(text)
    return next(t for t in doc if t.text == word)


CASES = [
    # text, trigger, value, end, precision, date text
    ("Gunmen attacked a village on Monday.", "attacked", "2024-03-04", None, "day", "Monday"),
    (
        "Gunmen attacked a village Monday night.",
        "attacked",
        "2024-03-04",
        None,
        "day",
        "Monday night",
    ),
    (
        "Gunmen attacked a village late Tuesday.",
        "attacked",
        "2024-03-05",
        None,
        "day",
        "late Tuesday",
    ),
    ("Gunmen attacked a village on Wednesday.", "attacked", "2024-03-06", None, "day", "Wednesday"),
    (
        "Gunmen attacked a village last Wednesday.",
        "attacked",
        "2024-02-28",
        None,
        "day",
        "last Wednesday",
    ),
    ("The ministers will meet on Monday.", "meet", "2024-03-11", None, "day", "Monday"),
    ("The ministers are due to meet on Friday.", "meet", "2024-03-08", None, "day", "Friday"),
    ("Protesters gathered today.", "gathered", "2024-03-06", None, "day", "today"),
    ("Protesters gathered yesterday.", "gathered", "2024-03-05", None, "day", "yesterday"),
    ("Protesters will gather tonight.", "gather", "2024-03-06", None, "day", "tonight"),
    (
        "Police arrested 20 people last week.",
        "arrested",
        "2024-02-26",
        "2024-03-03",
        "week",
        "last week",
    ),
    (
        "Police arrested 20 people last month.",
        "arrested",
        "2024-02-01",
        "2024-02-29",
        "month",
        "last month",
    ),
    (
        "Police arrested 20 people earlier this month.",
        "arrested",
        "2024-03-01",
        "2024-03-06",
        "month",
        "earlier this month",
    ),
    (
        "Police have arrested 20 people in recent months.",
        "arrested",
        "2023-12-06",
        "2024-03-06",
        "range",
        "in recent months",
    ),
    (
        "Police have arrested 20 people in recent weeks.",
        "arrested",
        "2024-02-14",
        "2024-03-06",
        "range",
        "in recent weeks",
    ),
    (
        "Fighting has raged since early Saturday.",
        "raged",
        "2024-03-02",
        "2024-03-06",
        "range",
        "since early Saturday",
    ),
    (
        "The group was founded three years ago.",
        "founded",
        "2021-01-01",
        "2021-12-31",
        "year",
        "three years ago",
    ),
    ("Iran signed the deal on March 5.", "signed", "2024-03-05", None, "day", "March 5"),
    ("Iran signed the deal on March 9.", "signed", "2023-03-09", None, "day", "March 9"),
    ("Iran signed the deal on 5 March 2023.", "signed", "2023-03-05", None, "day", "5 March 2023"),
    ("Iran signed the deal on Aug 26.", "signed", "2023-08-26", None, "day", "Aug 26"),
    (
        "Iran signed the deal on Aug. 26, 2019.",
        "signed",
        "2019-08-26",
        None,
        "day",
        "Aug. 26, 2019",
    ),
    ("Rebels killed 3 in May.", "killed", "2023-05-01", "2023-05-31", "month", "May"),
    ("Rebels killed 12 people in 2014.", "killed", "2014-01-01", "2014-12-31", "year", "2014"),
]


@pytest.mark.model
@pytest.mark.parametrize(("text", "word", "value", "end", "precision", "date_text"), CASES)
def test_date_expressions(
    nlp: Language, text: str, word: str, value: str, end: str | None, precision: str, date_text: str
) -> None:
    trigger = _trigger(nlp, text, word)
    got = resolve_event_date(trigger.sent, trigger, PUB)
    assert got.value == dt.date.fromisoformat(value)
    assert got.end == (dt.date.fromisoformat(end) if end else None)
    assert got.precision == precision
    assert got.text == date_text
    assert got.start is not None and got.end_char is not None
    assert trigger.doc.text[got.start : got.end_char] == date_text


@pytest.mark.model
def test_no_expression_falls_back_to_publication_date(nlp: Language) -> None:
    trigger = _trigger(nlp, "Police arrested 20 people.", "arrested")
    got = resolve_event_date(trigger.sent, trigger, PUB)
    assert (got.value, got.precision, got.rule) == (PUB, "unknown", "publication date")
    assert got.text is None


@pytest.mark.model
def test_no_publication_date_uses_today(nlp: Language) -> None:
    trigger = _trigger(nlp, "Police arrested 20 people.", "arrested")
    got = resolve_event_date(trigger.sent, trigger, None, today=dt.date(2020, 1, 2))
    assert (got.value, got.precision) == (dt.date(2020, 1, 2), "unknown")
    rel = _trigger(nlp, "Police arrested 20 people on Monday.", "arrested")
    got = resolve_event_date(rel.sent, rel, None, today=dt.date(2020, 1, 2))
    assert got.value == dt.date(2019, 12, 30)
    assert got.precision == "unknown"


@pytest.mark.model
def test_date_of_the_trigger_clause_beats_the_reporting_date(nlp: Language) -> None:
    text = "The United Nations sent 21 military personnel to Bosnia on Wednesday, a U.N. spokesman said on Monday."
    trigger = _trigger(nlp, text, "sent")
    assert resolve_event_date(trigger.sent, trigger, PUB).text == "Wednesday"


@pytest.mark.model
def test_date_on_another_noun_is_ignored(nlp: Language) -> None:
    text = (
        "Guerrillas have been demobilized since the August 13 peace accord, "
        "two rebel commanders told Reuters on Tuesday."
    )
    trigger = _trigger(nlp, text, "demobilized")
    assert resolve_event_date(trigger.sent, trigger, PUB).text == "Tuesday"


@pytest.mark.model
def test_a_count_is_not_a_day(nlp: Language) -> None:
    trigger = _trigger(nlp, "Rebels killed 3 in May.", "killed")
    got = resolve_event_date(trigger.sent, trigger, PUB)
    assert got.precision == "month" and got.value.day == 1


@pytest.mark.model
def test_modal_may_is_not_a_month(nlp: Language) -> None:
    trigger = _trigger(nlp, "Officials said the rebels may attack the town.", "attack")
    assert resolve_event_date(trigger.sent, trigger, PUB).precision == "unknown"


@pytest.mark.parametrize(
    ("text", "feed", "expected"),
    [
        ("BAHRAIN, March 5 -", dt.date(2024, 3, 5), dt.date(2024, 3, 5)),
        ("BAHRAIN, March 5 -", dt.date(2024, 3, 4), dt.date(2024, 3, 5)),
        ("KABUL, Dec 30 (Reuters) -", dt.date(2024, 1, 2), dt.date(2023, 12, 30)),
        ("LONDON, 5 March 2021 -", None, dt.date(2021, 3, 5)),
        ("WASHINGTON (Reuters) -", dt.date(2024, 3, 5), None),
        ("WASHINGTON (Reuters) -", None, None),
    ],
)
def test_parse_dateline_date(text: str, feed: dt.date | None, expected: dt.date | None) -> None:
    assert parse_dateline_date(text, feed) == expected
