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
from newsevents.components.entities import list_modifier, mention_at
from newsevents.components.syntax import (
    agent_of,
    clause_subject,
    conjuncts,
    direct_object,
    is_passive,
    prep_objects,
)
from newsevents.components.triggers import finder_for
from newsevents.knowledge import code_phrase

__all__ = ["find_arguments", "arguments_for"]

_NOT_ACTORS = frozenset({"it", "there", "this", "that", "which", "what", "who", "whom", "itself"})
_ARG_POS = frozenset({"NOUN", "PROPN", "PRON", "NUM", "ADJ"})


_TIME_ENTS = frozenset({"DATE", "TIME"})
_AMOUNT_ENTS = frozenset({"MONEY", "PERCENT", "QUANTITY"})
_NAME_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP"})


def _usable(token: Token | None) -> bool:
    if token is None:
        return False
    if token.ent_type_ in _TIME_ENTS:
        return False  # "on Saturday", "Tuesday": a date is never a participant
    if token.ent_type_ in _AMOUNT_ENTS:
        return False  # "$25 million", "40 percent", "200 tonnes": an amount is never a participant
    if token.pos_ == "PRON" and token.lower_.endswith(("self", "selves")):
        return False  # reflexive: "attacked themselves" names no one new
    if token.pos_ not in _ARG_POS:
        # a mis-tagged word inside a name ("Barack/ADP Obama") still names the participant
        return token.ent_type_ in _NAME_ENTS and token.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")
    if token.pos_ == "ADJ" and token.ent_type_ not in ("NORP", "GPE"):
        return False
    first_second = token.pos_ == "NOUN" and any(c.dep_ == "poss" and c.lower_ in _FIRST_SECOND for c in token.children)
    if first_second and not _of_a_country(token):
        return False  # "our friends", "your people": no one the text names
    if token.pos_ == "PRON" and token.lower_ == "it" and token.dep_ == "pobj":
        return _of_a_country(token)  # "fired at it": usable when it resolves to a party
    return not (token.pos_ == "PRON" and token.lower_ in _NOT_ACTORS and token.dep_ != "nsubj")


_FIRST_SECOND = frozenset({"our", "my", "your"})


def _of_a_country(token: Token) -> bool:
    """The token's mention is coded with a country."""
    mention = mention_at(token.doc, token.i)
    return mention is not None and mention.code is not None and mention.code.country is not None

_QUANTIFIERS = frozenset(
    {"thousands", "hundreds", "dozens", "scores", "tens", "millions", "number", "some", "many", "most",
     "all", "several", "few", "group", "crowd", "crowds", "members", "member", "one", "two", "three", "majority"}
)  # fmt: skip


_MESSAGE_NOUNS = frozenset(
    {"statement", "communique", "communiqué", "letter", "message", "remark", "comment", "announcement",
     "declaration", "note", "speech", "report", "memo", "memorandum", "appeal", "press release",
     "allegation", "accusation", "claim", "charge"}
)  # fmt: skip
"""Nouns for what someone said or wrote: they act for their author ("the statement by X")."""

_PART_NOUNS = frozenset(
    {"part", "parts", "area", "areas", "section", "sections", "outskirts", "centre", "center", "heart",
     "edge", "east", "west", "north", "south", "territory", "swathe", "swath", "stretch", "corner"}
)  # fmt: skip
"""Nouns that only locate inside their "of" object: "a part of Aleppo", "the outskirts of Kabul"."""

_HELD_NOUNS = frozenset(
    {"target", "position", "base", "headquarters", "stronghold", "outpost", "office", "embassy",
     "consulate", "facility", "camp", "convoy", "vessel", "ship", "boat", "plane", "aircraft", "jet",
     "building", "compound", "installation", "site", "hideout", "checkpoint", "post", "city", "town",
     "village", "province", "capital", "port", "airport", "border", "warship", "tanker", "drone", "helicopter",
     "home", "house", "property", "land", "farm", "mosque", "church", "school", "hospital", "depot",
     "refinery", "warehouse", "factory", "barracks", "airbase", "airfield", "bridge", "pipeline"}
)  # fmt: skip
"""Things that stand for their owner when the owner is named on them: "an Islamic State target",
"the Russian building", "Syria's second city"."""

_CRAFT = frozenset({"convoy", "vessel", "ship", "boat", "plane", "aircraft", "jet", "warship", "tanker", "drone", "helicopter"})
"""Held things that travel: "from X" on them names their owner ("a vessel from South Korea")."""


def _coded(token: Token) -> bool:
    mention = mention_at(token.doc, token.i)
    if mention is not None and mention.code is not None and mention.start <= token.i < mention.end:
        return True
    if token.dep_ not in ("amod", "compound", "poss", "nmod", "appos"):
        return False
    if token.ent_type_ in ("NORP", "GPE", "ORG"):
        return code_phrase(token.doc[token.i : token.i + 1]) is not None
    if token.pos_ == "PROPN":  # "US Predator attacks": an untagged "US", never a bare name ("Patriot missiles")
        code = code_phrase(token.doc[token.i : token.i + 1])
        return code is not None and (code.country is not None or code.code is not None)
    return False


def _front_owner(token: Token, *, pronouns: bool = True) -> Token | None:
    """A coded compound, adjective, possessor or nmod in front of a noun ("the Russian building",
    "the EU's support"); possessive pronouns ("its") only with ``pronouns``."""
    for child in token.children:
        if child.dep_ in ("compound", "amod", "poss", "nmod") and child.i < token.i and (pronouns or child.tag_ != "PRP$") and _coded(child):
            return child
    return None


def _owner(token: Token) -> Token | None:
    """The named owner on a thing noun: a coded compound, adjective, possessor or apposition."""
    front = _front_owner(token)
    if front is not None:
        return front
    for child in token.children:
        if child.dep_ == "appos" and _coded(child):
            return child
    lemma = token.lemma_.lower()
    if lemma in _HELD_NOUNS:
        # "the embassy of Denmark"; "from" only on craft ("a naval vessel from South Korea"): on a
        # place it is where something came from ("fired at the town from the Gaza Strip")
        for pobj in prep_objects(token, ("from", "of") if lemma in _CRAFT else ("of",)):
            if pobj.pos_ == "PROPN" and _coded(pobj):
                return pobj
    return None


_RELEASE_VERBS = frozenset({"release", "publish", "issue", "unveil", "present", "circulate", "distribute"})


def _released_in(message: Token) -> Token | None:
    """ "a report released Tuesday in the Rwandan capital": with no author named, the country
    where a message was issued (a coded country or capital) speaks through it."""
    for acl in message.children:
        if acl.dep_ == "acl" and acl.tag_ == "VBN" and acl.lemma_.lower() in _RELEASE_VERBS:
            for place in prep_objects(acl, ("in",)):
                if _coded(place):
                    return place
                owner = _owner(place) if place.pos_ == "NOUN" else None  # "the Rwandan capital"
                if owner is not None:
                    return owner
    return None


_RELATIONAL = frozenset(
    {"ally", "allies", "partner", "partners", "proxy", "proxies", "friend", "friends", "supporter",
     "supporters", "backer", "backers", "rival", "rivals", "enemy", "enemies", "foe", "foes",
     "neighbour", "neighbours", "neighbor", "neighbors", "heritage", "origin", "descent"}
)  # fmt: skip
"""Nouns whose owner is someone else than the referent: "Iranian allies" are not Iran."""


def _thing(token: Token) -> bool:
    """An uncoded common noun that names no one ("policies", "support"), unlike a role noun
    ("counterpart", "governor"), a relation ("allies") or a name."""
    if token.pos_ != "NOUN" or _coded(token) or _has_role(token) or token.lemma_.lower() in _RELATIONAL or token.lower_ in _RELATIONAL:
        return False
    return code_phrase(token.doc[token.i : token.i + 1]) is None


def _content_head(token: Token) -> Token:
    """ "Thousands of protesters" → protesters; "a group of soldiers" → soldiers; "a part of
    Syria's second city" → Syria; "an Islamic State target" → Islamic State."""
    if token.ent_type_ in _TIME_ENTS:
        # a parse that hangs a name on a date ("President Bashar Assad Tuesday"): the name
        names = [c for c in token.children if c.dep_ == "compound" and c.ent_type_ in _NAME_ENTS]
        # "a treaty with Libya's almost five years after": a name made possessor of a date
        names = names or [c for c in token.children if c.dep_ == "poss" and c.pos_ == "PROPN" and _coded(c)]
        if names:
            token = names[-1]
    for _ in range(4):
        lemma = token.lower_
        if token.lemma_.lower() in _MESSAGE_NOUNS and token.pos_ == "NOUN":
            author = (
                next(iter(prep_objects(token, ("by", "from"))), None)
                or next((c for c in token.children if c.dep_ == "poss"), None)
                or _released_in(token)
            )
            if author is not None:
                token = author  # "the statement by the French presidency" → the presidency
                continue
            return token
        if lemma in _QUANTIFIERS or token.pos_ == "NUM":
            inner = next(iter(prep_objects(token, ("of",))), None)
            if inner is not None:
                token = inner
                continue
            return token
        if _coded(token):
            return token
        described = next((c for c in token.children if c.dep_ == "appos" and c.i > token.i and _coded(c)), None)
        if described is not None and token.pos_ == "PROPN":
            return described  # "Kenzo Oshima, the United Nations relief coordinator": the apposition codes him
        if lemma in _PART_NOUNS or token.lemma_.lower() in _PART_NOUNS:
            inner = next(iter(prep_objects(token, ("of",))), None)
            if inner is not None:
                token = inner
                continue
        if token.lemma_.lower() in _HELD_NOUNS:
            owner = _owner(token)
            if owner is not None:
                return owner
        return token
    return token


def _listed(token: Token) -> list[Token]:
    """A token and its coordinated tokens, including list appositions ("the US, Russia, and
    Switzerland" parses Russia as an apposition with its own conjunct) and, for a mis-tagged
    word inside a name, the conjuncts of the name's other words."""
    if token.pos_ not in _ARG_POS and token.ent_iob_ == "B":
        end = token.i + 1
        while end < len(token.doc) and token.doc[end].ent_iob_ == "I":
            end += 1
        if end - 1 > token.i and token.doc[end - 1].pos_ == "PROPN":
            token = token.doc[end - 1]  # the name's last word carries the parse ("Obama" in "Barack/ADP Obama")
    out = conjuncts(token)
    for member in list(out):
        for child in member.children:
            listed = child.dep_ == "appos" and child.pos_ == "PROPN" and child.ent_type_ in ("GPE", "ORG", "NORP")
            if listed and (any(c.dep_ == "conj" for c in child.children) or child.ent_type_ == member.ent_type_ == "GPE"):
                out.extend(t for t in conjuncts(child) if t not in out)
    return out


def _repaired_list(token: Token, listed: list[Token]) -> list[Token] | None:
    """A subject list the parser broke, repaired ("Lions, tigers, and Gondor welcomed", "the evil
    awful Gondor"), or None when the parse needed no repair."""
    out = list(listed)
    if token.dep_ in ("nsubj", "nsubjpass"):
        out.extend(t for t in _broken_subject_list(token) if t not in out)
    out = [_named_after(t, out) for t in out]
    return out if out != listed else None


def _broken_subject_list(subj: Token) -> list[Token]:
    """Subject lists the parser breaks: "Lions, tigers, and Gondor welcomed" gives the verb two
    subjects; "Arnor, Calenardhon and the evil Gondor" hangs the list on the last name."""
    found: list[Token] = []
    doc = subj.doc
    for sib in subj.head.children:
        if sib.dep_ != subj.dep_ or sib.i == subj.i or sib.i > subj.head.i or sib.pos_ not in ("NOUN", "PROPN"):
            continue
        between = doc[min(sib.i, subj.i) + 1 : max(sib.i, subj.i)]
        if any(t.pos_ in ("VERB", "AUX") or t.tag_ in ("WP", "WP$", "WDT") for t in between):
            continue  # "Russia and Turkey, whose ministers met ...": a clause, not a list
        if any(t.lower_ in (",", "and", "or") for t in between):  # a list, not a name cut in pieces ("al - Shabab")
            found.extend(conjuncts(sib))
    for child in subj.lefts:
        if list_modifier(child):
            found.extend(conjuncts(child))
    return found


def _named_after(member: Token, listed: list[Token]) -> Token:
    """ "the evil awful Gondor" parsed as a noun "awful" plus Gondor elsewhere: the name."""
    doc = member.doc
    if member.pos_ not in ("NOUN", "ADJ") or member.i + 1 >= len(doc) or _coded(member):
        return member
    nxt = doc[member.i + 1]
    if nxt.pos_ == "PROPN" and (nxt in listed or nxt.dep_ == "appos") and _coded(nxt):
        return nxt
    return member


_PLURAL_PRONOUNS = frozenset({"they", "them", "we"})


_LOCATIVE_PREPS = frozenset({"in", "at", "near", "inside", "outside", "into", "across", "throughout"})


def _plural_antecedent(pron: Token) -> list[Token]:
    """ "Obama and Putin said they will attack": a plural pronoun after a coordinated subject
    in the same sentence stands for all of its members; "them" also after a coordinated object
    ("freeze the assets of the individuals and companies in Britain and ban them") but never
    after a place in a locative phrase."""
    if pron.pos_ != "PRON" or pron.lower_ not in _PLURAL_PRONOUNS:
        return []
    deps = ("nsubj", "nsubjpass", "dobj", "pobj") if pron.lower_ == "them" else ("nsubj", "nsubjpass")
    for tok in reversed(list(pron.sent)[: pron.i - pron.sent.start]):
        if tok.dep_ not in deps or tok.pos_ not in ("PROPN", "NOUN") or len(conjuncts(tok)) < 2:
            continue
        if tok.dep_ == "pobj" and tok.head.lower_ in _LOCATIVE_PREPS:
            continue
        return conjuncts(tok)
    return []


def _expand(heads: Iterable[Token]) -> tuple[int, ...]:
    seen: list[int] = []
    heads = [t for h in heads for t in (_plural_antecedent(h) or [h])]
    for head in heads:
        plain = _listed(head)
        repaired = _repaired_list(head, plain)
        start = len(seen)
        for member in repaired or plain:
            t = _content_head(member)
            if _usable(t) and t.i not in seen:
                seen.append(t.i)
        if repaired is not None and any(_coded(head.doc[i]) for i in seen[start:]):
            # a repaired list ("Lions, tigers, and Gondor welcomed"): words no knowledge codes are
            # not listed beside a named actor; plain conjuncts ("US jets and helicopters") stay
            seen = seen[:start] + [i for i in seen[start:] if _coded(head.doc[i]) or _has_role(head.doc[i])]
    return tuple(seen)


def _has_role(token: Token) -> bool:
    mention = mention_at(token.doc, token.i)
    return mention is not None and mention.code is not None


def _nominal_actor(noun: Token, role: str) -> Token | None:
    if role == "poss":
        return next((c for c in noun.children if c.dep_ == "poss" and c.tag_ != "PRP$"), None) or next(
            (c for c in noun.children if c.dep_ == "poss"), None
        )
    if role in ("amod", "compound"):
        named = [c for c in noun.children if c.i < noun.i and c.dep_ == role and (c.ent_type_ in ("NORP", "GPE", "ORG") or c.pos_ == "PROPN")]
        coded = [c for c in named if _coded(c)]  # "US Predator attacks": the coded name, not the drone's
        if named:
            return (coded or named)[0]
        if role == "compound":
            # "Israeli tank shelling": the named owner of the instrument noun in front
            for c in noun.children:
                if c.i < noun.i and c.dep_ == "compound" and c.pos_ == "NOUN":
                    owners = [g for g in c.children if g.dep_ in ("amod", "compound") and (g.ent_type_ in ("NORP", "GPE", "ORG") or _coded(g))]
                    if owners:  # "US Predator attacks": the owner of the drone
                        return owners[0] if _coded(owners[0]) else c
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


def _engaged_in(noun: Token) -> Token | None:
    """ "engaged peacekeepers in a firefight": the object of the verb the event noun is 'in'."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ != "in" or prep.head.pos_ != "VERB":
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
            if c.dep_ == "ccomp" and c.lemma_.lower() == "be" and not any(o.dep_ in ("dobj", "dative") for o in c.children):
                # "allowed that Mordor isn't a pleasant place": the clause is about its subject
                subj = clause_subject(c)
                if subj is not None and subj != clause_subject(head) and _coded(subj):
                    return [subj], "subject of the complement clause"
                continue
            if c.dep_ == "xcomp" or (c.dep_ == "ccomp" and not is_passive(c)):  # not "agree that disputes be resolved"
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


_AGENT_NOUNS = frozenset({"bomber", "attacker", "gunman", "assailant", "sniper", "raider", "hijacker", "kidnapper"})
"""Event-trigger nouns that name who does the deed ("a suicide bomber killed 12"): as a
participant they are the actor, not an event to look inside."""

_INSTRUMENT_PREPS = ("in", "during", "by", "after", "with", "through")
_VICTIM_TYPES = frozenset({"ACCUSE"})
"""Event types whose object event's target is its victim: "condemned the strikes on the camp"
is addressed to whoever struck, not to the camp."""


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
    if subj is not None and subj.pos_ == "NOUN" and subj.lemma_.lower() in event_nouns and subj.lemma_.lower() not in _AGENT_NOUNS:
        found = _event_noun_actor(subj)
        if found is not None:
            return found, "actor of the event noun in subject position"
    for noun in prep_objects(verb, _INSTRUMENT_PREPS):
        if noun.pos_ == "NOUN" and noun.lemma_.lower() in event_nouns:
            found = _event_noun_actor(noun)
            if found is not None:
                return found, f"actor of the event noun '{noun.text}'"
        elif noun.pos_ == "NOUN" and is_passive(verb) and _armed_platform(noun):
            return noun, f"the force whose '{noun.text}' did it"  # "were killed in Israeli tank shelling"
    return None, ""


def _armed_platform(noun: Token) -> bool:
    """A coded military noun ("Israeli tank", "Russian warplanes") standing for its force."""
    mention = mention_at(noun.doc, noun.i)
    code = mention.code if mention is not None and mention.head == noun.i else None
    return code is not None and code.country is not None and code.sector == "MIL"


def _through_event_nouns(
    heads: list[Token], rule: str, event_nouns: frozenset[str], *, for_actor: bool = True, take_target: bool = True
) -> tuple[list[Token], str]:
    """ "condemned the air strikes by Israel" → the recipient is who struck, not the strikes.
    With ``take_target`` false (disapproval: "condemned the strikes on the camp") the target of
    the event noun is its victim, not the recipient."""
    out: list[Token] = []
    for head in heads:
        if head.pos_ == "NOUN" and head.lemma_.lower() in event_nouns and head.lemma_.lower() not in _AGENT_NOUNS:
            inner = _event_noun_actor(head)  # an event noun is never itself the recipient
            if inner is not None:
                out.append(inner)
                rule = f"{rule}, actor of the event noun '{head.text}'"
            elif not for_actor and take_target:
                # "agreed to lift the sanctions on Iran": the target of the event noun
                target = next(iter(prep_objects(head, ("on", "against"))), None)
                if target is not None:
                    out.append(target)
                    rule = f"{rule}, target of the event noun '{head.text}'"
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
        actor = tuple(i for i in _expand(heads) if i not in trigger.tokens)  # "the number of arrests"
        if actor:
            actor_rule = rule
            break
    if not actor and head.pos_ == "VERB" and is_passive(head) and trigger.cameo[:2] in _FROM_IS_ORIGIN:
        # "a mortar bomb was fired at Israel from the Gaza Strip": with no agent named, the force
        # is attributed to the named place it came from
        origin = next((o for o in prep_objects(head, ("from",)) if _coded(o)), None)
        if origin is not None:
            actor, actor_rule = _expand([origin]), "origin of the force (no agent named)"
    recipient: tuple[int, ...] = ()
    recipient_rule = ""
    roles = trigger.recipient_roles
    if head.pos_ in ("VERB", "AUX") and "xcomp_obj" not in roles and "none" not in roles:
        roles = (*roles, "xcomp_obj")
    for role in roles:
        heads, rule = _role(trigger, doc, role, for_actor=False)
        heads, rule = _through_event_nouns(
            heads, rule, event_nouns, for_actor=False, take_target=trigger.event_type not in _VICTIM_TYPES
        )
        recipient = tuple(i for i in _expand(heads) if i not in actor)
        if recipient:
            recipient_rule = rule
            break
    uncoded_thing = (
        recipient_rule in ("direct object", "object of the complement") or recipient_rule.startswith("object of '")
    ) and not any(_coded(doc[i]) or doc[i].pos_ != "NOUN" for i in recipient)
    if uncoded_thing and recipient_rule == "object of the complement" and head.pos_ in ("VERB", "AUX"):
        # "threatened to deliver devastating blows to the United States": the complement's partner
        complement = next((c for c in head.children if c.dep_ in ("xcomp", "ccomp")), None)
        if complement is not None:
            partner, partner_rule = _object_partner(complement, actor, event_nouns, cameo=trigger.cameo)
            if partner and any(_coded(doc[i]) for i in partner):
                recipient, recipient_rule, uncoded_thing = partner, partner_rule + " (of the complement)", False
    if head.pos_ in ("VERB", "AUX") and "none" not in trigger.recipient_roles and (not recipient or uncoded_thing):
        # "endorsed an association agreement with the EU": the partner, not the document
        partner, partner_rule = _object_partner(head, actor, event_nouns, cameo=trigger.cameo, tokens=trigger.tokens)
        obj = direct_object(head)
        if trigger.event_type in _VICTIM_TYPES and obj is not None and obj.lemma_.lower() in event_nouns:
            partner = ()  # "condemned the strikes on the camp": the camp is the victim
        if partner and (not recipient or any(_coded(doc[i]) for i in partner)):
            recipient, recipient_rule = partner, partner_rule
    if recipient and not trigger.symmetric and all(_thing(doc[i]) for i in recipient):
        # "riots against Israeli military policies", "rejected a US proposal": a thing's named
        # owner is whom the act is aimed at
        owners = [o for o in (_front_owner(doc[i], pronouns=False) for i in recipient) if o is not None and o.i not in actor]
        if owners:
            recipient = tuple(i for i in _expand(owners) if i not in actor)
            recipient_rule = f"{recipient_rule}, the named owner of the thing"
    if not recipient and trigger.nominal and "none" not in trigger.recipient_roles:
        for finder, rule in (
            (_under_target, "put under the event noun"),
            (_governing_against, "'against' on the governing verb"),
            (_engaged_in, "object of the verb the event noun is 'in'"),
        ):
            found_tok = finder(head)
            if found_tok is not None:
                recipient = tuple(i for i in _expand([found_tok]) if i not in actor)
                if recipient:
                    recipient_rule = rule
                    break
    return Arguments(actor=actor, recipient=recipient, actor_rule=actor_rule, recipient_rule=recipient_rule)


_PARTNER_PREPS = ("with", "against", "on", "to", "toward", "towards")
_PATH_PREPS = frozenset({"of", "with", "between", "against", "on", "to", "toward", "towards", "for", "at", "by"})
"""Prepositions a named partner may sit behind inside the object: "a resumption of ties with
Osgiliath", "a trade protocol for 1990 with Dagolath". Never "in"/"at": a place is not a partner."""


_VERB_PARTNER_PREPS = frozenset({"with", "against", "at", "toward", "towards", "to", "on", "upon", "into", "over", "about"})
"""Prepositions on the verb whose named object is the other party ("fired shells at Seoul",
"acted with Libya"); "in"/"near" name places and are not used."""

_VISIT_CODES = frozenset({"042", "043"})
"""CAMEO visit codes: "arrived in Oman" names the host, the visit's other party."""

_FROM_IS_ORIGIN = frozenset({"15", "18", "19", "20"})
"""CAMEO roots where "from X" is where force came from ("fired from Gaza"), not a party; for
the others it is the party left or refused ("withdrew from Iraq", "departed from Libya")."""


def _named_partner(
    obj: Token, actor: tuple[int, ...], depth: int = 3, first: frozenset[str] = _PATH_PREPS
) -> tuple[Token, str] | None:
    """The first named, coded participant behind prepositions inside the object phrase (or,
    from a verb, behind its prepositional phrases: "acted on a resolution with Libya")."""
    frontier = [obj]
    for level in range(depth):
        nxt: list[Token] = []
        for tok in frontier:
            allowed = first if level == 0 else _PATH_PREPS
            for prep in tok.children:
                # "memos sent by Bree": a participle's agent is the object's author
                is_agent = prep.dep_ == "agent" and level > 0
                if not is_agent and (prep.dep_ != "prep" or prep.lower_ not in allowed):
                    continue
                for pobj in prep.children:
                    if pobj.dep_ != "pobj":
                        continue
                    if pobj.i not in actor and pobj.pos_ in ("PROPN", "PRON") and _coded(pobj):
                        return pobj, f"named in the object after '{prep.lower_}'"
                    owner = _owner(pobj) if pobj.pos_ == "NOUN" else None
                    if pobj.i not in actor and owner is not None and owner.tag_ != "PRP$" and owner.i not in actor:
                        return pobj, f"named owner's '{pobj.text}' after '{prep.lower_}'"  # "to the Ithilen villages"
                    nxt.append(pobj)
            # a coordinated verb only when it shares this clause ("launched a bombing and shelling
            # ... against X"), never a clause of its own ("imprisoned ... were released by Putin")
            nxt.extend(c for c in tok.children if c.dep_ == "conj" and (tok.pos_ not in ("VERB", "AUX") or _shares_clause(c)))
            starting_verb = tok is obj and tok.pos_ == "VERB"  # a search from the verb itself
            if not starting_verb:
                # "links leading into Mordor", "memos sent by Bree": participles on a noun
                nxt.extend(c for c in tok.children if c.dep_ == "acl" and c.tag_ in ("VBN", "VBG"))
        frontier = nxt
    return None


def _shares_clause(verb: Token) -> bool:
    return not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "expl") for c in verb.children)


def _object_partner(
    verb: Token,
    actor: tuple[int, ...],
    event_nouns: frozenset[str] = frozenset(),
    *,
    cameo: str = "",
    tokens: tuple[int, ...] = (),
) -> tuple[tuple[int, ...], str]:
    """Fallback: "endorsed an agreement with the EU" → the EU, through the object's preposition;
    "signed a protocol ... with Dagolath", "welcomed a resumption of ties with Osgiliath" → the
    partner named deeper in the object or on the verb. For a prepositional verb ("called for a
    boycott against X") the preposition's object is the verb's object."""
    obj = direct_object(verb)
    first = _VERB_PARTNER_PREPS if cameo[:2] in _FROM_IS_ORIGIN else _VERB_PARTNER_PREPS | {"from"}
    if cameo[:3] in _VISIT_CODES:
        first = first | {"in", "for"}  # "arrived in Gondor", "left for Minas Tirith": the host of a visit
    if obj is None:
        obj = next((o for p in verb.children if p.dep_ == "prep" and p.i in tokens for o in p.children if o.dep_ == "pobj"), None)
        named = _named_partner(verb, actor, first=first) if obj is not None else None
        if named is not None:  # "appealed to the Assad regime for help against ...": the addressee first
            return tuple(i for i in _expand([named[0]]) if i not in actor), named[1] + " on the verb"
    if obj is not None:
        for prep in _PARTNER_PREPS:
            found = [
                t
                for t in prep_objects(obj, (prep,))
                if t.pos_ in ("PROPN", "NOUN", "PRON") and t.lemma_.lower() not in event_nouns and _usable(t)
            ]
            heads = tuple(i for i in _expand(found[:1]) if i not in actor)
            if heads:  # never "an accord on Thursday"
                return heads, f"object of '{prep}' on the direct object"
        named = _named_partner(obj, actor)
        if named is not None:
            return tuple(i for i in _expand([named[0]]) if i not in actor), named[1]
    if cameo[:2] in _FROM_IS_ORIGIN:
        # "fired shells near a naval vessel from South Korea": force aimed at an owned thing
        for thing in prep_objects(verb, ("near", "at", "on", "into")):
            owner = _owner(thing) if thing.pos_ == "NOUN" and thing.lemma_.lower() in _HELD_NOUNS else None
            if owner is not None and owner.i not in actor:
                return tuple(i for i in _expand([thing]) if i not in actor), f"owner of '{thing.text}' the force was aimed at"
    named = _named_partner(verb, actor, first=first)
    if named is not None:
        return tuple(i for i in _expand([named[0]]) if i not in actor), named[1] + " on the verb"
    if cameo[:2] in _COOPERATION_ROOTS:
        purpose = _purpose_partner(verb, obj, actor)
        if purpose is not None:
            return tuple(i for i in _expand([purpose]) if i not in actor), "named in the agreement's purpose clause"
    return (), ""


_COOPERATION_ROOTS = frozenset({"03", "05", "06", "07"})
"""Roots whose purpose clause names the partner ("signed an accord to supply Gondor"); never a
meeting's ("met to discuss Syria": Syria is the topic)."""


def _purpose_partner(verb: Token, obj: Token | None, actor: tuple[int, ...]) -> Token | None:
    """ "signed an accord to supply Gondor with wheat", "a deal to sell jets to Egypt": the
    party named in the infinitive that says what the agreement is for."""
    clauses = [c for c in verb.children if c.dep_ == "advcl"]
    if obj is not None:
        clauses += [c for c in obj.children if c.dep_ in ("acl", "relcl")]
    for clause in clauses:
        if clause.tag_ != "VB" or not any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children):
            continue
        for cand in [direct_object(clause), *prep_objects(clause, ("to", "with"))]:
            if cand is not None and cand.i not in actor and cand.pos_ == "PROPN" and _coded(cand):
                return cand
        for dative in (c for c in clause.children if c.dep_ == "dative"):
            for cand in (dative, *(g for g in dative.children if g.dep_ == "pobj")):
                if cand.i not in actor and cand.pos_ == "PROPN" and _coded(cand):
                    return cand
    return None


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
