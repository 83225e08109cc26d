"""The trained event detector: which PLOVER types a sentence reports.

Detection comes first, from the sentence's own words; roles are filled after,
by the same structural rules the lexicon's triggers use (``events.assign_roles``),
around the word that weighed most for the type.

The model is one logistic regression per event type over sparse features of a
sentence (``sentence_features``): its words' Snowball stems (PyStemmer) and stem
bigrams, the event types the language's trigger lexicon matches in it, and the
sectors of the generic actors in it.  It is trained by ``kg train-events`` from the
annotated corpus (``kg/extraction/training.py``) and stored as plain JSON in
``kg/data/models/event-detector.json``: weights per feature and type, an intercept
and a decision threshold per type.  Scoring is a sum of weights -- no numerical
library at run time, the same result on every machine.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from kg.extraction.words import Token
from kg.paths import DATA_DIR

MODEL_PATH = DATA_DIR / "models" / "event-detector.json"
# Another model file to run with (method comparisons: news-corpus/tools/compare_methods.py).
MODEL_ENV = "GEOKG_EVENT_MODEL"
MODEL_FORMAT = "geokg-event-detector/1"
PREFIX = 5  # letters of a stem kept as its cross-lingual family feature


def sentence_features(
    words: list[Token], trigger_types: Iterable[str], sectors: Iterable[str]
) -> dict[str, list[int]]:
    """Feature name -> the indexes of the tokens that carry it (empty: the whole
    sentence).  Word features know where they stand, so a detected type can be
    placed at its strongest word."""
    features: dict[str, list[int]] = {}
    for i, token in enumerate(words):
        features.setdefault("w:" + token.stem, []).append(i)
        if len(token.stem) > PREFIX:
            # "protest", "protesta", "protesto"; "sanction", "sanciones": one word
            # family across languages and inflections, so the few examples of each
            # language help the others.
            features.setdefault("p:" + token.stem[:PREFIX], []).append(i)
        if i + 1 < len(words):
            features.setdefault(f"b:{token.stem}_{words[i + 1].stem}", []).append(i)
    for kind in trigger_types:
        features.setdefault("lex:" + kind, [])
    for sector in sectors:
        features.setdefault("actor:" + sector, [])
    return features


ANCHORS = 3  # words a detection offers to place its event at, strongest first


@dataclass(frozen=True)
class Detection:
    type: str
    probability: float
    tokens: tuple[int, ...]  # the words that weighed most for the type, strongest first


@dataclass(frozen=True)
class EventDetector:
    types: tuple[str, ...]
    intercepts: dict[str, float]
    thresholds: dict[str, float]
    weights: dict[str, dict[str, float]]  # feature -> type -> weight

    @cached_property
    def _pairs(self) -> dict[str, tuple[tuple[int, float], ...]]:
        """The weights as (type position, weight) pairs per feature: read for every
        feature of every sentence, tuples into a list beat dict updates."""
        position = {kind: i for i, kind in enumerate(self.types)}
        return {
            name: tuple((position[kind], weight) for kind, weight in per.items())
            for name, per in self.weights.items()
        }

    @cached_property
    def _intercepts(self) -> list[float]:
        return [self.intercepts[kind] for kind in self.types]

    @cached_property
    def _logit_thresholds(self) -> list[float]:
        """Each type's threshold as a score: comparing scores spares an exp per type."""
        return [math.log(t / (1 - t)) for t in (self.thresholds[k] for k in self.types)]

    def detect(
        self, features: dict[str, list[int]], skip: frozenset[int] = frozenset()
    ) -> list[Detection]:
        """Every type whose probability reaches its threshold, most probable first;
        each placed at its strongest word, not counting the tokens in ``skip``."""
        scores = list(self._intercepts)
        pairs = self._pairs
        present = [name for name in features if name in pairs]
        for name in present:
            for position, weight in pairs[name]:
                scores[position] += weight
        found = []
        for position, score in enumerate(scores):
            if score >= self._logit_thresholds[position]:  # probability >= threshold
                kind = self.types[position]
                probability = 1.0 / (1.0 + math.exp(-score))
                anchors = self._anchors(kind, present, features, skip)
                found.append(Detection(kind, probability, anchors))
        return sorted(found, key=lambda d: -d.probability)

    def _anchors(
        self, kind: str, present: list[str], features: dict[str, list[int]], skip: frozenset[int]
    ) -> tuple[int, ...]:
        """Where the words that weighed most for ``kind`` stand (outside ``skip``):
        read only for the types detected, most sentences having none."""
        weighed = []
        for name in present:
            weight = self.weights[name].get(kind, 0.0)
            placed = [p for p in features[name] if p not in skip]
            if weight > 0 and placed:
                weighed.append((-weight, placed[0]))
        return _strongest(weighed)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": MODEL_FORMAT,
            "types": list(self.types),
            "intercepts": self.intercepts,
            "thresholds": self.thresholds,
            "weights": self.weights,
        }


def _strongest(weighed: list[tuple[float, int]]) -> tuple[int, ...]:
    """The ``ANCHORS`` positions of the heaviest words (ties: the earlier word)."""
    out: list[int] = []
    for _, position in sorted(weighed):
        if position not in out:
            out.append(position)
            if len(out) == ANCHORS:
                break
    return tuple(out)


def read_detector(path: Path) -> EventDetector:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != MODEL_FORMAT:
        raise ValueError(f"{path}: not a {MODEL_FORMAT} model (format {data.get('format')!r})")
    return EventDetector(
        types=tuple(data["types"]),
        intercepts={k: float(v) for k, v in data["intercepts"].items()},
        thresholds={k: float(v) for k, v in data["thresholds"].items()},
        weights=data["weights"],
    )


@cache
def default_detector() -> EventDetector | None:
    """The packaged model (or the one ``$GEOKG_EVENT_MODEL`` names), or None before
    one has been trained."""
    path = Path(os.environ[MODEL_ENV]) if os.environ.get(MODEL_ENV) else MODEL_PATH
    return read_detector(path) if path.exists() else None
