"""Triggers, arguments and factuality on parsed sentences, with a small lexicon of our own.

These tests pin the engine's reading of constructions, independent of the bundled lexicon.
"""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from newsevents.annotations import register_extensions
from newsevents.components.arguments import arguments_for
from newsevents.components.factuality import assess
from newsevents.components.triggers import TriggerFinder
from newsevents.lexicon.schema import LexiconEntry

pytestmark = pytest.mark.model

_ENTRIES = (
    LexiconEntry(id="t.meet", cameo="040", verbs=("meet",), recipient=("dobj", "with"), symmetric=True),
    LexiconEntry(id="t.talks", cameo="046", nouns=("talk",), recipient=("with",), symmetric=True),
    LexiconEntry(id="t.kill", cameo="190", verbs=("kill",)),
    LexiconEntry(id="t.attack", cameo="190", verbs=("attack",)),
    LexiconEntry(id="t.attack.n", cameo="190", nouns=("attack", "strike", "airstrike"), recipient=("on", "against")),
    LexiconEntry(id="t.condemn", cameo="111", verbs=("condemn",)),
    LexiconEntry(id="t.call.for", cameo="100", verbs=("call",), prep=("for",)),
    LexiconEntry(id="t.agree", cameo="030", verbs=("agree",)),
    LexiconEntry(id="t.threaten", cameo="130", verbs=("threaten",)),
    LexiconEntry(id="t.free", cameo="0841", verbs=("release", "free")),
    LexiconEntry(id="t.retaliate", cameo="190", verbs=("retaliate",)),
    LexiconEntry(id="t.urge", cameo="100", verbs=("urge",)),
)
FINDER = TriggerFinder(_ENTRIES)


def _run(nlp: Language, text: str) -> tuple[Doc, list[dict[str, object]]]:
    register_extensions()
    doc = nlp(text)
    triggers = FINDER(doc)
    doc._.ne_triggers = triggers
    heads = frozenset(t.token for t in triggers)
    rows = []
    for t in triggers:
        args = arguments_for(doc, t, FINDER.event_nouns)
        fact = assess(doc, t, heads)
        rows.append(
            {
                "entry": t.entry,
                "trigger": " ".join(doc[i].text for i in t.tokens),
                "actor": [doc[i].text for i in args.actor],
                "recipient": [doc[i].text for i in args.recipient],
                "factuality": fact.factuality,
                "reported_by": doc[fact.reported_by].text if fact.reported_by is not None else None,
            }
        )
    return doc, rows


def _one(rows: list[dict[str, object]], entry: str) -> dict[str, object]:
    found = [r for r in rows if r["entry"] == entry]
    assert len(found) == 1, rows
    return found[0]


@pytest.mark.parametrize(
    ("text", "entry", "actor", "recipient"),
    [
        # light verb + event noun, recipient from "with" on the noun
        ("Iran's foreign minister held talks with his Omani counterpart on Monday.", "t.talks", ["minister"], ["counterpart"]),
        # coordination: compound recipients become a list
        ("He met Qatar's emir and the Saudi foreign minister in Riyadh.", "t.meet", ["He"], ["emir", "minister"]),
        # passive with agent inside an event noun
        ("Eight people were killed in an air strike by government forces.", "t.kill", ["forces"], ["people"]),
        # coordinated subjects, and a participle clause inherits them
        ("Syrian rebels and Kurdish fighters attacked the town.", "t.attack", ["rebels", "fighters"], ["town"]),
        # subject control: "agreed to meet" → the complement's object is the recipient
        ("Iran agreed to meet Oman.", "t.agree", ["Iran"], ["Oman"]),
        # nominal event: demonym actor, "on" recipient
        ("Israeli airstrikes on Gaza drew condemnation.", "t.attack.n", ["Israeli"], ["Gaza"]),
        # preposition-constrained verb entry
        ("Egypt called for an emergency meeting of the Arab League.", "t.call.for", ["Egypt"], []),
    ],
)
def test_arguments(nlp: Language, text: str, entry: str, actor: list[str], recipient: list[str]) -> None:
    _, rows = _run(nlp, text)
    row = _one(rows, entry)
    assert row["actor"] == actor
    assert row["recipient"] == recipient


def test_participle_inherits_subject(nlp: Language) -> None:
    _, rows = _run(nlp, "Rebels attacked the town, killing five soldiers.")
    assert _one(rows, "t.kill")["actor"] == ["Rebels"]
    assert _one(rows, "t.kill")["recipient"] == ["soldiers"]


def test_event_noun_as_subject_yields_to_verb(nlp: Language) -> None:
    _, rows = _run(nlp, "Israeli airstrikes on Gaza killed 20 people.")
    assert [r["entry"] for r in rows] == ["t.kill"]
    assert rows[0]["actor"] == ["Israeli"]


def test_light_verb_consumes_noun(nlp: Language) -> None:
    _, rows = _run(nlp, "The army launched attacks against the rebels.")
    row = _one(rows, "t.attack.n")
    assert row["trigger"] == "launched attacks"
    assert row["actor"] == ["army"]
    assert row["recipient"] == ["rebels"]


@pytest.mark.parametrize(
    ("text", "entry", "factuality", "reported_by"),
    [
        ("Iran did not attack the base.", "t.attack", "negated", None),
        ("Israel never attacked the convoy.", "t.attack", "negated", None),
        ("Hezbollah would retaliate if Israel attacked Lebanon.", "t.retaliate", "hypothetical", None),
        ("Hezbollah would retaliate if Israel attacked Lebanon.", "t.attack", "hypothetical", None),
        ("The rebels could attack the capital.", "t.attack", "hypothetical", None),
        ("Israel announced it would free 150 prisoners.", "t.free", "future", "Israel"),
        ("Israel will free 150 prisoners next week.", "t.free", "future", None),
        ("The minister said Israeli forces attacked the camp.", "t.attack", "reported", "minister"),
        ("Israeli troops killed 12 Palestinians, according to the health ministry.", "t.kill", "reported", "ministry"),
        ("The army retaliated, with media outlets saying the militants attacked a post.", "t.attack", "reported", "outlets"),
        ("The US threatened to attack Iran.", "t.attack", "intended", None),
        ("The US threatened to attack Iran.", "t.threaten", "asserted", None),
        ("Iran denied attacking the tanker.", "t.attack", "negated", None),
        ("Rebels attacked the town on Monday.", "t.attack", "asserted", None),
    ],
)
def test_factuality(nlp: Language, text: str, entry: str, factuality: str, reported_by: str | None) -> None:
    _, rows = _run(nlp, text)
    row = _one(rows, entry)
    assert row["factuality"] == factuality
    assert row["reported_by"] == reported_by
