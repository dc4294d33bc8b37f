"""Trigger stage: find the words that state an event, using the reviewed lexicon.

Verbs are matched first (with their objects, particles, prepositions and complements), then
nouns. A noun that is the object of a light verb ("held talks", "launched attacks", "imposed
sanctions") becomes one trigger with its verb: the verb's subject is the actor. A noun that only
names an event inside another trigger's object ("condemned the attacks") is left to that trigger.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Token

from newsevents.annotations import Trigger, register_extensions
from newsevents.components.factuality import SPEECH_VERBS
from newsevents.components.syntax import OBJ_DEPS, direct_object, is_passive
from newsevents.lexicon.schema import LexiconEntry, load_lexicon
from newsevents.ontology import cameo_info

SPEECH_DEMAND_CODE = "100"
"""A speech verb over a clause with "must"/"should" states a demand (CAMEO 100)."""

__all__ = ["TriggerFinder", "LIGHT_VERBS", "find_triggers", "finder_for"]

LIGHT_VERBS = frozenset(
    {
        "hold", "launch", "carry", "conduct", "stage", "make", "issue", "express", "impose",
        "have", "give", "mount", "take", "pay", "wage", "begin", "start", "continue", "resume",
        "lead", "organize", "organise", "perform", "unleash", "announce", "deliver", "offer",
        "extend", "lodge", "file", "level", "voice", "step", "intensify", "escalate", "sign",
        "reach", "conclude", "seal", "strike", "open", "lift", "ease", "send", "provide",
    }
)  # fmt: skip
"""Verbs whose meaning comes from their object noun when the noun is a trigger."""



_TEMPORAL_PREPS = frozenset({"after", "before", "during", "since", "following", "ahead", "until", "amid"})


def _in_temporal_phrase(noun: Token) -> bool:
    return noun.dep_ == "pobj" and noun.head.lower_ in _TEMPORAL_PREPS


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


@dataclass(frozen=True, slots=True)
class _Match:
    entry: LexiconEntry
    tokens: tuple[int, ...]


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _children(token: Token, deps: frozenset[str] | tuple[str, ...]) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def _modifier_lemmas(token: Token) -> set[str]:
    return {
        _lemma(c)
        for c in token.children
        if c.dep_ in ("compound", "amod", "nmod", "npadvmod") and c.i < token.i
    } | {c.lower_ for c in token.children if c.dep_ in ("compound", "amod") and c.i < token.i}


class TriggerFinder:
    """Matches lexicon entries against tokens. One instance per lexicon, shared by all docs."""

    def __init__(self, entries: tuple[LexiconEntry, ...]) -> None:
        self._verbs: dict[str, list[LexiconEntry]] = {}
        self._nouns: dict[str, list[LexiconEntry]] = {}
        for entry in entries:
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
        options = self._verbs.get(_lemma(verb))
        if not options:
            return None
        obj = direct_object(verb)
        for entry in options:
            used: list[int] = [verb.i]
            if entry.object or entry.object_any:
                if obj is None:
                    continue
                if entry.object and _lemma(obj) not in entry.object and obj.lower_ not in entry.object:
                    continue
                if entry.object:
                    used.append(obj.i)
            if entry.modifier:
                target = obj if obj is not None else verb
                if not (_modifier_lemmas(target) & set(entry.modifier)):
                    continue
            if entry.prep:
                preps = [c for c in verb.children if c.dep_ in ("prep", "agent", "dative") and c.lower_ in entry.prep]
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
                comps = [c for c in verb.children if c.dep_ in ("xcomp", "ccomp") and _lemma(c) in entry.xcomp]
                if not comps:
                    continue
                used.append(comps[0].i)
            return _Match(entry, tuple(sorted(used)))
        return None

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
            if entry.prep and not any(c.dep_ == "prep" and c.lower_ in entry.prep for c in noun.children):
                continue
            if entry.object or entry.object_any or entry.particle or entry.xcomp:
                continue  # verb-only constraints never hold for a noun
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
        for token in doc:
            if token.pos_ != "NOUN":  # never PROPN: "March" the month is not a protest march
                continue
            match = self._noun_entry(token)
            if match is None:
                continue
            head = token.head
            is_object = token.dep_ in OBJ_DEPS or (token.dep_ == "nsubjpass" and is_passive(head))
            if is_object and head.pos_ in ("VERB", "AUX") and _lemma(head) in LIGHT_VERBS:
                verb_match = verb_matches.get(head.i)
                if verb_match is not None and token.i in verb_match.tokens:
                    continue  # the verb's own entry already names this object ("sign a deal")
                verb_matches.pop(head.i, None)
                particles = (c.i for c in head.children if c.dep_ == "prt")
                tokens = tuple(sorted({head.i, *match.tokens, *particles}))
                found[head.i] = self._make(head, tokens, match.entry, light=True)
                consumed.update(tokens)
                continue
            if token.i in consumed:
                continue
            governor = _governing_verb(token)
            if governor is not None and governor.i in verb_matches:
                continue
            if _in_temporal_phrase(token):
                continue  # "after the talks": a reference to an event, not a new one
            found[token.i] = self._make(token, match.tokens, match.entry, light=False)
        for token in doc:
            if token.i not in found and token.i not in verb_matches:
                demand = _speech_demand(token)
                if demand is not None:
                    found[token.i] = demand
        for i, match in verb_matches.items():
            found.setdefault(i, self._make(doc[i], match.tokens, match.entry, light=False))
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
def finder_for(lexicon_dir: str | None) -> TriggerFinder:
    return TriggerFinder(load_lexicon(lexicon_dir).entries)


def find_triggers(doc: Doc, lexicon_dir: str | None = None) -> list[Trigger]:
    return finder_for(lexicon_dir)(doc)


@Language.factory(
    "newsevents_triggers",
    default_config={"lexicon_dir": None},
    requires=["token.lemma", "token.pos", "token.dep"],
    assigns=["doc._.ne_triggers"],
)
def make_triggers(nlp: Language, name: str, lexicon_dir: str | None) -> Callable[[Doc], Doc]:
    register_extensions()
    finder = finder_for(lexicon_dir)

    def triggers(doc: Doc) -> Doc:
        doc._.ne_triggers = finder(doc)
        return doc

    return triggers
