"""Cost of coding one noun phrase with the built-in knowledge.

    python benchmarks/phrase_coder.py [--repeat 2000]

The entities stage reads every noun phrase of every article through ``code_phrase``, so its
cost per phrase sets much of what newsevents adds to bare spaCy. Phrases are written here (no
corpus needed): a long title + name, a demonym + role, a capital, an organisation alias, a
sponsored group and a phrase no entry covers. Prints microseconds per phrase for each, and the
mean (the target is under 2,000 µs for the longest).
"""

from __future__ import annotations

import argparse
import time

import spacy

from newsevents.knowledge import code_phrase
from newsevents.pipeline import DEFAULT_MODEL

PHRASES = [
    "Qatari Prime Minister and Foreign Minister Sheikh Mohammed bin Abdulrahman bin Jassim Al Thani",
    "the Syrian foreign minister",
    "Tel Aviv",
    "the Islamic State group",
    "an Iran-backed militia",
    "the new school building",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()
    nlp = spacy.load(DEFAULT_MODEL, exclude=["ner"])
    timings: list[float] = []
    for phrase in PHRASES:
        span = nlp(phrase)[:]
        code_phrase(span)  # warm the knowledge caches
        start = time.perf_counter()
        for _ in range(args.repeat):
            code_phrase(span)
        micro = (time.perf_counter() - start) / args.repeat * 1e6
        timings.append(micro)
        print(f"{micro:9.1f} µs  {phrase}")
    print(f"{sum(timings) / len(timings):9.1f} µs  mean; longest {max(timings):.1f} µs (target < 2000)")


if __name__ == "__main__":
    main()
