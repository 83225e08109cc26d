"""Counts of hits and misses, and the precision / recall / F1 they give.

Every scorer in this package reduces its comparison to ``Counts`` (true
positives, false positives, false negatives), keyed by whatever it breaks the
score down by (overall, a language, a type).  Micro-averaging is then just
adding ``Counts`` up before dividing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __iadd__(self, other: Counts) -> Counts:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self

    @property
    def precision(self) -> float:
        # Nothing predicted: precision is undefined; report 0 rather than flatter.
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def compare_sets(gold: Iterable[object], predicted: Iterable[object]) -> Counts:
    """Counts of one document's predicted set against its gold set."""
    gold_set, predicted_set = set(gold), set(predicted)
    return Counts(
        tp=len(gold_set & predicted_set),
        fp=len(predicted_set - gold_set),
        fn=len(gold_set - predicted_set),
    )


class Breakdown:
    """Counts per key (e.g. per language), plus the overall total."""

    def __init__(self) -> None:
        self.total = Counts()
        self.by_key: defaultdict[str, Counts] = defaultdict(Counts)

    def add(self, counts: Counts, *keys: str) -> None:
        """Add ``counts`` to the total and once under each of ``keys``."""
        self.total += counts
        for key in keys:
            self.by_key[key] += counts

    def add_to_key(self, key: str, counts: Counts) -> None:
        """Add to one key only (when the total is counted elsewhere)."""
        self.by_key[key] += counts


def outcomes(gold: Iterable[object], predicted: Iterable[object]) -> list[tuple[object, str]]:
    """Each item of either set with its outcome: "TP", "FP" or "FN" (sorted by item text)."""
    gold_set, predicted_set = set(gold), set(predicted)
    result = [(item, "TP") for item in gold_set & predicted_set]
    result += [(item, "FP") for item in predicted_set - gold_set]
    result += [(item, "FN") for item in gold_set - predicted_set]
    return sorted(result, key=lambda pair: (pair[1], str(pair[0])))


def counts_of(outcome: str) -> Counts:
    """Counts of one item with this outcome."""
    return Counts(tp=int(outcome == "TP"), fp=int(outcome == "FP"), fn=int(outcome == "FN"))
