"""The trained event detector: which PLOVER types a sentence reports.

Detection comes first, from the sentence's own words; roles are filled after,
by the same structural rules the lexicon's triggers use (``events.assign_roles``),
around the word that weighed most for the type.

The model is one logistic regression per event type over sparse features of a
sentence (``sentence_features``): its words' Snowball stems (PyStemmer), their first
letters as a word family shared across languages, the event types the language's
trigger lexicon matches in it, and the sectors of the generic actors in it.  (Stem
bigrams were tried: on the dev split they changed F1 by less than 0.001.)  It is
trained by ``kg train-events`` from the annotated corpus (``kg/extraction/training.py``)
and stored as plain JSON in
``kg/data/models/event-detector.json``: weights per feature and type, an intercept
and a decision threshold per type.  Scoring is a sum of weights (numpy, a document's
sentences at once); scikit-learn is needed for training only.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import numpy as np

from kg.linear import model_file
from kg.paths import DATA_DIR

MODEL_PATH = DATA_DIR / "models" / "event-detector.json"
# Another model file to run with (method comparisons: news-corpus/tools/compare_methods.py).
MODEL_ENV = "GEOKG_EVENT_MODEL"
MODEL_FORMAT = "geokg-event-detector/1"
PREFIX = 5  # letters of a stem kept as its cross-lingual family feature
# Stems of one or two letters ("a", "di", "в") are function words whose weights are
# noise; on the dev split leaving them out raised events F1 0.294 -> 0.296.
MIN_STEM = 3
# Feature names: a word's stem, its family (first PREFIX letters), a trigger type the
# lexicon matches in the sentence, a generic actor's sector in it.
WORD_FEATURE, FAMILY_FEATURE, LEXICON_FEATURE, ACTOR_FEATURE = "w:", "p:", "lex:", "actor:"


def sentence_features(
    stems: list[str], trigger_types: Iterable[str], sectors: Iterable[str]
) -> dict[str, list[int]]:
    """Feature name -> the indexes of the tokens that carry it (empty: the whole
    sentence).  Word features know where they stand, so a detected type can be
    placed at its strongest word.  (Leaving out the words of names was tried, so the
    model would not learn "Argentina" as a sign of talks: on the dev split events F1
    fell from 0.293 to 0.249, so names stay.)"""
    features: dict[str, list[int]] = {}
    for i, stem in enumerate(stems):
        if len(stem) < MIN_STEM:
            continue
        features.setdefault(WORD_FEATURE + stem, []).append(i)
        if len(stem) > PREFIX:
            # "protest", "protesta", "protesto"; "sanction", "sanciones": one word
            # family across languages and inflections, so the few examples of each
            # language help the others.
            features.setdefault(FAMILY_FEATURE + stem[:PREFIX], []).append(i)
    for name in sentence_names(trigger_types, sectors):
        features.setdefault(name, [])
    return features


def sentence_names(trigger_types: Iterable[str], sectors: Iterable[str]) -> list[str]:
    """The sentence-wide features: the lexicon's trigger types and the actors' sectors."""
    return [LEXICON_FEATURE + k for k in trigger_types] + [ACTOR_FEATURE + s for s in sectors]


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
    # The languages it was trained on (enough documents each): where events are read
    # though no trigger lexicon exists (kg.extraction.support).
    languages: tuple[str, ...] = ()

    @cached_property
    def _rows(self) -> dict[str, int]:
        """Each feature's row in ``_matrix``."""
        return {name: row for row, name in enumerate(self.weights)}

    @cached_property
    def _matrix(self) -> np.ndarray:
        """The weights as a (features x types) array: a document's sentences are then
        scored with one gather and one sum instead of a Python loop per feature."""
        position = {kind: i for i, kind in enumerate(self.types)}
        matrix = np.zeros((len(self.weights) + 1, len(self.types)))
        for row, per in enumerate(self.weights.values()):
            for kind, weight in per.items():
                matrix[row, position[kind]] = weight
        return matrix

    @cached_property
    def _intercepts(self) -> np.ndarray:
        return np.array([self.intercepts[kind] for kind in self.types])

    @cached_property
    def _logit_thresholds(self) -> np.ndarray:
        """Each type's threshold as a score: comparing scores spares an exp per type."""
        return np.array([math.log(t / (1 - t)) for t in (self.thresholds[k] for k in self.types)])

    @cached_property
    def _slack_cache(self) -> dict[float, np.ndarray]:
        return {}

    def _slack_thresholds(self, slack: float) -> np.ndarray:
        """Each type's threshold times ``slack``, as a score (kept per slack asked)."""
        if slack not in self._slack_cache:
            shares = (slack * self.thresholds[k] for k in self.types)
            self._slack_cache[slack] = np.array([math.log(t / (1 - t)) for t in shares])
        return self._slack_cache[slack]

    @cached_property
    def _stem_rows(self) -> dict[str, tuple[int, ...]]:
        """Rows of a stem's word features (``w:`` and ``p:``), filled as stems are met:
        a stem costs its look-ups once per process, not once per occurrence."""
        return {}

    def _word_rows(self, stem: str) -> tuple[int, ...]:
        found = self._stem_rows.get(stem)
        if found is None:
            names = [WORD_FEATURE + stem] if len(stem) >= MIN_STEM else []
            if len(stem) > PREFIX:
                names.append(FAMILY_FEATURE + stem[:PREFIX])
            found = tuple(self._rows[n] for n in names if n in self._rows)
            self._stem_rows[stem] = found
        return found

    def detect(
        self, features: dict[str, list[int]], names: frozenset[int] = frozenset()
    ) -> list[Detection]:
        """Every type whose probability reaches its threshold, most probable first,
        each placed at its strongest words outside names (positions ``names``);
        ``features`` as ``sentence_features`` makes them."""
        placed = {self._rows[n]: p for n, p in features.items() if n in self._rows}
        return self._detect_rows([placed], [names])[0]

    def detect_sentences(
        self,
        stems: list[list[str]],
        others: list[list[str]],
        names: list[frozenset[int]],
        slack: float = 1.0,
    ) -> list[list[Detection]]:
        """``detect`` for the sentences of a document at once, from each sentence's
        stems, its other features (``lex:`` and ``actor:`` names) and the positions of
        its words inside names: the same features as ``sentence_features``, with no
        feature name built for a stem seen before.  With ``slack`` under 1, types whose
        probability reaches that share of their threshold are detected too (weak
        detections, for the side chooser to weigh)."""
        rows = self._rows
        sentences = []
        for words, extra in zip(stems, others, strict=True):
            placed: dict[int, list[int]] = {}
            for i, stem in enumerate(words):
                for row in self._word_rows(stem):
                    placed.setdefault(row, []).append(i)
            for name in extra:
                if name in rows:
                    placed.setdefault(rows[name], [])
            sentences.append(placed)
        return self._detect_rows(sentences, names, slack)

    def _detect_rows(
        self,
        sentences: list[dict[int, list[int]]],
        names: list[frozenset[int]],
        slack: float = 1.0,
    ) -> list[list[Detection]]:
        """Detections of sentences given as {feature row: word positions}."""
        picked = [row for placed in sentences for row in placed]
        scores = np.zeros((len(sentences), len(self.types)))
        filled = [i for i, placed in enumerate(sentences) if placed]
        if filled:
            # Each filled sentence's rows are contiguous in ``picked``: one sum per run.
            offsets = np.cumsum([0] + [len(sentences[i]) for i in filled[:-1]])
            scores[filled] = np.add.reduceat(self._matrix[picked], offsets, axis=0)
        scores += self._intercepts
        found: list[list[Detection]] = [[] for _ in sentences]
        bar = self._logit_thresholds if slack == 1.0 else self._slack_thresholds(slack)
        for i, position in zip(*np.nonzero(scores >= bar), strict=True):
            probability = 1.0 / (1.0 + math.exp(-float(scores[i, position])))
            anchors = self._anchors(int(position), sentences[i], names[i])
            found[i].append(Detection(self.types[position], probability, anchors))
        return [sorted(detections, key=lambda d: -d.probability) for detections in found]

    def _anchors(
        self, position: int, placed: dict[int, list[int]], names: frozenset[int]
    ) -> tuple[int, ...]:
        """Where the words that weighed most for the type at ``position`` stand, outside
        names ("police" weighs for an arrest, but the roles are read around the verb):
        read only for the types detected, most sentences having none."""
        # One read of the type's column for all rows: indexing the matrix a cell at a
        # time cost more than the rest of detection.
        weights = self._matrix[list(placed), position].tolist()
        weighed = []
        for weight, positions in zip(weights, placed.values(), strict=True):
            if weight > 0:
                outside = [p for p in positions if p not in names]
                if outside:
                    weighed.append((-weight, outside[0]))
        return _strongest(weighed)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": MODEL_FORMAT,
            "types": list(self.types),
            "intercepts": self.intercepts,
            "thresholds": self.thresholds,
            "weights": self.weights,
            **({"languages": list(self.languages)} if self.languages else {}),
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
        languages=tuple(data.get("languages") or ()),
    )


@cache
def default_detector() -> EventDetector | None:
    """The packaged model (or the one ``$GEOKG_EVENT_MODEL`` names), or None before
    one has been trained."""
    path = model_file(MODEL_ENV, MODEL_PATH)
    return read_detector(path) if path else None
