"""Is this English? A cheap, deterministic check before a document is parsed.

Two tests, both on a sample of the text: the writing system (share of letters that are Latin:
Arabic, Chinese or Russian articles fail here) and, for Latin-script texts long enough to judge,
which language's function words it uses (spaCy's English stop-word list against our reviewed
lists in ``data/function_words.yaml``, which leave out every word English also has). A text is "not English" only when another language's function words
clearly dominate, so terse English such as Reuters' earnings tables ("Shr 34 cts vs 1.19 dlrs"),
which has few function words of any language, stays English. Short texts (headlines) are
judged by script only.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from newsevents.errors import Errors, NewsEventsError

__all__ = ["not_english", "LANGUAGES", "MIN_WORDS_FOR_WORD_TEST"]

SAMPLE_CHARS = 20_000
MIN_LATIN_SHARE = 0.6
MIN_WORDS_FOR_WORD_TEST = 12
MIN_OTHER_SHARE = 0.2
DOMINANCE = 1.5
LANGUAGES = ("fr", "es", "de", "it", "pt", "nl", "id", "tr", "pl", "sv", "da", "ro", "hr", "cs")
"""Latin-script languages whose function words are looked for (spaCy ``spacy.lang.<code>``)."""
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@lru_cache(maxsize=1)
def _stop_words() -> dict[str, frozenset[str]]:
    """Function words per language: spaCy's English list, our reviewed lists for the others.

    The other languages' lists (``data/function_words.yaml``) hold no word that English also
    has, so they only ever count evidence against English.
    """
    from importlib import resources

    from spacy.lang.en.stop_words import STOP_WORDS

    from newsevents.lexicon.schema import read_yaml  # YAML 1.2: "no", "on" stay words

    english = frozenset(STOP_WORDS)
    raw = read_yaml(resources.files("newsevents").joinpath("data/function_words.yaml").read_bytes())
    if not isinstance(raw, dict):
        raise NewsEventsError(Errors.E104, path="data/function_words.yaml", detail="expected a mapping")
    lists = {"en": english}
    for code in LANGUAGES:
        lists[code] = frozenset(str(w) for w in raw[code] if str(w) not in english)
    return lists


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else "UNKNOWN"


def not_english(text: str) -> str | None:
    """None when the text looks English, else a short description of what it looks like."""
    sample = text[:SAMPLE_CHARS]
    if not sample.isascii():  # ASCII letters are all Latin: only other texts need the script test
        ascii_letters = len(_ASCII_LETTER.findall(sample))
        others = [c for c in _NON_ASCII.findall(sample) if c.isalpha()]
        n_letters = ascii_letters + len(others)
        if not n_letters:
            return None  # digits or symbols only: nothing to judge (the coder finds no events)
        scripts = Counter(_script(c) for c in others)
        scripts["LATIN"] += ascii_letters
        latin = scripts["LATIN"] / n_letters
        if latin < MIN_LATIN_SHARE:
            main, count = scripts.most_common(1)[0]
            return f"{main.title()} script ({count / n_letters:.0%} of letters)"
    counts = Counter(_WORD.findall(sample.lower()))
    n_words = sum(counts.values())
    if n_words < MIN_WORDS_FOR_WORD_TEST:
        return None
    seen = counts.keys()
    shares = {code: sum(counts[w] for w in stop & seen) / n_words for code, stop in _stop_words().items()}
    english = shares.pop("en")
    other, share = max(shares.items(), key=lambda item: (item[1], item[0]))
    if share >= MIN_OTHER_SHARE and share > DOMINANCE * english:
        return f"Latin script, language '{other}' ({share:.0%} of words are its function words, {english:.0%} English ones)"
    return None
