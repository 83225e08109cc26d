"""Scoring geokg against gold: the project's dev set and external benchmarks.

``evaluate(gold_path, predictions_path=None)`` recognises the gold (a
dev.jsonl-style file, IndEL, NEREL, PLOVER GSR), gets predictions (a ``kg
extract`` output, or the offline pipeline run here) and returns a ``Report``;
``render_table`` / ``report_json`` show it.  Scoring rules are those of the
evaluation kit's FORMAT.md; the decisions it leaves open are documented in
``assertions`` (tuples), ``mentions`` (span matching) and each benchmark module.
"""

from kg.evaluation.benchmarks import detect_benchmark, evaluate, evaluate_all
from kg.evaluation.metrics import Counts
from kg.evaluation.report import Report, render_summary, render_table, report_json

__all__ = [
    "Counts",
    "Report",
    "detect_benchmark",
    "evaluate",
    "evaluate_all",
    "render_summary",
    "render_table",
    "report_json",
]
