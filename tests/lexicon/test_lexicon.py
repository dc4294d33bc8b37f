"""The trigger lexicon: it loads, its codes and PLOVER overrides are valid, every root is covered."""

from __future__ import annotations

import re
from importlib import resources
from itertools import combinations

import pytest

from newsevents import ontology
from newsevents.lexicon.schema import LexiconEntry, load_lexicon, read_yaml
from newsevents.model import EVENT_TYPES

ROOTS = [f"{i:02d}" for i in range(1, 21)]
LEXICON = load_lexicon()
ENTRIES = LEXICON.entries
CONSTRAINTS = ("object", "prep", "particle", "xcomp", "compound", "modifier")


def _files() -> list[tuple[str, dict[str, object]]]:
    folder = resources.files("newsevents.lexicon").joinpath("triggers")
    out = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.endswith(".yaml"):
            data = read_yaml(path.read_bytes())
            assert isinstance(data, dict)
            out.append((path.name, data))
    return out


def test_lexicon_loads_with_a_version() -> None:
    assert len(ENTRIES) >= 300
    assert re.fullmatch(r"[0-9a-f]{12}", LEXICON.version)


def test_one_file_per_root_and_codes_match_the_file() -> None:
    files = _files()
    assert [name[:2] for name, _ in files] == ROOTS
    for name, data in files:
        assert data["root"] == name[:2], name
        entries = data["entries"]
        assert isinstance(entries, list)
        for entry in entries:
            assert entry["cameo"].startswith(name[:2]), (name, entry["id"])


def test_ids_are_unique_and_well_formed() -> None:
    ids = [e.id for e in ENTRIES]
    assert len(ids) == len(set(ids))
    for entry_id in ids:
        assert re.fullmatch(r"[a-z]+\.[a-z0-9_]+\.(verb|noun)", entry_id), entry_id
        assert entry_id.endswith((".verb", ".noun")), entry_id


@pytest.mark.parametrize("root", ROOTS)
def test_every_root_has_entries(root: str) -> None:
    assert any(e.cameo.startswith(root) for e in ENTRIES)


def test_every_code_is_known() -> None:
    unknown = sorted({e.cameo for e in ENTRIES if not ontology.is_known(e.cameo)})
    assert unknown == []


def test_every_entry_has_an_example_with_its_arguments() -> None:
    for entry in ENTRIES:
        assert entry.examples, entry.id
        for example in entry.examples:
            assert example.text.endswith((".", '"')), (entry.id, example.text)
            for value in (example.actor, example.recipient):
                assert value is None or value in example.text, (entry.id, value)


def test_plover_overrides_are_valid() -> None:
    for entry in ENTRIES:
        info = ontology.cameo_info(entry.cameo)
        event_type = entry.event_type or info.event_type
        mode = entry.mode or info.mode
        if entry.event_type is not None:
            assert entry.event_type in EVENT_TYPES, entry.id
        if event_type is None:
            assert entry.mode is None, entry.id  # a mode without an event type means nothing
            continue
        assert ontology.is_valid_mode(event_type, mode), (entry.id, event_type, mode)
        for context in entry.context:
            assert context in ontology.contexts(), (entry.id, context)


def test_lemmas_are_lower_case_single_words() -> None:
    for entry in ENTRIES:
        words = entry.verbs + entry.nouns + entry.object + entry.xcomp + entry.compound
        words += entry.modifier + entry.prep + entry.particle
        for word in words:
            assert word == word.lower() and " " not in word, (entry.id, word)


def test_constraints_fit_the_kind_of_trigger() -> None:
    for entry in ENTRIES:
        if entry.nominal:
            assert not entry.xcomp and not entry.particle and not entry.object_any, entry.id
        else:
            assert not entry.compound, entry.id
        if entry.modifier:
            assert entry.nominal or entry.object or entry.object_any, entry.id


def _shape(entry: LexiconEntry) -> tuple[bool, ...]:
    return tuple(bool(getattr(entry, f)) for f in CONSTRAINTS) + (entry.object_any,)


def test_no_two_codes_tie_on_the_same_constraints() -> None:
    """Entries that match the same words with equal specificity must not disagree on the code."""
    clashes = []
    for (lemma, _nominal), entries in LEXICON.by_lemma().items():
        for a, b in combinations(entries, 2):
            if a.cameo == b.cameo or a.specificity != b.specificity or _shape(a) != _shape(b):
                continue
            fields = [f for f in CONSTRAINTS if getattr(a, f)]
            if all(set(getattr(a, f)) & set(getattr(b, f)) for f in fields):
                clashes.append((lemma, a.id, b.id))
    assert clashes == []
