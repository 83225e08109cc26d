"""SHACL validation of a store against ``ontology/shapes.ttl`` (``kg validate``).

Each document graph is validated on its own with pyshacl: a document's graph is the unit
a build writes and replaces, so a report names the graph to look at, and nodes shared
between documents (entities, posts) are judged by what each document says about them.
The ontology files are added to each data graph before validation, so class hierarchy and
code lists are visible to the shapes (pyshacl's ``ont_graph`` is only mixed in when it also
runs inference, which we do not want: inferred triples would hide missing ones).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache

import pyshacl
from pyoxigraph import NamedNode, RdfFormat
from rdflib import Graph

from kg.errors import ValidationFailed
from kg.paths import ONTOLOGY_DIR
from kg.store import Store
from kg.vocab import ONTOLOGY_FILES, SHAPES_FILE

log = logging.getLogger(__name__)


@dataclass
class GraphReport:
    graph: str
    conforms: bool
    text: str


@dataclass
class ValidationReport:
    """Outcome of validating every document graph of a store."""

    graphs: list[GraphReport] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return all(g.conforms for g in self.graphs)

    @property
    def failing(self) -> list[GraphReport]:
        return [g for g in self.graphs if not g.conforms]

    @property
    def text(self) -> str:
        """A readable report: one line of summary, then each failing graph's violations."""
        summary = f"{len(self.graphs)} document graph(s) validated against {SHAPES_FILE.name}: " + (
            "all conform." if self.conforms else f"{len(self.failing)} do not conform."
        )
        details = [f"\n== {g.graph}\n{g.text.strip()}" for g in self.failing]
        return "\n".join([summary, *details])

    def raise_for_violations(self) -> None:
        if not self.conforms:
            raise ValidationFailed(self.text)


@lru_cache(maxsize=1)
def _shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


@lru_cache(maxsize=1)
def _ontology() -> Graph:
    graph = Graph()
    for name in ONTOLOGY_FILES:
        graph.parse(ONTOLOGY_DIR / name, format="turtle")
    return graph


def validate_graph(data: Graph, name: str = "data") -> GraphReport:
    """Validate one rdflib graph against the shapes, with the ontology mixed in."""
    merged = Graph()
    for triple in _ontology():
        merged.add(triple)
    for triple in data:
        merged.add(triple)
    conforms, _, text = pyshacl.validate(
        merged,
        shacl_graph=_shapes(),
        inference="none",
        advanced=True,  # SPARQL-based constraints (offsets agree with text, mode fits type)
        allow_warnings=True,
    )
    return GraphReport(graph=name, conforms=bool(conforms), text=str(text))


def _rdflib_graph(store: Store, graph: str) -> Graph:
    # N-Triples is the lossless, fastest hand-over between pyoxigraph and rdflib.
    data = store.ox.dump(format=RdfFormat.N_TRIPLES, from_graph=NamedNode(graph)) or b""
    return Graph().parse(data=data.decode("utf-8"), format="nt")


def validate_store(store: Store) -> ValidationReport:
    """Validate every document graph of the store; never raises on violations."""
    report = ValidationReport()
    for graph in store.document_graphs():
        result = validate_graph(_rdflib_graph(store, graph), graph)
        log.debug("%s: %s", graph, "conforms" if result.conforms else "violations")
        report.graphs.append(result)
    return report
