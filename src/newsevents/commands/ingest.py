"""``newsevents ingest``: code articles into the store, resumable, with a progress bar."""

from __future__ import annotations

import shlex
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from newsevents.cli_support import (
    EXIT_FAILED,
    EXIT_OK,
    DbOption,
    DictionaryOption,
    check_inputs,
    db_url,
    echo_error,
    guard,
    parse_date_option,
)

__all__ = ["register"]


class EngineName(StrEnum):
    local = "local"
    dask = "dask"


def ingest_cmd(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files (.txt, .html, .jsonl, .json, optionally .gz), folders, glob patterns, or - for stdin.",
            show_default=False,
        ),
    ],
    db: DbOption = None,
    date: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD) of documents that carry none.")
    ] = None,
    engine: Annotated[
        EngineName | None,
        typer.Option(help="Where to code: local (this machine) or dask (default: dask if --scheduler is given)."),
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address (tcp://HOST:PORT); default a local cluster.")
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="Dask workers of the local cluster.")] = 2,
    shard_dir: Annotated[
        Path | None,
        typer.Option(
            help="Dask: folder for the workers' result shards; with a remote scheduler it must be on a "
            "filesystem shared by the workers and this machine (default: a temporary folder).",
        ),
    ] = None,
    n_process: Annotated[
        int,
        typer.Option(
            min=0,
            help="Local coding processes. Coding always runs in worker processes (also with 1) so that "
            "this process writes the store meanwhile; 0 codes in this process (debugging).",
        ),
    ] = 1,
    batch_size: Annotated[int, typer.Option(min=1, help="Documents per batch.")] = 32,
    dictionary: DictionaryOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")] = False,
) -> None:
    """Code articles and store them, a batch per transaction, in input order; resumable.

    Articles already in the store are skipped before coding, so running the same command again
    after an interruption (even kill -9) finishes the job. Exit code 1 when any document failed;
    failures are kept in the store's failures table (see `newsevents db info`).
    """
    with guard():
        from newsevents.ingest import expand_paths, ingest, make_engine
        from newsevents.store import open_store

        publication = parse_date_option(date)
        inputs = expand_paths(paths)
        check_inputs(inputs)
        name = engine.value if engine is not None else ("dask" if scheduler else "local")
        from newsevents.knowledge._files import file_keys

        dictionaries = tuple(path for path, _, _ in file_keys(dictionary or ()))  # E107 before any work
        coder = make_engine(
            name,
            n_process=n_process,
            batch_size=batch_size,
            scheduler=scheduler,
            workers=workers,
            shard_dir=shard_dir,
            dictionaries=dictionaries,
        )
        command = shlex.join(["newsevents", "ingest", *sys.argv[2:]]) if len(sys.argv) > 1 else None
        with open_store(db_url(db)) as store:
            summary = ingest(
                inputs,
                store,
                date=publication,
                engine=coder,
                batch_size=batch_size,
                n_process=n_process,
                progress=not quiet,
                command=command,
            )
        if not quiet:
            echo_error(summary.render())
    raise typer.Exit(EXIT_FAILED if summary.failed else EXIT_OK)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_cmd)
