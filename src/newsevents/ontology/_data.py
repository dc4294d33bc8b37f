"""Read and check the ontology data files shipped in ``newsevents/ontology/data``.

The files are the reviewed source of truth; this module only parses them into immutable tables
and refuses inconsistent data (a CAMEO row naming an unknown event type, mode or context) with
``E104`` so a bad edit fails at load time rather than producing odd events.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

from newsevents.errors import Errors, NewsEventsError

CAMEO_FILE = "cameo.tsv"
PLOVER_FILE = "plover.yaml"
_DATA_FILES = (CAMEO_FILE, PLOVER_FILE)
_CAMEO_COLUMNS = ("code", "name", "goldstein", "event_type", "mode", "context", "note")


@dataclass(frozen=True)
class ModeInfo:
    """One PLOVER mode of one event type."""

    name: str
    gloss: str
    score: float | None


@dataclass(frozen=True)
class EventTypeInfo:
    """One PLOVER v2 event type.

    ``modes`` holds the valid mode names in manual order; ``mode_info`` the same modes with their
    gloss and PLOVER score. ``score`` is the base PLOVER score of the type (no mode).
    """

    name: str
    quad: str
    quad_class: int
    requires_recipient: bool
    modes: tuple[str, ...]
    definition: str
    score: float
    mode_info: tuple[ModeInfo, ...]


@dataclass(frozen=True)
class CameoInfo:
    """One CAMEO event code with its Goldstein value and PLOVER v2 translation.

    ``event_type``, ``mode`` and ``quad_class`` are ``None`` for codes PLOVER does not code
    (CAMEO 01 statements and 02 appeals).
    """

    code: str
    name: str
    goldstein: float
    event_type: str | None
    mode: str | None
    context: tuple[str, ...]
    quad_class: int | None


@dataclass(frozen=True)
class Ontology:
    """All ontology tables, loaded once."""

    version: str
    plover_version: str
    event_types: MappingProxyType[str, EventTypeInfo]
    cameo: MappingProxyType[str, CameoInfo]
    contexts: tuple[str, ...]
    sectors: MappingProxyType[str, str]
    non_state_codes: MappingProxyType[str, str]


def _read_bytes(name: str) -> bytes:
    resource = resources.files("newsevents.ontology").joinpath("data", name)
    try:
        return resource.read_bytes()
    except FileNotFoundError as exc:
        raise NewsEventsError(Errors.E106, path=f"newsevents/ontology/data/{name}") from exc


def _invalid(name: str, detail: str) -> NewsEventsError:
    return NewsEventsError(Errors.E104, path=f"newsevents/ontology/data/{name}", detail=detail)


def _as_float(value: Any, where: str, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _invalid(name, f"{where}: expected a number, got {value!r}")
    return float(value)


def _parse_plover(
    raw: bytes,
) -> tuple[
    str,
    dict[str, EventTypeInfo],
    tuple[str, ...],
    dict[str, str],
    dict[str, str],
]:
    data = yaml.safe_load(raw)
    if not isinstance(data, dict):
        raise _invalid(PLOVER_FILE, "top level must be a mapping")
    quads = {int(k): str(v) for k, v in data.get("quads", {}).items()}
    types: dict[str, EventTypeInfo] = {}
    for name, entry in data.get("event_types", {}).items():
        if not isinstance(entry, dict):
            raise _invalid(PLOVER_FILE, f"event type {name!r} must be a mapping")
        quad_class = entry.get("quad_class")
        if quad_class not in quads:
            raise _invalid(
                PLOVER_FILE, f"event type {name!r} has unknown quad_class {quad_class!r}"
            )
        modes: list[ModeInfo] = []
        for mode, mode_entry in (entry.get("modes") or {}).items():
            score = mode_entry.get("score")
            modes.append(
                ModeInfo(
                    name=str(mode),
                    gloss=str(mode_entry.get("gloss", "")),
                    score=None
                    if score is None
                    else _as_float(score, f"{name}:{mode}", PLOVER_FILE),
                )
            )
        types[str(name)] = EventTypeInfo(
            name=str(name),
            quad=quads[quad_class],
            quad_class=int(quad_class),
            requires_recipient=bool(entry.get("requires_recipient", False)),
            modes=tuple(m.name for m in modes),
            definition=str(entry.get("definition", "")).strip(),
            score=_as_float(entry.get("score"), str(name), PLOVER_FILE),
            mode_info=tuple(modes),
        )
    contexts = tuple(str(c) for c in data.get("contexts", []))
    if len(set(contexts)) != len(contexts):
        raise _invalid(PLOVER_FILE, "contexts contain duplicates")
    sectors = {str(k): str(v) for k, v in data.get("sectors", {}).items()}
    non_state = {str(k): str(v) for k, v in data.get("non_state_codes", {}).items()}
    return str(data.get("version", "")), types, contexts, sectors, non_state


def _parse_cameo(
    raw: bytes, types: dict[str, EventTypeInfo], contexts: tuple[str, ...]
) -> dict[str, CameoInfo]:
    text = raw.decode("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter="\t")
    header = tuple(next(reader, ()))
    if header != _CAMEO_COLUMNS:
        raise _invalid(CAMEO_FILE, f"header must be {_CAMEO_COLUMNS}, got {header}")
    known_contexts = set(contexts)
    table: dict[str, CameoInfo] = {}
    for lineno, row in enumerate(reader, start=2):
        if len(row) != len(_CAMEO_COLUMNS):
            raise _invalid(CAMEO_FILE, f"data row {lineno} has {len(row)} columns")
        code, name, goldstein, event_type, mode, context, _note = row
        where = f"code {code!r}"
        if not (code.isdigit() and 2 <= len(code) <= 4) or code in table:
            raise _invalid(CAMEO_FILE, f"{where}: not a new 2-4 digit code")
        try:
            value = float(goldstein)
        except ValueError as exc:
            raise _invalid(CAMEO_FILE, f"{where}: Goldstein {goldstein!r} is not a number") from exc
        info = types.get(event_type) if event_type else None
        if event_type and info is None:
            raise _invalid(CAMEO_FILE, f"{where}: unknown event type {event_type!r}")
        if mode and (info is None or mode not in info.modes):
            raise _invalid(CAMEO_FILE, f"{where}: mode {mode!r} is not a mode of {event_type!r}")
        ctx = tuple(c for c in context.split(";") if c)
        unknown = [c for c in ctx if c not in known_contexts]
        if unknown:
            raise _invalid(CAMEO_FILE, f"{where}: unknown context(s) {unknown}")
        table[code] = CameoInfo(
            code=code,
            name=name,
            goldstein=value,
            event_type=event_type or None,
            mode=mode or None,
            context=ctx,
            quad_class=info.quad_class if info is not None else None,
        )
    return table


@lru_cache(maxsize=1)
def load() -> Ontology:
    """Parse and check both data files once per process."""
    raw = {name: _read_bytes(name) for name in _DATA_FILES}
    digest = hashlib.sha256()
    for name in _DATA_FILES:
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(raw[name])
    plover_version, types, contexts, sectors, non_state = _parse_plover(raw[PLOVER_FILE])
    cameo = _parse_cameo(raw[CAMEO_FILE], types, contexts)
    return Ontology(
        version=digest.hexdigest()[:12],
        plover_version=plover_version,
        event_types=MappingProxyType(types),
        cameo=MappingProxyType(cameo),
        contexts=contexts,
        sectors=MappingProxyType(sectors),
        non_state_codes=MappingProxyType(non_state),
    )
