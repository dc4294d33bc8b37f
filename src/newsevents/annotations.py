"""Typed annotations that newsevents components leave on a spaCy ``Doc``.

Components never mutate each other's output: each one *adds* an attribute, declared in its
factory's ``assigns``. Offsets here are character offsets into ``doc.text`` (the normalized
text); the events stage maps them back to the original input with the document's
:class:`~newsevents.text.OffsetMap`.

Doc extensions (registered by :func:`register_extensions`):

================  ===========================================  ==========================
attribute         type                                         set by
================  ===========================================  ==========================
``ne_article``    :class:`~newsevents.model.Article` | None    the caller / ``code_many``
``ne_offsets``    :class:`~newsevents.text.OffsetMap` | None   the caller / ``code_many``
``ne_pub_date``   ``datetime.date`` | None                     the caller (dateline wins)
``ne_dateline``   :class:`Dateline` | None                     the caller
``ne_mentions``   ``list[Mention]``                            ``newsevents_entities``
``ne_entities``   ``list[Entity]``                             ``newsevents_entities``
``ne_triggers``   ``list[Trigger]``                            ``newsevents_triggers``
``ne_arguments``  ``dict[str, Arguments]`` (by trigger id)     ``newsevents_arguments``
``ne_factuality`` ``dict[str, FactualityAnn]``                 ``newsevents_factuality``
``ne_places``     ``list[PlaceMention]``                       ``newsevents_where``
``events``        ``list[Event]``                              ``newsevents_events``
================  ===========================================  ==========================
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from spacy.tokens import Doc

__all__ = [
    "ActorCode",
    "Arguments",
    "Dateline",
    "Entity",
    "FactualityAnn",
    "Mention",
    "Trigger",
    "register_extensions",
]


@dataclass(frozen=True, slots=True)
class ActorCode:
    """What the knowledge base says about a phrase: who it is, which country and sector."""

    name: str | None
    country: str | None
    sector: str | None = None
    sectors: tuple[str, ...] = ()
    code: str | None = None
    kind: str = "unknown"  # country | capital | person | org | igo | group | role | demonym
    resolution: str = ""


@dataclass(frozen=True, slots=True)
class Mention:
    """A phrase that names or refers to an actor. Token indices are doc-level, ``end`` exclusive."""

    start: int
    end: int
    head: int
    code: ActorCode | None
    entity_id: str | None = None
    pronoun: bool = False
    resolution: str = ""


@dataclass(frozen=True, slots=True)
class Entity:
    """A document-level cluster of mentions of one actor."""

    id: str
    name: str | None
    code: ActorCode | None
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True, slots=True)
class Trigger:
    """A lexicon match: the word(s) that state an event and the lexicon entry that matched."""

    id: str  # stable within the doc: "t{token_index}"
    token: int  # head token of the trigger
    tokens: tuple[int, ...]  # every token of the trigger phrase (light verb + noun, particles)
    entry: str  # lexicon entry id
    cameo: str
    event_type: str
    mode: str | None
    context: tuple[str, ...]
    nominal: bool
    actor_roles: tuple[str, ...]
    recipient_roles: tuple[str, ...]
    symmetric: bool = False
    reverse_cameo: str | None = None  # the recipient → actor event's code ("arrived in": 042, host: 043)


@dataclass(frozen=True, slots=True)
class Arguments:
    actor: tuple[int, ...] = ()  # head tokens of actor mentions
    recipient: tuple[int, ...] = ()
    actor_rule: str = ""
    recipient_rule: str = ""


@dataclass(frozen=True, slots=True)
class FactualityAnn:
    factuality: str  # see newsevents.model.Factuality
    cue: int | None = None  # token index of the cue word
    reported_by: int | None = None  # head token of the source of a report
    reported_by_span: tuple[int, int] | None = None  # char span when the source is not a token head
    rule: str = ""


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline found before the story (``BAHRAIN, March 5 -``), in original offsets."""

    text: str
    start: int
    end: int
    place: str | None = None
    date: dt.date | None = None


@dataclass(slots=True)
class _Registered:
    done: bool = False


_STATE = _Registered()


def register_extensions() -> None:
    """Register newsevents' ``Doc`` extensions. Idempotent; safe to call from every factory."""
    if _STATE.done:
        return
    for name, default in (
        ("ne_article", None),
        ("ne_offsets", None),
        ("ne_pub_date", None),
        ("ne_dateline", None),
        ("ne_mentions", None),
        ("ne_entities", None),
        ("ne_triggers", None),
        ("ne_arguments", None),
        ("ne_factuality", None),
        ("ne_places", None),
        ("events", None),
    ):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    _STATE.done = True

