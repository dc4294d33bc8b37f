"""A small, test-only reading of the lexicon constraints against a spaCy parse.

This is not the engine's matcher: it is deliberately lenient about attachment (the parser puts
particles and light-verb prepositions in more than one place) and is only used to check that every
example sentence really contains its entry's trigger with the declared part of speech, and that the
parse gives the constraint words somewhere the matcher can find them.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Token

from newsevents.lexicon.schema import LexiconEntry

OBJ_DEPS = {"dobj", "nsubjpass", "oprd", "attr", "dative", "obj"}
PREP_DEPS = {"prep", "agent", "dative", "prt", "advmod"}
PART_DEPS = {"prt", "advmod", "prep", "acomp", "oprd", "ccomp"}
MOD_DEPS = {"compound", "amod", "nmod", "npadvmod", "nummod", "poss"}
CLAUSE_DEPS = {"xcomp", "ccomp", "advcl", "pcomp", "conj"}


def _low(tok: Token) -> str:
    return tok.lemma_.lower()


def _with_conj(tokens: Iterable[Token]) -> list[Token]:
    out: list[Token] = []
    for t in tokens:
        out.append(t)
        out.extend(c for c in t.children if c.dep_ == "conj")
    return out


def _scope(tok: Token, nominal: bool) -> list[Token]:
    """The trigger, plus (for nominal and particle-verb triggers) the word it hangs from."""
    scope = [tok]
    if nominal and tok.head is not tok:
        scope.append(tok.head)
        if tok.head.dep_ == "prep" and tok.head.head is not tok.head:
            scope.append(tok.head.head)
    return scope


def _modifier_ok(tok: Token, words: tuple[str, ...]) -> bool:
    wanted = {w.lower() for w in words}
    for child in tok.subtree:
        if child is tok:
            continue
        if _low(child) in wanted or child.lower_ in wanted:
            return True
    return False


def _prep_objects(scope: list[Token], preps: tuple[str, ...]) -> list[Token]:
    wanted = {p.lower() for p in preps}
    found: list[Token] = []
    for head in scope:
        for child in head.children:
            if child.dep_ in PREP_DEPS and child.lower_ in wanted:
                found.append(child)
                for sub in child.children:
                    if sub.dep_ == "prep":  # 'out of', 'because of'
                        found.append(sub)
    return found


def satisfies(tok: Token, entry: LexiconEntry) -> bool:
    nominal = entry.nominal
    scope = _scope(tok, nominal)
    children = [c for h in scope for c in h.children]
    if entry.particle:
        words = {p.lower() for p in entry.particle}
        if not any(c.dep_ in PART_DEPS and c.lower_ in words for c in tok.children):
            return False
    if entry.xcomp:
        words = set(entry.xcomp)
        if not any(c.dep_ in CLAUSE_DEPS and _low(c) in words for c in tok.children):
            return False
    if entry.compound:
        words = {w.lower() for w in entry.compound}
        if not any(
            c.dep_ in MOD_DEPS and (_low(c) in words or c.lower_ in words) for c in tok.children
        ):
            return False
    objects: list[Token]
    if entry.prep:
        # the parser often hangs 'of'/'with'/'for' on the direct object ("accused X of Y")
        direct = [c for c in tok.children if c.dep_ in OBJ_DEPS]
        preps = _prep_objects(scope + direct, entry.prep)
        if not preps:
            return False
        objects = _with_conj(
            g for p in preps for g in p.children if g.dep_ in {"pobj", "pcomp", "dobj"}
        )
    else:
        objects = _with_conj(c for c in children if c.dep_ in OBJ_DEPS and c is not tok)
    if entry.object:
        words = set(entry.object)
        objects = [o for o in objects if _low(o) in words or o.lower_ in words]
        if not objects:
            return False
    if entry.object_any and not objects and not any(c.dep_ in OBJ_DEPS for c in tok.children):
        return False
    if entry.modifier:
        targets = objects if (entry.object or entry.object_any) and not nominal else [tok]
        if not any(_modifier_ok(t, entry.modifier) for t in targets):
            return False
    return True


def trigger_tokens(doc: Doc, entry: LexiconEntry) -> list[Token]:
    """Tokens with one of the entry's lemmas and the declared part of speech."""
    lemmas = {w.lower() for w in (entry.nouns or entry.verbs)}
    pos = {"NOUN"} if entry.nominal else {"VERB"}
    return [t for t in doc if _low(t) in lemmas and t.pos_ in pos]
