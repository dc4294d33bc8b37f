"""The result of one evaluation run, renderable as a plain-text table or a dict."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsevents.eval.scoring import Scores

__all__ = ["EvalReport", "Table", "View"]


@dataclass
class View:
    """One way of scoring: our scores, and the baseline's with the same scorer where there is one."""

    name: str
    description: str
    ours: Scores
    baseline: Scores | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "ours": self.ours.to_dict(),
            "baseline": None if self.baseline is None else self.baseline.to_dict(),
        }


@dataclass
class Table:
    """A small extra table (confusions, per-type recall)."""

    title: str
    header: tuple[str, ...]
    rows: list[tuple[str, ...]]

    def render(self) -> str:
        widths = [len(h) for h in self.header]
        for row in self.rows:
            widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
        lines = [
            self.title,
            _row(self.header, widths),
            _row(tuple("-" * w for w in widths), widths),
        ]
        lines += [_row(row, widths) for row in self.rows]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "header": list(self.header),
            "rows": [list(r) for r in self.rows],
        }


def _row(cells: tuple[str, ...], widths: list[int]) -> str:
    parts = [
        cell.ljust(w) if i == 0 else cell.rjust(w)
        for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
    ]
    return "  ".join(parts).rstrip()


@dataclass
class EvalReport:
    """What :func:`newsevents.eval.run_suite` returns."""

    suite: str
    description: str
    baseline_name: str | None
    views: list[View]
    counts: dict[str, int] = field(default_factory=dict)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    details: list[dict[str, Any]] | None = None

    def view(self, name: str) -> View:
        """The view called ``name`` (KeyError if absent)."""
        for view in self.views:
            if view.name == name:
                return view
        raise KeyError(name)

    def render(self) -> str:
        """A readable report: one line per view, ours beside the baseline's, then counts and tables."""
        has_baseline = any(v.baseline is not None for v in self.views)
        header: tuple[str, ...] = ("view", "records", "P", "R", "F1", "tp/pred/gold")
        if has_baseline:
            base = self.baseline_name or "baseline"
            header += (f"{base} P", "R", "F1", "tp/pred/gold")
        rows: list[tuple[str, ...]] = []
        for view in self.views:
            row: tuple[str, ...] = (view.name, str(view.ours.records), *_scores_cells(view.ours))
            if has_baseline:
                row += _scores_cells(view.baseline) if view.baseline else ("", "", "", "")
            rows.append(row)
        parts = [
            f"Suite {self.suite}: {self.description}",
            Table("", header, rows).render().lstrip("\n"),
        ]
        if self.counts:
            width = max(len(k) for k in self.counts)
            parts.append("\n".join(f"{k.ljust(width)}  {v}" for k, v in self.counts.items()))
        parts += [table.render() for table in self.tables if table.rows]
        if self.notes:
            parts.append("\n".join(f"note: {n}" for n in self.notes))
        return "\n\n".join(parts) + "\n"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (without the per-record details)."""
        return {
            "suite": self.suite,
            "description": self.description,
            "baseline": self.baseline_name,
            "views": [v.to_dict() for v in self.views],
            "counts": dict(self.counts),
            "tables": [t.to_dict() for t in self.tables],
            "notes": list(self.notes),
        }

    def details_jsonl(self) -> str:
        """Per-record predictions vs gold, one JSON object a line (empty if not collected)."""
        return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in self.details or [])

    def write_details(self, path: Path) -> None:
        """Write :meth:`details_jsonl` to ``path``."""
        path.write_text(self.details_jsonl(), encoding="utf-8")


def _scores_cells(scores: Scores) -> tuple[str, str, str, str]:
    return (
        f"{scores.precision:.3f}",
        f"{scores.recall:.3f}",
        f"{scores.f1:.3f}",
        f"{scores.tp}/{scores.n_pred}/{scores.n_gold}",
    )
