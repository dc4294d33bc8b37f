"""Typed records that flow out of newsevents: articles in, events out.

Every record is a frozen pydantic model, so stages cannot mutate each other's output and the
JSON Schema published with the package (``newsevents schema``) is generated from these classes.
Character offsets (``start``/``end``) always index the *original* input text of the article,
so ``article.text[span.start:span.end] == span.text`` holds for every span.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Actor",
    "Article",
    "Count",
    "EventDate",
    "Event",
    "Evidence",
    "Place",
    "Size",
    "Span",
    "DocError",
    "Entity",
    "EntityMention",
    "EVENT_TYPES",
    "Factuality",
    "Precision",
    "Qualifier",
]

EVENT_TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)

Factuality = Literal["asserted", "reported", "future", "intended", "hypothetical", "negated"]
"""How the text commits to the event.

``asserted``: stated in the article's own voice; ``reported``: attributed to a source
(``reported_by`` says who); ``future``: announced for the future (PLOVER codes promises and
planned meetings as AGREE); ``intended``: a threat, promise or plan that PLOVER codes as such;
``hypothetical``/``negated`` events are not emitted by default and appear only with
``keep_unasserted=True``.
"""

Precision = Literal["day", "week", "month", "year", "range", "unknown"]
Qualifier = Literal["exact", "more_than", "at_least", "nearly", "about", "up_to", "range", "vague"]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Article(_Record):
    """One input document. Only ``text`` is required."""

    id: str
    text: str
    date: dt.date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None


class Span(_Record):
    """A piece of the original text: ``text == article.text[start:end]``."""

    text: str
    start: int
    end: int


class Actor(_Record):
    """An actor, recipient or source of a report, as coded from one mention."""

    text: str = Field(description="the words of the mention as they stand in the article")
    name: str | None = Field(None, description="canonical name of the entity")
    country: str | None = Field(
        None, description="ISO-3 country code, or IGO/NGO/MNC-style code for non-state actors"
    )
    sector: str | None = Field(None, description="primary sector code: GOV, MIL, REB, CVL, ...")
    sectors: list[str] = Field(default_factory=list, description="all sector codes, primary first")
    code: str | None = Field(None, description="CAMEO actor code, e.g. IRNGOV")
    start: int
    end: int
    entity_id: str | None = Field(None, description="id of the document-level entity cluster")
    resolution: str | None = Field(None, description="why the mention got this code")


class EventDate(_Record):
    value: dt.date
    end: dt.date | None = None
    precision: Precision = "unknown"
    text: str | None = None
    start: int | None = None
    end_char: int | None = None
    rule: str | None = Field(None, description="which date rule resolved it")


class Place(_Record):
    text: str
    name: str
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    feature: Literal["city", "region", "country", "landmark", "water", "other"] = "other"
    precision: Literal["exact", "near", "inferred", "country"] = "exact"
    start: int | None = None
    end: int | None = None


class Count(_Record):
    """One number stated for an event: dead, injured, arrested or anything else."""

    kind: str = Field(description="dead, injured, arrested, displaced, rockets, ...")
    value: int | None = Field(None, description="best single value (lower bound for vague ones)")
    low: int | None = None
    high: int | None = None
    qualifier: Qualifier = "exact"
    cumulative: bool = Field(False, description="a running total (death toll) rather than this incident's")
    text: str
    start: int
    end: int
    parts: list[Count] = Field(default_factory=list, description="breakdown: 'including 40 children'")


class Size(_Record):
    dead: int | None = None
    injured: int | None = None
    arrested: int | None = None
    qualifiers: dict[str, Qualifier] = Field(default_factory=dict)
    counts: list[Count] = Field(default_factory=list, description="every count, with spans")

    @property
    def empty(self) -> bool:
        return not self.counts


class Evidence(_Record):
    sentence: str
    sentence_index: int
    start: int
    end: int
    trigger: Span
    rule: str | None = Field(None, description="lexicon entry that matched the trigger")


class Event(_Record):
    """One coded event. Field names are a public contract: add, never rename."""

    doc_id: str
    event_id: str
    event_type: str
    mode: str | None = None
    context: list[str] = Field(default_factory=list)
    cameo: str
    cameo_name: str | None = None
    quad_class: int = Field(description="1 verbal coop., 2 material coop., 3 verbal confl., 4 material confl.")
    goldstein: float
    plover_score: float | None = None
    actor: list[Actor] = Field(default_factory=list)
    recipient: list[Actor] = Field(default_factory=list)
    date: EventDate
    location: Place | None = None
    size: Size = Field(default_factory=Size)
    reported_by: Actor | None = None
    factuality: Factuality = "asserted"
    evidence: Evidence
    confidence: float
    versions: dict[str, str] = Field(default_factory=dict, description="lexicon/knowledge versions")

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class EntityMention(_Record):
    """One mention of a document-level entity, in original-text offsets."""

    text: str
    start: int
    end: int
    pronoun: bool = False
    resolution: str | None = Field(None, description="why this mention joined the entity")


class Entity(_Record):
    """A document-level actor cluster: every mention of one person, group, state or body."""

    doc_id: str
    entity_id: str
    name: str | None = None
    country: str | None = None
    sector: str | None = None
    sectors: list[str] = Field(default_factory=list)
    code: str | None = None
    kind: str = Field("unknown", description="country, capital, person, org, igo, group, role, demonym")
    resolution: str | None = None
    mentions: list[EntityMention] = Field(default_factory=list)


class DocError(_Record):
    """A document that could not be coded; emitted instead of events, the batch goes on."""

    doc_id: str
    code: str
    stage: str
    message: str
