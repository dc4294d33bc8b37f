"""Argument stage: who acted and on whom, read from the dependency tree for each trigger.

Each trigger's lexicon entry lists the roles to try, in order, for the actor and the recipient
(see ``lexicon/README.md``). The answer is a set of head tokens; coordinated heads ("Iran and
Oman") become several actors. The entities stage turns heads into coded mentions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from spacy.language import Language
from spacy.tokens import Doc, Token

from newsevents.annotations import Arguments, Trigger, register_extensions
from newsevents.components.syntax import (
    agent_of,
    clause_subject,
    conjuncts,
    direct_object,
    is_passive,
    prep_objects,
)
from newsevents.components.triggers import finder_for

__all__ = ["find_arguments", "arguments_for"]

_NOT_ACTORS = frozenset({"it", "there", "this", "that", "which", "what", "who", "whom", "itself"})
_ARG_POS = frozenset({"NOUN", "PROPN", "PRON", "NUM", "ADJ"})


def _usable(token: Token | None) -> bool:
    if token is None:
        return False
    if token.pos_ not in _ARG_POS:
        return False
    if token.pos_ == "ADJ" and token.ent_type_ not in ("NORP", "GPE"):
        return False
    return not (token.pos_ == "PRON" and token.lower_ in _NOT_ACTORS and token.dep_ != "nsubj")


_QUANTIFIERS = frozenset(
    {"thousands", "hundreds", "dozens", "scores", "tens", "millions", "number", "some", "many", "most",
     "all", "several", "few", "group", "crowd", "crowds", "members", "one", "two", "three", "majority"}
)  # fmt: skip


def _content_head(token: Token) -> Token:
    """ "Thousands of protesters" → protesters; "a group of soldiers" → soldiers."""
    if token.lower_ in _QUANTIFIERS or token.pos_ == "NUM":
        inner = next(iter(prep_objects(token, ("of",))), None)
        if inner is not None:
            return inner
    return token


def _expand(heads: Iterable[Token]) -> tuple[int, ...]:
    seen: list[int] = []
    for head in (_content_head(h) for h in heads):
        for t in conjuncts(head):
            if _usable(t) and t.i not in seen:
                seen.append(t.i)
    return tuple(seen)


def _nominal_actor(noun: Token, role: str) -> Token | None:
    if role == "poss":
        return next((c for c in noun.children if c.dep_ == "poss" and c.tag_ != "PRP$"), None) or next(
            (c for c in noun.children if c.dep_ == "poss"), None
        )
    if role in ("amod", "compound"):
        for c in noun.children:
            if c.i < noun.i and c.dep_ == role and (c.ent_type_ in ("NORP", "GPE", "ORG") or c.pos_ == "PROPN"):
                return c
        return None
    return None


_ENGAGED = frozenset({"engage", "involve", "embroil", "lock", "mire", "implicate"})
"""Passive participles whose subject is the actor of the event they govern ("forces were
engaged in ethnic cleansing", "troops were involved in the raid")."""


def _governing_clause_subject(noun: Token) -> Token | None:
    """For a nominal event in a PP or object, the subject of the clause around it."""
    current = noun
    for _ in range(10):
        if current.head.i == current.i:
            return None
        current = current.head
        if current.pos_ in ("VERB", "AUX"):
            subj = clause_subject(current)
            if subj is None and current.lemma_.lower() in _ENGAGED:
                subj = next((c for c in current.children if c.dep_ == "nsubjpass"), None)
            return subj
    return None


def _under_target(noun: Token) -> Token | None:
    """ "was put under investigation", "placed X under house arrest": the one put under it."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ != "under" or prep.head.pos_ not in ("VERB", "AUX"):
        return None
    return direct_object(prep.head)


def _governing_against(noun: Token) -> Token | None:
    """ "engaged in ethnic cleansing in Montenegro against the Albanian population"."""
    if noun.dep_ != "pobj" or noun.head.head.pos_ not in ("VERB", "AUX"):
        return None
    return next(iter(prep_objects(noun.head.head, ("against",))), None)


def _role(trigger: Trigger, doc: Doc, role: str, *, for_actor: bool) -> tuple[list[Token], str]:
    head = doc[trigger.token]
    tokens = [doc[i] for i in trigger.tokens]
    nouns = [t for t in tokens if t.pos_ in ("NOUN", "PROPN")]
    verb_like = head.pos_ in ("VERB", "AUX")
    if role == "none":
        return [], "none"
    if role == "subj":
        if verb_like:
            subj = clause_subject(head)
            if subj is not None and subj.i in trigger.tokens:
                subj = None
            return ([subj] if subj is not None else []), "subject"
        subj = _governing_clause_subject(head)
        return ([subj] if subj is not None else []), "subject of the governing clause"
    if role == "dobj":
        if verb_like:
            obj = direct_object(head)  # event nouns ("held talks") are filtered by the caller
            if obj is not None:
                return [obj], "passive subject" if is_passive(head) else "direct object"
        return [], ""
    if role == "iobj":
        for c in head.children:
            if c.dep_ == "dative" and c.pos_ in ("NOUN", "PROPN", "PRON"):
                return [c], "indirect object"
        found = [t for tok in tokens for t in prep_objects(tok, ("to",))]
        return found[:1], "to-object"
    if role == "ccomp_subj":
        for c in head.children:
            if c.dep_ == "ccomp":
                subj = clause_subject(c)
                if subj is not None:
                    return [subj], "subject of the reported clause"
        return [], ""
    if role == "xcomp_obj":
        for c in head.children:
            if c.dep_ in ("xcomp", "ccomp"):
                obj = direct_object(c)
                if obj is not None:
                    return [obj], "object of the complement"
        return [], ""
    if role in ("poss", "amod", "compound"):
        for noun in nouns or [head]:
            found_tok = _nominal_actor(noun, role)
            if found_tok is not None:
                return [found_tok], f"{role} of the event noun"
        return [], ""
    if role == "by" and verb_like and is_passive(head):
        agent = agent_of(head)
        return ([agent] if agent is not None else []), "passive agent"
    if role.isalpha():  # any other role is a preposition
        found = [t for tok in tokens for t in prep_objects(tok, (role,))]
        if not found and verb_like:
            obj = direct_object(head)
            if obj is not None and obj.i not in trigger.tokens and role in ("with", "against", "on", "to"):
                found = list(prep_objects(obj, (role,))) if not for_actor else []
        return found[:1], f"object of '{role}'"
    return [], ""


_INSTRUMENT_PREPS = ("in", "during", "by", "after", "with", "through")


def _event_noun_actor(noun: Token) -> Token | None:
    """The actor named inside an event noun: "an air strike by government forces", "Israeli raids"."""
    by = next(iter(prep_objects(noun, ("by",))), None)
    if by is not None:
        return by
    for role in ("poss", "amod", "compound"):
        found = _nominal_actor(noun, role)
        if found is not None:
            return found
    return None


def _instrument_actor(verb: Token, event_nouns: frozenset[str]) -> tuple[Token | None, str]:
    """For "were killed in an air strike by X" or "airstrikes killed 20": the actor of the event noun."""
    subj = clause_subject(verb)
    if subj is not None and subj.pos_ == "NOUN" and subj.lemma_.lower() in event_nouns:
        found = _event_noun_actor(subj)
        if found is not None:
            return found, "actor of the event noun in subject position"
    for noun in prep_objects(verb, _INSTRUMENT_PREPS):
        if noun.pos_ == "NOUN" and noun.lemma_.lower() in event_nouns:
            found = _event_noun_actor(noun)
            if found is not None:
                return found, f"actor of the event noun '{noun.text}'"
    return None, ""


def _through_event_nouns(heads: list[Token], rule: str, event_nouns: frozenset[str]) -> tuple[list[Token], str]:
    """ "condemned the air strikes by Israel" → the recipient is who struck, not the strikes."""
    out: list[Token] = []
    for head in heads:
        if head.pos_ == "NOUN" and head.lemma_.lower() in event_nouns:
            inner = _event_noun_actor(head)  # an event noun is never itself the recipient
            if inner is not None:
                out.append(inner)
                rule = f"{rule}, actor of the event noun '{head.text}'"
        else:
            out.append(head)
    return out, rule


def arguments_for(doc: Doc, trigger: Trigger, event_nouns: frozenset[str] = frozenset()) -> Arguments:
    """Actor and recipient heads for one trigger. ``event_nouns``: lemmas of event nouns."""
    actor: tuple[int, ...] = ()
    actor_rule = ""
    head = doc[trigger.token]
    if not trigger.nominal and head.pos_ in ("VERB", "AUX"):
        instrument, rule = _instrument_actor(head, event_nouns)
        if instrument is not None:
            actor, actor_rule = _expand([instrument]), rule
    for role in () if actor else trigger.actor_roles:
        heads, rule = _role(trigger, doc, role, for_actor=True)
        heads, rule = _through_event_nouns(heads, rule, event_nouns)
        actor = _expand(heads)
        if actor:
            actor_rule = rule
            break
    recipient: tuple[int, ...] = ()
    recipient_rule = ""
    roles = trigger.recipient_roles
    if head.pos_ in ("VERB", "AUX") and "xcomp_obj" not in roles and "none" not in roles:
        roles = (*roles, "xcomp_obj")
    for role in roles:
        heads, rule = _role(trigger, doc, role, for_actor=False)
        heads, rule = _through_event_nouns(heads, rule, event_nouns)
        recipient = tuple(i for i in _expand(heads) if i not in actor)
        if recipient:
            recipient_rule = rule
            break
    if not recipient and head.pos_ in ("VERB", "AUX") and "none" not in trigger.recipient_roles:
        recipient, recipient_rule = _object_partner(head, actor)
    if not recipient and trigger.nominal and "none" not in trigger.recipient_roles:
        for finder, rule in ((_under_target, "put under the event noun"), (_governing_against, "'against' on the governing verb")):
            found_tok = finder(head)
            if found_tok is not None:
                recipient = tuple(i for i in _expand([found_tok]) if i not in actor)
                if recipient:
                    recipient_rule = rule
                    break
    return Arguments(actor=actor, recipient=recipient, actor_rule=actor_rule, recipient_rule=recipient_rule)


_PARTNER_PREPS = ("with", "against", "on", "to", "toward", "towards")


def _object_partner(verb: Token, actor: tuple[int, ...]) -> tuple[tuple[int, ...], str]:
    """Fallback: "endorsed an agreement with the EU" → the EU, through the object's preposition."""
    obj = direct_object(verb)
    if obj is None:
        return (), ""
    for prep in _PARTNER_PREPS:
        found = [t for t in prep_objects(obj, (prep,)) if t.pos_ in ("PROPN", "NOUN", "PRON")]
        if found:
            return tuple(i for i in _expand(found[:1]) if i not in actor), f"object of '{prep}' on the direct object"
    return (), ""


def find_arguments(doc: Doc, lexicon_dir: str | None = None) -> dict[str, Arguments]:
    nouns = finder_for(lexicon_dir).event_nouns
    return {t.id: arguments_for(doc, t, nouns) for t in (doc._.ne_triggers or [])}


@Language.factory(
    "newsevents_arguments",
    default_config={"lexicon_dir": None},
    requires=["doc._.ne_triggers", "token.dep"],
    assigns=["doc._.ne_arguments"],
)
def make_arguments(nlp: Language, name: str, lexicon_dir: str | None) -> Callable[[Doc], Doc]:
    register_extensions()

    def arguments(doc: Doc) -> Doc:
        doc._.ne_arguments = find_arguments(doc, lexicon_dir)
        return doc

    return arguments
