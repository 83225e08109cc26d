"""Scoring cross-document event coreference (kg/evaluation/coreference.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.evaluation import evaluate
from kg.evaluation.benchmarks import COREFERENCE_SETS, CORPUS_DIR, detect_benchmark
from kg.evaluation.coreference import score_clusters


def test_scores_of_a_clustering_worked_by_hand() -> None:
    truth = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "c1": "C"}
    # A split in two, and B wrongly merged with part of A.
    scores = score_clusters([["a1", "a2"], ["a3", "b1"], ["c1"]], truth)
    # Pairs: predicted {a1a2, a3b1}, gold {a1a2, a1a3, a2a3}: 1 right.
    assert scores.pairwise == pytest.approx((1 / 2, 1 / 3, 0.4))
    # B-cubed precision per item: a1 1, a2 1, a3 1/2, b1 1/2, c1 1 -> 4/5;
    # recall: a1 2/3, a2 2/3, a3 1/3, b1 1, c1 1 -> 11/15.
    bp, br, bf = scores.bcubed
    assert (bp, br) == pytest.approx((4 / 5, 11 / 15))
    assert bf == pytest.approx(2 * bp * br / (bp + br))
    assert scores.duplicates == 2.0  # the one event reported more than once, split in two
    assert (scores.gold_events, scores.predicted_events) == (3, 3)


def test_a_perfect_clustering_scores_one_and_no_duplicates() -> None:
    truth = {"a1": "A", "a2": "A", "b1": "B"}
    scores = score_clusters([["a1", "a2"], ["b1"]], truth)
    assert scores.pairwise[2] == scores.bcubed[2] == 1.0
    assert scores.duplicates == 1.0


def test_the_multi_outlet_corpus_is_recognised_and_scored(tmp_path: Path) -> None:
    path = CORPUS_DIR / COREFERENCE_SETS["coreference-held-out"]
    assert detect_benchmark(path) == "coreference"
    report = evaluate(path)
    figures = {f.label: f.value for f in report.figures}
    assert set(figures) >= {
        "gold reports: B-cubed F1",
        "gold reports: duplicates factor",
        "system reports: B-cubed F1",
    }
    assert 0.0 < figures["gold reports: B-cubed F1"] <= 1.0
    assert figures["gold reports: duplicates factor"] >= 1.0
    # A corpus file without gold clusters is a plain gold file, not this benchmark.
    plain = tmp_path / "plain.jsonl"
    doc = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    for event in doc["events"]:
        del event["world_event"]
    plain.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    assert detect_benchmark(plain) == "dev"
