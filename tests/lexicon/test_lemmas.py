"""Every lexicon example, parsed by the English model, contains its trigger as declared."""

from __future__ import annotations

import pytest
from _lexicon_match import satisfies, trigger_tokens
from spacy.language import Language

from newsevents.lexicon.schema import Example, LexiconEntry, load_lexicon

LEXICON = load_lexicon()
CASES = [
    pytest.param(entry, example, id=f"{entry.id}#{i}")
    for entry in LEXICON.entries
    for i, example in enumerate(entry.examples)
]


@pytest.mark.model
@pytest.mark.parametrize(("entry", "example"), CASES)
def test_example_has_trigger_lemma_with_declared_pos(
    nlp: Language, entry: LexiconEntry, example: Example
) -> None:
    doc = nlp(example.text)
    tokens = trigger_tokens(doc, entry)
    parsed = [(t.text, t.lemma_, t.pos_, t.dep_) for t in doc]
    assert tokens, f"no {'NOUN' if entry.nominal else 'VERB'} with lemma in entry: {parsed}"
    assert any(satisfies(t, entry) for t in tokens), f"constraints not met: {parsed}"


@pytest.mark.model
@pytest.mark.parametrize(("entry", "example"), CASES)
def test_example_entry_wins_for_its_code(
    nlp: Language, entry: LexiconEntry, example: Example
) -> None:
    """Among the entries matching the trigger word, the most specific ones give the entry's code."""
    index = LEXICON.by_lemma()
    doc = nlp(example.text)
    winners_seen = []
    for token in trigger_tokens(doc, entry):
        if not satisfies(token, entry):
            continue
        candidates = [
            c for c in index[(token.lemma_.lower(), entry.nominal)] if satisfies(token, c)
        ]
        best = max(c.specificity for c in candidates)
        winners = {c.cameo for c in candidates if c.specificity == best}
        if winners == {example.cameo or entry.cameo}:
            return
        winners_seen.append((token.text, sorted(winners)))
    pytest.fail(f"entry {entry.id} ({entry.cameo}) loses: {winners_seen}")
