"""Small, shared readings of spaCy's dependency tree (English, ClearNLP labels).

Kept in one place so every stage agrees on what "the subject of this clause" or "the object of
this preposition" means.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

__all__ = [
    "SUBJ_DEPS",
    "OBJ_DEPS",
    "agent_of",
    "clause_subject",
    "conjuncts",
    "direct_object",
    "is_infinitival",
    "is_passive",
    "nearest_verb",
    "prep_objects",
    "clause_head",
    "relative_antecedent",
]

SUBJ_DEPS = frozenset({"nsubj", "csubj"})
PASS_SUBJ_DEPS = frozenset({"nsubjpass", "csubjpass"})
OBJ_DEPS = frozenset({"dobj", "obj"})
CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "conj", "relcl", "acl", "pcomp", "parataxis"})


_NOT_ANTECEDENT_ENTS = frozenset({"MONEY", "PERCENT", "QUANTITY", "CARDINAL", "DATE", "TIME", "ORDINAL"})


def _non_antecedent(token: Token) -> bool:
    """Amounts, numbers and dates are never what "which"/"who" refer to as a participant."""
    return token.pos_ in ("NUM", "SYM") or token.ent_type_ in _NOT_ANTECEDENT_ENTS


def relative_antecedent(verb: Token) -> Token:
    """The noun a relative clause modifies ("floods last month, which killed 14" → floods).

    The parser sometimes hangs a non-restrictive "which" clause on an unrelated earlier word,
    often an amount ("pledged $25 million ..., which killed"). When its head is an amount,
    number or date, the antecedent is the nearest noun before the relative pronoun, skipping
    dates and amounts ("last month").
    """
    head = verb.head
    if not _non_antecedent(head):
        return head
    rel = next((c for c in verb.children if c.tag_ in ("WDT", "WP", "WP$")), None)
    if rel is None:
        return head
    doc = verb.doc
    i = rel.i - 1
    while i >= verb.sent.start:
        tok = doc[i]
        if tok.pos_ in ("NOUN", "PROPN", "PRON") and not _non_antecedent(tok) and tok.dep_ not in ("compound", "npadvmod"):
            return tok
        i -= 1
    return head


def is_infinitival(verb: Token) -> bool:
    """A "to"-infinitive clause ("to release", "to demand")."""
    return any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in PASS_SUBJ_DEPS or c.dep_ == "auxpass" for c in verb.children)


def conjuncts(token: Token) -> list[Token]:
    """The token and the tokens coordinated with it ("Iran and Oman" → both)."""
    return [token, *(t for t in token.conjuncts if t.i != token.i)]


def agent_of(verb: Token) -> Token | None:
    """The ``by`` agent of a passive verb ("were killed by troops" → troops)."""
    for child in verb.children:
        if child.dep_ == "agent":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    return None


def _own_subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in SUBJ_DEPS:
            return child
    if is_passive(verb) or _reduced_passive(verb):
        return agent_of(verb)
    return None


def _reduced_passive(verb: Token) -> bool:
    """A past participle modifying a noun: "soldiers killed in the raid", "a missile fired by X"."""
    return verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head.pos_ in ("NOUN", "PROPN", "PRON")


def passive_subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in PASS_SUBJ_DEPS:
            return child
    return None


def direct_object(verb: Token) -> Token | None:
    """The direct object; for a passive verb, its passive subject."""
    if is_passive(verb):
        subject = passive_subject(verb)
        if subject is not None and subject.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
            return relative_antecedent(verb)  # "Yaish, who had been arrested": the antecedent
        return subject
    for child in verb.children:
        if child.dep_ in OBJ_DEPS:
            return child
    if _reduced_passive(verb):
        return verb.head  # "the civilians imprisoned for ...": the noun is the patient
    for child in verb.children:  # "attacked them" sometimes parses as dative/attr
        if child.dep_ in ("dative", "attr") and child.pos_ in ("NOUN", "PROPN", "PRON"):
            return child
    for child in verb.children:
        # "condemned as unacceptable allegations by Rwanda": an object shifted past its
        # predicate adjective, parsed as the object of "as"
        if child.dep_ == "prep" and child.lower_ == "as":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.pos_ == "NOUN" and any(a.dep_ == "amod" and a.i == child.i + 1 for a in pobj.children):
                    return pobj
    return None


def clause_subject(verb: Token, *, depth: int = 0) -> Token | None:
    """The subject of a verb, climbing through control, coordination and participles.

    "Iran agreed to meet Oman" → meet: Iran (subject control); "urged Iran to withdraw" →
    withdraw: Iran (object control); "attacked the post and killed two" → killed: the subject of
    attacked; ", killing 12" → the subject of the governing clause; "troops who fired" → troops.
    """
    if depth > 6:
        return None
    own = _own_subject(verb)
    if own is not None:
        if own.dep_ == "nsubj" and own.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
            return relative_antecedent(verb)
        return own
    head = verb.head
    if head.i == verb.i:
        return None
    dep = verb.dep_
    if dep == "xcomp":
        if is_passive(head):  # raising: "Al Thani is expected to travel"
            raised = passive_subject(head)
            if raised is not None:
                return raised
        obj = direct_object(head) if not is_passive(head) else None
        if obj is not None and obj.i < verb.i:
            return obj
        return clause_subject(head, depth=depth + 1)
    if dep == "conj" and head.pos_ in ("VERB", "AUX"):
        return clause_subject(head, depth=depth + 1)
    if dep == "advcl" and is_infinitival(verb):
        # "called on Tehran to release" → Tehran; "rallied ... to demand" → the protesters
        on_object = next(iter(prep_objects(head, ("on", "upon"))), None)
        if on_object is not None and head.lemma_.lower() in ("call", "appeal", "prevail"):
            return on_object
        return clause_subject(head, depth=depth + 1)
    if dep == "advcl" and verb.tag_ in ("VBG", "VBN"):
        return clause_subject(head, depth=depth + 1)
    if dep in ("acomp", "attr", "oprd") and head.pos_ in ("VERB", "AUX"):
        return clause_subject(head, depth=depth + 1)
    if dep == "relcl":
        return None if is_passive(verb) else relative_antecedent(verb)  # "who had been arrested": the patient
    if dep == "acl" and head.pos_ in ("NOUN", "PROPN"):
        return head if verb.tag_ == "VBG" else None
    return None


def prep_objects(token: Token, words: tuple[str, ...] | frozenset[str]) -> Iterator[Token]:
    """Objects of prepositions attached to ``token`` whose word is in ``words``."""
    for child in token.children:
        if child.dep_ in ("prep", "agent", "dative") and child.lower_ in words:
            for grand in child.children:
                if grand.dep_ == "pobj":
                    yield grand
                elif grand.dep_ == "pcomp":
                    yield from (g for g in grand.children if g.dep_ == "pobj")


def nearest_verb(token: Token) -> Token:
    """The token itself if it is a verb, else the closest verb (or the root) above it."""
    node = token
    for _ in range(10):
        if node.pos_ in ("VERB", "AUX") or node.head.i == node.i:
            return node
        node = node.head
    return node


def clause_head(token: Token) -> Token:
    """The verb that heads the clause a token sits in (the token itself for a verb)."""
    current = token
    for _ in range(40):
        if current.pos_ in ("VERB", "AUX") and (current.dep_ in CLAUSE_DEPS or current.head.i == current.i):
            return current
        if current.head.i == current.i:
            return current
        current = current.head
    return current
