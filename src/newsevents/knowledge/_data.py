"""Load the reviewed knowledge files (countries, organisations, roles, framing) and index them.

The files live in ``newsevents/knowledge/data``. They are read once per process
(:func:`load_knowledge` is cached) and turned into one phrase index keyed by normalized token
tuples, which the phrase coder walks with a longest-match scan.
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import yaml

from newsevents.errors import Errors, NewsEventsError

__all__ = [
    "DATA_FILES",
    "Country",
    "Entry",
    "Ethnic",
    "Framing",
    "Knowledge",
    "Organisation",
    "Role",
    "knowledge_version",
    "load_knowledge",
    "norm",
]

logger = logging.getLogger(__name__)

DATA_FILES = ("countries.yaml", "organisations.yaml", "roles.yaml", "framing.yaml")

EntryKind = Literal[
    "country",
    "demonym",
    "plural",
    "seat",
    "ethnic",
    "org",
    "role",
    "modifier",
    "framing",
    "ignorable",
]


@dataclass(frozen=True, slots=True)
class Country:
    iso3: str
    cameo: str
    name: str
    capital: str | None


@dataclass(frozen=True, slots=True)
class Ethnic:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Organisation:
    id: str
    name: str
    kind: str
    country: str | None
    sector: str | None
    sectors: tuple[str, ...]
    code: str | None
    plural: bool


@dataclass(frozen=True, slots=True)
class Role:
    words: tuple[str, ...]
    sector: str
    sectors: tuple[str, ...]
    person: bool
    weak: bool
    institution: bool


@dataclass(frozen=True, slots=True)
class Framing:
    text: str
    country: str | None  # "context" = the document's main country
    sector: str | None
    org: str | None
    note: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One way a token sequence can be read. ``case_sensitive`` entries must match exactly."""

    kind: EntryKind
    surface: str
    case_sensitive: bool = False
    capitalized: bool = False  # the first token must start with an upper-case letter
    country: Country | None = None
    ethnic: Ethnic | None = None
    org: Organisation | None = None
    role: Role | None = None
    framing: Framing | None = None
    modifier_sector: str | None = None


@dataclass(frozen=True, slots=True)
class Knowledge:
    """Everything the phrase coder needs, built once."""

    version: str
    countries: Mapping[str, Country]
    organisations: Mapping[str, Organisation]
    index: Mapping[tuple[str, ...], tuple[Entry, ...]]
    max_len: int
    honorifics_strip: frozenset[str]
    honorifics_keep: frozenset[str]
    anaphors: Mapping[str, str]
    pronouns: Mapping[str, str]
    index_words: frozenset[str]  # every word of every index key: a head outside it matches nothing
    cameo_by_iso: Mapping[str, str] = field(default_factory=dict)


_QUOTES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u2013": "-", "\u2014": "-"}
)


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Lowercase, straight quotes, no accents: the form used for every lookup key.

    Cached: the coder asks for the same words many times per document (every phrase around them).
    """
    if text.isascii():
        return text.translate(_QUOTES).lower()  # NFKD leaves ASCII alone and adds no accents
    text = text.translate(_QUOTES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def _read(name: str) -> tuple[bytes, dict[str, Any]]:
    path = resources.files("newsevents.knowledge").joinpath("data", name)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise NewsEventsError(Errors.E106, path=str(path)) from exc
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise NewsEventsError(Errors.E104, path=str(path), detail=str(exc)) from exc
    if not isinstance(data, dict):
        raise NewsEventsError(Errors.E104, path=str(path), detail="the top level must be a mapping")
    return raw, data


def _strs(value: object, *, where: str, name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise NewsEventsError(Errors.E104, path=name, detail=f"{where}: expected a list of strings")
    return [v.strip() for v in value if v.strip()]


def _opt_str(value: object, *, where: str, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise NewsEventsError(Errors.E104, path=name, detail=f"{where}: expected a string")
    return value


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import spacy

    return spacy.blank("en").tokenizer


def _key(surface: str) -> tuple[str, ...]:
    return tuple(norm(t.text) for t in _tokenizer()(surface) if not t.is_space)


def _is_acronym(surface: str) -> bool:
    letters = [c for c in surface if c.isalpha()]
    return 0 < len(letters) <= 5 and all(c.isupper() for c in letters) and " " not in surface


class _IndexBuilder:
    def __init__(self) -> None:
        self.index: dict[tuple[str, ...], list[Entry]] = {}

    def add(self, surface: str, entry: Entry) -> None:
        key = _key(surface)
        if not key:
            return
        bucket = self.index.setdefault(key, [])
        if entry not in bucket:
            bucket.append(entry)

    def add_variants(self, surface: str, make: Any) -> None:
        """Add a surface and, for phrases that start with "the", the phrase without it."""
        self.add(surface, make(surface))
        low = surface.lower()
        if low.startswith("the ") and len(surface) > 4:
            self.add(surface[4:], make(surface[4:]))


def _countries(data: Mapping[str, Any], b: _IndexBuilder, name: str) -> dict[str, Country]:
    out: dict[str, Country] = {}
    rows = data.get("countries")
    if not isinstance(rows, list):
        raise NewsEventsError(Errors.E104, path=name, detail="'countries' must be a list")
    for i, row in enumerate(rows):
        where = f"countries[{i}]"
        if not isinstance(row, dict) or not isinstance(row.get("iso3"), str):
            raise NewsEventsError(Errors.E104, path=name, detail=f"{where}: needs iso3")
        iso = row["iso3"]
        c = Country(
            iso3=iso,
            cameo=_opt_str(row.get("cameo"), where=where, name=name) or iso,
            name=_opt_str(row.get("name"), where=where, name=name) or iso,
            capital=_opt_str(row.get("capital"), where=where, name=name),
        )
        out[iso] = c
        for alias in [c.name, *_strs(row.get("aliases"), where=where, name=name)]:
            cs = _is_acronym(alias)
            b.add_variants(
                alias,
                lambda s, c=c, cs=cs: Entry(
                    "country", s, case_sensitive=cs, capitalized=s[:1].isupper(), country=c
                ),
            )
        for dem in _strs(row.get("demonyms"), where=where, name=name):
            b.add(dem, Entry("demonym", dem, capitalized=True, country=c))
        for dem in _strs(row.get("plurals"), where=where, name=name):
            b.add(dem, Entry("plural", dem, capitalized=True, country=c))
        for seat in _strs(row.get("seats"), where=where, name=name):
            b.add_variants(
                seat, lambda s, c=c: Entry("seat", s, capitalized=s[:1].isupper(), country=c)
            )
    for i, row in enumerate(data.get("ethnic_groups") or []):
        where = f"ethnic_groups[{i}]"
        if not isinstance(row, dict) or not isinstance(row.get("code"), str):
            raise NewsEventsError(Errors.E104, path=name, detail=f"{where}: needs a code")
        eth = Ethnic(code=row["code"], name=str(row.get("name") or row["code"]))
        for w in _strs(row.get("words"), where=where, name=name):
            b.add(w, Entry("ethnic", w, capitalized=True, ethnic=eth))
    return out


def _organisations(data: Mapping[str, Any], b: _IndexBuilder, name: str) -> dict[str, Organisation]:
    out: dict[str, Organisation] = {}
    rows = data.get("organisations")
    if not isinstance(rows, list):
        raise NewsEventsError(Errors.E104, path=name, detail="'organisations' must be a list")
    for i, row in enumerate(rows):
        where = f"organisations[{i}]"
        if not isinstance(row, dict) or not isinstance(row.get("id"), str):
            raise NewsEventsError(Errors.E104, path=name, detail=f"{where}: needs an id")
        if row["id"] in out:
            raise NewsEventsError(
                Errors.E104, path=name, detail=f"{where}: duplicate id {row['id']!r}"
            )
        org = Organisation(
            id=row["id"],
            name=_opt_str(row.get("name"), where=where, name=name) or row["id"],
            kind=_opt_str(row.get("kind"), where=where, name=name) or "org",
            country=_opt_str(row.get("country"), where=where, name=name),
            sector=_opt_str(row.get("sector"), where=where, name=name),
            sectors=tuple(_strs(row.get("sectors"), where=where, name=name)),
            code=_opt_str(row.get("code"), where=where, name=name),
            plural=bool(row.get("plural", False)),
        )
        out[org.id] = org
        forced = set(_strs(row.get("case_sensitive"), where=where, name=name))
        for alias in [org.name, *_strs(row.get("aliases"), where=where, name=name)]:
            cs = alias in forced or _is_acronym(alias)
            b.add_variants(
                alias,
                lambda s, org=org, cs=cs: Entry(
                    "org", s, case_sensitive=cs, capitalized=s[:1].isupper(), org=org
                ),
            )
    return out


def _roles(data: Mapping[str, Any], b: _IndexBuilder, name: str) -> dict[str, Any]:
    rows = data.get("roles")
    if not isinstance(rows, list):
        raise NewsEventsError(Errors.E104, path=name, detail="'roles' must be a list")
    for i, row in enumerate(rows):
        where = f"roles[{i}]"
        if not isinstance(row, dict) or not isinstance(row.get("sector"), str):
            raise NewsEventsError(Errors.E104, path=name, detail=f"{where}: needs a sector")
        words = tuple(_strs(row.get("words"), where=where, name=name))
        role = Role(
            words=words,
            sector=row["sector"],
            sectors=tuple(_strs(row.get("sectors"), where=where, name=name)),
            person=bool(row.get("person", False)),
            weak=bool(row.get("weak", False)),
            institution=bool(row.get("institution", False)),
        )
        for w in words:
            b.add(w, Entry("role", w, role=role))
    mods = data.get("modifiers") or {}
    if not isinstance(mods, dict):
        raise NewsEventsError(Errors.E104, path=name, detail="'modifiers' must be a mapping")
    for word, sector in mods.items():
        b.add(str(word), Entry("modifier", str(word), modifier_sector=str(sector)))
    for word in _strs(data.get("ignorable"), where="ignorable", name=name):
        b.add(word, Entry("ignorable", word))
    hon = data.get("honorifics") or {}
    anaphors: dict[str, str] = {}
    for i, row in enumerate(data.get("anaphors") or []):
        target = str(row.get("target", ""))
        for w in _strs(row.get("words"), where=f"anaphors[{i}]", name=name):
            anaphors[norm(w)] = target
    pronouns: dict[str, str] = {}
    for group, words in (data.get("pronouns") or {}).items():
        for w in _strs(words, where=f"pronouns.{group}", name=name):
            pronouns[norm(w)] = str(group)
    return {
        "strip": frozenset(norm(w) for w in _strs(hon.get("strip"), where="honorifics", name=name)),
        "keep": frozenset(norm(w) for w in _strs(hon.get("keep"), where="honorifics", name=name)),
        "anaphors": anaphors,
        "pronouns": pronouns,
    }


def _framing(
    data: Mapping[str, Any], b: _IndexBuilder, name: str, orgs: Mapping[str, Organisation]
) -> None:
    rows = data.get("framing")
    if not isinstance(rows, list):
        raise NewsEventsError(Errors.E104, path=name, detail="'framing' must be a list")
    for i, row in enumerate(rows):
        where = f"framing[{i}]"
        if not isinstance(row, dict):
            raise NewsEventsError(Errors.E104, path=name, detail=f"{where}: expected a mapping")
        org = _opt_str(row.get("org"), where=where, name=name)
        if org is not None and org not in orgs:
            raise NewsEventsError(Errors.E104, path=name, detail=f"{where}: unknown org {org!r}")
        for w in _strs(row.get("words"), where=where, name=name):
            fr = Framing(
                text=w,
                country=_opt_str(row.get("country"), where=where, name=name),
                sector=_opt_str(row.get("sector"), where=where, name=name),
                org=org,
                note=_opt_str(row.get("note"), where=where, name=name) or "",
            )
            b.add_variants(w, lambda s, fr=fr: Entry("framing", s, framing=fr))


def _version(raws: Iterable[bytes]) -> str:
    h = hashlib.sha256()
    for raw in raws:
        h.update(hashlib.sha256(raw).digest())
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def load_knowledge() -> Knowledge:
    """Read and index the knowledge files (once per process)."""
    raws: list[bytes] = []
    docs: dict[str, dict[str, Any]] = {}
    for fname in DATA_FILES:
        raw, data = _read(fname)
        raws.append(raw)
        docs[fname] = data
    b = _IndexBuilder()
    countries = _countries(docs["countries.yaml"], b, "countries.yaml")
    orgs = _organisations(docs["organisations.yaml"], b, "organisations.yaml")
    extra = _roles(docs["roles.yaml"], b, "roles.yaml")
    _framing(docs["framing.yaml"], b, "framing.yaml", orgs)
    index = {k: tuple(v) for k, v in b.index.items()}
    logger.debug("knowledge loaded: %d keys", len(index))
    return Knowledge(
        version=_version(raws),
        countries=countries,
        organisations=orgs,
        index=index,
        max_len=max(len(k) for k in index),
        honorifics_strip=extra["strip"],
        honorifics_keep=extra["keep"],
        anaphors=extra["anaphors"],
        pronouns=extra["pronouns"],
        cameo_by_iso={iso: c.cameo for iso, c in countries.items()},
        index_words=frozenset(w for key in index for w in key),
    )


VERSIONED_WITH = ("people.yaml", "group_references.yaml")
"""Knowledge files read by other modules (dated people, group references) that the version covers too."""


@lru_cache(maxsize=1)
def knowledge_version() -> str:
    """Content hash of every knowledge data file; recorded with every coded record and run."""
    folder = resources.files("newsevents.knowledge").joinpath("data")
    extra = []
    for name in VERSIONED_WITH:
        try:
            extra.append(folder.joinpath(name).read_bytes())
        except FileNotFoundError as exc:
            raise NewsEventsError(Errors.E106, path=str(folder.joinpath(name))) from exc
    return _version([hashlib.sha256(load_knowledge().version.encode()).digest(), *extra])


def sectors_of(seq: Sequence[str | None]) -> tuple[str, ...]:
    """Distinct non-empty sector codes in order."""
    out: list[str] = []
    for s in seq:
        if s and s not in out:
            out.append(s)
    return tuple(out)
