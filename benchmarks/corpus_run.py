"""Run whole corpora through ``newsevents ingest`` and count what happened.

    python benchmarks/corpus_run.py [--shared PATH] [--sets reuters bbc ...] [--limit N]
                                    [--db PATH] [--n-process N] [--json OUT]

For every chosen set of ``../shared/corpora`` (Reuters-21578, BBC, Guardian, the three
news_headlines files, both HTML sets) the script writes the documents in newsevents' input
format into a temporary folder (JSONL records reduced to id/text/date/title/url/source; HTML
pages linked as ``.html`` files), ingests them with :func:`newsevents.ingest.ingest` into one
store, and prints per set: documents read, stored, already present, events, failures by
(code, stage), crashes, elapsed seconds and docs/s, then the process's peak RSS.

A *crash* is an exception escaping :func:`ingest` (the set is then abandoned) or a document that
failed with E203 (an unexpected exception inside a pipeline stage, caught per document). Both
must stay at zero. ``--limit N`` takes N documents per set, evenly spread over the set (every
k-th record), so a sample sees the whole file. Corpus text is only ever written to the
temporary folder, which is deleted at the end; nothing of it is kept in the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]

JSONL_SETS: dict[str, str] = {
    "reuters": "reuters21578/articles.jsonl",
    "bbc": "bbc_news/articles.jsonl",
    "guardian": "guardian_sdf_sample/articles.jsonl",
    "agnews": "news_headlines/agnews_test.jsonl",
    "reddit": "news_headlines/fwd_reddit_headlines.jsonl",
    "plover": "news_headlines/plover_gsr_sentences.jsonl",
}
HTML_SETS: dict[str, str] = {
    "html_htmldate": "news_html_htmldate",
    "html_scrapinghub": "news_html_scrapinghub",
}
ALL_SETS = [*JSONL_SETS, *HTML_SETS]
FIELDS = ("id", "text", "date", "title", "url", "source")


def default_shared() -> Path:
    env = os.environ.get("NEWSEVENTS_SHARED")
    return Path(env) if env else REPO.parent / "shared"


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def _spread(total: int, limit: int | None) -> set[int] | None:
    """Indexes of ``limit`` records evenly spread over ``total`` (None: all)."""
    if limit is None or limit >= total:
        return None
    step = total / limit
    return {int(i * step) for i in range(limit)}


def _jsonl_records(path: Path, limit: int | None) -> Iterator[str]:
    """The set's records in newsevents' input format, one JSON line each."""
    keep = _spread(_count_lines(path), limit)
    index = -1
    with path.open("rb") as handle:
        for raw in handle:
            if not raw.strip():
                continue
            index += 1
            if keep is not None and index not in keep:
                continue
            record = json.loads(raw)
            # fields pass through untouched (wrong types would be reported by the reader)
            yield json.dumps({k: record.get(k) for k in FIELDS if record.get(k) is not None}, ensure_ascii=False)


def prepare(name: str, shared: Path, folder: Path, limit: int | None) -> tuple[Path, int]:
    """Write set ``name`` into ``folder`` in our input format; returns (input path, documents)."""
    corpora = shared / "corpora"
    if name in JSONL_SETS:
        target = folder / f"{name}.jsonl"
        n = 0
        with target.open("w", encoding="utf-8") as out:
            for line in _jsonl_records(corpora / JSONL_SETS[name], limit):
                out.write(line + "\n")
                n += 1
        return target, n
    base = corpora / HTML_SETS[name]
    rows = [json.loads(line) for line in (base / "index.jsonl").read_text("utf-8").splitlines() if line.strip()]
    keep = _spread(len(rows), limit)
    target = folder / name
    target.mkdir()
    n = 0
    for i, row in enumerate(rows):
        if keep is not None and i not in keep:
            continue
        source = base / row["file"]
        stem = Path(row["file"]).name
        link = target / (stem if stem.lower().endswith((".html", ".htm")) else stem + ".html")
        os.symlink(source.resolve(), link)
        n += 1
    return target, n


@dataclass
class SetResult:
    name: str
    documents: int = 0
    read: int = 0
    stored: int = 0
    present: int = 0
    events: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    crashes: int = 0
    crash_details: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "set": self.name,
            "documents": self.documents,
            "read": self.read,
            "stored": self.stored,
            "already_present": self.present,
            "events": self.events,
            "failures": dict(sorted(self.failures.items())),
            "crashes": self.crashes,
            "crash_details": self.crash_details[:10],
            "elapsed_s": round(self.elapsed, 1),
            "docs_per_s": round(self.read / self.elapsed, 2) if self.elapsed else 0.0,
        }


def peak_rss_mb() -> float:
    """Peak resident memory of this process and of its finished children (Linux: KiB units)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def run_set(name: str, source: Path, documents: int, store: Any, *, n_process: int, batch_size: int) -> SetResult:
    from newsevents.ingest import ingest

    result = SetResult(name, documents=documents)
    started = time.perf_counter()
    try:
        summary = ingest([str(source)], store, n_process=n_process, batch_size=batch_size, progress=False,
                         command=f"corpus_run {name}")  # fmt: skip
    except Exception as err:  # noqa: BLE001 - a crash is what this script counts
        result.crashes += 1
        result.crash_details.append("".join(traceback.format_exception_only(err)).strip())
        result.elapsed = time.perf_counter() - started
        return result
    result.elapsed = time.perf_counter() - started
    result.read = summary.docs_read
    result.stored = summary.coded
    result.present = summary.present
    result.events = summary.events
    for (code, stage), n in summary.failures.items():
        result.failures[f"{code}/{stage}"] += n
        if code == "E203":
            result.crashes += n
    if result.crashes:
        from sqlalchemy import select

        from newsevents.store import schema

        with store.connect() as conn:
            rows = conn.execute(
                select(schema.failures.c.doc_id, schema.failures.c.message)
                .where(schema.failures.c.code == "E203", schema.failures.c.run_id == summary.run_id)
                .limit(10)
            ).all()
        result.crash_details.extend(f"{r.doc_id}: {r.message[:300]}" for r in rows)
    return result


def render(results: list[SetResult], rss: float) -> str:
    head = f"{'set':<18}{'docs':>7}{'stored':>8}{'present':>8}{'events':>8}{'failed':>8}{'crash':>6}{'sec':>8}{'docs/s':>8}"
    lines = [head, "-" * len(head)]
    for r in results:
        d = r.as_dict()
        lines.append(
            f"{r.name:<18}{r.read:>7}{r.stored:>8}{r.present:>8}{r.events:>8}{sum(r.failures.values()):>8}"
            f"{r.crashes:>6}{d['elapsed_s']:>8}{d['docs_per_s']:>8}"
        )
    total = SetResult("total")
    for r in results:
        total.read += r.read
        total.stored += r.stored
        total.present += r.present
        total.events += r.events
        total.failures.update(r.failures)
        total.crashes += r.crashes
        total.elapsed += r.elapsed
    d = total.as_dict()
    lines.append("-" * len(head))
    lines.append(
        f"{'total':<18}{total.read:>7}{total.stored:>8}{total.present:>8}{total.events:>8}"
        f"{sum(total.failures.values()):>8}{total.crashes:>6}{d['elapsed_s']:>8}{d['docs_per_s']:>8}"
    )
    lines.append("failures by reason (code/stage):")
    for r in results:
        if r.failures:
            lines.append(f"  {r.name}: " + ", ".join(f"{k} {v}" for k, v in sorted(r.failures.items())))
    for r in results:
        for detail in r.crash_details:
            lines.append(f"  CRASH {r.name}: {detail}")
    lines.append(f"peak RSS: {rss:,.0f} MB")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=default_shared(), help="folder holding corpora/")
    parser.add_argument("--sets", nargs="+", choices=ALL_SETS, default=ALL_SETS)
    parser.add_argument("--limit", type=int, default=None, help="documents per set (evenly spread)")
    parser.add_argument("--db", default=None, help="store to ingest into (default: a temporary SQLite file)")
    parser.add_argument("--n-process", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--json", type=Path, default=None, help="also write the results as JSON here")
    args = parser.parse_args(argv)

    if not (args.shared / "corpora").is_dir():
        sys.stderr.write(f"no corpora under {args.shared}; pass --shared PATH\n")
        return 2
    import logging

    logging.basicConfig(level=logging.ERROR)
    from newsevents.store import open_store

    results: list[SetResult] = []
    with tempfile.TemporaryDirectory(prefix="newsevents-corpus-") as tmp:
        folder = Path(tmp)
        db = args.db or str(folder / "corpus.db")
        with open_store(db) as store:
            for name in args.sets:
                source, n = prepare(name, args.shared, folder, args.limit)
                sys.stderr.write(f"{name}: {n} documents ...\n")
                result = run_set(name, source, n, store, n_process=args.n_process, batch_size=args.batch_size)
                results.append(result)
                sys.stderr.write(json.dumps(result.as_dict()) + "\n")
    rss = peak_rss_mb()
    sys.stdout.write(render(results, rss) + "\n")
    if args.json is not None:
        payload = {"limit": args.limit, "n_process": args.n_process, "peak_rss_mb": round(rss),
                   "sets": [r.as_dict() for r in results]}  # fmt: skip
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 1 if any(r.crashes for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
