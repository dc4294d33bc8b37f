"""Is this English? A cheap, deterministic check before a document is parsed.

Two tests, both on a sample of the text: the writing system (share of letters that are Latin:
Arabic, Chinese or Russian articles fail here) and, for Latin-script texts long enough to judge,
which language's function words it uses (spaCy's stop-word lists, words shared with English
left out of the others). A text is "not English" only when another language's function words
clearly dominate, so terse English such as Reuters' earnings tables ("Shr 34 cts vs 1.19 dlrs"),
which has few function words of any language, stays English. Short texts (headlines) are
judged by script only.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

__all__ = ["not_english", "LANGUAGES", "MIN_WORDS_FOR_WORD_TEST"]

SAMPLE_CHARS = 20_000
MIN_LATIN_SHARE = 0.6
MIN_WORDS_FOR_WORD_TEST = 12
MIN_OTHER_SHARE = 0.2
DOMINANCE = 1.5
LANGUAGES = ("fr", "es", "de", "it", "pt", "nl", "id", "tr", "pl", "sv", "da", "ro", "hr", "cs")
"""Latin-script languages whose function words are looked for (spaCy ``spacy.lang.<code>``)."""
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@lru_cache(maxsize=1)
def _stop_words() -> dict[str, frozenset[str]]:
    """Function words per language; other languages' lists lose every word English also has."""
    import importlib

    english = frozenset(importlib.import_module("spacy.lang.en.stop_words").STOP_WORDS)
    lists = {"en": english}
    for code in LANGUAGES:
        words = importlib.import_module(f"spacy.lang.{code}.stop_words").STOP_WORDS
        lists[code] = frozenset(w for w in words if w not in english and len(w) > 1)
    return lists


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else "UNKNOWN"


def not_english(text: str) -> str | None:
    """None when the text looks English, else a short description of what it looks like."""
    sample = text[:SAMPLE_CHARS]
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return None  # digits or symbols only: nothing to judge (the coder finds no events)
    scripts = Counter(_script(c) for c in letters)
    latin = scripts.get("LATIN", 0) / len(letters)
    if latin < MIN_LATIN_SHARE:
        main, count = scripts.most_common(1)[0]
        return f"{main.title()} script ({count / len(letters):.0%} of letters)"
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) < MIN_WORDS_FOR_WORD_TEST:
        return None
    shares = {code: sum(w in stop for w in words) / len(words) for code, stop in _stop_words().items()}
    english = shares.pop("en")
    other, share = max(shares.items(), key=lambda item: (item[1], item[0]))
    if share >= MIN_OTHER_SHARE and share > DOMINANCE * english:
        return f"Latin script, language '{other}' ({share:.0%} of words are its function words, {english:.0%} English ones)"
    return None
