"""Code documents on a Dask cluster: :class:`DaskEngine`.

How a run goes:

1. The first call to :meth:`DaskEngine.code` (or :meth:`DaskEngine.start`) starts a
   ``distributed.LocalCluster`` (worker *processes*, ``threads_per_worker`` threads each; one
   by default, because spaCy holds the GIL) or connects a ``Client`` to ``scheduler``.
   Each worker then loads the pipeline once: :func:`newsevents.pipeline.load` is cached per
   process, and a warm-up task per worker pays that cost before the first batch; the same
   task reports the versions the workers code with (:meth:`DaskEngine.versions`).
2. The driver cuts the input into batches of ``batch_size`` articles and submits one task per
   batch, keeping at most ``max_in_flight`` (default 3 × the cluster's worker threads) batches'
   worth of articles in flight: the input is read lazily and memory stays flat however long it
   is. The end of the input is cut into smaller batches (:func:`_batches`), so that the
   workers finish together instead of one coding a last long batch while the others idle.
3. A task codes its batch and writes a Parquet shard (:mod:`newsevents.engines.shards`) into
   ``shard_dir``; it returns only the shard's path, so results never pass through the
   scheduler.
4. The driver waits for the *oldest* task, reads its shard, yields its ``CodedDoc`` results in
   input order and deletes the shard. The single writer (``newsevents.ingest``) stores them.

Failures: a document that fails to code comes back as a ``CodedDoc`` with ``error`` set, as
with :class:`~newsevents.engines.LocalEngine`. When a worker process dies (crash, out-of-memory
kill, lost node), the scheduler re-runs its tasks on other workers, up to
``distributed.scheduler.allowed-failures`` times (default 3); shards are written atomically,
so a re-run never leaves half a file. If a batch still cannot be coded, its documents are
re-submitted one per task, and only the document that keeps killing workers comes back with
error E702. Any other task failure (model not installed on a worker, version mismatch) stops the
run with E705. The cluster this engine started is closed whatever happens, including Ctrl-C.

Worker memory: Dask's nanny sets ``MALLOC_TRIM_THRESHOLD_=65536`` in the environment of every
worker process it spawns (``distributed.nanny.pre-spawn-environ``). Setting that variable at
all switches off glibc's dynamic mmap threshold, so every allocation over 128 KiB (spaCy's
arrays) becomes an mmap/munmap pair with fresh page faults, and a worker codes more slowly
than a plain Python process. This engine overrides the setting while it starts its
``LocalCluster``: by default the variable is left unset, so workers allocate exactly like a
plain process (``benchmarks/ingest.py`` measures both). It also switches off the workers' statistical
profiler, which walks every thread's stack 100 times a second. For workers you start yourself,
see ``docs/scale-out.md``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import tempfile
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import Any

from newsevents.engines.memory import malloc_trim, process_memory
from newsevents.engines.shards import read_shard, warm_reader, write_shard
from newsevents.errors import Errors, NewsEventsError
from newsevents.model import Article, DocError
from newsevents.pipeline import DEFAULT_MODEL, CodedDoc, code_many

__all__ = ["PIPE_BATCH_SIZE", "SHARD_DIR_ENV", "DaskEngine", "process_memory"]

PIPE_BATCH_SIZE = 16
"""Default spaCy batch inside a task. Measured on 200 BBC + Reuters articles: a worker peaks at
about 525 MB with 16 and 630 MB with 32 (spaCy's per-batch arrays), for about 2% more CPU."""

SHARD_DIR_ENV = "NEWSEVENTS_SHARD_DIR"
"""Environment variable naming the default shard directory (e.g. on a cluster's shared disk)."""

logger = logging.getLogger(__name__)

_WARM_UP_ARTICLE = Article(
    id="newsevents-warm-up",
    text="The prime minister of Norway met the Kenyan foreign minister in Oslo on Tuesday.",
    date=dt.date(2024, 1, 2),
)


class _TaskFailedError(Exception):
    """A newsevents error raised inside a task, in a form that pickles back to the driver."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message


# -- functions that run on the workers --------------------------------------------------------


def _code_batch(
    articles: list[Article],
    model: str,
    lexicon_dir: str | None,
    batch_size: int,
    dictionaries: tuple[str, ...] = (),
) -> list[CodedDoc]:
    try:
        return list(
            code_many(
                articles,
                n_process=1,
                batch_size=batch_size,
                model=model,
                lexicon_dir=lexicon_dir,
                dictionaries=dictionaries,
            )
        )
    except NewsEventsError as exc:  # the pipeline could not be loaded: no document can be coded
        raise _TaskFailedError(exc.code, str(exc)) from None


def _code_shard(
    articles: list[Article],
    path: str,
    model: str,
    lexicon_dir: str | None,
    batch_size: int,
    trim: bool = False,
    dictionaries: tuple[str, ...] = (),
) -> str:
    """Dask task: code one batch and write it to the shard at ``path``; returns ``path``."""
    write_shard(_code_batch(articles, model, lexicon_dir, batch_size, dictionaries), path)
    if trim:
        malloc_trim()
    return path


def _warm_up(model: str, lexicon_dir: str | None, dictionaries: tuple[str, ...] = ()) -> dict[str, str]:
    """Dask task: load the pipeline in this worker, code one sentence, write (and drop) a shard;
    returns the versions this worker codes with (:func:`_worker_versions`).

    Loading spaCy and importing pyarrow cost a few seconds of CPU once per process; paying them
    here keeps them out of the first batches. Reading the versions here too spares the run a
    round trip (and the worker a few hundred milliseconds) once documents are flowing.
    """
    results = _code_batch([_WARM_UP_ARTICLE], model, lexicon_dir, 1, dictionaries)
    with tempfile.TemporaryDirectory(prefix="newsevents-warm-up-") as tmp:
        read_shard(write_shard(results, Path(tmp) / "warm-up.parquet"))
    return _worker_versions()


def _worker_versions() -> dict[str, str]:
    """Dask task: the versions this worker codes with."""
    from newsevents.cli_support import versions

    return versions()


# -- the engine -------------------------------------------------------------------------------


QUIET_MONITORING: dict[str, object] = {
    # how often each server times its own event loop (only for "event loop was unresponsive"
    # warnings and a dashboard metric; the warning threshold, tick.limit, stays 3 s): 20 ms
    "distributed.admin.tick.interval": "1s",
    # CPU/memory/network samples for the dashboard: 500 ms
    "distributed.admin.system-monitor.interval": "2s",
    # spill/pause/terminate checks against the memory limit: 100 ms (a spaCy batch's memory
    # grows over seconds, not milliseconds)
    "distributed.worker.memory.monitor-interval": "500ms",
}
"""Dask settings for a quieter LocalCluster (see :meth:`DaskEngine.dask_config`); workers that
you start yourself can be given the same settings (``docs/scale-out.md``)."""

TAIL_SPLIT = 4
"""The last batches of the input are cut into pieces of ``batch_size / TAIL_SPLIT`` articles."""


def _batches(articles: Iterator[Article], size: int, threads: Callable[[], int]) -> Iterator[list[Article]]:
    """Batches of ``size`` articles, except at the end of the input, which is cut finer.

    Workers take tasks as they become free, so a run ends within about one task of the first
    worker to run out of work: with whole batches, one worker may code a long last batch alone
    while the others idle. So the last ``threads()`` full batches (one per worker thread) and
    the rest after them are cut into pieces of ``ceil(size / TAIL_SPLIT)`` articles, and the
    workers finish within about one piece of each other. To see where the input ends, it is
    read that many batches ahead (the engine keeps more than that in flight anyway). Results
    do not depend on how the input is cut.
    """
    held: deque[list[Article]] = deque()
    while True:
        batch = list(islice(articles, size))
        if len(batch) == size:
            held.append(batch)
            while len(held) > max(1, threads()):
                yield held.popleft()
            continue
        rest = [article for full in held for article in full] + batch
        piece = max(1, -(-size // TAIL_SPLIT))
        for first in range(0, len(rest), piece):
            yield rest[first : first + piece]
        return




IN_FLIGHT_PER_THREAD = 3
"""Batches in flight per worker thread: enough that a worker always has its next batch queued
while the driver (which, with a LocalCluster, also runs the scheduler) reads and writes."""


class _InFlightLimit:
    """How many batches (of ``batch_size`` articles) may be in flight: ``max_in_flight``, else
    3 × the worker threads.

    The worker count is re-read every few seconds (each reading is a round trip to the
    scheduler), so workers that join a running scheduler (an adaptive SLURM or Kubernetes
    cluster) get work too.
    """

    REFRESH_SECONDS = 5.0

    def __init__(self, engine: DaskEngine) -> None:
        self.engine = engine
        self.checked = -self.REFRESH_SECONDS
        self.known = 1

    def threads(self) -> int:
        """The cluster's worker threads, as last read."""
        now = time.monotonic()
        if now - self.checked >= self.REFRESH_SECONDS:
            self.known = max(1, self.engine.worker_threads())
            self.checked = now
        return self.known

    def value(self) -> int:
        if self.engine.max_in_flight:
            return max(1, self.engine.max_in_flight)
        return IN_FLIGHT_PER_THREAD * self.threads()


class DaskEngine:
    """Code articles on a Dask cluster, in input order (see the module docstring).

    ``scheduler``: address of a running scheduler (``tcp://host:8786``); ``None`` starts a
    ``LocalCluster`` of ``n_workers`` worker processes with ``threads_per_worker`` threads.
    ``shard_dir``: where workers write their Parquet shards (each is deleted once read, unless
    ``keep_shards``); default ``$NEWSEVENTS_SHARD_DIR``, else a temporary directory removed
    afterwards. With a remote scheduler it must be a path that the workers and this machine
    share. ``max_in_flight``: batches submitted ahead (default 3 × worker threads).
    ``batch_size``: articles per task (and per shard); ``pipe_batch_size``: spaCy's batch inside
    a task (default ``min(batch_size, 16)``, which bounds a worker's peak memory). Results do not
    depend on either. ``trim_memory``: give the heap's free pages back to the OS after each task
    (glibc ``malloc_trim``): resident memory then stays near what a worker really uses, at
    about 2–3% more CPU (the pages are faulted in again by the next batch). Off by default.
    ``malloc_trim_threshold``: the ``MALLOC_TRIM_THRESHOLD_`` the LocalCluster's nanny gives its
    workers; ``None`` (default) leaves it unset, as in a plain process. ``dashboard_address``:
    serve the LocalCluster's dashboard there (e.g. ``"127.0.0.1:8787"``, needs bokeh); off by
    default. ``profile``: keep Dask's statistical profiler in the workers (it samples every
    thread's stack every 10 ms while holding the GIL; off by default). ``start_timeout``:
    seconds to wait for the workers to come up and load the model before giving up with
    ``E704`` (default 300), so a cluster whose workers die at start never hangs a run.
    ``dictionaries``: PETRARCH/CAMEO dictionary files the workers' coder consults (paths as
    the workers see them).

    Constructing the engine does nothing else. :meth:`code` starts the cluster on first use and
    shuts it down when the stream ends, unless the engine was started explicitly
    (``with DaskEngine(...) as engine:`` or :meth:`start`), in which case the cluster is
    reused until :meth:`close`.
    """

    def __init__(
        self,
        scheduler: str | None = None,
        n_workers: int = 2,
        batch_size: int = 32,
        shard_dir: Path | None = None,
        threads_per_worker: int = 1,
        *,
        model: str = DEFAULT_MODEL,
        lexicon_dir: str | None = None,
        max_in_flight: int | None = None,
        memory_limit: str | float | None = "auto",
        malloc_trim_threshold: int | None = None,
        keep_shards: bool = False,
        warm_up: bool = True,
        dashboard_address: str | None = None,
        profile: bool = False,
        trim_memory: bool = False,
        pipe_batch_size: int | None = None,
        start_timeout: float = 300.0,
        dictionaries: tuple[str, ...] = (),
    ) -> None:
        self.dictionaries = tuple(str(d) for d in dictionaries)
        self.scheduler = scheduler or None
        self.start_timeout = max(1.0, start_timeout)
        self.n_workers = max(1, n_workers)
        self.batch_size = max(1, batch_size)
        if shard_dir is None and os.environ.get(SHARD_DIR_ENV):
            shard_dir = Path(os.environ[SHARD_DIR_ENV])
        self.shard_dir = Path(shard_dir) if shard_dir is not None else None
        self.threads_per_worker = max(1, threads_per_worker)
        self.model = model
        self.lexicon_dir = lexicon_dir
        self.max_in_flight = max_in_flight
        self.memory_limit = memory_limit
        self.malloc_trim_threshold = malloc_trim_threshold
        self.keep_shards = keep_shards
        self.warm_up = warm_up
        self.dashboard_address = dashboard_address
        self.profile = profile
        self.trim_memory = trim_memory
        self.pipe_batch_size = (
            max(1, pipe_batch_size) if pipe_batch_size else min(self.batch_size, PIPE_BATCH_SIZE)
        )
        self._client: Any = None
        self._versions: dict[str, str] | None = None
        self._started_for_versions = False
        self._cluster: Any = None

    def __repr__(self) -> str:
        where = self.scheduler or f"LocalCluster(n_workers={self.n_workers})"
        return f"DaskEngine({where}, batch_size={self.batch_size})"

    # -- lifecycle ----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._client is not None

    @property
    def client(self) -> Any:
        """The ``distributed.Client`` (starts the cluster if needed)."""
        self.start()
        return self._client

    def dask_config(self) -> dict[str, object]:
        """Dask settings applied while the LocalCluster starts (its scheduler and nannies read
        them then, and the nannies pass them on to the workers they start).

        Besides the allocator and profiler settings, the periodic self-checks are slowed down
        (:data:`QUIET_MONITORING`). With Dask's defaults the scheduler, every nanny and every
        worker wake up 50 times a second to time their own event loop, and a worker takes the
        GIL from the coding thread each time; measured on an idle two-worker cluster, this
        process (scheduler, nannies, client) then used 2.8% of a core and each worker 1.2-1.5%,
        against 0.5% and 0.2% with these settings.
        """
        value = None if self.malloc_trim_threshold is None else str(self.malloc_trim_threshold)
        return {
            "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": value,
            "distributed.worker.profile.enabled": self.profile,
            **QUIET_MONITORING,
        }

    def start(self) -> None:
        """Start the LocalCluster, or connect to the scheduler; then warm the workers up."""
        if self._client is not None:
            return
        import dask
        from distributed import Client, LocalCluster

        where = self.scheduler or "LocalCluster"
        cluster: Any = None
        client: Any = None
        try:
            if self.scheduler is not None:
                client = Client(self.scheduler, set_as_default=False)  # type: ignore[no-untyped-call]
            else:
                if self.malloc_trim_threshold is None and "MALLOC_TRIM_THRESHOLD_" in os.environ:
                    logger.warning(
                        "MALLOC_TRIM_THRESHOLD_ is set in this process's environment; "
                        "Dask workers will inherit it"
                    )
                with dask.config.set(self.dask_config()):
                    cluster = LocalCluster(  # type: ignore[no-untyped-call]
                        n_workers=self.n_workers,
                        threads_per_worker=self.threads_per_worker,
                        processes=True,
                        host="127.0.0.1",
                        dashboard_address=self.dashboard_address,
                        # without a dashboard the scheduler still serves /health and metrics:
                        # on a free loopback port, not on 8787 (which another cluster may hold)
                        scheduler_kwargs=(
                            {} if self.dashboard_address else {"dashboard_address": "127.0.0.1:0"}
                        ),
                        memory_limit=self.memory_limit,
                    )
                client = Client(cluster, set_as_default=False)  # type: ignore[no-untyped-call]
                client.wait_for_workers(self.n_workers, timeout=self.start_timeout)
            self._client, self._cluster = client, cluster
            if self.warm_up:
                self._warm_up_workers()
        except (OSError, TimeoutError) as exc:
            self._client, self._cluster = client, cluster
            self.close()
            raise NewsEventsError(
                Errors.E704, where=where, detail=f"{type(exc).__name__}: {exc}"
            ) from exc
        except BaseException:
            self._client, self._cluster = client, cluster
            self.close()
            raise
        logger.info("dask engine started: %s, %d worker threads", where, self.worker_threads())

    def close(self) -> None:
        """Close the client, and the cluster if this engine started it. Safe to call twice."""
        client, cluster = self._client, self._cluster
        self._client = self._cluster = None
        if client is not None:
            try:
                client.close()
            except (OSError, RuntimeError, TimeoutError) as exc:
                logger.warning("closing the dask client failed: %s", exc)
        if cluster is not None:
            try:
                cluster.close()
            except (OSError, RuntimeError, TimeoutError) as exc:
                logger.warning("closing the dask cluster failed: %s", exc)

    def __enter__(self) -> DaskEngine:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _workers(self) -> dict[str, Any]:
        workers: dict[str, Any] = self._client.scheduler_info(n_workers=-1).get("workers", {})
        return workers

    def worker_threads(self) -> int:
        """Worker threads connected to the scheduler now (``n_workers × threads`` if none yet)."""
        if self._client is None:
            return self.n_workers * self.threads_per_worker
        threads = sum(int(info.get("nthreads", 1)) for info in self._workers().values())
        return threads or self.n_workers * self.threads_per_worker

    def versions(self) -> dict[str, str]:
        """Versions of newsevents, spaCy, the model and the data as a worker sees them.

        Read on a worker, where the pipeline is already loaded: that is what codes the documents
        (on a cluster it may be another installation), and the driver does not have to parse the
        lexicon and knowledge files just to name their versions. Starts the cluster if needed;
        the next :meth:`code` stream closes it again when it started it.
        """
        if self._versions is None:
            if self._client is None:
                self.start()
                self._started_for_versions = True
            future = self._client.submit(_worker_versions, pure=False)
            self._versions = dict(future.result())
        return dict(self._versions)

    def _warm_up_workers(self) -> None:
        token = uuid.uuid4().hex[:12]
        futures = [
            self._client.submit(
                _warm_up,
                self.model,
                self.lexicon_dir,
                self.dictionaries,
                workers=[address],
                allow_other_workers=False,
                pure=False,
                key=f"newsevents-warm-up-{token}-{n}",
            )
            for n, address in enumerate(self._workers())
        ]
        deadline = time.monotonic() + self.start_timeout
        try:
            # a TimeoutError here becomes E704 in start(): workers that died never hang a run
            found = [f.result(timeout=max(0.01, deadline - time.monotonic())) for f in futures]
        except _TaskFailedError as exc:
            raise NewsEventsError(Errors.E705, detail=str(exc)) from None
        if found and self._versions is None:
            self._versions = dict(found[0])
        # the driver reads the shards: pay pyarrow's import now, not during the first batch
        warm_reader()

    def worker_memory(self) -> dict[str, dict[str, int]]:
        """Per worker address: ``pid``, ``rss`` and peak ``hwm`` in bytes (Linux; empty elsewhere)."""
        if self._client is None:
            return {}
        memory: dict[str, dict[str, int]] = self._client.run(process_memory)
        return memory

    # -- coding -------------------------------------------------------------------------------

    def code(self, articles: Iterable[Article]) -> Iterator[CodedDoc]:
        """Yield one :class:`CodedDoc` per article, in input order."""
        owned = self._client is None or self._started_for_versions
        self._started_for_versions = False
        if self._client is None:
            self.start()
        shard_dir: Path | None = None
        temporary = False
        client = self._client
        token = uuid.uuid4().hex[:12]
        pending: deque[tuple[Any, list[Article], Path]] = deque()
        stream = iter(articles)
        try:
            if self.shard_dir is not None:
                self.shard_dir.mkdir(parents=True, exist_ok=True)
                shard_dir = self.shard_dir
            else:
                if self.scheduler is not None:
                    logger.warning(
                        "no shard directory given: shards go to a temporary directory on this "
                        "machine, which workers on other hosts cannot reach (pass shard_dir)"
                    )
                shard_dir, temporary = Path(tempfile.mkdtemp(prefix="newsevents-shards-")), True
            limit = _InFlightLimit(self)
            in_flight = 0
            for seq, batch in enumerate(_batches(stream, self.batch_size, limit.threads)):
                path = shard_dir / f"{token}-{seq:08d}.parquet"
                key = f"newsevents-code-{token}-{seq:08d}"
                pending.append((self._submit(client, batch, path, key), batch, path))
                in_flight += len(batch)
                # counted in articles, so the small batches at the end fill the same window
                while in_flight >= limit.value() * self.batch_size:
                    future, done, done_path = pending.popleft()
                    in_flight -= len(done)
                    yield from self._collect(client, future, done, done_path)
            while pending:
                yield from self._collect(client, *pending.popleft())
        finally:
            if pending:
                try:
                    client.cancel([future for future, _, _ in pending])
                except (OSError, RuntimeError, TimeoutError) as exc:
                    logger.warning("cancelling pending dask tasks failed: %s", exc)
                pending.clear()
            if shard_dir is None:
                pass
            elif temporary:
                shutil.rmtree(shard_dir, ignore_errors=True)
            elif not self.keep_shards:  # shards of tasks that finished after an early stop
                for leftover in shard_dir.glob(f"{token}-*.parquet"):
                    leftover.unlink(missing_ok=True)
            if owned:
                self.close()

    def _submit(self, client: Any, batch: list[Article], path: Path, key: str) -> Any:
        return client.submit(
            _code_shard,
            batch,
            str(path),
            self.model,
            self.lexicon_dir,
            self.pipe_batch_size,
            self.trim_memory,
            self.dictionaries,
            key=key,
            pure=False,
        )

    def _collect(
        self, client: Any, future: Any, batch: list[Article], path: Path
    ) -> Iterator[CodedDoc]:
        from distributed import KilledWorker

        try:
            shard = future.result()
        except KilledWorker as exc:
            logger.warning(
                "batch %s lost with its workers (%s); re-submitting it one document per task",
                path.name,
                exc,
            )
            yield from self._isolate(client, batch, path)
            return
        except _TaskFailedError as exc:
            raise NewsEventsError(Errors.E705, detail=str(exc)) from None
        finally:
            future.release()
        yield from self._read(shard, batch)

    def _read(self, shard: str, batch: list[Article]) -> list[CodedDoc]:
        try:
            results = read_shard(shard)
        except OSError as exc:
            raise NewsEventsError(
                Errors.E703, path=shard, detail=f"{type(exc).__name__}: {exc}"
            ) from exc
        if [r.article.id for r in results] != [a.id for a in batch]:
            raise NewsEventsError(
                Errors.E703, path=shard, detail="its documents are not the batch that was sent"
            )
        if not self.keep_shards:
            Path(shard).unlink(missing_ok=True)
        return results

    def _isolate(self, client: Any, batch: list[Article], path: Path) -> Iterator[CodedDoc]:
        import dask
        from distributed import KilledWorker

        attempts = int(dask.config.get("distributed.scheduler.allowed-failures", 3)) + 1
        stem = path.name.removesuffix(".parquet")
        singles = []
        for n, article in enumerate(batch):
            single = path.with_name(f"{stem}-{n:04d}.parquet")
            singles.append(
                (
                    self._submit(client, [article], single, f"newsevents-code-{stem}-{n:04d}"),
                    article,
                )
            )
        for future, article in singles:
            try:
                shard = future.result()
            except KilledWorker as exc:
                message = Errors.E702.format(doc_id=article.id, attempts=attempts, detail=str(exc))
                yield CodedDoc(
                    article,
                    [],
                    DocError(doc_id=article.id, code="E702", stage="engine", message=message),
                )
                continue
            except _TaskFailedError as exc:
                raise NewsEventsError(Errors.E705, detail=str(exc)) from None
            finally:
                future.release()
            yield from self._read(shard, [article])
