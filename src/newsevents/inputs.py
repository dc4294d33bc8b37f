"""Read articles from files, folders and stdin, one at a time.

:func:`read_inputs` streams :class:`~newsevents.model.Article` records, and a
:class:`~newsevents.model.DocError` (stage ``"read"``) for every document it cannot read; the
stream goes on after an error. Supported inputs:

* ``.txt`` / ``.text``: one article per file;
* ``.html`` / ``.htm``: text, title, publication date, URL and site name extracted with
  trafilatura (offline; the date comes from the page's metadata via htmldate);
* ``.jsonl``: one JSON object per line, ``{"id", "text", "date", "title", "url", "source"}``,
  only ``text`` required;
* ``.json``: one such object, or a list of them;
* the gzip versions of all of these (``.txt.gz``, ``.jsonl.gz``, ...);
* a folder: read recursively in sorted order, hidden files and folders skipped;
* ``"-"``: stdin, read as JSONL when every non-empty line is a JSON object, else as one text.

Ids come from the record, else from the path (relative to the folder given) or
``<path>:<line>``. Text is decoded as UTF-8, falling back to Windows-1252.
"""

from __future__ import annotations

import codecs
import datetime as dt
import email.utils
import gzip
import json
import logging
import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, Literal

from newsevents.errors import Errors, Warnings
from newsevents.model import Article, DocError

__all__ = ["MAX_CHARS", "STDIN", "is_supported", "page_date", "parse_date", "read_inputs"]

logger = logging.getLogger(__name__)

STDIN = "-"
"""The input name that stands for standard input."""

_Kind = Literal["text", "html", "jsonl", "json"]
_SUFFIXES: dict[str, _Kind] = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".json": "json",
}
_STRING_FIELDS = ("title", "url", "source")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MIN_HTML_WORDS = 5
_GZIP_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error)

MAX_CHARS = 2_000_000
"""Longest document read (the same limit as :data:`newsevents.pipeline.MAX_CHARS`). A longer
file or JSONL line is reported as E010 without being held in memory whole."""
_MAX_BYTES = 4 * MAX_CHARS
"""A file with more bytes than this has more than MAX_CHARS characters (UTF-8: at most 4 bytes each)."""
_MAX_LINE_BYTES = 6 * MAX_CHARS + 65_536
"""Longest JSONL line read: JSON may spell a character as a 6-byte \\uXXXX escape."""
_CHUNK = 1 << 20
_FUTURE_SLACK = dt.timedelta(days=1)
"""A publication date more than this after today (local) is "in the future" (W002)."""


def read_inputs(
    inputs: Sequence[str],
    *,
    date: dt.date | None = None,
    stdin: IO[bytes] | None = None,
) -> Iterator[Article | DocError]:
    """Yield one :class:`Article` per readable document, or a :class:`DocError`.

    ``date`` is the publication date of documents that carry none. ``stdin`` replaces
    ``sys.stdin`` for the input ``"-"`` (for tests and embedding). A document whose id was
    already seen in this call is skipped with error E012.
    """
    seen: set[str] = set()
    for name in inputs:
        for item in _read_one(name, date, stdin):
            if isinstance(item, Article):
                if item.id in seen:
                    yield _error(item.id, Errors.E012, doc_id=item.id)
                    continue
                seen.add(item.id)
            yield item


def parse_date(value: str) -> dt.date | None:
    """Read a publication date: ISO (``2024-03-05``, ``2024-03-05T10:00:00Z``) or RFC 2822.

    Returns ``None`` when the value is not a date.
    """
    value = value.strip()
    if _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    try:
        return email.utils.parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        pass
    import dateparser  # slow to import; only for unusual date strings

    parsed = dateparser.parse(value, languages=["en"], settings={"STRICT_PARSING": True})
    return parsed.date() if parsed is not None else None


# ---------------------------------------------------------------------------------------------


def _error(doc: str, error: Errors, /, **kwargs: object) -> DocError:
    return DocError(doc_id=doc, code=error.name, stage="read", message=error.value.format(**kwargs))


def _kind(path: Path) -> tuple[_Kind, bool] | None:
    """The reader for a file name and whether it is gzip-compressed."""
    name = path.name.lower()
    gz = name.endswith(".gz")
    if gz:
        name = name[:-3]
    suffix = os.path.splitext(name)[1]
    kind = _SUFFIXES.get(suffix)
    return (kind, gz) if kind is not None else None


def is_supported(path: str | Path) -> bool:
    """Whether a file name has a type :func:`read_inputs` reads (``.txt``, ``.jsonl.gz``, ...)."""
    return _kind(Path(path)) is not None


def _read_one(
    name: str, date: dt.date | None, stdin: IO[bytes] | None
) -> Iterator[Article | DocError]:
    if name == STDIN:
        yield from _read_stdin(stdin, date)
        return
    path = Path(name)
    if path.is_dir():
        for file in _walk(path):
            kind = _kind(file)
            if kind is None:
                logger.debug("Skipping %s: not a supported input type", file)
                continue
            yield from _read_file(file, file.relative_to(path).as_posix(), *kind, date)
        return
    if not path.exists():
        yield _error(name, Errors.E001, path=name)
        return
    kind = _kind(path)
    if kind is None:
        suffix = "".join(path.suffixes) or path.name
        yield _error(name, Errors.E002, path=name, suffix=suffix)
        return
    yield from _read_file(path, name, *kind, date)


def _walk(folder: Path) -> Iterator[Path]:
    """Files under ``folder`` in sorted order, depth first, skipping hidden names."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as err:
        logger.warning("Cannot list folder %s: %s", folder, err)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path))
        elif entry.is_file():
            yield Path(entry.path)


def _open(path: Path, gz: bool) -> IO[bytes]:
    if gz:
        return gzip.GzipFile(filename=path, mode="rb")  # type: ignore[return-value]
    return path.open("rb")


def _read_file(
    path: Path, doc_id: str, kind: _Kind, gz: bool, date: dt.date | None
) -> Iterator[Article | DocError]:
    shown = str(path)
    if kind == "jsonl":
        yield from _read_jsonl_file(path, doc_id, gz, date)
        return
    try:
        with _open(path, gz) as handle:
            data = _read_bounded(handle)
    except _GZIP_ERRORS as err:
        yield _error(doc_id, Errors.E011, path=shown, detail=_describe(err))
        return
    except OSError as err:
        yield _error(doc_id, Errors.E007, doc_id=doc_id, detail=_describe(err))
        return
    if isinstance(data, int):
        yield _too_long(doc_id, data)
        return
    text = _decode(data, doc_id, shown)
    if isinstance(text, DocError):
        yield text
    elif len(text) > MAX_CHARS:
        yield _too_long(doc_id, len(text))
    elif kind == "text":
        yield _text_article(text, doc_id, date)
    elif kind == "html":
        yield _html_article(text, doc_id, shown, date)
    else:
        yield from _read_json_document(text, doc_id, shown, date)


def _read_bounded(handle: IO[bytes]) -> bytes | int:
    """The file's bytes, or (for a file too long to code) its length in characters.

    Never holds more than ``_MAX_BYTES`` of it: the rest of an over-long file is counted in
    chunks and dropped.
    """
    data = handle.read(_MAX_BYTES + 1)
    if len(data) <= _MAX_BYTES:
        return data
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    count = len(decoder.decode(data))
    del data
    while chunk := handle.read(_CHUNK):
        count += len(decoder.decode(chunk))
    return count + len(decoder.decode(b"", final=True))


def _too_long(doc_id: str, size: int | str) -> DocError:
    shown = f"{size:,}" if isinstance(size, int) else size
    return _error(doc_id, Errors.E010, doc_id=doc_id, size=shown, limit=f"{MAX_CHARS:,}")


def _bounded_lines(handle: IO[bytes]) -> Iterator[bytes | None]:
    """The lines of ``handle``; ``None`` for a line over ``_MAX_LINE_BYTES`` (skipped unread)."""
    while raw := handle.readline(_MAX_LINE_BYTES + 1):
        if len(raw) > _MAX_LINE_BYTES and not raw.endswith(b"\n"):
            del raw
            while (rest := handle.readline(_CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield None
            continue
        yield raw


def _check_future(doc_id: str, published: dt.date | None) -> None:
    """Log W002 for a publication date after tomorrow; the date is kept."""
    if published is not None and published > dt.date.today() + _FUTURE_SLACK:
        logger.warning(Warnings.W002.format(doc_id=doc_id, value=published.isoformat()))


def _describe(err: BaseException) -> str:
    return f"{type(err).__name__}: {err}" if str(err) else type(err).__name__


def _decode(data: bytes, doc_id: str, where: str) -> str | DocError:
    """UTF-8 (BOM allowed), UTF-16 with a BOM, else Windows-1252; NUL bytes mean binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            return _error(doc_id, Errors.E007, doc_id=doc_id, detail=str(err))
    if b"\x00" in data:
        return _error(doc_id, Errors.E007, doc_id=doc_id, detail="binary data: NUL bytes found")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        logger.warning("%s is not valid UTF-8; decoded it as Latin-1", where)
    else:
        logger.warning("%s is not valid UTF-8; decoded it as Windows-1252", where)
    return text


def _text_article(text: str, doc_id: str, date: dt.date | None) -> Article | DocError:
    if not text.strip():
        return _error(doc_id, Errors.E006, doc_id=doc_id)
    return Article(id=doc_id, text=text, date=date)


def _html_article(html: str, doc_id: str, where: str, date: dt.date | None) -> Article | DocError:
    import trafilatura  # heavy import, only when HTML is read

    document = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False
    )
    text: str = (getattr(document, "text", None) or "") if document is not None else ""
    if len(text.split()) < _MIN_HTML_WORDS:  # nothing, or a stray menu label
        return _error(doc_id, Errors.E008, path=where)
    title = _optional_str(getattr(document, "title", None))
    # trafilatura repeats the headline as the first line; the title is kept apart
    if title and text.startswith(title + "\n"):
        text = text[len(title) + 1 :]
    found = page_date(html, url=_optional_str(getattr(document, "url", None)))
    if found is None:
        extracted = _optional_str(getattr(document, "date", None))
        found = parse_date(extracted) if extracted else None
    _check_future(doc_id, found)
    return Article(
        id=doc_id,
        text=text,
        date=found or date,
        title=title,
        url=_optional_str(getattr(document, "url", None)),
        source=_optional_str(getattr(document, "sitename", None)),
    )


def page_date(html: str, *, url: str | None = None) -> dt.date | None:
    """The publication date of an HTML page, or None.

    htmldate with ``original_date=True`` (the first publication, not the last update), which
    also weighs the URL, JSON-LD and meta tags and converts time zones consistently; measured by
    ``benchmarks/pubdate_eval.py`` at 0.962 exact on 106 pages with gold dates, against 0.953 for
    trafilatura's own date and 0.925 for htmldate's defaults.
    """
    import htmldate  # heavy import, only when HTML is read

    try:
        found = htmldate.find_date(html, url=url, original_date=True, extensive_search=True)
    except (ValueError, TypeError) as err:  # htmldate raises on malformed trees
        logger.debug("htmldate failed: %s", err)
        return None
    return parse_date(found) if isinstance(found, str) else None


def _optional_str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _read_jsonl_file(
    path: Path, doc_id: str, gz: bool, date: dt.date | None
) -> Iterator[Article | DocError]:
    shown = str(path)
    try:
        with _open(path, gz) as handle:
            yield from _jsonl_records(_bounded_lines(handle), doc_id, shown, date)
    except _GZIP_ERRORS as err:
        yield _error(doc_id, Errors.E011, path=shown, detail=_describe(err))
    except OSError as err:
        yield _error(doc_id, Errors.E007, doc_id=doc_id, detail=_describe(err))


def _jsonl_records(
    lines: Iterable[bytes | None], doc_id: str, where: str, date: dt.date | None
) -> Iterator[Article | DocError]:
    for number, raw in enumerate(lines, 1):
        line_id = f"{doc_id}:{number}"
        if raw is None:
            yield _too_long(line_id, f"more than {MAX_CHARS:,}")
            continue
        if not raw.strip():
            continue
        line = _decode(raw, line_id, f"{where} line {number}")
        if isinstance(line, DocError):
            yield line
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield _error(line_id, Errors.E003, line=number, path=where, detail=err.msg)
            continue
        yield _article_from_record(record, line_id, where, number, date)


def _read_json_document(
    text: str, doc_id: str, where: str, date: dt.date | None
) -> Iterator[Article | DocError]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        yield _error(doc_id, Errors.E003, line=err.lineno, path=where, detail=err.msg)
        return
    if isinstance(data, list):
        for number, record in enumerate(data, 1):
            item_id = f"{doc_id}:{number}"
            yield _article_from_record(record, item_id, where, number, date)
    else:
        yield _article_from_record(data, doc_id, where, None, date)


def _read_stdin(stream: IO[bytes] | None, date: dt.date | None) -> Iterator[Article | DocError]:
    if stream is None:
        stream = getattr(sys.stdin, "buffer", None)
    # a text stream without a buffer (rare: a replaced sys.stdin) is read as text
    data = stream.read() if stream is not None else sys.stdin.read().encode("utf-8", "replace")
    text = _decode(data, "stdin", "<stdin>")
    if isinstance(text, DocError):
        yield text
        return
    records = _all_json_objects(text)
    if records is None:
        yield _text_article(text, "stdin", date)
        return
    for number, record in records:
        yield _article_from_record(record, f"stdin:{number}", "<stdin>", number, date)


def _all_json_objects(text: str) -> list[tuple[int, dict[str, Any]]] | None:
    """The JSON objects of ``text``, one per non-empty line, or ``None`` if it is not JSONL."""
    records: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("{"):
            return None
        try:
            record = json.loads(stripped)
        except json.JSONDecodeError:
            return None
        if not isinstance(record, dict):
            return None
        records.append((number, record))
    return records or None


def _article_from_record(
    record: object, default_id: str, path: str, line: int | None, date: dt.date | None
) -> Article | DocError:
    """Validate one JSON record; wrong types give E013, a missing text E004."""
    where = repr(path) if line is None else f"{line} of {path!r}"
    if not isinstance(record, dict):
        return _error(
            default_id, Errors.E013, where=where, field="<record>", expected="a JSON object",
            got=type(record).__name__,
        )  # fmt: skip
    raw_id = record.get("id")
    if raw_id is None or raw_id == "":
        doc_id = default_id
    elif isinstance(raw_id, str):
        doc_id = raw_id
    elif isinstance(raw_id, int) and not isinstance(raw_id, bool):
        doc_id = str(raw_id)
    else:
        return _type_error(default_id, where, "id", "a string or an integer", raw_id)
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        got = "an empty string" if isinstance(text, str) else _type_name(text)
        return _error(doc_id, Errors.E004, line=line or 1, path=path, got=got)
    if len(text) > MAX_CHARS:
        return _too_long(doc_id, len(text))
    fields: dict[str, str | None] = {}
    for name in _STRING_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            return _type_error(doc_id, where, name, "a string", value)
        fields[name] = value or None
    raw_date = record.get("date")
    published = date
    if raw_date is not None and raw_date != "":
        if not isinstance(raw_date, str):
            return _type_error(doc_id, where, "date", "an ISO date string", raw_date)
        parsed = parse_date(raw_date)
        if parsed is None:
            logger.warning(Warnings.W001.format(doc_id=doc_id, value=raw_date))
        else:
            published = parsed
            _check_future(doc_id, published)
    return Article(id=doc_id, text=text, date=published, **fields)


def _type_name(value: object) -> str:
    return "null" if value is None else type(value).__name__


def _type_error(doc_id: str, where: str, field: str, expected: str, value: object) -> DocError:
    return _error(
        doc_id, Errors.E013, where=where, field=field, expected=expected, got=_type_name(value)
    )
