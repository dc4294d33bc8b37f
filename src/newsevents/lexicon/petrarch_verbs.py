"""Bring-your-own verb dictionaries: PETRARCH-2 / CAMEO verb pattern files as lexicon entries.

Users migrating from PETRARCH keep their verb knowledge: :func:`read_verb_dictionary` turns a
PETRARCH-2 verb dictionary (``CAMEO.2.0.txt`` and files in the same format) into
:class:`~newsevents.lexicon.schema.LexiconEntry` objects that the trigger stage tries before the
built-in lexicon. A verb the dictionary lists is then coded by the dictionary alone, as
PETRARCH would: its patterns, else its block's default code, else (``[---]``) nothing.

The format, as read here::

    &TREATY                          # a synonym set, used as &TREATY in patterns
    +TREATY
    +PEACE_ACCORD                    # "_" joins words; a trailing "_" means "no stemming"

    ---  AGREE   [050]  ---          # a verb block and its default code ([---]: none)
    AGREE                            # a verb of the block (its irregular forms may follow in {})
    CONSENT {CONSENTS CONSENTED}
    +SIGN_UP {+SIGNS_UP}             # a phrasal verb: verb + particle
    - * (TO &TREATY)     [057]       # a pattern: "*" is the verb; words after it name the object,
    - * {PEACE PLAN}     [037]       #   {..} a noun phrase, (PREP ..) a prepositional phrase
    - * (WITH) +         [030]       # "+" the target, "$" the source, "%" both ways, "^" skip
    - * (TO)             [042:043]   # "a:b": a from source to target, b from target to source

How a pattern becomes an entry: the last word of the object phrase is the object's head (its
other words are modifiers on it, any one of which must be present), the first word of the first
prepositional phrase is a ``prep`` constraint (its last word the object when no plain object is
given), a leading particle word ("- * OUT VIEWS") a ``particle`` constraint. ``+`` inside
``(PREP +)`` makes the preposition's object the recipient, a ``+`` before the verb makes the
subject the recipient. ``%`` and ``[a:a]`` code both directions; ``[a:b]`` sets the recipient's
reverse code (``reverse_cameo``); ``[:b]`` codes only the reverse.

What PETRARCH-2 can say that this lexicon cannot is skipped and counted (warning ``W102``):
words before the verb ("- NEITHER *"), codes that are not CAMEO codes ("[802]", "[075A]",
"[1951]": a code is never silently shortened to a CAMEO prefix, which would change its
meaning), verbs of three or more words. A file that cannot be opened raises ``E107``; with
``strict=True`` the first unreadable pattern raises ``E108``.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsevents.errors import Errors, NewsEventsError, Warnings, warn
from newsevents.knowledge._files import FileKey, file_keys
from newsevents.lexicon.schema import NO_EVENT, LexiconEntry
from newsevents.ontology import cameo_info, is_known

__all__ = [
    "VerbDictionary",
    "is_verb_dictionary",
    "load_verb_dictionaries",
    "parse_verb_dictionary",
    "read_verb_dictionary",
]

logger = logging.getLogger(__name__)

_HEADER = re.compile(r"^-{3}\s+(?P<verb>.+?)\s+\[(?P<code>[^\]]*)\][\s-]*$")
_CODE = re.compile(r"\[(?P<code>[^\]]*)\]")
_SNIFF = re.compile(r"^-{3}\s+\S.*\[[^\]]*\]\s*-{3}[\s-]*$", re.MULTILINE)

PARTICLES = frozenset({"up", "down", "out", "off", "away", "back", "forward", "aside", "together", "apart"})
"""Words that, right after the verb, are read as its particle ("set out", "call off")."""

PREPOSITIONS = frozenset(
    {
        "on", "in", "over", "through", "to", "with", "for", "against", "into", "at", "by", "from",
        "about", "upon", "onto", "across", "behind", "toward", "towards", "under", "between", "of",
    }
)  # fmt: skip
"""Words that, right after the verb and outside brackets, open a prepositional phrase ("agree ON &SOLUTION")."""

_STOP = frozenset({"a", "an", "the", "of", "to"})


@dataclass(frozen=True, slots=True)
class VerbDictionary:
    """One parsed verb dictionary: its entries, and the patterns it could not express."""

    path: str
    name: str
    entries: tuple[LexiconEntry, ...]
    verbs: frozenset[str]  # lemmas the dictionary owns: the built-in lexicon never codes them
    patterns: int  # pattern lines read
    skipped: tuple[tuple[int, str], ...]  # (line, reason) of every pattern not loaded
    digest: str


@dataclass(slots=True)
class _Block:
    line: int
    code: str | None  # the forward default code, None for [---]
    reverse: str | None
    verbs: list[str] = field(default_factory=list)  # single-word lemmas
    phrasal: list[tuple[str, str]] = field(default_factory=list)  # (verb, particle or preposition)
    roles: _Pattern | None = None  # "- % * [050]": roles for the block's default entries
    codes: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # a verb's own default


@dataclass(slots=True)
class _Pattern:
    """What one pattern line says, before it becomes entries."""

    objects: tuple[str, ...] = ()
    modifiers: tuple[str, ...] = ()
    prep: str | None = None
    prep_objects: tuple[str, ...] = ()
    particle: str | None = None
    actor: tuple[str, ...] = ()
    recipient: tuple[str, ...] = ()
    symmetric: bool = False


class _Skip(Exception):
    """A pattern this lexicon cannot express; the reason is counted."""


# ------------------------------------------------------------------------------- reading


def is_verb_dictionary(path: str | Path) -> bool:
    """Whether a file is a PETRARCH verb dictionary (it has ``--- VERB [code] ---`` blocks)."""
    try:
        with Path(path).open("rb") as fh:
            head = fh.read(1 << 20).decode("utf-8", errors="replace")
    except OSError:
        return False
    return _SNIFF.search(head) is not None


def _strip_comment(line: str) -> str:
    return line.split("#", 1)[0].rstrip()


def _word(raw: str) -> list[str]:
    """``PEACE_ACCORD`` → ["peace", "accord"]; ``CASH_`` → ["cash"]."""
    return [w for w in raw.strip("_").lower().replace("_", " ").split() if w]


def _forms(word: str) -> list[str]:
    """The word and a naive singular, since entries compare lemmas and lower-cased words."""
    out = [word]
    if len(word) > 4 and word.endswith("ies"):
        out.append(word[:-3] + "y")
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        out.append(word[:-1])
    return out


def _code(raw: str) -> str | None:
    """A CAMEO code as this lexicon can use it, or None for ``---``/empty. Raises _Skip."""
    raw = raw.strip()
    if not raw or set(raw) <= {"-"}:
        return None
    if not is_known(raw):
        raise _Skip("codes that are not CAMEO")
    return raw


def _codes(raw: str) -> tuple[str | None, str | None]:
    forward, _, reverse = raw.partition(":")
    return _code(forward), _code(reverse) if reverse else None


def _tokens(text: str) -> Iterator[str]:
    """Pattern tokens: ``(..)`` and ``{..}`` groups stay whole."""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch in "({":
            close = ")" if ch == "(" else "}"
            j = text.find(close, i)
            if j < 0:
                raise _Skip("unbalanced brackets")
            yield text[i : j + 1]
            i = j + 1
            continue
        j = i
        while j < len(text) and not text[j].isspace() and text[j] not in "({":
            j += 1
        yield text[i:j]
        i = j


def _flat(tokens: Iterable[str]) -> list[str]:
    """Pattern words with ``{..}`` groups opened: ["{&MILITARY PRESSURE}"] → ["&MILITARY", "PRESSURE"]."""
    out: list[str] = []
    for token in tokens:
        out += token[1:-1].split() if token.startswith("{") else [token]
    return out


def _coding(
    code: str | None, reverse: str | None, actor: tuple[str, ...], recipient: tuple[str, ...], symmetric: bool
) -> dict[str, Any]:
    """An entry's code, roles and directions from PETRARCH's ``[a:b]`` and a pattern's roles:
    ``[a:a]`` (or ``%``) both ways, ``[a:b]`` a reverse code, ``[:b]`` only the target acting,
    ``[---]`` no event."""
    symmetric = symmetric or (code is not None and code == reverse)
    if code is None and reverse is not None:  # "[:173]": only the target does something
        code, reverse = reverse, None
        actor, recipient = (recipient or ("dobj",)), (actor or ("subj",))
    if code is None:
        return {"cameo": NO_EVENT, "actor": actor, "recipient": recipient, "symmetric": False, "reverse_cameo": None}
    return {
        "cameo": code,
        "actor": actor,
        "recipient": recipient,
        "symmetric": symmetric,
        "reverse_cameo": None if symmetric else reverse,
        **_appeal_type(code),
    }


def _appeal_type(code: str) -> dict[str, Any]:
    """CAMEO appeals (02x) have no PLOVER row, yet PLOVER's REQUEST covers "all requests": an
    appeal takes the type and mode of the demand with the same sub-code (023 "appeal for aid" as
    103 "demand aid"), as the built-in lexicon's appeal entries do."""
    if not code.startswith("02") or cameo_info(code).event_type is not None:
        return {}
    twin = cameo_info("10" + code[2:])
    return {"event_type": twin.event_type, "mode": twin.mode} if twin.event_type else {}


def _phrasal(verb: str, second: str) -> dict[str, tuple[str, ...]]:
    """A two-word verb as entry constraints: "set off" has a particle, "go by" a preposition."""
    if second in PARTICLES:
        return {"verbs": (verb,), "particle": (second,)}
    return {"verbs": (verb,), "prep": (second,)}


class _Reader:
    def __init__(self, path: str, name: str) -> None:
        self.path = path
        self.name = name
        self.synsets: dict[str, list[str]] = {}
        self.entries: list[LexiconEntry] = []
        self.owned: set[str] = set()
        self.patterns = 0
        self.skipped: list[tuple[int, str]] = []

    # -- synonym sets ----------------------------------------------------------------------
    def expand(self, token: str, depth: int = 0) -> list[str]:
        """Phrases (space-joined words) a pattern word stands for."""
        if token.startswith("&"):
            if depth > 5 or token not in self.synsets:
                raise _Skip("unknown synonym sets")
            return [p for member in self.synsets[token] for p in self.expand(member, depth + 1)]
        words = _word(token)
        return [" ".join(words)] if words else []

    # -- patterns -------------------------------------------------------------------------
    def phrase(self, tokens: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """A noun phrase's head words (all forms) and its modifiers."""
        phrases: list[list[str]] = []
        for token in tokens:
            phrases.append(self.expand(token))
        if not phrases:
            return (), ()
        heads: list[str] = []
        mods: list[str] = []
        last = phrases[-1]
        if any(" " not in p for p in last):
            # "&TIES" = TIES, RELATIONS, DIPLOMATIC_RELATIONS: one entry cannot make "diplomatic"
            # optional for some heads only, so the bare heads stand ("relations" covers
            # "diplomatic relations"); a multi-word member whose head is not bare is left out
            last = [p for p in last if " " not in p]
        for p in last:
            words = p.split()
            heads += _forms(words[-1])
            mods += [w for w in words[:-1] if w not in _STOP]
        for options in phrases[:-1]:
            for p in options:
                mods += [w for w in p.split() if w not in _STOP]
        return tuple(dict.fromkeys(heads)), tuple(dict.fromkeys(mods))

    def pattern(self, text: str) -> _Pattern:
        tokens = list(_tokens(text))
        if "*" not in tokens:
            raise _Skip("patterns without a verb marker")
        star = tokens.index("*")
        out = _Pattern()
        for token in tokens[:star]:
            if token == "+":
                out.recipient = ("subj",)
            elif token == "%":
                out.symmetric = True
            elif token in ("$", "^"):
                continue
            else:
                raise _Skip("words before the verb")
        plain: list[str] = []
        first_group = True
        after = tokens[star + 1 :]
        for n, token in enumerate(after):
            if token == "+":
                out.recipient = ("dobj",)
            elif token == "$":
                out.actor = ("dobj",)
            elif token == "%":
                out.symmetric = True
            elif token == "^":
                continue
            elif token.startswith("("):
                inner = token[1:-1].split()
                if not inner:
                    continue
                prep = " ".join(_word(inner[0]))
                rest = [w for w in inner[1:] if w not in ("^",)]
                roles = [w for w in rest if w in ("+", "$", "%")]
                words = [w for w in rest if w not in ("+", "$", "%")]
                if "+" in roles:
                    out.recipient = (prep,)
                if "$" in roles:
                    out.actor = (prep,)
                if "%" in roles:
                    out.symmetric = True
                if first_group:
                    if " " in prep or not prep.isalpha():
                        raise _Skip("multi-word prepositions")
                    out.prep = prep
                    out.prep_objects, prep_mods = self.phrase(_flat(_tokens(" ".join(words))))
                    if not plain:
                        out.modifiers = prep_mods
                    first_group = False
            elif token.startswith("{"):
                plain += token[1:-1].split()
            else:
                if n == 0 and token.lower() in PARTICLES:
                    out.particle = token.lower()
                    continue
                if n == 0 and token.lower() in PREPOSITIONS and first_group:
                    # "- * ON &SOLUTION": an unbracketed prepositional phrase
                    words = [w for w in after[1:] if w not in ("+", "$", "%", "^") and not w.startswith("(")]
                    out.prep = token.lower()
                    out.prep_objects, out.modifiers = self.phrase(_flat(words))
                    first_group = False
                    if "+" in after[1:]:
                        out.recipient = (out.prep,)
                    break
                plain.append(token)
        if plain:
            out.objects, out.modifiers = self.phrase([t for t in plain if t not in ("+", "$", "%", "^")])
        return out

    def entries_for(self, block: _Block, line: int, pat: _Pattern, code: str | None, reverse: str | None) -> None:
        objects = pat.objects or (pat.prep_objects if pat.prep else ())
        recipient = pat.recipient
        if not recipient and pat.prep and not pat.prep_objects and pat.prep not in pat.actor:
            recipient = ("dobj", pat.prep)  # "- * (WITH) [030]": agree with whom
        base: dict[str, Any] = {
            **_coding(code, reverse, pat.actor, recipient, pat.symmetric),
            "object": objects,
            "modifier": pat.modifiers if objects else (),
            "prep": (pat.prep,) if pat.prep else (),
            "note": f"{self.name} line {line}",
        }
        if block.verbs:
            particle = (pat.particle,) if pat.particle else ()
            self.entries.append(LexiconEntry(id=f"{self.name}.{line}", verbs=tuple(block.verbs), particle=particle, **base))
        for n, (verb, part) in enumerate(block.phrasal):
            if pat.particle or (pat.prep and part not in PARTICLES):
                continue  # the pattern already fills the slot the phrasal verb's second word needs
            self.entries.append(LexiconEntry(id=f"{self.name}.{line}.p{n}", **{**base, **_phrasal(verb, part)}))

    # -- the file -------------------------------------------------------------------------
    def read(self, text: str, *, strict: bool) -> None:
        lines = text.splitlines()
        block: _Block | None = None
        synset: str | None = None
        for number, raw in enumerate(lines, start=1):
            if raw.lstrip().startswith("<!--"):
                continue
            header = _HEADER.match(raw.strip())
            if header is not None:
                synset = None
                try:
                    code, reverse = _codes(header["code"])
                except _Skip as why:
                    self._skip(number, str(why), strict)
                    code, reverse = None, None
                self.finish(block)
                block = _Block(line=number, code=code, reverse=reverse)
                continue
            line = _strip_comment(raw).strip()
            if not line:
                if block is None and not raw.strip():
                    synset = None  # a blank line ends a synonym set; a comment line does not
                continue
            if block is None:
                if line.startswith("&"):
                    synset = line.split()[0]
                    self.synsets[synset] = []
                elif line.startswith("+") and synset is not None:
                    self.synsets[synset].append(line[1:].strip())
                continue
            if line.startswith("-") or line.startswith("*"):
                self.patterns += 1
                self._pattern_line(block, number, line.lstrip("-").strip(), strict)
            elif line.startswith("&"):  # a synonym set defined after the first verb block
                self.finish(block)
                synset, block = line.split()[0], None
                self.synsets[synset] = []
            else:
                self._verb_line(block, line, number, strict)
        self.finish(block)

    def _verb_line(self, block: _Block, line: str, number: int, strict: bool) -> None:
        phrasal = line.startswith("+")
        own = _CODE.search(line)  # "RELEASE [084]": this verb's own default code
        if own is not None:
            try:
                codes = _codes(own["code"])
            except _Skip as why:
                self._skip(number, str(why), strict)
                return
            line = line[: own.start()] + line[own.end() :]
        form = line.lstrip("+").split("{", 1)[0].strip()
        words = _word(form)
        if not words:
            return
        if own is not None:
            block.codes[" ".join(words)] = codes
        if len(words) == 1 and not phrasal:
            if words[0] not in block.verbs:
                block.verbs.append(words[0])
            self.owned.add(words[0])
        elif len(words) == 2:
            block.phrasal.append((words[0], words[1]))
        # three-word verbs ("go out of") cannot be stated by one entry; their head verb stays

    def finish(self, block: _Block | None) -> None:
        """The block's default entries, once its verbs and role-only patterns are known."""
        if block is None:
            return
        for verb in block.verbs:
            self._default(block, verb)
        for phrasal in block.phrasal:
            self._default(block, None, phrasal)

    def _default(self, block: _Block, verb: str | None, phrasal: tuple[str, str] | None = None) -> None:
        """The block's default code for one verb form (the entry every pattern beats)."""
        form = verb if verb is not None else " ".join(phrasal or ())
        code, reverse = block.codes.get(form, (block.code, block.reverse))
        roles = block.roles or _Pattern()
        common: dict[str, Any] = {
            **_coding(code, reverse, roles.actor, roles.recipient, roles.symmetric),
            "note": f"{self.name} line {block.line} (default)",
        }
        if verb is not None:
            self.entries.append(LexiconEntry(id=f"{self.name}.{block.line}.{verb}", verbs=(verb,), **common))
        elif phrasal is not None:
            head, part = phrasal
            key = f"{self.name}.{block.line}.{head}_{part}"
            self.entries.append(LexiconEntry(id=key, **common, **_phrasal(head, part)))

    def _pattern_line(self, block: _Block, number: int, line: str, strict: bool) -> None:
        match = _CODE.search(line)
        if match is None:
            self._skip(number, "patterns without a code", strict)
            return
        try:
            code, reverse = _codes(match["code"])
            pattern = self.pattern(line[: match.start()])
        except _Skip as why:
            self._skip(number, str(why), strict)
            return
        if not pattern.objects and not pattern.prep and not pattern.particle:
            if (pattern.recipient or pattern.actor or pattern.symmetric) and (code, reverse) == (block.code, block.reverse):
                block.roles = pattern  # "- % * [050]": the default, with these roles
            elif block.code is None and block.reverse is None:
                block.code, block.reverse = code, reverse  # "--- X [---] ---" then "- * [050]"
                if pattern.recipient or pattern.actor or pattern.symmetric:
                    block.roles = pattern
            elif (code, reverse) != (block.code, block.reverse):
                self._skip(number, "bare patterns with a code of their own", strict)
            return  # "- * [050]" restates the default
        self.entries_for(block, number, pattern, code, reverse)

    def _skip(self, line: int, reason: str, strict: bool) -> None:
        if strict:
            raise NewsEventsError(Errors.E108, path=self.path, line=line, detail=reason)
        self.skipped.append((line, reason))


def parse_verb_dictionary(text: str, *, name: str, path: str = "<text>", strict: bool = False) -> VerbDictionary:
    """Parse the text of a verb dictionary (see the module docstring for the format)."""
    reader = _Reader(path, name)
    reader.read(text, strict=strict)
    entries = _unique(reader.entries)
    return VerbDictionary(
        path=path,
        name=name,
        entries=entries,
        verbs=frozenset(reader.owned | {v for e in entries for v in e.verbs}),
        patterns=reader.patterns,
        skipped=tuple(reader.skipped),
        digest=hashlib.sha256(text.encode()).hexdigest()[:16],
    )


def _unique(entries: Iterable[LexiconEntry]) -> tuple[LexiconEntry, ...]:
    """Drop exact restatements (same words, constraints and code), keeping the first."""
    seen: set[tuple[object, ...]] = set()
    out: list[LexiconEntry] = []
    for e in entries:
        key = (e.verbs, e.object, e.modifier, e.prep, e.particle, e.cameo, e.actor, e.recipient, e.reverse_cameo, e.symmetric)
        if key in seen:
            continue
        seen.add(key)
        out.append(e)
    return tuple(out)


def _name(path: Path) -> str:
    stem = path.name.removesuffix(".txt")
    return "dict." + re.sub(r"[^A-Za-z0-9]+", "_", stem).strip("_")


def read_verb_dictionary(path: str | Path, *, strict: bool = False) -> VerbDictionary:
    """Read one verb dictionary file; patterns it cannot express are counted (``W102``)."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise NewsEventsError(Errors.E107, path=str(p), detail=exc.strerror or str(exc)) from exc
    parsed = parse_verb_dictionary(raw.decode("utf-8", errors="replace"), name=_name(p), path=str(p), strict=strict)
    if parsed.skipped:
        reasons = Counter(reason for _, reason in parsed.skipped)
        summary = ", ".join(f"{n} {reason}" for reason, n in reasons.most_common())
        warn(Warnings.W102, path=str(p), count=len(parsed.skipped), total=parsed.patterns, reasons=summary)
    logger.debug("verb dictionary %s: %d entries for %d verbs", p, len(parsed.entries), len(parsed.verbs))
    return parsed


@lru_cache(maxsize=4)
def _load(files: tuple[FileKey, ...]) -> tuple[VerbDictionary, ...]:
    return tuple(read_verb_dictionary(path) for path, _, _ in files)


def load_verb_dictionaries(paths: Iterable[str | Path]) -> tuple[VerbDictionary, ...]:
    """Read verb dictionaries once per process (re-read when a file changes)."""
    return _load(file_keys(paths))
