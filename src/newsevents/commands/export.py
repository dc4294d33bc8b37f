"""``newsevents export``: stored events as Parquet, CSV, JSON Lines, PLOVER or GDELT files.

A thin wrapper over :func:`newsevents.export.export_events`; the filter options are the fields
of :class:`newsevents.store.query.EventFilter`, so they select exactly what the API would.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from newsevents.cli_support import EXIT_OK, DbOption, db_url, echo_error, guard

if TYPE_CHECKING:
    from newsevents.store.query import EventFilter

__all__ = ["register"]


class Format(StrEnum):
    parquet = "parquet"
    csv = "csv"
    jsonl = "jsonl"
    plover = "plover"
    gdelt = "gdelt"


_FILTERS = "Filters"


def _date(value: str | None, name: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as err:
        raise typer.BadParameter(
            f"{value!r} is not an ISO date such as 2024-03-05.", param_hint=name
        ) from err


def build_filter(options: dict[str, Any]) -> EventFilter:
    """An :class:`EventFilter` from the command's filter options (None and empty lists left out)."""
    from pydantic import ValidationError

    from newsevents.store.query import EventFilter

    values = {k: v for k, v in options.items() if v is not None and v != []}
    try:
        return EventFilter(**values)
    except ValidationError as err:
        problems = "; ".join(
            f"--{'-'.join(str(p) for p in e['loc'][:1]).replace('_', '-')}: {e['msg']}"
            for e in err.errors()
        )
        raise typer.BadParameter(problems) from err


def register(app: typer.Typer) -> None:
    app.command("export")(export_cmd)


def export_cmd(
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.jsonl,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write here instead of stdout. Parquet needs it: a new or empty dataset folder.",
        ),
    ] = None,
    db: DbOption = None,
    gdelt_per_event: Annotated[
        bool,
        typer.Option("--gdelt-per-event", help="GDELT: one row per event, not per event cluster."),
    ] = False,
    batch_size: Annotated[
        int, typer.Option(min=1, help="Rows read from the store at a time.")
    ] = 1000,
    row_group_size: Annotated[
        int, typer.Option(min=1, help="Parquet: rows per row group.")
    ] = 10_000,
    event_type: Annotated[
        list[str] | None,
        typer.Option(
            "--event-type", "-t", help="PLOVER event type (repeatable).", rich_help_panel=_FILTERS
        ),
    ] = None,
    mode: Annotated[str | None, typer.Option(help="PLOVER mode.", rich_help_panel=_FILTERS)] = None,
    quad_class: Annotated[
        list[int] | None,
        typer.Option(
            "--quad-class",
            min=1,
            max=4,
            help="Quad class 1-4 (repeatable).",
            rich_help_panel=_FILTERS,
        ),
    ] = None,
    actor_country: Annotated[
        str | None, typer.Option(help="Actor's country code.", rich_help_panel=_FILTERS)
    ] = None,
    recipient_country: Annotated[
        str | None, typer.Option(help="Recipient's country code.", rich_help_panel=_FILTERS)
    ] = None,
    country: Annotated[
        str | None, typer.Option(help="Country code on either side.", rich_help_panel=_FILTERS)
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option(help="Actor name substring or CAMEO code.", rich_help_panel=_FILTERS),
    ] = None,
    recipient: Annotated[
        str | None,
        typer.Option(help="Recipient name substring or CAMEO code.", rich_help_panel=_FILTERS),
    ] = None,
    sector: Annotated[
        str | None,
        typer.Option(help="Sector code (GOV, MIL, ...) on either side.", rich_help_panel=_FILTERS),
    ] = None,
    date_from: Annotated[
        str | None,
        typer.Option(help="Events on or after this date (YYYY-MM-DD).", rich_help_panel=_FILTERS),
    ] = None,
    date_to: Annotated[
        str | None,
        typer.Option(help="Events on or before this date (YYYY-MM-DD).", rich_help_panel=_FILTERS),
    ] = None,
    place_country: Annotated[
        str | None,
        typer.Option(help="Country code of the event's place.", rich_help_panel=_FILTERS),
    ] = None,
    place: Annotated[
        str | None, typer.Option(help="Place name substring.", rich_help_panel=_FILTERS)
    ] = None,
    factuality: Annotated[
        list[str] | None,
        typer.Option(
            help="asserted, reported, future, ... (repeatable).", rich_help_panel=_FILTERS
        ),
    ] = None,
    reported: Annotated[
        bool | None,
        typer.Option(
            "--reported/--unreported",
            help="Only events attributed to a source / only unattributed ones.",
            rich_help_panel=_FILTERS,
            show_default=False,
        ),
    ] = None,
    q: Annotated[
        str | None,
        typer.Option("--q", help="Text in the evidence sentence.", rich_help_panel=_FILTERS),
    ] = None,
    min_confidence: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Minimum confidence.", rich_help_panel=_FILTERS),
    ] = None,
    article_id: Annotated[
        str | None, typer.Option(help="One article.", rich_help_panel=_FILTERS)
    ] = None,
    cluster_id: Annotated[
        str | None, typer.Option(help="One event cluster.", rich_help_panel=_FILTERS)
    ] = None,
    include_duplicates: Annotated[
        bool,
        typer.Option(
            help="Also export events of near-duplicate articles.", rich_help_panel=_FILTERS
        ),
    ] = False,
) -> None:
    """Export stored events: Parquet dataset, CSV, JSON Lines, PLOVER JSON or a GDELT 2.0 table.

    Text formats go to stdout unless --output is given; parquet writes a Hive-partitioned
    dataset folder (year=YYYY/month=MM) and needs --output.
    """
    if fmt is Format.parquet and output is None:
        raise typer.BadParameter(
            "parquet writes a dataset folder and cannot go to stdout; pass --output DIR.",
            param_hint="'--output'",
        )
    flt = build_filter(
        {
            "event_type": event_type,
            "mode": mode,
            "quad_class": quad_class,
            "actor_country": actor_country,
            "recipient_country": recipient_country,
            "country": country,
            "actor": actor,
            "recipient": recipient,
            "sector": sector,
            "date_from": _date(date_from, "'--date-from'"),
            "date_to": _date(date_to, "'--date-to'"),
            "place_country": place_country,
            "place": place,
            "factuality": factuality,
            "reported": reported,
            "q": q,
            "min_confidence": min_confidence,
            "article_id": article_id,
            "cluster_id": cluster_id,
            "include_duplicates": include_duplicates,
        }
    )
    if fmt is Format.parquet and output is not None and output.exists():
        if not output.is_dir():
            raise typer.BadParameter(
                f"{str(output)!r} is a file; parquet needs a folder.", param_hint="'--output'"
            )
        if any(output.iterdir()):
            raise typer.BadParameter(
                f"{str(output)!r} is not empty; pass a new or empty folder.",
                param_hint="'--output'",
            )
    with guard():
        import sys

        from newsevents.export import export_events
        from newsevents.store.engine import open_store

        store = open_store(db_url(db), readonly=True, create=False)
        try:
            summary = export_events(
                store,
                fmt.value,
                output if output is not None else sys.stdout,
                flt,
                batch_size=batch_size,
                row_group_size=row_group_size,
                gdelt_per_event=gdelt_per_event,
            )
        finally:
            store.close()
        if output is not None:
            echo_error(
                f"Wrote {summary.records:,} {summary.format} records to {summary.output} "
                f"in {summary.seconds:.1f} s ({summary.rate:,.0f}/s)."
            )
    raise typer.Exit(EXIT_OK)
