"""Built-in person knowledge: prominent political figures with date-bounded roles.

The data are ``newsevents/knowledge/data/people.yaml`` (reviewed, written by hand from public
facts). :func:`lookup_person` takes the name words of a mention ("Vladimir Putin", "Putin",
"al-Assad") and the story date, and says who it is and which country and sector the person had
on that date: inside a listed role the role's sector (GOV, MIL, ...), outside every role the
person's ``other`` sector (ELI, former office holders and other elites, by default). Without a
date, the person's latest listed role is used.

A surname alone matches only when it is unambiguous: one person with that surname, or several of
whom exactly one held a listed role on the date ("Bush" in 2005), or several of one country (then
only the country is known). A first name + surname matches only when the first name is one the
person is known by, so "Michelle Obama" is not Barack Obama.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from newsevents.errors import Errors, NewsEventsError
from newsevents.knowledge._data import _key, _read, load_knowledge

__all__ = ["Person", "PersonHit", "PersonRole", "People", "load_people", "lookup_person"]

logger = logging.getLogger(__name__)

DATA_FILE = "people.yaml"
_PARTICLES = frozenset(
    {"al", "el", "bin", "ibn", "ben", "de", "van", "von", "da", "di", "le", "la"}
)


@dataclass(frozen=True, slots=True)
class PersonRole:
    """One office: ``sector`` of ``country`` (or the code of an organisation) from..to, inclusive."""

    sector: str
    start: dt.date | None
    end: dt.date | None
    country: str
    code: str
    note: str = ""

    def covers(self, date: dt.date) -> bool:
        return (self.start is None or date >= self.start) and (self.end is None or date <= self.end)

    def span_text(self) -> str:
        a = self.start.isoformat() if self.start else ""
        b = self.end.isoformat() if self.end else ""
        return f"{a}..{b}"


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    country: str
    other: str | None  # sector outside every role (None: country only)
    roles: tuple[PersonRole, ...]
    given: frozenset[str]  # first names the person is known by
    surnames: frozenset[tuple[str, ...]]
    alone: bool  # the surname may be used on its own

    def role_on(self, date: dt.date | None) -> PersonRole | None:
        """The first role that covers ``date``; without a date, the latest role."""
        if date is None:
            if not self.roles:
                return None
            return max(self.roles, key=lambda r: (r.end or dt.date.max, r.start or dt.date.min))
        for role in self.roles:
            if role.covers(date):
                return role
        return None


@dataclass(frozen=True, slots=True)
class PersonHit:
    """Who a name is on a date: country, sector and CAMEO code, and why."""

    person: Person | None  # None when only the country is known (an ambiguous surname)
    country: str
    sector: str | None
    code: str
    role: PersonRole | None
    how: str  # "full name", "surname", "first name + surname", ...

    @property
    def resolution(self) -> str:
        if self.person is None:
            return f"{self.how}: several known people of {self.country}"
        text = f"known person {self.person.name} ({self.how})"
        if self.role is not None:
            text += f", role dated {self.role.span_text()}"
            if self.role.note:
                text += f" ({self.role.note})"
        elif self.sector is not None:
            text += f", outside listed offices: {self.sector}"
        return text


def _date(value: str, where: str) -> dt.date | None:
    if value in ("-", ""):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise NewsEventsError(
            Errors.E104, path=DATA_FILE, detail=f"{where}: bad date {value!r}"
        ) from exc


def _parts(text: str) -> tuple[str, ...]:
    return tuple(p for p in _key(text) if any(c.isalnum() for c in p))


def _cameo(country: str) -> str:
    return load_knowledge().cameo_by_iso.get(country, country)


def _role(raw: str, home: str, where: str) -> PersonRole:
    bits = raw.split(None, 3)
    if len(bits) < 3:
        raise NewsEventsError(
            Errors.E104, path=DATA_FILE, detail=f"{where}: a role is 'SECTOR FROM TO [note]'"
        )
    head, start, end = bits[:3]
    note = bits[3] if len(bits) > 3 else ""
    kb = load_knowledge()
    if head.startswith("@"):
        org = kb.organisations.get(head[1:])
        if org is None or org.code is None:
            raise NewsEventsError(
                Errors.E104, path=DATA_FILE, detail=f"{where}: unknown organisation {head!r}"
            )
        return PersonRole(
            org.sector or "IGO",
            _date(start, where),
            _date(end, where),
            org.country or "IGO",
            org.code,
            note,
        )
    country, _, sector = head.rpartition(":")
    country = country or home
    return PersonRole(
        sector, _date(start, where), _date(end, where), country, _cameo(country) + sector, note
    )


class People:
    """The person index: full names, surnames and first names."""

    def __init__(self, people: Sequence[Person], version: str) -> None:
        self.people = tuple(people)
        self.version = version
        self.full: dict[tuple[str, ...], list[Person]] = {}
        self.by_surname: dict[tuple[str, ...], list[Person]] = {}
        for p in self.people:
            for s in p.surnames:
                self.by_surname.setdefault(s, []).append(p)

    def add_full(self, key: tuple[str, ...], person: Person) -> None:
        bucket = self.full.setdefault(key, [])
        if person not in bucket:
            bucket.append(person)

    def _hit(self, p: Person, date: dt.date | None, how: str) -> PersonHit:
        role = p.role_on(date)
        if role is not None:
            return PersonHit(p, role.country, role.sector, role.code, role, how)
        sector = p.other
        code = _cameo(p.country) + (sector or "")
        return PersonHit(p, p.country, sector, code, None, how)

    def _choose(self, found: list[Person], date: dt.date | None, how: str) -> PersonHit | None:
        if not found:
            return None
        if len(found) == 1:
            return self._hit(found[0], date, how)
        active = [p for p in found if p.role_on(date) is not None] if date is not None else []
        if len(active) == 1:
            return self._hit(active[0], date, f"{how}, the one in office on {date}")
        countries = {p.country for p in found}
        if len(countries) == 1:
            country = found[0].country
            return PersonHit(None, country, None, _cameo(country), None, how)
        return None

    def lookup(self, parts: Sequence[str], date: dt.date | None) -> PersonHit | None:
        """Who the name words ``parts`` (lowercased, accents removed) are on ``date``."""
        key = tuple(p for p in parts if any(c.isalnum() for c in p))
        if not key:
            return None
        full = self.full.get(key)
        if full:
            return self._choose(full, date, "full name")
        stripped = key
        while len(stripped) > 1 and stripped[0] in _PARTICLES:
            stripped = stripped[1:]
        for surname in (key, stripped):
            alone = [p for p in self.by_surname.get(surname, ()) if p.alone]
            if alone:
                return self._choose(alone, date, "surname")
        if len(key) >= 2:
            first = key[0]
            for cut in range(1, len(key)):
                tail = key[cut:]
                found = [p for p in self.by_surname.get(tail, ()) if first in p.given]
                if found:
                    return self._choose(found, date, "first name + surname")
        return None


def _people(data: Mapping[str, Any]) -> list[tuple[Person, list[str]]]:
    rows = data.get("people")
    if not isinstance(rows, list):
        raise NewsEventsError(Errors.E104, path=DATA_FILE, detail="'people' must be a list")
    out: list[tuple[Person, list[str]]] = []
    for i, row in enumerate(rows):
        where = f"people[{i}]"
        if not isinstance(row, dict) or not isinstance(row.get("name"), str):
            raise NewsEventsError(Errors.E104, path=DATA_FILE, detail=f"{where}: needs a name")
        name = row["name"]
        home = row.get("country")
        if not isinstance(home, str):
            raise NewsEventsError(Errors.E104, path=DATA_FILE, detail=f"{where}: needs a country")
        aliases = [str(a) for a in row.get("aliases") or []]
        roles = tuple(_role(str(r), home, where) for r in row.get("roles") or [])
        names = [name, *aliases]
        given = frozenset(_parts(n)[0] for n in names if _parts(n))
        given |= frozenset(str(g).lower() for g in row.get("given") or [])
        surnames = {_parts(n)[-1:] for n in names if _parts(n)}
        for s in row.get("surname") or []:
            surnames.add(_parts(str(s)))
        other = row.get("other", "ELI")
        person = Person(
            name=name,
            country=home,
            other=None if other in (None, "none") else str(other),
            roles=roles,
            given=given,
            surnames=frozenset(s for s in surnames if s),
            alone=bool(row.get("alone", True)),
        )
        out.append((person, names))
    return out


@lru_cache(maxsize=1)
def load_people() -> People:
    """Read and index ``people.yaml`` (once per process)."""
    raw, data = _read(DATA_FILE)  # coded errors E106 (missing) and E104 (not YAML, not a mapping)
    rows = _people(data)
    index = People([p for p, _ in rows], hashlib.sha256(raw).hexdigest()[:16])
    for person, names in rows:
        for n in names:
            parts = _parts(n)
            if parts:
                index.add_full(parts, person)
    logger.debug("people loaded: %d", len(index.people))
    return index


def lookup_person(name: str | Sequence[str], date: dt.date | None = None) -> PersonHit | None:
    """Who ``name`` ("Vladimir Putin", "Putin" or its lowercased words) is on ``date``."""
    parts = _parts(name) if isinstance(name, str) else tuple(name)
    return load_people().lookup(parts, date)
