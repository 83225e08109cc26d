"""Training the name scorers (``kg train-names``) from the annotated corpus.

Each candidate span of a training document (``Linker.name_candidates``: after
linking, exactly as at run time) is one example; it is a name when it covers exactly
the words of one occurrence of a surface form of a gold entity of the scorer's kinds
("Angela Merkel" in "Bundeskanzlerin Angela Merkel"; the longer and shorter spans
around it are not).  The organization scorer is trained first: the person scorer
reads what it leaves.
One L2-regularised logistic regression (scikit-learn, liblinear, deterministic) over
the spans' binary features; its threshold the one with the best span-level F1 over
out-of-fold probabilities (five folds by document), so neither the dev split nor the
test split tunes it.

scikit-learn is needed here only (the ``train`` extra); the model it writes is read
without it.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kg.evaluation.dev import GoldDoc
from kg.evaluation.names import form_occurrences, outermost
from kg.gazetteer.normalize import Token
from kg.learning import (
    best_threshold,
    document_folds,
    fit_logistic,
    int32_indices,
    kept_weights,
    out_of_fold,
)
from kg.linking import Linker
from kg.linking.name_spans import CASELESS, NameShape, Scorer

log = logging.getLogger(__name__)

# Out-of-fold span F1 of the person scorer on the training data (1,656 documents,
# 28,317 candidate spans): C 0.3: 0.672, 1.0: 0.711, 3.0: 0.722.  1.0, where the gain
# flattens.
REGULARISATION_C = 1.0
# The organization scorer's (1,656 documents, 32,256 candidate spans): C 1.0: 0.599,
# 3.0: 0.618, 10.0: 0.624.  3.0, where it flattens (0.3 gave 0.544 on a first version
# of the candidates).
ORGANIZATION_C = 3.0
PERSON_TYPES = frozenset({"person"})
# What the organization scorer learns to find: the bodies that act and hold posts.
ORGANIZATION_TYPES = frozenset({"organization", "armed_forces", "alliance"})
WEIGHT_FLOOR = 0.01  # smaller weights are dropped from the stored model
CASELESS_BIAS = CASELESS + "bias"  # the feature every span of a caseless script has


@dataclass(frozen=True)
class NameExample:
    doc_id: str
    features: tuple[str, ...]
    is_name: bool


def examples(
    docs: Iterable[GoldDoc], linker: Linker, shape: NameShape, kinds: frozenset[str]
) -> list[NameExample]:
    """One example per candidate span of ``shape`` in every document; a name where it is
    a surface form of a gold entity of a type in ``kinds``."""
    out: list[NameExample] = []
    for gold in docs:
        words, found = linker.name_candidates(gold.document(), shape)
        names = gold_name_spans(gold, words, kinds)
        out += [NameExample(gold.id, c.features, (c.first, c.last) in names) for c in found]
    return out


def gold_name_spans(
    gold: GoldDoc, words: list[Token], kinds: frozenset[str] = PERSON_TYPES
) -> set[tuple[int, int]]:
    """(first, last) word indexes of every occurrence of a surface form of a gold entity
    of a type in ``kinds`` that begins and ends on word boundaries and lies inside no
    longer occurrence ("Bazoum" is a name alone, not inside "Mohamed Bazoum")."""
    starts = {word.start: k for k, word in enumerate(words)}
    ends = {word.end: k for k, word in enumerate(words)}
    forms = [
        form
        for entity in gold.entities
        if entity.type in kinds and not entity.sector
        for form in entity.surface_forms
    ]
    spans = {
        (starts[start], ends[end])
        for start, end in form_occurrences(gold.text, forms)
        if start in starts and end in ends
    }
    return outermost(spans)


def train(
    train_examples: list[NameExample], model_class: type[Scorer], c: float = REGULARISATION_C
) -> Scorer:
    """The model fitted on every example, its threshold from out-of-fold probabilities."""
    x, y, names = _matrix(train_examples)
    model = fit_logistic(x, y, C=c, max_iter=1000)
    folds = document_folds([e.doc_id for e in train_examples])
    probabilities = out_of_fold(x, y, folds, C=c, max_iter=1000)
    caseless = [CASELESS_BIAS in e.features for e in train_examples]
    threshold = _threshold_of(probabilities, y, caseless, False)
    weights = kept_weights(names, model.coef_[0], WEIGHT_FLOOR)
    if any(caseless):
        # Spans of scripts without capitals get a threshold of their own (they are far
        # more, and far fewer are names), folded into their bias: a span at that
        # threshold then scores exactly the model's threshold.
        own = _threshold_of(probabilities, y, caseless, True)
        shift = _logit(threshold) - _logit(own)
        weights[CASELESS_BIAS] = round(weights.get(CASELESS_BIAS, 0.0) + shift, 4)
    return model_class(round(float(model.intercept_[0]), 4), weights, threshold)


def _threshold_of(
    probabilities: list[float], y: list[bool], caseless: list[bool], script: bool
) -> float:
    """The best threshold over the examples of one script class."""
    kept = [i for i, flag in enumerate(caseless) if flag == script]
    return best_threshold([probabilities[i] for i in kept], [y[i] for i in kept])


def _logit(probability: float) -> float:
    return math.log(probability / (1 - probability))


def cross_validated_f1(train_examples: list[NameExample], c: float) -> tuple[float, float]:
    """(best span F1 over thresholds, that threshold) from out-of-fold probabilities --
    how ``c`` was chosen."""
    x, y, _ = _matrix(train_examples)
    folds = document_folds([e.doc_id for e in train_examples])
    probabilities = out_of_fold(x, y, folds, C=c, max_iter=1000)
    threshold = best_threshold(probabilities, y)
    tp = sum(1 for p, t in zip(probabilities, y, strict=True) if p >= threshold and t)
    fp = sum(1 for p, t in zip(probabilities, y, strict=True) if p >= threshold and not t)
    fn = sum(1 for p, t in zip(probabilities, y, strict=True) if p < threshold and t)
    return (2 * tp / (2 * tp + fp + fn) if tp else 0.0), threshold


def _matrix(train_examples: list[NameExample]) -> tuple[Any, list[bool], Any]:
    from sklearn.feature_extraction import DictVectorizer

    vectorizer = DictVectorizer()
    rows = [dict.fromkeys(e.features, 1.0) for e in train_examples]
    x = int32_indices(vectorizer.fit_transform(rows))
    return x, [e.is_name for e in train_examples], vectorizer.get_feature_names_out()
