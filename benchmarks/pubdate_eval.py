"""Publication dates from HTML: newsevents beside plain trafilatura and htmldate.

Reads ../shared/corpora/news_html_htmldate (106 news pages with gold publication dates), runs
newsevents' own HTML reader (``newsevents.inputs.read_inputs``, which is what ``newsevents code``
and ``newsevents ingest`` use) and, on the same pages, trafilatura's extracted date and htmldate
with its default settings, then prints exact-date accuracy for each. Target: >= 0.95 exact.

    python benchmarks/pubdate_eval.py [--shared PATH] [--show-misses]
"""

from __future__ import annotations

import argparse
import json
import os
import warnings
from pathlib import Path

TARGET = 0.95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("NEWSEVENTS_SHARED", "../shared")))
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    root = args.shared / "corpora" / "news_html_htmldate"
    index = root / "index.jsonl"
    if not index.exists():
        raise SystemExit(f"{index} not found; pass --shared PATH (the folder that holds corpora/)")
    warnings.simplefilter("ignore")
    import htmldate
    import trafilatura

    from newsevents.inputs import read_inputs
    from newsevents.model import Article

    rows = [json.loads(line) for line in index.read_text().splitlines() if line.strip()]
    rows = [r for r in rows if r.get("gold_date")]
    hits = {"newsevents": 0, "trafilatura": 0, "htmldate (defaults)": 0}
    misses: list[str] = []
    for row in rows:
        path = root / row["file"]
        html = path.read_bytes().decode("utf-8", "replace")
        gold = row["gold_date"]
        ours = next(iter(read_inputs([str(path)])))
        ours_date = ours.date.isoformat() if isinstance(ours, Article) and ours.date else None
        extracted = trafilatura.bare_extraction(html, with_metadata=True)
        traf = getattr(extracted, "date", None) if extracted is not None else None
        plain = htmldate.find_date(html, url=row.get("url"))
        for name, found in (("newsevents", ours_date), ("trafilatura", traf), ("htmldate (defaults)", plain)):
            hits[name] += found == gold
        if ours_date != gold:
            misses.append(f"  {row['file']}: gold {gold}, newsevents {ours_date}")
    n = len(rows)
    print(f"Publication date, exact day, {n} pages with gold dates (news_html_htmldate)")
    for name, count in hits.items():
        print(f"  {name:<22} {count:>4}/{n}  {count / n:.3f}")
    score = hits["newsevents"] / n
    print(f"target >= {TARGET:.2f}: {'met' if score >= TARGET else 'NOT met'} ({score:.3f})")
    if args.show_misses:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
