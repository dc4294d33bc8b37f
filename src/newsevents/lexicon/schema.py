"""Schema and loader for the trigger lexicon (``lexicon/triggers/*.yaml``)."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from newsevents.errors import Errors, NewsEventsError

__all__ = ["Example", "LexiconEntry", "Lexicon", "load_lexicon", "NAMED_ROLES", "NO_EVENT", "read_yaml"]


NO_EVENT = "---"
"""The code of an entry that matches a non-event use of its word (PETRARCH's ``[---]``)."""

NAMED_ROLES = frozenset({"subj", "dobj", "iobj", "poss", "amod", "compound", "xcomp_obj", "ccomp_subj", "none"})


def _check_role(value: str) -> str:
    if value in NAMED_ROLES or re.fullmatch(r"[a-z]+", value):
        return value  # a named role, or a preposition ("with", "against", "behind")
    raise ValueError(f"role {value!r} is neither one of {sorted(NAMED_ROLES)} nor a preposition")


Role = Annotated[str, AfterValidator(_check_role)]


class Example(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    text: str
    actor: str | None = None
    recipient: str | None = None
    cameo: str | None = None  # defaults to the entry's code


class LexiconEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    cameo: str = Field(pattern=r"^(\d{2,4}|---)$")  # "---": a non-event use of the verb, nothing is coded
    verbs: tuple[str, ...] = ()
    nouns: tuple[str, ...] = ()
    object: tuple[str, ...] = ()
    object_any: bool = False
    prep: tuple[str, ...] = ()
    particle: tuple[str, ...] = ()
    xcomp: tuple[str, ...] = ()
    compound: tuple[str, ...] = ()
    modifier: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()  # blocks the entry: lemma of the object or of a modifier on it
    actor: tuple[Role, ...] = ()
    recipient: tuple[Role, ...] = ()
    symmetric: bool = False
    reverse_cameo: str | None = Field(default=None, pattern=r"^\d{2,4}$")  # code of the recipient → actor event
    event_type: str | None = None
    mode: str | None = None
    context: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()
    note: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> LexiconEntry:
        if bool(self.verbs) == bool(self.nouns):
            raise ValueError(f"entry {self.id!r} needs exactly one of 'verbs' or 'nouns'")
        return self

    @property
    def no_event(self) -> bool:
        """The entry marks a use of the word that states no event ("approve the budget")."""
        return self.cameo == NO_EVENT

    @property
    def nominal(self) -> bool:
        return bool(self.nouns)

    @property
    def specificity(self) -> int:
        return (
            2 * bool(self.object)
            + bool(self.object_any)
            + 2 * bool(self.prep)
            + 2 * bool(self.particle)
            + 2 * bool(self.xcomp)
            + 2 * bool(self.compound)
            + bool(self.modifier)
        )


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    root: str
    entries: list[LexiconEntry]


class Lexicon(BaseModel):
    model_config = ConfigDict(frozen=True)
    entries: tuple[LexiconEntry, ...]
    version: str
    dictionary: tuple[LexiconEntry, ...] = ()
    """Entries read from users' PETRARCH verb dictionaries (:mod:`newsevents.lexicon.petrarch_verbs`)."""
    dictionary_verbs: frozenset[str] = frozenset()
    """Verb lemmas the dictionaries own: for these, only the dictionary entries are tried."""

    @property
    def all_entries(self) -> tuple[LexiconEntry, ...]:
        return self.entries + self.dictionary

    def by_lemma(self) -> dict[tuple[str, bool], list[LexiconEntry]]:
        """Index: (lemma, nominal) → entries, most specific first."""
        index: dict[tuple[str, bool], list[LexiconEntry]] = {}
        for entry in self.entries:
            for lemma in entry.nouns or entry.verbs:
                index.setdefault((lemma.lower(), entry.nominal), []).append(entry)
        for entries in index.values():
            entries.sort(key=lambda e: -e.specificity)
        return index


class _Loader(yaml.SafeLoader):
    """YAML 1.2 booleans only: ``on``, ``off``, ``yes`` and ``no`` stay words (``on`` is a role)."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def read_yaml(raw: bytes | str) -> object:
    """Parse lexicon YAML (YAML 1.2 booleans)."""
    return yaml.load(raw, Loader=_Loader)  # a SafeLoader subclass


def _read(path: Path | resources.abc.Traversable, name: str) -> tuple[_File, bytes]:
    raw = path.read_bytes()
    try:
        data = read_yaml(raw)
        return _File.model_validate(data), raw
    except (yaml.YAMLError, ValidationError) as e:
        raise NewsEventsError(Errors.E103, path=name, detail=str(e)) from e


RULE_FILES = ("compose.yaml", "non_political.yaml")
"""Lexicon data beside the trigger entries: composed codes and non-political causes."""


@lru_cache(maxsize=4)
def load_lexicon(extra_dir: str | None = None, verb_dictionaries: tuple[str, ...] = ()) -> Lexicon:
    """Load the bundled lexicon, plus every ``*.yaml`` in ``extra_dir`` when given, plus the
    entries of PETRARCH verb dictionaries (``verb_dictionaries``, paths), which take over the
    verbs they list."""
    files: list[tuple[str, resources.abc.Traversable | Path]] = []
    bundled = resources.files("newsevents.lexicon").joinpath("triggers")
    files += sorted((p.name, p) for p in bundled.iterdir() if p.name.endswith(".yaml"))
    if extra_dir:
        files += sorted((str(p), p) for p in Path(extra_dir).glob("*.yaml"))
    entries: list[LexiconEntry] = []
    seen: set[str] = set()
    digest = hashlib.sha256()
    for name, path in files:
        parsed, raw = _read(path, name)
        digest.update(raw)
        for entry in parsed.entries:
            if entry.id in seen:
                raise NewsEventsError(Errors.E103, path=name, detail=f"duplicate entry id {entry.id!r}")
            seen.add(entry.id)
            entries.append(entry)
    # the rule files read beside the triggers are part of what the version names
    for name in RULE_FILES:
        digest.update(resources.files("newsevents.lexicon").joinpath(name).read_bytes())
    dictionary: list[LexiconEntry] = []
    owned: set[str] = set()
    if verb_dictionaries:
        from newsevents.lexicon.petrarch_verbs import load_verb_dictionaries  # imports this module

        for verbs in load_verb_dictionaries(verb_dictionaries):
            digest.update(verbs.digest.encode())
            dictionary.extend(verbs.entries)
            owned |= verbs.verbs
    return Lexicon(
        entries=tuple(entries),
        version=digest.hexdigest()[:12],
        dictionary=tuple(dictionary),
        dictionary_verbs=frozenset(owned),
    )
