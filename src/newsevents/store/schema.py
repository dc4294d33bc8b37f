"""The store's tables, one SQLAlchemy Core definition shared by SQLite and PostgreSQL.

Column names are a contract for the API, the exporters and users' own SQL: add columns in a new
migration, never rename. Every row can be traced: events point at their article and carry the
full JSON record (``record``) plus flat, indexed columns for filtering; ``runs`` records the
package, lexicon and knowledge versions each article was coded with.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

__all__ = [
    "SCHEMA_VERSION",
    "metadata",
    "meta",
    "runs",
    "articles",
    "entities",
    "events",
    "event_clusters",
    "failures",
    "minhash_bands",
    "cluster_state",
    "cluster_sources",
    "daily_counts",
    "country_daily_counts",
]

SCHEMA_VERSION = 5
"""Version of the schema below; :mod:`newsevents.store.migrations` brings older stores up to it.

History: 1 the first schema; 2 ``runs.n_present``, ``runs.status`` and index
``ix_failures_article``; 3 tables ``cluster_state`` and ``cluster_sources`` (de-duplication's
per-cluster bookkeeping).
"""

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("run_id", String(40), primary_key=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("command", Text),
    Column("version", String(32), nullable=False),
    Column("versions", Text, nullable=False, comment="JSON: package, lexicon, knowledge, ontology, model"),
    Column("n_docs", Integer, nullable=False, default=0),
    Column("n_events", Integer, nullable=False, default=0),
    Column("n_failures", Integer, nullable=False, default=0),
    # version 2
    Column("n_present", Integer, nullable=False, default=0, server_default="0",
           comment="documents skipped because their article was already stored"),
    Column("status", String(16), nullable=False, default="running", server_default="running",
           comment="running (or killed), finished, failed, interrupted"),
)

articles = Table(
    "articles",
    metadata,
    Column("article_id", String(40), primary_key=True, comment="sha1 of the normalised text"),
    Column("doc_id", Text, nullable=False, comment="the id the input gave"),
    Column("title", Text),
    Column("url", Text),
    Column("source", Text, comment="outlet / publisher"),
    Column("pub_date", Date),
    Column("text", Text, nullable=False),
    Column("n_chars", Integer, nullable=False),
    Column("n_events", Integer, nullable=False, default=0),
    Column("dup_group", String(40), comment="article_id of the first article of its near-duplicate group"),
    Column("run_id", String(40), ForeignKey("runs.run_id")),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Index("ix_articles_pub_date", "pub_date"),
    Index("ix_articles_dup_group", "dup_group"),
    Index("ix_articles_doc_id", "doc_id"),
)

entities = Table(
    "entities",
    metadata,
    Column("article_id", String(40), ForeignKey("articles.article_id"), primary_key=True),
    Column("entity_id", String(32), primary_key=True),
    Column("name", Text),
    Column("country", String(8)),
    Column("sector", String(8)),
    Column("code", String(32)),
    Column("kind", String(16)),
    Column("n_mentions", Integer, nullable=False),
    Column("record", Text, nullable=False, comment="JSON of newsevents.model.Entity"),
    Index("ix_entities_name", "name"),
    Index("ix_entities_country", "country"),
)

events = Table(
    "events",
    metadata,
    Column("event_id", String(40), primary_key=True),
    Column("article_id", String(40), ForeignKey("articles.article_id"), nullable=False),
    Column("doc_id", Text, nullable=False),
    Column("event_type", String(16), nullable=False),
    Column("mode", String(32)),
    Column("cameo", String(8), nullable=False),
    Column("quad_class", Integer, nullable=False),
    Column("goldstein", Float, nullable=False),
    Column("plover_score", Float),
    Column("factuality", String(16), nullable=False),
    Column("actor_name", Text),
    Column("actor_country", String(8)),
    Column("actor_sector", String(8)),
    Column("actor_code", String(32)),
    Column("actor_entity", String(32)),
    Column("recipient_name", Text),
    Column("recipient_country", String(8)),
    Column("recipient_sector", String(8)),
    Column("recipient_code", String(32)),
    Column("recipient_entity", String(32)),
    Column("reported_by", Text),
    Column("date", Date, nullable=False),
    Column("date_end", Date),
    Column("date_precision", String(16), nullable=False),
    Column("place_name", Text),
    Column("place_country", String(8)),
    Column("place_admin1", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("dead", Integer),
    Column("injured", Integer),
    Column("arrested", Integer),
    Column("confidence", Float, nullable=False),
    Column("sentence_index", Integer, nullable=False),
    Column("sentence", Text, nullable=False),
    Column("evidence_start", Integer, nullable=False),
    Column("evidence_end", Integer, nullable=False),
    Column("trigger_start", Integer, nullable=False),
    Column("trigger_end", Integer, nullable=False),
    Column("cluster_id", String(40), ForeignKey("event_clusters.cluster_id")),
    Column("duplicate_article", Boolean, nullable=False, default=False,
           comment="true when the article is a near-duplicate of an earlier one (not counted)"),
    Column("record", Text, nullable=False, comment="JSON of newsevents.model.Event"),
    Index("ix_events_date", "date"),
    Index("ix_events_type_date", "event_type", "date"),
    Index("ix_events_quad_date", "quad_class", "date"),
    Index("ix_events_actor_country", "actor_country", "date"),
    Index("ix_events_recipient_country", "recipient_country", "date"),
    Index("ix_events_place_country", "place_country"),
    Index("ix_events_article", "article_id"),
    Index("ix_events_cluster", "cluster_id"),
    # version 4: timelines from the index alone, and keyset pages in each sort order; they lead
    # with duplicate_article because every default query filters on it
    Index("ix_events_dup_date", "duplicate_article", "date", "event_type", "quad_class", "goldstein"),
    Index("ix_events_dup_date_id", "duplicate_article", "date", "event_id"),
    Index("ix_events_dup_confidence_id", "duplicate_article", "confidence", "event_id"),
    Index("ix_events_dup_goldstein_id", "duplicate_article", "goldstein", "event_id"),
)

event_clusters = Table(
    "event_clusters",
    metadata,
    Column("cluster_id", String(40), primary_key=True),
    Column("event_type", String(16), nullable=False),
    Column("cameo", String(8), nullable=False),
    Column("actor_country", String(8)),
    Column("actor_code", String(32)),
    Column("recipient_country", String(8)),
    Column("recipient_code", String(32)),
    Column("date_first", Date, nullable=False),
    Column("date_last", Date, nullable=False),
    Column("place_name", Text),
    Column("place_country", String(8)),
    Column("num_mentions", Integer, nullable=False, default=1),
    Column("num_articles", Integer, nullable=False, default=1),
    Column("num_sources", Integer, nullable=False, default=1),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("representative_event_id", String(40), nullable=False),
    Column("disagreements", Text, nullable=False, default="[]", comment="JSON list"),
    Index("ix_clusters_key", "event_type", "actor_country", "recipient_country", "date_first"),
)

failures = Table(
    "failures",
    metadata,
    Column("failure_id", String(40), primary_key=True, comment="sha1 of input, doc id and stage"),
    Column("run_id", String(40), ForeignKey("runs.run_id")),
    Column("article_id", String(40)),
    Column("doc_id", Text, nullable=False),
    Column("input", Text, comment="file (and line) the document came from"),
    Column("stage", String(32), nullable=False),
    Column("code", String(8), nullable=False),
    Column("message", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_failures_article", "article_id"),  # version 2
)

minhash_bands = Table(
    "minhash_bands",
    metadata,
    Column("band", Integer, primary_key=True),
    Column("bucket", String(40), primary_key=True),
    Column("article_id", String(40), primary_key=True),
)

# version 3: de-duplication's per-cluster bookkeeping (newsevents.dedup.clusters), so matching an
# event costs the same however large the store and its clusters grow. Internal: not part of the
# public column contract; rebuilt by newsevents.dedup from ``events`` when a row is missing.
cluster_state = Table(
    "cluster_state",
    metadata,
    Column("cluster_id", String(40), ForeignKey("event_clusters.cluster_id"), primary_key=True),
    Column("state", Text, nullable=False,
           comment="JSON: distinct member signatures for matching, count bounds, representative confidence"),
)

cluster_sources = Table(
    "cluster_sources",
    metadata,
    Column("cluster_id", String(40), ForeignKey("event_clusters.cluster_id"), primary_key=True),
    Column("source", Text, primary_key=True, comment="an outlet of a counted (not near-duplicate) article"),
)

def _rollup_columns() -> list[Column[Any]]:
    """The key and the sums shared by the per-day count tables (fresh Column objects each time)."""
    return [
        Column("date", Date, primary_key=True),
        Column("event_type", String(16), primary_key=True),
        Column("quad_class", Integer, primary_key=True),
        Column("duplicate_article", Boolean, primary_key=True),
        Column("n", Integer, nullable=False),
        Column("goldstein_sum", Float, nullable=False),
    ]


daily_counts = Table(
    "daily_counts",
    metadata,
    *_rollup_columns(),
    comment="version 5: events per day, type and quad class, kept by the writer; unfiltered timelines read it",
)

country_daily_counts = Table(
    "country_daily_counts",
    metadata,
    Column("country", String(8), primary_key=True),
    *_rollup_columns(),
    comment="version 5: events per country (actor or recipient side, once per event), day, type and quad class",
)
