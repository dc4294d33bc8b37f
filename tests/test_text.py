"""Normalization before parsing, and the offset map back to the original text."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsevents.text import OffsetMap, normalize, parse_dateline_date

FEED = dt.date(2024, 3, 4)


def _original(raw: str, text: str, needle: str) -> str:
    """The original text behind the first occurrence of ``needle`` in the normalized text."""
    n = normalize(raw, pub_date=FEED)
    start = n.text.index(needle)
    o_start, o_end = n.offsets.to_original(start, start + len(needle))
    return raw[o_start:o_end]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("He spoke on Monday.He added more.", "He spoke on Monday. He added more."),
        ("The talks failed.The envoy left.", "The talks failed. The envoy left."),
        ("It ended in 2023.Officials said so.", "It ended in 2023. Officials said so."),
        ("Why?Nobody knows.", "Why? Nobody knows."),
        ('He said "we will win."The minister left.', 'He said "we will win." The minister left.'),
        ('He left on Monday."We will win," he said.', 'He left on Monday. "We will win," he said.'),
        ("It was said (in Paris).Then he left.", "It was said (in Paris). Then he left."),
        ("Talks with NATO.The alliance agreed.", "Talks with NATO. The alliance agreed."),
    ],
)
def test_glued_sentences_get_a_space(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected


@pytest.mark.parametrize(
    "raw",
    [
        "The U.S. Army and the U.N. Security Council met.",
        "U.S.Army officers met.",
        "Growth was 3.5 percent, e.g. in Spain.",
        "J.R.R. Tolkien wrote it; J.R.R.Tolkien too.",
        "Read it at reuters.com or www.Reuters.com or News.Example.com today.",
        "Mail press@Example.org or see https://example.org/A.Page now.",
        "Gen.Smith met Mr.Jones and Dr.Brown in St.Louis.",
        "She has a Ph.D. from MIT.",
        "The meeting ended at 5 p.m. on Friday.",
    ],
)
def test_abbreviations_and_addresses_are_not_split(raw: str) -> None:
    assert normalize(raw).text == raw


def test_curly_quotes_and_dashes_become_ascii_one_to_one() -> None:
    raw = "\u201cWe won\u2019t,\u201d he said \u2013 in 2010\u20132012."
    n = normalize(raw)
    assert n.text == '"We won\'t," he said - in 2010-2012.'
    assert len(n.text) == len(raw)
    assert n.offsets.to_original(0, len(n.text)) == (0, len(raw))
    assert n.offsets.to_original(4, 10) == (4, 10)


def test_glued_long_dash_gets_spaces() -> None:
    raw = "Iran\u2014the country\u2014said so."
    n = normalize(raw)
    assert n.text == "Iran - the country - said so."
    assert _original(raw, n.text, "the country") == "the country"


def test_exotic_spaces_and_zero_width_characters() -> None:
    raw = "Iran\u00a0said\u200b  it\u2009would \ufeffwait.\u200b"
    n = normalize(raw)
    assert n.text == "Iran said it would wait."
    assert _original(raw, n.text, "wait.") == "wait."
    assert _original(raw, n.text, "said it") == "said\u200b  it"


def test_whitespace_inside_paragraphs_and_paragraph_breaks() -> None:
    raw = (
        "  First paragraph ends here.\n\n\n   Second   paragraph\nwraps onto a line.\r\n"
        "Third paragraph."
    )
    n = normalize(raw)
    assert n.text == (
        "First paragraph ends here.\n\nSecond paragraph wraps onto a line.\n\nThird paragraph."
    )
    assert _original(raw, n.text, "Third") == "Third"


def test_a_headline_line_stays_a_separate_paragraph() -> None:
    n = normalize("Iran condemns strikes\nIran condemned the strikes on Monday.")
    assert n.text == "Iran condemns strikes\n\nIran condemned the strikes on Monday."


@pytest.mark.parametrize(
    ("raw", "text", "place", "date", "dateline"),
    [
        (
            "BAHRAIN, March 5 - Bahrain said.",
            "Bahrain said.",
            "BAHRAIN",
            dt.date(2024, 3, 5),
            "BAHRAIN, March 5 -",
        ),
        (
            "WASHINGTON (Reuters) - The US said.",
            "The US said.",
            "WASHINGTON",
            None,
            "WASHINGTON (Reuters) -",
        ),
        (
            "GAZA CITY, Oct 9 (AFP) - Strikes hit.",
            "Strikes hit.",
            "GAZA CITY",
            dt.date(2023, 10, 9),
            "GAZA CITY, Oct 9 (AFP) -",
        ),
        ("LONDON \u2014 Britain said.", "Britain said.", "LONDON", None, "LONDON \u2014"),
        ("LONDON\u2014Britain said.", "Britain said.", "LONDON", None, "LONDON\u2014"),
        (
            "RAMALLAH, West Bank (AP) \u2014 Talks began.",
            "Talks began.",
            "RAMALLAH",
            None,
            "RAMALLAH, West Bank (AP) \u2014",
        ),
        ("ISLAMABAD: Pakistan said.", "Pakistan said.", "ISLAMABAD", None, "ISLAMABAD:"),
        (
            "KYIV, Ukraine, Feb. 24, 2022 -- Russia attacked.",
            "Russia attacked.",
            "KYIV",
            dt.date(2022, 2, 24),
            "KYIV, Ukraine, Feb. 24, 2022 --",
        ),
        (
            "DOHA, 5 March - Qatar said.",
            "Qatar said.",
            "DOHA",
            dt.date(2024, 3, 5),
            "DOHA, 5 March -",
        ),
        ("Islam Times - Iran said.", "Iran said.", None, None, "Islam Times -"),
        ("(AFP) - France said.", "France said.", None, None, "(AFP) -"),
        ("IRNA - Iran said.", "Iran said.", None, None, "IRNA -"),
        (
            "Islam Times - TEHRAN, March 1 (IRNA) - Iran said.",
            "Iran said.",
            "TEHRAN",
            dt.date(2024, 3, 1),
            "Islam Times - TEHRAN, March 1 (IRNA) -",
        ),
    ],
)
def test_datelines_and_outlet_prefixes_are_removed_and_reported(
    raw: str, text: str, place: str | None, date: dt.date | None, dateline: str
) -> None:
    n = normalize(raw, pub_date=FEED)
    assert n.text == text
    assert n.dateline is not None
    assert n.dateline.place == place
    assert n.dateline.date == date
    assert n.dateline.text == dateline == raw[n.dateline.start : n.dateline.end]
    assert raw[n.prefix_end :] == text
    assert n.offsets.to_original(0, 5) == (n.prefix_end, n.prefix_end + 5)


@pytest.mark.parametrize(
    "raw",
    [
        "US-China talks resumed in Geneva.",
        "US - China talks resumed.",
        "UN: Israel must act.",
        "Iran - the country said.",
        "NATO said it would act.",
        "LONDON -",
    ],
)
def test_no_dateline_where_there_is_none(raw: str) -> None:
    n = normalize(raw)
    assert n.dateline is None
    assert n.text == raw
    assert n.prefix_end == 0


def test_dateline_after_a_headline_line() -> None:
    raw = "Iran condemns strikes\n\nTEHRAN, March 5 (IRNA) -- Iran condemned the strikes."
    n = normalize(raw, pub_date=FEED)
    assert n.text == "Iran condemns strikes\n\nIran condemned the strikes."
    assert n.dateline is not None and n.dateline.place == "TEHRAN"
    assert _original(raw, n.text, "Iran condemned") == "Iran condemned"


def test_breaking_label_is_not_a_place() -> None:
    n = normalize("BREAKING: Iran fires missiles.")
    assert n.text == "Iran fires missiles."
    assert n.dateline is not None and n.dateline.place is None


@pytest.mark.parametrize(
    ("text", "base", "expected"),
    [
        ("March 5", dt.date(2024, 3, 4), dt.date(2024, 3, 5)),  # a time zone ahead
        ("March 9", dt.date(2024, 3, 4), dt.date(2023, 3, 9)),  # toward the past
        ("Dec 30", dt.date(2024, 1, 2), dt.date(2023, 12, 30)),
        ("Jan 1", dt.date(2023, 12, 31), dt.date(2024, 1, 1)),
        ("Feb 29", dt.date(2023, 3, 1), dt.date(2020, 2, 29)),
        ("5 Mar 2021", None, dt.date(2021, 3, 5)),
        ("Monday", dt.date(2024, 3, 6), dt.date(2024, 3, 4)),
        ("March 5", None, None),
        ("Feb 30, 2024", None, None),
    ],
)
def test_parse_dateline_date(text: str, base: dt.date | None, expected: dt.date | None) -> None:
    assert parse_dateline_date(text, base) == expected


def test_empty_and_blank_input() -> None:
    for raw in ("", "  \n\u200b "):
        n = normalize(raw)
        assert n.text == ""
        assert n.offsets.to_original(0, 0)[0] <= len(raw)


def test_identity_map() -> None:
    m = OffsetMap.identity(10)
    assert m.to_original(2, 5) == (2, 5)
    assert m.to_normalized(2, 5) == (2, 5)


def test_to_normalized_inverts_unchanged_spans() -> None:
    raw = "DOHA, March 5 - Qatar\u2019s emir  spoke on Monday.He added."
    n = normalize(raw, pub_date=FEED)
    o_start = raw.index("emir")
    s, e = n.offsets.to_normalized(o_start, o_start + 4)
    assert n.text[s:e] == "emir"
    # the removed dateline maps to an empty span where it was
    assert n.offsets.to_normalized(0, 4) == (0, 0)


def _check_map(raw: str) -> None:
    n = normalize(raw, pub_date=FEED)
    norm, offsets = n.text, n.offsets
    size = len(norm)
    singles = [offsets.to_original(i, i + 1) for i in range(size)]
    previous = (0, 0)
    for i, (o_start, o_end) in enumerate(singles):
        assert 0 <= o_start <= o_end <= len(raw)
        assert o_start >= previous[0] and o_end >= previous[1]  # monotone
        previous = (o_start, o_end)
        if o_end - o_start == 1 and raw[o_start] == norm[i]:
            continue
        # otherwise the character was changed, translated or inserted
        assert norm[i] in " \n\"'-" or raw[o_start:o_end] != norm[i]
    step = max(1, size // 25)
    for s in range(0, size + 1, step):
        for e in range(s, size + 1, step):
            o_start, o_end = offsets.to_original(s, e)
            assert 0 <= o_start <= o_end <= len(raw)
            if s < e:
                assert o_start == singles[s][0] and o_end == singles[e - 1][1]
                unchanged = all(
                    singles[k][1] - singles[k][0] == 1
                    and raw[singles[k][0]] == norm[k]
                    and (k == s or singles[k][0] == singles[k - 1][1])
                    for k in range(s, e)
                )
                if unchanged:
                    assert raw[o_start:o_end] == norm[s:e]
    # and back: every span of the original maps into the normalized text
    for s in range(0, len(raw) + 1, max(1, len(raw) // 25)):
        n_start, n_end = offsets.to_normalized(s, len(raw))
        assert 0 <= n_start <= n_end <= size


_PIECES = [
    *"aAbBzZ09 .,!?\"'()-:\n\r\t",
    "U.S.",
    "DOHA, March 5 - ",
    "(AFP) - ",
    "Islam Times - ",
    "\u00a0",
    "\u200b",
    "\u2019",
    "\u201c",
    "\u201d",
    "\u2014",
    "\u2013",
    "Monday.He",
    "e.g.",
    ".com",
    "\n\n",
    "\r\n",
    "\x00",
]
_NEWSY = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_offset_map_invariants_for_any_unicode(raw: str) -> None:
    _check_map(raw)


@settings(max_examples=300, deadline=None)
@given(_NEWSY)
def test_offset_map_invariants_for_newsy_text(raw: str) -> None:
    _check_map(raw)


def test_normalize_handles_large_documents() -> None:
    paragraph = (
        "DOHA, March 5 - Qatar\u2019s foreign minister spoke on Monday.He said the U.S. "
        "should act \u2014 \u201cnow.\u201d  Growth was 3.5 percent, see reuters.com.\n\n"
    )
    raw = paragraph * 2000
    n = normalize(raw)
    assert n.offsets.to_original(0, len(n.text))[1] <= len(raw)
    assert n.text.count("Monday. He said") == 2000
