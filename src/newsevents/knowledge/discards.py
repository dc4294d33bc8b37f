"""Bring-your-own discard lists: PETRARCH ``discards`` files.

A discard file lists phrases that mark text as out of scope for event coding: sports results
("AFRICAN NATIONS CUP"), weather ("+TYPHOON"), history ("1945"). A phrase with a leading ``+``
discards the whole story; any other phrase discards the sentence it occurs in. Comments run
from ``#`` to the end of the line. Phrases match case-insensitively on whole words, with ``_``
or spaces between words::

    +World Golf Championships   # the story is about golf: no events from any sentence
    BASEBALL                    # this sentence is about baseball: no events from it

A file is read as a discard file when its name contains "discard". A file that cannot be
opened raises ``E107``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from newsevents.errors import Errors, NewsEventsError
from newsevents.knowledge._files import FileKey, file_keys

__all__ = ["Discards", "is_discard_file", "load_discards", "parse_discards"]


@dataclass(frozen=True, slots=True)
class Discards:
    """Compiled story-level and sentence-level discard phrases."""

    story: re.Pattern[str] | None
    sentence: re.Pattern[str] | None
    digest: str

    def story_hit(self, text: str) -> str | None:
        """The story-level phrase found in ``text``, if any."""
        m = self.story.search(text) if self.story is not None else None
        return m.group(0) if m else None

    def sentence_hit(self, text: str) -> str | None:
        """The sentence-level (or story-level) phrase found in ``text``, if any."""
        for pattern in (self.sentence, self.story):
            m = pattern.search(text) if pattern is not None else None
            if m:
                return m.group(0)
        return None


def is_discard_file(path: str | Path) -> bool:
    return "discard" in Path(path).name.lower()


def _compile(phrases: Iterable[str]) -> re.Pattern[str] | None:
    parts = sorted({p for p in phrases if p}, key=len, reverse=True)
    if not parts:
        return None
    alternation = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in parts)
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)


def parse_discards(text: str) -> tuple[list[str], list[str]]:
    """(story phrases, sentence phrases) of a discard file's text."""
    story: list[str] = []
    sentence: list[str] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        target = story if line.startswith("+") else sentence
        phrase = " ".join(line.lstrip("+").replace("_", " ").split())
        if phrase:
            target.append(phrase)
    return story, sentence


@lru_cache(maxsize=4)
def _load(files: tuple[FileKey, ...]) -> Discards:
    story: list[str] = []
    sentence: list[str] = []
    digest = hashlib.sha256()
    for path, _, _ in files:
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise NewsEventsError(Errors.E107, path=path, detail=exc.strerror or str(exc)) from exc
        digest.update(raw)
        s, t = parse_discards(raw.decode("utf-8", errors="replace"))
        story += s
        sentence += t
    return Discards(story=_compile(story), sentence=_compile(sentence), digest=digest.hexdigest()[:16])


def load_discards(paths: Iterable[str | Path]) -> Discards:
    """Read discard files once per process (re-read when a file changes)."""
    return _load(file_keys(paths))
