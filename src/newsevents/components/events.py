"""Events stage: turn triggers, arguments, factuality, dates, places and counts into typed
:class:`~newsevents.model.Event` records with evidence in the original text's offsets.

Confidence is a transparent score, not a probability: 0.40 to start, +0.25 when an actor is
coded with a country or organisation, +0.20 when a recipient is coded (or the event type needs
none and has none), +0.10 for a verb or light-verb trigger, +0.05 when the lexicon entry matched
with constraints (object, preposition, particle, ...); then x0.85 when the event is reported or
announced for the future. Capped at 0.99.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsevents._version import __version__
from newsevents.annotations import ActorCode, Arguments, FactualityAnn, Trigger, register_extensions
from newsevents.components.allegations import (
    accused_parties,
    allegation_code,
    is_accuser,
    is_speech_cue,
)
from newsevents.components.entities import group_members, mention_at
from newsevents.components.factuality import REFUSAL
from newsevents.components.size import extract_size
from newsevents.components.when import resolve_event_date
from newsevents.components.where import event_location
from newsevents.knowledge import code_phrase, knowledge_version
from newsevents.knowledge.coder import actor_code, country_code
from newsevents.knowledge.discards import Discards, load_discards
from newsevents.lexicon.compose import composed_code
from newsevents.lexicon.schema import load_lexicon
from newsevents.model import (
    Actor,
    Count,
    Entity,
    EntityMention,
    Event,
    EventDate,
    Evidence,
    Place,
    Size,
)
from newsevents.model import Span as TextSpan
from newsevents.ontology import cameo_info, event_type_info, ontology_version, plover_score
from newsevents.text import OffsetMap

__all__ = ["build_events", "entity_records", "EMITTED", "FUTURE_INTENT"]

EMITTED = frozenset({"asserted", "reported", "future"})
"""Factuality values that become events; negated, hypothetical and intended ones do not."""

FUTURE_INTENT = ("030", "130")
"""Announced future actions take the composed code of "intend to" (030: cooperation → AGREE 03x)
or, failing that, of "threaten to" (130: conflict → THREATEN 13x); see ``lexicon/compose.yaml``."""

ALLEGATION_RULE = "allegation.reported_act"
"""``evidence.rule`` of an allegation derived from a reported act (``components/allegations.py``)."""

REFUSAL_CODE = "120"
"""A refusal ("will not accept refugees") takes the composed code of "reject" + the refused act."""

_RETREAT_FUTURE = {"release": "0353", "withdraw": "0356", "ceasefire": "0356", "disarm": "0356", "resign": "0341", "access": "0355"}


class _Mapper:
    """Maps doc character offsets to the original text."""

    def __init__(self, doc: Doc) -> None:
        offsets: OffsetMap | None = doc._.ne_offsets
        article = doc._.ne_article
        self.original: str = article.text if article is not None and offsets is not None else doc.text
        self.offsets = offsets

    def span(self, start: int, end: int) -> tuple[int, int, str]:
        if self.offsets is not None:
            start, end = self.offsets.to_original(start, end)
        return start, end, self.original[start:end]


def entity_records(doc: Doc) -> list[Entity]:
    """The document's entity clusters as public records, offsets in the original text."""
    article = doc._.ne_article
    doc_id = article.id if article is not None else ""
    mapper = _Mapper(doc)
    out: list[Entity] = []
    for entity in doc._.ne_entities or ():
        mentions = []
        for m in entity.mentions:
            span = doc[m.start : m.end]
            start, end, text = mapper.span(span.start_char, span.end_char)
            mentions.append(
                EntityMention(text=text, start=start, end=end, pronoun=m.pronoun, resolution=m.resolution or None)
            )
        code = entity.code
        out.append(
            Entity(
                doc_id=doc_id,
                entity_id=entity.id,
                name=entity.name,
                country=code.country if code else None,
                sector=code.sector if code else None,
                sectors=list(code.sectors) if code else [],
                code=code.code if code else None,
                kind=code.kind if code else "unknown",
                resolution=code.resolution or None if code else None,
                mentions=mentions,
            )
        )
    return out


def _phrase(doc: Doc, head: Token) -> Span:
    """A short noun phrase around an uncoded argument head (left modifiers + head)."""
    left = head.i
    for child in head.lefts:
        if child.dep_ in ("compound", "amod", "nummod", "poss", "det", "nmod", "quantmod") and child.i < left:
            left = child.left_edge.i if child.dep_ == "poss" else child.i
    return doc[left : head.i + 1]


def _conjoined_demonyms(doc: Doc, head: int, mapper: _Mapper) -> list[Actor]:
    """ "his Egyptian and Jordanian counterparts" → one actor per nationality, same role."""
    noun = doc[head]
    first = next((c for c in noun.children if c.dep_ in ("amod", "nmod", "compound") and c.i < noun.i and c.conjuncts), None)
    if first is None:
        return []
    role = code_phrase(doc[noun.i : noun.i + 1])
    actors = []
    for adj in sorted({first, *first.conjuncts}, key=lambda t: t.i):
        own = code_phrase(doc[adj.i : adj.i + 1])
        if own is None or own.country is None:
            return []
        sectors = role.sectors if role is not None else ()
        code = (own.code or own.country) + "".join(sectors) if sectors else own.code
        actors.append(
            _word_actor(adj, mapper, own.name, own.country, sectors, code, f"conjoined demonym + role noun '{noun.text}'")
        )
    return actors


def _word_actor(
    token: Token, mapper: _Mapper, name: str | None, country: str, sectors: tuple[str, ...], code: str | None, why: str
) -> Actor:
    """One actor spanning one word of a phrase that names several ("Egyptian and Jordanian")."""
    start, end, text = mapper.span(token.idx, token.idx + len(token.text))
    return Actor(
        text=text,
        name=name,
        country=country,
        sector=sectors[0] if sectors else None,
        sectors=list(sectors),
        code=code,
        start=start,
        end=end,
        resolution=why,
    )


_PLACE_OF_ROLE = ("in", "of", "from")


def _shared_role(doc: Doc, head: int, mapper: _Mapper) -> list[Actor]:
    """ "lawmakers in Arnor and Gondor", "officials in Moscow and Beijing" → one actor per
    country, each with the role noun's sectors. All places must be coded, or nothing changes."""
    mention = mention_at(doc, head)
    if mention is None or mention.code is None or not mention.code.sectors or mention.code.country is None:
        return []
    noun = doc[head]
    pobj = next(
        (g for c in noun.rights if c.dep_ == "prep" and c.lower_ in _PLACE_OF_ROLE for g in c.children if g.dep_ == "pobj"),
        None,
    )
    if pobj is None or not (mention.start <= pobj.i < mention.end):
        return []
    others = [t for t in pobj.conjuncts if t.i > pobj.i]
    if not others:
        return []
    sectors = mention.code.sectors
    out = [_actor(doc, head, mapper)]
    for other in others:
        place = mention_at(doc, other.i)
        code = place.code if place is not None and place.head == other.i else None
        if code is None or code.country is None or (code.sectors and code.kind != "capital"):
            return []  # a place, or a capital standing for its country; never another role
        base = code.code if code.kind == "country" and code.code else country_code(code.country)
        why = f"role noun '{noun.text}' shared by the coordinated place '{other.text}'"
        out.append(_word_actor(other, mapper, None, code.country, sectors, base + "".join(sectors[:3]), why))
    return out


def _group_actors(doc: Doc, head: int, mapper: _Mapper) -> list[Actor]:
    """ "the two countries" → one actor per resolved member, each keeping the group's words."""
    members = group_members(doc, head)
    mention = mention_at(doc, head) if members else None
    if mention is None:
        return []
    span = doc[mention.start : mention.end]
    start, end, text = mapper.span(span.start_char, span.end_char)
    return [
        Actor(
            text=text,
            name=code.name,
            country=code.country,
            sector=code.sector,
            sectors=list(code.sectors),
            code=code.code,
            start=start,
            end=end,
            entity_id=entity_id,
            resolution=code.resolution or None,
        )
        for entity_id, code in members
    ]


def _actors(doc: Doc, heads: tuple[int, ...], mapper: _Mapper) -> list[Actor]:
    out: list[Actor] = []
    for head in heads:
        out.extend(
            _group_actors(doc, head, mapper)
            or _conjoined_demonyms(doc, head, mapper)
            or _shared_role(doc, head, mapper)
            or [_actor(doc, head, mapper)]
        )
    return out


def _own_name_code(token: Token) -> ActorCode | None:
    """A demonym or name chosen as a participant inside a larger uncoded phrase ("the *Russian*
    building", "an *Islamic State* target"): its own code."""
    if (token.ent_type_ not in ("NORP", "GPE", "ORG") and token.pos_ != "PROPN") or token.dep_ not in ("amod", "compound", "poss", "nmod", "appos"):
        return None
    code = code_phrase(token.doc[token.i : token.i + 1])
    if code is not None and token.ent_type_ not in ("NORP", "GPE", "ORG") and code.country is None and code.code is None:
        return None  # a bare name ("Patriot missiles") owns nothing
    return code


def _actor(doc: Doc, head: int, mapper: _Mapper) -> Actor:
    mention = mention_at(doc, head)
    code: ActorCode | None
    own = _own_name_code(doc[head]) if mention is None or mention.code is None else None
    if own is not None:
        span = doc[head : head + 1]
        code, entity_id, resolution = own, None, own.resolution or "name or demonym on a thing it owns"
    elif mention is not None:
        span = doc[mention.start : mention.end]
        code = mention.code
        entity_id = mention.entity_id
        resolution = mention.resolution or (code.resolution if code else "")
    else:
        span = _phrase(doc, doc[head])
        code, entity_id, resolution = None, None, "not in the knowledge base"
    start, end, text = mapper.span(span.start_char, span.end_char)
    return Actor(
        text=text,
        name=code.name if code else None,
        country=code.country if code else None,
        sector=code.sector if code else None,
        sectors=list(code.sectors) if code else [],
        code=code.code if code else None,
        start=start,
        end=end,
        entity_id=entity_id,
        resolution=resolution or None,
    )


def s_start_of(sent: Span, mapper: _Mapper) -> tuple[int, int]:
    """The sentence's character range in the original text."""
    start, end, _ = mapper.span(sent.start_char, sent.end_char)
    return start, end


def _protest_host(place: Place, sentence: tuple[int, int]) -> list[Actor]:
    """A protest with no named target is addressed to the country it takes place in ("activists
    staged a protest in Beijing" → CHN), when the place is named in the same sentence."""
    if place.country is None or place.start is None or place.end is None or place.precision == "inferred":
        return []
    if not (sentence[0] <= place.start and place.end <= sentence[1]):
        return []
    return [
        Actor(
            text=place.text,
            name=place.name,
            country=place.country,
            start=place.start,
            end=place.end,
            resolution="country where the protest takes place (no target named)",
        )
    ]


LOCAL_TYPES = frozenset({"ASSAULT", "PROTEST"})
"""Event types whose place is where their unnamed people are: victims of violence, protesters.
Never a visit's destination ("100 women travelled to Syria") or a detention ("a man from
Birmingham detained in Syria")."""

_FOREIGN = frozenset({"foreign", "foreigners", "international", "western", "expatriate", "expatriates", "expat", "expats", "tourist", "tourists", "visiting"})

LOCAL_SECTORS = frozenset({"CVL", "COP", "JUD", "LEG"})
"""Sectors of unnamed people and local bodies that belong to the country where the event takes
place when the text names no other ("four children were killed in Gaza" → PSE CVL), as ICEWS's
"Citizen (Country)" does. Governments, armed forces, rebels and gunmen are left out: they are
often foreign ("the militant group that seized parts of Iraq")."""


def _in_clause(doc: Doc, head: Token, place: Place) -> bool:
    """The event's place is named inside the trigger's own phrase ("killed ... in Kabul"), not
    elsewhere in the sentence ("a UK-based group said eight people were killed")."""
    if place.start is None or place.end is None or place.precision == "inferred":
        return False
    span = doc.char_span(place.start, place.end, alignment_mode="expand")
    if span is None:
        return False
    clause = head.head if head.dep_ in ("dobj", "pobj", "nsubj", "nsubjpass") and head.pos_ == "NOUN" else head
    return all(clause.left_edge.i <= t.i <= clause.right_edge.i for t in span)


def _local(actor: Actor, place: Place) -> Actor:
    """An actor with a local sector and no country takes the country of the event's place."""
    if actor.country is not None or actor.sector not in LOCAL_SECTORS or place.country is None:
        return actor
    if actor.text.lower() in _PERSONAL or _FOREIGN & set(actor.text.lower().split()):
        return actor  # "they sought protection", "foreign nationals": their people come from elsewhere
    return actor.model_copy(
        update={
            "country": place.country,
            "code": actor_code(place.country, tuple(actor.sectors) or (actor.sector,)),
            "resolution": f"{actor.resolution or 'role noun'}; country of the event's place '{place.text}' (no country named)",
        }
    )


def _map_date(date: EventDate, mapper: _Mapper) -> EventDate:
    if date.start is None or date.end_char is None:
        return date
    start, end, text = mapper.span(date.start, date.end_char)
    return date.model_copy(update={"start": start, "end_char": end, "text": text})


def _map_place(place: Place | None, mapper: _Mapper) -> Place | None:
    if place is None or place.start is None or place.end is None:
        return place
    start, end, text = mapper.span(place.start, place.end)
    return place.model_copy(update={"start": start, "end": end, "text": text})


def _map_count(count: Count, mapper: _Mapper) -> Count:
    start, end, text = mapper.span(count.start, count.end)
    parts = [_map_count(p, mapper) for p in count.parts]
    return count.model_copy(update={"start": start, "end": end, "text": text, "parts": parts})


def _map_size(size: Size, mapper: _Mapper) -> Size:
    if not size.counts:
        return size
    return size.model_copy(update={"counts": [_map_count(c, mapper) for c in size.counts]})


def _recode_future(trigger: Trigger) -> str:
    """Announced future actions: cooperation → AGREE (03x); conflict → THREATEN (13x).

    As the PLOVER manual says, a future concession stays a concession ("will abandon ties"). An
    announced retreat ("will release the hostages") takes CAMEO's "intend to yield" (035x) and so
    AGREE, as the PLOVER gold-standard records code it (the manual's text also allows CONCEDE)."""
    if trigger.event_type == "CONCEDE":
        return trigger.cameo
    if trigger.event_type == "RETREAT":
        return _RETREAT_FUTURE.get(trigger.mode or "", "035")
    for governor in FUTURE_INTENT:
        code = composed_code(governor, trigger.event_type)
        if code is not None:
            return code
    return trigger.cameo


def _event_id(doc_id: str, trigger_start: int, cameo: str, actors: list[Actor], recipients: list[Actor]) -> str:
    key = "|".join(
        [doc_id, str(trigger_start), cameo]
        + [f"a{a.start}:{a.end}" for a in actors]
        + [f"r{r.start}:{r.end}" for r in recipients]
    )
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


def _confidence(verbal: bool, actors: list[Actor], recipients: list[Actor], factuality: str, specific: bool, needs_recipient: bool) -> float:
    score = 0.40
    if any(a.country or a.code for a in actors):
        score += 0.25
    if any(r.country or r.code for r in recipients) or (not needs_recipient and not recipients):
        score += 0.20
    if verbal:
        score += 0.10
    if specific:
        score += 0.05
    if factuality in ("reported", "future"):
        score *= 0.85
    return round(min(score, 0.99), 3)


_PERSONAL = frozenset({"he", "she", "they", "it", "we", "his", "her", "their", "its", "our", "him", "them", "us"})
_LEADING = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her"})


def _identified(actor: Actor) -> bool:
    """The participant is someone: it has a country, organisation or sector code, or it is a
    name ("Lt. Gen. Prosper Avril", "the NPFL"); "asset" or "The statement" is no one."""
    if actor.code or actor.country or actor.sector:
        return True
    words = actor.text.split()
    if len(words) == 1 and words[0].lower() in _PERSONAL:
        return True  # "its investigation", "they": someone the article has named
    if words and words[0].lower() in _LEADING:
        words = words[1:]
    return any(w[:1].isupper() for w in words)


def _same(a: Actor, b: Actor) -> bool:
    """Two mentions of one entity: an entity does not meet itself."""
    return a.entity_id is not None and a.entity_id == b.entity_id


def _symmetric_partners(actors: list[Actor], recipients: list[Actor]) -> list[Actor]:
    """The recipients of a reciprocal event that are someone else: "Gondor and Osgiliath
    postponed their meeting" and "X and Y renewed diplomatic ties" have no third party, so the
    event runs between the actors. Kept: named (coded) recipients, and any recipient of a
    single actor."""
    others = [r for r in recipients if not any(_same(r, a) for a in actors)]
    if len(actors) > 1:
        others = [r for r in others if r.code is not None or r.country is not None]
    return others


@lru_cache(maxsize=4)
def _versions(
    lexicon_dir: str | None, verb_dictionaries: tuple[str, ...] = (), discards_digest: str | None = None
) -> dict[str, str]:
    out = {
        "newsevents": __version__,
        "lexicon": load_lexicon(lexicon_dir, verb_dictionaries).version,
        "knowledge": knowledge_version(),
        "ontology": ontology_version(),
    }
    if discards_digest is not None:
        out["discards"] = discards_digest
    return out


@lru_cache(maxsize=4)
def _specific_entries(lexicon_dir: str | None, verb_dictionaries: tuple[str, ...] = ()) -> frozenset[str]:
    return frozenset(e.id for e in load_lexicon(lexicon_dir, verb_dictionaries).all_entries if e.specificity > 0)


def build_events(
    doc: Doc,
    *,
    lexicon_dir: str | None = None,
    keep_unasserted: bool = False,
    verb_dictionaries: tuple[str, ...] = (),
    discards: Discards | None = None,
) -> list[Event]:
    triggers: list[Trigger] = doc._.ne_triggers or []
    if not triggers:
        return []
    arguments: dict[str, Arguments] = doc._.ne_arguments or {}
    factuality: dict[str, FactualityAnn] = doc._.ne_factuality or {}
    places = doc._.ne_places or []
    article = doc._.ne_article
    doc_id = article.id if article is not None else "doc"
    pub_date: dt.date | None = doc._.ne_pub_date or (article.date if article is not None else None)
    mapper = _Mapper(doc)
    sents = list(doc.sents)
    sent_of = {s.start: n for n, s in enumerate(sents)}
    versions = _versions(lexicon_dir, verb_dictionaries, discards.digest if discards is not None else None)
    if discards is not None and discards.story_hit(doc.text):
        return []  # a story-level discard phrase: the article is out of scope
    specific = _specific_entries(lexicon_dir, verb_dictionaries)
    embedded: dict[int, Trigger] = {}
    for trigger in triggers:
        fact = factuality.get(trigger.id)
        if fact is not None and fact.factuality == "intended" and fact.cue is not None:
            embedded.setdefault(fact.cue, trigger)
    consequences = _consequences(doc, triggers)
    victims: dict[str, list[int]] = {}
    for trigger in triggers:
        if trigger.id in consequences:
            named = [i for i in arguments.get(trigger.id, Arguments()).recipient if doc[i].pos_ != "NUM"]  # not "wounding 12"
            victims.setdefault(consequences[trigger.id], []).extend(named)
    events: list[Event] = []
    trigger_tokens = {i for t in triggers for i in t.tokens}
    alleged: set[tuple[int, int, tuple[int, ...]]] = set()
    for trigger in triggers:
        fact = factuality.get(trigger.id, FactualityAnn("asserted"))
        if fact.factuality not in EMITTED and not keep_unasserted:
            continue
        if trigger.id in consequences:
            continue  # ", killing eight people": the attack's toll, not another attack
        args = arguments.get(trigger.id, Arguments())
        if trigger.id in victims and not any(_coded_head(doc, i) for i in args.recipient):
            # "attacked an army base, killing five soldiers": the people killed are its recipients
            args = Arguments(
                actor=args.actor,
                recipient=tuple(dict.fromkeys([*args.recipient, *victims[trigger.id]])),
                actor_rule=args.actor_rule,
                recipient_rule=args.recipient_rule or "the people its consequence clause names",
            )
        if not args.actor and not args.recipient:
            continue
        if discards is not None and discards.sentence_hit(doc[trigger.token].sent.text):
            continue  # a sentence-level discard phrase ("BASEBALL", "1945")
        cameo = trigger.cameo
        inner = embedded.get(trigger.token)
        if inner is not None:
            cameo = composed_code(trigger.cameo, inner.event_type) or cameo
        if fact.factuality == "future":
            cameo = _recode_future(trigger)
        elif fact.rule.startswith(REFUSAL):
            cameo = composed_code(REFUSAL_CODE, trigger.event_type) or REFUSAL_CODE
        info = cameo_info(cameo)
        event_type = info.event_type if cameo != trigger.cameo else trigger.event_type
        if not event_type:
            continue
        mode = info.mode if cameo != trigger.cameo else trigger.mode
        context = list(info.context if cameo != trigger.cameo else trigger.context)
        type_info = event_type_info(event_type)
        head = doc[trigger.token]
        sent = head.sent
        sent_index = sent_of.get(sent.start, 0)
        actors = _actors(doc, args.actor, mapper)
        recipients = _actors(doc, args.recipient, mapper)
        reported_by = _actor(doc, fact.reported_by, mapper) if fact.reported_by is not None else None
        date = _map_date(resolve_event_date(sent, head, pub_date), mapper)
        place = event_location(sent, head, places, sent_index=sent_index)
        location = _map_place(place, mapper)
        size = _map_size(extract_size(sent, head, event_type), mapper)
        if event_type == "PROTEST" and not recipients and location is not None:
            recipients = _protest_host(location, s_start_of(sent, mapper))
        if event_type in LOCAL_TYPES and location is not None and place is not None and _in_clause(doc, head, place):
            actors = [_local(a, location) for a in actors]
            recipients = [_local(r, location) for r in recipients]
        trig_tokens = [doc[i] for i in trigger.tokens]
        t_start, t_end, t_text = mapper.span(head.idx, head.idx + len(head.text))
        if len(trig_tokens) > 1 and trig_tokens[-1].i - trig_tokens[0].i <= len(trig_tokens) + 2:
            # a compact phrase ("held talks", "called for"); else the head word alone
            t_start, t_end, t_text = mapper.span(trig_tokens[0].idx, trig_tokens[-1].idx + len(trig_tokens[-1].text))
        evidence = _evidence(sent, sent_index, (t_start, t_end, t_text), trigger.entry, mapper)
        recipients = [r for r in recipients if not any(_same(r, a) for a in actors)]  # "halted his march"
        if not any(_identified(p) for p in (*actors, *recipients)):
            continue  # "asset freezes": no participant anyone could identify; not event data
        if trigger.symmetric and recipients:
            recipients = _symmetric_partners(actors, recipients)
        directions: list[tuple[list[Actor], list[Actor]]]
        if trigger.symmetric and recipients and fact.factuality == "future" and actors:
            directions = [(actors, recipients)]  # "X will meet Y": only X has said so
        elif trigger.symmetric and recipients:
            directions = [(actors, recipients), (recipients, actors)] if actors else [(recipients, [])]
        elif trigger.symmetric and len(actors) > 1:
            directions = [([a], [b]) for a in actors for b in actors if a is not b and not _same(a, b)]
        else:
            directions = [(actors, recipients)]
        coded = [(act, rec, cameo, info, event_type, mode, context) for act, rec in directions]
        if trigger.reverse_cameo and actors and any(_identified(r) for r in recipients) and cameo == trigger.cameo:
            # "arrived in Gondor" (042): Gondor hosts the visit (043), as the entry says
            back = cameo_info(trigger.reverse_cameo)
            if back.event_type:
                coded.append((recipients, actors, back.code, back, back.event_type, back.mode, list(back.context)))
        for act, rec, cameo, info, event_type, mode, context in coded:
            type_info = event_type_info(event_type)
            events.append(
                Event(
                    doc_id=doc_id,
                    event_id=_event_id(doc_id, t_start, cameo, act, rec),
                    event_type=event_type,
                    mode=mode,
                    context=context,
                    cameo=cameo,
                    cameo_name=info.name,
                    quad_class=type_info.quad_class,
                    goldstein=info.goldstein,
                    plover_score=plover_score(event_type, mode),
                    actor=act,
                    recipient=rec,
                    date=date,
                    location=location,
                    size=size,
                    reported_by=reported_by,
                    factuality=fact.factuality,
                    evidence=evidence,
                    confidence=_confidence(
                        head.pos_ in ("VERB", "AUX"), act, rec, fact.factuality, trigger.entry in specific, type_info.requires_recipient
                    ),
                    versions=versions,
                )
            )
        if fact.factuality == "reported" and reported_by is not None and fact.cue is not None and fact.cue not in trigger_tokens:
            allegation = _allegation(
                doc, fact.cue, reported_by, (actors, recipients), event_type, mapper, pub_date, sent_index, versions, doc_id
            )
            if allegation is not None:
                key = (fact.cue, reported_by.start, tuple(a.start for a in allegation.recipient))
                if key not in alleged:
                    alleged.add(key)
                    events.append(allegation)
    return events


_CONSEQUENCE_TYPES = frozenset({"ASSAULT"})


def _consequences(doc: Doc, triggers: list[Trigger]) -> dict[str, str]:
    """ "Rebels attacked the base, killing five soldiers and wounding 12": participle clauses that
    state what an attack did are its toll (its size already counts them), not further attacks.
    Maps each such trigger's id to the id of the attack it belongs to."""
    by_head = {t.token: t for t in triggers}
    out: dict[str, str] = {}
    for trigger in triggers:
        verb = doc[trigger.token]
        if trigger.event_type not in _CONSEQUENCE_TYPES or verb.tag_ != "VBG":
            continue
        if verb.dep_ != "advcl" and not (verb.dep_ == "conj" and verb.head.tag_ == "VBG"):
            continue  # ", killing ..." or "..., killing five and wounding 12"; never "and are shelling"
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            continue  # a clause with a subject of its own states its own act
        head = verb.head
        while head.tag_ == "VBG" and head.dep_ in ("conj", "advcl") and head.head.i != head.i:
            head = head.head  # "killing five and wounding 12": both belong to the attack
        main = by_head.get(head.i)
        if main is not None and main.id != trigger.id and main.event_type in _CONSEQUENCE_TYPES:
            out[trigger.id] = main.id
    return out


def _coded_head(doc: Doc, i: int) -> bool:
    mention = mention_at(doc, i)
    return mention is not None and mention.code is not None and (mention.code.country is not None or mention.code.code is not None)


def _evidence(sent: Span, sent_index: int, trigger: tuple[int, int, str], rule: str, mapper: _Mapper) -> Evidence:
    s_start, s_end, s_text = mapper.span(sent.start_char, sent.start_char + len(sent.text.rstrip()))
    t_start, t_end, t_text = trigger
    return Evidence(
        sentence=s_text,
        sentence_index=sent_index,
        start=s_start,
        end=s_end,
        trigger=TextSpan(text=t_text, start=t_start, end=t_end),
        rule=rule,
    )


def _allegation(
    doc: Doc,
    cue: int,
    speaker: Actor,
    participants: tuple[list[Actor], list[Actor]],
    event_type: str,
    mapper: _Mapper,
    pub_date: dt.date | None,
    sent_index: int,
    versions: dict[str, str],
    doc_id: str,
) -> Event | None:
    """The speaker's allegation against the actors of a reported act (see ``allegations``)."""
    code = allegation_code(event_type)
    verb = doc[cue]
    actors, targets = participants
    if code is None or not is_speech_cue(verb) or not is_accuser(speaker, verb, targets):
        return None
    accused = accused_parties(speaker, actors)
    if not accused:
        return None
    info = cameo_info(code)
    if not info.event_type:
        return None
    type_info = event_type_info(info.event_type)
    sent = verb.sent
    t_start, t_end, t_text = mapper.span(verb.idx, verb.idx + len(verb.text))
    return Event(
        doc_id=doc_id,
        event_id=_event_id(doc_id, t_start, code, [speaker], accused),
        event_type=info.event_type,
        mode=info.mode,
        context=list(info.context),
        cameo=code,
        cameo_name=info.name,
        quad_class=type_info.quad_class,
        goldstein=info.goldstein,
        plover_score=plover_score(info.event_type, info.mode),
        actor=[speaker],
        recipient=accused,
        date=_map_date(resolve_event_date(sent, verb, pub_date), mapper),
        location=None,
        size=Size(),
        reported_by=None,
        factuality="asserted",
        evidence=_evidence(sent, sent_index, (t_start, t_end, t_text), ALLEGATION_RULE, mapper),
        confidence=_confidence(True, [speaker], accused, "asserted", False, True),
        versions=versions,
    )


@Language.factory(
    "newsevents_events",
    default_config={"lexicon_dir": None, "keep_unasserted": False, "verb_dictionaries": [], "discards": []},
    requires=["doc._.ne_triggers", "doc._.ne_arguments", "doc._.ne_factuality", "doc._.ne_mentions"],
    assigns=["doc._.events"],
)
def make_events(
    nlp: Language,
    name: str,
    lexicon_dir: str | None,
    keep_unasserted: bool,
    verb_dictionaries: list[str],
    discards: list[str],
) -> Callable[[Doc], Doc]:
    register_extensions()
    verbs = tuple(verb_dictionaries)
    discard_lists = load_discards(discards) if discards else None  # read once, not per document

    def events(doc: Doc) -> Doc:
        doc._.events = build_events(
            doc, lexicon_dir=lexicon_dir, keep_unasserted=keep_unasserted, verb_dictionaries=verbs, discards=discard_lists
        )
        return doc

    return events
