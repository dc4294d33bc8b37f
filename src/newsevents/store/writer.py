"""The one writer: coded documents go into the store in transactions that hold whole documents.

:class:`StoreWriter` writes an article with its entities and events (flat columns for filtering
plus the full JSON record), asks the de-duplication hooks for the article's near-duplicate group
and each event's cluster *inside the same transaction*, or writes a ``failures`` row for a
document that could not be coded. :meth:`StoreWriter.write` commits one document;
:meth:`StoreWriter.write_many` (what ``newsevents ingest`` uses) commits a run of consecutive
documents together, which spares a commit per document. Either way everything about a document
is committed together or not at all, and documents are committed in input order, so a run killed
at any moment and started again ends with exactly the store a clean run gives. Articles are keyed
by :func:`article_key` (the SHA-1 of the whitespace-normalised text); an article already stored
is skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, cast

import sqlalchemy
from sqlalchemy import Connection, String, bindparam, exc, select, update

from newsevents.errors import Errors
from newsevents.model import Actor, DocError, Entity, Event
from newsevents.store import schema
from newsevents.store.engine import Store

__all__ = [
    "NO_DEDUP",
    "DedupHooks",
    "StoreWriter",
    "WriteOutcome",
    "article_key",
    "default_hooks",
    "failure_key",
    "finish_run",
    "start_run",
]

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------
# keys


def article_key(text: str) -> str:
    """The article id: SHA-1 of the text with runs of whitespace collapsed to one space."""
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()


def failure_key(input_ref: str | None, doc_id: str, stage: str) -> str:
    """The failure id: the same document failing the same way again is the same failure."""
    return hashlib.sha1(f"{input_ref or ''}\x1f{doc_id}\x1f{stage}".encode()).hexdigest()


# ---------------------------------------------------------------------------------------------
# de-duplication hooks


class AssignDupGroup(Protocol):
    def __call__(self, conn: Connection, article_id: str, text: str) -> str: ...


class AssignCluster(Protocol):
    def __call__(
        self,
        conn: Connection,
        event: Event,
        *,
        article_id: str,
        source: str | None,
        pub_date: dt.date | None,
        duplicate_article: bool,
    ) -> str | None: ...


@dataclass(frozen=True, slots=True)
class DedupHooks:
    """The two calls the writer makes into :mod:`newsevents.dedup` (injectable for tests)."""

    assign_dup_group: AssignDupGroup
    assign_cluster: AssignCluster


def _own_group(conn: Connection, article_id: str, text: str) -> str:
    return article_id


def _no_cluster(
    conn: Connection,
    event: Event,
    *,
    article_id: str,
    source: str | None,
    pub_date: dt.date | None,
    duplicate_article: bool,
) -> str | None:
    return None


NO_DEDUP = DedupHooks(assign_dup_group=_own_group, assign_cluster=_no_cluster)
"""Hooks that do nothing: every article is its own group, events get no cluster."""


def default_hooks() -> DedupHooks:
    """:mod:`newsevents.dedup`'s ``assign_dup_group`` and ``assign_cluster``.

    Falls back to :data:`NO_DEDUP` (with a warning) when that module is not installed.
    """
    try:
        from newsevents import dedup
    except ModuleNotFoundError as err:
        if err.name not in ("newsevents.dedup", "datasketch"):
            raise
        logger.warning("newsevents.dedup is not available (%s); storing without de-duplication", err)
        return NO_DEDUP
    return DedupHooks(assign_dup_group=dedup.assign_dup_group, assign_cluster=dedup.assign_cluster)


# ---------------------------------------------------------------------------------------------
# runs


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def start_run(
    store: Store, *, command: str | None = None, versions: Mapping[str, str] | None = None
) -> str:
    """Record the start of an ingest run (committed at once); returns its ``run_id``."""
    if versions is None:
        from newsevents.cli_support import versions as read_versions

        versions = read_versions()
    run_id = uuid.uuid4().hex

    def insert() -> None:
        with store.begin() as conn:
            if conn.execute(select(schema.runs.c.run_id).where(schema.runs.c.run_id == run_id)).first():
                return  # committed just before the connection was lost
            conn.execute(
                schema.runs.insert().values(
                    run_id=run_id,
                    started_at=_now(),
                    command=command,
                    version=versions.get("newsevents", "unknown"),
                    versions=json.dumps(dict(versions), sort_keys=True),
                    n_docs=0,
                    n_events=0,
                    n_failures=0,
                    n_present=0,
                    status="running",
                )
            )

    store.retrying(insert, what="recording the start of a run")
    return run_id


def finish_run(
    store: Store,
    run_id: str,
    *,
    n_docs: int,
    n_present: int,
    n_events: int,
    n_failures: int,
    status: str = "finished",
) -> None:
    """Record a run's counts and end (``status``: finished, failed or interrupted)."""

    def update() -> None:
        with store.begin() as conn:
            conn.execute(
                schema.runs.update()
                .where(schema.runs.c.run_id == run_id)
                .values(
                    finished_at=_now(),
                    n_docs=n_docs,
                    n_present=n_present,
                    n_events=n_events,
                    n_failures=n_failures,
                    status=status,
                )
            )

    store.retrying(update, what="recording the end of a run")


# ---------------------------------------------------------------------------------------------
# rows


def _limits(table: sqlalchemy.Table) -> dict[str, int]:
    return {
        c.name: c.type.length
        for c in table.columns
        if isinstance(c.type, String) and c.type.length is not None
    }


_LIMITS = {t.name: _limits(t) for t in schema.metadata.sorted_tables}


def _fit(table: sqlalchemy.Table, row: dict[str, Any]) -> dict[str, Any]:
    """Clip values longer than a VARCHAR column (PostgreSQL enforces lengths, SQLite doesn't)."""
    for name, limit in _LIMITS[table.name].items():
        value = row.get(name)
        if isinstance(value, str) and len(value) > limit:
            logger.warning("%s.%s: %r is longer than %d characters; clipped", table.name, name, value, limit)
            row[name] = value[:limit]
    return row


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _name(actor: Actor | None) -> str | None:
    return (actor.name or actor.text) if actor is not None else None


def event_row(event: Event, *, article_id: str, cluster_id: str | None, duplicate_article: bool) -> dict[str, Any]:
    """The ``events`` row of an event: the first actor/recipient in the flat columns."""
    actor = event.actor[0] if event.actor else None
    recipient = event.recipient[0] if event.recipient else None
    place = event.location
    evidence = event.evidence
    return {
        "event_id": event.event_id,
        "article_id": article_id,
        "doc_id": event.doc_id,
        "event_type": event.event_type,
        "mode": event.mode,
        "cameo": event.cameo,
        "quad_class": event.quad_class,
        "goldstein": event.goldstein,
        "plover_score": event.plover_score,
        "factuality": event.factuality,
        "actor_name": _name(actor),
        "actor_country": actor.country if actor else None,
        "actor_sector": actor.sector if actor else None,
        "actor_code": actor.code if actor else None,
        "actor_entity": actor.entity_id if actor else None,
        "recipient_name": _name(recipient),
        "recipient_country": recipient.country if recipient else None,
        "recipient_sector": recipient.sector if recipient else None,
        "recipient_code": recipient.code if recipient else None,
        "recipient_entity": recipient.entity_id if recipient else None,
        "reported_by": _name(event.reported_by),
        "date": event.date.value,
        "date_end": event.date.end,
        "date_precision": event.date.precision,
        "place_name": place.name if place else None,
        "place_country": place.country if place else None,
        "place_admin1": place.admin1 if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "dead": event.size.dead,
        "injured": event.size.injured,
        "arrested": event.size.arrested,
        "confidence": event.confidence,
        "sentence_index": evidence.sentence_index,
        "sentence": evidence.sentence,
        "evidence_start": evidence.start,
        "evidence_end": evidence.end,
        "trigger_start": evidence.trigger.start,
        "trigger_end": evidence.trigger.end,
        "cluster_id": cluster_id,
        "duplicate_article": duplicate_article,
        "record": _json(event.to_json_dict()),
    }


def entity_row(entity: Entity, *, article_id: str) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "entity_id": entity.entity_id,
        "name": entity.name,
        "country": entity.country,
        "sector": entity.sector,
        "code": entity.code,
        "kind": entity.kind,
        "n_mentions": len(entity.mentions),
        "record": _json(entity.model_dump(mode="json")),
    }


# ---------------------------------------------------------------------------------------------
# the writer


Status = Literal["stored", "present", "failed"]


@dataclass(frozen=True, slots=True)
class WriteOutcome:
    """What :meth:`StoreWriter.write` did with one document."""

    status: Status
    article_id: str | None
    n_events: int = 0
    error: DocError | None = None
    new_failure: bool = False
    """For ``failed``: whether the failures row is new (not recorded by an earlier run)."""


class _Coded(Protocol):
    """What the writer needs of :class:`newsevents.pipeline.CodedDoc`."""

    @property
    def article(self) -> Any: ...
    @property
    def events(self) -> list[Event]: ...
    @property
    def error(self) -> DocError | None: ...
    @property
    def entities(self) -> list[Entity]: ...


class StoreWriter:
    """Writes coded documents into ``store`` under ``run_id``: one transaction per document
    (:meth:`write`) or per run of documents (:meth:`write_many`).

    ``hooks`` are the de-duplication calls (default: :func:`default_hooks`, loaded on first use).
    """

    def __init__(self, store: Store, run_id: str | None, *, hooks: DedupHooks | None = None) -> None:
        self.store = store
        self.run_id = run_id
        self._hooks = hooks

    @property
    def hooks(self) -> DedupHooks:
        if self._hooks is None:
            self._hooks = default_hooks()
        return self._hooks

    def is_stored(self, article_id: str) -> bool:
        """Whether an article with this id is already in the store."""
        def check() -> bool:
            with self.store.connect() as conn:
                return _article_exists(conn, article_id)

        return self.store.retrying(check, what="checking a stored article")

    def write(self, result: _Coded, *, input_ref: str | None = None) -> WriteOutcome:
        """Store one coded document (or its failure) in one transaction."""
        if result.error is not None:
            text = getattr(result.article, "text", "") or ""
            return self.write_failure(
                result.error, input_ref=input_ref, article_id=article_key(text) if text.strip() else None
            )
        article = result.article
        article_id = article_key(article.text)
        try:
            return self.store.retrying(lambda: self._write_coded(result, article_id), what=f"writing {article.id}")
        except (exc.DataError, exc.IntegrityError) as err:
            # the transaction was rolled back; the document is recorded as a failure instead
            detail = str(getattr(err, "orig", None) or err).strip().splitlines()[0]
            logger.warning("Document %s could not be stored: %s", article.id, detail)
            message = Errors.E410.format(doc_id=article.id, detail=detail)
            error = DocError(doc_id=article.id, code="E410", stage="store", message=message)
            return self.write_failure(error, input_ref=input_ref, article_id=article_id)

    def write_many(self, items: Sequence[tuple[_Coded, str | None]]) -> list[WriteOutcome]:
        """Store several coded documents (each with its ``input_ref``) in *one* transaction.

        The documents are written in order, exactly as :meth:`write` writes them one by one (each
        sees the ones before it: de-duplication, clusters and counts come out the same), but
        they are committed together: all of them or none. A run killed before the commit
        stored none of them, and the next run codes and writes them all again, so the store
        still ends up exactly as one clean run leaves it. When a document cannot be stored
        (E410), the whole transaction is rolled back and the documents are written again one
        transaction each, so only that document becomes a failure.
        """
        if len(items) <= 1:
            return [self.write(result, input_ref=ref) for result, ref in items]
        try:
            return self.store.retrying(lambda: self._write_batch(items), what=f"writing {len(items)} documents")
        except (exc.DataError, exc.IntegrityError):
            logger.info("a batch of %d documents could not be stored at once; writing them one by one", len(items))
            return [self.write(result, input_ref=ref) for result, ref in items]

    def _write_batch(self, items: Sequence[tuple[_Coded, str | None]]) -> list[WriteOutcome]:
        outcomes = []
        with self.store.begin() as conn:
            for result, ref in items:
                if result.error is None:
                    outcomes.append(self._store_coded(conn, result, article_key(result.article.text)))
                    continue
                text = getattr(result.article, "text", "") or ""
                failed_id = article_key(text) if text.strip() else None
                failure_id = failure_key(ref, result.error.doc_id, result.error.stage)
                outcomes.append(self._store_failure(conn, result.error, failure_id, ref, failed_id))
        return outcomes

    def _write_coded(self, result: _Coded, article_id: str) -> WriteOutcome:
        with self.store.begin() as conn:
            return self._store_coded(conn, result, article_id)

    def _store_coded(self, conn: Connection, result: _Coded, article_id: str) -> WriteOutcome:
        """Write one coded document inside the caller's transaction."""
        article = result.article
        hooks = self.hooks
        if _article_exists(conn, article_id):
            return WriteOutcome("present", article_id)
        dup_group = hooks.assign_dup_group(conn, article_id, article.text)
        duplicate = dup_group != article_id
        conn.execute(
            _INSERT_ARTICLE,
            _fit(
                schema.articles,
                {
                    "article_id": article_id,
                    "doc_id": article.id,
                    "title": article.title,
                    "url": article.url,
                    "source": article.source,
                    "pub_date": article.date,
                    "text": article.text,
                    "n_chars": len(article.text),
                    "n_events": len(result.events),
                    "dup_group": dup_group,
                    "run_id": self.run_id,
                    "ingested_at": _now(),
                },
            ),
        )
        entity_rows: list[dict[str, Any]] = []
        seen_entities: set[str] = set()
        for entity in result.entities:
            if entity.entity_id in seen_entities:
                logger.warning("%s: entity %s appears twice; kept the first", article.id, entity.entity_id)
                continue
            seen_entities.add(entity.entity_id)
            entity_rows.append(_fit(schema.entities, entity_row(entity, article_id=article_id)))
        if entity_rows:
            conn.execute(_INSERT_ENTITY, entity_rows)
        used: set[str] = set()
        taken = _taken_event_ids(conn, result.events)
        daily: dict[tuple[Any, str, int], list[float]] = {}
        by_country: dict[tuple[str, Any, str, int], list[float]] = {}
        for original in result.events:
            key = (original.date.value, original.event_type, original.quad_class)
            slot = daily.setdefault(key, [0, 0.0])
            slot[0] += 1
            slot[1] += original.goldstein
            # the flat columns' countries: first actor and first recipient, each country once
            sides = {a.country for a in (original.actor[:1] + original.recipient[:1]) if a.country}
            for country in sides:
                slot = by_country.setdefault((_fit_code(country), *key), [0, 0.0])
                slot[0] += 1
                slot[1] += original.goldstein
            event = _unique_event(conn, original, article_id, used, taken)
            cluster_id = hooks.assign_cluster(
                conn,
                event,
                article_id=article_id,
                source=article.source,
                pub_date=article.date,
                duplicate_article=duplicate,
            )
            conn.execute(
                _INSERT_EVENT,
                _fit(
                    schema.events,
                    event_row(event, article_id=article_id, cluster_id=cluster_id, duplicate_article=duplicate),
                ),
            )
        _count_days(conn, daily, by_country, duplicate)
        # an earlier run's failure for this very text is settled now
        conn.execute(_SETTLE_FAILURES, {"article_id": article_id})
        return WriteOutcome("stored", article_id, len(result.events))

    def write_failure(
        self, error: DocError, *, input_ref: str | None = None, article_id: str | None = None
    ) -> WriteOutcome:
        """Record a document that could not be read or coded (once per input, doc and stage)."""
        failure_id = failure_key(input_ref, error.doc_id, error.stage)
        return self.store.retrying(
            lambda: self._write_failure(error, failure_id, input_ref, article_id),
            what=f"recording the failure of {error.doc_id}",
        )

    def _write_failure(
        self, error: DocError, failure_id: str, input_ref: str | None, article_id: str | None
    ) -> WriteOutcome:
        with self.store.begin() as conn:
            return self._store_failure(conn, error, failure_id, input_ref, article_id)

    def _store_failure(
        self, conn: Connection, error: DocError, failure_id: str, input_ref: str | None, article_id: str | None
    ) -> WriteOutcome:
        """Write one failures row (unless it is there already) inside the caller's transaction."""
        found = conn.execute(_FAILURE_EXISTS, {"failure_id": failure_id}).first()
        if found is None:
            row = {
                "failure_id": failure_id,
                "run_id": self.run_id,
                "article_id": article_id,
                "doc_id": _clean(error.doc_id),
                "input": _clean(input_ref),
                "stage": error.stage,
                "code": error.code,
                "message": _clean(error.message),
                "at": _now(),
            }
            conn.execute(_INSERT_FAILURE, _fit(schema.failures, row))
        return WriteOutcome("failed", article_id, 0, error, new_failure=found is None)


def _clean(value: str | None) -> str | None:
    """Text PostgreSQL accepts: NUL characters replaced."""
    return value.replace("\x00", "\ufffd") if value is not None else None


# Statements built once (SQLAlchemy caches their compiled form per dialect); the writer runs
# them for every document.
_ARTICLE_EXISTS = select(schema.articles.c.article_id).where(
    schema.articles.c.article_id == sqlalchemy.bindparam("article_id")
)
_EVENT_EXISTS = select(schema.events.c.event_id).where(schema.events.c.event_id == sqlalchemy.bindparam("event_id"))
_EVENTS_TAKEN = select(schema.events.c.event_id).where(
    schema.events.c.event_id.in_(sqlalchemy.bindparam("event_ids", expanding=True))
)
_FAILURE_EXISTS = select(schema.failures.c.failure_id).where(
    schema.failures.c.failure_id == sqlalchemy.bindparam("failure_id")
)
_SETTLE_FAILURES = schema.failures.delete().where(schema.failures.c.article_id == sqlalchemy.bindparam("article_id"))
_INSERT_ARTICLE = schema.articles.insert()
_INSERT_ENTITY = schema.entities.insert()
_INSERT_EVENT = schema.events.insert()
_INSERT_FAILURE = schema.failures.insert()


def _article_exists(conn: Connection, article_id: str) -> bool:
    return conn.execute(_ARTICLE_EXISTS, {"article_id": article_id}).first() is not None


def _add_counts(table: sqlalchemy.Table, dims: tuple[str, ...]) -> sqlalchemy.Update:
    return (
        update(table)
        .where(*(table.c[d] == bindparam("k_" + d) for d in dims))
        .values(n=table.c.n + bindparam("add_n"), goldstein_sum=table.c.goldstein_sum + bindparam("add_g"))
    )


_DAY_DIMS = ("date", "event_type", "quad_class", "duplicate_article")
_ADD_DAY = _add_counts(schema.daily_counts, _DAY_DIMS)
_ADD_COUNTRY_DAY = _add_counts(schema.country_daily_counts, ("country", *_DAY_DIMS))


_COUNTRY_LEN = cast(String, schema.events.c.actor_country.type).length or 8
"""The flat country columns' length (the writer cuts longer codes to it)."""


def _fit_code(code: str) -> str:
    """The code as the flat event columns hold it (cut to the column's length)."""
    return code[:_COUNTRY_LEN]


_NEW_DAY = schema.daily_counts.insert()
_NEW_COUNTRY_DAY = schema.country_daily_counts.insert()


def _count_days(
    conn: Connection,
    daily: dict[tuple[Any, str, int], list[float]],
    by_country: dict[tuple[str, Any, str, int], list[float]],
    duplicate: bool,
) -> None:
    """Add a document's events to the per-day counts (one writer, so update-then-insert is safe)."""
    for add, new, dims, counts in (
        (_ADD_DAY, _NEW_DAY, _DAY_DIMS, daily),
        (_ADD_COUNTRY_DAY, _NEW_COUNTRY_DAY, ("country", *_DAY_DIMS), by_country),
    ):
        for key, (n, goldstein) in sorted(counts.items(), key=lambda item: str(item[0])):
            values = dict(zip(dims, (*key, duplicate), strict=True))
            params = {"k_" + d: v for d, v in values.items()} | {"add_n": int(n), "add_g": goldstein}
            if conn.execute(add, params).rowcount == 0:
                conn.execute(new, {**values, "n": int(n), "goldstein_sum": goldstein})


def _taken_event_ids(conn: Connection, events: list[Event]) -> set[str]:
    """Which of these events' ids are already stored (one query per document)."""
    if not events:
        return set()
    ids = sorted({e.event_id for e in events})
    return set(conn.execute(_EVENTS_TAKEN, {"event_ids": ids}).scalars())


def _unique_event(conn: Connection, event: Event, article_id: str, used: set[str], taken: set[str]) -> Event:
    """The event, re-keyed when its id is taken (same doc id and offsets in another article).

    Event ids hash the doc id and offsets, so two different texts that share a doc id (an updated
    story, two feeds numbering from 1) can collide. The new id is derived from the article id, so
    it is the same on every run. ``taken``: the document's original event ids already stored
    (:func:`_taken_event_ids`); re-keyed candidates are looked up one by one.
    """

    def stored(candidate: str) -> bool:
        if candidate == event.event_id:
            return candidate in taken
        return conn.execute(_EVENT_EXISTS, {"event_id": candidate}).first() is not None

    candidate, n = event.event_id, 0
    while candidate in used or stored(candidate):
        n += 1
        key = f"{article_id}|{event.event_id}|{n}"
        candidate = hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]
    used.add(candidate)
    if candidate == event.event_id:
        return event
    logger.info("Event id %s is taken; stored as %s", event.event_id, candidate)
    return event.model_copy(update={"event_id": candidate})
