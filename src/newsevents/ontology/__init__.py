"""CAMEO codes, Goldstein values and the PLOVER v2 ontology, read from reviewed data files.

>>> from newsevents import ontology
>>> info = ontology.cameo_info("190")
>>> info.event_type, info.quad_class, info.goldstein
('ASSAULT', 4, -10.0)
>>> ontology.plover_score("CONSULT", "visit")
4.0

The data live in ``newsevents/ontology/data`` (``cameo.tsv`` and ``plover.yaml``; see the README
there for sources and for the decisions taken where the PLOVER manual and the 2021 CAMEO→PLOVER
table disagree). Everything is loaded lazily once per process and is immutable.
"""

from __future__ import annotations

from newsevents.errors import Errors, NewsEventsError
from newsevents.ontology._data import CameoInfo, EventTypeInfo, ModeInfo, load

__all__ = [
    "CameoInfo",
    "EventTypeInfo",
    "ModeInfo",
    "all_codes",
    "cameo_info",
    "codes_for",
    "contexts",
    "event_type_info",
    "event_types",
    "is_known",
    "is_valid_mode",
    "non_state_codes",
    "ontology_version",
    "plover_score",
    "plover_version",
    "sector_codes",
]


def cameo_info(code: str) -> CameoInfo:
    """The entry for a CAMEO code such as ``"04"``, ``"042"`` or ``"0431"``.

    Raises ``NewsEventsError`` (``E101``) for anything that is not a known CAMEO code.
    """
    info = load().cameo.get(code) if isinstance(code, str) else None
    if info is None:
        raise NewsEventsError(Errors.E101, code=code)
    return info


def is_known(code: str) -> bool:
    """Whether ``code`` is a known CAMEO code (exact string, leading zeros kept)."""
    return isinstance(code, str) and code in load().cameo


def all_codes() -> list[CameoInfo]:
    """Every CAMEO code, sorted by code within root (``01``, ``010``, ``011``, ... ``2042``)."""
    return list(load().cameo.values())


def codes_for(event_type: str, mode: str | None = None) -> list[CameoInfo]:
    """CAMEO codes that translate to ``event_type`` (and ``mode``, when given)."""
    event_type_info(event_type)
    return [
        info
        for info in load().cameo.values()
        if info.event_type == event_type and (mode is None or info.mode == mode)
    ]


def event_types() -> tuple[str, ...]:
    """The 16 PLOVER v2 event types, in manual order."""
    return tuple(load().event_types)


def event_type_info(event_type: str) -> EventTypeInfo:
    """Quad, quad class, recipient requirement, modes and definition of a PLOVER event type.

    Raises ``NewsEventsError`` (``E102``) for an unknown type.
    """
    types = load().event_types
    info = types.get(event_type)
    if info is None:
        raise NewsEventsError(Errors.E102, value=event_type, options=", ".join(types))
    return info


def is_valid_mode(event_type: str, mode: str | None) -> bool:
    """Whether ``mode`` is allowed for ``event_type`` (``None`` is always allowed)."""
    return mode is None or mode in event_type_info(event_type).modes


def plover_score(event_type: str, mode: str | None) -> float | None:
    """The PLOVER conflict-cooperation score of ``event_type:mode``.

    With no mode, or a mode the score table leaves out (``PROTEST:vandalize``), the base score
    of the type is returned. ``None`` means ``mode`` is not a mode of ``event_type`` at all.
    Raises ``E102`` for an unknown event type.
    """
    info = event_type_info(event_type)
    if mode is None:
        return info.score
    for mode_info in info.mode_info:
        if mode_info.name == mode:
            return info.score if mode_info.score is None else mode_info.score
    return None


def contexts() -> tuple[str, ...]:
    """The 37 PLOVER v2 contexts, in manual order."""
    return load().contexts


def sector_codes() -> dict[str, str]:
    """PLOVER sector codes (``GOV``, ``MIL``, ``REB``, ...) mapped to a short gloss."""
    return dict(load().sectors)


def non_state_codes() -> dict[str, str]:
    """Codes used in the country slot for non-state actors (``IGO``, ``UNO``, ``NGO``, ...)."""
    return dict(load().non_state_codes)


def ontology_version() -> str:
    """Content hash (12 hex digits) of the ontology data files; recorded on coded events."""
    return load().version


def plover_version() -> str:
    """The PLOVER manual version the data follow."""
    return load().plover_version
