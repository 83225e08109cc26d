"""Mention-level (span) linking scores, for benchmarks with gold offsets (IndEL, NEREL).

A predicted linked mention is matched to the gold mentions its span overlaps
(overlap rather than exact offsets: "Los Angeles-Walt Disney" against "Los
Angeles" is a boundary question, not a linking one; nested gold such as
NEREL's is handled by preferring the overlapping gold mention with the same
QID, then the same span, then the one it overlaps most).  ``exact_spans``
gives the strict variant, where only identical offsets meet.

* Gold mention found by a prediction with its QID: true positive.
* Gold mention not found: false negative.
* Prediction whose QID differs from the gold mention it lands on: false positive.
* Prediction on a span with no gold mention: a false positive only when the
  benchmark annotates every linkable mention (``judge_unannotated``); IndEL
  does not judge those.

With a ``subset`` (the geopolitical QIDs), gold mentions outside it are not
counted, and a wrong prediction counts only when the gold or the predicted
QID is in the subset.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass

from kg.evaluation.metrics import Breakdown, Counts
from kg.evaluation.predictions import PredictedDoc
from kg.evaluation.report import ErrorItem
from kg.evaluation.text import sentence_around


@dataclass(frozen=True)
class GoldMention:
    start: int
    end: int
    text: str
    qid: str
    type: str = ""  # the benchmark's entity type, when it has one


@dataclass(frozen=True)
class LinkedMention:
    start: int
    end: int
    text: str
    qid: str


@dataclass(frozen=True)
class MentionRules:
    judge_unannotated: bool
    subset: Container[str] | None = None  # None: every gold mention counts
    task: str = "mention"
    # Strict variant: a prediction lands on a gold mention only with the same offsets.
    exact_spans: bool = False

    def counts_gold(self, qid: str) -> bool:
        return self.subset is None or qid in self.subset

    def judges(self, gold_qid: str | None, predicted_qid: str) -> bool:
        if self.subset is None:
            return True
        return predicted_qid in self.subset or (gold_qid is not None and gold_qid in self.subset)


def linked_mentions(predicted: PredictedDoc) -> list[LinkedMention]:
    """Every mention of every linked predicted entity."""
    return [
        LinkedMention(m.start, m.end, m.text, entity.qid)
        for entity in predicted.entities
        if entity.qid
        for m in entity.mentions
    ]


def _overlap(gold: GoldMention, predicted: LinkedMention) -> int:
    return min(gold.end, predicted.end) - max(gold.start, predicted.start)


def _best_match(
    gold: Sequence[GoldMention],
    predicted: LinkedMention,
    found: set[GoldMention],
    exact_spans: bool = False,
) -> GoldMention | None:
    """The gold mention a prediction lands on: same QID first, then the same span,
    then one not yet found (nested gold may repeat a QID), then the largest overlap."""
    overlapping = [g for g in gold if _overlap(g, predicted) > 0]
    if exact_spans:
        overlapping = [
            g for g in overlapping if (g.start, g.end) == (predicted.start, predicted.end)
        ]
    if not overlapping:
        return None
    same_qid = [g for g in overlapping if g.qid == predicted.qid]

    def preference(g: GoldMention) -> tuple[bool, bool, int]:
        exact = (g.start, g.end) == (predicted.start, predicted.end)
        return exact, g not in found, _overlap(g, predicted)

    return max(same_qid or overlapping, key=preference)


def score_mentions(
    doc_id: str,
    text: str,
    gold: Sequence[GoldMention],
    predicted: Sequence[LinkedMention],
    rules: MentionRules,
    breakdown: Breakdown,
    errors: list[ErrorItem] | None = None,
) -> None:
    """Add one document's mention-level counts to ``breakdown`` (by gold type)."""
    found: set[GoldMention] = set()
    for mention in predicted:
        match = _best_match(gold, mention, found, rules.exact_spans)
        if match is not None and match.qid == mention.qid:
            found.add(match)
            continue
        if match is None and not rules.judge_unannotated:
            continue
        if not rules.judges(match.qid if match else None, mention.qid):
            continue
        where = "unannotated" if match is None else match.type
        breakdown.add(Counts(fp=1), *([where] if where else []))
        if errors is not None:
            errors.append(_false_positive(doc_id, text, mention, match, rules.task))
    for gold_mention in gold:
        if not rules.counts_gold(gold_mention.qid):
            continue
        hit = gold_mention in found
        keys = [gold_mention.type] if gold_mention.type else []
        breakdown.add(Counts(tp=int(hit), fn=int(not hit)), *keys)
        if not hit and errors is not None:
            sentence = sentence_around(text, gold_mention.start, gold_mention.end)
            context = f"gold {gold_mention.text!r}: {sentence}"
            errors.append(ErrorItem(rules.task, "FN", doc_id, gold_mention.qid, context))


def _false_positive(
    doc_id: str, text: str, mention: LinkedMention, match: GoldMention | None, task: str
) -> ErrorItem:
    where = f"gold {match.qid} {match.text!r}" if match else "no gold mention"
    sentence = sentence_around(text, mention.start, mention.end)
    context = f"predicted {mention.text!r} [{mention.start}:{mention.end}], {where}: {sentence}"
    return ErrorItem(task, "FP", doc_id, mention.qid, context)
