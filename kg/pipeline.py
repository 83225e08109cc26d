"""The extraction pipeline: Document -> entities -> relations and events.

Each stage is a callable over the shared data model (``kg/model.py``), so a
stage can be swapped or tested alone, spaCy-style.  Building the alias index
is the expensive part; ``Pipeline`` does it once and reuses it for every
document.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from kg.model import Document, Entity, Event, Extraction, Relation


class LinkStage(Protocol):
    def __call__(self, doc: Document) -> list[Entity]: ...


class RelationStage(Protocol):
    def __call__(self, doc: Document, entities: list[Entity]) -> list[Relation]: ...


class EventStage(Protocol):
    def __call__(self, doc: Document, entities: list[Entity]) -> list[Event]: ...


@dataclass
class Pipeline:
    link: LinkStage
    relations: RelationStage
    events: EventStage

    def __call__(self, doc: Document) -> Extraction:
        entities = self.link(doc)
        return Extraction(
            document=doc,
            entities=entities,
            relations=self.relations(doc, entities),
            events=self.events(doc, entities),
        )

    def pipe(self, docs: Iterable[Document]) -> Iterator[Extraction]:
        for doc in docs:
            yield self(doc)


def default_pipeline() -> Pipeline:
    """The offline pipeline over the bundled knowledge."""
    from kg.extraction import extract_events, extract_relations
    from kg.linking import Linker

    return Pipeline(link=Linker.default(), relations=extract_relations, events=extract_events)
