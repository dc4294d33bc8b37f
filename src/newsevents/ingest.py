"""Stream articles from files into the store: read → skip stored → code → write, one by one.

:func:`ingest` reads inputs lazily (:func:`newsevents.inputs.read_inputs`, plus glob patterns),
skips every article whose id (:func:`~newsevents.store.writer.article_key`) is already stored
*before* coding it, codes the rest with an :class:`Engine` (the local pipeline by default, or a
Dask cluster) and writes the results in input order with the one
:class:`~newsevents.store.writer.StoreWriter`. Memory stays flat whatever the input size, and a
run killed at any point and started again gives the same store as one clean run.

Transactions: consecutive results are committed together, up to ``commit_every`` documents
(default: the batch size) and at least every ``COMMIT_SECONDS`` (checked as results arrive).
A commit per document costs about as much CPU as the SQL of a small document; committing a
batch keeps the guarantee, because a transaction is atomic and batches are committed in input
order: after a kill the store holds every document up to the last commit and nothing after it,
the next run skips the stored ones (by article id, before coding) and codes and writes the rest,
in the same order a clean run would. Counts in :class:`IngestSummary` cover committed documents.

Where the work runs: this process only reads inputs and writes the store. The default local
engine codes in ``n_process`` worker processes forked from a warmed pipeline, *also* when
``n_process`` is 1, so the writer (SQL, de-duplication) overlaps with coding on another core
instead of adding to its time; the output is identical either way. ``n_process=0`` codes in
this process (one core, no fork) for debugging, profiling and tests.
"""

from __future__ import annotations

import datetime as dt
import glob
import gzip
import logging
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

from newsevents.inputs import STDIN, is_supported, read_inputs
from newsevents.model import Article, DocError

if TYPE_CHECKING:
    from newsevents.pipeline import CodedDoc
    from newsevents.store.engine import Store
    from newsevents.store.writer import DedupHooks

__all__ = ["Engine", "IngestSummary", "count_documents", "expand_paths", "ingest", "make_engine"]

logger = logging.getLogger(__name__)

_GLOB_CHARS = frozenset("*?[")

COMMIT_SECONDS = 2.0
"""Coded documents are committed at least this often (seconds), however slowly they arrive."""


class Engine(Protocol):
    """Codes a stream of articles; yields one result per article, in input order."""

    def code(self, articles: Iterable[Article]) -> Iterator[CodedDoc]: ...


def make_engine(
    name: str = "local",
    *,
    n_process: int = 1,
    batch_size: int = 32,
    scheduler: str | None = None,
    workers: int = 2,
    shard_dir: Path | None = None,
    dictionaries: tuple[str, ...] = (),
) -> Engine:
    """``local`` (``n_process`` worker processes; 0: in this process) or ``dask`` (``workers``
    local workers or ``scheduler``; workers write result shards to ``shard_dir``); the coder
    consults ``dictionaries`` (PETRARCH/CAMEO files) when given. Imported late: Dask loads only
    when it is asked for."""
    from newsevents.engines import make_engine as engines_make_engine

    engine: Engine = engines_make_engine(
        name,
        n_process=n_process,
        scheduler=scheduler,
        workers=workers,
        batch_size=batch_size,
        shard_dir=shard_dir,
        dictionaries=dictionaries,
    )
    return engine


# ---------------------------------------------------------------------------------------------
# inputs


def expand_paths(paths: Iterable[str]) -> list[str]:
    """Paths as given; a pattern with ``*``, ``?`` or ``[`` that is not an existing path expands
    to its matches (sorted; ``**`` recurses). A pattern without matches is kept, so reading it
    reports E001."""
    out: list[str] = []
    for path in paths:
        if path != STDIN and _GLOB_CHARS & set(path) and not Path(path).exists():
            matches = sorted(glob.glob(path, recursive=True))
            if matches:
                out.extend(matches)
                continue
        out.append(path)
    return out


def _count_jsonl(path: Path, gz: bool) -> int:
    n = 0
    with path.open("rb") as raw, (gzip.GzipFile(fileobj=raw) if gz else nullcontext(raw)) as handle:
        for line in handle:
            if line.strip():
                n += 1
    return n


def count_documents(paths: Sequence[str], *, max_bytes: int = 2_000_000_000) -> int | None:
    """How many documents the inputs hold, for a progress bar; ``None`` when it can't be known
    cheaply (stdin, ``.json`` lists, more than ``max_bytes`` of JSONL to scan)."""
    total, scanned = 0, 0
    files: list[Path] = []
    for name in paths:
        if name == STDIN:
            return None
        path = Path(name)
        if path.is_dir():
            files.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and is_supported(p)
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )  # fmt: skip
        else:
            files.append(path)
    for path in files:
        lowered = path.name.lower()
        gz = lowered.endswith(".gz")
        base = lowered[:-3] if gz else lowered
        if base.endswith(".jsonl"):
            try:
                size = path.stat().st_size
            except OSError:
                return None
            scanned += size * (5 if gz else 1)
            if scanned > max_bytes:
                return None
            try:
                total += _count_jsonl(path, gz)
            except (OSError, EOFError, gzip.BadGzipFile):
                return None
        elif base.endswith(".json"):
            return None
        else:
            total += 1
    return total


# ---------------------------------------------------------------------------------------------
# summary and progress


@dataclass
class IngestSummary:
    """What one :func:`ingest` run did."""

    run_id: str | None = None
    docs_read: int = 0
    coded: int = 0
    """Documents coded and stored in this run."""
    present: int = 0
    """Documents skipped because their article was already in the store."""
    events: int = 0
    """Events written in this run."""
    failures: Counter[tuple[str, str]] = field(default_factory=Counter)
    """Failed documents per (code, stage)."""
    elapsed: float = 0.0

    @property
    def failed(self) -> int:
        return sum(self.failures.values())

    def _failed_by(self, part: int) -> dict[str, int]:
        out: Counter[str] = Counter()
        for key, n in self.failures.items():
            out[key[part]] += n
        return dict(sorted(out.items()))

    @property
    def failed_by_code(self) -> dict[str, int]:
        return self._failed_by(0)

    @property
    def failed_by_stage(self) -> dict[str, int]:
        return self._failed_by(1)

    @property
    def docs_per_s(self) -> float:
        return self.docs_read / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def events_per_s(self) -> float:
        return self.events / self.elapsed if self.elapsed > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "docs_read": self.docs_read,
            "coded": self.coded,
            "already_in_store": self.present,
            "failed": self.failed,
            "failed_by_code": self.failed_by_code,
            "failed_by_stage": self.failed_by_stage,
            "events": self.events,
            "elapsed_s": round(self.elapsed, 3),
            "docs_per_s": round(self.docs_per_s, 2),
            "events_per_s": round(self.events_per_s, 2),
        }

    def render(self) -> str:
        """A few lines for the end of ``newsevents ingest``."""
        lines = [
            f"{self.docs_read:,} documents read in {self.elapsed:,.1f} s "
            f"({self.docs_per_s:,.1f} docs/s, {self.events_per_s:,.1f} events/s)",
            f"  coded and stored  {self.coded:,}",
            f"  already in store  {self.present:,}",
            f"  failed            {self.failed:,}",
            f"  events written    {self.events:,}",
        ]
        for (code, stage), n in sorted(self.failures.items()):
            lines.append(f"    {code} ({stage}): {n:,}")
        if self.run_id:
            lines.append(f"  run {self.run_id}")
        return "\n".join(lines)


class _Progress:
    """A rich progress bar on stderr (docs/s, events/s, ETA when the total is known)."""

    def __init__(self, total: int | None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            SpinnerColumn,
            Task,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        class Rates(ProgressColumn):
            def render(self, task: Task) -> Text:
                elapsed = task.elapsed or 0.0
                docs = task.completed / elapsed if elapsed > 0 else 0.0
                events = float(task.fields.get("events", 0)) / elapsed if elapsed > 0 else 0.0
                return Text(f"{docs:,.1f} docs/s {events:,.1f} ev/s")

        columns: list[ProgressColumn] = [SpinnerColumn()]
        if total is not None:
            columns += [BarColumn(bar_width=20), MofNCompleteColumn()]
        else:
            columns.append(TextColumn("{task.completed:,.0f} docs"))
        columns += [
            TextColumn("{task.fields[events]:,} ev {task.fields[failed]:,} failed"),
            Rates(),
            TimeElapsedColumn(),
        ]
        if total is not None:
            columns.append(TimeRemainingColumn())
        self.progress = Progress(*columns, console=Console(stderr=True), transient=False)
        self.task = self.progress.add_task("ingest", total=total, events=0, failed=0)
        self.progress.start()

    def update(self, summary: IngestSummary) -> None:
        done = summary.coded + summary.present + summary.failed
        self.progress.update(self.task, completed=done, events=summary.events, failed=summary.failed)

    def close(self) -> None:
        self.progress.stop()


# ---------------------------------------------------------------------------------------------
# ingest


def ingest(
    paths: Sequence[str],
    store: Store,
    *,
    date: dt.date | None = None,
    engine: Engine | None = None,
    n_process: int = 1,
    batch_size: int = 32,
    progress: bool = True,
    command: str | None = None,
    hooks: DedupHooks | None = None,
    stdin: IO[bytes] | None = None,
    commit_every: int | None = None,
) -> IngestSummary:
    """Read, code and store every document of ``paths``; returns what was done.

    ``paths``: files (.txt, .html, .jsonl, .json, their .gz), folders, glob patterns, or ``-``.
    ``date``: publication date of documents that carry none. ``engine``: how to code (default
    the local pipeline in ``n_process`` worker processes with ``batch_size``; ``n_process=0``
    codes in this process). ``progress``: show a progress bar
    on stderr when it is a terminal. ``command`` is recorded in ``runs``; ``hooks`` replace the
    de-duplication calls (tests). ``commit_every``: documents per store transaction (default
    ``batch_size``; 1 commits each document on its own), see the module docstring.
    """
    from newsevents.store.writer import StoreWriter, article_key, finish_run, start_run

    started = time.perf_counter()
    inputs = expand_paths(paths)
    if engine is None:
        engine = make_engine("local", n_process=n_process, batch_size=batch_size)
    summary = IngestSummary()
    # the versions the coder uses; an engine that codes elsewhere (Dask) reads them there
    read_versions = getattr(engine, "versions", None)
    engine_versions = read_versions() if callable(read_versions) else None
    summary.run_id = start_run(store, command=command, versions=engine_versions)
    writer = StoreWriter(store, summary.run_id, hooks=hooks)
    bar = _Progress(count_documents(inputs)) if progress and sys.stderr.isatty() else None
    refs: list[tuple[str, str]] = []  # (input, doc id) of each article handed to the engine
    ref_start = 0

    def fail(error: DocError, ref: str | None, article_id: str | None = None) -> None:
        writer.write_failure(error, input_ref=ref, article_id=article_id)
        summary.failures[(error.code, error.stage)] += 1

    def to_code() -> Iterator[Article]:
        for name in inputs:
            for item in read_inputs([name], date=date, stdin=stdin):
                summary.docs_read += 1
                if isinstance(item, DocError):
                    fail(item, name)
                elif writer.is_stored(article_key(item.text)):
                    summary.present += 1
                else:
                    refs.append((name, item.id))
                    yield item
                if bar is not None:
                    bar.update(summary)

    per_commit = max(1, commit_every if commit_every is not None else batch_size)
    pending: list[tuple[CodedDoc, str | None]] = []  # coded, not committed yet
    last_commit = time.monotonic()

    def commit() -> None:
        nonlocal last_commit
        batch = pending[:]
        pending.clear()  # a batch that fails to commit is not tried again
        last_commit = time.monotonic()
        for outcome in writer.write_many(batch):
            if outcome.status == "stored":
                summary.coded += 1
                summary.events += outcome.n_events
            elif outcome.status == "present":
                summary.present += 1
            else:
                assert outcome.error is not None
                summary.failures[(outcome.error.code, outcome.error.stage)] += 1
        if bar is not None:
            bar.update(summary)

    status = "failed"
    try:
        for coded in engine.code(to_code()):
            ref: str | None = refs[ref_start][0]
            if refs[ref_start][1] != coded.article.id:  # engines keep input order; never mislabel
                logger.warning("Engine returned %s where %s was expected", coded.article.id, refs[ref_start][1])
                ref = None
            ref_start += 1
            if ref_start > 1024:  # drop consumed refs now and then; the list stays short
                del refs[:ref_start]
                ref_start = 0
            pending.append((coded, ref))
            if len(pending) >= per_commit or time.monotonic() - last_commit >= COMMIT_SECONDS:
                commit()
        commit()
        status = "finished"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        if pending:  # the engine stopped (error, Ctrl-C): keep what was coded before it did
            left = len(pending)
            try:
                commit()
            except Exception:
                logger.warning("Could not store the last %d coded documents", left, exc_info=True)
        summary.elapsed = time.perf_counter() - started
        if bar is not None:
            bar.close()
        try:
            finish_run(
                store,
                summary.run_id,
                n_docs=summary.docs_read,
                n_present=summary.present,
                n_events=summary.events,
                n_failures=summary.failed,
                status=status,
            )
        except Exception:  # never hide the original error behind this one
            if status == "finished":
                raise
            logger.warning("Could not record the end of run %s", summary.run_id, exc_info=True)
    logger.info(
        "Ingested %d documents (%d stored, %d already present, %d failed, %d events) in %.1f s",
        summary.docs_read, summary.coded, summary.present, summary.failed, summary.events, summary.elapsed,
    )  # fmt: skip
    return summary
