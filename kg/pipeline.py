"""The extraction pipeline: Document -> entities -> relations and events.

Each stage is a callable over the shared data model (``kg/model.py``), so a
stage can be swapped or tested alone, spaCy-style.  Building the alias index
is the expensive part; ``Pipeline`` does it once and reuses it for every
document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, Protocol

from kg.model import Document, Entity, Event, Extraction, Relation

if TYPE_CHECKING:
    from kg.wikidata.config import WikidataConfig


class LinkStage(Protocol):
    def __call__(self, doc: Document) -> list[Entity]: ...


class ActorStage(Protocol):
    """Actors that are no named entity ("police", "protesters"), found beside the linked ones."""

    def __call__(self, doc: Document, entities: list[Entity]) -> list[Entity]: ...


class RelationStage(Protocol):
    def __call__(self, doc: Document, entities: list[Entity]) -> list[Relation]: ...


class EventStage(Protocol):
    def __call__(self, doc: Document, entities: list[Entity]) -> list[Event]: ...


@dataclass
class Pipeline:
    link: LinkStage
    relations: RelationStage
    events: EventStage
    actors: ActorStage | None = None
    support: Callable[[str], str] | None = None  # language -> what is read in it

    def entities(self, doc: Document) -> list[Entity]:
        """The linked entities of ``doc`` and, after them, its generic actors."""
        entities = self.link(doc)
        if self.actors is not None:
            entities = entities + self.actors(doc, entities)
        return entities

    def __call__(self, doc: Document) -> Extraction:
        entities = self.entities(doc)
        return Extraction(
            document=doc,
            entities=entities,
            relations=self.relations(doc, entities),
            events=self.events(doc, entities),
            support=self.support(doc.lang) if self.support is not None else None,
        )

    def pipe(self, docs: Iterable[Document]) -> Iterator[Extraction]:
        for doc in docs:
            yield self(doc)


def default_pipeline() -> Pipeline:
    """The offline pipeline over the bundled knowledge."""
    from kg.extraction import GenericActors, extract_events, extract_relations
    from kg.extraction.support import language_support
    from kg.linking import Linker

    linker = Linker.default()
    return Pipeline(
        link=linker,
        relations=extract_relations,
        events=extract_events,
        actors=GenericActors(linker.country_of),
        support=language_support,
    )


@dataclass(frozen=True)
class PipelineSpec:
    """What pipeline to make, as a small picklable value.

    Worker processes and Dask workers receive the spec, not the pipeline:
    each makes its pipeline once (``pipeline_for``) and keeps it.
    ``online`` adds NIL resolution against Wikidata (``--online``).
    """

    online: WikidataConfig | None = None
    # How much of the text's annotation each graph keeps: "light" or "full" (kg.rdf).
    annotations: str = "light"

    def make(self) -> Pipeline:
        pipeline = default_pipeline()
        if self.online is not None:
            pipeline = with_online_linking(pipeline, self.online)
        return pipeline


def with_online_linking(
    pipeline: Pipeline, config: WikidataConfig | None = None, threshold: float | None = None
) -> Pipeline:
    """``pipeline`` with NIL resolution against Wikidata after its link stage: the one
    line a command needs for ``--online`` (``kg extract``, ``kg build``).  The
    dependency points one way: this module composes stages, ``kg.wikidata.nil``
    knows none of them."""
    from kg.wikidata.client import WikidataClient
    from kg.wikidata.config import WikidataConfig
    from kg.wikidata.nil import DEFAULT_THRESHOLD, NilResolver, OnlineLinker

    client = WikidataClient(config or WikidataConfig.from_env())
    resolver = NilResolver(client, threshold=DEFAULT_THRESHOLD if threshold is None else threshold)
    return replace(pipeline, link=OnlineLinker(pipeline.link, resolver))


@cache
def pipeline_for(spec: PipelineSpec) -> Pipeline:
    """This process's pipeline for ``spec``, made on first use."""
    return spec.make()
