"""Export stored events to files other tools read: Parquet, CSV, JSON Lines, PLOVER and GDELT.

:func:`export_events` is the one entry point (``newsevents export`` is a thin wrapper); each
format lives in its own module (:mod:`.jsonl`, :mod:`.csv`, :mod:`.parquet`, :mod:`.plover`,
:mod:`.gdelt`). Events are selected with the same :class:`~newsevents.store.query.EventFilter`
as the API and streamed from the store in batches, so memory stays flat for any store size.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import IO

import sqlalchemy as sa

from newsevents.errors import Errors, NewsEventsError
from newsevents.export._source import ConnectionSource, connection
from newsevents.store.query import EventFilter

__all__ = ["ExportFormat", "ExportSummary", "FORMATS", "export_events"]

logger = logging.getLogger(__name__)


class ExportFormat(StrEnum):
    parquet = "parquet"
    csv = "csv"
    jsonl = "jsonl"
    plover = "plover"
    gdelt = "gdelt"


FORMATS: tuple[str, ...] = tuple(f.value for f in ExportFormat)
"""The export format names."""


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What an export wrote. ``records`` counts data rows (GDELT: clusters, unless per event)."""

    format: str
    records: int
    seconds: float
    output: str
    files: tuple[Path, ...] = field(default_factory=tuple)

    @property
    def rate(self) -> float:
        """Records per second."""
        return self.records / self.seconds if self.seconds > 0 else 0.0


def _format(fmt: str | ExportFormat) -> ExportFormat:
    try:
        return ExportFormat(str(fmt).lower())
    except ValueError:
        raise NewsEventsError(Errors.E501, value=str(fmt), options=", ".join(FORMATS)) from None


@contextmanager
def _text_output(out: IO[str] | Path | str, fmt: ExportFormat) -> Iterator[tuple[IO[str], str]]:
    if isinstance(out, str | Path):
        path = Path(out)
        if path.is_dir():
            raise NewsEventsError(
                Errors.E503, path=str(path), detail=f"{fmt.value} writes a file and it is a folder"
            )
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as handle:
            yield handle, str(path)
    else:
        yield out, getattr(out, "name", "<stream>")


def export_events(
    conn_or_store: ConnectionSource,
    fmt: str | ExportFormat,
    out: IO[str] | Path | str,
    f: EventFilter | None = None,
    *,
    batch_size: int = 1000,
    row_group_size: int = 10_000,
    gdelt_per_event: bool = False,
    gdelt_header: bool = True,
) -> ExportSummary:
    """Write the events matching ``f`` (default: all, without near-duplicate articles) as ``fmt``.

    ``conn_or_store`` is an SQLAlchemy ``Connection`` (used as is), an ``Engine`` or a
    ``Store``. ``out`` is a text stream or a file path; for ``parquet`` it must be the path of a
    new or empty dataset directory (E502 for a stream, E503 for a used folder).
    ``row_group_size`` (Parquet) and ``gdelt_per_event``/``gdelt_header`` (GDELT) apply to their
    format only. Raises E501 for an unknown format.
    """
    kind = _format(fmt)
    flt = f if f is not None else EventFilter()
    started = time.perf_counter()
    files: tuple[Path, ...] = ()
    with connection(conn_or_store) as conn:
        if kind is ExportFormat.parquet:
            if not isinstance(out, str | Path):
                raise NewsEventsError(Errors.E502, fmt=kind.value)
            from newsevents.export.parquet import write_parquet

            records, written = write_parquet(
                conn, Path(out), flt, batch_size=batch_size, row_group_size=row_group_size
            )
            files, where = tuple(written), str(out)
        else:
            with _text_output(out, kind) as (handle, where):
                records = _write_text(
                    kind, conn, handle, flt, batch_size=batch_size,
                    gdelt_per_event=gdelt_per_event, gdelt_header=gdelt_header,
                )  # fmt: skip
            if isinstance(out, str | Path):
                files = (Path(out),)
    summary = ExportSummary(
        format=kind.value,
        records=records,
        seconds=time.perf_counter() - started,
        output=where,
        files=files,
    )
    logger.info(
        "Exported %d %s records to %s in %.2f s (%.0f/s)",
        summary.records, summary.format, summary.output, summary.seconds, summary.rate,
    )  # fmt: skip
    return summary


def _write_text(
    kind: ExportFormat,
    conn: sa.Connection,
    out: IO[str],
    f: EventFilter,
    *,
    batch_size: int,
    gdelt_per_event: bool,
    gdelt_header: bool,
) -> int:
    if kind is ExportFormat.jsonl:
        from newsevents.export.jsonl import write_jsonl

        return write_jsonl(conn, out, f, batch_size=batch_size)
    if kind is ExportFormat.csv:
        from newsevents.export.csv import write_csv

        return write_csv(conn, out, f, batch_size=batch_size)
    if kind is ExportFormat.plover:
        from newsevents.export.plover import write_plover

        return write_plover(conn, out, f, batch_size=batch_size)
    from newsevents.export.gdelt import write_gdelt

    return write_gdelt(
        conn, out, f, per_event=gdelt_per_event, header=gdelt_header, batch_size=batch_size
    )
