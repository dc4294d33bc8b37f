"""Event clusters: one ``event_clusters`` row per real-world event, however many articles report it.

Every coded event (a *mention*) keeps its own ``events`` row; the writer points it at the
cluster :func:`assign_cluster` returns. A mention joins an existing cluster when

* the PLOVER ``event_type`` is the same and the CAMEO roots are compatible (equal, or 18/19:
  "assault" and "fight" are coded inconsistently for the same attack);
* the actors match side by side: same country and sector (either sector unknown is fine), or
  names fuzzily equal (rapidfuzz ``token_set_ratio >= NAME_SIMILARITY``); a side that is empty
  in one of the two is compatible. For symmetric types (``SYMMETRIC_TYPES``) actor and
  recipient may be swapped;
* its date window (``date_window``: the stated date +-1 day for day precision, the whole week,
  month or year for coarser ones, -2/+1 day around the publication date when the date is
  unknown) overlaps the cluster's ``[date_first, date_last]``;
* the places are compatible: same country or one unknown; when both have point coordinates
  (not a country or region centroid) they lie within ``PLACE_RADIUS_KM``.

Candidates come from the ``ix_clusters_key`` index (``event_type, actor_country,
recipient_country, date_first``) with equality on the first three columns (NULL-safe) and a
``date_first`` range, so every lookup is a bounded index range. An event with both countries
known also looks at clusters whose actor or recipient country is unknown (and, for symmetric
types, at the swapped keys); an event with an unknown side only looks at clusters with that
side unknown. Clusters never span more than ``MAX_CLUSTER_SPAN_DAYS``, which bounds the
``date_first`` range.

Counts: ``num_mentions`` counts every mention; ``num_articles`` distinct articles and
``num_sources`` distinct ``articles.source`` values (an article without a source counts as its
own source), both over articles that are *not* near-duplicates of an earlier article.
``disagreements`` lists the casualty and arrest counts that conflict (``counts_conflict``) with
every value and who reported it. ``first_seen`` is the earliest publication date (midnight UTC)
of the articles reporting it, so every column is a function of the data and the order in which
the articles were ingested.

Cost: matching compares a new event with each candidate cluster's distinct member
*signatures* (:class:`Signature`: CAMEO root, both sides, the date when it is day/range
precise, the place), kept as JSON in ``cluster_state`` (at most ``MAX_MEMBERS`` per cluster,
in order of arrival), not with the members' stored records. Counts are kept incrementally:
``cluster_sources`` answers "is this outlet new to the cluster" with one primary-key probe,
the article check reads the article's own few events, and ``cluster_state`` holds per count
kind the tightest bounds of the stated counts, so a conflict is detected without reading the
members (the members' reports of a kind are read once, when that kind starts to conflict).
Every query is a bounded index lookup; none grows with the store or with a cluster. A cluster
without ``cluster_state`` (a store from schema 2) is rebuilt from its events on first contact.

Writer contract: call :func:`assign_cluster` once per event, inside the article's transaction,
and store that event's ``cluster_id`` (insert or update its ``events`` row) before calling it
for the next event; the counts read earlier mentions from the ``events`` table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

from pydantic import ValidationError
from rapidfuzz import fuzz
from sqlalchemy import (
    Connection,
    Date,
    Row,
    bindparam,
    false,
    select,
    text,
    union_all,
)

from newsevents.model import Actor, Event
from newsevents.store.schema import articles, cluster_sources, cluster_state, event_clusters, events

__all__ = [
    "COUNT_KINDS",
    "MAX_CLUSTER_SPAN_DAYS",
    "MAX_MEMBERS",
    "NAME_SIMILARITY",
    "PLACE_RADIUS_KM",
    "SYMMETRIC_TYPES",
    "CountReport",
    "Mention",
    "Side",
    "Signature",
    "assign_cluster",
    "candidate_keys",
    "cluster_id_for",
    "count_interval",
    "counts_conflict",
    "date_window",
    "disagreements",
    "haversine_km",
    "names_match",
    "overlaps",
    "pair_score",
    "roots_compatible",
    "side_score",
    "signature_score",
]

logger = logging.getLogger(__name__)

SYMMETRIC_TYPES: Final = frozenset({"CONSULT", "AGREE", "COOPERATE"})
"""Types where "A met B" and "B met A" are the same event."""
NAME_SIMILARITY: Final = 85.0
"""rapidfuzz ``token_set_ratio`` at or above which two actor names are the same actor."""
PLACE_RADIUS_KM: Final = 50.0
MAX_CLUSTER_SPAN_DAYS: Final = 31
"""``date_last - date_first`` never exceeds this; it bounds the candidate ``date_first`` range."""
MAX_MEMBERS: Final = 200
"""Distinct member signatures a cluster keeps for matching (the first ones to arrive)."""
COUNT_KINDS: Final = ("dead", "injured", "arrested")
_COMPATIBLE_ROOTS: Final = frozenset({frozenset({"18", "19"})})
_SLACK: Final = {"day": 1, "range": 1, "week": 1, "month": 0, "year": 0}
_PRECISE: Final = frozenset({"day", "range"})
_POINT_FEATURES: Final = frozenset({"city", "landmark", "other"})
_NAME_STOP: Final = frozenset({"the", "a", "an", "of"})

# --------------------------------------------------------------------------------------------
# pure helpers


@dataclass(frozen=True, slots=True)
class Side:
    """The actor or the recipient of a mention, reduced to what matching needs."""

    country: str | None = None
    sector: str | None = None
    names: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return self.country is None and not self.names

    @classmethod
    def from_actors(cls, actors: Sequence[Actor]) -> Side:
        first = next((a for a in actors if a.country), actors[0] if actors else None)
        names = tuple(dict.fromkeys(n for n in (a.name or a.text for a in actors) if n))
        if first is None:
            return cls()
        return cls(country=first.country, sector=first.sector, names=names)


@dataclass(frozen=True, slots=True)
class Mention:
    """One event as the matcher sees it."""

    event_type: str
    cameo: str
    actor: Side
    recipient: Side
    date: dt.date
    date_end: dt.date | None = None
    precision: str = "day"
    place_country: str | None = None
    lat: float | None = None
    lon: float | None = None
    point: bool = False

    @classmethod
    def from_event(cls, event: Event) -> Mention:
        loc = event.location
        point = (
            loc is not None
            and loc.lat is not None
            and loc.lon is not None
            and loc.feature in _POINT_FEATURES
            and loc.precision in ("exact", "near")
        )
        return cls(
            event_type=event.event_type,
            cameo=event.cameo,
            actor=Side.from_actors(event.actor),
            recipient=Side.from_actors(event.recipient),
            date=event.date.value,
            date_end=event.date.end,
            precision=event.date.precision,
            place_country=loc.country if loc else None,
            lat=loc.lat if loc else None,
            lon=loc.lon if loc else None,
            point=point,
        )


def date_window(value: dt.date, end: dt.date | None, precision: str) -> tuple[dt.date, dt.date]:
    """The days an event with this date may have happened on, for matching.

    Day and range precision: the stated days +-1; week, month and year: the whole period
    (``end`` when given, else to the end of the period); unknown (the publication date stood
    in): two days before to one day after.
    """
    if precision == "unknown":
        return value - dt.timedelta(days=2), value + dt.timedelta(days=1)
    last = end if end is not None and end >= value else _period_end(value, precision)
    slack = dt.timedelta(days=_SLACK.get(precision, 1))
    return value - slack, last + slack


def _period_end(value: dt.date, precision: str) -> dt.date:
    if precision == "week":
        return value + dt.timedelta(days=6)
    if precision == "month":
        nxt = dt.date(value.year + value.month // 12, value.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    if precision == "year":
        return dt.date(value.year, 12, 31)
    return value


def overlaps(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> bool:
    """Whether two closed date intervals share a day."""
    return a[0] <= b[1] and b[0] <= a[1]


def roots_compatible(a: str, b: str) -> bool:
    """CAMEO codes with the same root, or roots 18/19 (assault vs fight)."""
    ra, rb = a[:2], b[:2]
    return ra == rb or frozenset({ra, rb}) in _COMPATIBLE_ROOTS


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _norm_name(name: str) -> str:
    return " ".join(w for w in name.lower().replace("'s", "").split() if w not in _NAME_STOP)


def names_match(a: Iterable[str], b: Iterable[str]) -> bool:
    """Whether any name of ``a`` fuzzily equals any name of ``b``."""
    nb = [n for n in (_norm_name(x) for x in b) if n]
    for x in a:
        na = _norm_name(x)
        if na and any(fuzz.token_set_ratio(na, y) >= NAME_SIMILARITY for y in nb):
            return True
    return False


def side_score(a: Side, b: Side) -> float | None:
    """How well two sides match: 1.0 names, 0.75 country+sector, 0.25 one side unknown,
    0.5 both unknown; ``None`` when they are different actors."""
    if a.empty and b.empty:
        return 0.5
    if a.empty or b.empty:
        return 0.25
    if a.country and b.country and a.country != b.country:
        return None
    if a.names and b.names and names_match(a.names, b.names):
        return 1.0
    if a.country and a.country == b.country and (
        a.sector is None or b.sector is None or a.sector == b.sector
    ):
        return 0.75
    return None


@dataclass(frozen=True, slots=True)
class Signature:
    """What matching needs of one member of a cluster (its event type is the cluster's).

    ``root`` is the CAMEO root, ``date`` is kept only for day/range precision (only then does it
    score) and ``lat``/``lon`` only for point places. Many mentions share one signature, so a
    cluster keeps each distinct one once (``cluster_state``).
    """

    root: str
    actor: Side
    recipient: Side
    date: dt.date | None
    place_country: str | None
    lat: float | None
    lon: float | None

    @classmethod
    def of(cls, m: Mention) -> Signature:
        point = m.point and m.lat is not None and m.lon is not None
        return cls(
            root=m.cameo[:2],
            actor=m.actor,
            recipient=m.recipient,
            date=m.date if m.precision in _PRECISE else None,
            place_country=m.place_country,
            lat=m.lat if point else None,
            lon=m.lon if point else None,
        )

    def to_json(self) -> list[Any]:
        a, r = self.actor, self.recipient
        return [
            self.root, a.country, a.sector, list(a.names), r.country, r.sector, list(r.names),
            self.date.isoformat() if self.date else None, self.place_country, self.lat, self.lon,
        ]  # fmt: skip

    @classmethod
    def from_json(cls, data: list[Any]) -> Signature:
        root, ac, asec, an, rc, rsec, rn, day, pc, lat, lon = data
        return cls(
            root=root,
            actor=Side(ac, asec, tuple(an)),
            recipient=Side(rc, rsec, tuple(rn)),
            date=dt.date.fromisoformat(day) if day else None,
            place_country=pc,
            lat=lat,
            lon=lon,
        )


SideScorer = Callable[[Side, Side], "float | None"]


def _place_score(a: Mention, b: Signature) -> float | None:
    if a.place_country and b.place_country and a.place_country != b.place_country:
        return None
    if a.point and b.lat is not None and b.lon is not None and a.lat is not None and a.lon is not None:
        if haversine_km(a.lat, a.lon, b.lat, b.lon) > PLACE_RADIUS_KM:
            return None
        return 0.5
    if a.place_country and a.place_country == b.place_country:
        return 0.25
    return 0.0


def signature_score(a: Mention, b: Signature, sides: SideScorer = side_score) -> float | None:
    """:func:`pair_score` of ``a`` and a member with signature ``b`` of the same event type.

    ``sides`` is :func:`side_score` or a memoised stand-in (many members share their sides).
    """
    if not roots_compatible(a.cameo, b.root):
        return None
    place = _place_score(a, b)
    if place is None:
        return None
    orientations = [(a.actor, a.recipient)]
    if a.event_type in SYMMETRIC_TYPES:
        orientations.append((a.recipient, a.actor))
    best: float | None = None
    for act, rec in orientations:
        s1 = sides(act, b.actor)
        if s1 is None:
            continue
        s2 = sides(rec, b.recipient)
        if s2 is None:
            continue
        if max(s1, s2) <= 0.5 and place == 0.0:
            continue
        best = max(best or 0.0, s1 + s2)
    if best is None:
        return None
    closeness = 0.0
    if a.precision in _PRECISE and b.date is not None:
        closeness = 1.0 / (1 + abs((a.date - b.date).days))
    return best + place + closeness


def pair_score(a: Mention, b: Mention) -> float | None:
    """Match score of two mentions (higher is better), ``None`` when they are different events.

    Checks type, CAMEO root, actors (swapped too for symmetric types) and place; dates are
    checked against the cluster's interval by the caller. Two mentions whose actors are all
    unknown need a positive place match.
    """
    if a.event_type != b.event_type:
        return None
    return signature_score(a, Signature.of(b))


def cluster_id_for(article_id: str, event_id: str) -> str:
    """The id of a cluster founded by this event: a function of the data only."""
    return hashlib.sha1(f"cluster:{article_id}:{event_id}".encode()).hexdigest()


def candidate_keys(
    event_type: str, actor_country: str | None, recipient_country: str | None
) -> list[tuple[str | None, str | None]]:
    """(actor_country, recipient_country) keys of the clusters an event may join."""
    keys: list[tuple[str | None, str | None]] = []
    pairs = [(actor_country, recipient_country)]
    if event_type in SYMMETRIC_TYPES:
        pairs.append((recipient_country, actor_country))
    for a, r in pairs:
        variants = [(a, r)]
        if a is not None and r is not None:
            variants += [(a, None), (None, r)]
        keys += [k for k in variants if k not in keys]
    return keys


@dataclass(frozen=True, slots=True)
class CountReport:
    """One stated count of one kind, with who reported it."""

    value: int
    qualifier: str
    event_id: str
    article_id: str
    source: str | None
    reported_by: str | None
    duplicate_article: bool = False


def count_interval(value: int, qualifier: str) -> tuple[float, float]:
    """The values a stated count allows: "at least 12" is [12, inf), "about 12" is 12 +-15%."""
    if qualifier in ("at_least", "range"):
        return float(value), math.inf
    if qualifier == "more_than":
        return float(value + 1), math.inf
    if qualifier == "up_to":
        return 0.0, float(value)
    if qualifier == "nearly":
        return float(math.floor(value * 0.85)), float(value)
    if qualifier == "about":
        slack = max(1.0, value * 0.15)
        return max(0.0, value - slack), value + slack
    if qualifier == "vague":
        return 0.0, math.inf
    return float(value), float(value)


def counts_conflict(a: int, qa: str, b: int, qb: str) -> bool:
    """Whether two stated counts cannot both be right ("12" vs "15": yes; "at least 12" vs "15": no)."""
    la, ha = count_interval(a, qa)
    lb, hb = count_interval(b, qb)
    return not (la <= hb and lb <= ha)


def disagreements(reports: dict[str, list[CountReport]]) -> list[dict[str, Any]]:
    """The ``disagreements`` JSON list: one entry per count kind whose reports conflict.

    Each entry lists every distinct (value, qualifier) with the reports that gave it.
    """
    out: list[dict[str, Any]] = []
    for kind in COUNT_KINDS:
        reps = reports.get(kind, [])
        conflict = any(
            counts_conflict(x.value, x.qualifier, y.value, y.qualifier)
            for i, x in enumerate(reps)
            for y in reps[i + 1 :]
        )
        if not conflict:
            continue
        groups: dict[tuple[int, str], list[CountReport]] = {}
        for r in reps:
            groups.setdefault((r.value, r.qualifier), []).append(r)
        values = []
        for (value, qualifier), grp in sorted(groups.items()):
            values.append(
                {
                    "value": value,
                    "qualifier": qualifier,
                    "reports": [
                        {
                            "source": r.source,
                            "article_id": r.article_id,
                            "event_id": r.event_id,
                            "reported_by": r.reported_by,
                            "duplicate_article": r.duplicate_article,
                        }
                        for r in sorted(grp, key=lambda r: (r.article_id, r.event_id))
                    ],
                }
            )
        out.append({"field": kind, "values": values})
    return out


# --------------------------------------------------------------------------------------------
# database


_CANDIDATE_COLUMNS: Final = (
    "cluster_id", "event_type", "cameo", "actor_country", "actor_code", "recipient_country",
    "recipient_code", "date_first", "date_last", "place_country", "num_mentions", "num_articles",
    "num_sources", "first_seen", "representative_event_id",
)  # fmt: skip


@lru_cache(maxsize=64)
def _candidate_query(shape: tuple[tuple[bool, bool], ...]) -> Any:
    """The ``ix_clusters_key`` lookup for keys whose countries are known (True) or NULL (False).

    Built once per shape; each branch is ``event_type=? AND actor_country (=?|IS NULL) AND
    recipient_country (=?|IS NULL) AND date_first BETWEEN ? AND ?`` (plus ``date_last >= ?``,
    checked on the rows the index range gives). Only the small columns are read, with the
    cluster's ``cluster_state`` (a primary-key probe per row).
    """
    c = event_clusters.c
    cols = [*(c[name] for name in _CANDIDATE_COLUMNS), cluster_state.c.state]
    joined = event_clusters.outerjoin(cluster_state, cluster_state.c.cluster_id == c.cluster_id)
    selects = []
    for i, (has_a, has_r) in enumerate(shape):
        selects.append(
            select(*cols)
            .select_from(joined)
            .where(
                c.event_type == bindparam("event_type"),
                c.actor_country == bindparam(f"a{i}") if has_a else c.actor_country.is_(None),
                c.recipient_country == bindparam(f"r{i}") if has_r else c.recipient_country.is_(None),
                c.date_first >= bindparam("lo", type_=Date),
                c.date_first <= bindparam("hi", type_=Date),
                c.date_last >= bindparam("last", type_=Date),
            )
        )
    return selects[0] if len(selects) == 1 else union_all(*selects)


def _candidates(conn: Connection, event: Event, mention: Mention) -> list[Row[Any]]:
    lo, hi = date_window(mention.date, mention.date_end, mention.precision)
    keys = candidate_keys(event.event_type, mention.actor.country, mention.recipient.country)
    params: dict[str, Any] = {
        "event_type": event.event_type,
        "lo": lo - dt.timedelta(days=MAX_CLUSTER_SPAN_DAYS),
        "hi": hi,
        "last": lo,
    }
    for i, (a, r) in enumerate(keys):
        params[f"a{i}"], params[f"r{i}"] = a, r
    stmt = _candidate_query(tuple((a is not None, r is not None) for a, r in keys))
    rows = list(conn.execute(stmt, params))
    seen: set[str] = set()
    out = []
    for row in rows:
        if row.cluster_id in seen or not overlaps((lo, hi), (row.date_first, row.date_last)):
            continue
        seen.add(row.cluster_id)
        out.append(row)
    return out


# -- per-cluster bookkeeping (tables cluster_state and cluster_sources) --------------------------
#
# cluster_state.state is a JSON object:
#   "sigs": the distinct member Signatures (JSON lists) in order of arrival, at most MAX_MEMBERS;
#   "lo"/"hi": per count kind, the largest lower and the smallest upper bound (null: infinite)
#       of the stated counts' intervals; the reports of a kind conflict iff lo > hi (intervals
#       on a line pairwise intersect iff they all share a point), so conflicts are known
#       without reading the members;
#   "rc": the representative event's confidence.
# cluster_sources holds (cluster, source) for every counted article with a source, so
# num_sources is one primary-key probe. Both are written in the caller's transaction with the
# cluster row, and rebuilt from the events table when missing (a store migrated from schema 2).


@dataclass(slots=True)
class _State:
    sigs: list[list[Any]]
    lo: dict[str, float]
    hi: dict[str, float | None]
    rc: float | None
    stored: bool = True
    """False when rebuilt from events and not written yet."""

    def to_json(self) -> str:
        data = {"sigs": self.sigs, "lo": self.lo, "hi": self.hi, "rc": self.rc}
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> _State:
        data = json.loads(text)
        return cls(data["sigs"], data["lo"], data["hi"], data["rc"])

    def add_signature(self, sig: list[Any]) -> bool:
        if len(self.sigs) >= MAX_MEMBERS or sig in self.sigs:
            return False
        self.sigs.append(sig)
        return True

    def add_counts(self, counts: dict[str, tuple[int, str]]) -> None:
        for kind, (value, qualifier) in counts.items():
            low, high = count_interval(value, qualifier)
            self.lo[kind] = max(self.lo.get(kind, low), low)
            old = self.hi.get(kind, high)
            top = min(math.inf if old is None else old, high)
            self.hi[kind] = None if math.isinf(top) else top

    def conflict(self, kind: str) -> bool:
        if kind not in self.lo:
            return False
        high = self.hi.get(kind)
        return high is not None and self.lo[kind] > high


_c = event_clusters.c
_e = events.c
_STATE_INSERT: Final = cluster_state.insert()
_STATE_UPDATE: Final = (
    cluster_state.update()
    .where(cluster_state.c.cluster_id == bindparam("b_cid"))
    .values(state=bindparam("b_state"))
)
_SOURCE_ADD: Final = text(
    "INSERT INTO cluster_sources (cluster_id, source) VALUES (:cluster_id, :source) "
    "ON CONFLICT DO NOTHING"
)
"""One cached statement on SQLite and PostgreSQL; its row count says whether the source is new."""


def _add_source(conn: Connection, cid: str, source: str) -> bool:
    """Record ``source`` for the cluster; whether it was new."""
    params = {"cluster_id": cid, "source": source}
    if conn.dialect.name in ("sqlite", "postgresql"):
        return bool(conn.execute(_SOURCE_ADD, params).rowcount == 1)
    if conn.execute(_SOURCE_SELECT, {"cid": cid, "source": source}).first() is not None:
        return False
    conn.execute(_SOURCE_INSERT, params)
    return True


_SOURCE_SELECT: Final = select(cluster_sources.c.source).where(
    cluster_sources.c.cluster_id == bindparam("cid"), cluster_sources.c.source == bindparam("source")
)
_SOURCE_INSERT: Final = cluster_sources.insert()
_ARTICLE_EVENTS: Final = select(_e.cluster_id, _e.duplicate_article).where(
    _e.article_id == bindparam("article_id")
)
_CLUSTER_EXISTS: Final = select(_c.cluster_id).where(_c.cluster_id == bindparam("cid"))
_CLUSTER_INSERT: Final = event_clusters.insert()
_DISAGREEMENTS: Final = select(_c.disagreements).where(_c.cluster_id == bindparam("cid"))
_MEMBER_RECORDS: Final = (
    select(_e.event_id, _e.record).where(_e.cluster_id == bindparam("cid")).order_by(_e.event_id)
)
_MEMBER_SOURCES: Final = (
    select(articles.c.source)
    .join(articles, articles.c.article_id == _e.article_id)
    .where(_e.cluster_id == bindparam("cid"), _e.duplicate_article == false(),
           articles.c.source.is_not(None))
    .distinct()
)  # fmt: skip


def _count_members(kind: str) -> Any:
    return (
        select(_e.event_id, _e.article_id, _e.duplicate_article, _e.record, articles.c.source)
        .join(articles, articles.c.article_id == _e.article_id)
        .where(_e.cluster_id == bindparam("cid"), _e[kind].is_not(None),
               _e.event_id != bindparam("event_id"))
    )  # fmt: skip


_COUNT_MEMBERS: Final = {kind: _count_members(kind) for kind in COUNT_KINDS}


@lru_cache(maxsize=256)
def _cluster_update(columns: tuple[str, ...]) -> Any:
    """``UPDATE event_clusters SET <columns> WHERE cluster_id = ?``, built once per column set."""
    return (
        event_clusters.update()
        .where(_c.cluster_id == bindparam("b_cid"))
        .values({name: bindparam(f"b_{name}") for name in columns})
    )


def _parse(record: str, cluster_id: str) -> Event | None:
    try:
        return Event.model_validate_json(record)
    except ValidationError as exc:
        logger.warning("cluster %s: unreadable event record skipped (%s)", cluster_id, exc)
        return None


def _rebuild_state(conn: Connection, row: Row[Any]) -> _State:
    """A cluster's bookkeeping from its stored events (a cluster made before schema 3)."""
    cid: str = row.cluster_id
    state = _State([], {}, {}, None, stored=False)
    for member in conn.execute(_MEMBER_RECORDS, {"cid": cid}):
        event = _parse(member.record, cid)
        if event is None:
            continue
        state.add_signature(Signature.of(Mention.from_event(event)).to_json())
        state.add_counts(_event_counts(event))
        if member.event_id == row.representative_event_id:
            state.rc = event.confidence
    if not state.sigs:
        state.add_signature(Signature.of(_row_mention(row)).to_json())
    have = {r.source for r in conn.execute(select(cluster_sources.c.source).where(cluster_sources.c.cluster_id == cid))}
    missing = [s for s in conn.execute(_MEMBER_SOURCES, {"cid": cid}).scalars() if s not in have]
    if missing:
        conn.execute(_SOURCE_INSERT, [{"cluster_id": cid, "source": s} for s in missing])
    logger.info("cluster %s: de-duplication bookkeeping rebuilt from its events", cid)
    return state


def _states(conn: Connection, rows: list[Row[Any]]) -> dict[str, _State]:
    found: dict[str, _State] = {}
    for row in rows:
        if row.state is not None:
            found[row.cluster_id] = _State.from_json(row.state)
        else:
            state = found[row.cluster_id] = _rebuild_state(conn, row)
            _save_state(conn, row.cluster_id, state)
    return found


def _save_state(conn: Connection, cid: str, state: _State) -> None:
    if state.stored:
        conn.execute(_STATE_UPDATE, {"b_cid": cid, "b_state": state.to_json()})
    else:
        conn.execute(_STATE_INSERT, {"cluster_id": cid, "state": state.to_json()})
        state.stored = True


def _row_mention(row: Row[Any]) -> Mention:
    """A stand-in member built from the cluster row, for a cluster whose mentions are not stored yet."""
    return Mention(
        event_type=row.event_type,
        cameo=row.cameo,
        actor=Side(country=row.actor_country),
        recipient=Side(country=row.recipient_country),
        date=row.date_first,
        date_end=row.date_last,
        precision="range",
        place_country=row.place_country,
    )


def _first_seen(pub_date: dt.date | None, event: Event) -> dt.datetime:
    day = pub_date or event.date.value
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _aware(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def _event_counts(event: Event) -> dict[str, tuple[int, str]]:
    out: dict[str, tuple[int, str]] = {}
    for kind in COUNT_KINDS:
        value = getattr(event.size, kind)
        if value is not None:
            out[kind] = (int(value), event.size.qualifiers.get(kind, "exact"))
    return out


def _reported_by(event: Event) -> str | None:
    rb = event.reported_by
    return (rb.name or rb.text) if rb is not None else None


def _report_json(r: CountReport) -> dict[str, Any]:
    return {
        "source": r.source,
        "article_id": r.article_id,
        "event_id": r.event_id,
        "reported_by": r.reported_by,
        "duplicate_article": r.duplicate_article,
    }


def _stored_reports(conn: Connection, cluster_id: str, kind: str, event_id: str) -> list[CountReport]:
    """Every stored report of one count kind in a cluster (read once, when the kind starts to conflict)."""
    out = []
    for row in conn.execute(_COUNT_MEMBERS[kind], {"cid": cluster_id, "event_id": event_id}):
        member = _parse(row.record, cluster_id)
        if member is None:
            continue
        stated = _event_counts(member).get(kind)
        if stated is not None:
            out.append(CountReport(stated[0], stated[1], row.event_id, row.article_id, row.source,
                                   _reported_by(member), bool(row.duplicate_article)))  # fmt: skip
    return out


def _add_report(entry: dict[str, Any], report: CountReport) -> None:
    """Add one report to a ``disagreements`` entry, keeping :func:`disagreements`' order."""
    values: list[dict[str, Any]] = entry["values"]
    key = (report.value, report.qualifier)
    group = next((v for v in values if (v["value"], v["qualifier"]) == key), None)
    if group is None:
        group = {"value": report.value, "qualifier": report.qualifier, "reports": []}
        values.append(group)
        values.sort(key=lambda v: (v["value"], v["qualifier"]))
    group["reports"].append(_report_json(report))
    group["reports"].sort(key=lambda r: (r["article_id"], r["event_id"]))


def _update_disagreements(
    conn: Connection, cid: str, state: _State, event: Event, counts: dict[str, tuple[int, str]],
    report_of: Callable[[int, str], CountReport],
) -> str | None:
    """The cluster's new ``disagreements`` JSON after a mention with ``counts`` joined it (``None``:
    unchanged). Equal to :func:`disagreements` over every report, without reading them all: an
    entry already listed gets the new report, and the reports of a kind are read from the
    members only when that kind starts to conflict."""
    before = {kind: state.conflict(kind) for kind in COUNT_KINDS}
    state.add_counts(counts)
    if not any(state.conflict(kind) for kind in counts):
        return None
    stored = conn.execute(_DISAGREEMENTS, {"cid": cid}).scalar_one()
    current = {d["field"]: d for d in json.loads(stored or "[]")}
    out: list[dict[str, Any]] = []
    for kind in COUNT_KINDS:
        if kind not in counts or not state.conflict(kind):
            if kind in current:
                out.append(current[kind])
            continue
        report = report_of(*counts[kind])
        if before[kind] and kind in current:
            entry = current[kind]
            _add_report(entry, report)
        else:
            reports = [*_stored_reports(conn, cid, kind, event.event_id), report]
            entry = disagreements({kind: reports})[0]
        out.append(entry)
    return json.dumps(out, sort_keys=True)


def _create(
    conn: Connection, event: Event, mention: Mention, sig: list[Any], *, article_id: str,
    source: str | None, pub_date: dt.date | None, duplicate_article: bool,
) -> str:
    cid = cluster_id_for(article_id, event.event_id)
    if conn.execute(_CLUSTER_EXISTS, {"cid": cid}).first() is not None:
        return cid  # this very event founded it already (a repeated call)
    lo = mention.date
    if mention.precision in _PRECISE or mention.precision == "unknown":
        hi = mention.date_end if mention.date_end and mention.date_end >= lo else lo
    else:
        hi = date_window(mention.date, mention.date_end, mention.precision)[1]
    hi = min(hi, lo + dt.timedelta(days=MAX_CLUSTER_SPAN_DAYS))
    actor = event.actor[0] if event.actor else None
    recipient = event.recipient[0] if event.recipient else None
    counted = 0 if duplicate_article else 1
    conn.execute(
        _CLUSTER_INSERT,
        {
            "cluster_id": cid,
            "event_type": event.event_type,
            "cameo": event.cameo,
            "actor_country": mention.actor.country,
            "actor_code": actor.code if actor else None,
            "recipient_country": mention.recipient.country,
            "recipient_code": recipient.code if recipient else None,
            "date_first": lo,
            "date_last": hi,
            "place_name": event.location.name if event.location else None,
            "place_country": mention.place_country,
            "num_mentions": 1,
            "num_articles": counted,
            "num_sources": counted,
            "first_seen": _first_seen(pub_date, event),
            "representative_event_id": event.event_id,
            "disagreements": "[]",
        },
    )
    state = _State([sig], {}, {}, event.confidence, stored=False)
    state.add_counts(_event_counts(event))
    _save_state(conn, cid, state)
    if not duplicate_article and source is not None:
        _add_source(conn, cid, source)
    return cid


def _join(
    conn: Connection, row: Row[Any], state: _State, event: Event, mention: Mention,
    sig: list[Any], *, article_id: str, source: str | None, pub_date: dt.date | None,
    duplicate_article: bool,
) -> str:
    cid: str = row.cluster_id
    values: dict[str, Any] = {"num_mentions": row.num_mentions + 1}
    dirty = not state.stored
    if not duplicate_article:
        counted = any(
            r.cluster_id == cid and not r.duplicate_article
            for r in conn.execute(_ARTICLE_EVENTS, {"article_id": article_id})
        )
        if not counted:
            values["num_articles"] = row.num_articles + 1
            if source is None or _add_source(conn, cid, source):
                values["num_sources"] = row.num_sources + 1
    if mention.precision in _PRECISE:
        end = mention.date_end if mention.date_end and mention.date_end >= mention.date else mention.date
        if mention.date < row.date_first:
            values["date_first"] = mention.date
        if end > row.date_last:
            values["date_last"] = end
    seen = _first_seen(pub_date, event)
    if seen < _aware(row.first_seen):
        values["first_seen"] = seen
    if row.place_country is None and mention.place_country is not None and event.location:
        values["place_country"] = mention.place_country
        values["place_name"] = event.location.name
    if row.actor_code is None and event.actor and event.actor[0].code:
        values["actor_code"] = event.actor[0].code
    if row.recipient_code is None and event.recipient and event.recipient[0].code:
        values["recipient_code"] = event.recipient[0].code
    if state.rc is not None and event.confidence > state.rc:
        values["representative_event_id"] = event.event_id
        state.rc = event.confidence
        dirty = True
    counts = _event_counts(event)
    if counts:
        def report_of(value: int, qualifier: str) -> CountReport:
            return CountReport(value, qualifier, event.event_id, article_id, source,
                               _reported_by(event), duplicate_article)  # fmt: skip

        old = (dict(state.lo), dict(state.hi))
        found = _update_disagreements(conn, cid, state, event, counts, report_of)
        if found is not None:
            values["disagreements"] = found
        dirty |= old != (state.lo, state.hi)
    dirty |= state.add_signature(sig)
    names = tuple(sorted(values))
    conn.execute(_cluster_update(names), {"b_cid": cid, **{f"b_{k}": v for k, v in values.items()}})
    if dirty:
        _save_state(conn, cid, state)
    return cid


def _span_ok(row: Row[Any], mention: Mention) -> bool:
    if mention.precision not in _PRECISE:
        return True
    end = mention.date_end if mention.date_end and mention.date_end >= mention.date else mention.date
    first, last = min(row.date_first, mention.date), max(row.date_last, end)
    return bool((last - first).days <= MAX_CLUSTER_SPAN_DAYS)


class _SideMemo:
    """:func:`side_score` remembered for the sides of one new mention (members share sides)."""

    __slots__ = ("_memo",)

    def __init__(self) -> None:
        self._memo: dict[tuple[Side, Side], float | None] = {}

    def __call__(self, a: Side, b: Side) -> float | None:
        key = (a, b)
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = side_score(a, b)
            return value


def assign_cluster(
    conn: Connection,
    event: Event,
    *,
    article_id: str,
    source: str | None,
    pub_date: dt.date | None,
    duplicate_article: bool,
) -> str:
    """The ``cluster_id`` of the real-world event ``event`` reports, creating or updating its row.

    Joins the best-scoring compatible cluster found through ``ix_clusters_key`` (ties: closer
    dates, earlier ``first_seen``, smaller id), else founds a new one whose id is
    :func:`cluster_id_for` ``(article_id, event.event_id)``. Updates ``num_mentions``,
    ``num_articles``/``num_sources`` (not for near-duplicate articles), ``date_first``/
    ``date_last`` (from day- and range-precision dates), ``first_seen``, the representative
    (highest confidence; ties keep the earlier one) and ``disagreements``.

    A candidate cluster is compared with its distinct member signatures (``cluster_state``;
    the first ``MAX_MEMBERS`` distinct ones), so the work per event is a few index lookups
    and does not grow with the store or with the clusters.
    """
    mention = Mention.from_event(event)
    sig = Signature.of(mention)
    rows = [r for r in _candidates(conn, event, mention) if _span_ok(r, mention)]
    states = _states(conn, rows)
    sides = _SideMemo()
    best: tuple[tuple[float, int, str, str], Row[Any]] | None = None
    for row in rows:
        top: float | None = None
        for data in states[row.cluster_id].sigs:
            score = signature_score(mention, Signature.from_json(data), sides)
            if score is not None and (top is None or score > top):
                top = score
        if top is None:
            continue
        distance = 0 if row.date_first <= mention.date <= row.date_last else min(
            abs((row.date_first - mention.date).days), abs((row.date_last - mention.date).days)
        )
        seen_at = _aware(row.first_seen).astimezone(dt.UTC).isoformat()
        key = (-top, distance, seen_at, row.cluster_id)
        if best is None or key < best[0]:
            best = (key, row)
    kwargs: dict[str, Any] = {
        "article_id": article_id,
        "source": source,
        "pub_date": pub_date,
        "duplicate_article": duplicate_article,
    }
    if best is None:
        cid = _create(conn, event, mention, sig.to_json(), **kwargs)
        logger.debug("event %s founds cluster %s", event.event_id, cid)
        return cid
    row = best[1]
    cid = _join(conn, row, states[row.cluster_id], event, mention, sig.to_json(), **kwargs)
    logger.debug("event %s joins cluster %s (score %.2f)", event.event_id, cid, -best[0][0])
    return cid
