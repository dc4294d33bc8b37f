"""The event store: articles, entities, events, clusters and failures in SQLite or PostgreSQL.

``open_store(url)`` opens (creating and migrating) a store; :class:`StoreWriter` is the one
writer; :func:`newsevents.ingest.ingest` streams inputs through the coder into it. The tables
are defined in :mod:`newsevents.store.schema`; their column names are a public contract.
"""

from __future__ import annotations

from newsevents.store.engine import Store, open_store, safe_url
from newsevents.store.schema import SCHEMA_VERSION
from newsevents.store.writer import (
    NO_DEDUP,
    DedupHooks,
    StoreWriter,
    WriteOutcome,
    article_key,
    failure_key,
    finish_run,
    start_run,
)

__all__ = [
    "NO_DEDUP",
    "SCHEMA_VERSION",
    "DedupHooks",
    "Store",
    "StoreWriter",
    "WriteOutcome",
    "article_key",
    "failure_key",
    "finish_run",
    "open_store",
    "safe_url",
    "start_run",
]
