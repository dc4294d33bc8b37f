"""The evaluation suites. Each suite is one function ``(SuiteRun) -> EvalReport`` in ``REGISTRY``.

Adding a suite (for example ``petrarch-validate`` over ``udp_validate_2_02`` with its own
dictionaries, or ``petrarch-news-phoenix``): write a ``_run_<name>(run: SuiteRun) -> EvalReport``
that reads its gold with :func:`newsevents.eval.gold.require`, scores with
:class:`newsevents.eval.scoring.Scores`, and add a :class:`Suite` entry to ``REGISTRY``; the CLI
lists ``SUITES`` automatically. Reuse ``_score_petrarch`` for any PETRARCH-style gold.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module, resources
from pathlib import Path
from typing import Any

import yaml

from newsevents.errors import Errors, NewsEventsError
from newsevents.eval.gold import parse_yyyymmdd, read_jsonl, require
from newsevents.eval.report import EvalReport, Table, View
from newsevents.eval.scoring import Scores, event_triples, gold_triples
from newsevents.model import EVENT_TYPES, Actor, Article, Event

__all__ = [
    "DICTIONARY_SETS",
    "PHOENIX_FILES",
    "REGISTRY",
    "VALIDATE_FILES",
    "Coder",
    "Suite",
    "SuiteRun",
    "default_coder",
    "dictionary_coder",
    "resolve_dictionaries",
]

logger = logging.getLogger(__name__)

Coder = Callable[[str, dt.date | None, str], list[Event]]
"""``coder(text, date, doc_id) -> events``: the system under test."""

GSR_DATE = dt.date(2000, 1, 1)
"""The PLOVER GSR records carry this placeholder date (the sentences are from c. 2000)."""

PETRARCH_NEWS_SUITE = "udp_gsr_english"


def default_coder(text: str, date: dt.date | None, doc_id: str) -> list[Event]:
    """``newsevents.code(text, date=date, doc_id=doc_id)``, imported on first use."""
    pipeline = import_module("newsevents.pipeline")
    events: list[Event] = list(pipeline.code(text, date=date, doc_id=doc_id))
    return events


@dataclass(frozen=True)
class SuiteRun:
    """The arguments of one :func:`newsevents.eval.run_suite` call.

    ``dictionaries``: PETRARCH/CAMEO dictionary files the coder was built with (``None``: the
    built-in knowledge only); ``coder_given``: the caller passed its own coder, so a suite must not
    replace it with one built from its own dictionaries.
    """

    shared: Path
    limit: int | None
    coder: Coder
    details: bool
    dictionaries: tuple[Path, ...] | None = None
    coder_given: bool = False


PHOENIX_DIR = Path("dictionaries/petrarch2")
PHOENIX_FILES = (
    "Phoenix.Countries.actors.txt",
    "Phoenix.International.actors.txt",
    "Phoenix.MilNonState.actors.txt",
    "Phoenix.agents.txt",
)
"""PETRARCH2's default actor and agent files (its ``PETR_config.ini``), read from ``shared``."""
PHOENIX_VERBS = ("CAMEO.2.0.txt", "Phoenix.discards.txt")
"""PETRARCH2's default verb dictionary and discard list."""

VALIDATE_DIR = Path("dictionaries/universalpetrarch_validate")
VALIDATE_FILES = ("PETR_Validate_actors_2_02.txt", "PETR_Validate_agents_2_02.txt")
"""The actor and agent files the ``udp_validate_2_02`` gold assumes."""
VALIDATE_VERBS = ("PETR_Validate_verbs_2_02.txt", "PETR_Validate_discards_2_02.txt")
"""The verb dictionary and discard list the ``udp_validate_2_02`` gold assumes."""

DICTIONARY_SETS = {
    "phoenix": (PHOENIX_DIR, PHOENIX_FILES + PHOENIX_VERBS),
    "phoenix-actors": (PHOENIX_DIR, PHOENIX_FILES),
    "phoenix-verbs": (PHOENIX_DIR, PHOENIX_VERBS),
    "validate": (VALIDATE_DIR, VALIDATE_FILES + VALIDATE_VERBS),
    "validate-actors": (VALIDATE_DIR, VALIDATE_FILES),
}
"""Named sets for ``--dictionary`` in ``eval``: a name alone is actors + agents + verbs."""


def resolve_dictionaries(values: Iterable[str | Path], shared: Path) -> tuple[Path, ...]:
    """Dictionary paths; the names in :data:`DICTIONARY_SETS` stand for the sets in ``shared``."""
    out: list[Path] = []
    for value in values:
        named = DICTIONARY_SETS.get(str(value).lower())
        if named is not None:
            folder, files = named
            out += [Path(shared) / folder / f for f in files]
        else:
            out.append(Path(value))
    return tuple(out)


@lru_cache(maxsize=4)
def _dictionary_nlp(paths: tuple[str, ...]) -> Any:
    pipeline = import_module("newsevents.pipeline")
    components = import_module("newsevents.components")
    spacy = import_module("spacy")
    try:
        nlp = spacy.load(pipeline.DEFAULT_MODEL)
    except OSError as exc:
        raise NewsEventsError(Errors.E201, name=pipeline.DEFAULT_MODEL, detail=str(exc)) from exc
    components.register_factories()
    return pipeline.add_to_pipeline(nlp, dictionaries=paths)


def dictionary_coder(paths: Sequence[str | Path]) -> Coder:
    """A coder whose entities stage looks names up in these PETRARCH/CAMEO dictionary files."""
    key = tuple(str(Path(p)) for p in paths)
    nlp = _dictionary_nlp(key)
    pipeline = import_module("newsevents.pipeline")

    def coder(text: str, date: dt.date | None, doc_id: str) -> list[Event]:
        article = Article(id=doc_id, text=text, date=date)
        doc = pipeline.make_doc(nlp, article)
        try:
            doc = nlp(doc)
        except NewsEventsError:
            raise
        except Exception as exc:
            raise NewsEventsError(
                Errors.E203, doc_id=doc_id, stage="pipeline", detail=f"{type(exc).__name__}: {exc}"
            ) from exc
        return list(doc._.events or [])

    return coder


@dataclass(frozen=True)
class Suite:
    name: str
    description: str
    run: Callable[[SuiteRun], EvalReport]


def _code(
    coder: Coder, text: str, date: dt.date | None, doc_id: str
) -> tuple[list[Event], str | None]:
    """Run the coder on one record; a coded error counts as no output and is reported."""
    try:
        return list(coder(text, date, doc_id)), None
    except NewsEventsError as exc:
        logger.warning("eval: %s failed with %s", doc_id, exc)
        return [], exc.code


def _code_record(coder: Coder, record: Mapping[str, Any]) -> tuple[str, list[Event], str | None]:
    """Code one PETRARCH-family gold record (id, text, YYYYMMDD date): (id, events, error code)."""
    doc_id = str(record["id"])
    events, error = _code(coder, str(record["text"]), parse_yyyymmdd(record.get("date")), doc_id)
    return doc_id, events, error


def _limited(records: list[dict[str, Any]], limit: int | None) -> list[dict[str, Any]]:
    return records if limit is None else records[: max(limit, 0)]


def _event_summary(event: Event) -> dict[str, Any]:
    return {
        "event_type": event.event_type,
        "mode": event.mode,
        "cameo": event.cameo,
        "actor": [a.code or a.country or a.text for a in event.actor],
        "recipient": [a.code or a.country or a.text for a in event.recipient],
        "trigger": event.evidence.trigger.text,
        "rule": event.evidence.rule,
    }


# --------------------------------------------------------------------------- plover-gsr


@lru_cache(maxsize=1)
def _aliases() -> tuple[dict[str, str], dict[str, str]]:
    raw = (
        resources.files("newsevents.eval").joinpath("data", "code_aliases.yaml").read_text("utf-8")
    )
    data = yaml.safe_load(raw)
    return dict(data.get("gold", {})), dict(data.get("ours", {}))


def _gold_country(code: str) -> str:
    code = code.strip().upper()[:3]
    return _aliases()[0].get(code, code)


def _our_country(actor: Actor) -> str | None:
    value = actor.country or (actor.code[:3] if actor.code else None)
    if not value:
        return None
    value = _aliases()[0].get(value, value)
    return _aliases()[1].get(value, value)


def _our_countries(events: Iterable[Event], side: str) -> set[str]:
    found: set[str] = set()
    for event in events:
        for actor in event.actor if side == "actor" else event.recipient:
            country = _our_country(actor)
            if country:
                found.add(country)
    return found


def _gold_countries(actors: Any) -> set[str]:
    if not isinstance(actors, list):
        return set()
    return {_gold_country(a["code"]) for a in actors if isinstance(a, dict) and a.get("code")}


def _run_plover_gsr(run: SuiteRun) -> EvalReport:
    """Event type per sentence, plus actor/recipient countries, on the PLOVER GSR sentences.

    Per sentence the gold has one event type (``event_v2``); ours is the *set* of event types we
    emit. Micro over sentences: recall = sentences whose gold type we emit / sentences;
    precision = emitted types equal to the gold type / emitted types. Countries are scored on the
    events of the gold type when we emit that type, else on all our events; gold legacy codes
    (JAP, ITL, VTN) and our UNO/EUR are aliased first (``eval/data/code_aliases.yaml``).
    """
    records = _limited(read_jsonl(require(run.shared, "plover_gsr", "plover-gsr")), run.limit)
    types, actors, recipients, participants = Scores(), Scores(), Scores(), Scores()
    support: Counter[str] = Counter()
    found: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    confusion: Counter[tuple[str, str]] = Counter()
    no_prediction = errors = n_events = 0
    details: list[dict[str, Any]] = []
    for record in records:
        gold_type = str(record["event_v2"])
        events, error = _code(run.coder, str(record["text"]), GSR_DATE, str(record["id"]))
        errors += error is not None
        n_events += len(events)
        pred_types = {e.event_type for e in events}
        types.add(pred_types, {gold_type})
        support[gold_type] += 1
        found[gold_type] += gold_type in pred_types
        for pred_type in pred_types:
            predicted[pred_type] += 1
            correct[pred_type] += pred_type == gold_type
            if gold_type not in pred_types:
                confusion[(gold_type, pred_type)] += 1
        if not events:
            no_prediction += 1
        focus = [e for e in events if e.event_type == gold_type] or events
        gold_actor = _gold_countries(record.get("actor"))
        gold_recipient = _gold_countries(record.get("recipient"))
        our_actor = _our_countries(focus, "actor")
        our_recipient = _our_countries(focus, "recipient")
        if gold_actor:
            actors.add(our_actor, gold_actor)
        if gold_recipient:
            recipients.add(our_recipient, gold_recipient)
        if gold_actor or gold_recipient:
            participants.add(our_actor | our_recipient, gold_actor | gold_recipient)
        if run.details:
            details.append(
                {
                    "id": record["id"],
                    "text": record["text"],
                    "gold": {
                        "event_type": gold_type,
                        "mode_hint": record.get("mode_v2_hint") or record.get("mode_v05"),
                        "actor": sorted(gold_actor),
                        "recipient": sorted(gold_recipient),
                        "event_text": record.get("event_text"),
                    },
                    "ours": [_event_summary(e) for e in events],
                    "type_hit": gold_type in pred_types,
                    "error": error,
                }
            )
    per_type = Table(
        "Per gold type",
        ("type", "gold", "recall", "predicted", "precision"),
        [
            (
                t,
                str(support[t]),
                f"{found[t] / support[t]:.3f}" if support[t] else "-",
                str(predicted[t]),
                f"{correct[t] / predicted[t]:.3f}" if predicted[t] else "-",
            )
            for t in EVENT_TYPES
            if support[t] or predicted[t]
        ],
    )
    confusions = Table(
        "Most common wrong types (gold type not predicted)",
        ("gold", "predicted", "sentences"),
        [
            (g, p, str(n))
            for (g, p), n in sorted(confusion.items(), key=lambda kv: (-kv[1], kv[0]))[:15]
        ],
    )
    return EvalReport(
        suite="plover-gsr",
        description=SUITES_DESCRIPTIONS["plover-gsr"],
        baseline_name=None,
        views=[
            View("event type", "gold event_v2 vs the set of our event types", types),
            View("actor country", "gold actor codes vs our actor countries", actors),
            View(
                "recipient country", "gold recipient codes vs our recipient countries", recipients
            ),
            View(
                "participants", "actor and recipient countries pooled (role ignored)", participants
            ),
        ],
        counts={
            "sentences": len(records),
            "sentences with no event": no_prediction,
            "events emitted": n_events,
            "coder errors": errors,
        },
        tables=[per_type, confusions],
        notes=[
            "gold is PLOVER v0.5 mapped to v2 (edited CAMEO-manual examples, one event each, no negatives)",
        ],
        details=details if run.details else None,
    )


# --------------------------------------------------------------------------- petrarch-news


def _baseline_by_id(
    shared: Path, suite: str, run: str | None = None
) -> dict[str, dict[str, Any]] | None:
    try:
        path = require(shared, "petrarch2_baseline", suite)
    except NewsEventsError:
        return None
    return {str(r["id"]): r for r in read_jsonl(path) if run is None or r.get("run") == run}


def _score_petrarch(
    records: Sequence[dict[str, Any]],
    ours: dict[str, list[Event]],
    baseline: dict[str, dict[str, Any]] | None,
    subset: Callable[[dict[str, Any]], bool],
    label: str,
) -> list[View]:
    """The three PETRARCH views over the records selected by ``subset``."""
    views: list[View] = []
    for view, description in (
        ("country-country-root", "(source[:3], target[:3], code[:2]) triples"),
        ("exact", "(source, target, code) triples, literal"),
        ("root", "set of CAMEO roots, actors ignored"),
    ):
        mine = Scores()
        theirs = Scores() if baseline is not None else None
        for record in records:
            if not subset(record):
                continue
            gold = _petrarch_items(record["events"], view)
            mine.add(_our_items(ours[str(record["id"])], view), gold)
            if theirs is not None and baseline is not None:
                base = baseline.get(str(record["id"]), {})
                theirs.add(_petrarch_items(base.get("pred") or [], view), gold)
        views.append(View(f"{label}{view}", description, mine, theirs))
    return views


def _petrarch_items(events: list[dict[str, Any]], view: str) -> set[Any]:
    if view == "root":
        return {str(e.get("code") or "")[:2] for e in events}
    return set(gold_triples(events, "country" if view == "country-country-root" else "exact"))


def _our_items(events: list[Event], view: str) -> set[Any]:
    if view == "root":
        return {e.cameo[:2] for e in events}
    triples: set[tuple[str, str, str]] = set()
    for event in events:
        triples |= event_triples(event, "country" if view == "country-country-root" else "exact")
    return triples


def _run_petrarch_news(run: SuiteRun) -> EvalReport:
    """CAMEO triples on the PETRARCH-2 GSR validation sentences (``udp_gsr_english``).

    Convention (reproduces the published PETRARCH2 figures P 0.967 / R 0.744 / F1 0.841 on
    country-country-root, F1 0.759 on the 18 AFP sentences):

    - records: every *enabled* record of suite ``udp_gsr_english`` (78), in file order;
      ``limit`` takes the first N, and the baseline is scored on the same N;
    - per record, the *set* of triples (duplicates collapse) is compared with the gold set,
      counts summed over records (micro); records with no gold events add only predictions;
    - gold codes are used literally: ``source[:3]``/``target[:3]``/``code[:2]``, missing side ``---``;
    - ours: each event gives actor × recipient triples from the first 3 characters of each
      actor's CAMEO ``code`` (else its ``country``), ``---`` for a missing side, and ``cameo[:2]``;
    - PETRARCH2 rows with status ``no_parse`` (15 records whose gold has no Penn parse) count as
      predicting nothing. Counting only the 63 parsed records instead would give PETRARCH2
      R 0.935 / F1 0.951, which is not the published figure.
    """
    suite = "petrarch-news"
    gold = read_jsonl(require(run.shared, "petrarch_gold", suite))
    records = _limited(
        [r for r in gold if r.get("suite") == PETRARCH_NEWS_SUITE and r.get("enabled", True)],
        run.limit,
    )
    baseline = _baseline_by_id(run.shared, suite)
    ours: dict[str, list[Event]] = {}
    errors = 0
    details: list[dict[str, Any]] = []
    for record in records:
        doc_id, events, error = _code_record(run.coder, record)
        errors += error is not None
        ours[doc_id] = events
        if run.details:
            base = (baseline or {}).get(doc_id, {})
            details.append(
                {
                    "id": doc_id,
                    "category": record.get("category"),
                    "text": record["text"],
                    "expect_no_events": record.get("expect_no_events", False),
                    "gold": sorted(gold_triples(record["events"], "exact")),
                    "ours": sorted(_our_items(events, "exact")),
                    "petrarch2": sorted(gold_triples(base.get("pred") or [], "exact")),
                    "petrarch2_status": base.get("status"),
                    "gold_ccr": sorted(_petrarch_items(record["events"], "country-country-root")),
                    "ours_ccr": sorted(_our_items(events, "country-country-root")),
                    "events": [_event_summary(e) for e in events],
                    "error": error,
                }
            )
    views = _score_petrarch(records, ours, baseline, lambda r: True, "")
    views += _score_petrarch(records, ours, baseline, lambda r: r.get("category") == "AFP", "AFP: ")
    negatives = [r for r in records if r.get("expect_no_events")]
    base_rows = baseline or {}
    counts = {
        "records": len(records),
        "AFP records": sum(1 for r in records if r.get("category") == "AFP"),
        "expect-no-event records": len(negatives),
        "  of which we output events": sum(1 for r in negatives if ours[str(r["id"])]),
    }
    if baseline is not None:
        counts["  of which PETRARCH2 output events"] = sum(
            1 for r in negatives if base_rows.get(str(r["id"]), {}).get("pred")
        )
    counts["records where we output nothing"] = sum(1 for r in records if not ours[str(r["id"])])
    counts["coder errors"] = errors
    notes = ["gold leans toward PETRARCH2 (its codings were seeded from PETRARCH2 output)"]
    notes.append(_dictionary_note(run))
    if baseline is not None:
        counts["PETRARCH2 no-parse records (count as empty)"] = sum(
            1 for r in records if base_rows.get(str(r["id"]), {}).get("status") == "no_parse"
        )
    else:
        notes.append("PETRARCH2 baseline file not found; baseline columns omitted")
    return EvalReport(
        suite=suite,
        description=SUITES_DESCRIPTIONS[suite],
        baseline_name="PETRARCH2" if baseline is not None else None,
        views=views,
        counts=counts,
        notes=notes,
        details=details if run.details else None,
    )


def _dictionary_note(run: SuiteRun) -> str:
    if run.dictionaries:
        return "ours: dictionaries " + ", ".join(p.name for p in run.dictionaries)
    return "ours: built-in knowledge only (no dictionaries loaded)"


PETRARCH_VALIDATE_SUITE = "udp_validate_2_02"


def _run_petrarch_validate(run: SuiteRun) -> EvalReport:
    """CAMEO triples on the UD-PETRARCH validation records (``udp_validate_2_02``), own dictionaries.

    The records test PETRARCH's features on made-up actors (Arnor, Gondor, ...), so we code them
    with the suite's own actor and agent files (``shared/dictionaries/universalpetrarch_validate``)
    unless other dictionaries or a coder are given. Scoring as in ``petrarch-news``: every enabled
    record (264), per-record sets of triples, micro-averaged; PETRARCH2 rows that are
    ``no_parse``, ``exception`` or ``story_discard`` predict nothing. The ``parsed:`` views keep only
    the records PETRARCH2 coded without error, the convention of its published F1.
    """
    suite = "petrarch-validate"
    dict_paths = run.dictionaries
    coder = run.coder
    if not run.coder_given:
        if dict_paths is None:
            dict_paths = resolve_dictionaries(["validate"], run.shared)
            for path in dict_paths:
                if not path.is_file():
                    raise NewsEventsError(Errors.E302, suite=suite, path=str(path))
        coder = dictionary_coder(dict_paths)
    run = SuiteRun(run.shared, run.limit, coder, run.details, dict_paths, run.coder_given)
    gold = read_jsonl(require(run.shared, "petrarch_gold", suite))
    records = _limited(
        [r for r in gold if r.get("suite") == PETRARCH_VALIDATE_SUITE and r.get("enabled", True)],
        run.limit,
    )
    baseline = _baseline_by_id(run.shared, suite, "validate_2_02")
    base_rows = baseline or {}
    ours: dict[str, list[Event]] = {}
    errors = 0
    details: list[dict[str, Any]] = []
    for record in records:
        doc_id, events, error = _code_record(run.coder, record)
        errors += error is not None
        ours[doc_id] = events
        if run.details:
            base = base_rows.get(doc_id, {})
            details.append(
                {
                    "id": doc_id,
                    "category": record.get("category"),
                    "date": record.get("date"),
                    "text": record["text"],
                    "gold": sorted(gold_triples(record["events"], "exact")),
                    "ours": sorted(_our_items(events, "exact")),
                    "petrarch2": sorted(gold_triples(base.get("pred") or [], "exact")),
                    "petrarch2_status": base.get("status"),
                    "events": [_event_summary(e) for e in events],
                    "actors": [
                        {"text": a.text, "code": a.code, "why": a.resolution}
                        for e in events
                        for a in [*e.actor, *e.recipient]
                    ],
                    "error": error,
                }
            )

    def parsed(record: dict[str, Any]) -> bool:
        return base_rows.get(str(record["id"]), {}).get("status") == "ok"

    views = _score_petrarch(records, ours, baseline, lambda r: True, "")
    if baseline is not None:
        views += _score_petrarch(records, ours, baseline, parsed, "parsed: ")
    dyads, base_dyads = Scores(), Scores() if baseline is not None else None
    for record in records:
        gold_pairs = {(s, t) for s, t, _ in gold_triples(record["events"], "exact")}
        dyads.add({(s, t) for s, t, _ in _our_items(ours[str(record["id"])], "exact")}, gold_pairs)
        if base_dyads is not None:
            pred = base_rows.get(str(record["id"]), {}).get("pred") or []
            base_dyads.add({(s, t) for s, t, _ in gold_triples(pred, "exact")}, gold_pairs)
    views.append(
        View(
            "dyads",
            "(source, target) pairs with full actor codes, event code ignored",
            dyads,
            base_dyads,
        )
    )
    statuses = Counter(base_rows.get(str(r["id"]), {}).get("status", "missing") for r in records)
    negatives = [r for r in records if r.get("expect_no_events")]
    counts = {
        "records": len(records),
        "expect-no-event records": len(negatives),
        "  of which we output events": sum(1 for r in negatives if ours[str(r["id"])]),
        "records where we output nothing": sum(1 for r in records if not ours[str(r["id"])]),
        "coder errors (crashes)": errors,
    }
    notes = [_dictionary_note(run)]
    if baseline is not None:
        for status in ("ok", "no_parse", "exception", "story_discard"):
            counts[f"PETRARCH2 {status} records"] = statuses.get(status, 0)
        counts["  of which PETRARCH2 could not code (not ok)"] = len(records) - statuses.get(
            "ok", 0
        )
    else:
        notes.append("PETRARCH2 baseline file not found; baseline columns omitted")
    return EvalReport(
        suite=suite,
        description=SUITES_DESCRIPTIONS[suite],
        baseline_name="PETRARCH2" if baseline is not None else None,
        views=views,
        counts=counts,
        notes=notes,
        details=details if run.details else None,
    )


SUITES_DESCRIPTIONS = {
    "plover-gsr": "PLOVER gold-standard sentences (322, CAMEO-manual examples): event type per "
    "sentence, actor/recipient country",
    "petrarch-news": "PETRARCH-2 GSR validation sentences (udp_gsr_english, 78 enabled): "
    "(source country, target country, CAMEO root) triples vs PETRARCH2",
    "petrarch-validate": "UD-PETRARCH validation records (udp_validate_2_02, 264 enabled) coded "
    "with their own actor/agent dictionaries: exact and root triples vs PETRARCH2",
}

REGISTRY: dict[str, Suite] = {
    "plover-gsr": Suite("plover-gsr", SUITES_DESCRIPTIONS["plover-gsr"], _run_plover_gsr),
    "petrarch-news": Suite(
        "petrarch-news", SUITES_DESCRIPTIONS["petrarch-news"], _run_petrarch_news
    ),
    "petrarch-validate": Suite(
        "petrarch-validate", SUITES_DESCRIPTIONS["petrarch-validate"], _run_petrarch_validate
    ),
}
