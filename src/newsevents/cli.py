"""The ``newsevents`` command line: a thin Typer app over importable functions.

Commands: ``code`` (articles in, events out), ``schema`` (JSON Schema of an event), ``eval``
(run a gold suite) and ``version``. Exit codes: 0 all fine, 1 some documents failed, 2 bad
usage or arguments, 3 internal error. Only this module prints, exits and configures logging.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any, Protocol

import typer

from newsevents.cli_support import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    DictionaryOption,
    check_inputs,
    configure_logging,
    echo_error,
    guard,
    parse_date_option,
    versions,
)
from newsevents.commands import register_all
from newsevents.flat import CSV_COLUMNS, csv_row, join
from newsevents.inputs import STDIN, read_inputs
from newsevents.model import Article, DocError, Event

if TYPE_CHECKING:
    from rich.progress import Progress, Task, TaskID
    from rich.text import Text

    from newsevents.pipeline import CodedDoc

__all__ = ["app", "main", "default_shared", "CSV_COLUMNS"]

logger = logging.getLogger(__name__)


app = typer.Typer(
    name="newsevents",
    help="Traceable political event data (PLOVER/CAMEO) from English news articles.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"
    table = "table"
    csv = "csv"


def _print_versions() -> None:
    for name, value in versions().items():
        typer.echo(f"{name:<11} {value}")


def _version_callback(value: bool) -> None:
    if value:
        _print_versions()
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    verbose: Annotated[
        int,
        typer.Option("--verbose", "-v", count=True, help="More log output (-v info, -vv debug)."),
    ] = 0,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Show the versions and exit.",
            callback=_version_callback,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Traceable political event data (PLOVER/CAMEO) from English news articles."""
    configure_logging(verbose)


@app.command("version")
def version_cmd() -> None:
    """Show the versions of newsevents, spaCy, the model, the lexicon and the knowledge data."""
    _print_versions()


# ---------------------------------------------------------------------------------------------
# code


def _code_many(
    articles: Iterable[Article], *, n_process: int, batch_size: int, dictionaries: tuple[str, ...] = ()
) -> Iterator[CodedDoc]:
    """The pipeline, imported late: spaCy and the model load only when documents are coded."""
    from newsevents.pipeline import code_many

    return code_many(articles, n_process=n_process, batch_size=batch_size, dictionaries=dictionaries)


class _Writer(Protocol):
    def write(self, event: Event) -> None: ...
    def close(self) -> None: ...


class _JsonlWriter:
    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def write(self, event: Event) -> None:
        self.out.write(event.model_dump_json() + "\n")
        self.out.flush()

    def close(self) -> None:
        self.out.flush()


class _JsonWriter:
    """A JSON array, written as events arrive."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.count = 0

    def write(self, event: Event) -> None:
        self.out.write("[\n" if self.count == 0 else ",\n")
        self.out.write(event.model_dump_json(indent=2))
        self.count += 1

    def close(self) -> None:
        self.out.write("\n]\n" if self.count else "[]\n")
        self.out.flush()


class _CsvWriter:
    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.writer = csv.writer(out)
        self.writer.writerow(CSV_COLUMNS)

    def write(self, event: Event) -> None:
        self.writer.writerow(csv_row(event))

    def close(self) -> None:
        self.out.flush()


def _excerpt(event: Event, width: int = 90) -> Text:
    """The evidence sentence around the trigger, trigger in bold."""
    from rich.text import Text

    sentence = event.evidence.sentence
    start = max(0, event.evidence.trigger.start - event.evidence.start)
    end = min(len(sentence), max(start, event.evidence.trigger.end - event.evidence.start))
    left = max(0, min(start - width // 3, len(sentence) - width))
    right = min(len(sentence), left + width)
    text = Text("…" if left > 0 else "")
    text.append(sentence[left:start])
    text.append(sentence[start:end], style="bold")
    text.append(sentence[end:right])
    if right < len(sentence):
        text.append("…")
    return text


class _TableWriter:
    def __init__(self, out: IO[str]) -> None:
        from rich.table import Table

        self.out = out
        self.table = Table(show_lines=False, header_style="bold")
        for name in ("doc", "type", "cameo", "actor", "recipient", "date", "place", "evidence"):
            self.table.add_column(name, overflow="fold")

    def write(self, event: Event) -> None:
        place = event.location.name if event.location else ""
        self.table.add_row(
            event.doc_id,
            event.event_type + (f" ({event.factuality})" if event.factuality != "asserted" else ""),
            event.cameo,
            join(a.code or a.name or a.text for a in event.actor),
            join(a.code or a.name or a.text for a in event.recipient),
            event.date.value.isoformat(),
            place,
            _excerpt(event),
        )

    def close(self) -> None:
        from rich.console import Console

        Console(file=self.out, width=None if self.out.isatty() else 200).print(self.table)


_WRITERS: dict[OutputFormat, Callable[[IO[str]], _Writer]] = {
    OutputFormat.jsonl: _JsonlWriter,
    OutputFormat.json: _JsonWriter,
    OutputFormat.csv: _CsvWriter,
    OutputFormat.table: _TableWriter,
}


class _DocProgress:
    """A progress line on stderr (docs, docs/s) once a second document arrives on a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.done = 0
        self.progress: Progress | None = None
        self.task: TaskID | None = None

    def advance(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        if self.progress is None and self.done >= 2:
            self._start()
        if self.progress is not None and self.task is not None:
            self.progress.update(self.task, completed=self.done)

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import (
            Progress,
            ProgressColumn,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )
        from rich.text import Text

        class RateColumn(ProgressColumn):
            def render(self, task: Task) -> Text:
                elapsed = task.elapsed or 0.0
                rate = task.completed / elapsed if elapsed > 0 else 0.0
                return Text(f"{rate:,.1f} docs/s")

        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.completed:,.0f} docs"),
            RateColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self.progress.start()
        self.task = self.progress.add_task("coding", total=None, completed=self.done)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


@contextmanager
def _open_output(path: Path | None, fmt: OutputFormat) -> Iterator[IO[str]]:
    if path is None:
        yield sys.stdout
        return
    newline = "" if fmt is OutputFormat.csv else None
    with path.open("w", encoding="utf-8", newline=newline) as handle:
        yield handle


def _report(error: DocError) -> None:
    echo_error(json.dumps(error.model_dump(), ensure_ascii=False))


def run_code(
    inputs: list[str],
    *,
    date: dt.date | None,
    fmt: OutputFormat,
    output: Path | None,
    n_process: int,
    batch_size: int,
    progress: bool,
    dictionaries: tuple[str, ...] = (),
) -> int:
    """Code the inputs and write the events; returns the exit code (0 or 1)."""
    check_inputs(inputs)
    failures = 0

    def articles() -> Iterator[Article]:
        nonlocal failures
        for item in read_inputs(inputs, date=date):
            if isinstance(item, DocError):
                failures += 1
                _report(item)
            else:
                yield item

    bar = _DocProgress(progress)
    started = time.perf_counter()
    with _open_output(output, fmt) as out:
        writer = _WRITERS[fmt](out)
        try:
            for coded in _code_many(
                articles(), n_process=n_process, batch_size=batch_size, dictionaries=dictionaries
            ):
                if coded.error is not None:
                    failures += 1
                    _report(coded.error)
                else:
                    for event in coded.events:
                        writer.write(event)
                bar.advance()
        finally:
            bar.close()
        writer.close()
    logger.info(
        "Coded %d documents in %.1f s (%d failed)",
        bar.done,
        time.perf_counter() - started,
        failures,
    )
    return EXIT_FAILED if failures else EXIT_OK


@app.command("code")
def code_cmd(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files (.txt, .html, .jsonl, .json, optionally .gz), folders, or - for stdin.",
            show_default=False,
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(help="Publication date (YYYY-MM-DD) of documents that carry none."),
    ] = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.jsonl,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write here instead of stdout.", dir_okay=False),
    ] = None,
    n_process: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    batch_size: Annotated[int, typer.Option(min=1, help="Documents per batch.")] = 32,
    dictionary: DictionaryOption = None,
) -> None:
    """Code news articles into events: one JSON line per event by default.

    A document that fails prints a JSON error line to stderr and the batch goes on; the exit
    code is then 1.
    """
    with guard():
        status = run_code(
            inputs or [STDIN],
            date=parse_date_option(date),
            fmt=fmt,
            output=output,
            n_process=n_process,
            batch_size=batch_size,
            progress=sys.stderr.isatty(),
            dictionaries=tuple(dictionary or ()),
        )
    raise typer.Exit(status)


# ---------------------------------------------------------------------------------------------
# schema and eval


def event_schema() -> dict[str, Any]:
    """The JSON Schema of :class:`~newsevents.model.Event`."""
    return Event.model_json_schema()


@app.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of an event record."""
    typer.echo(json.dumps(event_schema(), indent=2))


def default_shared(*, cwd: Path | None = None) -> Path:
    """Where the shared data (with ``eval/``) lives by default.

    ``$NEWSEVENTS_SHARED`` if set; else a ``shared`` folder next to the repository, found from
    the current directory and from the package's location; else ``../shared``.
    """
    env = os.environ.get("NEWSEVENTS_SHARED")
    if env:
        return Path(env)
    starts = [(cwd or Path.cwd()).resolve(), Path(__file__).resolve().parent]
    for start in starts:
        for folder in (start, *start.parents):
            if (folder / "pyproject.toml").is_file():
                candidate = folder.parent / "shared"
                if candidate.is_dir():
                    return candidate
                break
    return (cwd or Path.cwd()) / ".." / "shared"


@app.command("eval")
def eval_cmd(
    suite: Annotated[
        str | None, typer.Argument(help="Suite name; see --list.", show_default=False)
    ] = None,
    shared: Annotated[
        Path | None,
        typer.Option(help="Folder that holds eval/ (default: $NEWSEVENTS_SHARED or ../shared)."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option(min=1, help="Score only the first N records.")
    ] = None,
    details: Annotated[
        Path | None, typer.Option(help="Write per-record predictions vs gold (JSONL) here.")
    ] = None,
    list_suites: Annotated[bool, typer.Option("--list", help="List the suites and exit.")] = False,
    dictionary: DictionaryOption = None,
) -> None:
    """Run an evaluation suite against its gold data and print the report."""
    with guard():
        from newsevents.eval import SUITES, run_suite

        if list_suites or suite is None:
            for name, description in SUITES.items():
                typer.echo(f"{name:<20} {description}")
            raise typer.Exit(EXIT_OK if list_suites else EXIT_USAGE)
        report = run_suite(
            suite,
            shared=shared if shared is not None else default_shared(),
            limit=limit,
            details=details is not None,
            dictionaries=dictionary,
        )
        typer.echo(report.render())
        if details is not None:
            report.write_details(details)


register_all(app)


def main() -> None:
    """Console entry point (``newsevents``)."""
    app()


if __name__ == "__main__":
    main()
