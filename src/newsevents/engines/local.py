"""Coding in worker processes of this machine, so the calling process is free to write.

:func:`code_in_workers` is what :class:`~newsevents.engines.LocalEngine` runs: a
:class:`~concurrent.futures.ProcessPoolExecutor` of ``n_process`` workers (also for *one*
worker), forked from a pipeline loaded and warmed in this process, with at most
``2 × n_process`` batches in flight and results yielded in input order. The batches are coded by
:mod:`newsevents.pipeline`'s own ``_code_batch``, so the records are exactly those of
:func:`~newsevents.pipeline.code_many`.

Why a worker even for one process: during an ingest the calling process reads inputs and runs
the store writer (SQL, de-duplication); coding in a worker lets that work overlap with coding on
another core instead of adding to it. Workers ask the kernel to kill them when the parent dies
(Linux ``PR_SET_PDEATHSIG``), so a ``kill -9`` of an ingest leaves no orphaned coders behind.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import logging
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from newsevents import pipeline
from newsevents.engines.memory import malloc_trim
from newsevents.model import Article
from newsevents.pipeline import CodedDoc

__all__ = ["code_in_workers"]

logger = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Have the kernel SIGKILL this worker when its parent dies (Linux; a no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):
        logger.debug("prctl(PR_SET_PDEATHSIG) is not available", exc_info=True)
        return
    if os.getppid() != parent:  # the parent died before the call took effect
        os._exit(1)


def _init(parent: int, model: str, lexicon_dir: str | None, dictionaries: tuple[str, ...]) -> None:
    _die_with_parent(parent)
    pipeline._worker_init(model, lexicon_dir, dictionaries)


def _batch(articles: list[Article], batch_size: int, trim: bool) -> list[CodedDoc]:
    results = pipeline._worker_batch(articles, batch_size)
    if trim:
        malloc_trim()
    return results


def _split(batch: list[Article | CodedDoc]) -> tuple[list[Article], list[CodedDoc | None]]:
    todo = [a for a in batch if isinstance(a, Article)]
    return todo, [None if isinstance(a, Article) else a for a in batch]


def _merge(coded: list[CodedDoc], slots: list[CodedDoc | None]) -> Iterator[CodedDoc]:
    done = iter(coded)
    for slot in slots:
        yield slot if slot is not None else next(done)


def code_in_workers(
    docs: Iterable[str | Mapping[str, Any] | Article],
    *,
    n_process: int = 1,
    batch_size: int = 32,
    model: str = pipeline.DEFAULT_MODEL,
    lexicon_dir: str | None = None,
    dictionaries: tuple[str, ...] = (),
    trim_memory: bool = True,
) -> Iterator[CodedDoc]:
    """Code ``docs`` in ``n_process`` (≥ 1) worker processes; one result per input, in order.

    Like :func:`newsevents.pipeline.code_many` with ``n_process`` > 1, but also with a single
    worker, so this process only reads inputs and consumes results. ``trim_memory``: workers
    hand free heap pages back to the OS after every batch (flat resident memory).
    """
    n_process = max(1, n_process)
    batches = pipeline._batches(docs, batch_size)
    first = next(batches, None)
    if first is None:
        return
    # Load and warm the pipeline once here; forked workers inherit it instead of loading their own.
    nlp = pipeline.load(model, lexicon_dir=lexicon_dir, dictionaries=dictionaries)
    pipeline._code_batch(nlp, [Article(id="warm-up", text=pipeline._WARM_UP, date=dt.date(2024, 1, 1))], 1)
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(
        max_workers=n_process,
        mp_context=multiprocessing.get_context(method),
        initializer=_init,
        initargs=(os.getpid(), model, lexicon_dir, dictionaries),
    ) as pool:
        pending: deque[tuple[Future[list[CodedDoc]], list[CodedDoc | None]]] = deque()

        def submit(batch: list[Article | CodedDoc]) -> None:
            todo, slots = _split(batch)
            pending.append((pool.submit(_batch, todo, batch_size, trim_memory), slots))

        try:
            submit(first)
            for batch in batches:
                if len(pending) >= 2 * n_process:
                    future, slots = pending.popleft()
                    yield from _merge(future.result(), slots)
                submit(batch)
            while pending:
                future, slots = pending.popleft()
                yield from _merge(future.result(), slots)
        finally:
            for future, _ in pending:  # the consumer stopped early: drop what has not started
                future.cancel()
