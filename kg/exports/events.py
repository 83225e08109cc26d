"""Event datasets for political scientists: PLOVER JSON Lines, a CAMEO-style dyadic TSV,
and the actor network as GraphML.

All three are built from the tidy tables (``kg.exports.tables``), so every format says the
same thing about the same events.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from kg import __version__
from kg.exports.codes import Codes
from kg.exports.tables import Value

TableRows = list[dict[str, Value]]
PLOVER_FORMAT = "geokg-plover/1"
# CAMEO/GDELT QuadClass numbers of the PLOVER quad categories.
QUAD_CLASS_NUMBER = {
    "Verbal cooperation": 1,
    "Material cooperation": 2,
    "Verbal conflict": 3,
    "Material conflict": 4,
}


def _participants(rows: TableRows) -> dict[str, dict[str, list[dict[str, Value]]]]:
    by_event: dict[str, dict[str, list[dict[str, Value]]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        by_event[str(row["event_id"])][str(row["role"])].append(
            {
                "name": row["label"],
                "wikidata": row["qid"],
                "iri": row["entity_iri"],
                "country": row.get("country"),
                "sector": row.get("sector"),
            }
        )
    return by_event


def plover_records(tables: dict[str, TableRows], codes: Codes) -> list[dict[str, Any]]:
    """One PLOVER record per event, with the POLECAT core fields first."""
    documents = {d["doc_id"]: d for d in tables["documents"]}
    people = _participants(tables["event_participants"])
    records = []
    for event in tables["events"]:
        doc = documents.get(event["doc_id"], {})
        roles = people.get(str(event["event_id"]), {})
        cameo = codes.primary_cameo(str(event["event_type"]))
        records.append(
            {
                "id": event["event_id"],
                # Reports of the same real-world event (other outlets, other languages)
                # share it: the knowledge layer's gk:WorldEvent.
                "world_event_id": event["world_event_id"],
                "date": event["date"] or (str(doc.get("published") or "")[:10] or None),
                "date_precision": event["date_precision"]
                or ("day" if doc.get("published") else None),
                "date_from_publication": event["date"] is None,
                "event": event["event_type"],
                "mode": event["mode"],
                "context": [c for c in str(event["contexts"] or "").split(";") if c],
                "actor": roles.get("actor", []),
                "recipient": roles.get("recipient", []),
                "speaker": roles.get("speaker", []),
                "quad_class": event["quad_class"],
                "cameo_root": cameo.root if cameo else None,
                "negated": bool(event["negated"]),
                "hypothetical": bool(event["hypothetical"]),
                "claimed": bool(event["claimed"]),
                "confidence": event["confidence"],
                "location": event["location_iri"],
                "text": event["evidence_text"],
                "text_span": [event["evidence_begin"], event["evidence_end"]],
                "doc_id": event["doc_id"],
                "url": doc.get("source_url"),
                "language": doc.get("language"),
                "publication_date": doc.get("published"),
                "iri": event["event_iri"],
                "coder": f"geokg {__version__}",
                "format": PLOVER_FORMAT,
            }
        )
    return records


def write_plover(path: Path, records: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n")


CAMEO_COLUMNS = (
    "EventID",
    "Date",
    "DatePrecision",
    "SourceName",
    "SourceQID",
    "SourceIRI",
    "TargetName",
    "TargetQID",
    "TargetIRI",
    "Symmetric",
    "EventRootCode",
    "CAMEOMatch",
    "PLOVEREvent",
    "PLOVERMode",
    "QuadClass",
    "Negated",
    "Hypothetical",
    "Claimed",
    "Confidence",
    "DocID",
    "URL",
    "Sentence",
)


def cameo_rows(records: list[dict[str, Any]], codes: Codes) -> list[list[str]]:
    """Dyads: each actor with each recipient; co-actors of an event without recipients
    (a clash) as one symmetric dyad per pair."""
    rows = []
    for record in records:
        cameo = codes.primary_cameo(record["event"] or "")
        actors, recipients = record["actor"], record["recipient"]
        dyads: list[tuple[dict[str, Any], dict[str, Any] | None, bool]] = [
            (a, r, False) for a in actors for r in recipients
        ]
        if not recipients:
            pairs = [(a, b, True) for i, a in enumerate(actors) for b in actors[i + 1 :]]
            dyads = pairs or [(a, None, False) for a in actors]
        for source, target, symmetric in dyads:
            target = target or {}
            rows.append(
                [
                    record["id"],
                    record["date"] or "",
                    record["date_precision"] or "",
                    source.get("name") or "",
                    source.get("wikidata") or "",
                    source.get("iri") or "",
                    target.get("name") or "",
                    target.get("wikidata") or "",
                    target.get("iri") or "",
                    _flag(symmetric),
                    cameo.root if cameo else "",
                    cameo.match if cameo else "",
                    record["event"] or "",
                    record["mode"] or "",
                    str(QUAD_CLASS_NUMBER.get(record["quad_class"] or "", "")),
                    _flag(record["negated"]),
                    _flag(record["hypothetical"]),
                    _flag(record["claimed"]),
                    "" if record["confidence"] is None else repr(record["confidence"]),
                    record["doc_id"] or "",
                    record["url"] or "",
                    _one_line(record["text"] or ""),
                ]
            )
    return rows


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _one_line(text: str) -> str:
    # TSV has no quoting: tabs and line breaks inside a sentence become spaces.
    return " ".join(text.split())


def write_cameo(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(
            handle, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\"
        )
        writer.writerow(CAMEO_COLUMNS)
        writer.writerows(rows)


def write_graphml(
    path: Path, tables: dict[str, TableRows], network: list[dict[str, str | None]]
) -> None:
    """Actors as nodes, one edge per (source, target, event type) with the event count."""
    import networkx as nx

    entities = {e["entity_iri"]: e for e in tables["entities"]}
    labels = {p["entity_iri"]: p["label"] for p in tables["event_participants"]}
    graph = nx.MultiDiGraph(name="geokg actor network")
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in network:
        source, target, event_type = str(row["source"]), str(row["target"]), str(row["event_type"])
        edge = edges.setdefault(
            (source, target, event_type),
            {
                "event_type": event_type,
                "weight": 0,
                "symmetric": row["symmetric"] == "true",
                "events": [],
            },
        )
        edge["weight"] += 1
        edge["events"].append(str(row["event_id"]))
    nodes = sorted({n for s, t, _ in edges for n in (s, t)})
    for iri in nodes:
        entity = entities.get(iri, {})
        graph.add_node(
            iri,
            label=str(entity.get("label") or labels.get(iri) or iri),
            qid=str(entity.get("qid") or ""),
            entity_class=str(entity.get("entity_class") or ""),
            mentions=int(entity.get("mention_count") or 0),  # type: ignore[call-overload]
        )
    for (source, target, event_type), data in sorted(edges.items()):
        graph.add_edge(
            source,
            target,
            key=event_type,
            event_type=event_type,
            weight=data["weight"],
            symmetric=data["symmetric"],
            events=" ".join(sorted(data["events"])),
        )
    nx.write_graphml(graph, str(path), encoding="utf-8", prettyprint=True)
