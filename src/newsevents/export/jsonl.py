"""JSON Lines export: one event per line, byte for byte the record ``newsevents code`` prints."""

from __future__ import annotations

from typing import IO

import sqlalchemy as sa

from newsevents.export._source import event_batches
from newsevents.store.query import EventFilter

__all__ = ["write_jsonl"]


def write_jsonl(
    conn: sa.Connection, out: IO[str], f: EventFilter, *, batch_size: int = 1000
) -> int:
    """Write the stored ``record`` of every event matching ``f``; returns the number of lines."""
    n = 0
    for batch in event_batches(conn, f, batch_size=batch_size):
        out.write("".join(f"{row['record']}\n" for row in batch))
        n += len(batch)
    out.flush()
    return n
