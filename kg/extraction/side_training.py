"""Training the side chooser (``kg train-sides``) from the annotated corpus.

Each training document is read as at run time (linking, generic actors, relations,
the rules and the trained detector), but with a recorder in place of the side chooser:
every candidate pair it is offered becomes an example, right when the pair, compared
as ``kg evaluate`` compares (``kg.evaluation.assertions``), is one of the document's
gold event tuples.  One L2-regularised logistic regression over all of them
(scikit-learn, liblinear, deterministic); its threshold the one with the best F1 over
out-of-fold probabilities (five folds by document), so no split that scores the model
has tuned it.  Run it after ``kg train-events``: it learns to re-read the events the
packaged detector proposes.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from kg.evaluation.assertions import Assertion, event_assertions
from kg.evaluation.dev import GoldDoc, gold_event_tuples, predicted_ref_resolver
from kg.evaluation.predictions import PredictedDoc, predicted_entity
from kg.extraction.analysis import analyse
from kg.extraction.sides import Candidate, SideModel, decode
from kg.learning import (
    document_folds,
    documents_f1,
    fit_logistic,
    int32_indices,
    kept_weights,
    middle_best_threshold,
    out_of_fold,
)
from kg.model import Entity, Event
from kg.pipeline import Pipeline

log = logging.getLogger(__name__)

REGULARISATION_C = 0.3
FIT = {"C": REGULARISATION_C, "max_iter": 1000}  # the options of every fit
WEIGHT_FLOOR = 0.01  # smaller weights are dropped from the stored model


@dataclass(frozen=True)
class SideExample:
    doc_id: str
    sentence: int  # which of the document's sentences offered it (decoding is per sentence)
    type: str
    actor: str
    recipient: str | None
    features: tuple[str, ...]
    tuples: frozenset[Assertion]  # what the pair counts as (kg evaluate's comparison)
    right: bool
    ruled: bool = False  # the lexicon's rules read this very pair: kept whatever the model says
    together: tuple[str, ...] = ()  # the recipients the proposing rule read with this one


@dataclass
class SideData:
    examples: list[SideExample]
    gold: dict[str, set[Assertion]]  # each document's gold event tuples


@dataclass
class CandidateRecorder:
    """A side chooser that keeps the candidates it is offered and changes nothing."""

    offered: list[tuple[int, Candidate]] = field(default_factory=list)
    sentences: int = 0

    def __call__(
        self, events: list[Event], candidates: list[Candidate], ruled: Collection[str]
    ) -> list[Event]:
        self.offered.extend((self.sentences, c) for c in candidates)
        self.sentences += 1
        return events


def examples(docs: Iterable[GoldDoc], pipeline: Pipeline) -> SideData:
    """One example per candidate pair the side chooser is offered in each document."""
    data = SideData([], {})
    for gold in docs:
        doc = gold.document()
        entities = pipeline.entities(doc)
        recorder = CandidateRecorder()
        analyse(doc, entities, sides=recorder)
        truth = data.gold[gold.id] = set(gold_event_tuples(gold))
        resolve = predicted_ref_resolver(gold, as_predicted(gold.id, doc.lang, entities))
        for sentence, candidate in recorder.offered:
            recipients = [resolve(candidate.recipient)] if candidate.recipient else []
            found = event_assertions(candidate.type, [resolve(candidate.actor)], recipients)
            right = bool(found) and found <= truth
            data.examples.append(
                SideExample(
                    gold.id,
                    sentence,
                    candidate.type,
                    candidate.actor,
                    candidate.recipient,
                    candidate.features,
                    frozenset(found),
                    right,
                    candidate.ruled,
                    candidate.together,
                )
            )
    return data


def as_predicted(doc_id: str, lang: str, entities: list[Entity]) -> PredictedDoc:
    """The entities as ``kg evaluate`` reads them from ``kg extract``'s output."""
    return PredictedDoc(doc_id, lang, [predicted_entity(e.to_json()) for e in entities], [], [])


def train(data: SideData) -> SideModel:
    """The model on all examples; its threshold from out-of-fold probabilities."""
    from sklearn.feature_extraction import DictVectorizer

    train_examples = data.examples
    if not any(e.right for e in train_examples):
        raise ValueError("the side chooser needs right pairs to learn from")
    vectorizer = DictVectorizer()
    x = int32_indices(vectorizer.fit_transform([_binary(e.features) for e in train_examples]))
    y = [e.right for e in train_examples]
    model = fit_logistic(x, y, **FIT)
    weights = kept_weights(vectorizer.get_feature_names_out(), model.coef_[0], WEIGHT_FLOOR)
    folds = document_folds([e.doc_id for e in train_examples])
    threshold = document_threshold(out_of_fold(x, y, folds, **FIT), train_examples, data.gold)
    return SideModel(round(float(model.intercept_[0]), 4), weights, threshold)


def document_threshold(
    probabilities: list[float], train_examples: list[SideExample], gold: dict[str, set[Assertion]]
) -> float:
    """The threshold (0.1-0.9) with the best events F1 as ``kg evaluate`` counts it: each
    sentence's candidates decoded as at run time (``sides.decode``), then per document
    the set of tuples kept against the gold set, every gold tuple that no candidate
    offered counted as missed (the middle one of the thresholds that tie)."""
    sentences: dict[tuple[str, int], list[tuple[float, SideExample]]] = {}
    for p, example in zip(probabilities, train_examples, strict=True):
        sentences.setdefault((example.doc_id, example.sentence), []).append((p, example))

    def f1_at(threshold: float) -> float:
        kept: dict[str, set[Assertion]] = {doc_id: set() for doc_id in gold}
        for (doc_id, _), scored in sentences.items():
            for _, example in decode(scored, threshold):
                kept[doc_id] |= example.tuples
        return documents_f1(kept, gold)

    return middle_best_threshold(f1_at)


def _binary(features: tuple[str, ...]) -> dict[str, float]:
    return dict.fromkeys(features, 1.0)
