"""The graph store: an embedded Oxigraph database behind a small interface.

``Store.open(path)`` gives an on-disk pyoxigraph store (``Store.open(None)`` an in-memory
one, for tests and one-off runs).  ``open_store(location)`` also accepts the URL of a
remote SPARQL endpoint (``kg.remote_store.RemoteStore``); both satisfy ``GraphStore``, the
part of the interface that builds and queries use.

Writes are atomic: a document is in the store whole or not at all.  A build's workers
send ``DocumentShard``s (the document's graph as N-Quads, ``kg.shards``).
``write_shards`` loads a batch of new graphs with pyoxigraph's bulk loader, which
commits a whole ``bulk_load`` call or nothing (see ``write_shards``); ``write_shard``
loads one new graph in a transaction, or replaces an existing one with one SPARQL
update (``DROP GRAPH`` + ``INSERT DATA``), which Oxigraph also applies as a single
transaction.  Writing the same extraction again leaves the store's content (its sorted
N-Quads dump) exactly the same.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, TypeVar

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Triple,
    Variable,
    parse,
)
from pyoxigraph import Store as OxStore

from kg.closing import ClosesOnExit
from kg.errors import QueryError, StoreError
from kg.inline import inline_bindings
from kg.knowledge.layer import KnowledgeLayer
from kg.model import Extraction
from kg.paths import ONTOLOGY_DIR
from kg.rdf import BASE_IRI_ENV, document_graph, resolve_base_iri
from kg.shards import DocumentShard, make_shard, nquads_in_graph, shard_graph
from kg.vocab import (
    DCTERMS,
    GK,
    ONTOLOGY_FILES,
    ONTOLOGY_GRAPH,
    ONTOLOGY_IRI,
    OWL,
    PREFIXES,
    SETTINGS_GRAPH,
    XSD,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

Term = NamedNode | BlankNode | Literal | Triple
Cell = NamedNode | BlankNode | Literal | Triple | None

_DUMP_FORMATS: dict[str, RdfFormat] = {
    "nquads": RdfFormat.N_QUADS,
    "trig": RdfFormat.TRIG,
    "turtle": RdfFormat.TURTLE,
    "ntriples": RdfFormat.N_TRIPLES,
}
_DATASET_FORMATS = frozenset({"nquads", "trig"})

# About 100 news documents' worth of quads between flushes (see _flush_now_and_then).
FLUSH_EVERY_QUADS = 70_000

# Most quads one ``bulk_load`` call is given.  Older Oxigraph bulk loaders ingested
# their input in chunks of 1,000,000 quads, each chunk on its own, so a batch stays
# well under that: one call is then one ingestion whatever the version.
BULK_LOAD_MAX_QUADS = 500_000


@dataclass(frozen=True)
class WriteResult:
    """What one ``write_extraction`` did to the store."""

    document_id: str
    graph: str
    quads_before: int  # in the document's graph before the write
    quads_after: int
    replaced: bool  # the document was in the store already

    @property
    def unchanged(self) -> bool:
        return self.replaced and self.quads_before == self.quads_after


@dataclass(frozen=True)
class Table:
    """A query result: column names and rows of RDF terms (None where unbound)."""

    columns: list[str]
    rows: list[tuple[Cell, ...]]

    def __len__(self) -> int:
        return len(self.rows)


@dataclass
class StoreStats:
    quads: int
    documents: int
    classes: dict[str, int] = field(default_factory=dict)  # class IRI -> distinct instances
    graphs: dict[str, int] = field(default_factory=dict)  # graph IRI -> quads
    languages: dict[str, int] = field(default_factory=dict)  # language tag -> documents

    def to_json(self) -> dict[str, object]:
        return {
            "quads": self.quads,
            "documents": self.documents,
            "classes": self.classes,
            "graphs": self.graphs,
            "languages": self.languages,
        }

    def to_text(self) -> str:
        """Three small tables for a terminal: classes, graphs, languages."""

        def section(title: str, counts: dict[str, int]) -> list[str]:
            width = max((len(k) for k in counts), default=0)
            return [title, *(f"  {k.ljust(width)}  {v:>8}" for k, v in counts.items())]

        head = f"{self.quads} quads, {self.documents} document(s)"
        classes = {_compact(k): v for k, v in self.classes.items()}
        return "\n".join(
            [
                head,
                *section("classes", classes),
                *section("graphs", self.graphs),
                *section("languages", self.languages),
            ]
        )


class Store(ClosesOnExit):
    """A geokg graph store.  Use as a context manager, or call ``close()``."""

    def __init__(self, ox: OxStore, path: Path | None, base_iri: str, read_only: bool) -> None:
        self._ox: OxStore | None = ox
        self.path = path
        self.base_iri = base_iri
        self.read_only = read_only
        self._unflushed = 0  # quads written in transactions since the last flush

    # --- opening ------------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: str | Path | None, *, base_iri: str | None = None, read_only: bool = False
    ) -> Store:
        """Open (creating if needed) the embedded store at ``path``; None means in memory.

        A writable store gets the ontology loaded into its own graph on first use.
        """
        where = Path(path).expanduser() if path is not None else None
        try:
            if where is None:
                ox = OxStore()
            elif read_only:
                if not where.exists():
                    raise StoreError(f"no store at {where}; build one first with `kg build`")
                ox = _open_read_only(where)
            else:
                if not _holds_store(where):
                    _create_store(where, base_iri)
                ox = OxStore(str(where))
        except (OSError, RuntimeError) as err:  # RocksDB reports damage as RuntimeError
            hint = "; is another kg command using it?" if "lock" in str(err).lower() else ""
            raise StoreError(f"cannot open the store at {where}: {err}{hint}") from err
        store = cls(ox, where, "", read_only)
        store.base_iri = store._reading(
            lambda opened: _settle_base_iri(opened, where, base_iri, read_only)
        )
        if not read_only:
            store.ensure_ontology()
        return store

    @property
    def ox(self) -> OxStore:
        if self._ox is None:
            raise StoreError("the store is closed")
        return self._ox

    def close(self) -> None:
        """Flush and release the store (and its directory lock)."""
        if self._ox is not None:
            if self.path is not None and not self.read_only:
                self._ox.flush()
            self._ox = None  # pyoxigraph releases the directory lock when the object goes

    # --- writing ------------------------------------------------------------------------

    def ensure_ontology(self) -> bool:
        """Load ontology/*.ttl into the ontology graph unless this version is there already.

        Returns True if it (re)loaded.
        """
        version = _ontology_version()
        present = self.ox.quads_for_pattern(
            NamedNode(ONTOLOGY_IRI), OWL.versionInfo, Literal(version), ONTOLOGY_GRAPH
        )
        if any(True for _ in present):
            return False
        quads: list[Quad] = []
        for name in ONTOLOGY_FILES:
            for q in parse(path=str(ONTOLOGY_DIR / name), format=RdfFormat.TURTLE):
                quads.append(Quad(q.subject, q.predicate, q.object, ONTOLOGY_GRAPH))
        self._replace_graph(ONTOLOGY_GRAPH, quads)
        log.info("loaded ontology %s into %s", version, ONTOLOGY_GRAPH.value)
        return True

    def write_extraction(self, extraction: Extraction, annotations: str = "light") -> WriteResult:
        """Replace the document's named graph with this extraction, atomically
        (``annotations``: "light" or "full", as ``kg build --annotations``)."""
        return self.write_shard(make_shard(extraction, self.base_iri, annotations))

    def write_shard(self, shard: DocumentShard) -> WriteResult:
        """Write one document's graph, made by a worker, in one transaction: a new graph
        is parsed straight from its N-Quads; an existing one is replaced whole.  Then the
        knowledge layer takes it in."""
        result = self._write_graph(shard)
        if shard.reports is not None:
            self.knowledge.absorb([shard.reports])
        return result

    def _write_graph(self, shard: DocumentShard) -> WriteResult:
        graph = shard_graph(shard)
        if self.ox.contains_named_graph(graph):
            before = self.graph_quad_count(graph)
            self._replace_graph(graph, shard.quads())
        else:
            before = 0
            self._load_graph(shard.nquads)
        self._flush_now_and_then(shard.quad_count)
        return WriteResult(shard.document_id, shard.graph, before, shard.quad_count, before > 0)

    def write_shards(self, shards: list[DocumentShard]) -> list[WriteResult]:
        """Write a batch of documents: the new ones at bulk-loader speed, all or none.

        New graphs, each with its source fingerprint (what ``document_fingerprint`` reads
        as "this document is in the store"), go in with one ``bulk_load``.  Oxigraph's bulk
        loader writes sorted files for every index and adds them to RocksDB in one
        ingestion, which RocksDB records atomically; measured with pyoxigraph 0.5: a call
        that fails on its last line, even after 2.5 million quads, leaves nothing, and
        builds killed with SIGKILL leave whole batches only (tests/test_crash_safety.py).
        Documents already in the store are replaced one transaction each.
        """
        is_new = [not self.ox.contains_named_graph(shard_graph(s)) for s in shards]
        fresh = [shard for shard, new in zip(shards, is_new, strict=True) if new]
        for chunk in _chunks_under(fresh, BULK_LOAD_MAX_QUADS):
            self._bulk_load_graphs(chunk)
        results = [
            WriteResult(shard.document_id, shard.graph, 0, shard.quad_count, replaced=False)
            if new
            else self._write_graph(shard)
            for shard, new in zip(shards, is_new, strict=True)
        ]
        self.knowledge.absorb([s.reports for s in shards if s.reports is not None])
        return results

    def _bulk_load_graphs(self, shards: list[DocumentShard]) -> None:
        if len(shards) == 1 and shards[0].quad_count > BULK_LOAD_MAX_QUADS:
            self._load_graph(shards[0].nquads)  # one huge document: one transaction
            return
        try:
            # Shards were serialised by pyoxigraph from validated terms: no need to
            # validate the IRIs again (``lenient``).
            self.ox.bulk_load(b"".join(s.nquads for s in shards), RdfFormat.N_QUADS, lenient=True)
        except (OSError, RuntimeError, SyntaxError, ValueError) as err:
            raise StoreError(f"writing a batch of graphs failed; none was written: {err}") from err

    def _flush_now_and_then(self, written: int) -> None:
        """Flush after every ``FLUSH_EVERY_QUADS`` written in small transactions.

        Measured: without it, one transaction per document grows the process by about
        500 MB and the store by 700 MB per 1,000 documents (a 10,000-document build was
        killed for want of memory at 24 GB); flushing every ~100 documents keeps both flat
        (180 MB, 250 MB per 1,000).  Every transaction is durable before the flush anyway.
        """
        self._unflushed += written
        if self.path is not None and self._unflushed >= FLUSH_EVERY_QUADS:
            self.ox.flush()
            self._unflushed = 0

    def document_fingerprint(self, doc_id: str) -> str | None:
        """The source fingerprint stored with a document, or None if it is not in the store."""
        graph = document_graph(doc_id, self.base_iri)
        for quad in self.ox.quads_for_pattern(None, GK.sourceFingerprint, None, graph):
            if isinstance(quad.object, Literal):
                return quad.object.value
        return None

    def remove_document(self, doc_id: str) -> bool:
        """Drop a document's graph, and its reports from the knowledge layer; False if it
        was not there."""
        graph = document_graph(doc_id, self.base_iri)
        if not self.ox.contains_named_graph(graph):
            return False
        self.ox.remove_graph(graph)
        self.knowledge.forget([graph.value])
        return True

    @property
    def knowledge(self) -> KnowledgeLayer:
        """The store's knowledge layer (kg/knowledge): one node per real-world fact and
        event, kept in step by every write and removal here."""
        return KnowledgeLayer(self.ox, self.base_iri)

    def replace_graph(self, graph: NamedNode, quads: Iterable[Quad]) -> None:
        """Replace one named graph with these quads (their own graph names are ignored),
        in one transaction: for stages that own a graph (background facts, VoID)."""
        self._replace_graph(graph, quads)

    def rewrite_derived_graph(self, graph: NamedNode, quads: Iterable[Quad]) -> None:
        """Replace a graph that every run derives afresh (the VoID description) at
        bulk-loader cost: drop the old graph, then load the new one whole with one
        ``bulk_load``.  Two steps, not one transaction: a build killed between them leaves
        the graph missing, and its re-run writes it again.  Measured on a 600,000-quad
        graph: one SPARQL update (``replace_graph``) took 25 s and 1.8 GB; ``bulk_load``
        took 8 s and 80 MB."""
        nquads = nquads_in_graph(((q.subject, q.predicate, q.object) for q in quads), graph)
        try:
            self.ox.remove_graph(graph)
            self.ox.bulk_load(nquads, RdfFormat.N_QUADS, lenient=True)
        except (OSError, RuntimeError, SyntaxError, ValueError) as err:
            raise StoreError(f"rewriting graph {graph.value} failed: {err}") from err

    def optimize(self) -> None:
        """Merge the files the writes left into RocksDB's compacted levels.

        Every bulk-loaded batch lands as files of its own, which background compaction does
        not fully merge, and a store closed right after its last batch keeps them; each
        read then looks into all of them.  Measured on such a store of 5,000 documents:
        3.7 s of compaction made reading a document graph's quads 8x faster, the export
        query of all mentions 6x faster and four named queries 2.4-4x faster.  It
        rewrites the whole store, so its time grows with the store (10-17 s at 10,000)."""
        try:
            self.ox.optimize()
        except OSError as err:
            raise StoreError(f"compacting {self.path} failed: {err}") from err

    def _load_graph(self, nquads: bytes) -> None:
        """A new graph: one transaction that parses its N-Quads (no SPARQL text to parse,
        so several times faster than the update path, which a replacement needs)."""
        try:
            self.ox.load(nquads, RdfFormat.N_QUADS, lenient=True)
        except (OSError, RuntimeError, SyntaxError, ValueError) as err:
            raise StoreError(f"writing a graph failed; nothing was written: {err}") from err

    def _replace_graph(self, graph: NamedNode, quads: Iterable[Quad]) -> None:
        # One update = one transaction in Oxigraph.  Terms are written by pyoxigraph's own
        # N-Triples serialisation (str(term)), which escapes them; no user text is spliced
        # into SPARQL syntax any other way.
        body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
        update = f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}"
        try:
            self.ox.update(update)
        except (OSError, RuntimeError, SyntaxError, ValueError) as err:
            raise StoreError(
                f"writing graph {graph.value} failed; nothing was written: {err}"
            ) from err

    # --- reading ------------------------------------------------------------------------

    def query(self, sparql: str, bindings: Mapping[str, str | Term] | None = None) -> Table:
        """Run a SPARQL query over the union of all graphs, with variables bound safely.

        ``bindings`` maps variable names (without ``?``) to RDF terms, or to plain strings,
        which are bound as string literals (use ``kg.queries`` to turn a QID into an IRI).
        Each is written into the query's patterns and expressions as one N-Triples term
        (``kg.inline``: an IRI is validated, a literal escaped, so a value never becomes
        query text), which Oxigraph plans with; where SPARQL takes no term there, they are
        passed as substitutions (SEP-0007), which Oxigraph joins after evaluating the query
        as if they were unbound.  A bound variable must appear in the SELECT projection.
        SELECT gives its table, ASK a one-cell ``result`` table, CONSTRUCT/DESCRIBE a
        subject/predicate/object table.
        """
        terms = {
            name: Literal(term) if isinstance(term, str) else term
            for name, term in (bindings or {}).items()
        }
        inlined = inline_bindings(sparql, terms)
        if inlined is not None:
            try:
                with _query_errors():
                    return self._reading(lambda ox: _bound_table(_evaluate(ox, inlined), terms))
            except QueryError as error:
                # Only a query the terms made invalid (a bound variable where SPARQL takes
                # no constant: VALUES, BIND ... AS) is asked again with substitutions; one
                # that failed while running (a time limit) would fail again, twice as slowly.
                if not isinstance(error.__cause__, SyntaxError):
                    raise
        subs = {Variable(name): term for name, term in terms.items()}
        with _query_errors():
            return self._reading(lambda ox: to_table(_evaluate(ox, sparql, subs or None)))

    def select(self, sparql: str) -> Iterator[dict[str, Term | None]]:
        """The solutions of a SELECT query over the union of all graphs, one at a time.

        For results too large to hold twice (an export's every mention): ``query`` builds
        the whole table first.  Oxigraph evaluates lazily, so an error can come mid-way;
        it is raised as a QueryError like ``query``'s.  Not re-run when a writer's
        compaction removes a file under a read-only store: rows already given cannot be
        taken back."""
        with _query_errors():
            result = _evaluate(self.ox, sparql)
            if not isinstance(result, QuerySolutions):
                raise QueryError("select() runs SELECT queries only")
            variables = list(result.variables)
            names = [v.value for v in variables]
            for solution in result:
                yield {name: solution[v] for name, v in zip(names, variables, strict=True)}

    def _reading(self, read: Callable[[OxStore], T]) -> T:
        """``read(store)``, again on a fresh open if a writer deleted files under it.

        A read-only open sees the files of the store as they were when it opened; a build
        writing meanwhile (``kg query`` during ``kg build``) merges and deletes some of
        them, and RocksDB fails the read ("No such file ... .sst").  The read is whole or
        fails, so it is simply run again on the store as it is now.
        """
        for attempt in range(1, _READ_ONLY_ATTEMPTS + 1):
            try:
                return read(self.ox)
            except FileNotFoundError as err:
                if not (self.read_only and self.path) or attempt == _READ_ONLY_ATTEMPTS:
                    raise
                log.debug("a file of %s went during a read (%s); reading again", self.path, err)
                self._ox = _open_read_only(self.path)
        raise AssertionError("unreachable")

    def read_whole(self, read: Callable[[OxStore], T]) -> T:
        """``read(store)`` as one whole read, for readers outside this class that stream
        the store (the RDF dumps): run again from the start on a fresh open if a build
        deleted files under a read-only store meanwhile (``_reading``)."""
        return self._reading(read)

    def quad_count(self) -> int:
        return self._reading(len)

    def graph_quad_count(self, graph: NamedNode) -> int:
        return sum(1 for _ in self.ox.quads_for_pattern(None, None, None, graph))

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.ox.named_graphs() if isinstance(g, NamedNode))

    def document_graphs(self) -> list[str]:
        """Graphs holding documents: those that describe themselves as gk:DocumentGraph.

        (Not the ontology graph, nor graphs other stages add: Wikidata background, VoID.)
        """
        table = self.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?g a {GK.DocumentGraph} }} }}")
        return sorted(row[0].value for row in table.rows if isinstance(row[0], NamedNode))

    def stats(self) -> StoreStats:
        """Counts per class (distinct instances), per named graph and per document language."""
        # Internal queries over vocabulary terms only (no user input), so formatting is safe.
        classes = self._counts(
            "SELECT ?key (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?key } "
            f"FILTER(?g != {ONTOLOGY_GRAPH}) }} GROUP BY ?key"
        )
        languages = self._counts(
            "SELECT ?key (COUNT(DISTINCT ?d) AS ?n) WHERE { GRAPH ?g { "
            f"?d a {GK.Document} ; {DCTERMS.language} ?key }} }} GROUP BY ?key"
        )
        graphs = {g: self.graph_quad_count(NamedNode(g)) for g in self.named_graphs()}
        return StoreStats(
            quads=self.quad_count(),
            documents=sum(languages.values()),
            classes=dict(sorted(classes.items(), key=lambda kv: (-kv[1], kv[0]))),
            graphs=graphs,
            languages=dict(sorted(languages.items())),
        )

    def _counts(self, sparql: str) -> dict[str, int]:
        """``{?key: ?n}`` from a two-column counting query."""
        counts: dict[str, int] = {}
        for key, n in self.query(sparql).rows:
            if isinstance(key, NamedNode | Literal) and isinstance(n, Literal):
                counts[key.value] = int(n.value)
        return counts

    def dump(self, format: str = "nquads", graph: str | None = None) -> bytes:
        """Serialise the whole store (nquads, trig) or one graph (also turtle, ntriples).

        Quads are sorted in N-Quads output, so equal stores give equal bytes.
        """
        if format not in _DUMP_FORMATS:
            raise StoreError(f"unknown dump format {format!r}; use one of {sorted(_DUMP_FORMATS)}")
        rdf_format = _DUMP_FORMATS[format]
        if graph is None and format not in _DATASET_FORMATS:
            raise StoreError(f"{format} holds one graph; name it (graph=...) or use nquads/trig")
        from_graph = NamedNode(graph) if graph else None
        data = self._reading(
            lambda ox: (
                ox.dump(format=rdf_format, from_graph=from_graph)
                if from_graph
                else ox.dump(format=rdf_format)
            )
        )
        data = data or b""  # dump() returns None only when given an output file
        if format in ("nquads", "ntriples"):
            lines = sorted(line for line in data.splitlines(keepends=True) if line.strip())
            return b"".join(lines)
        return data


class GraphStore(Protocol):
    """What a build and a named query need of a store, embedded or remote."""

    path: Any
    base_iri: str

    def write_extraction(self, extraction: Extraction) -> WriteResult: ...
    def write_shard(self, shard: DocumentShard) -> WriteResult: ...
    def write_shards(self, shards: list[DocumentShard]) -> list[WriteResult]: ...
    def document_fingerprint(self, doc_id: str) -> str | None: ...
    def query(self, sparql: str, bindings: Mapping[str, str | Term] | None = None) -> Table: ...
    def quad_count(self) -> int: ...
    def close(self) -> None: ...
    def __enter__(self) -> GraphStore: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


def _settle_base_iri(ox: OxStore, where: Path | None, asked: str | None, read_only: bool) -> str:
    """The base IRI a store mints under: fixed when the store is first written.

    A store remembers its base IRI (in its settings graph), so that building again from a
    shell without $GEOKG_BASE_IRI cannot put the same documents in a second set of graphs.
    Asking for a different base than the store's is an error.
    """
    found = ox.quads_for_pattern(None, GK.baseIri, None, SETTINGS_GRAPH)
    recorded = next((q.object.value for q in found if isinstance(q.object, Literal)), None)
    explicit = asked or os.environ.get(BASE_IRI_ENV)
    if recorded is None:
        base = resolve_base_iri(explicit)
        if not read_only:
            ox.add(Quad(SETTINGS_GRAPH, GK.baseIri, Literal(base), SETTINGS_GRAPH))
        return base
    if explicit and resolve_base_iri(explicit) != recorded:
        raise StoreError(
            f"the store at {where} mints IRIs under {recorded}, not {resolve_base_iri(explicit)};"
            " build into a new store to change the base IRI"
        )
    return recorded


def _holds_store(where: Path) -> bool:
    """True if ``where`` is a store directory (RocksDB writes CURRENT when it creates one)."""
    return (where / "CURRENT").exists()


def _create_store(where: Path, base_iri: str | None) -> None:
    """Create a store at ``where`` whole or not at all.

    RocksDB creates a new database file by file (CURRENT first, column families after),
    so a process killed mid-creation would leave a directory that looks like a store but
    cannot be opened read-only ("Column family not found").  The store is therefore set
    up -- column families, base IRI, ontology -- in a hidden sibling and renamed into
    place; ``rename`` replaces ``where`` only if it is absent or an empty directory.
    Left-over siblings of killed creations are removed first.
    """
    if where.exists() and (not where.is_dir() or any(where.iterdir())):
        raise StoreError(f"{where} is not a geokg store and not empty; choose another --store")
    where.parent.mkdir(parents=True, exist_ok=True)
    for stale in where.parent.glob(f".{where.name}.creating-*"):
        if not _pid_alive(stale.name.rsplit("-", 1)[-1]):
            shutil.rmtree(stale, ignore_errors=True)
    staging = where.parent / f".{where.name}.creating-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    ox = OxStore(str(staging))
    staged = Store(ox, where, _settle_base_iri(ox, where, base_iri, False), False)
    staged.ensure_ontology()
    staged.close()
    del ox, staged  # pyoxigraph releases the directory when its last reference goes
    try:
        staging.rename(where)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        if not _holds_store(where):  # not another process winning the same race
            raise


def _pid_alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


# A read-only open races with a writer in another process (a build while `kg query` or
# `kg serve` reads): RocksDB may replace its MANIFEST, or merge away a file it lists,
# between listing and opening it ("No such file ... MANIFEST-000023 may be corrupted").
# Such an open is retried, backing off, for up to this many seconds: a build's writer
# changes the file set every batch, and had defeated 8 attempts within 0.7 s.
_READ_ONLY_PATIENCE_S = 10.0
_READ_ONLY_ATTEMPTS = 8  # reads run again after losing a file (Store._reading)


def _open_read_only(where: Path) -> OxStore:
    deadline = time.monotonic() + _READ_ONLY_PATIENCE_S
    delay = 0.01
    while True:
        try:
            return OxStore.read_only(str(where))
        except (OSError, RuntimeError) as err:
            # Only a file gone under the open is the race; other errors are final.
            if "No such file" not in str(err) or time.monotonic() + delay > deadline:
                raise
            log.debug("read-only open of %s failed (%s); retrying", where, err)
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


def _compact(iri: str) -> str:
    for prefix, base in PREFIXES.items():
        if iri.startswith(base) and len(iri) > len(base):
            return f"{prefix}:{iri[len(base) :]}"
    return iri


def _ontology_version() -> str:
    quads = parse(path=str(ONTOLOGY_DIR / ONTOLOGY_FILES[0]), format=RdfFormat.TURTLE)
    for q in quads:
        if q.subject == NamedNode(ONTOLOGY_IRI) and q.predicate == OWL.versionInfo:
            return q.object.value
    raise StoreError("ontology/geokg.ttl has no owl:versionInfo")


def _bound_table(
    result: QuerySolutions | QueryBoolean | QueryTriples, terms: Mapping[str, Term]
) -> Table:
    """A result as a Table whose columns of bound variables hold their values, as
    substitution gives them (a query with its bindings written in leaves the projected
    variables unbound)."""
    table = to_table(result)
    if not isinstance(result, QuerySolutions):
        return table
    at = {table.columns.index(name): term for name, term in terms.items() if name in table.columns}
    if not at:
        return table
    rows = [tuple(at.get(i, cell) for i, cell in enumerate(row)) for row in table.rows]
    return Table(table.columns, rows)


def _evaluate(
    ox: OxStore, sparql: str, substitutions: dict[Variable, Term] | None = None
) -> QuerySolutions | QueryBoolean | QueryTriples:
    """A query over the union of all graphs, with every ``kg.vocab`` prefix declared."""
    return ox.query(
        sparql,
        substitutions=substitutions,
        use_default_graph_as_union=True,
        prefixes=PREFIXES,
    )


@contextmanager
def _query_errors() -> Iterator[None]:
    """pyoxigraph's errors while parsing or evaluating a query, as QueryErrors."""
    try:
        yield
    except SyntaxError as err:
        raise QueryError(f"invalid SPARQL: {err}") from err
    except (OSError, RuntimeError, ValueError, TypeError) as err:
        raise QueryError(f"query failed: {err}") from err


def to_table(result: QuerySolutions | QueryBoolean | QueryTriples) -> Table:
    """A pyoxigraph query result (from this store or parsed from a remote one) as a Table."""
    if isinstance(result, QuerySolutions):
        variables = list(result.variables)
        rows = [tuple(solution[v] for v in variables) for solution in result]
        return Table([v.value for v in variables], rows)
    if isinstance(result, QueryBoolean):
        value = Literal("true" if bool(result) else "false", datatype=XSD.boolean)
        return Table(["result"], [(value,)])
    triples = [(t.subject, t.predicate, t.object) for t in result]
    return Table(["subject", "predicate", "object"], sorted(triples, key=str))


def _chunks_under(shards: list[DocumentShard], most_quads: int) -> Iterable[list[DocumentShard]]:
    """Consecutive runs of ``shards`` of at most ``most_quads`` quads (a larger shard alone)."""
    chunk: list[DocumentShard] = []
    quads = 0
    for shard in shards:
        if chunk and quads + shard.quad_count > most_quads:
            yield chunk
            chunk, quads = [], 0
        chunk.append(shard)
        quads += shard.quad_count
    if chunk:
        yield chunk
