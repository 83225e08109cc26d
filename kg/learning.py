"""Helpers shared by the trainers of geokg's models (the event detector, the
political-news filter, the name scorers, the side chooser): folds by document, a
decision threshold from out-of-fold probabilities, sparse matrices liblinear accepts,
and the weights a stored model keeps.

Only the trainers import this module (the ``train`` extra); the models they write are
read without scikit-learn.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

FOLDS = 5


def fit_logistic(x: Any, y: list[bool], **options: Any) -> Any:
    """scikit-learn's liblinear logistic regression fitted on one BLAS thread.

    liblinear's solver sums through BLAS, and a multi-threaded BLAS adds in an order
    that depends on how many cores it has: the fitted weights then differ in their last
    digits from machine to machine (a model trained with one core pinned differed from
    the packaged one).  On one thread every machine fits the same model."""
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return LogisticRegression(solver="liblinear", **options).fit(x, y)


def out_of_fold(x: Any, y: list[bool], folds: list[int], **options: Any) -> list[float]:
    """Each example's probability from a ``fit_logistic(**options)`` model fitted without
    its fold (``document_folds``).  A fold whose complement holds no true example keeps
    probability 0 (a detector type whose only examples all fall in that fold)."""
    probabilities = [0.0] * len(y)
    for fold in range(FOLDS):
        held = [i for i, f in enumerate(folds) if f == fold]
        kept = [i for i, f in enumerate(folds) if f != fold]
        kept_y = [y[i] for i in kept]
        if not any(kept_y):
            continue
        scores = fit_logistic(x[kept], kept_y, **options).predict_proba(x[held])[:, 1]
        for i, p in zip(held, scores, strict=True):
            probabilities[i] = float(p)
    return probabilities


def document_folds(doc_ids: list[str], folds: int = FOLDS) -> list[int]:
    """Each example's fold: its document's place in the sorted document ids, modulo
    ``folds`` (a document's examples stay together; the same corpus, the same folds)."""
    fold_of = {doc_id: i % folds for i, doc_id in enumerate(sorted(set(doc_ids)))}
    return [fold_of[doc_id] for doc_id in doc_ids]


def best_threshold(probabilities: Iterable[float], truth: list[bool]) -> float:
    """The threshold (0.2-0.9) with the best F1 -- the middle one of those that tie,
    as far from both kinds of error as the data allow; 0.5 when no example is true."""
    scored = list(zip(probabilities, truth, strict=True))
    if not any(truth):
        return 0.5

    def f1_at(threshold: float) -> float:
        tp = sum(1 for p, t in scored if p >= threshold and t)
        fp = sum(1 for p, t in scored if p >= threshold and not t)
        fn = sum(1 for p, t in scored if p < threshold and t)
        return f1_score(tp, fp, fn)

    return middle_best_threshold(f1_at, range(4, 19))


def middle_best_threshold(f1_at: Callable[[float], float], steps: range = range(2, 19)) -> float:
    """Of the thresholds step/20, the one with the best ``f1_at`` -- the middle one of
    those that tie."""
    by_f1: dict[float, list[float]] = defaultdict(list)
    for step in steps:
        by_f1[f1_at(step / 20)].append(step / 20)
    best = by_f1[max(by_f1)]
    return best[len(best) // 2]


def f1_score(tp: int, fp: int, fn: int) -> float:
    """F1, rounded to six places (ties between thresholds are ties), 0 with no hit."""
    return round(2 * tp / (2 * tp + fp + fn), 6) if tp else 0.0


def documents_f1(kept: dict[str, set[Any]], gold: dict[str, set[Any]]) -> float:
    """F1 of each document's kept tuples against its gold ones, pooled, as ``kg
    evaluate`` counts it (a gold tuple nothing kept is a miss)."""
    tp = sum(len(kept[d] & gold[d]) for d in gold)
    fp = sum(len(kept[d] - gold[d]) for d in gold)
    fn = sum(len(gold[d] - kept[d]) for d in gold)
    return f1_score(tp, fp, fn)


def int32_indices(matrix: Any) -> Any:
    """liblinear takes 32-bit sparse indices only; DictVectorizer may give 64-bit ones."""
    matrix = matrix.tocsr()
    matrix.indices = matrix.indices.astype("int32")
    matrix.indptr = matrix.indptr.astype("int32")
    return matrix


def kept_weights(
    names: Iterable[Any], coefficients: Iterable[Any], floor: float
) -> dict[str, float]:
    """A fitted model's weights by feature name, rounded, those under ``floor`` left out
    (they change no decision and would only make the stored model larger)."""
    return {
        str(name): round(float(weight), 4)
        for name, weight in zip(names, coefficients, strict=True)
        if abs(weight) >= floor
    }
