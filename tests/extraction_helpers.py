"""Build the linker's output by hand for extraction tests.

The extraction stages take a document and its linked entities; these tests
check extraction alone, so the entities are written out here: each label with
its type and the surface forms that mention it (a capital used as a metonym is
listed as a form of its state, as the linker delivers it).  Entities carry no
QID: relations and events then refer to them by label.
"""

from __future__ import annotations

import re

from kg.extraction import extract_events, extract_relations
from kg.model import Document, Entity, Event, Mention, Relation

Forms = dict[str, tuple[str, list[str]]]


def entities_from(text: str, forms: Forms) -> list[Entity]:
    """One entity per label, with a mention at every whole-word occurrence of its forms."""
    entities = []
    for label, (type_, surfaces) in forms.items():
        mentions = [
            Mention(m.start(), m.end(), m.group(0))
            for surface in surfaces
            for m in re.finditer(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", text)
        ]
        entities.append(Entity(None, label, type_, 1.0, mentions))
    return entities


def run(
    text: str, lang: str, forms: Forms, doc: Document | None = None
) -> tuple[list[Relation], list[Event]]:
    doc = doc or Document(id="t", text=text, lang=lang)
    entities = entities_from(doc.text, forms)
    return extract_relations(doc, entities), extract_events(doc, entities)


def events_of(text: str, lang: str, forms: Forms) -> list[Event]:
    return run(text, lang, forms)[1]


def relations_of(text: str, lang: str, forms: Forms) -> list[Relation]:
    return run(text, lang, forms)[0]


def tuples(events: list[Event]) -> set[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """(type, actors, recipients) with sides sorted: what a test compares."""
    return {(e.type, tuple(sorted(e.actor)), tuple(sorted(e.recipient))) for e in events}


def relation_tuples(relations: list[Relation]) -> set[tuple[str, str, str]]:
    return {(r.type, r.subject, r.object) for r in relations}
