"""Document shards: one document's graph as N-Quads, made where it was extracted.

A build's workers (local processes or Dask) do everything that is per document --
extraction, the RDF mapping, the N-Quads serialisation -- and send the writer a
``DocumentShard``: bytes and a few counts, cheap to pickle and to load.  The writer
(``kg.store``) only parses the N-Quads into the store, in input order, so the store
ends with the same quads whatever the number of workers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Triple, parse

from kg.errors import StoreError
from kg.knowledge.reports import DocumentReports, Triples, document_reports
from kg.model import Extraction
from kg.rdf import RdfMappingError, extraction_triples


@dataclass(frozen=True)
class ExtractionTally:
    """What the build summary counts of one document's extraction."""

    entity_refs: tuple[str, ...]
    linked_qids: tuple[str, ...]
    mentions: int
    relations: int
    events: int
    language: str = ""
    support: str | None = None  # kg.extraction.support: what was read in its language

    @classmethod
    def of(cls, extraction: Extraction) -> ExtractionTally:
        entities = extraction.entities
        return cls(
            entity_refs=tuple(e.ref for e in entities),
            linked_qids=tuple(e.qid for e in entities if e.qid),
            mentions=sum(len(e.mentions) for e in entities),
            relations=len(extraction.relations),
            events=len(extraction.events),
            language=extraction.document.lang,
            support=extraction.support,
        )


@dataclass(frozen=True)
class DocumentShard:
    """One document's named graph, serialised, with what the summary needs."""

    document_id: str
    graph: str  # the IRI of the document's named graph
    nquads: bytes  # the whole graph, its source fingerprint included
    quad_count: int  # distinct quads
    tally: ExtractionTally
    # Its report-level assertions, for the knowledge layer (read from the same triples,
    # so the writer need not parse the N-Quads again).
    reports: DocumentReports | None = None

    def quads(self) -> list[Quad]:
        """The graph's quads again (for the paths that need terms, not bytes)."""
        return list(parse(self.nquads, format=RdfFormat.N_QUADS))


def make_shard(extraction: Extraction, base_iri: str, annotations: str = "light") -> DocumentShard:
    """Map an extraction to its graph and serialise it; a mapping error names the
    document and happens before any store is touched."""
    doc_id = extraction.document.id
    try:
        graph, triples = extraction_triples(extraction, base_iri, annotations)
    except RdfMappingError as err:
        raise StoreError(f"{doc_id}: {err}; the store was left as it was") from err
    return DocumentShard(
        document_id=doc_id,
        graph=graph.value,
        nquads=nquads_in_graph(triples, graph),
        quad_count=len(triples),
        tally=ExtractionTally.of(extraction),
        reports=document_reports(graph.value, Triples().add_triples(triples)),
    )


def shard_graph(shard: DocumentShard) -> NamedNode:
    return NamedNode(shard.graph)


# Any subject, predicate and object pyoxigraph has (a shard's TermTriples are among them).
StatementTerms = tuple[
    NamedNode | BlankNode | Triple, NamedNode, NamedNode | BlankNode | Literal | Triple
]


def nquads_in_graph(triples: Iterable[StatementTerms], graph: NamedNode) -> bytes:
    """N-Quads lines from pyoxigraph's own N-Triples form of each term (``str(term)``
    escapes IRIs and literals as the format requires).  Twice as fast as building Quad
    objects for ``serialize``; tests check both give the same quads."""
    in_graph = f" {graph} .\n"
    return "".join(f"{s} {p} {o}{in_graph}" for s, p, o in triples).encode("utf-8")
