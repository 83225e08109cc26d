"""Predictions to score: a ``kg extract`` output file, or the pipeline run here.

Both paths end in the same ``PredictedDoc``s, parsed from the public
``geokg-extract/1`` JSON, so scoring a file and scoring a fresh run cannot
disagree.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from kg.errors import InputError, NotImplementedYet
from kg.model import EXTRACT_FORMAT, Document
from kg.pipeline import Pipeline

QID_PATTERN = re.compile(r"^Q[1-9][0-9]*$")


@dataclass(frozen=True)
class PredictedMention:
    start: int
    end: int
    text: str


@dataclass
class PredictedEntity:
    qid: str | None
    label: str
    type: str
    mentions: list[PredictedMention] = field(default_factory=list)
    country: str | None = None  # generic actors only
    sector: str | None = None


@dataclass(frozen=True)
class PredictedRelation:
    type: str
    subject: str
    object: str
    evidence: str


@dataclass(frozen=True)
class PredictedEvent:
    type: str
    actor: tuple[str, ...]
    recipient: tuple[str, ...]
    negated: bool
    evidence: str
    score: float = 0.0
    date: str | None = None  # the event's own date, at the precision the text gave


@dataclass
class PredictedDoc:
    id: str
    lang: str | None
    entities: list[PredictedEntity]
    relations: list[PredictedRelation]
    events: list[PredictedEvent]

    def qid_types(self) -> dict[str, str]:
        """Predicted entity type of each linked QID."""
        return {e.qid: e.type for e in self.entities if e.qid}


class Predictions:
    """Predicted documents by id, handed out in file order.

    A benchmark may repeat an id (PLOVER GSR has two records called
    COERCE-0004); the n-th gold record with an id is paired with the n-th
    prediction with that id.
    """

    def __init__(self, docs: Iterable[PredictedDoc]) -> None:
        self._by_id: defaultdict[str, deque[PredictedDoc]] = defaultdict(deque)
        for doc in docs:
            self._by_id[doc.id].append(doc)

    def take(self, doc_id: str) -> PredictedDoc:
        """The next prediction for ``doc_id``; an empty one if there is none."""
        queue = self._by_id.get(doc_id)
        if queue:
            return queue.popleft()
        return PredictedDoc(doc_id, None, [], [], [])

    def ids(self) -> set[str]:
        return set(self._by_id)


def read_predictions(path: Path) -> Predictions:
    """Read a ``kg extract`` output file (geokg-extract/1 JSON Lines)."""
    return Predictions(_iter_prediction_file(path))


def _iter_prediction_file(path: Path) -> Iterator[PredictedDoc]:
    try:
        handle = open(path, encoding="utf-8")  # noqa: SIM115 -- streamed, closed below
    except OSError as error:
        raise InputError(str(path), f"cannot read predictions: {error.strerror}") from error
    with handle:
        try:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield parse_prediction(_json_object(path, number, line), str(path), number)
        except UnicodeDecodeError as error:
            raise InputError(str(path), f"not UTF-8 ({error.reason})") from error


def _json_object(path: Path, number: int, line: str) -> dict[str, Any]:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(str(path), f"malformed JSON ({error.msg})", number) from error
    if not isinstance(item, dict):
        raise InputError(str(path), "a line must hold a JSON object", number)
    return item


def parse_prediction(item: dict[str, Any], where: str, line: int | None = None) -> PredictedDoc:
    """One geokg-extract/1 object as a ``PredictedDoc``; InputError if it is not one."""
    if item.get("format") != EXTRACT_FORMAT:
        problem = f"not {EXTRACT_FORMAT} output (format is {item.get('format')!r})"
        raise InputError(where, problem, line)
    try:
        return PredictedDoc(
            id=str(item["id"]),
            lang=item.get("lang"),
            entities=[predicted_entity(e) for e in item.get("entities") or []],
            relations=[_relation(r) for r in item.get("relations") or []],
            events=[_event(e) for e in item.get("events") or []],
        )
    except (KeyError, TypeError, ValueError) as error:
        raise InputError(where, f"malformed {EXTRACT_FORMAT} object ({error!r})", line) from error


def predicted_entity(item: dict[str, Any]) -> PredictedEntity:
    """One entity of ``kg extract``'s output as ``kg evaluate`` reads it."""
    mentions = [
        PredictedMention(int(m["start"]), int(m["end"]), str(m.get("text", "")))
        for m in item.get("mentions") or []
    ]
    return PredictedEntity(
        item.get("qid"),
        str(item["label"]),
        str(item["type"]),
        mentions,
        item.get("country"),
        item.get("sector"),
    )


def _relation(item: dict[str, Any]) -> PredictedRelation:
    return PredictedRelation(
        str(item["type"]), str(item["subject"]), str(item["object"]), _evidence_text(item)
    )


def _event(item: dict[str, Any]) -> PredictedEvent:
    return PredictedEvent(
        type=str(item["type"]),
        actor=tuple(str(a) for a in item.get("actor") or []),
        recipient=tuple(str(r) for r in item.get("recipient") or []),
        negated=bool(item.get("negated")),
        evidence=_evidence_text(item),
        score=float(item.get("score") or 0.0),
        date=str(item["date"]) if item.get("date") else None,
    )


def _evidence_text(item: dict[str, Any]) -> str:
    evidence = item.get("evidence") or {}
    return str(evidence.get("text", "")) if isinstance(evidence, dict) else str(evidence)


# --- running the pipeline here ---------------------------------------------


@cache
def _pipeline() -> Pipeline:
    """The offline pipeline, built once per process (``--all`` reuses it)."""
    from kg.pipeline import default_pipeline

    try:
        return default_pipeline()
    except ImportError as error:
        raise NotImplementedYet(
            f"the offline pipeline cannot be built yet ({error}); "
            "score a `kg extract` output with --predictions instead"
        ) from error


def run_pipeline(documents: Iterable[Document]) -> Predictions:
    """Run the default pipeline over ``documents`` and parse its output."""
    pipeline = _pipeline()
    return Predictions(
        parse_prediction(extraction.to_json(), "pipeline")
        for extraction in pipeline.pipe(documents)
    )
