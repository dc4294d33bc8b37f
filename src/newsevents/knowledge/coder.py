"""Code a noun phrase as an actor: country, sector, organisation and name.

The coder is compositional: a phrase is scanned left to right for the longest known pieces
(country names and aliases, demonyms, seats of government, organisations, role nouns, sector
modifiers, loaded names) and the pieces are combined:

* ``Omani Foreign Minister Sayyid Badr Albusaidi`` -> OMN GOV, name "Sayyid Badr Albusaidi"
* ``Iran's foreign minister`` / ``the foreign minister of Iran`` -> IRN GOV
* ``Israeli troops`` -> ISR MIL; ``the Palestinian health ministry`` -> PSE GOV (+HLH)
* ``Tehran`` -> IRN GOV (capital metonymy); ``Hamas`` -> PSE REB (alias of Hamas)
* ``the Zionist regime`` -> ISR GOV (framing), ``the regime`` -> GOV of the story's country

:func:`analyse_phrase` returns everything the entities stage needs; :func:`code_phrase` is the
public one-call form that returns only the :class:`~newsevents.annotations.ActorCode`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from newsevents.annotations import ActorCode
from newsevents.knowledge._data import (
    Country,
    Entry,
    Ethnic,
    Framing,
    Knowledge,
    Organisation,
    Role,
    load_knowledge,
    norm,
    sectors_of,
)

__all__ = ["PhraseAnalysis", "analyse_phrase", "code_phrase", "country_code"]

_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "their"})
_NAME_PARTICLES = frozenset(
    {
        "bin",
        "ibn",
        "bint",
        "al",
        "el",
        "abu",
        "abd",
        "de",
        "van",
        "von",
        "der",
        "da",
        "di",
        "la",
        "le",
        "ben",
        "du",
        "dos",
        "das",
        "-",
        "'",
    }
)
_PLURAL_TAGS = frozenset({"NNS", "NNPS"})
_PERSONISH_ENTS = frozenset({"PERSON"})
_CONTEXT = "context"


@dataclass(frozen=True, slots=True)
class PhraseAnalysis:
    """What the coder found in one phrase (doc token indices where it says so)."""

    code: ActorCode | None
    person: bool = False  # one individual: a named person or a person role ("the minister")
    plural: bool = False
    named: bool = False  # the phrase carries a person's name
    name_tokens: tuple[int, ...] = ()  # doc indices of the name, honorifics included
    honorific: str | None = None  # a title kept or stripped before the name ("sheikh", "mr")
    org_id: str | None = None
    role: str | None = None  # the head role phrase, lowercased ("foreign minister")
    institution: bool = False  # the head role is a body of government ("court", "parliament")
    definite: bool = False
    needs_context: bool = False  # a framing entry wants the document's main country
    anaphor: str | None = None  # "country" / "org" for "the country", "the group"
    former: bool = False


@dataclass(frozen=True, slots=True)
class _Match:
    start: int  # index into the span's token list
    end: int
    entries: tuple[Entry, ...]


def country_code(iso3: str) -> str:
    """The CAMEO country code of an ISO-3 code (equal for most countries)."""
    return load_knowledge().cameo_by_iso.get(iso3, iso3)


def _entry_ok(entry: Entry, toks: list[Token], i: int, length: int) -> bool:
    if entry.case_sensitive:
        got = "".join(t.text for t in toks[i : i + length])
        return got == entry.surface.replace(" ", "")
    if entry.capitalized:
        first = toks[i].text
        return first[:1].isupper() or first[:1].isdigit()
    return True


def _entry_fits_entity(entry: Entry, toks: list[Token], i: int) -> bool:
    """Person titles inside an organisation's name are part of the name ("General Electric")."""
    return not (
        entry.kind == "role"
        and entry.role is not None
        and entry.role.person
        and toks[i].ent_type_ == "ORG"
        and toks[i].pos_ == "PROPN"
    )


def _scan(kb: Knowledge, toks: list[Token]) -> list[_Match]:
    keys = [norm(t.text) for t in toks]
    lemmas = [norm(t.lemma_) for t in toks]
    out: list[_Match] = []
    n = len(toks)
    i = 0
    while i < n:
        found: _Match | None = None
        for length in range(min(kb.max_len, n - i), 0, -1):
            candidates: list[tuple[str, ...]] = [tuple(keys[i : i + length])]
            last_lemma = lemmas[i + length - 1]
            if last_lemma != keys[i + length - 1]:
                candidates.append((*keys[i : i + length - 1], last_lemma))
            for key in candidates:
                entries = kb.index.get(key)
                if not entries:
                    continue
                ok = tuple(
                    e
                    for e in entries
                    if _entry_ok(e, toks, i, length) and _entry_fits_entity(e, toks, i)
                )
                if ok:
                    found = _Match(i, i + length, ok)
                    break
            if found is not None:
                break
        if found is not None and _sponsor(keys, found.end):
            i = found.end + 2  # "Iran-backed", "Al Qaeda-linked": a sponsor, not the actor's identity
        elif found is not None and _stance(keys, found.start):
            i = found.end
        elif found is not None:
            out.append(found)
            i = found.end
        else:
            i += 1
    return out


_SPONSORED = frozenset(
    {"backed", "linked", "allied", "affiliated", "inspired", "supported", "sponsored", "funded", "aligned", "trained", "armed", "friendly", "leaning"}
)
"""Second halves of "X-backed" compounds: X supports the actor, it is not the actor ("an
Iran-backed militia" is not Iranian). "X-led" and "X-run" are kept: X leads or runs it."""


def _stance(keys: list[str], start: int) -> bool:
    """ "pro-Russian separatists", "anti-American protesters": a stance toward X, not X."""
    return start >= 2 and keys[start - 1] == "-" and keys[start - 2] in ("pro", "anti")


def _sponsor(keys: list[str], end: int) -> bool:
    return end + 1 < len(keys) and keys[end] == "-" and keys[end + 1] in _SPONSORED


def _first(entries: tuple[Entry, ...], *kinds: str) -> Entry | None:
    for kind in kinds:
        for e in entries:
            if e.kind == kind:
                return e
    return None


def actor_code(country: str | None, sectors: tuple[str, ...]) -> str | None:
    """The CAMEO actor code of a country (ISO-3, or an IGO/NGO-style code) with up to three
    sectors: ("SYR", ("GOV",)) → "SYRGOV"."""
    if country is None:
        return None
    cameo = country_code(country) if len(country) == 3 else country
    return cameo + "".join(sectors[:3])


def _kind_of_org(org: Organisation) -> str:
    if org.kind == "igo":
        return "igo"
    if org.kind == "group":
        return "group"
    return "org"


@dataclass(slots=True)
class _Parts:
    countries: list[tuple[Country, Entry, int]]
    ethnic: list[Ethnic]
    orgs: list[tuple[Organisation, int]]
    roles: list[tuple[Role, str, int, int]]  # role, surface, start, end (span-local)
    modifiers: list[str]
    framing: list[tuple[Framing, int]]
    context_framing: list[tuple[Framing, int]]
    covered: set[int]
    former: bool
    actor_covered: set[int] = field(default_factory=set)  # covered by a non-modifier piece


def _parts(matches: list[_Match]) -> _Parts:
    p = _Parts([], [], [], [], [], [], [], set(), False)
    for m in matches:
        p.covered.update(range(m.start, m.end))
        if any(e.kind not in ("modifier", "ignorable") for e in m.entries):
            p.actor_covered.update(range(m.start, m.end))
        fixed = [
            e
            for e in m.entries
            if e.kind == "framing" and e.framing is not None and e.framing.country != _CONTEXT
        ]
        ctx = [
            e
            for e in m.entries
            if e.kind == "framing" and e.framing is not None and e.framing.country == _CONTEXT
        ]
        e = _first(m.entries, "org", "country", "demonym", "plural", "seat")
        if fixed and fixed[0].framing is not None:
            p.framing.append((fixed[0].framing, m.start))
            continue
        if e is not None and e.org is not None:
            p.orgs.append((e.org, m.start))
            continue
        if e is not None and e.country is not None:
            p.countries.append((e.country, e, m.start))
            continue
        eth = _first(m.entries, "ethnic")
        if eth is not None and eth.ethnic is not None:
            p.ethnic.append(eth.ethnic)
            continue
        r = _first(m.entries, "role")
        if ctx and ctx[0].framing is not None:
            p.context_framing.append((ctx[0].framing, m.start))
        if r is not None and r.role is not None:
            p.roles.append((r.role, r.surface, m.start, m.end))
            continue
        if ctx:
            continue
        mod = _first(m.entries, "modifier")
        if mod is not None and mod.modifier_sector:
            p.modifiers.append(mod.modifier_sector)
            continue
        ign = _first(m.entries, "ignorable")
        if ign is not None and ign.surface in {"former", "ex"}:
            p.former = True
    return p


def _name_tokens(
    kb: Knowledge, toks: list[Token], covered: set[int], *, allow_propn: bool
) -> tuple[list[int], str | None]:
    """Span-local indices of the person name, and the honorific in front of it."""
    idx: list[int] = []
    honorific: str | None = None
    for i, t in enumerate(toks):
        if i in covered:
            if idx and t.ent_type_ not in _PERSONISH_ENTS:
                break
            continue
        low = norm(t.text)
        is_person_ent = t.ent_type_ in _PERSONISH_ENTS
        if low in kb.honorifics_strip and not idx and t.pos_ == "PROPN" and not is_person_ent:
            honorific = low.rstrip(".")
            continue
        if low in kb.honorifics_keep and t.pos_ in ("PROPN", "NOUN") and (not idx or is_person_ent):
            honorific = honorific or low
            idx.append(i)
            continue
        if is_person_ent or (allow_propn and t.pos_ == "PROPN" and not t.ent_type_):
            idx.append(i)
            continue
        if idx and low in _NAME_PARTICLES and i + 1 < len(toks):
            nxt = toks[i + 1]
            if nxt.ent_type_ in _PERSONISH_ENTS or nxt.pos_ == "PROPN":
                idx.append(i)
                continue
        if idx and t.pos_ not in ("PROPN", "PUNCT"):
            break
    while idx and norm(toks[idx[-1]].text) in _NAME_PARTICLES:
        idx.pop()
    return idx, honorific


def analyse_phrase(
    span: Span,
    *,
    date: dt.date | None = None,
    context_country: str | None = None,
) -> PhraseAnalysis:
    """Read a noun phrase. ``context_country`` fills loaded names that need the story's country.

    ``date`` is accepted for date-bounded entries (office holders); the shipped knowledge files
    have none yet, so it does not change the result.
    """
    kb = load_knowledge()
    toks = list(span)
    while toks and norm(toks[0].text) in _DETERMINERS and len(toks) > 1:
        toks = toks[1:]
    if not toks:
        return PhraseAnalysis(None)
    definite = norm(span[0].text) in {"the", "this", "that", "these", "those"}
    root = span.root
    if root.pos_ == "PRON" and len(span) == 1 and not root.text.isupper():
        return PhraseAnalysis(None)
    plural = root.tag_ in _PLURAL_TAGS
    if root.pos_ == "NOUN" and not (definite and len(toks) == 1):
        head = toks[next((i for i, t in enumerate(toks) if t.i == root.i), len(toks) - 1)]
        if norm(head.text) not in kb.index_words and norm(head.lemma_) not in kb.index_words:
            return PhraseAnalysis(None)  # no knowledge entry can cover the head: the test below, cheaply
    matches = _scan(kb, toks)
    p = _parts(matches)

    root_local = next((i for i, t in enumerate(toks) if t.i == root.i), len(toks) - 1)
    if (
        root.pos_ == "NOUN"
        and root_local not in p.actor_covered
        and not (definite and len(toks) == 1)
    ):
        # "US growth", "Iran's economy", "the Brazilian city": the head is not an actor
        return PhraseAnalysis(None)
    role_head: tuple[Role, str, int, int] | None = None
    root_local = next((i for i, t in enumerate(toks) if t.i == root.i), len(toks) - 1)
    for r in p.roles:
        if r[2] <= root_local:
            role_head = r  # last role at or before the head: the title or the head noun
    if role_head is None and p.roles:
        role_head = p.roles[0]
    person_role = role_head is not None and role_head[0].person and not plural

    allow_propn = person_role or any(t.ent_type_ in _PERSONISH_ENTS for t in toks)
    name_idx, honorific = _name_tokens(kb, toks, p.covered, allow_propn=allow_propn)
    if name_idx and not (
        any(toks[i].ent_type_ in _PERSONISH_ENTS for i in name_idx) or person_role or honorific
    ):
        name_idx = []
    named = bool(name_idx)
    name = span.doc[toks[name_idx[0]].i : toks[name_idx[-1]].i + 1].text if named else None
    name_doc_idx = tuple(toks[i].i for i in name_idx)
    anaphor = None
    if definite and len(toks) == 1:
        anaphor = kb.anaphors.get(norm(toks[0].lemma_)) or kb.anaphors.get(norm(toks[0].text))

    def result(
        code: ActorCode | None,
        *,
        person: bool | None = None,
        plural_: bool | None = None,
        org_id: str | None = None,
        needs_context: bool = False,
    ) -> PhraseAnalysis:
        return PhraseAnalysis(
            code,
            person=(named or person_role) if person is None else person,
            plural=plural if plural_ is None else plural_,
            named=named,
            name_tokens=name_doc_idx,
            honorific=honorific,
            org_id=org_id,
            role=role_head[1] if role_head else None,
            institution=role_head is not None and role_head[0].institution,
            definite=definite,
            needs_context=needs_context,
            anaphor=anaphor,
            former=p.former,
        )

    role_sector: str | None = None
    extra: list[str] = []
    if role_head is not None:
        role, _, _, _ = role_head
        extra = list(role.sectors)
        if role.weak:
            strong = [r for r in p.roles if not r[0].weak]
            if p.modifiers:
                role_sector = p.modifiers[0]
            elif strong:
                role_sector = strong[-1][0].sector
                extra = list(strong[-1][0].sectors)
            else:
                role_sector = role.sector
        else:
            role_sector = role.sector
            extra += [m for m in p.modifiers if m != role_sector]

    # 1. loaded names with a fixed reading
    if p.framing:
        fr = p.framing[0][0]
        if fr.org is not None:
            org = kb.organisations[fr.org]
            sectors = sectors_of([org.sector, *org.sectors])
            return result(
                ActorCode(
                    name=name or org.name,
                    country=org.country,
                    sector=org.sector,
                    sectors=sectors,
                    code=org.code,
                    kind="person" if named else _kind_of_org(org),
                    resolution=f"framing: {fr.text!r} is a name for {org.name}",
                ),
                org_id=org.id,
                plural_=plural or org.plural,
            )
        sector = fr.sector
        if role_sector is not None and sector in (None, "GOV") and role_sector != "GOV":
            sector = role_sector
        sectors = sectors_of([sector, *extra])
        return result(
            ActorCode(
                name=name,
                country=fr.country,
                sector=sector,
                sectors=sectors,
                code=actor_code(fr.country, sectors),
                kind="person" if named else "group",
                resolution=f"framing: {fr.text!r} -> {fr.country or '?'} {sector or ''}".rstrip(),
            )
        )

    # 2. organisations and groups
    if p.orgs:
        org = p.orgs[0][0]
        if (
            role_head is not None
            and role_head[0].institution
            and org.kind in ("group", "party")
            and role_head[2] > p.orgs[0][1]
        ):
            sectors = sectors_of([role_sector, *extra])
            return result(
                ActorCode(
                    name=name,
                    country=org.country,
                    sector=role_sector,
                    sectors=sectors,
                    code=actor_code(org.country, sectors),
                    kind="role",
                    resolution=f"{role_head[1]} run by {org.name}",
                ),
                org_id=None,
            )
        sectors = sectors_of([org.sector, *org.sectors])
        how = f"alias of {org.name}"
        if role_head is not None:
            how = f"{role_head[1]} of {org.name}"
        return result(
            ActorCode(
                name=name or org.name,
                country=org.country,
                sector=org.sector,
                sectors=sectors,
                code=org.code,
                kind="person" if named else _kind_of_org(org),
                resolution=how,
            ),
            org_id=org.id,
            plural_=plural or org.plural,
        )

    # 3. countries, demonyms and seats, with or without a role
    if p.countries:
        country, entry, _ = p.countries[0]
        if role_head is not None:
            sectors = sectors_of([role_sector, *extra])
            how = {
                "demonym": "demonym + role noun",
                "plural": "demonym + role noun",
                "seat": "seat of government + role noun",
            }.get(entry.kind, "country + role noun")
            if named:
                how += " + name"
            return result(
                ActorCode(
                    name=name,
                    country=country.iso3,
                    sector=role_sector,
                    sectors=sectors,
                    code=actor_code(country.iso3, sectors),
                    kind="person" if named else "role",
                    resolution=how,
                )
            )
        if named:
            return result(
                ActorCode(
                    name=name,
                    country=country.iso3,
                    sector=None,
                    sectors=(),
                    code=country.cameo,
                    kind="person",
                    resolution=f"{entry.kind} + name",
                ),
                person=True,
            )
        if root.pos_ == "PROPN" and root_local not in p.actor_covered and root.ent_type_ == "ORG":
            org_toks = [
                t for i, t in enumerate(toks) if i not in p.covered and t.ent_type_ == "ORG"
            ]
            org_name = span.doc[org_toks[0].i : org_toks[-1].i + 1].text if org_toks else root.text
            return result(
                ActorCode(
                    name=org_name,
                    country=country.iso3,
                    sector=None,
                    sectors=(),
                    code=country.cameo,
                    kind="org",
                    resolution=f"organisation named with {entry.kind} {entry.surface}",
                ),
                person=False,
            )
        if entry.kind == "seat":
            sectors = sectors_of(["GOV", *p.modifiers])
            return result(
                ActorCode(
                    name=country.name,
                    country=country.iso3,
                    sector="GOV",
                    sectors=sectors,
                    code=actor_code(country.iso3, sectors),
                    kind="capital",
                    resolution=f"capital metonymy: {entry.surface} stands for the government of {country.name}",
                ),
                person=False,
            )
        if p.modifiers:
            sectors = sectors_of(p.modifiers)
            return result(
                ActorCode(
                    name=None,
                    country=country.iso3,
                    sector=sectors[0],
                    sectors=sectors,
                    code=actor_code(country.iso3, sectors),
                    kind="role",
                    resolution=f"{entry.kind} + sector word",
                ),
                person=False,
            )
        kind = "country" if entry.kind == "country" else "demonym"
        return result(
            ActorCode(
                name=country.name,
                country=country.iso3,
                sector=None,
                sectors=(),
                code=country.cameo,
                kind=kind,
                resolution="country name"
                if kind == "country"
                else f"{entry.kind} of {country.name}",
            ),
            person=False,
            plural_=plural or entry.kind == "plural",
        )

    # 4. ethnic and religious groups: a group code, no country
    if p.ethnic:
        eth = p.ethnic[0]
        sectors = sectors_of([role_sector, *extra]) if role_head is not None else ()
        return result(
            ActorCode(
                name=name or (None if role_head else eth.name),
                country=None,
                sector=sectors[0] if sectors else None,
                sectors=sectors,
                code=eth.code + "".join(sectors[:3]),
                kind="person" if named else ("role" if role_head else "demonym"),
                resolution=f"ethnic/religious group {eth.name}"
                + (" + role noun" if role_head else ""),
            )
        )

    # 5. loaded names that take the story's country
    if p.context_framing and (
        role_head is None or role_head[1] == norm(p.context_framing[0][0].text).removeprefix("the ")
    ):
        fr = p.context_framing[0][0]
        sectors = sectors_of([fr.sector])
        return result(
            ActorCode(
                name=None,
                country=context_country,
                sector=fr.sector,
                sectors=sectors,
                code=actor_code(context_country, sectors),
                kind="group",
                resolution=f"framing: {fr.text!r} -> {fr.sector} of "
                + (
                    f"the story's country {context_country}"
                    if context_country
                    else "the story's country (unknown)"
                ),
            ),
            needs_context=True,
            person=False,
        )

    # 6. role nouns alone, and names alone
    if role_head is not None:
        sectors = sectors_of([role_sector, *extra])
        return result(
            ActorCode(
                name=name,
                country=None,
                sector=role_sector,
                sectors=sectors,
                code=None,
                kind="person" if named else "role",
                resolution="role noun + name" if named else "role noun",
            )
        )
    if named:
        return result(
            ActorCode(name=name, country=None, kind="person", resolution="person name"),
            person=True,
        )
    if p.modifiers and root.pos_ in ("NOUN", "PROPN"):
        return PhraseAnalysis(None)
    return result(None, person=False) if anaphor else PhraseAnalysis(None)


def code_phrase(span: Span, *, date: dt.date | None = None) -> ActorCode | None:
    """Code one noun phrase: who it is, which country and sector, and why.

    Returns ``None`` when nothing in the phrase is known (a place, an object, a pronoun).
    """
    return analyse_phrase(span, date=date).code
