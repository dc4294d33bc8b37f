"""Writer throughput with and without de-duplication, on synthetic coded documents.

    python benchmarks/dedup.py [--docs 2000] [--flat 5000] [--only sqlite,postgresql]
                               [--cases normal,heavy] [--json FILE]

No model: documents are built directly as ``CodedDoc``-like records (article + events +
entities) and written with :class:`newsevents.store.StoreWriter` into a fresh store, once with
the no-op hooks (``NO_DEDUP``) and once with :mod:`newsevents.dedup` (``default_hooks()``).

Synthetic corpus (fixed seed, so every run writes the same documents):

* ~250-word articles from a 6,000-word invented vocabulary, 40 outlets, publication dates
  advancing at ``--per-day`` documents a day (time-ordered ingest, as a news feed is);
* 3 events a document on average; each event reports a *story* (event type, CAMEO, actor and
  recipient country/sector with name variants, date, place with or without coordinates,
  sometimes a death toll that outlets disagree on). A story is picked from the recent ones
  with a popularity that decays with age, so most clusters get 1-5 mentions and a few get
  dozens ("normal");
* 8% of the documents are near-duplicate wire copies of an earlier one (new headline, same
  events) and go through MinHash LSH grouping;
* "heavy" adds one story mentioned by 30% of all documents (a war-sized cluster of thousands
  of mentions, with conflicting death tolls), the worst case for per-cluster work.

Reports docs/s (wall clock, and per CPU-second of the writer process, which is steadier on a
shared machine; SQLite does all its work in that process, PostgreSQL partly in the server) for
the whole run and for the first and the last 1,000 documents (``--flat``
documents, dedup only): per-document cost must not grow with the store or the cluster size.
PostgreSQL runs when ``$NEWSEVENTS_TEST_PG`` is set (a server URL; a throw-away database is
created and dropped).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy

from newsevents.model import (
    Actor,
    Article,
    DocError,
    Entity,
    EntityMention,
    Event,
    EventDate,
    Evidence,
    Place,
    Size,
    Span,
)
from newsevents.store import NO_DEDUP, StoreWriter, open_store
from newsevents.store.writer import default_hooks

START = dt.date(2024, 1, 1)
COUNTRIES = [
    ("ISR", "Israel", "Israeli"), ("PSE", "Palestine", "Palestinian"), ("UKR", "Ukraine", "Ukrainian"),
    ("RUS", "Russia", "Russian"), ("USA", "United States", "American"), ("CHN", "China", "Chinese"),
    ("IRN", "Iran", "Iranian"), ("SYR", "Syria", "Syrian"), ("LBN", "Lebanon", "Lebanese"),
    ("SDN", "Sudan", "Sudanese"), ("NGA", "Nigeria", "Nigerian"), ("MLI", "Mali", "Malian"),
    ("FRA", "France", "French"), ("DEU", "Germany", "German"), ("GBR", "United Kingdom", "British"),
    ("IND", "India", "Indian"), ("PAK", "Pakistan", "Pakistani"), ("AFG", "Afghanistan", "Afghan"),
    ("YEM", "Yemen", "Yemeni"), ("COD", "DR Congo", "Congolese"),
]  # fmt: skip
SECTORS = [("MIL", "forces", "army", "troops"), ("GOV", "government", "officials", "ministry"),
           ("REB", "militants", "rebels", "fighters"), ("CVL", "civilians", "residents", "villagers"),
           ("COP", "police", "security forces", "officers")]  # fmt: skip
TYPES = [("ASSAULT", "190", 4), ("ASSAULT", "183", 4), ("FIGHT", "193", 4), ("CONSULT", "040", 1),
         ("ACCUSE", "112", 3), ("PROTEST", "140", 3), ("AGREE", "057", 1), ("COERCE", "173", 4)]  # fmt: skip
QUALIFIERS = ["exact", "exact", "exact", "at_least", "about", "more_than"]
OUTLETS = [f"Outlet {i:02d}" for i in range(40)]


@dataclass(frozen=True)
class Coded:
    """Stands in for ``newsevents.pipeline.CodedDoc``."""

    article: Article
    events: list[Event] = field(default_factory=list)
    error: DocError | None = None
    entities: list[Entity] = field(default_factory=list)


@dataclass
class Story:
    event_type: str
    cameo: str
    quad: int
    actor: tuple[str, str, list[str]]  # country, sector, name variants
    recipient: tuple[str, str, list[str]] | None
    date: dt.date
    place: tuple[str, str, float | None, float | None] | None
    dead: int | None
    weight: float


def _side(rng: random.Random) -> tuple[str, str, list[str]]:
    code, name, adj = rng.choice(COUNTRIES)
    sector = rng.choice(SECTORS)
    names = [f"{adj} {sector[1]}", f"{adj} {sector[2]}", f"{adj} {sector[3]}"]
    if sector[0] == "GOV":
        names.append(name)
    return code, sector[0], names


def _story(rng: random.Random, day: dt.date, weight: float) -> Story:
    event_type, cameo, quad = rng.choice(TYPES)
    actor = _side(rng)
    recipient = _side(rng) if rng.random() < 0.85 else None
    place = None
    if rng.random() < 0.7:
        country = (recipient or actor)[0]
        if rng.random() < 0.6:
            place = (f"Town {rng.randrange(500)}", country, round(rng.uniform(-30, 50), 4),
                     round(rng.uniform(-20, 80), 4))  # fmt: skip
        else:
            place = (f"Region {rng.randrange(50)}", country, None, None)
    dead = rng.randrange(1, 60) if event_type in ("ASSAULT", "FIGHT") and rng.random() < 0.5 else None
    date = day - dt.timedelta(days=rng.choice([0, 0, 0, 1, 1, 2]))
    return Story(event_type, cameo, quad, actor, recipient, date, place, dead, weight)


def _actor(spec: tuple[str, str, list[str]], rng: random.Random, entity: str) -> Actor:
    country, sector, names = spec
    name = rng.choice(names)
    return Actor(text=name, name=name, country=country, sector=sector, start=0, end=len(name), entity_id=entity)


def _event(story: Story, doc_id: str, n: int, pub: dt.date, rng: random.Random) -> Event:
    event_id = hashlib.sha1(f"{doc_id}|{n}".encode()).hexdigest()[:20]
    precision = "day" if rng.random() < 0.8 else rng.choice(["unknown", "month"])
    value = story.date if precision == "day" else (pub if precision == "unknown" else story.date.replace(day=1))
    location = None
    if story.place is not None and rng.random() < 0.8:
        name, country, lat, lon = story.place
        location = Place(text=name, name=name, country=country, lat=lat, lon=lon,
                         feature="city" if lat is not None else "region")  # fmt: skip
    size = Size()
    if story.dead is not None and rng.random() < 0.7:
        dead = story.dead + (rng.choice([0, 0, 0, 2, 5]) if rng.random() < 0.3 else 0)
        size = Size(dead=dead, qualifiers={"dead": rng.choice(QUALIFIERS)})  # type: ignore[dict-item]
    sentence = f"Sentence {n} of {doc_id} describes what happened."
    return Event(
        doc_id=doc_id, event_id=event_id, event_type=story.event_type, cameo=story.cameo,
        quad_class=story.quad, goldstein=-5.0, actor=[_actor(story.actor, rng, "e1")],
        recipient=[_actor(story.recipient, rng, "e2")] if story.recipient else [],
        date=EventDate(value=value, precision=precision),  # type: ignore[arg-type]
        location=location, size=size,
        reported_by=Actor(text="officials", start=0, end=9) if rng.random() < 0.3 else None,
        evidence=Evidence(sentence=sentence, sentence_index=n, start=0, end=len(sentence),
                          trigger=Span(text="happened", start=0, end=8)),
        confidence=round(rng.uniform(0.3, 0.95), 3),
    )  # fmt: skip


def make_docs(n_docs: int, *, heavy: bool, per_day: int = 150, seed: int = 7) -> list[Coded]:
    """The synthetic coded documents (deterministic for a seed)."""
    rng = random.Random(seed)
    vocab = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
             for _ in range(6000)]  # fmt: skip
    stories: list[Story] = []
    big = _story(rng, START + dt.timedelta(days=3), 0.0)
    big.event_type, big.cameo, big.dead, big.place = "ASSAULT", "190", 40, ("Big City", "UKR", 48.5, 35.0)
    big.actor, big.recipient = ("RUS", "MIL", ["Russian forces", "Russian army", "Russian troops"]), (
        "UKR", "CVL", ["Ukrainian civilians", "residents of Big City"])
    docs: list[Coded] = []
    for i in range(n_docs):
        pub = START + dt.timedelta(days=i // per_day)
        doc_id = f"doc{i:07d}"
        source = rng.choice(OUTLETS)
        if docs and rng.random() < 0.08:  # wire copy of a recent article
            orig = docs[rng.randrange(max(0, len(docs) - 200), len(docs))]
            text = f"Headline {i} from {source}\n" + orig.article.text + "\nAll rights reserved."
            events = [e.model_copy(update={"doc_id": doc_id,
                                           "event_id": hashlib.sha1(f"{doc_id}|{k}".encode()).hexdigest()[:20]})
                      for k, e in enumerate(orig.events)]  # fmt: skip
        else:
            text = " ".join(rng.choice(vocab) for _ in range(250)) + f" ({doc_id})"
            events = []
            for k in range(rng.choice([1, 2, 3, 3, 4, 5])):
                if heavy and k == 0 and pub >= big.date and rng.random() < 0.3:
                    story = big
                elif not stories or rng.random() < 0.45:
                    story = _story(rng, pub, 1.0)
                    stories.append(story)
                else:
                    recent = [s for s in stories[-400:] if (pub - s.date).days <= 6]
                    story = rng.choices(recent, weights=[s.weight for s in recent])[0] if recent else _story(rng, pub, 1.0)
                    story.weight *= 0.7
                events.append(_event(story, doc_id, k, pub, rng))
            stories = stories[-2000:]
        ents = [Entity(doc_id=doc_id, entity_id="e1", name="X", kind="country",
                       mentions=[EntityMention(text="X", start=0, end=1)])]  # fmt: skip
        docs.append(Coded(Article(id=doc_id, text=text, date=pub, source=source), events, None, ents))
    return docs


# ---------------------------------------------------------------------------------------------


def _pg_database(server: str) -> Iterator[str]:
    name = "ne_bench_" + uuid.uuid4().hex[:10]
    admin_url = sqlalchemy.make_url(server).set(drivername="postgresql+psycopg")
    admin = sqlalchemy.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield admin_url.set(database=name, drivername="postgresql").render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


def run(url: str, docs: list[Coded], *, dedup: bool) -> dict[str, Any]:
    store = open_store(url)
    try:
        writer = StoreWriter(store, None, hooks=default_hooks() if dedup else NO_DEDUP)
        stamps = [time.perf_counter()]
        cpu = [time.process_time()]
        for doc in docs:
            writer.write(doc)
            stamps.append(time.perf_counter())
            cpu.append(time.process_time())
        with store.connect() as conn:
            n_clusters = conn.execute(sqlalchemy.text("SELECT count(*) FROM event_clusters")).scalar_one()
            biggest = conn.execute(sqlalchemy.text("SELECT max(num_mentions) FROM event_clusters")).scalar_one()
            n_dup = conn.execute(
                sqlalchemy.text("SELECT count(*) FROM articles WHERE dup_group <> article_id")
            ).scalar_one()
    finally:
        store.close()
    n = len(docs)
    k = min(1000, n // 2)
    out: dict[str, Any] = {
        "docs": n,
        "events": sum(len(d.events) for d in docs),
        "docs_per_s": n / (stamps[-1] - stamps[0]),
        f"first_{k}_docs_per_s": k / (stamps[k] - stamps[0]),
        f"last_{k}_docs_per_s": k / (stamps[-1] - stamps[-1 - k]),
        "docs_per_cpu_s": n / (cpu[-1] - cpu[0]),
        f"first_{k}_docs_per_cpu_s": k / (cpu[k] - cpu[0]),
        f"last_{k}_docs_per_cpu_s": k / (cpu[-1] - cpu[-1 - k]),
        "clusters": n_clusters,
        "largest_cluster": biggest,
        "near_duplicates": n_dup,
    }
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--flat", type=int, default=5000, help="documents for the flatness run (0: skip)")
    ap.add_argument("--per-day", type=int, default=150)
    ap.add_argument("--only", default="sqlite,postgresql")
    ap.add_argument("--cases", default="normal,heavy")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    backends = [b for b in args.only.split(",") if b]
    pg = os.environ.get("NEWSEVENTS_TEST_PG")
    results: list[dict[str, Any]] = []

    def bench(backend: str, case: str, n: int, dedup: bool) -> None:
        docs = make_docs(n, heavy=case == "heavy", per_day=args.per_day)
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                res = run(str(Path(tmp) / "bench.db"), docs, dedup=dedup)
        else:
            assert pg is not None
            gen = _pg_database(pg)
            url = next(gen)
            try:
                res = run(url, docs, dedup=dedup)
            finally:
                next(gen, None)
        res.update(backend=backend, case=case, dedup=dedup)
        results.append(res)
        k = min(1000, n // 2)
        print(
            f"{backend:10s} {case:6s} dedup={'yes' if dedup else 'no ':3s} docs={n:5d} "
            f"events={res['events']:6d}  {res['docs_per_s']:7.1f} docs/s  "
            f"first {k}: {res[f'first_{k}_docs_per_s']:7.1f}  last {k}: {res[f'last_{k}_docs_per_s']:7.1f}  "
            f"| per CPU-s {res['docs_per_cpu_s']:7.1f} (first {res[f'first_{k}_docs_per_cpu_s']:.1f}, "
            f"last {res[f'last_{k}_docs_per_cpu_s']:.1f})  "
            f"clusters={res['clusters']} largest={res['largest_cluster']} dups={res['near_duplicates']}",
            flush=True,
        )

    for backend in backends:
        if backend == "postgresql" and not pg:
            print("postgresql: skipped (set NEWSEVENTS_TEST_PG)", file=sys.stderr)
            continue
        for case in args.cases.split(","):
            bench(backend, case, args.docs, False)
            bench(backend, case, args.docs, True)
        if args.flat:
            bench(backend, "heavy", args.flat, True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
