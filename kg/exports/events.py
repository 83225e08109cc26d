"""Event datasets for political scientists: PLOVER JSON Lines, a CAMEO-style dyadic TSV,
and the actor network as GraphML.

All three are built from the tidy tables (``kg.exports.tables``), so every format says the
same thing about the same events; like the tables, they stream through the system's
``sort`` (``kg.exports.sorting``) and merge sorted streams, so memory does not grow with
the store.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import chain, groupby
from pathlib import Path
from typing import Any

from kg import __version__
from kg.exports.codes import Codes
from kg.exports.sorting import SortedLookup, last_of_each, sort_json, sort_key
from kg.exports.source import Source
from kg.exports.tables import Value, table_rows, table_specs, typed_rows

PLOVER_FORMAT = "geokg-plover/1"
# CAMEO/GDELT QuadClass numbers of the PLOVER quad categories.
QUAD_CLASS_NUMBER = {
    "Verbal cooperation": 1,
    "Material cooperation": 2,
    "Verbal conflict": 3,
    "Material conflict": 4,
}


def plover_records(source: Source, codes: Codes, scratch: Path | None) -> Iterator[dict[str, Any]]:
    """One PLOVER record per event, with the POLECAT core fields first, in the order of
    the events table.

    Streamed in three sorts (``kg.exports.sorting``), never holding a table: the events
    (sorted by document first) meet their documents in a merge; then events and their
    participants are sorted together by event; then the events go back to their order."""
    specs = {spec.name: spec for spec in table_specs()}
    documents = table_rows(source, specs["documents"], codes, scratch)
    events = _numbered_events(
        table_rows(source, specs["events"], codes, scratch),
        SortedLookup(last_of_each(documents, "doc_id")),
    )
    participants = _keyed_participants(typed_rows(source, specs["event_participants"], codes))
    by_event = sort_json(chain(events, participants), scratch)
    numbered = ((sort_key([item["n"]]), item) for item in _with_participants(by_event))
    for item in sort_json(numbered, scratch):
        yield _record(item["event"], item["doc"] or {}, item["roles"], codes)


def _numbered_events(
    events: Iterator[dict[str, Value]], documents: SortedLookup[dict[str, Value]]
) -> Iterator[tuple[bytes, dict[str, Any]]]:
    """Each event numbered in the table's order, with its document (the events come
    sorted by document: a merge finds it), keyed to sort by event, before its participants."""
    for n, event in enumerate(events):
        document = documents.get(sort_key([event["doc_id"]]))
        yield sort_key([event["event_id"]]) + b"E", {"n": n, "event": event, "doc": document}


def _keyed_participants(rows: Iterator[dict[str, Value]]) -> Iterator[tuple[bytes, Any]]:
    """Each participant keyed to sort after its event, in the participants table's order
    (its key, then the row's JSON)."""
    for row in rows:
        key = sort_key([row["event_id"]]) + b"P" + sort_key([row["role"], row["entity_iri"]])
        yield key, {"p": row}


def _with_participants(by_event: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Each event's item with its participants' rows by role (events come before their
    participants, each event's together)."""
    for _, group in groupby(by_event, key=_event_id):
        items = list(group)
        roles: dict[str, list[dict[str, Value]]] = defaultdict(list)
        for item in items:
            if "p" in item:
                roles[str(item["p"]["role"])].append(item["p"])
        for item in items:
            if "event" in item:
                yield {**item, "roles": roles}


def _event_id(item: dict[str, Any]) -> Value:
    return item["p"]["event_id"] if "p" in item else item["event"]["event_id"]


def _participant(row: dict[str, Value]) -> dict[str, Value]:
    return {
        "name": row["label"],
        "wikidata": row["qid"],
        "iri": row["entity_iri"],
        "country": row.get("country"),
        "sector": row.get("sector"),
    }


def _record(
    event: dict[str, Any],
    doc: dict[str, Any],
    roles: dict[str, list[dict[str, Value]]],
    codes: Codes,
) -> dict[str, Any]:
    cameo = codes.primary_cameo(str(event["event_type"]))
    return {
        "id": event["event_id"],
        # Reports of the same real-world event (other outlets, other languages)
        # share it: the knowledge layer's gk:WorldEvent.
        "world_event_id": event["world_event_id"],
        "date": event["date"] or (str(doc.get("published") or "")[:10] or None),
        "date_precision": event["date_precision"] or ("day" if doc.get("published") else None),
        "date_from_publication": event["date"] is None,
        "event": event["event_type"],
        "mode": event["mode"],
        "context": [c for c in str(event["contexts"] or "").split(";") if c],
        "actor": [_participant(p) for p in roles.get("actor", [])],
        "recipient": [_participant(p) for p in roles.get("recipient", [])],
        "speaker": [_participant(p) for p in roles.get("speaker", [])],
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


def write_plover(path: Path, records: Iterable[dict[str, Any]]) -> None:
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


def cameo_rows(records: Iterable[dict[str, Any]], codes: Codes) -> Iterator[list[str]]:
    """Dyads: each actor with each recipient; co-actors of an event without recipients
    (a clash) as one symmetric dyad per pair."""
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
            yield [
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


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _one_line(text: str) -> str:
    # TSV has no quoting: tabs and line breaks inside a sentence become spaces.
    return " ".join(text.split())


def write_cameo(path: Path, rows: Iterable[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(
            handle, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\"
        )
        writer.writerow(CAMEO_COLUMNS)
        writer.writerows(rows)


GRAPHML_NAMESPACES = {
    "xmlns": "http://graphml.graphdrawing.org/xmlns",
    "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "xsi:schemaLocation": "http://graphml.graphdrawing.org/xmlns "
    "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
}
# (scope, name, GraphML type) of every attribute; the keys are d0, d1, … in this order.
GRAPHML_KEYS = (
    ("graph", "name", "string"),
    ("node", "label", "string"),
    ("node", "qid", "string"),
    ("node", "entity_class", "string"),
    ("node", "mentions", "long"),
    ("edge", "event_type", "string"),
    ("edge", "weight", "long"),
    ("edge", "symmetric", "boolean"),
    ("edge", "events", "string"),
)
GRAPH_NAME = "geokg actor network"


def write_graphml(path: Path, source: Source, codes: Codes, scratch: Path | None) -> None:
    """Actors as nodes, one edge per (source, target, event type) with the event count.

    Written element by element with lxml's incremental writer, in the layout networkx's
    GraphML writer gave it (keys in reverse, each element pretty-printed), from sorted
    streams: the edges, their ends, and the entities (merged by IRI)."""
    from lxml import etree

    nodes = _network_nodes(source, codes, scratch)
    first = next(nodes, None)
    keys = GRAPHML_KEYS if first is not None else GRAPHML_KEYS[:1]  # no network, no node keys
    with etree.xmlfile(str(path), encoding="utf-8") as xml:
        xml.write_declaration()
        with xml.element("graphml", GRAPHML_NAMESPACES):
            for number, (scope, name, kind) in reversed(list(enumerate(keys))):
                attributes = {"id": f"d{number}", "for": scope}
                attributes |= {"attr.name": name, "attr.type": kind}
                xml.write(etree.Element("key", attributes), pretty_print=True)
            with xml.element("graph", edgedefault="directed"):
                xml.write(_data(0, GRAPH_NAME), pretty_print=True)
                for iri, values in chain([first] if first else [], nodes):
                    xml.write(_element("node", {"id": iri}, 1, values), pretty_print=True)
                for (source_iri, target, event_type), values in _network_edges(source, scratch):
                    attributes = {"source": source_iri, "target": target, "id": event_type}
                    xml.write(_element("edge", attributes, 5, values), pretty_print=True)


def _element(tag: str, attributes: dict[str, str], first_key: int, values: list[str]) -> Any:
    from lxml import etree

    element = etree.Element(tag, attributes)
    for number, value in enumerate(values, start=first_key):
        element.append(_data(number, value))
    return element


def _data(key: int, text: str) -> Any:
    from lxml import etree

    data = etree.Element("data", key=f"d{key}")
    data.text = text
    return data


def _network_edges(
    source: Source, scratch: Path | None
) -> Iterator[tuple[tuple[str, str, str], list[str]]]:
    """Each (source, target, event type) with its edge's values: the type, the number
    of events, whether symmetric (the first row's say: recipients' rows before co-actors'
    of the same event) and the events' ids, sorted."""
    columns = ("source", "target", "event_type", "event_id")
    rows = source.stream("actor_network")
    ordered = sort_json(((sort_key([str(r[c]) for c in columns]), r) for r in rows), scratch)
    for edge, group in groupby(
        ordered, key=lambda r: (str(r["source"]), str(r["target"]), str(r["event_type"]))
    ):
        events = list(group)
        symmetric = events[0]["symmetric"] == "true"
        ids = " ".join(str(r["event_id"]) for r in events)
        yield edge, [edge[2], str(len(events)), str(symmetric), ids]


def _network_nodes(
    source: Source, codes: Codes, scratch: Path | None
) -> Iterator[tuple[str, list[str]]]:
    """Each end of an edge, once, in order, with its label, QID, class and mentions."""
    specs = {spec.name: spec for spec in table_specs()}
    ends = (
        (sort_key([iri]), iri)
        for row in source.stream("actor_network")
        for iri in (str(row["source"]), str(row["target"]))
    )
    entities = SortedLookup(
        last_of_each(table_rows(source, specs["entities"], codes, scratch), "entity_iri")
    )
    # The query gives each participant its entity's one label (MIN), whichever the row.
    participants = typed_rows(source, specs["event_participants"], codes)
    labels = SortedLookup(
        (sort_key([iri]), label)
        for iri, label in sort_json(
            ((sort_key([p["entity_iri"]]), [p["entity_iri"], p["label"]]) for p in participants),
            scratch,
            unique=True,
        )
    )
    for iri in sort_json(ends, scratch, unique=True):
        key = sort_key([iri])
        entity = entities.get(key) or {}
        yield (
            iri,
            [
                str(entity.get("label") or labels.get(key) or iri),
                str(entity.get("qid") or ""),
                str(entity.get("entity_class") or ""),
                str(int(entity.get("mention_count") or 0)),
            ],
        )
