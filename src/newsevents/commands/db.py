"""``newsevents db info`` and ``newsevents db migrate``: look after the store."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from newsevents.cli_support import DbOption, db_url, guard

__all__ = ["register"]

db_app = typer.Typer(help="Inspect and upgrade the event store.", no_args_is_help=True)


@db_app.command("info")
def info_cmd(
    db: DbOption = None,
    runs: Annotated[int, typer.Option(min=0, help="How many recent runs to list.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Schema version, rows per table, failures per code and the latest ingest runs."""
    with guard():
        from newsevents.store import open_store
        from newsevents.store.reader import store_info

        with open_store(db_url(db), readonly=True, check=False) as store:
            info = store_info(store, runs=runs)
        if as_json:
            data = {
                "url": info.url,
                "dialect": info.dialect,
                "schema_version": info.schema_version,
                "supported_version": info.supported_version,
                "counts": info.counts,
                "failures": [
                    {"code": code, "stage": stage, "count": n} for (code, stage), n in info.failures.items()
                ],
                "runs": info.runs,
                "meta": info.meta,
            }
            typer.echo(json.dumps(data, indent=2, default=str))
            return
        typer.echo(f"store            {info.url} ({info.dialect})")
        if info.schema_version is None:
            typer.echo("schema version   none: not a newsevents store yet (run `newsevents db migrate`)")
            return
        note = "" if info.schema_version == info.supported_version else (
            f" (this newsevents uses {info.supported_version}; run `newsevents db migrate`)"
        )
        typer.echo(f"schema version   {info.schema_version}{note}")
        for table, n in info.counts.items():
            typer.echo(f"{table:<16} {n:,}")
        if info.failures:
            typer.echo("failures by code:")
            for (code, stage), n in info.failures.items():
                typer.echo(f"  {code} ({stage}): {n:,}")
        if info.runs:
            typer.echo("latest runs:")
            for run in info.runs:
                started = run["started_at"].isoformat(sep=" ", timespec="seconds") if run["started_at"] else "?"
                typer.echo(
                    f"  {run['run_id'][:12]}  {started}  {run['status']:<11} docs {run['n_docs']:,}  "
                    f"present {run['n_present']:,}  events {run['n_events']:,}  failed {run['n_failures']:,}"
                )


@db_app.command("migrate")
def migrate_cmd(db: DbOption = None) -> None:
    """Create the store's tables, or upgrade an older store to this version's schema."""
    with guard():
        from newsevents.store import open_store
        from newsevents.store.migrations import migrate

        with open_store(db_url(db), check=False) as store:
            before, after = migrate(store)
        if before is None:
            typer.echo(f"Created a new store at schema version {after}.")
        elif before == after:
            typer.echo(f"The store is up to date (schema version {after}).")
        else:
            typer.echo(f"Migrated the store from schema version {before} to {after}.")


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
