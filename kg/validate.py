"""SHACL validation of a store against ``ontology/shapes.ttl`` (``kg validate``).

Document graphs are validated in batches: each batch is the union of some document graphs
plus the ontology files (class hierarchy and code lists must be visible to the shapes;
pyshacl's ``ont_graph`` would only be mixed in together with inference, which we do not
want, since inferred triples would hide missing ones).  A pyshacl run has a fixed cost, so
one run per batch rather than per document keeps ``kg validate`` fast on large corpora.
Each violation is attributed back to the document graph(s) holding its focus node, so
the report says which document to look at.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import pyshacl
from pyoxigraph import NamedNode, RdfFormat
from rdflib import Graph, Node
from rdflib.namespace import SH

from kg.errors import ValidationFailed
from kg.paths import ONTOLOGY_DIR
from kg.store import Store
from kg.vocab import ONTOLOGY_FILES, ONTOLOGY_IRI, PREFIXES, SHAPES_FILE

log = logging.getLogger(__name__)

DEFAULT_BATCH = 200  # document graphs per pyshacl run


@dataclass(frozen=True)
class Violation:
    """One SHACL result, in words."""

    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str

    def line(self) -> str:
        if self.focus == ONTOLOGY_IRI and self.value:  # a whole-batch SPARQL check
            return f"  [{self.severity}] {self.value}: {self.message}"
        where = f" {self.path}" if self.path else ""
        value = f" = {self.value}" if self.value is not None and self.value != self.focus else ""
        return f"  [{self.severity}] {self.focus}{where}{value}: {self.message}"


@dataclass
class GraphReport:
    graph: str
    violations: list[Violation] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not any(v.severity == "Violation" for v in self.violations)

    @property
    def text(self) -> str:
        return "\n".join([self.graph, *(v.line() for v in self.violations)])


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
    def violation_count(self) -> int:
        return sum(len(g.violations) for g in self.failing)

    @property
    def text(self) -> str:
        """A readable report: a summary line, then each failing graph and its violations."""
        summary = f"{len(self.graphs)} document graph(s) validated against {SHAPES_FILE.name}: "
        if self.conforms:
            return summary + "every graph conforms."
        summary += f"{len(self.failing)} do not conform ({self.violation_count} violation(s))."
        return "\n\n".join([summary, *(g.text for g in self.failing)])

    @property
    def summary(self) -> str:
        """The report's first line: how many graphs, how many fail."""
        return self.text.split("\n", 1)[0]

    def raise_for_violations(self) -> None:
        """ValidationFailed with the one-line summary (print ``text`` for the details)."""
        if not self.conforms:
            raise ValidationFailed(self.summary)


@lru_cache(maxsize=1)
def _shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


@lru_cache(maxsize=1)
def _ontology() -> Graph:
    graph = Graph()
    for name in ONTOLOGY_FILES:
        graph.parse(ONTOLOGY_DIR / name, format="turtle")
    return graph


def _short(node: Node | None) -> str | None:
    """An IRI as prefix:local where a geokg prefix fits; literals as their text."""
    if node is None:
        return None
    text = str(node)
    for prefix, iri in PREFIXES.items():
        if text.startswith(iri) and len(text) > len(iri):
            return f"{prefix}:{text[len(iri) :]}"
    return text


def shacl_violations(data: Graph) -> list[tuple[list[Node], Violation]]:
    """Validate one rdflib graph (the ontology is added here).

    Returns (nodes, violation) pairs, where nodes are the focus node and the value node:
    whichever of them a document graph holds tells which document the violation is in.
    """
    merged = Graph()
    for triple in _ontology():
        merged.add(triple)
    for triple in data:
        merged.add(triple)
    _, results, _ = pyshacl.validate(
        merged,
        shacl_graph=_shapes(),
        inference="none",
        advanced=True,  # SHACL-SPARQL: offsets agree with the text, modes fit their type
        allow_warnings=True,
    )
    assert isinstance(results, Graph)
    found: list[tuple[list[Node], Violation]] = []
    for result in results.subjects(SH.resultSeverity, None):
        focus = results.value(result, SH.focusNode)
        value = results.value(result, SH.value)
        severity = results.value(result, SH.resultSeverity)
        violation = Violation(
            focus=_short(focus) or "?",
            path=_short(results.value(result, SH.resultPath)),
            value=_short(value),
            message=str(results.value(result, SH.resultMessage) or "constraint not met"),
            severity=str(severity).rsplit("#", 1)[-1],
        )
        found.append(([n for n in (focus, value) if n is not None], violation))
    return sorted(found, key=lambda fv: (fv[1].focus, fv[1].path or "", fv[1].message))


def _rdflib_graph(store: Store, graphs: list[str]) -> tuple[Graph, dict[Node, set[str]]]:
    """The union of some document graphs, and which graph(s) each subject comes from."""
    union, owners = Graph(), defaultdict[Node, set[str]](set)
    for graph in graphs:
        # N-Triples: the lossless, fast hand-over between pyoxigraph and rdflib.
        data = store.ox.dump(format=RdfFormat.N_TRIPLES, from_graph=NamedNode(graph)) or b""
        part = Graph().parse(data=data.decode("utf-8"), format="nt")
        for triple in part:
            union.add(triple)
            owners[triple[0]].add(graph)
    return union, owners


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def validate_store(store: Store, batch_size: int = DEFAULT_BATCH) -> ValidationReport:
    """Validate every document graph of the store; never raises on violations."""
    graphs = store.document_graphs()
    reports = {g: GraphReport(g) for g in graphs}
    for batch in _batches(graphs, max(1, batch_size)):
        union, owners = _rdflib_graph(store, batch)
        for nodes, violation in shacl_violations(union):
            holders = next((owners[n] for n in nodes if n in owners), None)
            for graph in sorted(holders or batch):
                reports[graph].violations.append(violation)
        log.debug("validated %d graph(s)", len(batch))
    return ValidationReport(graphs=list(reports.values()))
