"""The document-level entities stage: actor mentions, their codes, and coreference clusters.

Mentions are noun phrases headed by a noun, proper noun or pronoun that the phrase coder can
read (names, countries, seats of government, organisations, role nouns, loaded names), plus
person names, unknown organisations, definite anaphors ("the country", "the group") and the
personal pronouns he/she/they/it. Conjuncts ("Iran and Oman") are separate mentions.

Mentions are then clustered, in document order, into entities ``e1``, ``e2``, ...:

* a repeated full name, a surname ("Amir-Abdollahian"), an honorific with a first name
  ("Sheikh Mohammed") or a spelling variant ("Amir Adollahian") joins the earlier person,
  never across different countries or sectors;
* a definite title ("the Omani foreign minister") or description ("the top Iranian diplomat")
  joins the most recent compatible person; an apposition joins the phrase it describes;
* groups, organisations and countries with the same code form one entity;
* pronouns go to the nearest compatible antecedent, preferring a subject in the same
  sentence before the pronoun, then the subject of the previous sentence.

Every comparison is made against recent entities only (a window of sentences and a name
index), so the stage is linear in the length of the document.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rapidfuzz.distance import JaroWinkler
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsevents.annotations import ActorCode, Entity, Mention, register_extensions
from newsevents.components.factuality import SPEECH_VERBS
from newsevents.knowledge._data import load_knowledge, norm
from newsevents.knowledge.coder import PhraseAnalysis, actor_code, analyse_phrase, country_code
from newsevents.knowledge.groups import GroupNoun, group_references
from newsevents.knowledge.people import PersonHit, load_people
from newsevents.knowledge.petrarch import Dictionaries, DictMatch, load_dictionaries

__all__ = [
    "EntitiesComponent",
    "annotate_entities",
    "entity_by_id",
    "group_members",
    "list_modifier",
    "make_entities",
    "mention_at",
]

logger = logging.getLogger(__name__)

_HEAD_POS = frozenset({"NOUN", "PROPN"})
_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "det", "case", "flat", "npadvmod"})
_LEFT_KEEP = frozenset(
    {"det", "amod", "compound", "nmod", "poss", "nummod", "quantmod", "predet", "punct", "flat"}
)
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_OBJECT_DEPS = frozenset({"dobj", "pobj", "dative", "iobj"})
_LOCATIVE = frozenset(
    {
        "in",
        "at",
        "near",
        "inside",
        "outside",
        "around",
        "throughout",
        "within",
        "into",
        "to",
        "toward",
        "towards",
        "across",
        "via",
        "between",
        "over",
    }
)
_KEEP_UNKNOWN_ENTS = frozenset({"PERSON", "ORG"})
_NON_STATE = frozenset({"IGO", "NGO", "IMG"})
_SENTENCE_WINDOW = 8  # how far back titles, descriptions and anaphors look
_PRONOUN_WINDOW = 3
_NAME_WINDOW = 60  # person entities compared for spelling variants
_FUZZY_FULL = 0.9
_FUZZY_SURNAME = 0.88
_USER_KEY = "newsevents.entities.by_head"
_GROUP_KEY = "newsevents.entities.groups"
_FIRST_PERSON = "first"  # pronoun group of we/us/our/I/me/my in roles.yaml
_OPEN_QUOTES = frozenset({"\u201c", "\u00ab"})
_CLOSE_QUOTES = frozenset({"\u201d", "\u00bb"})
_DEFINITE = frozenset({"the", "these", "those"})


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    head: int
    sent: int
    analysis: PhraseAnalysis
    pronoun: str | None = None  # person | plural | neuter | first
    code: ActorCode | None = None
    entity: _Ent | None = None
    resolution: str = ""
    group: GroupNoun | None = None  # "the two countries": resolved to two entities


@dataclass(slots=True)
class _Ent:
    n: int  # creation order
    person: bool
    plural: bool
    kind: str
    code: ActorCode | None
    members: list[int] = field(default_factory=list)  # indices into the candidate list
    name: str | None = None
    name_parts: tuple[str, ...] = ()
    roles: set[str] = field(default_factory=set)
    org_id: str | None = None
    last_sent: int = 0


# --------------------------------------------------------------------------- mention finding


def _sentence_ids(doc: Doc) -> list[int]:
    ids = [0] * len(doc)
    if not doc.has_annotation("SENT_START"):
        return ids
    for n, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            ids[i] = n
    return ids


def _core_span(tok: Token) -> tuple[int, int]:
    left = tok.i
    for child in tok.lefts:
        if child.dep_ == "nmod" and list_modifier(child):
            continue  # "Arnor, Calenardhon and the evil Gondor" parsed as a list hung on Gondor
        if child.dep_ in _LEFT_KEEP:
            if child.dep_ == "punct" and child.text not in ("-", "'", "\u2019"):
                continue
            left = min(left, child.left_edge.i)
    end = tok.i + 1
    for child in tok.rights:
        if child.dep_ in ("compound", "flat") or (child.dep_ == "punct" and child.text == "-"):
            end = max(end, child.right_edge.i + 1)
        else:
            break
    doc = tok.doc
    if tok.ent_type_ == "PERSON" and tok.ent_iob_ in ("B", "I"):
        # a name the parser cut in pieces ("Hamad bin Khalifa al - Thani" as four subjects): the
        # mention covers the whole name the entity recogniser found
        while end < len(doc) and doc[end].ent_iob_ == "I" and doc[end].ent_type_ == "PERSON" and doc[end].tag_ != "POS":
            end += 1  # never over a possessive ("Donald Trump's")
    while left < tok.i and doc[left].is_punct:
        left += 1
    return left, end


_GROUP_PREPS = ("of", "from", "in")  # "soldiers from Gondor", "lawmakers in Arnor"
_ABROAD = frozenset({"embassy", "consulate", "delegation", "mission"})
"""Bodies that sit in another country: "the embassy in Kabul" is not Afghan."""


def _of_phrase(tok: Token, *, institution: bool = False) -> Token | None:
    """The object of "of" after ``tok``; for plural group nouns also of "from" and "in", for a
    body of government also of "in" ("a court in Guyana", not "the embassy in Kabul")."""
    if tok.tag_ in ("NNS", "NNPS"):
        preps: tuple[str, ...] = _GROUP_PREPS
    elif institution and tok.lemma_.lower() not in _ABROAD:
        preps = ("of", "in")
    else:
        preps = ("of",)
    for child in tok.rights:
        if child.dep_ == "prep" and child.lower_ in preps:
            for grand in child.rights:
                if grand.dep_ == "pobj":
                    return grand
    return None


def list_modifier(tok: Token) -> bool:
    """A proper-noun "modifier" that heads a coordinated list is a parse error for a list of names."""
    if tok.dep_ != "nmod" or tok.pos_ != "PROPN" or tok.head.pos_ != "PROPN":
        return False  # "US and British activists": modifiers of a common noun are fine
    if not any(c.dep_ == "punct" and c.text == "," for c in tok.children):
        return False  # "Prime Minister and Foreign Minister Sheikh Mohammed": titles, not a list
    return any(c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN") for c in tok.children)


def _is_head(tok: Token) -> bool:
    if tok.dep_ == "nmod" and list_modifier(tok):
        return True
    if tok.dep_ in _MODIFIER_DEPS:
        return False
    if tok.pos_ in _HEAD_POS:
        return True
    # demonym plurals and acronyms the tagger reads as adjectives or pronouns ("Iranians", "WHO")
    return tok.ent_type_ in ("NORP", "ORG", "GPE") and tok.pos_ in ("ADJ", "PRON", "X")


def _candidates(
    doc: Doc,
    sent_ids: list[int],
    *,
    date: dt.date | None = None,
    dscan: _DictScan | None = None,
) -> list[_Cand]:
    kb = load_knowledge()
    out: list[_Cand] = []
    for tok in doc:
        pos = tok.pos_
        if pos not in _HEAD_POS and pos != "PRON" and not tok.ent_type_:
            continue  # neither a noun, a pronoun nor part of a name: never a mention
        low = norm(tok.text) if pos == "PRON" else ""
        first_i = tok.text == "I" and kb.pronouns.get(low) == _FIRST_PERSON
        if pos == "PRON" and low in kb.pronouns and (first_i or not tok.text.isupper()):
            out.append(
                _Cand(
                    tok.i,
                    tok.i + 1,
                    tok.i,
                    sent_ids[tok.i],
                    PhraseAnalysis(None),
                    pronoun=kb.pronouns[low],
                )
            )
            continue
        if not _is_head(tok):
            continue
        start, end = _core_span(tok)
        group = _group_reference(tok)
        if group is not None:
            out.append(
                _Cand(start, end, tok.i, sent_ids[tok.i], PhraseAnalysis(None, plural=True), group=group)
            )
            continue
        span = doc[start:end]
        a = analyse_phrase(span)
        if a.role is not None and (a.code is None or a.code.country is None):
            pobj = _of_phrase(tok, institution=a.institution)
            if pobj is not None:
                ext = analyse_phrase(doc[start : pobj.i + 1])
                if ext.code is not None and ext.code.country is not None:
                    end, a = pobj.i + 1, ext
        code = a.code
        if dscan is not None:
            found = dscan.code(start, end, tok, a, date)
            if found is None:
                pobj = _of_phrase(tok)
                if pobj is not None and dscan.has_actor(start, pobj.i + 1):
                    found = dscan.code(start, pobj.i + 1, tok, a, date)
                    end = pobj.i + 1 if found is not None else end
            if found is not None:
                code = found
                a = replace(a, code=found, org_id=None)
        from_dictionary = code is not None and code.resolution.startswith("dictionary")
        wants_person = (
            code is None or a.named or code.resolution.startswith(("person name", "role noun"))
        )
        if wants_person and not from_dictionary:
            hit = _person(doc, start, end, tok, a, code, date)
            if hit is not None:
                a, code = hit
        if code is None:
            if tok.ent_type_ in _KEEP_UNKNOWN_ENTS and tok.ent_iob_ != "O":
                ent_span = _entity_span(doc, tok)
                kind = "person" if tok.ent_type_ == "PERSON" else "org"
                code = ActorCode(
                    name=ent_span.text,
                    country=None,
                    kind=kind,
                    resolution="person name"
                    if kind == "person"
                    else "named organisation (not in the knowledge files)",
                )
                a = replace(
                    a,
                    code=code,
                    person=kind == "person",
                    named=kind == "person",
                    name_tokens=tuple(range(ent_span.start, ent_span.end)),
                )
            elif a.anaphor is None:
                continue
        if code is not None and code.kind == "capital" and _locative(tok):
            code = replace(
                code,
                sector=None,
                sectors=(),
                code=code.country and country_code(code.country),
                resolution=f"seat of government used as a place ({tok.head.text} {tok.text})",
            )
        out.append(_Cand(start, end, tok.i, sent_ids[tok.i], a, code=code))
    out.sort(key=lambda c: (c.start, -c.end, c.head))
    return out


def _group_reference(tok: Token) -> GroupNoun | None:
    """ "the two countries", "both governments", "the two leaders": a plural group noun with
    "both", or "two" after a definite article (``knowledge/data/group_references.yaml``)."""
    if tok.pos_ != "NOUN" or tok.tag_ != "NNS":
        return None
    refs = group_references()
    lemma = tok.lemma_.lower()
    left = next((c for c in tok.lefts if c.dep_ in ("amod", "compound") and c.i == tok.i - 1), None)
    group = refs.lookup(f"{left.lower_} {lemma}") if left is not None else None
    group = group or refs.lookup(lemma)
    if group is None:
        return None
    lefts = list(tok.lefts)
    quantified = any(c.lower_ in refs.quantifiers for c in lefts)
    if not quantified:
        return None
    if any(c.lower_ == "both" for c in lefts):
        return group
    return group if any(c.lower_ in _DEFINITE for c in lefts) else None


# --------------------------------------------------------------------------- known people

_NOT_NAME_ENTS = frozenset({"DATE", "TIME", "GPE", "LOC", "FAC", "CARDINAL", "ORDINAL", "MONEY"})


def _name_words(doc: Doc, start: int, end: int, head: Token, a: PhraseAnalysis) -> list[int]:
    """Doc indices of the words that name a person in ``doc[start:end]``."""
    kb = load_knowledge()
    if a.name_tokens:
        return list(a.name_tokens)
    if head.pos_ != "PROPN" or head.ent_type_ in _NOT_NAME_ENTS:
        return []
    idx: list[int] = []
    i = head.i
    while i >= start:
        t = doc[i]
        low = norm(t.text)
        if t.pos_ == "PROPN" and t.ent_type_ not in _NOT_NAME_ENTS and (low,) not in kb.index:
            if low in kb.honorifics_strip or low in kb.honorifics_keep:
                break
            idx.append(i)
        elif t.text in ("-", "'") or low in (
            "al",
            "el",
            "bin",
            "ibn",
            "bint",
            "abu",
            "de",
            "van",
            "von",
        ):
            idx.append(i)
        else:
            break
        i -= 1
    idx.reverse()
    j = head.i + 1
    while j < end and doc[j].pos_ == "PROPN":
        idx.append(j)
        j += 1
    while idx and not any(c.isalnum() for c in doc[idx[0]].text):
        idx.pop(0)
    return idx


def _person(
    doc: Doc,
    start: int,
    end: int,
    head: Token,
    a: PhraseAnalysis,
    code: ActorCode | None,
    date: dt.date | None,
) -> tuple[PhraseAnalysis, ActorCode] | None:
    """Look the mention's name up in the built-in person knowledge (date-bounded roles)."""
    words = _name_words(doc, start, end, head, a)
    kb = load_knowledge()
    parts = tuple(
        norm(doc[i].text)
        for i in words
        if norm(doc[i].text) not in kb.honorifics_keep
        and norm(doc[i].text) not in kb.honorifics_strip
    )
    if not parts:
        return None
    hit: PersonHit | None = load_people().lookup(parts, date)
    if hit is None:
        return None
    if code is not None and code.country and code.country != hit.country:
        return None  # a namesake from another country
    keep_role = code is not None and code.sector is not None and a.role is not None and not a.former
    sector = code.sector if keep_role and code is not None else hit.sector
    sectors: tuple[str, ...] = (
        code.sectors if keep_role and code is not None else ((hit.sector,) if hit.sector else ())
    )
    if keep_role or hit.role is None or hit.role.code.startswith(country_code(hit.country)):
        final = country_code(hit.country) + "".join(sectors[:3])
        if not keep_role:
            final = hit.code
    else:
        final = hit.code  # an office in an organisation: its code
    why = hit.resolution
    if code is not None and code.resolution and not code.resolution.startswith("person name"):
        why = f"{code.resolution}; {why}"
    new = ActorCode(
        name=hit.person.name if hit.person is not None else (code.name if code else None),
        country=hit.country,
        sector=sector,
        sectors=sectors,
        code=final,
        kind="person",
        resolution=why,
    )
    name_idx = tuple(words)
    return replace(a, code=new, person=True, named=True, name_tokens=name_idx), new


# --------------------------------------------------------------------------- dictionaries


def _sectors_of_code(code: str) -> tuple[str, ...]:
    rest = code[3:]
    return tuple(rest[i : i + 3] for i in range(0, len(rest) - 2, 3))


class _DictScan:
    """Loaded PETRARCH dictionaries matched over one document."""

    def __init__(self, doc: Doc, dictionaries: Dictionaries) -> None:
        self.dicts = dictionaries
        actors, agents = dictionaries.scan([t.text for t in doc], [t.lemma_ for t in doc])
        self.actors = actors
        self.agents = agents

    def has_actor(self, start: int, end: int) -> bool:
        return any(start <= m.start and m.end <= end for m in self.actors)

    def code(
        self, start: int, end: int, head: Token, a: PhraseAnalysis, date: dt.date | None
    ) -> ActorCode | None:
        actor: DictMatch | None = next(
            (m for m in self.actors if start <= m.start and m.end <= end), None
        )
        agents = [
            m
            for m in self.agents
            if start <= m.start < end  # an agent may run on past the core ("Minister of Silly Walks")
            and m.start <= head.i
            and not (actor is not None and actor.start <= m.start < actor.end)
        ]
        agent = next((m for m in agents if m.start <= head.i < m.end), None) or (
            agents[-1] if agents else None
        )
        if actor is None and agent is None:
            return None
        base: str | None = None
        why = ""
        entry_name: str | None = None
        if actor is not None:
            for entry in actor.actors:
                block = entry.resolve(date)
                if block is not None and block.code is not None:
                    base = block.code
                    entry_name = entry.name
                    why = f"dictionary {entry.source}: {entry.name}"
                    if block.dated:
                        why += f", role dated {block.span_text()}"
                    break
            if base is None:
                return None
        else:
            own = a.code
            if own is None or not own.country or len(own.country) != 3:
                return None
            base = country_code(own.country)
            why = f"{own.resolution}" if own.resolution else "country"
        final = base
        if agent is not None and agent.agent is not None:
            final = agent.agent.apply(base) or base
            why += f" + agent {agent.agent.phrase} ({agent.agent.source})"
        elif actor is not None and not self.dicts.has_agents and a.code is not None and a.role:
            extra = "".join(a.code.sectors[:3])
            if len(base) == 3 and extra:
                final = base + extra
                why += f" + role noun {a.role}"
        person = a.named or head.ent_type_ == "PERSON"
        covers_head = actor is not None and actor.start <= head.i < actor.end
        if person or (covers_head and agent is None):
            name = entry_name
        else:
            name = a.code.name if a.code is not None else None
        sectors = _sectors_of_code(final)
        kind = "person" if person else ("role" if agent is not None else "org")
        if kind == "org" and len(final) == 3 and covers_head:
            kind = "country"
        return ActorCode(
            name=name,
            country=final[:3],
            sector=sectors[0] if sectors else None,
            sectors=sectors,
            code=final,
            kind=kind,
            resolution=why,
        )


def _entity_span(doc: Doc, tok: Token) -> Span:
    if tok.ent_iob_ not in ("B", "I"):
        return doc[tok.i : tok.i + 1]
    start, end = tok.i, tok.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1  # back to the entity's B token
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]


def _locative(tok: Token) -> bool:
    return tok.dep_ == "pobj" and tok.head.lower_ in _LOCATIVE


# --------------------------------------------------------------------------- clustering


def _compatible(a: ActorCode | None, b: ActorCode | None) -> bool:
    if a is None or b is None:
        return True
    if a.country and b.country and a.country != b.country:
        return False
    return not (a.sector and b.sector and a.sector != b.sector)


def _merge_code(base: ActorCode | None, new: ActorCode | None) -> ActorCode | None:
    if base is None:
        return new
    if new is None:
        return base
    country = base.country or new.country
    sector = base.sector or new.sector
    sectors = base.sectors or new.sectors
    code = base.code
    if base.country is None and country is not None:
        code = new.code
    if (code is None or (sector and code == country_code(country or ""))) and country:
        code = (
            new.code
            if new.code and len(new.code) > 3
            else (country_code(country) + "".join(sectors[:3]) if len(country) == 3 else new.code)
        )
    return replace(
        base,
        name=base.name or new.name,
        country=country,
        sector=sector,
        sectors=sectors,
        code=code,
    )


def _name_parts(doc: Doc, cand: _Cand) -> tuple[str, ...]:
    kb = load_knowledge()
    parts: list[str] = []
    for i in cand.analysis.name_tokens:
        low = norm(doc[i].text)
        if (
            low in kb.honorifics_keep
            or low in kb.honorifics_strip
            or not any(c.isalnum() for c in low)
        ):
            continue
        parts.append(low)
    return tuple(parts)


class _Clusterer:
    def __init__(self, doc: Doc, cands: list[_Cand]) -> None:
        self.doc = doc
        self.cands = cands
        self.ents: list[_Ent] = []
        self.by_key: dict[tuple[Any, ...], _Ent] = {}
        self.by_last: dict[str, list[_Ent]] = {}
        self.persons: list[_Ent] = []
        self.by_head: dict[int, int] = {c.head: i for i, c in enumerate(cands)}
        self.subjects: dict[int, list[int]] = {}
        self.groups: dict[int, list[tuple[_Ent, ActorCode]]] = {}
        self.quotes = _quote_regions(doc)
        for i, c in enumerate(cands):
            if self.doc[c.head].dep_ in _SUBJECT_DEPS:
                self.subjects.setdefault(c.sent, []).append(i)

    # -- helpers
    def _new(self, i: int, why: str = "") -> _Ent:
        c = self.cands[i]
        a = c.analysis
        kind = c.code.kind if c.code else "unknown"
        ent = _Ent(len(self.ents), a.person, a.plural, kind, c.code, org_id=a.org_id)
        self.ents.append(ent)
        self._add(ent, i, why)
        if a.person:
            self.persons.append(ent)
        return ent

    def _add(self, ent: _Ent, i: int, why: str) -> None:
        c = self.cands[i]
        ent.members.append(i)
        ent.last_sent = c.sent
        c.entity = ent
        c.resolution = why
        if c.pronoun is None:
            ent.code = _merge_code(ent.code, c.code)
        if c.analysis.role:
            ent.roles.add(c.analysis.role)
        if c.analysis.named and not ent.name_parts:
            parts = _name_parts(self.doc, c)
            if parts:
                ent.name_parts = parts
                ent.name = c.code.name if c.code else None
                self.by_last.setdefault(parts[-1], []).append(ent)
                if ent.code is not None and ent.name:
                    ent.code = replace(ent.code, name=ent.name)

    def _ref(self, ent: _Ent) -> int:
        return ent.members[0] + 1

    # -- rules
    def _named_person(self, i: int) -> _Ent | None:
        c = self.cands[i]
        parts = _name_parts(self.doc, c)
        if not parts:
            return None
        honor = c.analysis.honorific
        cands: list[_Ent] = list(self.by_last.get(parts[-1], ()))
        for ent in reversed(cands):
            if not _compatible(ent.code, c.code):
                continue
            ep = ent.name_parts
            if ep == parts:
                self._add(ent, i, f"same name as mention {self._ref(ent)}")
                return ent
            if len(parts) < len(ep) and ep[-len(parts) :] == parts:
                self._add(ent, i, f"surname of mention {self._ref(ent)}")
                return ent
        kb = load_knowledge()
        for ent in reversed(self.persons[-_NAME_WINDOW:]):
            ep = ent.name_parts
            if not ep or not _compatible(ent.code, c.code):
                continue
            if honor in kb.honorifics_keep and len(parts) < len(ep) and ep[: len(parts)] == parts:
                self._add(ent, i, f"honorific + first name of mention {self._ref(ent)}")
                return ent
            if len(parts) == len(ep) and parts[0][:1] == ep[0][:1]:
                if JaroWinkler.similarity(" ".join(parts), " ".join(ep)) >= _FUZZY_FULL:
                    self._add(ent, i, f"spelling variant of mention {self._ref(ent)}")
                    return ent
            elif len(parts) < len(ep) and parts[0][:1] == ep[-len(parts)][:1]:
                tail = " ".join(ep[-len(parts) :])
                if JaroWinkler.similarity(" ".join(parts), tail) >= _FUZZY_SURNAME:
                    self._add(
                        ent, i, f"spelling variant of the surname of mention {self._ref(ent)}"
                    )
                    return ent
        return None

    def _title(self, i: int) -> _Ent | None:
        c = self.cands[i]
        a = c.analysis
        code = c.code
        for ent in reversed(self.persons):
            if c.sent - ent.last_sent > _SENTENCE_WINDOW:
                break
            if not _compatible(ent.code, code) or ent.code is None or code is None:
                continue
            same_role = a.role is not None and any(
                r == a.role or r.endswith(" " + a.role) for r in ent.roles
            )  # "the minister" is a title of "Japan's foreign minister"
            if code.country is not None:
                if ent.code.country != code.country:
                    continue
                if code.sector and ent.code.sector != code.sector:
                    continue
            elif not same_role:
                continue
            why = "title" if same_role else "description"
            self._add(ent, i, f"{why} of mention {self._ref(ent)}")
            return ent
        return None

    def _group(self, i: int) -> _Ent | None:
        c = self.cands[i]
        code = c.code
        if code is None:
            return None
        a = c.analysis
        if a.org_id is not None:
            key: tuple[Any, ...] = ("org", a.org_id)
        elif code.country is not None or code.code is not None:
            key = ("code", code.kind == "capital", code.country, code.sector, code.code)
        else:
            key = ("role", a.role, code.sector)
        ent = self.by_key.get(key)
        if ent is not None:
            self._add(ent, i, f"same actor as mention {self._ref(ent)}")
            return ent
        if code.country is None and a.role and a.definite:
            for prev in reversed(self.ents):
                if c.sent - prev.last_sent > _SENTENCE_WINDOW:
                    break
                if not prev.person and a.role in prev.roles and _compatible(prev.code, code):
                    self._add(prev, i, f"title of mention {self._ref(prev)}")
                    return prev
        ent = self._new(i)
        self.by_key[key] = ent
        return ent

    def _anaphor(self, i: int) -> _Ent | None:
        c = self.cands[i]
        target = c.analysis.anaphor
        for ent in reversed(self.ents):
            if c.sent - ent.last_sent > _SENTENCE_WINDOW:
                break
            if target == "country" and ent.kind in ("country", "capital"):
                self._add(ent, i, f"definite description → mention {self._ref(ent)}")
                return ent
            if target == "org" and ent.kind in ("org", "igo", "group"):
                self._add(ent, i, f"definite description → mention {self._ref(ent)}")
                return ent
        return None

    def _apposition(self, i: int) -> _Ent | None:
        c = self.cands[i]
        tok = self.doc[c.head]
        if tok.dep_ != "appos":
            return None
        j = self.by_head.get(tok.head.i)
        if j is None or j >= i:
            return None
        ent = self.cands[j].entity
        if ent is None or not _compatible(ent.code, c.code):
            return None
        self._add(ent, i, f"apposition of mention {self._ref(ent)}")
        return ent

    def _fits(self, ent: _Ent | None, kind: str, c: _Cand) -> bool:
        if ent is None:
            return False
        if kind == "person":
            return ent.person
        if kind == "plural":
            return not ent.person and (
                ent.plural or ent.kind in ("org", "igo", "group", "country", "capital", "role")
            )
        # "it" also stands for a collective organisation ("the Israeli military said it ...")
        return not ent.person and (
            not ent.plural or ent.kind in ("org", "igo", "group", "country", "capital")
        )

    def _pronoun(self, i: int) -> None:
        c = self.cands[i]
        kind = c.pronoun or ""
        tok = self.doc[c.head]
        own_verb = tok.head if tok.dep_ in _OBJECT_DEPS else None
        # 0. a possessive ("its", "their") belongs to the nearest plausible owner before it in
        # the same sentence: "will provide Indonesia with vessels and train its coast guard"
        if tok.dep_ == "poss" and kind != "person":
            for j in range(i - 1, -1, -1):
                s = self.cands[j]
                if s.sent != c.sent:
                    break
                owner = s.entity.code if s.entity is not None else None
                if s.end > c.start or s.pronoun is not None or owner is None or owner.country is None:
                    continue  # a plausible owner is a coded actor
                if _locative(self.doc[s.head]):
                    continue  # "peacekeepers in Iraq ... its citizens": a place is not the owner
                if s.entity is not None and self._fits(s.entity, kind, c):
                    self._add(s.entity, i, f"possessive → nearest owner, mention {j + 1}")
                    return
        # 1. a subject earlier in the same sentence (not the subject of the pronoun's own verb)
        for j in self.subjects.get(c.sent, ()):
            s = self.cands[j]
            if s.head >= c.head:
                continue
            if own_verb is not None and self.doc[s.head].head.i == own_verb.i:
                continue
            if self._fits(s.entity, kind, c) and s.entity is not None:
                self._add(s.entity, i, "pronoun → subject of this sentence")
                return
        # 2. the subject of the previous sentence
        for j in self.subjects.get(c.sent - 1, ()):
            s = self.cands[j]
            if self._fits(s.entity, kind, c) and s.entity is not None:
                self._add(s.entity, i, "pronoun → subject of previous sentence")
                return
        # 3. the nearest compatible mention before it
        for j in range(i - 1, -1, -1):
            s = self.cands[j]
            if c.sent - s.sent > _PRONOUN_WINDOW:
                break
            if s.end > c.start or s.entity is None:
                continue
            if _locative(self.doc[s.head]) and s.pronoun is None:
                continue  # "the companies in Britain and ban them": a place is not "them"
            if (
                own_verb is not None
                and self.doc[s.head].dep_ in _SUBJECT_DEPS
                and self.doc[s.head].head.i == own_verb.i
            ):
                continue
            if self._fits(s.entity, kind, c):
                self._add(s.entity, i, f"pronoun → nearest {kind} mention {j + 1}")
                return
        c.resolution = "pronoun unresolved"

    def _pair(self, i: int) -> None:
        """ "the two countries", "both sides": the two most recent distinct actors of the kind."""
        c = self.cands[i]
        group = c.group
        if group is None:
            return
        picked: list[tuple[_Ent, ActorCode]] = []
        seen: set[str] = set()
        for j in range(i - 1, -1, -1):
            s = self.cands[j]
            if c.sent - s.sent > _SENTENCE_WINDOW:
                break
            ent = s.entity
            code = ent.code if ent is not None else None
            if ent is None or code is None or s.group is not None or s.end > c.start:
                continue
            country = code.country
            state = country is not None and len(country) == 3 and country not in _NON_STATE
            if group.target == "person":
                if not ent.person or not state or country is None:
                    continue
                key, member = country, code
            elif group.target == "country" or (state and country is not None):
                if not state or country is None:
                    continue
                sectors = (group.sector,) if group.sector else ()
                key = country
                member = ActorCode(
                    name=code.name if ent.kind == "country" else None,
                    country=country,
                    sector=group.sector,
                    sectors=sectors,
                    code=country_code(country) + "".join(sectors),
                    kind="country",
                )
            else:  # "the two sides": an organisation or armed group counts too
                if code.code is None or ent.person:
                    continue
                key, member = code.code, code
            if key in seen:
                continue
            seen.add(key)
            picked.append((ent, member))
            if len(picked) == 2:
                break
        if len(picked) < 2:
            c.resolution = "group reference unresolved (fewer than two earlier actors)"
            return
        picked.reverse()
        what = {"person": "people", "country": "countries", "any": "actors"}[group.target]
        refs = ", ".join(f"{m.code} (mention {self._ref(e)})" for e, m in picked)
        why = f"group reference → the two most recent {what}: {refs}"
        self.groups[i] = [(e, replace(m, resolution=why)) for e, m in picked]
        c.resolution = why

    def _first_person(self, i: int) -> None:
        """ "we", "our" inside a quote: the speaker's side (the subject of the speech verb)."""
        c = self.cands[i]
        region = next((r for r in self.quotes if r[0] < c.head < r[1]), None)
        if region is None:
            c.resolution = "first person outside a quote (unresolved)"
            return
        speaker = _quote_speaker(self.doc, region)
        j = self.by_head.get(speaker.i) if speaker is not None else None
        ent = self.cands[j].entity if j is not None else None
        if ent is None or j is None:
            c.resolution = "first person in a quote; speaker not resolved"
            return
        self._add(ent, i, f"first person in a quote → its speaker, mention {j + 1}")

    def run(self) -> None:
        firsts: list[int] = []
        for i, c in enumerate(self.cands):
            a = c.analysis
            if c.group is not None:
                self._pair(i)
                continue
            if c.pronoun == _FIRST_PERSON:
                firsts.append(i)  # the speaker often comes after the quote
                continue
            if c.pronoun is not None:
                self._pronoun(i)
                continue
            if self._apposition(i) is not None:
                continue
            if a.anaphor is not None and (c.code is None or c.code.country is None):
                if self._anaphor(i) is None and c.code is None:
                    c.resolution = "definite description unresolved"
                    continue
                if c.entity is not None:
                    continue
            if a.person and a.named:
                if self._named_person(i) is None:
                    self._new(i, "")
                continue
            if a.person and (a.definite or self.doc[c.start].pos_ == "PROPN") and not a.former:
                if self._title(i) is not None:
                    continue
                self._new(i, "")
                continue
            if a.person:
                self._new(i, "")
                continue
            if (
                c.code is not None
                and c.code.kind == "org"
                and c.code.country is None
                and a.org_id is None
            ):
                # the tagger sometimes labels a known person's surname as an organisation
                parts = _name_parts(self.doc, c)
                if parts and parts[-1] in self.by_last:
                    c.analysis = replace(a, person=True, named=True)
                    c.code = replace(c.code, kind="person", resolution="person name")
                    if self._named_person(i) is not None:
                        continue
                    c.analysis, c.code = a, replace(c.code, kind="org")
            self._group(i)
        for i in firsts:
            self._first_person(i)


def _quote_regions(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges (open quote, close quote) of quotations; a paragraph break ends one."""
    out: list[tuple[int, int]] = []
    start: int | None = None
    for tok in doc:
        text = tok.text
        if "\n\n" in text or (tok.is_space and "\n" in text):
            start = None
            continue
        if text in _OPEN_QUOTES or (text == '"' and start is None):
            start = tok.i
        elif (text in _CLOSE_QUOTES or text == '"') and start is not None:
            out.append((start, tok.i))
            start = None
    return out


def _quote_speaker(doc: Doc, region: tuple[int, int]) -> Token | None:
    """The subject of the speech verb right after the quote ("...," the minister told
    reporters) or right before it (The minister said: "...")."""
    open_i, close_i = region
    after = doc[close_i].sent
    for tok in doc[close_i + 1 : after.end]:
        if tok.pos_ == "VERB" and tok.lemma_.lower() in SPEECH_VERBS:
            subj = next((ch for ch in tok.children if ch.dep_ == "nsubj"), None)
            if subj is not None and not open_i <= subj.i <= close_i:
                return subj
            break
    before = doc[open_i].sent
    for tok in reversed(doc[before.start : open_i]):
        if tok.pos_ == "VERB" and tok.lemma_.lower() in SPEECH_VERBS:
            return next((ch for ch in tok.children if ch.dep_ == "nsubj"), None)
    return None


# --------------------------------------------------------------------------- assembly


def _main_country(cands: Iterable[_Cand]) -> str | None:
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for c in cands:
        country = c.code.country if c.code else None
        if country and country not in _NON_STATE and len(country) == 3:
            counts[country] += 1
            first.setdefault(country, c.start)
    if not counts:
        return None
    return min(counts, key=lambda k: (-counts[k], first[k]))


def _with_country(code: ActorCode, country: str, why: str) -> ActorCode:
    """A role's code given the country another mention supplies."""
    return replace(code, country=country, code=actor_code(country, code.sectors), resolution=f"{code.resolution}; {why}")


def _possessor_country(doc: Doc, cands: list[_Cand]) -> None:
    """ "its soldiers", "their spokesman": a role without a country takes its owner's country."""
    by_head = {c.head: c for c in cands}
    for n, c in enumerate(cands):
        code = c.code
        if c.pronoun is not None or code is None or code.country is not None or not c.analysis.role:
            continue
        for child in doc[c.head].lefts:
            owner = by_head.get(child.i) if child.dep_ == "poss" else None
            ent = owner.entity if owner is not None else None
            if ent is None or ent.code is None or ent.code.country is None:
                continue
            c.code = _with_country(code, ent.code.country, f"country of the possessor ({child.text})")
            if c.entity is not None and c.entity.members == [n]:
                c.entity.code = c.code
            break


def _shared_nationality(doc: Doc, cands: list[_Cand]) -> None:
    """ "the Danish media and government": a bare role noun coordinated after a role with a
    nationality word in front shares that nationality."""
    by_head = {c.head: c for c in cands}
    for c in cands:
        code = c.code
        tok = doc[c.head]
        if c.pronoun is not None or code is None or code.country is not None or not code.sectors:
            continue
        if tok.dep_ != "conj" or any(ch.dep_ in ("amod", "compound", "poss", "nmod") for ch in tok.lefts):
            continue
        first = by_head.get(tok.head.i)
        first_code = first.code if first is not None else None
        if first is None or first_code is None or first_code.country is None or not first_code.sectors:
            continue
        if not any(ch.dep_ in ("amod", "compound") and ch.i < tok.head.i for ch in tok.head.lefts):
            continue  # "Lawmakers in Arnor and officials": no shared word in front
        c.code = _with_country(code, first_code.country, f"nationality shared with '{doc[first.start : first.end].text}'")
        if c.entity is not None and c.entity.code is code:
            c.entity.code = c.code


def annotate_entities(doc: Doc, *, dictionaries: Dictionaries | None = None) -> Doc:
    """Find, code and cluster the actor mentions of ``doc``; sets ``ne_mentions``/``ne_entities``.

    Names are looked up in ``dictionaries`` (loaded PETRARCH/CAMEO files) first, then in the
    built-in knowledge; date-bounded roles are resolved against ``doc._.ne_pub_date``.
    """
    register_extensions()
    sent_ids = _sentence_ids(doc)
    date = doc._.ne_pub_date
    dscan = _DictScan(doc, dictionaries) if dictionaries is not None else None
    cands = _candidates(doc, sent_ids, date=date, dscan=dscan)
    context = _main_country(cands)
    if context is not None:
        for c in cands:
            if c.analysis.needs_context:
                span = doc[c.start : c.end]
                c.analysis = analyse_phrase(span, context_country=context)
                c.code = c.analysis.code
    clusterer = _Clusterer(doc, cands)
    clusterer.run()
    _possessor_country(doc, cands)
    _shared_nationality(doc, cands)

    ids: dict[int, str] = {}
    ordered: list[_Ent] = []
    for c in cands:
        if c.entity is not None and id(c.entity) not in ids:
            ids[id(c.entity)] = f"e{len(ids) + 1}"
            ordered.append(c.entity)
    mentions: list[Mention] = []
    for c in cands:
        ent = c.entity
        code = c.code
        if ent is not None:
            code = (
                ent.code if c.pronoun is not None or code is None else _merge_code(code, ent.code)
            )
        reason = c.resolution or (code.resolution if code else "")
        mentions.append(
            Mention(
                start=c.start,
                end=c.end,
                head=c.head,
                code=code,
                entity_id=ids.get(id(ent)) if ent is not None else None,
                pronoun=c.pronoun is not None,
                resolution=reason,
            )
        )
    entities: list[Entity] = []
    for ent in ordered:
        eid = ids[id(ent)]
        members = tuple(m for m in mentions if m.entity_id == eid)
        name = ent.name or (ent.code.name if ent.code else None)
        entities.append(Entity(id=eid, name=name, code=ent.code, mentions=members))
    groups: dict[int, tuple[tuple[str | None, ActorCode], ...]] = {}
    for i, pair in clusterer.groups.items():
        groups[cands[i].head] = tuple((ids.get(id(e)), code) for e, code in pair)
    doc._.ne_mentions = mentions
    doc._.ne_entities = entities
    doc.user_data.pop(_USER_KEY, None)
    doc.user_data[_GROUP_KEY] = groups
    return doc


def group_members(doc: Doc, token_index: int) -> tuple[tuple[str | None, ActorCode], ...]:
    """For a group reference ("the two countries") headed at ``token_index``: its members as
    (entity id, code) pairs in document order; empty for any other token."""
    groups: dict[int, tuple[tuple[str | None, ActorCode], ...]] = doc.user_data.get(_GROUP_KEY) or {}
    return groups.get(token_index, ())


def _by_head(doc: Doc) -> dict[int, Mention]:
    cached = doc.user_data.get(_USER_KEY)
    mentions = doc._.ne_mentions or []
    if cached is not None and cached[0] is mentions:
        table: dict[int, Mention] = cached[1]
        return table
    table = {m.head: m for m in mentions}
    doc.user_data[_USER_KEY] = (mentions, table)
    return table


def mention_at(doc: Doc, token_index: int) -> Mention | None:
    """The mention headed by ``token_index``, else the smallest mention containing it.

    Pronouns and surnames carry the resolved code of their entity.
    """
    register_extensions()
    m = _by_head(doc).get(token_index)
    if m is not None:
        return m
    best: Mention | None = None
    for cand in doc._.ne_mentions or []:
        if cand.start > token_index:
            break
        if cand.start <= token_index < cand.end and (
            best is None or cand.end - cand.start < best.end - best.start
        ):
            best = cand
    return best


def entity_by_id(doc: Doc, id: str) -> Entity | None:
    """The document-level entity with this id ("e1", "e2", ...), if any."""
    register_extensions()
    entities: list[Entity] = doc._.ne_entities or []
    for ent in entities:
        if ent.id == id:
            return ent
    return None


class EntitiesComponent:
    """spaCy pipeline component wrapping :func:`annotate_entities`.

    ``dictionaries``: paths of PETRARCH/CAMEO ``.actors`` and ``agents`` files to look names up
    in before the built-in knowledge (see :mod:`newsevents.knowledge.petrarch`).
    """

    def __init__(
        self, nlp: Language, name: str, dictionaries: Sequence[str | Path] | None = None
    ) -> None:
        self.name = name
        paths = [str(p) for p in dictionaries or ()]
        self.dictionaries: Dictionaries | None = load_dictionaries(paths) if paths else None

    def __call__(self, doc: Doc) -> Doc:
        return annotate_entities(doc, dictionaries=self.dictionaries)


@Language.factory(
    "newsevents_entities",
    requires=["token.dep", "token.pos", "doc.ents"],
    assigns=["doc._.ne_mentions", "doc._.ne_entities"],
    default_config={"dictionaries": []},
)
def make_entities(nlp: Language, name: str, dictionaries: list[str]) -> EntitiesComponent:
    register_extensions()
    return EntitiesComponent(nlp, name, dictionaries)
