"""CSV export: the columns of ``newsevents code --format csv`` plus ``cluster_id`` and ``article_id``."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from typing import IO, Any

import sqlalchemy as sa

from newsevents.export._source import event_batches
from newsevents.flat import CSV_COLUMNS, csv_row
from newsevents.model import Event
from newsevents.store.query import EventFilter

__all__ = ["EXTRA_COLUMNS", "csv_columns", "csv_record", "write_csv"]

EXTRA_COLUMNS = ("cluster_id", "article_id")
"""Columns the store adds after those of ``newsevents code --format csv``."""


def csv_columns() -> tuple[str, ...]:
    """The header of the CSV export (and of the API's CSV download)."""
    return (*CSV_COLUMNS, *EXTRA_COLUMNS)


def csv_record(row: Mapping[Any, Any]) -> list[str]:
    """One stored event (``record``, ``cluster_id`` and ``article_id`` columns) as a CSV row."""
    return [*csv_row(Event.model_validate_json(row["record"])), row["cluster_id"] or "", row["article_id"]]


def write_csv(conn: sa.Connection, out: IO[str], f: EventFilter, *, batch_size: int = 1000) -> int:
    """Write a header and one row per event matching ``f``; returns the number of rows.

    Open ``out`` with ``newline=""`` (as :mod:`csv` asks) when it is a file.
    """
    writer = csv.writer(out)
    writer.writerow(csv_columns())
    n = 0
    for batch in event_batches(conn, f, batch_size=batch_size):
        writer.writerows(csv_record(row) for row in batch)
        n += len(batch)
    out.flush()
    return n
