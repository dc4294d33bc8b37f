"""Parquet shards: a batch of :class:`CodedDoc` results as one file, and back.

A shard has one row per document, in input order. Article fields are plain columns; events
and entities are JSON arrays of the same records ``newsevents code`` prints
(``Event.to_json_dict()``), so a shard can also be read by DuckDB, pandas or Spark; the error,
if any, is three nullable columns. Reading a shard rebuilds records equal to the ones written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from newsevents.model import Article, DocError, Entity, Event
from newsevents.pipeline import CodedDoc

__all__ = ["SHARD_COLUMNS", "read_shard", "warm_reader", "write_shard"]

SHARD_COLUMNS = (
    "position",
    "id",
    "text",
    "date",
    "title",
    "url",
    "source",
    "events",
    "entities",
    "error_code",
    "error_stage",
    "error_message",
)


def _schema() -> Any:
    import pyarrow as pa

    return pa.schema(
        [
            ("position", pa.int32()),
            ("id", pa.string()),
            ("text", pa.string()),
            ("date", pa.date32()),
            ("title", pa.string()),
            ("url", pa.string()),
            ("source", pa.string()),
            ("events", pa.string()),
            ("entities", pa.string()),
            ("error_code", pa.string()),
            ("error_stage", pa.string()),
            ("error_message", pa.string()),
        ]
    )


def _dumps(records: list[dict[str, Any]]) -> str:
    return json.dumps(records, ensure_ascii=False, separators=(",", ":"))


def write_shard(results: Sequence[CodedDoc], path: str | os.PathLike[str]) -> Path:
    """Write ``results`` to ``path`` atomically (a temporary file renamed into place).

    A task that is retried after its worker died therefore never leaves a half-written shard.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns: dict[str, list[Any]] = {name: [] for name in SHARD_COLUMNS}
    for n, result in enumerate(results):
        article = result.article
        error = result.error
        columns["position"].append(n)
        columns["id"].append(article.id)
        columns["text"].append(article.text)
        columns["date"].append(article.date)
        columns["title"].append(article.title)
        columns["url"].append(article.url)
        columns["source"].append(article.source)
        columns["events"].append(_dumps([event.to_json_dict() for event in result.events]))
        columns["entities"].append(
            _dumps([entity.model_dump(mode="json") for entity in result.entities])
        )
        columns["error_code"].append(error.code if error else None)
        columns["error_stage"].append(error.stage if error else None)
        columns["error_message"].append(error.message if error else None)
    table = pa.Table.from_pydict(columns, schema=_schema())
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    pq.write_table(table, partial, compression="zstd")
    os.replace(partial, target)
    return target


_EVENTS: TypeAdapter[list[Event]] = TypeAdapter(list[Event])
_ENTITIES: TypeAdapter[list[Entity]] = TypeAdapter(list[Entity])


def warm_reader() -> None:
    """Import what :func:`read_shard` needs (pyarrow; a few tenths of a second of CPU, once)."""
    import pyarrow.parquet  # noqa: F401


def read_shard(path: str | os.PathLike[str]) -> list[CodedDoc]:
    """The results stored in a shard, in their original order."""
    import pyarrow.parquet as pq

    # ParquetFile reads the one file directly; read_table would go through pyarrow.dataset,
    # whose import also loads pandas
    rows = pq.ParquetFile(path).read().to_pylist()
    rows.sort(key=lambda row: int(row["position"]))
    results: list[CodedDoc] = []
    for row in rows:
        article = Article(
            id=row["id"],
            text=row["text"],
            date=row["date"],
            title=row["title"],
            url=row["url"],
            source=row["source"],
        )
        error = None
        if row["error_code"] is not None:
            error = DocError(
                doc_id=row["id"],
                code=row["error_code"],
                stage=row["error_stage"] or "",
                message=row["error_message"] or "",
            )
        events = _EVENTS.validate_json(row["events"])
        entities = _ENTITIES.validate_json(row["entities"])
        results.append(CodedDoc(article=article, events=events, error=error, entities=entities))
    return results
