"""Trigger stage: find the words that state an event, using the reviewed lexicon.

Verbs are matched first (with their objects, particles, prepositions and complements), then
nouns. A noun that is the object of a light verb ("held talks", "launched attacks", "imposed
sanctions") becomes one trigger with its verb: the verb's subject is the actor. A noun that only
names an event inside another trigger's object ("condemned the attacks") is left to that trigger.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Token

from newsevents.annotations import Trigger, register_extensions
from newsevents.components.factuality import SPEECH_VERBS
from newsevents.components.syntax import (
    OBJ_DEPS,
    agent_of,
    clause_subject,
    direct_object,
    is_infinitival,
    is_passive,
    prep_objects,
)
from newsevents.knowledge import code_phrase
from newsevents.lexicon.causes import non_political
from newsevents.lexicon.schema import LexiconEntry, load_lexicon
from newsevents.ontology import cameo_info

SPEECH_DEMAND_CODE = "100"
"""A speech verb over a clause with "must"/"should" states a demand (CAMEO 100)."""

__all__ = ["TriggerFinder", "LIGHT_VERBS", "find_triggers", "finder_for", "natural_cause"]

LIGHT_VERBS = frozenset(
    {
        "hold", "launch", "carry", "conduct", "stage", "make", "issue", "express", "impose",
        "have", "give", "mount", "take", "pay", "wage", "begin", "start", "continue", "resume",
        "lead", "organize", "organise", "perform", "unleash", "announce", "deliver", "offer",
        "extend", "lodge", "file", "level", "voice", "step", "intensify", "escalate", "sign",
        "reach", "conclude", "seal", "strike", "open", "lift", "ease", "send", "provide",
        "reiterate", "renew", "repeat", "restate", "tighten", "undertake", "enforce", "join",
        "attend", "declare",
    }
)  # fmt: skip
"""Verbs whose meaning comes from their object noun when the noun is a trigger."""



_TEMPORAL_PREPS = frozenset({"after", "before", "during", "since", "following", "ahead", "until", "amid"})


def _dates_only(prep: Token) -> bool:
    """A prepositional phrase that only gives a time: "on Monday", "in March"."""
    objs = [c for c in prep.children if c.dep_ == "pobj"]
    return bool(objs) and all(o.ent_type_ in ("DATE", "TIME") for o in objs)


def _in_temporal_phrase(noun: Token) -> bool:
    return noun.dep_ == "pobj" and noun.head.lower_ in _TEMPORAL_PREPS


_TEMPORAL_MARKS = frozenset({"after", "before", "since", "until", "till", "following"})


def _in_temporal_clause(verb: Token) -> bool:
    """ "two weeks after rebels kidnapped peacekeepers", "before leaving for Beijing": a clause
    that only dates the main event refers to another event, told elsewhere (its date is not the
    sentence's)."""
    if verb.dep_ in ("advcl", "relcl", "acl", "ccomp"):
        # "a day before Sarkozy heads to Beijing" (parsed as a relative clause on "day")
        return any(c.dep_ == "mark" and c.lower_ in _TEMPORAL_MARKS for c in verb.children)
    if verb.dep_ == "pcomp":
        return verb.head.lower_ in _TEMPORAL_MARKS
    return False


_HARM_ROOTS = frozenset({"17", "18", "19", "20"})
"""CAMEO roots whose verbs (kill, injure, destroy, damage, ...) also describe disasters."""

_CAUSE_PREPS = ("in", "by", "from", "during")
_ACTOR_ENTS = frozenset({"NORP", "GPE", "ORG", "PERSON"})


def natural_cause(noun: Token) -> bool:
    """A flood, an earthquake, a fire or an accident (``lexicon/non_political.yaml``), not
    someone's weapon: "sniper fire", "Israeli fire" and "the army's fire" are political."""
    if noun.pos_ not in ("NOUN", "PROPN"):
        return False
    lists = non_political()
    lemma = noun.lemma_.lower()
    words = {lemma, noun.lower_}
    for c in noun.children:
        if c.dep_ == "compound" and c.i == noun.i - 1:
            words.add(f"{c.lower_} {lemma}")
    if not words & lists.causes:
        return False
    accident = lemma in lists.accidents or noun.lower_ in lists.accidents
    for c in noun.children:
        if c.dep_ in ("amod", "compound", "poss", "nmod") and c.i < noun.i:
            if c.lemma_.lower() in lists.political_modifiers:
                return False
            if accident:
                continue  # "the Malaysia Airlines flight MH17 crash": still an accident
            if c.ent_type_ in _ACTOR_ENTS:
                return False
            if c.dep_ == "poss" and c.tag_ != "PRP$":
                return False
    return not any(c.dep_ == "prep" and c.lower_ == "by" for c in noun.children)  # "fire by troops"


def _caused_by_nature(verb: Token) -> bool:
    """ "floods killed 14", "floods last month, which killed 14", "were killed by a landslide",
    "died in a car crash": the verb's cause is natural or accidental, not an actor."""
    agent = agent_of(verb)  # "villages struck by a cyclone", "were killed by a landslide"
    if agent is not None:
        return natural_cause(agent)
    subject = clause_subject(verb)
    if subject is not None:
        if subject.pos_ == "NOUN" and natural_cause(subject):
            return True
        if subject.pos_ in ("NOUN", "PROPN") or (subject.pos_ == "PRON" and subject.tag_ not in ("WDT", "WP")):
            return False  # someone acted ("troops killed 14 in the storm")
    return any(natural_cause(n) for n in prep_objects(verb, _CAUSE_PREPS))


def _has_own_actor(noun: Token) -> bool:
    for c in noun.children:
        if c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ == "by"):
            return True
        if c.dep_ in ("amod", "compound") and c.i < noun.i and (c.ent_type_ in ("NORP", "GPE", "ORG") or c.pos_ == "PROPN"):
            return True
    return False


_OUTCOME_NOUNS = frozenset({"result", "consequence", "victim", "toll", "casualty"})
"""Nouns whose "of" object is the event being reported ("died as a result of torture")."""


def _noun_reference(noun: Token) -> bool:
    """ "the start of a regional trip", "a role in the genocide", "a summit on the unrest": an
    event noun inside a prepositional phrase on another noun, with no participant of its own,
    names an event as a topic or circumstance; it is not reported here."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.dep_ != "prep" or prep.head.pos_ not in ("NOUN", "PROPN"):
        return False
    if prep.head.lemma_.lower() in _CONTAINERS or prep.head.lemma_.lower() in _OUTCOME_NOUNS:
        return False  # "a wave of strikes", "died as a result of torture": the events themselves
    return not _has_own_actor(noun)


_CLASSIFIED = frozenset({"MIL", "COP", "REB", "UAF", "SPY", "GOV", "OPP", "CVL"})
"""Sectors of heads that an event noun in front of them only classifies: "invasion forces",
"attack helicopters", "protest leaders", "strike force"."""

_PLANNING = frozenset({"prepare", "plan", "consider", "contemplate", "mull", "weigh", "advocate", "envisage", "rehearse"})
"""Verbs whose object event has not happened: "preparing a major offensive", "advocates
Israel's destruction"."""


def _classifier(noun: Token) -> bool:
    if noun.dep_ not in ("compound", "amod", "nmod") or noun.head.pos_ != "NOUN" or noun.head.i < noun.i:
        return False
    role = code_phrase(noun.doc[noun.head.i : noun.head.i + 1])
    return role is not None and role.sector in _CLASSIFIED and role.country is None


def _planned(noun: Token) -> bool:
    governor = noun.head
    return noun.dep_ == "dobj" and governor.pos_ == "VERB" and governor.lemma_.lower() in _PLANNING


def _background_participle(verb: Token, verb_matches: dict[int, _Match]) -> bool:
    """A past participle on a noun that another event acts on: "shortened the curfew imposed
    after the coup", "lifted sanctions imposed in 2006", "the civilians imprisoned for acting
    against Moscow were released" name an earlier act; they do not report one."""
    if verb.dep_ != "acl" or verb.tag_ != "VBN" or any(c.dep_ == "dobj" for c in verb.children):
        return False  # with an object of its own it is no reduced passive ("fields, sold crude to ...")
    noun = verb.head
    governor = noun.head
    return noun.dep_ in ("dobj", "nsubjpass", "pobj") and governor.i != verb.i and governor.i in verb_matches


def _dated_reference(noun: Token) -> bool:
    """ "the 1994 genocide", "the 2003 invasion": an event noun named by its year refers to a
    known past event; it does not report one."""
    return any(
        c.dep_ in ("nummod", "compound", "amod", "nmod") and c.ent_type_ == "DATE" and len(c.text) == 4 and c.text.isdigit()
        for c in noun.lefts
    )


_CLAIM_VERBS = frozenset({"claim", "take", "accept", "admit", "assume", "bear"})


def _claimed(noun: Token) -> bool:
    """ "claimed responsibility for a deadly attack": the attack is an event of its own, and the
    one claiming it is its actor (the subject of the governing clause)."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ != "for" or prep.head.lemma_.lower() != "responsibility":
        return False
    verb = prep.head.head
    if verb.lemma_.lower() not in _CLAIM_VERBS:
        return False
    # "denied", "never claims", "rarely claims responsibility for its assaults": no claimed act
    return not any(c.dep_ == "neg" or c.lower_ in ("never", "rarely", "seldom", "hardly") for c in verb.children)


def _governing_verb(token: Token) -> Token | None:
    """The verb whose object or prepositional phrase contains this noun, if any."""
    current = token
    for _ in range(12):
        if current.dep_ not in ("dobj", "pobj", "prep", "conj", "appos", "compound", "nsubj", "nsubjpass", "attr", "npadvmod"):
            return None
        current = current.head
        if current.pos_ in ("VERB", "AUX"):
            return current
    return None


_CONTAINERS = frozenset(
    {
        "ton", "tonne", "kg", "kilogram", "kilo", "pound", "litre", "liter", "gallon", "barrel",
        "worth", "part", "portion", "share", "number", "batch", "shipment", "consignment", "load",
        "cargo", "series", "wave", "round", "day", "week", "month", "hundred", "thousand", "dozen",
        "team", "group", "mission", "delegation", "contingent", "unit", "set", "range", "kind",
        "type", "lot", "amount", "quantity", "total", "piece", "supply", "package", "convoy",
        "return", "deployment", "shipload", "planeload", "truckload", "box", "crate", "sack",
    }
)  # fmt: skip
"""Nouns that only measure or group their "of" object: "tons of aid", "a team of inspectors"."""


def _object_candidates(obj: Token | None) -> list[Token]:
    """What an object constraint may match, best first: the content noun inside a measure or
    group noun ("700 kg of medicine" → medicine), the object itself, its conjuncts
    ("photographs and other intelligence"), then its compound modifiers ("aid deliveries")."""
    if obj is None:
        return []
    out: list[Token] = []
    if obj.lemma_.lower() in _CONTAINERS or obj.pos_ == "NUM":
        out.extend(t for t in prep_objects(obj, ("of",)) if t.pos_ in ("NOUN", "PROPN"))
    out.append(obj)
    out.extend(t for t in obj.conjuncts if t.i > obj.i)
    out.extend(c for c in obj.children if c.dep_ == "compound" and c.pos_ == "NOUN" and c.i < obj.i)
    return out


def _noun_wins(noun: LexiconEntry, verb: LexiconEntry) -> bool:
    """A noun entry that needs its own modifier ("joint drills") is more telling than a light
    verb's generic reading of the same object ("held drills")."""
    return bool(noun.compound) and noun.specificity >= verb.specificity


def _excluded(obj: Token, words: tuple[str, ...]) -> bool:
    """The object, or a modifier on it, is one of ``words`` ("executed a plan", "launched an air strike")."""
    if _lemma(obj) in words or obj.lower_ in words:
        return True
    return any(c.dep_ in ("compound", "amod", "nmod") and (_lemma(c) in words or c.lower_ in words) for c in obj.children)


def _object_verb(noun: Token) -> Token | None:
    """The verb a noun is the object of, directly or inside a measure noun ("launched ten days
    of war games" → launched)."""
    if noun.dep_ in OBJ_DEPS or (noun.dep_ == "nsubjpass" and is_passive(noun.head)):
        return noun.head
    if noun.dep_ == "conj" and noun.head.dep_ in OBJ_DEPS and noun.head.head.pos_ in ("VERB", "AUX"):
        return noun.head.head  # "announced asset freezes and travel bans"
    if noun.dep_ == "pobj" and noun.head.lower_ == "of":
        outer = noun.head.head
        if outer.lemma_.lower() in _CONTAINERS and outer.dep_ in OBJ_DEPS:
            return outer.head
    return None


@dataclass(frozen=True, slots=True)
class _Match:
    entry: LexiconEntry
    tokens: tuple[int, ...]


def _absorbed_modifiers(doc: Doc, matches: dict[int, _Match]) -> dict[int, int]:
    """Event nouns that only modify another event noun ("*arrest* warrants", "a *bombing* and
    *shelling* offensive"), mapped to the head noun that states the one event."""
    out: dict[int, int] = {}
    for i in matches:
        tok = doc[i]
        first = tok
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head  # "bombing and shelling": the list's first member attaches
        head = first.head
        if first.dep_ in ("compound", "amod", "nmod") and head.i != first.i and head.i in matches and head.i > i:
            out[i] = head.i
    return out


def _refines(modifier: LexiconEntry, head: LexiconEntry) -> bool:
    """The modifier says more about the head's event: same event type, and a code of its own
    that is not a bare root ("suicide bombing" 183 in "a suicide bombing attack" 190)."""
    same = (modifier.event_type or cameo_info(modifier.cameo).event_type) == (head.event_type or cameo_info(head.cameo).event_type)
    generic = len(modifier.cameo) == 3 and modifier.cameo.endswith("0")
    return same and modifier.cameo != head.cameo and not generic


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _children(token: Token, deps: frozenset[str] | tuple[str, ...]) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def _modifier_lemmas(token: Token) -> set[str]:
    return {
        _lemma(c)
        for c in token.children
        if c.dep_ in ("compound", "amod", "nmod", "npadvmod") and c.i < token.i
    } | {c.lower_ for c in token.children if c.dep_ in ("compound", "amod", "poss") and c.i < token.i}  # "its forces"


class TriggerFinder:
    """Matches lexicon entries against tokens. One instance per lexicon, shared by all docs."""

    def __init__(
        self,
        entries: tuple[LexiconEntry, ...],
        dictionary: tuple[LexiconEntry, ...] = (),
        dictionary_verbs: frozenset[str] = frozenset(),
    ) -> None:
        self._verbs: dict[str, list[LexiconEntry]] = {}
        self._nouns: dict[str, list[LexiconEntry]] = {}
        for entry in entries:
            table = self._nouns if entry.nominal else self._verbs
            for lemma in entry.nouns or entry.verbs:
                table.setdefault(lemma.lower(), []).append(entry)
        # a user's verb dictionary owns the verbs it lists: only its entries are tried for them
        for lemma in dictionary_verbs:
            self._verbs.pop(lemma.lower(), None)
        for entry in dictionary:
            table = self._nouns if entry.nominal else self._verbs
            for lemma in entry.nouns or entry.verbs:
                table.setdefault(lemma.lower(), []).append(entry)
        for table in (self._verbs, self._nouns):
            for options in table.values():
                options.sort(key=lambda e: -e.specificity)

    @property
    def event_nouns(self) -> frozenset[str]:
        """Lemmas that name events ("attack", "airstrike", "talks")."""
        return frozenset(self._nouns)

    # -- verbs ---------------------------------------------------------------------------
    def _verb_entry(self, verb: Token) -> _Match | None:
        # an inflected form with entries of its own ("LEFT [042]" beside "LEAVE [012]") is its own verb
        options = (self._verbs.get(verb.lower_) if verb.lower_ != _lemma(verb) else None) or self._verbs.get(_lemma(verb))
        if not options:
            return None
        obj = direct_object(verb)
        objects = _object_candidates(obj)
        best: tuple[int, int, int, _Match] | None = None
        for order, entry in enumerate(options):
            if best is not None and entry.specificity < -best[0]:
                break  # options are sorted by specificity: nothing later can win
            used: list[int] = [verb.i]
            rank = 0
            matched = obj
            if entry.object or entry.object_any:
                cands = objects
                if entry.object and entry.prep:
                    # "put its forces on high alert", "remained on alert": the preposition's object
                    cands = [*objects, *prep_objects(verb, entry.prep)]
                if not cands or (entry.object_any and all(c.ent_type_ in ("DATE", "TIME") for c in cands)):
                    continue  # "called Thursday on Arabs to unite": a date is no object
                if entry.object:
                    rank = next((n for n, c in enumerate(cands) if _lemma(c) in entry.object or c.lower_ in entry.object), -1)
                    if rank < 0:
                        continue
                    matched = cands[rank]
                    used.append(matched.i)
            if entry.exclude and obj is not None and _excluded(objects[0] if objects else obj, entry.exclude):
                continue
            if entry.modifier:
                target = matched if matched is not None else verb
                if not (_modifier_lemmas(target) & set(entry.modifier)):
                    continue
            if entry.prep:
                preps = [
                    c
                    for c in verb.children
                    if c.dep_ in ("prep", "agent", "dative") and c.lower_ in entry.prep and not _dates_only(c)
                ]  # "shot ... on Monday" is not "fired on"
                if obj is not None and not preps:
                    preps = [c for c in obj.children if c.dep_ == "prep" and c.lower_ in entry.prep]
                if not preps:
                    continue
                used.append(preps[0].i)
            if entry.particle:
                parts = [c for c in verb.children if c.dep_ == "prt" and c.lower_ in entry.particle]
                if not parts:
                    continue
                used.append(parts[0].i)
            if entry.xcomp:
                comps = [
                    c
                    for c in verb.children
                    if (c.dep_ in ("xcomp", "ccomp") or (c.dep_ == "advcl" and is_infinitival(c))) and _lemma(c) in entry.xcomp
                ]  # "called on Tehran to release" sometimes parses the infinitive as advcl
                if not comps:
                    continue
                used.append(comps[0].i)
            key = (-entry.specificity, rank, order)
            if best is None or key < best[:3]:
                best = (*key, _Match(entry, tuple(sorted(set(used)))))
            if rank == 0:
                break  # nothing later in the order can beat an exact match at this specificity
        return best[3] if best is not None else None

    # -- nouns ---------------------------------------------------------------------------
    def _noun_entry(self, noun: Token) -> _Match | None:
        options = self._nouns.get(_lemma(noun)) or self._nouns.get(noun.lower_)
        if not options:
            return None
        mods = _modifier_lemmas(noun)
        for entry in options:
            used = [noun.i]
            if entry.compound:
                hits = [c for c in noun.children if c.i < noun.i and (_lemma(c) in entry.compound or c.lower_ in entry.compound)]
                if not hits:
                    continue
                used.extend(c.i for c in hits)
            if entry.modifier and not (mods & set(entry.modifier)):
                continue
            preps = [c for c in noun.children if c.dep_ == "prep" and c.lower_ in entry.prep and not _dates_only(c)] if entry.prep else []
            if entry.prep and not preps:
                continue
            if entry.object_any or entry.particle or entry.xcomp:
                continue  # verb-only constraints never hold for a noun
            if entry.object:
                # a noun's "object" is its preposition's object: "suspension of air links"
                cands = [c for p in preps for o in prep_objects(p.head, (p.lower_,)) for c in _object_candidates(o)]
                hit = next((c for c in cands if _lemma(c) in entry.object or c.lower_ in entry.object), None)
                if hit is None:
                    continue
                used.append(hit.i)
            return _Match(entry, tuple(sorted(used)))
        return None

    # -- the document ---------------------------------------------------------------------
    def __call__(self, doc: Doc) -> list[Trigger]:
        found: dict[int, Trigger] = {}
        consumed: set[int] = set()
        verb_matches: dict[int, _Match] = {}
        for token in doc:
            if token.pos_ == "VERB" or (token.pos_ == "AUX" and token.dep_ == "ROOT"):
                match = self._verb_entry(token)
                if match is not None:
                    verb_matches[token.i] = match
                    consumed.update(match.tokens)
        # Nouns: light-verb objects merge with their verb; nominal events stand alone unless a
        # verb trigger governs them ("condemned the attacks", "killed in an air strike").
        noun_matches = {
            t.i: m
            for t in doc
            if t.pos_ == "NOUN"  # never PROPN: "March" the month is not a protest march
            for m in (self._noun_entry(t),)
            if m is not None
        }
        absorbed = _absorbed_modifiers(doc, noun_matches)
        modifiers_of = Counter(absorbed.values())
        for i, into in absorbed.items():
            if modifiers_of[into] == 1 and _refines(noun_matches[i].entry, noun_matches[into].entry):
                # "a suicide bombing attack": one event, coded as the more specific modifier says
                noun_matches[into] = _Match(noun_matches[i].entry, tuple(sorted({*noun_matches[into].tokens, i})))
        for token in doc:
            match = noun_matches.get(token.i)
            if match is None or token.i in absorbed:
                continue  # "arrest warrants", "a bombing and shelling offensive": the head states the event
            verb = _object_verb(token)
            head = verb if verb is not None else token.head
            if verb is not None and head.pos_ in ("VERB", "AUX") and _lemma(head) in LIGHT_VERBS:
                verb_match = verb_matches.get(head.i)
                if verb_match is not None and token.i in verb_match.tokens and not _noun_wins(match.entry, verb_match.entry):
                    continue  # the verb's own entry already names this object ("sign a deal")
                verb_matches.pop(head.i, None)
                if _in_temporal_clause(head):
                    consumed.add(token.i)
                    continue
                particles = (c.i for c in head.children if c.dep_ == "prt")
                tokens = tuple(sorted({head.i, *match.tokens, *particles}))
                found[head.i] = self._make(head, tokens, match.entry, light=True)
                consumed.update(tokens)
                continue
            claimed = _claimed(token)  # "claimed responsibility for the attack": the attack stands
            if token.i in consumed and not claimed:
                continue
            governor = _governing_verb(token)
            if governor is not None and governor.i in verb_matches and not claimed:
                continue
            if _classifier(token) or _planned(token):
                continue  # "invasion forces", "attack helicopters"; "preparing a major offensive"
            if _in_temporal_phrase(token) or _dated_reference(token) or (_noun_reference(token) and not claimed):
                continue  # "after the talks", "the 1994 genocide": a reference to an event, not a new one
            found[token.i] = self._make(token, match.tokens, match.entry, light=False)
        for token in doc:
            if token.pos_ == "VERB" and token.i not in found and token.i not in verb_matches:
                demand = _speech_demand(token)
                if demand is not None:
                    found[token.i] = demand
        for i, match in verb_matches.items():
            verb = doc[i]
            if match.entry.no_event:
                continue  # a dictionary pattern that names a non-event use ("approve the budget")
            if _in_temporal_clause(verb):
                continue
            if match.entry.cameo[:2] in _HARM_ROOTS and _caused_by_nature(verb):
                continue  # a disaster or an accident, not a political event
            if verb.dep_ == "acl" and verb.tag_ == "VBG" and _lemma(verb.head) in self._nouns:
                continue  # "an attack targeting civilians": the noun's own event, described
            if _background_participle(verb, verb_matches):
                continue  # "shortened the curfew imposed after the coup": the earlier act, named
            found.setdefault(i, self._make(verb, match.tokens, match.entry, light=False))
        return [found[i] for i in sorted(found)]

    @staticmethod
    def _make(head: Token, tokens: tuple[int, ...], entry: LexiconEntry, *, light: bool) -> Trigger:
        info = cameo_info(entry.cameo)
        event_type = entry.event_type or info.event_type or ""
        if entry.nominal and not light:
            actor_roles = entry.actor or ("poss", "by", "amod", "compound", "subj")
        elif light:
            actor_roles = ("subj", *(r for r in entry.actor if r != "subj")) if entry.actor else ("subj", "poss", "by")
        else:
            actor_roles = entry.actor or ("subj",)
        if entry.recipient:
            recipient_roles = entry.recipient
        elif entry.nominal:
            recipient_roles = ("on", "against", "with", "to", "at")
        else:
            recipient_roles = ("dobj",)
        return Trigger(
            id=f"t{head.i}",
            token=head.i,
            tokens=tokens if head.i in tokens else tuple(sorted({head.i, *tokens})),
            entry=entry.id,
            cameo=entry.cameo,
            event_type=event_type,
            mode=entry.mode if entry.mode is not None else info.mode,
            context=entry.context or info.context,
            nominal=entry.nominal,
            actor_roles=tuple(actor_roles),
            recipient_roles=tuple(recipient_roles),
            symmetric=entry.symmetric,
            reverse_cameo=entry.reverse_cameo,
        )


_OBLIGATION = frozenset({"must", "should", "ought"})


def _speech_demand(verb: Token) -> Trigger | None:
    """ "The minister said Iraq must cooperate": a demand by the speaker on the clause's subject."""
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in SPEECH_VERBS:
        return None
    for clause in verb.children:
        if clause.dep_ != "ccomp":
            continue
        modal = next((c for c in clause.children if c.dep_ == "aux" and c.lower_ in _OBLIGATION), None)
        negated = any(c.dep_ == "neg" for c in clause.children)
        if modal is None or negated:
            continue
        info = cameo_info(SPEECH_DEMAND_CODE)
        return Trigger(
            id=f"t{verb.i}",
            token=verb.i,
            tokens=(verb.i,),
            entry="compose.speech_obligation",
            cameo=SPEECH_DEMAND_CODE,
            event_type=info.event_type or "REQUEST",
            mode=info.mode,
            context=info.context,
            nominal=False,
            actor_roles=("subj",),
            recipient_roles=("ccomp_subj",),
        )
    return None


@lru_cache(maxsize=4)
def finder_for(lexicon_dir: str | None, verb_dictionaries: tuple[str, ...] = ()) -> TriggerFinder:
    lexicon = load_lexicon(lexicon_dir, verb_dictionaries)
    return TriggerFinder(lexicon.entries, lexicon.dictionary, lexicon.dictionary_verbs)


def find_triggers(doc: Doc, lexicon_dir: str | None = None, verb_dictionaries: tuple[str, ...] = ()) -> list[Trigger]:
    return finder_for(lexicon_dir, verb_dictionaries)(doc)


@Language.factory(
    "newsevents_triggers",
    default_config={"lexicon_dir": None, "verb_dictionaries": []},
    requires=["token.lemma", "token.pos", "token.dep"],
    assigns=["doc._.ne_triggers"],
)
def make_triggers(nlp: Language, name: str, lexicon_dir: str | None, verb_dictionaries: list[str]) -> Callable[[Doc], Doc]:
    register_extensions()
    finder = finder_for(lexicon_dir, tuple(verb_dictionaries))

    def triggers(doc: Doc) -> Doc:
        doc._.ne_triggers = finder(doc)
        return doc

    return triggers
