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

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from kg.linear import BinaryModel, model_file
from kg.paths import DATA_DIR

FILTER_PATH = DATA_DIR / "models" / "political-filter.json"
FILTER_ENV = "GEOKG_POLITICAL_FILTER"
FILTER_FORMAT = "geokg-political-filter/1"
MIN_STEM = 3  # shorter stems are function words


def document_features(stems: Iterable[str]) -> set[str]:
    """The document's distinct stems of ``MIN_STEM`` letters or more."""
    return {stem for stem in stems if len(stem) >= MIN_STEM}


class PoliticalFilter(BinaryModel):
    """Weights per stem; the threshold a probability of being political."""

    def probability(self, features: Iterable[str]) -> float:
        """How likely a document with these stems is political news (each distinct
        stem of ``MIN_STEM`` letters or more counts once)."""
        return super().probability(document_features(features))

    def is_political(self, stems: list[str]) -> bool:
        return self.probability(stems) >= self.threshold

    def to_json(self) -> dict[str, Any]:
        return self.model_json(FILTER_FORMAT)


def read_filter(path: Path) -> PoliticalFilter:
    return PoliticalFilter.read(path, FILTER_FORMAT)


@cache
def default_filter() -> PoliticalFilter | None:
    """The packaged filter (or the one ``$GEOKG_POLITICAL_FILTER`` names), or None before
    one has been trained: then every document is read for events."""
    path = model_file(FILTER_ENV, FILTER_PATH)
    return read_filter(path) if path else None
