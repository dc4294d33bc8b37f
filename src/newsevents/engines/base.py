"""The :class:`Engine` protocol, the local :class:`LocalEngine`, and :func:`make_engine`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol, runtime_checkable

from newsevents.engines.memory import malloc_trim
from newsevents.errors import Errors, NewsEventsError
from newsevents.model import Article
from newsevents.pipeline import DEFAULT_MODEL, CodedDoc, code_many

__all__ = ["Engine", "LocalEngine", "make_engine"]


@runtime_checkable
class Engine(Protocol):
    """Codes articles somewhere; yields exactly one :class:`CodedDoc` per article, in input order.

    A document that cannot be coded comes back as a ``CodedDoc`` whose ``error`` is set; it
    never stops the stream. Engines consume their input lazily, so memory stays flat however
    long the input is.
    """

    def code(self, articles: Iterable[Article]) -> Iterator[CodedDoc]: ...


class LocalEngine:
    """Code in this machine's processes, reusing :mod:`newsevents.pipeline`.

    By default coding runs in ``n_process`` worker processes forked from a warmed pipeline
    (:func:`newsevents.engines.local.code_in_workers`) — also when ``n_process`` is 1 — so the
    calling process only reads inputs and writes the store, and that work overlaps with coding
    on another core. At most ``2 × n_process`` batches of ``batch_size`` documents are in
    flight; results come back in input order and are identical to in-process coding.

    ``in_process=True`` (or ``n_process=0``) codes in the calling process instead with
    :func:`newsevents.pipeline.code_many` (one core, no fork: for debugging, profiling and
    tests). ``trim_memory``: hand free heap pages back to the OS after every batch (glibc
    ``malloc_trim``, in whichever process codes; on by default), so resident memory tracks
    live memory instead of the allocator's high-water mark, at 2–3% more CPU.
    """

    def __init__(
        self,
        n_process: int = 1,
        batch_size: int = 32,
        *,
        in_process: bool = False,
        model: str = DEFAULT_MODEL,
        lexicon_dir: str | None = None,
        dictionaries: tuple[str, ...] = (),
        trim_memory: bool = True,
    ) -> None:
        self.trim_memory = trim_memory
        self.dictionaries = tuple(str(d) for d in dictionaries)
        self.in_process = in_process or n_process <= 0
        self.n_process = max(1, n_process)
        self.batch_size = max(1, batch_size)
        self.model = model
        self.lexicon_dir = lexicon_dir

    def code(self, articles: Iterable[Article]) -> Iterator[CodedDoc]:
        if not self.in_process:
            from newsevents.engines.local import code_in_workers

            return code_in_workers(
                articles,
                n_process=self.n_process,
                batch_size=self.batch_size,
                model=self.model,
                lexicon_dir=self.lexicon_dir,
                dictionaries=self.dictionaries,
                trim_memory=self.trim_memory,
            )
        results = code_many(
            articles,
            n_process=1,
            batch_size=self.batch_size,
            model=self.model,
            lexicon_dir=self.lexicon_dir,
            dictionaries=self.dictionaries,
        )
        return self._trimmed(results) if self.trim_memory else results

    def _trimmed(self, results: Iterator[CodedDoc]) -> Iterator[CodedDoc]:
        """Coding in this process: give free heap pages back after every batch (flat RSS)."""
        for n, result in enumerate(results, 1):
            yield result
            if n % self.batch_size == 0:
                malloc_trim()

    def __repr__(self) -> str:
        where = "in_process=True" if self.in_process else f"n_process={self.n_process}"
        return f"LocalEngine({where}, batch_size={self.batch_size})"


def make_engine(
    name: str,
    *,
    n_process: int = 1,
    scheduler: str | None = None,
    workers: int = 2,
    batch_size: int = 32,
    shard_dir: Path | None = None,
    in_process: bool = False,
    dictionaries: tuple[str, ...] = (),
) -> Engine:
    """The engine a CLI option names: ``"local"`` or ``"dask"`` (E701 otherwise).

    ``local``: ``n_process`` worker processes, or coding in this process when ``in_process``
    or ``n_process`` is 0. ``dask``: ``workers`` local workers or ``scheduler``; ``shard_dir``
    is where its workers write result shards (needed with a remote scheduler).
    ``dictionaries``: PETRARCH/CAMEO dictionary files (actors, agents, verbs, discards) the
    coder consults; with Dask the paths must exist on every worker.

    Nothing is started here; a Dask cluster starts when the first document is coded.
    """
    from newsevents.engines.dask_engine import DaskEngine

    key = name.strip().lower()
    if key == "local":
        return LocalEngine(
            n_process=n_process, batch_size=batch_size, in_process=in_process, dictionaries=dictionaries
        )
    if key == "dask":
        return DaskEngine(
            scheduler=scheduler,
            n_workers=workers,
            batch_size=batch_size,
            shard_dir=shard_dir,
            dictionaries=dictionaries,
        )
    raise NewsEventsError(Errors.E701, value=name)
