"""The PLOVER gold-standard records (CAMEO manual sentences, PLOVER 0.5 coding).

One English sentence per record, with one gold ``event`` type (old names
mapped to PLOVER 2.0: FIGHT -> ASSAULT, DEMAND -> REQUEST, DISAPPROVE and
INVESTIGATE -> ACCUSE) and source / target actors as ISO 3166 alpha-3 codes
("IGO" for international organizations).

Scored:
* event type: per sentence, the set of predicted types against the gold type
  (P/R/F1, overall and per type), and top-1 accuracy (the highest-scoring
  predicted event has the gold type);
* actors: per sentence, (type, source code, target code) tuples as for dev
  events, with predicted actor QIDs mapped to alpha-3 through the rigour
  territories, and predicted organizations and alliances to "IGO".
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.evaluation.assertions import Assertion, event_assertions, plover2
from kg.evaluation.geo import alpha3_by_qid
from kg.evaluation.metrics import Breakdown, counts_of, outcomes
from kg.evaluation.predictions import PredictedDoc, Predictions
from kg.evaluation.report import ErrorItem, Figure, Report, ScoreRow, Section
from kg.model import Document

ORGANIZATION_TYPES = frozenset({"organization", "alliance"})


@dataclass(frozen=True)
class PloverRecord:
    id: str
    text: str
    date: str | None
    event: str  # PLOVER 2.0 name
    sources: tuple[str, ...]  # alpha-3 codes (or IGO, NGO...)
    targets: tuple[str, ...]
    markup: str

    def document(self) -> Document:
        published = datetime.fromisoformat(self.date) if self.date else None
        return Document(id=self.id, text=self.text, lang="en", published=published)


@dataclass
class PloverGold:
    path: Path
    records: list[PloverRecord]


def find_plover_file(path: Path) -> Path | None:
    """The GSR JSON: ``path`` itself, or the one PLOVER_GSR*.json in a directory."""
    if path.is_file():
        return path if path.suffix == ".json" and _is_gsr(path) else None
    found = sorted(path.glob("PLOVER_GSR*.json"))
    return found[0] if len(found) == 1 else None


def _is_gsr(path: Path) -> bool:
    try:
        with open(path, encoding="utf-8") as handle:
            start = handle.read(4096)
    except (OSError, UnicodeDecodeError):
        return False
    return start.lstrip().startswith("[") and '"event"' in start


def read_plover(path: Path) -> PloverGold:
    try:
        items = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(str(path), f"cannot read PLOVER GSR JSON ({error})") from error
    if not isinstance(items, list):
        raise InputError(str(path), "expected a JSON array of PLOVER records")
    records = [_record(item) for item in items if _is_event(item)]
    return PloverGold(path, records)


def _is_event(item: Any) -> bool:
    """An English event record; the first record is documentation (event "DOCUMENT")."""
    return (
        isinstance(item, dict)
        and bool(item.get("text"))
        and item.get("event") != "DOCUMENT"
        and (item.get("language") or "en") == "en"
    )


def _record(item: dict[str, Any]) -> PloverRecord:
    return PloverRecord(
        id=str(item["id"]),
        text=str(item["text"]),
        date=item.get("date"),
        event=plover2(str(item["event"])),
        sources=_codes(item.get("source")),
        targets=_codes(item.get("target")),
        markup=_markup(item),
    )


def _markup(item: dict[str, Any]) -> str:
    """The sentence with SRC/TAR/EVT marks when the record has them (once a bare string)."""
    info = item.get("textInfo")
    if isinstance(info, dict) and info.get("markup"):
        return str(info["markup"])
    return str(info or item["text"])


def _codes(actors: object) -> tuple[str, ...]:
    """Actor codes of a source / target field (a list of {code}; sometimes "" or a string)."""
    if not isinstance(actors, list):
        return ()
    return tuple(str(a["code"]) for a in actors if isinstance(a, dict) and a.get("code"))


def predicted_actor_code(ref: str, predicted: PredictedDoc) -> str:
    """Alpha-3 of a predicted actor: its territory's code, IGO for an organization."""
    codes = alpha3_by_qid()
    if ref in codes:
        return codes[ref]
    entity = next((e for e in predicted.entities if ref in (e.qid, e.label)), None)
    if entity is not None and entity.type in ORGANIZATION_TYPES:
        return "IGO"
    return f"unmapped:{ref}"


def score_plover(gold: PloverGold, predictions: Predictions) -> Report:
    types, actors = Breakdown(), Breakdown()
    errors: list[ErrorItem] = []
    top1 = 0
    for record in gold.records:
        predicted = predictions.take(record.id)
        events = [e for e in predicted.events if not e.negated]
        predicted_types = {plover2(e.type) for e in events}
        for kind, outcome in outcomes({record.event}, predicted_types):
            assert isinstance(kind, str)
            types.add(counts_of(outcome), kind)
            if outcome != "TP":
                errors.append(ErrorItem("event type", outcome, record.id, kind, record.text))
        best = max(events, key=lambda e: e.score, default=None)
        top1 += best is not None and plover2(best.type) == record.event
        _score_actors(record, predicted, actors, errors)
    accuracy = top1 / len(gold.records) if gold.records else 0.0
    return Report(
        benchmark="PLOVER-GSR",
        gold=str(gold.path),
        documents=len(gold.records),
        headline=[ScoreRow("event type", types.total), ScoreRow("event actors", actors.total)],
        sections=[
            Section.from_breakdown("event type (per-sentence type sets)", types),
            Section.from_breakdown("event (type, source, target) as alpha-3 codes", actors),
        ],
        figures=[
            Figure(
                "event type top-1 accuracy",
                accuracy,
                f"{top1} of {len(gold.records)} sentences: the highest-scoring predicted"
                " event has the gold type",
            )
        ],
        errors=errors,
        notes=[
            "old PLOVER names mapped: FIGHT->ASSAULT, DEMAND->REQUEST,"
            " DISAPPROVE/INVESTIGATE->ACCUSE",
            "predicted actors: territory QIDs to alpha-3 (rigour), organizations and"
            " alliances to IGO; negated predicted events not scored",
            _unmatchable_codes_note(gold),
        ],
    )


def _unmatchable_codes_note(gold: PloverGold) -> str:
    """Gold actor codes no prediction can reach (not ISO alpha-3 in rigour, not IGO).

    The GSR says its states use ISO 3166 alpha-3; a few records use other codes
    ("JAP"): they are reported here rather than silently corrected.
    """
    known = set(alpha3_by_qid().values()) | {"IGO"}
    odd = Counter(
        code for r in gold.records for code in (*r.sources, *r.targets) if code not in known
    )
    listed = ", ".join(f"{code} x{n}" for code, n in sorted(odd.items()))
    return f"gold actor codes no prediction can match: {listed or 'none'}"


def _score_actors(
    record: PloverRecord, predicted: PredictedDoc, breakdown: Breakdown, errors: list[ErrorItem]
) -> None:
    gold_tuples = event_assertions(record.event, record.sources, record.targets)
    predicted_tuples: set[Assertion] = set()
    for event in predicted.events:
        if event.negated:
            continue
        sources = [predicted_actor_code(ref, predicted) for ref in event.actor]
        targets = [predicted_actor_code(ref, predicted) for ref in event.recipient]
        predicted_tuples |= event_assertions(event.type, sources, targets)
    for item, outcome in outcomes(gold_tuples, predicted_tuples):
        assert isinstance(item, Assertion)
        breakdown.add(counts_of(outcome), item.type)
        if outcome != "TP":
            errors.append(ErrorItem("event actors", outcome, record.id, str(item), record.markup))
