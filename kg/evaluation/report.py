"""What a scorer returns, and how it is printed (a text table or JSON).

A ``Report`` is plain data: the scorers fill it, ``render_table`` and
``report_json`` show it, so the CLI and tests never format numbers themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kg.evaluation.metrics import Breakdown, Counts


@dataclass
class ScoreRow:
    label: str
    counts: Counts

    def to_json(self) -> dict[str, Any]:
        c = self.counts
        return {
            "label": self.label,
            "tp": c.tp,
            "fp": c.fp,
            "fn": c.fn,
            "precision": round(c.precision, 4),
            "recall": round(c.recall, 4),
            "f1": round(c.f1, 4),
        }


@dataclass
class Section:
    """One table: a title and its rows (the first is usually "overall")."""

    title: str
    rows: list[ScoreRow]

    @classmethod
    def from_breakdown(cls, title: str, breakdown: Breakdown, prefix: str = "") -> Section:
        rows = [ScoreRow("overall", breakdown.total)]
        rows += [ScoreRow(prefix + key, breakdown.by_key[key]) for key in sorted(breakdown.by_key)]
        return cls(title, rows)

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "rows": [row.to_json() for row in self.rows]}


@dataclass
class Figure:
    """A single number that is not P/R/F1 (an accuracy), with what it counts."""

    label: str
    value: float
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "value": round(self.value, 4), "detail": self.detail}


@dataclass
class PublishedScore:
    """A result published with a benchmark, shown beside ours for context."""

    system: str
    precision: float
    recall: float
    f1: float

    def to_json(self) -> dict[str, Any]:
        return {
            "system": self.system,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass
class ErrorItem:
    """One false positive ("FP") or false negative ("FN"), with its context."""

    task: str  # linking, relation, event, mention, ...
    kind: str  # FP or FN
    doc_id: str
    item: str  # what was (not) found: a QID, a tuple, a type
    context: str  # gold surface forms or evidence; predicted mention and sentence

    def to_json(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "kind": self.kind,
            "doc": self.doc_id,
            "item": self.item,
            "context": self.context,
        }


@dataclass
class Report:
    benchmark: str
    gold: str
    documents: int
    headline: list[ScoreRow] = field(default_factory=list)  # one line each in --all
    sections: list[Section] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    published_title: str = ""
    published: list[PublishedScore] = field(default_factory=list)
    errors: list[ErrorItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def report_json(report: Report, max_errors: int | None = 0) -> dict[str, Any]:
    """The report as JSON; ``max_errors`` None means all errors."""
    return {
        "benchmark": report.benchmark,
        "gold": report.gold,
        "documents": report.documents,
        "headline": [row.to_json() for row in report.headline],
        "sections": [section.to_json() for section in report.sections],
        "figures": [figure.to_json() for figure in report.figures],
        "published": {
            "title": report.published_title,
            "scores": [score.to_json() for score in report.published],
        },
        "errors": [error.to_json() for error in _first(report.errors, max_errors)],
        "error_count": len(report.errors),
        "notes": list(report.notes),
    }


def _first(errors: list[ErrorItem], limit: int | None) -> list[ErrorItem]:
    return list(errors) if limit is None else list(errors[:limit])


_HEADER = f"{'':34} {'P':>6} {'R':>6} {'F1':>6} {'TP':>6} {'FP':>6} {'FN':>6}"


def _row_line(row: ScoreRow, indent: str = "  ") -> str:
    c = row.counts
    label = (indent + row.label)[:34]
    return (
        f"{label:34} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} {c.tp:6d} {c.fp:6d} {c.fn:6d}"
    )


def render_table(report: Report, max_errors: int | None = 0) -> str:
    """The report as text tables, then notes, then up to ``max_errors`` errors."""
    lines = [f"== {report.benchmark}: {report.gold} ({report.documents} documents) =="]
    for section in report.sections:
        lines += ["", f"{section.title}", _HEADER]
        lines += [_row_line(row) for row in section.rows]
    for figure in report.figures:
        lines.append(f"\n{figure.label}: {figure.value:.3f} ({figure.detail})")
    if report.published:
        lines += ["", report.published_title, f"{'':34} {'P':>6} {'R':>6} {'F1':>6}"]
        for score in report.published:
            lines.append(
                f"  {score.system:32} {score.precision:6.3f} {score.recall:6.3f} {score.f1:6.3f}"
            )
    if report.notes:
        lines += [""] + [f"note: {note}" for note in report.notes]
    shown = _first(report.errors, max_errors)
    if shown:
        lines += ["", f"errors ({len(shown)} of {len(report.errors)}):"]
        lines += [
            f"  {e.kind} {e.task} [{e.doc_id}] {e.item} -- {_one_line(e.context)}" for e in shown
        ]
    return "\n".join(lines)


def render_summary(reports: Iterable[Report]) -> str:
    """One table with the headline rows of several reports (``--all``)."""
    lines = [_HEADER]
    figures = []
    for report in reports:
        for row in report.headline:
            lines.append(_row_line(ScoreRow(f"{report.benchmark} {row.label}", row.counts), ""))
        figures += [f"{report.benchmark} {f.label}: {f.value:.3f}" for f in report.figures]
    return "\n".join(lines + [""] + figures if figures else lines)


def _one_line(text: str) -> str:
    return " ".join(text.split())
