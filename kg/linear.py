"""Binary logistic models stored as plain JSON: an intercept, a weight per feature
name and a decision threshold on the probability.

The political-news filter (``kg.extraction.political``) and the name scorers
(``kg.linking.name_spans``) are such models, each with a format name of its own;
their trainers (the ``train`` extra) write them with ``write_model_json``, and they
are read here without scikit-learn.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any, TypeVar

Model = TypeVar("Model", bound="BinaryModel")


@dataclass(frozen=True)
class BinaryModel:
    intercept: float
    weights: dict[str, float]  # feature name -> weight
    threshold: float  # a probability

    def probability(self, features: Iterable[str]) -> float:
        """The logistic of the intercept plus the weights of ``features`` (names the
        model does not know weigh nothing)."""
        score = self.intercept + sum(map(self.weights.get, features, repeat(0.0)))
        return 1.0 / (1.0 + math.exp(-score))

    def model_json(self, model_format: str) -> dict[str, Any]:
        return {
            "format": model_format,
            "intercept": self.intercept,
            "threshold": self.threshold,
            "weights": self.weights,
        }

    @classmethod
    def read(cls: type[Model], path: Path, model_format: str) -> Model:
        """The model in ``path``; ValueError if it is of another format or its threshold
        is not a probability."""
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != model_format:
            raise ValueError(f"{path}: not a {model_format} model (format {data.get('format')!r})")
        threshold = float(data["threshold"])
        if not 0 <= threshold < 1:
            raise ValueError(f"{path}: threshold {threshold} is not a probability")
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        return cls(float(data["intercept"]), weights, threshold)


def model_file(env: str, packaged: Path) -> Path | None:
    """The model file ``$env`` names, else the packaged one; None where it does not exist
    (before a model has been trained)."""
    path = Path(os.environ[env]) if os.environ.get(env) else packaged
    return path if path.exists() else None


def write_model_json(data: dict[str, Any], path: Path) -> None:
    """A model as sorted, one-key-a-line JSON: the same model, the same bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0)
    path.write_text(text + "\n", encoding="utf-8")
