"""Allegations: when a party says that another party committed violence or coercion, the saying
is an event of its own.

"Israel said a mortar bomb was fired at it from the Gaza Strip" states two things: a reported
attack (coded with ``reported_by`` = Israel, never as a fact) and Israel's allegation against
whoever fired, which PLOVER codes as ACCUSE with mode ``allege`` (CAMEO 1123 "accuse of
aggression"). This module decides when the second event exists; the events stage
builds it.

It exists only when
- the report hangs on a speech verb ("said", "claimed"), not on "according to" or "reportedly";
- the speaker is a party: it has a country or an actor code, and is not a news outlet (sector
  MED) — "state media reported" relays, it does not accuse;
- the speaker accuses rather than relays: the verb is one of alleging ("claimed", "alleged",
  "blamed"), or the speaker is the act's target ("Israel said a mortar was fired at it"), or a
  state speaking as such ("The US said that Iraq had attacked"). "Relief officials in Nairobi
  said", "military sources said" or "the UN refugee agency reported" relay what they saw;
- the reported act is violence (ASSAULT) and names an actor the speaker accuses: identified, not
  the speaker, and not of the speaker's own country ("Israel said its troops fired" is no
  allegation). Coercion is left out: "police said a court issued arrest warrants" reports a
  lawful act, it accuses no one.
"""

from __future__ import annotations

from spacy.tokens import Token

from newsevents.model import Actor

__all__ = ["ALLEGED_TYPES", "accused_parties", "allegation_code", "is_accuser", "is_speech_cue"]

ALLEGED_TYPES = {"ASSAULT": "1123"}
"""Reported act type → CAMEO code of the allegation (1123 "accuse of aggression")."""

_RELAYS = frozenset({"MED"})
"""Sectors that relay reports rather than make allegations: news outlets."""

_NOT_ASSERTING = frozenset({"deny", "reject", "dismiss", "doubt", "question", "wonder", "ask"})
"""Speech verbs whose complement the speaker does not assert ("denied that its troops ...")."""


def allegation_code(event_type: str) -> str | None:
    """The CAMEO code of an allegation that a party did an act of ``event_type``, if any."""
    return ALLEGED_TYPES.get(event_type)


def is_speech_cue(token: Token) -> bool:
    """A speech verb that asserts its complement ("said", "claimed", "told"), not negated."""
    if token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() in _NOT_ASSERTING:
        return False
    return not any(c.dep_ == "neg" for c in token.children)


_ALLEGING = frozenset(
    {"claim", "allege", "charge", "accuse", "blame", "insist", "assert", "maintain"}
)
"""Speech verbs that make their complement an allegation whoever the speaker is."""


def is_accuser(speaker: Actor, verb: Token, targets: list[Actor]) -> bool:
    """Whether the source of a report accuses: a coded party, not a news outlet, that uses an
    alleging verb, is the act's target, or is a state speaking as such."""
    if speaker.country is None and speaker.code is None:
        return False
    if (set(speaker.sectors) | {speaker.sector or ""}) & _RELAYS:
        return False
    if verb.lemma_.lower() in _ALLEGING:
        return True
    if any(
        _same(speaker, t) or (t.country is not None and t.country == speaker.country)
        for t in targets
    ):
        return True
    return speaker.sector is None and not speaker.sectors and speaker.country is not None


def _coded_party(actor: Actor) -> bool:
    """Coded with a country, actor code or sector (a bare name cannot be accused here)."""
    return bool(actor.country or actor.code or actor.sector)


def _same(a: Actor, b: Actor) -> bool:
    if a.entity_id is not None and a.entity_id == b.entity_id:
        return True
    return (a.start, a.end) == (b.start, b.end)


def accused_parties(speaker: Actor, actors: list[Actor]) -> list[Actor]:
    """The reported act's actors that the speaker accuses: identified, not the speaker, and not
    of the speaker's own country."""
    out: list[Actor] = []
    for actor in actors:
        if not _coded_party(actor) or _same(actor, speaker):
            continue
        if actor.country is not None and actor.country == speaker.country:
            continue
        out.append(actor)
    return out
