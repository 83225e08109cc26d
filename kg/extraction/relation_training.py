"""Training the relation reader (``kg train-relations``) from the annotated corpus.

Each training document is read as at run time (linking, generic actors, the relation
rules), with a recorder in place of the relation reader: every (person, holder)
candidate it is offered becomes an example, right when the relation, compared as ``kg
evaluate`` compares (``kg.evaluation.assertions``), is one of the document's gold
relations.  One L2-regularised logistic regression over all of them (scikit-learn,
liblinear, deterministic); its threshold the one with the best relations F1 over
out-of-fold probabilities (five folds by document), decoded as at run time, so no
split that scores the model has tuned it.  Run it before ``kg train-events``: who
holds which post decides whom a person acts for in an event.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kg.evaluation.assertions import Assertion, assertion
from kg.evaluation.dev import GoldDoc, gold_relation_tuples, predicted_ref_resolver
from kg.extraction.analysis import analyse
from kg.extraction.relation_reader import RelationCandidate, RelationModel, decode
from kg.extraction.side_training import as_predicted
from kg.learning import (
    document_folds,
    documents_f1,
    fit_logistic,
    int32_indices,
    kept_weights,
    middle_best_threshold,
    out_of_fold,
)
from kg.model import Relation
from kg.pipeline import Pipeline

REGULARISATION_C = 0.3
FIT = {"C": REGULARISATION_C, "max_iter": 1000}  # the options of every fit
WEIGHT_FLOOR = 0.01  # smaller weights are dropped from the stored model


@dataclass(frozen=True)
class RelationExample:
    doc_id: str
    candidate: RelationCandidate
    key: Assertion  # what the relation counts as (kg evaluate's comparison)
    right: bool


@dataclass
class RelationData:
    examples: list[RelationExample]
    gold: dict[str, set[Assertion]]  # each document's gold relation tuples
    ruled: dict[str, set[Assertion]]  # each document's tuples the rules read
    ruled_subjects: dict[str, set[tuple[str, str]]]  # (type, subject ref) the rules gave one


@dataclass
class RelationRecorder:
    """A relation reader that keeps the candidates it is offered and adds nothing."""

    offered: list[RelationCandidate] = field(default_factory=list)
    ruled: list[Relation] = field(default_factory=list)

    def __call__(
        self, candidates: list[RelationCandidate], ruled: Sequence[Relation]
    ) -> list[Relation]:
        self.offered += candidates
        self.ruled += ruled
        return []


def examples(docs: Iterable[GoldDoc], pipeline: Pipeline) -> RelationData:
    """One example per candidate the relation reader is offered in each document."""
    data = RelationData([], {}, {}, {})
    for gold in docs:
        doc = gold.document()
        entities = pipeline.entities(doc)
        recorder = RelationRecorder()
        found = analyse(doc, entities, relations=recorder)
        truth = data.gold[gold.id] = set(gold_relation_tuples(gold))
        resolve = predicted_ref_resolver(gold, as_predicted(gold.id, doc.lang, entities))
        data.ruled[gold.id] = {
            assertion(r.type, resolve(r.subject), resolve(r.object)) for r in found.relations
        }
        data.ruled_subjects[gold.id] = {(r.type, r.subject) for r in recorder.ruled}
        for candidate in recorder.offered:
            key = assertion(candidate.type, resolve(candidate.subject), resolve(candidate.object))
            data.examples.append(RelationExample(gold.id, candidate, key, key in truth))
    return data


def train(data: RelationData) -> RelationModel:
    """The model on all examples; its threshold from out-of-fold probabilities."""
    from sklearn.feature_extraction import DictVectorizer

    if not any(e.right for e in data.examples):
        raise ValueError("the relation reader needs right relations to learn from")
    vectorizer = DictVectorizer()
    rows = [dict.fromkeys(e.candidate.features, 1.0) for e in data.examples]
    x = int32_indices(vectorizer.fit_transform(rows))
    y = [e.right for e in data.examples]
    model = fit_logistic(x, y, **FIT)
    weights = kept_weights(vectorizer.get_feature_names_out(), model.coef_[0], WEIGHT_FLOOR)
    folds = document_folds([e.doc_id for e in data.examples])
    threshold = document_threshold(out_of_fold(x, y, folds, **FIT), data)
    return RelationModel(round(float(model.intercept_[0]), 4), weights, threshold)


def kept_tuples(
    probabilities: list[float], data: RelationData, threshold: float
) -> dict[str, set[Assertion]]:
    """Each document's relation tuples: the rules', and the candidates decoded as at run
    time (``relation_reader.decode``) with these probabilities."""
    documents: dict[str, list[tuple[float, RelationExample]]] = {}
    for p, example in zip(probabilities, data.examples, strict=True):
        documents.setdefault(example.doc_id, []).append((p, example))
    kept = {doc_id: set(ruled) for doc_id, ruled in data.ruled.items()}
    for doc_id, scored in documents.items():
        by_candidate = {id(e.candidate): e for _, e in scored}
        pairs = ((p, e.candidate) for p, e in scored)
        for _, candidate in decode(pairs, threshold, data.ruled_subjects[doc_id]):
            kept[doc_id].add(by_candidate[id(candidate)].key)
    return kept


def document_threshold(probabilities: list[float], data: RelationData) -> float:
    """The threshold (0.1-0.9) with the best relations F1 as ``kg evaluate`` counts it
    (the middle one of those that tie)."""
    return middle_best_threshold(
        lambda threshold: documents_f1(kept_tuples(probabilities, data, threshold), data.gold)
    )
