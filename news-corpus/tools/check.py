"""Check annotated corpus files against news-corpus/GUIDE.md; one line per problem.

    .venv/bin/python news-corpus/tools/check.py news-corpus/incoming/fr.jsonl

Exit status 1 when any problem is found, so annotators fix before they hand in.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kg import model  # noqa: E402
from kg.extraction.actors import sectors  # noqa: E402

# The nine lexicon languages, and the eight of the next ones (issue "every language").
LANGS = {
    "ar", "de", "en", "es", "fr", "id", "pt", "ru", "tr",
    "it", "pl", "uk", "fa", "zh", "ja", "ko", "hi",
}  # fmt: skip
TOPICS = {
    "protest", "attack", "arrest", "election", "sanctions", "treaty", "visit", "aid",
    "expulsion", "diplomacy", "war", "coup", "legislation", "accusation", "other_political",
    "negative",
}  # fmt: skip
# The project's own lists, so the guide's checker and the pipeline cannot drift apart.
ENTITY_TYPES = set(model.ENTITY_TYPES) | {"generic"}
SECTORS = set(sectors())
EVENT_TYPES = set(model.EVENT_TYPES)
RELATION_TYPES = set(model.RELATION_TYPES)
MODALITIES = {"asserted", "claimed", "announced", "denied"}
QID = re.compile(r"^Q[1-9][0-9]*$")
DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")  # published: a whole date or null


def as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise ValueError(f"not a label or list of labels: {value!r}")


def problems(doc: dict) -> list[str]:
    found: list[str] = []
    text = doc.get("text")
    if not isinstance(text, str) or not text.strip():
        return ["no text"]
    for key in ("id", "lang", "url", "topic", "political", "entities", "relations", "events"):
        if key not in doc:
            found.append(f"missing field {key}")
    if doc.get("lang") not in LANGS:
        found.append(f"lang {doc.get('lang')!r}")
    if doc.get("topic") not in TOPICS:
        found.append(f"topic {doc.get('topic')!r}")
    published = doc.get("published")
    if published is not None and not (isinstance(published, str) and DAY.match(published)):
        found.append(f"published {published!r} is not YYYY-MM-DD")
    labels = set()
    for entity in doc.get("entities", []):
        label = entity.get("label")
        labels.add(label)
        if entity.get("type") not in ENTITY_TYPES:
            found.append(f"entity {label!r}: type {entity.get('type')!r}")
        qid = entity.get("qid")
        if qid is not None and not QID.match(qid):
            found.append(f"entity {label!r}: qid {qid!r}")
        for form in entity.get("surface_forms", []):
            if form not in text:
                found.append(f"entity {label!r}: surface form {form!r} not in text")
        if entity.get("type") == "generic":
            if entity.get("sector") not in SECTORS:
                found.append(f"generic {label!r}: sector {entity.get('sector')!r}")
            country = entity.get("country")
            if country is not None and not QID.match(country):
                found.append(f"generic {label!r}: country {country!r}")
    for relation in doc.get("relations", []):
        if relation.get("type") not in RELATION_TYPES:
            found.append(f"relation type {relation.get('type')!r}")
        for role in ("subject", "object"):
            if relation.get(role) not in labels:
                found.append(
                    f"relation {relation.get('type')}: {role} {relation.get(role)!r} is no label"
                )
        if relation.get("evidence", "") not in text:
            found.append(f"relation evidence not verbatim: {relation.get('evidence')!r}")
    if doc.get("political") is False and doc.get("events"):
        found.append("a negative document with events")
    for event in doc.get("events", []):
        kind = event.get("type")
        if kind not in EVENT_TYPES:
            found.append(f"event type {kind!r}")
        try:
            refs = as_list(event.get("source_actor")) + as_list(event.get("target_actor"))
        except ValueError as error:
            found.append(f"event {kind}: {error}")
            refs = []
        if not as_list(
            event.get("source_actor")
            if isinstance(event.get("source_actor"), (str, list))
            else None
        ):
            found.append(f"event {kind}: no source_actor")
        for ref in refs:
            if ref not in labels:
                found.append(f"event {kind}: actor {ref!r} not an entity label")
        evidence = event.get("evidence")
        if not isinstance(evidence, str) or evidence not in text:
            found.append(f"event {kind}: evidence not verbatim: {evidence!r}")
        if event.get("modality") not in MODALITIES:
            found.append(f"event {kind}: modality {event.get('modality')!r}")
    return found


def main() -> None:
    failed = False
    seen: set[str] = set()
    for name in sys.argv[1:]:
        for number, line in enumerate(Path(name).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as error:
                print(f"{name}:{number}: malformed JSON ({error})")
                failed = True
                continue
            if doc.get("id") in seen:
                print(f"{name}:{number}: duplicate id {doc.get('id')!r}")
                failed = True
            seen.add(doc.get("id"))
            for problem in problems(doc):
                print(f"{name}:{number}: {doc.get('id')}: {problem}")
                failed = True
    if not failed:
        print(f"ok: {len(seen)} documents")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
