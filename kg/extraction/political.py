"""The political-news filter: whether a document reports politics at all.

A football report ("Russia's team beat San Marino"), an earthquake bulletin or a market
close holds words that the event lexicons and the detector read as political acts; the
precision guard of the corpus (its non-political leads) showed it.  This model reads the
document whole -- a logistic regression over its words' Snowball stems, trained by
``kg train-events`` on the annotated corpus's political and non-political leads -- and
where it judges a document non-political, no events are read from it (relations, such
as the posts its people hold, still are).

Its threshold is chosen for the political documents: the lowest out-of-fold probability
of any political training lead, so that none of them, read by a model that had not seen
it, would have lost its events.  (The one below which 1% of them fell cost an article of
the kit's dev set -- a dispute over a Nile dam, read as engineering -- its events.)
Stored as plain JSON in ``kg/data/models/political-filter.json``.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from kg.paths import DATA_DIR

FILTER_PATH = DATA_DIR / "models" / "political-filter.json"
FILTER_ENV = "GEOKG_POLITICAL_FILTER"
FILTER_FORMAT = "geokg-political-filter/1"
MIN_STEM = 3  # shorter stems are function words


def document_features(stems: list[str]) -> set[str]:
    """The document's distinct stems of ``MIN_STEM`` letters or more."""
    return {stem for stem in stems if len(stem) >= MIN_STEM}


@dataclass(frozen=True)
class PoliticalFilter:
    intercept: float
    weights: dict[str, float]  # stem -> weight
    threshold: float  # a probability of being political

    def probability(self, stems: list[str]) -> float:
        score = self.intercept + sum(self.weights.get(s, 0.0) for s in document_features(stems))
        return 1.0 / (1.0 + math.exp(-score))

    def is_political(self, stems: list[str]) -> bool:
        return self.probability(stems) >= self.threshold

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FILTER_FORMAT,
            "intercept": self.intercept,
            "threshold": self.threshold,
            "weights": self.weights,
        }


def read_filter(path: Path) -> PoliticalFilter:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != FILTER_FORMAT:
        raise ValueError(f"{path}: not a {FILTER_FORMAT} model (format {data.get('format')!r})")
    threshold = float(data["threshold"])
    if not 0 <= threshold < 1:
        raise ValueError(f"{path}: threshold {threshold} is not a probability")
    weights = {str(k): float(v) for k, v in data["weights"].items()}
    return PoliticalFilter(float(data["intercept"]), weights, threshold)


@cache
def default_filter() -> PoliticalFilter | None:
    """The packaged filter (or the one ``$GEOKG_POLITICAL_FILTER`` names), or None before
    one has been trained: then every document is read for events."""
    path = Path(os.environ[FILTER_ENV]) if os.environ.get(FILTER_ENV) else FILTER_PATH
    return read_filter(path) if path.exists() else None
