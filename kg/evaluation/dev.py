"""The project's own gold: dev.jsonl-style files (../shared/eval/FORMAT.md).

Each line is a document with gold entities (label, type, qid, surface forms),
relations and events whose subjects and actors are English labels of those
entities.  Scored: linking (per-document QID sets), relations and events
(per-document tuple sets, ``kg.evaluation.assertions``), each overall, per
language and per type.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.evaluation.assertions import (
    Assertion,
    assertion,
    event_assertions,
    generic_key,
    normalise_name,
    plover2,
    ref_key,
)
from kg.evaluation.metrics import Breakdown, counts_of, outcomes
from kg.evaluation.names import score_nil_names
from kg.evaluation.predictions import PredictedDoc, Predictions
from kg.evaluation.report import ErrorItem, Figure, Report, ScoreRow, Section
from kg.evaluation.text import sentence_around
from kg.extraction.actors import state_sectors
from kg.model import Document


@dataclass(frozen=True)
class GoldEntity:
    label: str
    type: str
    qid: str | None
    surface_forms: tuple[str, ...]
    # Generic actors (corpus/GUIDE.md): "police", "Iraqi protesters".
    country: str | None = None
    sector: str | None = None


@dataclass(frozen=True)
class GoldRelation:
    type: str
    subject: str  # a gold entity label
    object: str
    evidence: str


@dataclass(frozen=True)
class GoldEvent:
    type: str  # as written in gold; may be an old PLOVER name
    actors: tuple[str, ...]  # gold entity labels
    targets: tuple[str, ...]  # empty when the gold target is null
    evidence: str


@dataclass
class GoldDoc:
    id: str
    lang: str
    text: str
    url: str | None
    entities: list[GoldEntity] = field(default_factory=list)
    relations: list[GoldRelation] = field(default_factory=list)
    events: list[GoldEvent] = field(default_factory=list)
    published: datetime | None = None
    political: bool = True  # False: a negative of the precision guard (corpus/GUIDE.md)
    # "full": entities, relations and events annotated; "document": only whether the lead
    # is political (news-corpus/negatives/), so only its events are known (none).
    annotation: str = "full"

    @property
    def fully_annotated(self) -> bool:
        return self.annotation == "full"

    def ref(self, label: str) -> str:
        """Compare key of a gold entity named by its label: its QID, a generic actor's
        sector and country, else its label."""
        entity = next((e for e in self.entities if e.label == label), None)
        if entity and entity.sector:
            return generic_key(entity.sector, entity.country, state_sectors())
        return entity.qid if entity and entity.qid else ref_key(label)

    def document(self) -> Document:
        return Document(
            id=self.id, text=self.text, lang=self.lang, url=self.url, published=self.published
        )

    def nil_names(self) -> dict[str, str]:
        """Each name (label or surface form) of an unlinked gold entity -> its compare key."""
        names: dict[str, str] = {}
        for entity in self.entities:
            if entity.qid is None:
                for name in (entity.label, *entity.surface_forms):
                    names.setdefault(normalise_name(name), ref_key(entity.label))
        return names


def predicted_ref_resolver(gold: GoldDoc, predicted: PredictedDoc) -> Callable[[str], str]:
    """Compare key of a predicted reference, with unlinked entities matched by name.

    An unlinked entity has no identifier to compare, only names: a predicted one
    is the gold one when its label or one of its mention texts is the gold
    label or one of its surface forms ("Mahamat Idriss Déby Itno" as written,
    "Mahamat Idriss Déby" as the gold label).
    """
    gold_names = gold.nil_names()

    def resolve(ref: str) -> str:
        key = ref_key(ref)
        if not key.startswith("label:"):
            return key
        entity = next((e for e in predicted.entities if e.label == ref and not e.qid), None)
        if entity is not None and entity.sector:
            return generic_key(entity.sector, entity.country, state_sectors())
        names = [ref] + ([m.text for m in entity.mentions] if entity else [])
        for name in names:
            found = gold_names.get(normalise_name(name))
            if found:
                return found
        return key

    return resolve


# --- reading ---------------------------------------------------------------


def looks_like_dev_gold(path: Path) -> bool:
    """True when the first line is a document with gold ``entities`` (not extract output)."""
    try:
        with open(path, encoding="utf-8") as handle:
            first = next((line for line in handle if line.strip()), "")
        item = json.loads(first)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return (
        isinstance(item, dict)
        and "format" not in item
        and isinstance(item.get("text"), str)
        and isinstance(item.get("entities"), list)
    )


def read_dev_gold(path: Path) -> list[GoldDoc]:
    return list(_iter_dev_gold(path))


def _iter_dev_gold(path: Path) -> Iterator[GoldDoc]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(str(path), f"cannot read gold: {error}") from error
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield gold_doc_from_json(json.loads(line))
        except json.JSONDecodeError as error:
            raise InputError(str(path), f"malformed JSON ({error.msg})", number) from error
        except (KeyError, TypeError, AttributeError) as error:
            raise InputError(str(path), f"malformed gold document ({error!r})", number) from error
        except ValueError as error:
            raise InputError(str(path), str(error), number) from error


def gold_doc_from_json(item: dict[str, Any]) -> GoldDoc:
    return GoldDoc(
        id=str(item["id"]),
        lang=str(item.get("lang") or "und"),
        text=str(item["text"]),
        url=item.get("url"),
        published=_published(item.get("published")),
        political=item.get("political") is not False,
        annotation=_annotation(item),
        entities=[
            GoldEntity(
                e["label"],
                e["type"],
                e.get("qid"),
                tuple(e.get("surface_forms") or ()),
                e.get("country"),
                e.get("sector"),
            )
            for e in item.get("entities") or []
        ],
        relations=[
            GoldRelation(r["type"], r["subject"], r["object"], _evidence(r.get("evidence")))
            for r in item.get("relations") or []
        ],
        events=[
            GoldEvent(
                e["type"],
                _labels(e.get("source_actor")),
                _labels(e.get("target_actor")),
                _evidence(e.get("evidence")),
            )
            for e in item.get("events") or []
        ],
    )


ANNOTATION_LEVELS = ("full", "document")


def _annotation(item: dict[str, Any]) -> str:
    level = str(item.get("annotation") or "full")
    if level not in ANNOTATION_LEVELS:
        raise ValueError(f"annotation {level!r} is none of {', '.join(ANNOTATION_LEVELS)}")
    if level == "document" and item.get("political") is not False:
        # A political lead annotated at document level would teach that its sentences
        # hold no event; only non-political leads are complete without annotation.
        raise ValueError("a lead annotated at document level must be political: false")
    return level


def _published(value: object) -> datetime | None:
    """A gold document's publication date (``YYYY-MM-DD``), which dates its events."""
    if not isinstance(value, str) or not value:
        return None
    return datetime.fromisoformat(value)


def _evidence(value: object) -> str:
    """Gold evidence: one quote, or a list of them (joined with " | ")."""
    if isinstance(value, list):
        return " | ".join(str(v) for v in value)
    return str(value or "")


def _labels(value: object) -> tuple[str, ...]:
    """A gold actor field: one label, a list of labels, or null / empty."""
    if value is None or value == "":
        return ()
    if isinstance(value, list):
        return tuple(str(v) for v in value if v)
    return (str(value),)


# --- scoring ---------------------------------------------------------------


@dataclass
class _Scores:
    linking: Breakdown = field(default_factory=Breakdown)
    relations: Breakdown = field(default_factory=Breakdown)
    events: Breakdown = field(default_factory=Breakdown)
    nil_names: Breakdown = field(default_factory=Breakdown)  # people, organizations without QID
    errors: list[ErrorItem] = field(default_factory=list)
    negated_skipped: int = 0
    # Generic actors (police, protesters...): events with one among their sides.
    predicted_events: int = 0
    predicted_generic: int = 0
    gold_events: int = 0
    gold_generic: int = 0
    # The precision guard: negatives (political false) and those given an event.
    negatives: int = 0
    negatives_with_events: list[str] = field(default_factory=list)


def score_dev(
    gold_docs: list[GoldDoc], predictions: Predictions, gold_name: str, benchmark: str = "dev"
) -> Report:
    scores = _Scores()
    missing = [doc.id for doc in gold_docs if doc.id not in predictions.ids()]
    for gold in gold_docs:
        predicted = predictions.take(gold.id)
        if gold.fully_annotated:
            _score_linking(gold, predicted, scores)
            _score_relations(gold, predicted, scores)
            score_nil_names(gold, predicted, scores.nil_names)
        _score_events(gold, predicted, scores)
        _count_generic(gold, predicted, scores)
        _guard_negatives(gold, predicted, scores)
    report = Report(
        benchmark=benchmark,
        gold=gold_name,
        documents=len(gold_docs),
        errors=scores.errors,
        figures=_figures(scores),
    )
    if any(gold.fully_annotated for gold in gold_docs):
        report.headline = [
            ScoreRow("linking", scores.linking.total),
            ScoreRow("relations", scores.relations.total),
            ScoreRow("events", scores.events.total),
        ]
        report.sections = [
            Section.from_breakdown("linking (per-document QID sets)", scores.linking),
            Section.from_breakdown("relations (type, subject, object)", scores.relations),
            Section.from_breakdown("events (type, actor, recipient)", scores.events),
            Section.from_breakdown(
                "names without a QID (people, organizations: mentions, exact spans)",
                scores.nil_names,
            ),
        ]
    else:
        # Leads labelled only as non-political: what is scored is the precision guard
        # (its figure) and the false events, by language and type.
        report.sections = [Section.from_breakdown("false political events", scores.events)]
    report.notes += _notes(scores, missing, gold_docs)
    return report


def _figures(scores: _Scores) -> list[Figure]:
    figures = [
        Figure(
            "events with a generic actor, predicted",
            scores.predicted_generic / scores.predicted_events if scores.predicted_events else 0.0,
            f"{scores.predicted_generic} of {scores.predicted_events} predicted events",
        ),
        Figure(
            "events with a generic actor, gold",
            scores.gold_generic / scores.gold_events if scores.gold_events else 0.0,
            f"{scores.gold_generic} of {scores.gold_events} gold events",
        ),
    ]
    if scores.negatives:
        flagged = scores.negatives_with_events
        figures.append(
            Figure(
                "negatives with a false political event",
                len(flagged) / scores.negatives,
                f"{len(flagged)} of {scores.negatives} non-political documents"
                + (f": {', '.join(flagged)}" if flagged else ""),
            )
        )
    return figures


def _count_generic(gold: GoldDoc, predicted: PredictedDoc, scores: _Scores) -> None:
    generic_gold = {e.label for e in gold.entities if e.sector}
    for event in gold.events:
        scores.gold_events += 1
        scores.gold_generic += any(a in generic_gold for a in event.actors + event.targets)
    generic_predicted = {e.label for e in predicted.entities if e.sector and not e.qid}
    for prediction in predicted.events:
        scores.predicted_events += 1
        sides = prediction.actor + prediction.recipient
        scores.predicted_generic += any(a in generic_predicted for a in sides)


def _guard_negatives(gold: GoldDoc, predicted: PredictedDoc, scores: _Scores) -> None:
    """A non-political document (disaster, sport, business) should give no event."""
    if gold.political:
        return
    scores.negatives += 1
    if any(not e.negated for e in predicted.events):
        scores.negatives_with_events.append(gold.id)


def _notes(scores: _Scores, missing: list[str], gold_docs: list[GoldDoc]) -> list[str]:
    notes = [
        "gold entities with a null qid or no surface form are left out of linking;"
        " relations and events refer to them by label",
        "an event without a recipient counts as (type, actor, None), or for a symmetric"
        " type with several actors as each unordered pair of actors",
        "relation 'extra' (position, status, territory) and event mode, date and flags"
        " are not scored",
    ]
    if scores.negated_skipped:
        notes.append(
            f"{scores.negated_skipped} predicted negated events not scored"
            " (gold lists what happened or was claimed, not denials)"
        )
    if missing:
        notes.append(f"{len(missing)} gold documents had no prediction: {', '.join(missing)}")
    return notes


def _score_linking(gold: GoldDoc, predicted: PredictedDoc, scores: _Scores) -> None:
    # An entity listed with no surface form is only a role's holder ("President Joko
    # Widodo" acting for Indonesia, never named): nothing in the text to link.
    gold_entities = {e.qid: e for e in gold.entities if e.qid and e.surface_forms}
    predicted_entities = {e.qid: e for e in predicted.entities if e.qid}
    for qid, outcome in outcomes(gold_entities, predicted_entities):
        assert isinstance(qid, str)
        # A predicted QID's type: the gold type when gold has it, else the predicted one.
        entity_type = (gold_entities.get(qid) or predicted_entities[qid]).type
        scores.linking.add(counts_of(outcome), f"lang={gold.lang}", f"type={entity_type}")
        if outcome == "FN":
            entity = gold_entities[qid]
            context = f"gold {entity.label!r} ({entity.type}) written {list(entity.surface_forms)}"
            scores.errors.append(ErrorItem("linking", "FN", gold.id, qid, context))
        elif outcome == "FP":
            scores.errors.append(
                ErrorItem("linking", "FP", gold.id, qid, _predicted_context(gold, predicted, qid))
            )


def _predicted_context(gold: GoldDoc, predicted: PredictedDoc, qid: str) -> str:
    entity = next(e for e in predicted.entities if e.qid == qid)
    texts = sorted({m.text for m in entity.mentions})
    first = min(entity.mentions, key=lambda m: m.start, default=None)
    sentence = sentence_around(gold.text, first.start, first.end) if first else ""
    return f"predicted {entity.label!r} ({entity.type}) from {texts}: {sentence}"


def _score_relations(gold: GoldDoc, predicted: PredictedDoc, scores: _Scores) -> None:
    gold_tuples = gold_relation_tuples(gold)
    resolve = predicted_ref_resolver(gold, predicted)
    predicted_tuples: dict[Assertion, str] = {}
    for prediction in predicted.relations:
        key = assertion(prediction.type, resolve(prediction.subject), resolve(prediction.object))
        predicted_tuples.setdefault(key, prediction.evidence)
    _tally("relation", gold, gold_tuples, predicted_tuples, scores.relations, scores.errors)


def gold_relation_tuples(gold: GoldDoc) -> dict[Assertion, str]:
    """The document's gold relation tuples as relations are scored, each with the evidence
    of the first gold relation that gives it (the relation reader's trainer labels by
    them too)."""
    tuples: dict[Assertion, str] = {}
    for relation in gold.relations:
        key = assertion(relation.type, gold.ref(relation.subject), gold.ref(relation.object))
        tuples.setdefault(key, relation.evidence)
    return tuples


def gold_event_tuples(gold: GoldDoc) -> dict[Assertion, str]:
    """The document's gold event tuples as events are scored, each with the evidence of
    the first gold event that gives it (the side chooser's trainer labels by them too)."""
    tuples: dict[Assertion, str] = {}
    for event in gold.events:
        actors = [gold.ref(a) for a in event.actors]
        targets = [gold.ref(t) for t in event.targets]
        for key in event_assertions(plover2(event.type), actors, targets):
            tuples.setdefault(key, event.evidence)
    return tuples


def _score_events(gold: GoldDoc, predicted: PredictedDoc, scores: _Scores) -> None:
    gold_tuples = gold_event_tuples(gold)
    resolve = predicted_ref_resolver(gold, predicted)
    predicted_tuples: dict[Assertion, str] = {}
    for prediction in predicted.events:
        if prediction.negated:
            scores.negated_skipped += 1
            continue
        actors = [resolve(a) for a in prediction.actor]
        recipients = [resolve(r) for r in prediction.recipient]
        for key in event_assertions(prediction.type, actors, recipients):
            predicted_tuples.setdefault(key, prediction.evidence)
    _tally("event", gold, gold_tuples, predicted_tuples, scores.events, scores.errors)


def _tally(
    task: str,
    gold: GoldDoc,
    gold_tuples: dict[Assertion, str],
    predicted_tuples: dict[Assertion, str],
    breakdown: Breakdown,
    errors: list[ErrorItem],
) -> None:
    names = _names(gold)
    for item, outcome in outcomes(gold_tuples, predicted_tuples):
        assert isinstance(item, Assertion)
        breakdown.add(counts_of(outcome), f"lang={gold.lang}", f"type={item.type}")
        if outcome == "TP":
            continue
        source = gold_tuples if outcome == "FN" else predicted_tuples
        side = "gold" if outcome == "FN" else "predicted"
        errors.append(
            ErrorItem(task, outcome, gold.id, _describe(item, names), f"{side}: {source[item]}")
        )


def _names(gold: GoldDoc) -> dict[str, str]:
    return {e.qid: e.label for e in gold.entities if e.qid}


def _describe(item: Assertion, names: dict[str, str]) -> str:
    def show(ref: str | None) -> str:
        if ref is None:
            return "None"
        return f"{ref} {names[ref]}" if ref in names else ref

    return f"{item.type}({show(item.subject)}, {show(item.object)})"


def dev_documents(gold_docs: Iterable[GoldDoc]) -> list[Document]:
    return [doc.document() for doc in gold_docs]
