"""Keep the knowledge graph in step with the documents of an embedded store.

The layer is a function of the evidence: for any set of document graphs there is one
knowledge graph, whatever order the documents came in, in how many batches or by how
many workers.  It is kept up to date *by block* (``clustering``): when documents are
added, replaced or removed, only the blocks their reports fall in -- now or before -- are
recomputed, from the reports of every document in them, and their nodes rewritten.

Crash safety.  Each document graph carries its source fingerprint; the knowledge graph
records, per document graph, the fingerprint it has taken in (``gk:absorbedFingerprint``),
written last, after the block's new nodes are added and its stale ones removed.  A build
killed half-way leaves documents whose marker is missing or old; the next build's
``sync`` finds them by comparing the two and recomputes their blocks, which also clears
any node half-written by the killed run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import reduce

from pyoxigraph import Literal, NamedNode, Quad
from pyoxigraph import Store as OxStore

from kg.knowledge.clustering import (
    EventCluster,
    cluster_events,
    cluster_facts,
    digest,
    event_block,
    event_sides,
    fact_block,
)
from kg.knowledge.reports import (
    DocumentReports,
    EventReport,
    FactReport,
    Source,
    Triples,
    document_reports,
    reports_in,
    source_of,
)
from kg.vocab import DCTERMS, GK, PROV, RDF, RDFS, SEM, XSD, plover_type

log = logging.getLogger(__name__)

Term = NamedNode | Literal
Triple = tuple[NamedNode, NamedNode, Term]


def knowledge_graph(base_iri: str) -> NamedNode:
    return NamedNode(f"{base_iri}knowledge/graph")


@dataclass
class SyncResult:
    absorbed: int = 0  # documents taken in (new or changed)
    forgotten: int = 0  # documents whose graph is gone
    blocks: int = 0  # blocks recomputed


@dataclass
class _Change:
    """The documents of one update: their new reports, and which are gone."""

    reports: dict[str, DocumentReports] = field(default_factory=dict)  # graph -> reports
    removed: set[str] = field(default_factory=set)  # graphs

    @property
    def graphs(self) -> set[str]:
        return set(self.reports) | self.removed


class KnowledgeLayer:
    """The knowledge graph of one embedded store (``{base}graph/knowledge``)."""

    def __init__(self, ox: OxStore, base_iri: str) -> None:
        self.ox = ox
        self.base = base_iri
        self.graph = knowledge_graph(base_iri)

    # --- what callers use ---------------------------------------------------------------

    def absorb(self, documents: Sequence[DocumentReports]) -> SyncResult:
        """Take in documents whose graphs were just written (their reports in memory)."""
        return self._update(_Change(reports={d.graph: d for d in documents}))

    def forget(self, graphs: Iterable[str]) -> SyncResult:
        """Drop documents whose graphs were removed."""
        return self._update(_Change(removed=set(graphs)))

    def sync(self) -> SyncResult:
        """Catch up with every document graph in the store: take in the ones the layer
        has not (or in another version), drop the ones that are gone."""
        stored = self._stored_fingerprints()
        absorbed = self._absorbed_fingerprints()
        stale = sorted(g for g, fp in stored.items() if absorbed.get(g) != fp)
        change = _Change(removed={g for g in absorbed if g not in stored})
        for graph in stale:
            found = self._read_document(graph)
            if found is not None:
                change.reports[graph] = found
        if not change.graphs:
            return SyncResult()
        log.info(
            "knowledge layer: catching up with %d document(s), %d removed",
            len(change.reports),
            len(change.removed),
        )
        return self._update(change)

    # --- the update -----------------------------------------------------------------------

    def _update(self, change: _Change) -> SyncResult:
        docs = {self._doc_of(g) for g in change.graphs}
        by_block: dict[str, list[EventReport | FactReport]] = {}
        for block in self._blocks_reported_in(docs):
            by_block.setdefault(block, [])
        for found in change.reports.values():
            fresh: list[EventReport | FactReport] = [*found.events, *found.facts]
            for report in fresh:
                by_block.setdefault(_block_of(report), []).append(report)
        old_nodes = {block: self._nodes_of(block) for block in sorted(by_block)}
        for report in self._kept_reports(old_nodes, docs):
            # Its block as keyed now (a store built by a geokg that keyed blocks otherwise
            # gets no KeyError here; its layer is made consistent by dropping the
            # knowledge graph, which the next build then makes afresh).
            by_block.setdefault(_block_of(report), []).append(report)
        new_triples: dict[Triple, None] = {}
        for block, reports in sorted(by_block.items()):
            if block.startswith("event:"):
                events = [r for r in reports if isinstance(r, EventReport)]
                for cluster in cluster_events(events):
                    new_triples.update(dict.fromkeys(self._world_event(cluster)))
            else:
                facts = [r for r in reports if isinstance(r, FactReport)]
                new_triples.update(dict.fromkeys(self._facts(block, facts)))
        self._rewrite(old_nodes, new_triples, change)
        return SyncResult(len(change.reports), len(change.removed), len(by_block))

    def _rewrite(
        self,
        old_nodes: dict[str, list[NamedNode]],
        new_triples: dict[Triple, None],
        change: _Change,
    ) -> None:
        """Add the new nodes' quads, remove the stale ones, then move the markers."""
        g = self.graph
        old = {
            quad
            for nodes in old_nodes.values()
            for node in nodes
            for quad in self.ox.quads_for_pattern(node, None, None, g)
        }
        new = {Quad(s, p, o, g) for s, p, o in new_triples}
        self.ox.extend(sorted(new - old, key=str))
        for quad in old - new:
            self.ox.remove(quad)
        for graph in sorted(change.graphs):
            for quad in list(
                self.ox.quads_for_pattern(NamedNode(graph), GK.absorbedFingerprint, None, g)
            ):
                self.ox.remove(quad)
        self.ox.extend(
            Quad(NamedNode(graph), GK.absorbedFingerprint, Literal(found.fingerprint), g)
            for graph, found in sorted(change.reports.items())
        )

    # --- reading the store ------------------------------------------------------------------

    def _doc_of(self, graph: str) -> str:
        """The document IRI of a document graph (both minted from the document id)."""
        return self.base + "doc/" + graph.removeprefix(self.base + "graph/")

    def _graph_of(self, doc: str) -> str:
        """The named graph of a document IRI (``_doc_of`` the other way)."""
        return self.base + "graph/" + doc.removeprefix(self.base + "doc/")

    def _blocks_reported_in(self, docs: set[str]) -> set[str]:
        blocks: set[str] = set()
        for doc in sorted(docs):
            for quad in self.ox.quads_for_pattern(None, GK.reportedIn, NamedNode(doc), self.graph):
                for key in self.ox.quads_for_pattern(quad.subject, GK.blockKey, None, self.graph):
                    blocks.add(_text(key.object))
        return blocks

    def _nodes_of(self, block: str) -> list[NamedNode]:
        return sorted(
            {
                q.subject
                for q in self.ox.quads_for_pattern(None, GK.blockKey, Literal(block), self.graph)
                if isinstance(q.subject, NamedNode)
            },
            key=lambda n: n.value,
        )

    def _kept_reports(
        self, old_nodes: dict[str, list[NamedNode]], changed_docs: set[str]
    ) -> list[EventReport | FactReport]:
        """The reports already merged into these blocks' nodes, except those of the
        changed documents (their reports come afresh), read back from the evidence."""
        iris = sorted(
            {
                _text(q.object)
                for nodes in old_nodes.values()
                for node in nodes
                for q in self.ox.quads_for_pattern(node, PROV.wasDerivedFrom, None, self.graph)
            }
        )
        triples = Triples()
        doc_of_report: dict[str, str] = {}
        for iri in iris:
            quads = [q for q in self.ox.quads_for_pattern(NamedNode(iri), None, None, None)]
            quads = [q for q in quads if q.graph_name != self.graph]
            doc = next((_text(q.object) for q in quads if q.predicate == PROV.wasDerivedFrom), None)
            if doc is None or doc in changed_docs:
                continue
            doc_of_report[iri] = doc
            triples.add_quads(quads)
            # The sides' labels, as the report's own document gives them.
            graph = NamedNode(self._graph_of(doc))
            for side in [q.object for q in quads if q.predicate in (GK.actor, GK.recipient)]:
                if isinstance(side, NamedNode):
                    triples.add_quads(self.ox.quads_for_pattern(side, RDFS.label, None, graph))
            for post in [q.object for q in quads if q.predicate == GK.post]:
                if not isinstance(post, NamedNode):
                    continue
                triples.add_quads(self.ox.quads_for_pattern(post, None, None, None))
        sources: dict[str, Source] = {}
        for doc in sorted(set(doc_of_report.values())):
            triples.add_quads(self.ox.quads_for_pattern(NamedNode(doc), None, None, None))
            sources[doc] = source_of(triples, doc)
        events, facts = reports_in(triples, lambda iri: sources.get(doc_of_report.get(iri, "")))
        return [*events, *facts]

    def _read_document(self, graph: str) -> DocumentReports | None:
        quads = self.ox.quads_for_pattern(None, None, None, NamedNode(graph))
        return document_reports(graph, Triples().add_quads(quads))

    def _stored_fingerprints(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for quad in self.ox.quads_for_pattern(None, GK.sourceFingerprint, None, None):
            graph = quad.graph_name
            if isinstance(graph, NamedNode) and graph != self.graph:
                found[graph.value] = _text(quad.object)
        return found

    def _absorbed_fingerprints(self) -> dict[str, str]:
        return {
            _text(q.subject): _text(q.object)
            for q in self.ox.quads_for_pattern(None, GK.absorbedFingerprint, None, self.graph)
        }

    # --- the nodes ----------------------------------------------------------------------------

    def _world_event(self, cluster: EventCluster) -> Iterator[Triple]:
        node = NamedNode(f"{self.base}world-event/{cluster.key}")
        reports = cluster.reports
        first = reports[0]
        actors, recipients = event_sides(first)
        yield node, RDF.type, GK.WorldEvent
        yield node, GK.blockKey, Literal(cluster.block)
        yield node, RDFS.label, Literal(_event_label(cluster, actors, recipients))
        yield node, SEM.eventType, plover_type(first.type)
        for actor in actors:
            yield node, GK.actor, NamedNode(actor)
        for recipient in recipients:
            yield node, GK.recipient, NamedNode(recipient)
        day = _event_day(cluster)
        if day:
            yield node, SEM.hasTimeStamp, Literal(day, datatype=XSD.date)
        if cluster.location:
            yield node, SEM.hasPlace, NamedNode(cluster.location)
        yield from _aggregates(node, reports)
        for label, flag in (
            (GK.deniedReports, "negated"),
            (GK.claimedReports, "claimed"),
            (GK.hypotheticalReports, "hypothetical"),
        ):
            count = sum(1 for r in reports if getattr(r, flag))
            if count:
                yield node, label, Literal(str(count), datatype=XSD.integer)

    def _facts(self, block: str, reports: list[FactReport]) -> Iterator[Triple]:
        facts = cluster_facts(reports)
        nodes = {key: NamedNode(f"{self.base}fact/{digest(*key)}") for key in facts}
        for key, members in facts.items():
            node, first = nodes[key], members[0]
            yield node, RDF.type, GK.Fact
            yield node, GK.blockKey, Literal(block)
            yield node, GK.relationType, Literal(first.type)
            yield node, GK.factSubject, NamedNode(first.subject)
            yield node, GK.factObject, NamedNode(first.object)
            if first.extra:
                yield node, GK.factDetail, Literal(first.extra)
            yield from _aggregates(node, members)
            for other, other_node in nodes.items():
                if other != key:
                    yield node, GK.conflictsWith, other_node


def _block_of(report: EventReport | FactReport) -> str:
    return event_block(report) if isinstance(report, EventReport) else fact_block(report)


def _text(term: object) -> str:
    """The IRI or lexical form of a term (what these patterns return is one or the other)."""
    return term.value if isinstance(term, (NamedNode, Literal)) else str(term)


def _event_label(
    cluster: EventCluster, actors: tuple[str, ...], recipients: tuple[str, ...]
) -> str:
    """ "REQUEST: Armenia -> Russia, 2022-09-13": what an analyst reads first.  Each side
    by the label its reports give (the alphabetically first), else its IRI's last part."""
    labels: dict[str, str] = {}
    for report in cluster.reports:
        for entity, label in report.names:
            labels[entity] = min(label, labels.get(entity, label))

    def name(entity: str) -> str:
        return labels.get(entity) or entity.rstrip("/#").rsplit("/", 1)[-1]

    sides = ", ".join(name(a) for a in actors)
    if recipients:
        sides += " -> " + ", ".join(name(r) for r in recipients)
    day = _event_day(cluster)
    return f"{cluster.reports[0].type}: {sides}" + (f", {day}" if day else "")


def _event_day(cluster: EventCluster) -> str | None:
    """The event's day: the earliest its reports give as the event's own, else the
    cluster's first day."""
    own = sorted(
        r.event_date[:10] for r in cluster.reports if r.event_date and len(r.event_date) >= 10
    )
    if own:
        return own[0]
    return cluster.start.isoformat() if cluster.start else None


def _aggregates(node: NamedNode, reports: Sequence[EventReport | FactReport]) -> Iterator[Triple]:
    """What every knowledge node says of its reports."""
    yield node, GK.reportCount, Literal(str(len(reports)), datatype=XSD.integer)
    for report in reports:
        yield node, PROV.wasDerivedFrom, NamedNode(report.iri)
    sources = [r.source for r in reports]
    for doc in sorted({s.doc for s in sources}):
        yield node, GK.reportedIn, NamedNode(doc)
    for outlet in sorted({s.outlet for s in sources if s.outlet}):
        yield node, GK.outlet, Literal(outlet)
    for language in sorted({s.language for s in sources if s.language}):
        yield node, DCTERMS.language, Literal(language)
    times = sorted(s.published for s in sources if s.published)
    if times:
        yield node, GK.firstReported, Literal(times[0], datatype=XSD.dateTime)
        yield node, GK.lastReported, Literal(times[-1], datatype=XSD.dateTime)
    # Independent reports, each right with its confidence: the chance at least one is.
    doubt = reduce(lambda acc, r: acc * (1.0 - r.confidence), reports, 1.0)
    yield node, GK.confidence, _decimal(1.0 - doubt)


def _decimal(value: float) -> Literal:
    """Four decimals, in the canonical form Oxigraph stores ("0.9730" comes back "0.973",
    "1.0000" as "1"): the stale quads of a block are found by comparing the stored ones
    with the new, so the new must be spelled as the store spells them."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return Literal(text or "0", datatype=XSD.decimal)


__all__ = ["KnowledgeLayer", "SyncResult", "knowledge_graph"]
