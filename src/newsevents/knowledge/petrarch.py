"""Bring-your-own dictionaries: PETRARCH/TABARI/CAMEO ``.actors`` and ``agents`` files.

Users migrating from PETRARCH keep their knowledge: :func:`load_dictionaries` reads any number
of actor and agent files and returns one :class:`Dictionaries` index that the entities stage
scans every document with (longest match first, multi-word names included).

Actor files (one entry, then its synonyms and codes)::

    GONDOR_ [GON]                   # entry; a trailing "_" = whole word, else the last word is a stem
    +MINAS_TIRITH                   # synonym of the entry above
    STEWARD_DENETHOR                # an entry whose codes follow on indented lines
        [GONGOV 300101-190315]      # date-bounded role (YYMMDD or YYYYMMDD, both ends included)
        [GONELI >190316]            # ">" from this date on, "<" before this date
        [GON]                       # undated: applies when no dated role does

Agent files (role nouns that add a sector to the actor's country)::

    !PERSON! = MAN, MEN, WOMAN      # substitution set, used as !PERSON! in phrases
    FOREIGN_MINISTER [~GOVFRM]      # "~XXX": appended to the actor's code
    POLICE {} [~COP]                # "{}": no plural; "{A B}": irregular plurals
    RELIEF_AGENCY [NGO~]            # "XXX~": put in front of the actor's code

Comments are ``#`` to the end of the line and ``<!-- ... -->`` blocks. Words are joined with
``_`` or spaces. A file is read as an agents file when its name contains "agent", else as an
actors file. Two-digit years below 30 are 20YY, the others 19YY.

Unreadable lines are skipped and counted (warning ``W101``); ``strict=True`` raises ``E105`` at
the first one. A file that cannot be opened raises ``E107``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from newsevents.errors import Errors, NewsEventsError, Warnings, warn
from newsevents.knowledge._data import _key, norm
from newsevents.knowledge._files import FileKey, file_keys

__all__ = [
    "ActorEntry",
    "AgentEntry",
    "DatedCode",
    "DictMatch",
    "Dictionaries",
    "DictionaryFile",
    "load_dictionaries",
    "parse_actors",
    "parse_agents",
    "read_dictionary",
]

logger = logging.getLogger(__name__)

_BLOCK = re.compile(r"\[([^\[\]]*)\]")
_CODE_BLOCK = re.compile(
    r"\s*(?P<code>---|\+\+\+|[A-Za-z][A-Za-z0-9/]*)"
    r"(?:\s+(?:(?P<op>[<>])\s*(?P<one>\d+)|(?P<a>\d+)\s*-\s*(?P<b>\d+)))?\s*"
)
_SUBST = re.compile(r"\s*!([A-Za-z0-9_]+)!\s*=\s*(.+)")
_NO_CODE = frozenset({"---", "+++"})
_YEAR_PIVOT = 30
_MAX_SUFFIX = (
    4  # a stem matches a word at most this many letters longer ("ERIADOR" -> "Eriadorian")
)
_MIN_STEM = 4

DictKind = Literal["actors", "agents"]


@dataclass(frozen=True, slots=True)
class DatedCode:
    """One code block: ``code`` (``None`` for ``---``) valid from ``start`` to ``end`` (inclusive)."""

    code: str | None
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None

    def covers(self, date: dt.date) -> bool:
        return (self.start is None or date >= self.start) and (self.end is None or date <= self.end)

    def span_text(self) -> str:
        """``2009-01-20..2017-01-20``; an open end is left empty."""
        a = self.start.isoformat() if self.start else ""
        b = self.end.isoformat() if self.end else ""
        return f"{a}..{b}"


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """One actor entry with its codes; ``name`` is the entry's first name, in title case."""

    name: str
    codes: tuple[DatedCode, ...]
    source: str
    line: int

    def resolve(self, date: dt.date | None) -> DatedCode | None:
        """The code block that applies on ``date``.

        The first dated block that covers the date wins; else the first undated block; with no
        date, the undated block, else the latest dated one. ``None`` when nothing applies.
        """
        undated = next((c for c in self.codes if not c.dated), None)
        if date is not None:
            for c in self.codes:
                if c.dated and c.covers(date):
                    return c
            return undated
        if undated is not None:
            return undated
        dated = [c for c in self.codes if c.dated]
        if not dated:
            return None
        return max(dated, key=lambda c: (c.end or dt.date.max, c.start or dt.date.min))


@dataclass(frozen=True, slots=True)
class AgentEntry:
    """An agent noun phrase and its code: ``GOVFRM`` appended, or ``NGO`` put in front."""

    phrase: str
    code: str
    prefix: bool
    source: str
    line: int

    def apply(self, actor_code: str | None) -> str | None:
        if actor_code is None:
            return self.code if self.prefix else None
        if self.prefix:
            return actor_code if actor_code.startswith(self.code) else self.code + actor_code
        if self.code and actor_code.endswith(self.code):
            return actor_code
        return actor_code + self.code


@dataclass(frozen=True, slots=True)
class _Phrase:
    key: tuple[str, ...]
    stem: bool  # the last word matches as a prefix


@dataclass(frozen=True, slots=True)
class DictionaryFile:
    """One parsed file: its entries with their phrases, and the lines that were skipped."""

    path: str
    name: str
    kind: DictKind
    actors: tuple[tuple[_Phrase, ActorEntry], ...]
    agents: tuple[tuple[_Phrase, AgentEntry], ...]
    skipped: tuple[int, ...]
    digest: str


@dataclass(frozen=True, slots=True)
class DictMatch:
    """A dictionary hit in a document: tokens ``start``..``end`` (exclusive)."""

    start: int
    end: int
    actors: tuple[ActorEntry, ...] = ()
    agent: AgentEntry | None = None


# --------------------------------------------------------------------------------- parsing


def _date(text: str) -> dt.date:
    if len(text) == 6:
        yy = int(text[:2])
        year = 2000 + yy if yy < _YEAR_PIVOT else 1900 + yy
        return dt.date(year, int(text[2:4]), int(text[4:6]))
    if len(text) == 8:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    raise ValueError(f"date {text!r} is not YYMMDD or YYYYMMDD")


def _code_block(content: str) -> DatedCode:
    m = _CODE_BLOCK.fullmatch(content)
    if m is None:
        raise ValueError(
            f"code block [{content}] is not [CODE], [CODE a-b], [CODE >d] or [CODE <d]"
        )
    raw = m.group("code").upper()
    code = None if raw in _NO_CODE else raw
    if m.group("op") == ">":
        return DatedCode(code, start=_date(m.group("one")))
    if m.group("op") == "<":
        return DatedCode(code, end=_date(m.group("one")) - dt.timedelta(days=1))
    if m.group("a"):
        start, end = _date(m.group("a")), _date(m.group("b"))
        if end < start:
            raise ValueError(f"code block [{content}] ends before it starts")
        return DatedCode(code, start=start, end=end)
    return DatedCode(code)


def _phrase(text: str) -> _Phrase | None:
    raw = text.strip()
    if not raw:
        return None
    stem = not raw.endswith("_")
    words = raw.replace("_", " ").replace("+", " ").strip()
    key = _key(words)
    if not key:
        return None
    if len(key[-1]) < _MIN_STEM or not key[-1].isalpha():
        stem = False
    return _Phrase(key, stem)


def _title(text: str) -> str:
    words = text.strip().strip("_+").replace("_", " ").split()
    return " ".join(w if any(c.isdigit() for c in w) else w.title() for w in words)


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, text without comments) for every non-empty line; skips ``<!-- -->`` blocks."""
    in_block = False
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if in_block:
            if "-->" in line:
                in_block = False
            continue
        if line.lstrip().startswith("<"):
            if "-->" not in line:
                in_block = True
            continue
        body = line.split("#", 1)[0].rstrip()
        if body.strip():
            yield n, body


def _fail(path: str, line: int, detail: str, strict: bool, skipped: list[int]) -> None:
    if strict:
        raise NewsEventsError(Errors.E105, path=path, line=line, detail=detail)
    if line not in skipped:
        skipped.append(line)


@dataclass(slots=True)
class _Pending:
    line: int
    names: list[str]
    codes: list[DatedCode] = field(default_factory=list)


def parse_actors(
    text: str, *, source: str, path: str = "<string>", strict: bool = False
) -> tuple[list[tuple[_Phrase, ActorEntry]], list[int]]:
    """Read the text of an actors file: (phrase, entry) pairs and the skipped line numbers."""
    out: list[tuple[_Phrase, ActorEntry]] = []
    skipped: list[int] = []
    cur: _Pending | None = None

    def close() -> None:
        if cur is None or not cur.names:
            return
        if not cur.codes:
            _fail(path, cur.line, "the entry has no [CODE] block", strict, skipped)
            return
        entry = ActorEntry(_title(cur.names[0]), tuple(cur.codes), source, cur.line)
        for name in cur.names:
            ph = _phrase(name)
            if ph is not None:
                out.append((ph, entry))

    for n, body in _lines(text):
        if body.count("[") != body.count("]"):
            _fail(path, n, "unbalanced [ ]", strict, skipped)
            continue
        name_part = body.split("[", 1)[0]
        codes: list[DatedCode] = []
        bad = False
        for content in _BLOCK.findall(body):
            try:
                codes.append(_code_block(content))
            except ValueError as exc:
                _fail(path, n, str(exc), strict, skipped)
                bad = True
        stripped = name_part.strip()
        if stripped.startswith("+"):
            if cur is None:
                _fail(path, n, "a '+' synonym before any entry", strict, skipped)
                continue
            cur.names.append(stripped[1:])
            cur.codes.extend(codes)
        elif not stripped:
            if cur is None:
                if not bad:
                    _fail(path, n, "a code block before any entry", strict, skipped)
                continue
            cur.codes.extend(codes)
        elif cur is not None and not cur.codes:
            # consecutive names without codes share the code blocks that follow them
            cur.names.append(stripped)
            cur.codes.extend(codes)
        else:
            close()
            cur = _Pending(n, [stripped], codes)
    close()
    return out, skipped


def parse_agents(
    text: str, *, source: str, path: str = "<string>", strict: bool = False
) -> tuple[list[tuple[_Phrase, AgentEntry]], list[int]]:
    """Read the text of an agents file: (phrase, entry) pairs and the skipped line numbers."""
    out: list[tuple[_Phrase, AgentEntry]] = []
    skipped: list[int] = []
    sets: dict[str, list[str]] = {}
    for n, body in _lines(text):
        sub = _SUBST.fullmatch(body)
        if sub is not None:
            sets[sub.group(1).upper()] = [w.strip() for w in sub.group(2).split(",") if w.strip()]
            continue
        blocks = _BLOCK.findall(body)
        if len(blocks) != 1 or "~" not in blocks[0]:
            _fail(path, n, "expected one [~CODE] or [CODE~] block", strict, skipped)
            continue
        content = blocks[0].strip().replace(" ", "")
        prefix = not content.startswith("~")
        code = content.strip("~").upper()
        if content.count("~") != 1 or (prefix and not content.endswith("~")) or not code.isalnum():
            _fail(path, n, f"agent code [{blocks[0]}] is not [~CODE] or [CODE~]", strict, skipped)
            continue
        head = body.split("[", 1)[0]
        plurals: list[str] | None = None
        if "{" in head:
            phrase_text, _, rest = head.partition("{")
            if "}" not in rest:
                _fail(path, n, "unclosed { }", strict, skipped)
                continue
            plurals = rest.split("}", 1)[0].split()
        else:
            phrase_text = head
        phrase_text = phrase_text.strip()
        if not phrase_text:
            _fail(path, n, "no agent phrase", strict, skipped)
            continue
        try:
            forms = _expand(phrase_text, sets)
            plural_forms = [p for f in plurals for p in _expand(f, sets)] if plurals else []
        except KeyError as exc:
            _fail(path, n, f"unknown substitution set !{exc.args[0]}!", strict, skipped)
            continue
        if plurals is None:
            plural_forms = [_plural(f) for f in forms]
        entry = AgentEntry(_title(phrase_text).replace("!", ""), code, prefix, source, n)
        for form in [*forms, *plural_forms]:
            ph = _phrase(form.rstrip("_") + "_")
            if ph is not None:
                out.append((ph, entry))
    return out, skipped


def _expand(phrase: str, sets: dict[str, list[str]]) -> list[str]:
    m = re.search(r"!([A-Za-z0-9_]+)!", phrase)
    if m is None:
        return [phrase]
    members = sets[m.group(1).upper()]
    out: list[str] = []
    for member in members:
        out += _expand(phrase[: m.start()] + member + phrase[m.end() :], sets)
    return out


def _plural(phrase: str) -> str:
    word = phrase.rstrip("_ ")
    low = word.lower()
    if low.endswith(("s", "x", "z", "ch", "sh")):
        return word + "ES"
    if low.endswith("y") and len(low) > 1 and low[-2] not in "aeiou":
        return word[:-1] + "IES"
    return word + "S"


def _source_name(path: Path) -> str:
    name = path.name
    for suffix in (".txt", ".actors", ".agents"):
        name = name.removesuffix(suffix)
    return name


def _kind_of(path: Path) -> DictKind:
    return "agents" if "agent" in path.name.lower() else "actors"


def read_dictionary(path: str | Path, *, strict: bool = False) -> DictionaryFile:
    """Parse one actors or agents file (the kind is taken from the file name)."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise NewsEventsError(Errors.E107, path=str(p), detail=exc.strerror or str(exc)) from exc
    text = raw.decode("utf-8", errors="replace")
    kind = _kind_of(p)
    name = _source_name(p)
    actors: list[tuple[_Phrase, ActorEntry]] = []
    agents: list[tuple[_Phrase, AgentEntry]] = []
    if kind == "agents":
        agents, skipped = parse_agents(text, source=name, path=str(p), strict=strict)
    else:
        actors, skipped = parse_actors(text, source=name, path=str(p), strict=strict)
    if skipped:
        warn(Warnings.W101, path=str(p), count=len(skipped), line=skipped[0])
    logger.debug("dictionary %s: %d actor and %d agent phrases", p, len(actors), len(agents))
    return DictionaryFile(
        path=str(p),
        name=name,
        kind=kind,
        actors=tuple(actors),
        agents=tuple(agents),
        skipped=tuple(skipped),
        digest=hashlib.sha256(raw).hexdigest()[:16],
    )


# --------------------------------------------------------------------------------- matching


class Dictionaries:
    """Every loaded dictionary, indexed by normalized token tuples for longest-match scans."""

    def __init__(self, files: Sequence[DictionaryFile]) -> None:
        self.files = tuple(files)
        self._actors: dict[tuple[str, ...], list[ActorEntry]] = {}
        self._actor_stems: dict[tuple[str, ...], list[ActorEntry]] = {}
        self._agents: dict[tuple[str, ...], AgentEntry] = {}
        self._first: dict[str, int] = {}
        self._agent_first: dict[str, int] = {}
        for f in self.files:
            for ph, entry in f.actors:
                bucket = (self._actor_stems if ph.stem else self._actors).setdefault(ph.key, [])
                if entry not in bucket:
                    bucket.append(entry)
                self._first[ph.key[0]] = max(self._first.get(ph.key[0], 0), len(ph.key))
            for ph, agent in f.agents:
                self._agents.setdefault(ph.key, agent)
                self._agent_first[ph.key[0]] = max(self._agent_first.get(ph.key[0], 0), len(ph.key))
        self.has_agents = bool(self._agents)
        self.version = hashlib.sha256("".join(f.digest for f in self.files).encode()).hexdigest()[
            :16
        ]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.files)

    def _actor_at(
        self, keys: Sequence[str], caps: Sequence[bool], i: int
    ) -> tuple[int, tuple[ActorEntry, ...]] | None:
        n = len(keys)
        for length in range(min(self._first.get(keys[i], 1), n - i), 0, -1):
            if not any(caps[i : i + length]):
                continue
            head = tuple(keys[i : i + length])
            found = list(self._actors.get(head, ())) + list(self._actor_stems.get(head, ()))
            if not found and caps[i + length - 1]:
                last = keys[i + length - 1]
                for cut in range(1, _MAX_SUFFIX + 1):
                    if len(last) - cut < _MIN_STEM:
                        break
                    found = list(self._actor_stems.get((*head[:-1], last[:-cut]), ()))
                    if found:
                        break
            if found:
                return length, tuple(found)
        return None

    def _agent_at(
        self, keys: Sequence[str], lemmas: Sequence[str], i: int
    ) -> tuple[int, AgentEntry] | None:
        n = len(keys)
        for length in range(min(self._agent_first.get(keys[i], 0), n - i), 0, -1):
            head = tuple(keys[i : i + length])
            agent = self._agents.get(head) or self._agents.get((*head[:-1], lemmas[i + length - 1]))
            if agent is not None:
                return length, agent
        return None

    def scan(
        self, words: Sequence[str], lemmas: Sequence[str] | None = None
    ) -> tuple[list[DictMatch], list[DictMatch]]:
        """Actor and agent matches in a token sequence, each longest-first, left to right.

        Actor names must contain at least one capitalized word.
        """
        keys = [norm(w) for w in words]
        lems = [norm(w) for w in lemmas] if lemmas is not None else keys
        caps = [w[:1].isupper() or w[:1].isdigit() for w in words]
        actors: list[DictMatch] = []
        agents: list[DictMatch] = []
        i = 0
        while i < len(keys):
            hit = self._actor_at(keys, caps, i)
            if hit is not None:
                actors.append(DictMatch(i, i + hit[0], actors=hit[1]))
                i += hit[0]
            else:
                i += 1
        i = 0
        while i < len(keys):
            ag = self._agent_at(keys, lems, i)
            if ag is not None:
                agents.append(DictMatch(i, i + ag[0], agent=ag[1]))
                i += ag[0]
            else:
                i += 1
        return actors, agents

    def lookup(self, phrase: str) -> list[ActorEntry]:
        """Actor entries listed under exactly this name (for tests and tools)."""
        key = _key(phrase.replace("_", " "))
        return list(self._actors.get(key, ())) + list(self._actor_stems.get(key, ()))

    def agent(self, phrase: str) -> AgentEntry | None:
        return self._agents.get(_key(phrase.replace("_", " ")))


@lru_cache(maxsize=8)
def _load(files: tuple[FileKey, ...], strict: bool) -> Dictionaries:
    return Dictionaries([read_dictionary(path, strict=strict) for path, _, _ in files])


def load_dictionaries(paths: Iterable[str | Path], *, strict: bool = False) -> Dictionaries:
    """Load PETRARCH/CAMEO actor and agent files into one index (cached per file version)."""
    return _load(file_keys(paths), strict)
