"""PETRARCH-2 verb dictionaries and discard lists, read as our own lexicon entries.

The dictionary texts here are written for these tests in the PETRARCH-2 format.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newsevents.errors import NewsEventsError, NewsEventsWarning
from newsevents.knowledge.discards import is_discard_file, load_discards, parse_discards
from newsevents.lexicon.petrarch_verbs import (
    is_verb_dictionary,
    parse_verb_dictionary,
    read_verb_dictionary,
)
from newsevents.model import Article

VERBS = """\
# test verb dictionary
####### SYNONYM SETS #######
&TIES
+TIES
+RELATIONS
# a comment inside a set does not end it
+DIPLOMATIC_RELATIONS

&BUDGETS
+BUDGET

####### VERB PATTERNS #######

---  RESTORE   [---]  ---
RESTORE
REESTABLISH {REESTABLISHES REESTABLISHED}
- * {DIPLOMATIC &TIES}                [050]   # restore diplomatic ties
- * ORDER                             [---]

---  ARRIVE   [042:043]  ---
ARRIVE
- * (IN +)                            [042:043]

---  APPROVE   [030]  ---
APPROVE
RATIFY [057]
- * &BUDGETS                          [---]
- * (OF &BUDGETS)                     [---]
- NEITHER *                           [057]
- * PLAN                              [0999]

---  MEET   [040]  ---
MEET
- % *                                 [040]

---  APPEAR   [---]  ---
APPEAR
- * (BEFORE COURT)                    [:173]

---  SET   [---]  ---
+SET_OFF {+SETS_OFF}
- * ON &TIES                          [035]

---  LEAVE   [012]  ---
LEAVE

---  LEFT   [042:043]  ---
LEFT

---  URGE   [023]  ---
URGE

---  ALLOW   [080]  ---
ALLOW

---  ABANDON   [---]  ---
ABANDON
- * &TIES                             [080]
"""


def _entries(text: str = VERBS) -> dict[str, object]:
    parsed = parse_verb_dictionary(text, name="dict.test")
    return {e.id: e for e in parsed.entries}


def test_blocks_patterns_and_synonym_sets() -> None:
    parsed = parse_verb_dictionary(VERBS, name="dict.test")
    by_code = {(e.verbs, e.cameo, e.object, e.prep, e.particle): e for e in parsed.entries}
    restore = by_code[(("restore", "reestablish"), "050", ("ties", "tie", "relations", "relation"), (), ())]
    assert restore.modifier == ("diplomatic",)
    assert restore.note == "dict.test line 17"
    # the block's default is "no event" for each of its verbs, and a pattern can say so too
    assert by_code[(("restore",), "---", (), (), ())].no_event
    assert by_code[(("restore", "reestablish"), "---", ("order",), (), ())].no_event
    # a verb's own code beats its block's
    assert by_code[(("ratify",), "057", (), (), ())]
    assert by_code[(("approve",), "030", (), (), ())]
    assert parsed.verbs >= {"restore", "reestablish", "arrive", "approve", "ratify", "meet", "appear"}


def test_codes_roles_and_directions() -> None:
    entries = parse_verb_dictionary(VERBS, name="dict.test").entries
    arrive = next(e for e in entries if e.verbs == ("arrive",) and e.prep == ("in",))
    assert (arrive.cameo, arrive.reverse_cameo, arrive.recipient) == ("042", "043", ("in",))
    meet = next(e for e in entries if e.verbs == ("meet",))
    assert meet.symmetric and meet.cameo == "040"  # "- % *": the default runs both ways
    appear = next(e for e in entries if e.verbs == ("appear",) and e.prep == ("before",))
    # "[:173]": only the target acts (the court against whoever appears before it)
    assert (appear.cameo, appear.actor, appear.recipient) == ("173", ("dobj",), ("subj",))
    set_off = [e for e in entries if e.verbs == ("set",)]
    assert any(e.particle == ("off",) and e.cameo == "---" for e in set_off)  # the phrasal verb's default
    on_ties = next(e for e in entries if e.verbs == ("set",) and e.prep == ("on",))
    assert on_ties.cameo == "035" and on_ties.particle == ("off",)


def test_what_cannot_be_stated_is_counted_not_guessed() -> None:
    parsed = parse_verb_dictionary(VERBS, name="dict.test")
    reasons = sorted(reason for _, reason in parsed.skipped)
    assert reasons == ["codes that are not CAMEO", "words before the verb"]
    assert all(e.cameo != "099" and e.cameo != "0999" for e in parsed.entries)  # never shortened to a prefix
    assert parsed.patterns == 11
    with pytest.raises(NewsEventsError) as info:
        parse_verb_dictionary(VERBS, name="dict.test", strict=True)
    assert info.value.code == "E108"


def test_file_reading_sniffing_and_warning(tmp_path: Path) -> None:
    path = tmp_path / "my_verbs.txt"
    path.write_text(VERBS)
    other = tmp_path / "Some.actors.txt"
    other.write_text("GONDOR_ [GON]\n")
    assert is_verb_dictionary(path) and not is_verb_dictionary(other)
    assert not is_verb_dictionary(tmp_path / "missing.txt")
    with pytest.warns(NewsEventsWarning, match=r"W102.*2 of 11 patterns"):
        parsed = read_verb_dictionary(path)
    assert parsed.name == "dict.my_verbs" and len(parsed.digest) == 16
    with pytest.raises(NewsEventsError) as info:
        read_verb_dictionary(tmp_path / "missing.txt")
    assert info.value.code == "E107"


def test_discard_lists() -> None:
    story, sentence = parse_discards("# comment\n+TYPHOON  # weather\nBASEBALL\nAFRICAN_NATIONS CUP\n")
    assert story == ["TYPHOON"] and sentence == ["BASEBALL", "AFRICAN NATIONS CUP"]
    assert is_discard_file("PETR_Validate_discards_2_02.txt") and not is_discard_file("CAMEO.2.0.txt")


def test_discard_matching(tmp_path: Path) -> None:
    path = tmp_path / "my.discards.txt"
    path.write_text("+TYPHOON\nBASEBALL\nAFRICAN NATIONS CUP\n1945\n")
    d = load_discards([path])
    assert d.story_hit("A typhoon hit the coast.") == "typhoon"
    assert d.story_hit("Baseball is played here.") is None
    assert d.sentence_hit("They won the African  Nations Cup.") == "African  Nations Cup"
    assert d.sentence_hit("In 1945 the war ended.") == "1945"
    assert d.sentence_hit("In 19456 nothing.") is None  # whole words only
    assert d.sentence_hit("baseballs") is None


# -- the pipeline with a user's verb dictionary ------------------------------------------------


@pytest.fixture(scope="module")
def coder(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    import newsevents.pipeline as pipeline

    folder = tmp_path_factory.mktemp("dicts")
    verbs = folder / "test_verbs.txt"
    verbs.write_text(VERBS)
    discards = folder / "test.discards.txt"
    discards.write_text("+TYPHOON\nBASEBALL\n")
    with pytest.warns(NewsEventsWarning, match="W102"):
        nlp = pipeline.load(dictionaries=(str(verbs), str(discards)))

    def run(text: str) -> list[tuple[str, str, str]]:
        doc = nlp(pipeline.make_doc(nlp, Article(id="t", text=text, date=dt.date(2024, 3, 4))))
        return sorted(
            (
                e.cameo,
                "+".join(a.country or a.text for a in e.actor),
                "+".join(a.country or a.text for a in e.recipient),
            )
            for e in doc._.events
        )

    return run


@pytest.mark.model
def test_dictionary_patterns_code_the_verbs_they_own(coder) -> None:  # type: ignore[no-untyped-def]
    assert coder("Egypt restored diplomatic ties with Qatar on Monday.") == [("050", "EGY", "QAT")]
    # the dictionary owns "restore": the built-in lexicon no longer codes it
    assert coder("Egyptian police restored order in Cairo on Monday.") == []
    assert coder("The Kenyan parliament approved the budget on Tuesday.") == []
    assert coder("The Kenyan parliament approved the deal on Tuesday.") == [("030", "KEN", "the deal")]


@pytest.mark.model
def test_dictionary_reverse_codes(coder) -> None:  # type: ignore[no-untyped-def]
    events = coder("The Iranian foreign minister arrived in Oman on Sunday.")
    assert events == [("042", "IRN", "OMN"), ("043", "OMN", "IRN")]


@pytest.mark.model
def test_discarded_sentences_and_stories(coder) -> None:  # type: ignore[no-untyped-def]
    assert coder("Cuban troops attacked rebels near the baseball stadium on Monday.") == []
    assert coder("Cuban troops attacked rebels near the stadium on Monday.") != []
    text = "Cuban troops attacked rebels on Monday. Later a typhoon reached the island."
    assert coder(text) == []


@pytest.mark.model
def test_an_inflected_form_with_its_own_block_is_its_own_verb(coder) -> None:  # type: ignore[no-untyped-def]
    # "LEFT [042:043]" beside "LEAVE [012]": the form the text uses decides; "for" names the host
    assert coder("The Omani foreign minister left for Tehran on Sunday.") == [("042", "OMN", "IRN"), ("043", "IRN", "OMN")]
    assert coder("The Omani foreign minister will leave Tehran on Sunday.") == []  # 012: a statement, not PLOVER


@pytest.mark.model
def test_a_dictionary_appeal_is_a_plover_request(coder) -> None:  # type: ignore[no-untyped-def]
    assert coder("Egypt urged Qatar on Monday to help the refugees.") == [("023", "EGY", "QAT")]


@pytest.mark.model
def test_a_complement_clause_is_about_its_subject(coder) -> None:  # type: ignore[no-untyped-def]
    assert coder("Egypt allowed that Qatar was not a reliable partner.") == [("080", "EGY", "QAT")]


@pytest.mark.model
def test_a_future_concession_stays_a_concession(coder) -> None:  # type: ignore[no-untyped-def]
    # PLOVER: future CONCEDE is left as it is; only cooperation in the future becomes AGREE
    assert coder("Egypt will abandon its ties with Qatar.") == [("080", "EGY", "QAT")]

