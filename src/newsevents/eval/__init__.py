"""Evaluation against gold suites in the shared data folder.

>>> from pathlib import Path
>>> from newsevents.eval import SUITES, run_suite
>>> report = run_suite("petrarch-news", shared=Path("../shared"))  # doctest: +SKIP
>>> print(report.render())  # doctest: +SKIP

Suites (``SUITES`` maps name → description):

``plover-gsr``
    PLOVER gold-standard sentences. Per sentence the gold event type is compared with the *set*
    of event types we emit: recall = share of sentences whose gold type we emit, precision =
    share of emitted types that equal the gold type, both micro over sentences. Also actor,
    recipient and pooled country scores, sentences with no event, the most common wrong types
    and per-type recall/precision.

``petrarch-news``
    The PETRARCH-2 GSR validation sentences (suite ``udp_gsr_english``). Per sentence the set of
    (source[:3], target[:3], code[:2]) triples is compared with gold and micro-averaged; also the
    exact-triple and root-only views, the AFP subset, and false positives on expect-no-event
    records. PETRARCH2's published output is scored with the same scorer and shown alongside.
    Convention: all enabled records count, PETRARCH2 ``no_parse`` rows predict nothing (see
    :func:`newsevents.eval.suites._run_petrarch_news`); this reproduces PETRARCH2's
    P 0.967 / R 0.744 / F1 0.841 and AFP F1 0.759.

Gold files are only read from ``shared`` (never copied); a missing gold file raises ``E302``.
New suites are added in :mod:`newsevents.eval.suites` (see its docstring).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from newsevents.errors import Errors, NewsEventsError
from newsevents.eval.report import EvalReport, Table, View
from newsevents.eval.scoring import Scores
from newsevents.eval.suites import (
    REGISTRY,
    Coder,
    SuiteRun,
    default_coder,
    dictionary_coder,
    resolve_dictionaries,
)

__all__ = ["SUITES", "Coder", "EvalReport", "Scores", "Table", "View", "run_suite"]

SUITES: dict[str, str] = {name: suite.description for name, suite in REGISTRY.items()}
"""Suite name → one-line description (for ``newsevents eval --list``)."""


def run_suite(
    name: str,
    *,
    shared: Path,
    limit: int | None = None,
    coder: Coder | None = None,
    details: bool = False,
    dictionaries: Sequence[str | Path] | None = None,
) -> EvalReport:
    """Run one suite and return its report.

    ``shared`` is the folder that holds ``eval/``; ``limit`` scores only the first N records;
    ``coder(text, date, doc_id) -> list[Event]`` defaults to :func:`newsevents.code`;
    ``details=True`` keeps per-record predictions vs gold on ``report.details``
    (write them with ``report.write_details(path)``); ``dictionaries``: PETRARCH/CAMEO actor and
    agent files to code with (the names ``phoenix`` and ``validate`` stand for the sets in
    ``shared/dictionaries``). ``petrarch-validate`` uses its own dictionaries unless told otherwise.
    """
    suite = REGISTRY.get(name)
    if suite is None:
        raise NewsEventsError(Errors.E301, suite=name, options=", ".join(REGISTRY))
    paths = resolve_dictionaries(dictionaries, Path(shared)) if dictionaries else None
    chosen = coder
    if chosen is None and paths:
        chosen = dictionary_coder(paths)
    run = SuiteRun(
        shared=Path(shared),
        limit=limit,
        coder=chosen if chosen is not None else default_coder,
        details=details,
        dictionaries=paths,
        coder_given=coder is not None or bool(paths),
    )
    return suite.run(run)
