"""A remote SPARQL 1.1 endpoint as a build target and query source.

``kg build --store http://host:7878/query`` writes each document's graph with
the SPARQL 1.1 Graph Store Protocol: one ``PUT ?graph=IRI`` replaces the
graph as a whole, which a conforming server applies atomically -- the same
"whole or not at all" the embedded store gives.  Reads go through the SPARQL
1.1 Protocol.

Endpoint layout: the URL given is the query endpoint; the Graph Store
endpoint is derived from it as Oxigraph lays them out (``…/query`` →
``…/store``; a bare server URL gets ``/query`` and ``/store``), or given
explicitly with ``gsp_url``.  Any SPARQL 1.1 server with the Graph Store
Protocol works.

Named queries read the union of all graphs as their default graph, as in the
embedded store: the client asks for it with Oxigraph's ``union-default-graph``
parameter; other servers need the same setting on their side (Fuseki:
``tdb2:unionDefaultGraph``).

Parameters are never pasted into query text: bound values become a trailing
``VALUES`` clause of terms serialised by pyoxigraph (which escapes them), the
portable equivalent of the embedded store's substitutions.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

import requests
from pyoxigraph import (
    Literal,
    NamedNode,
    QueryResultsFormat,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
    serialize,
)

from kg import __version__
from kg.closing import ClosesOnExit
from kg.errors import NotImplementedYet, QueryError, StoreError
from kg.model import Extraction
from kg.paths import ONTOLOGY_DIR
from kg.rdf import document_graph, resolve_base_iri
from kg.shards import DocumentShard, make_shard, shard_graph
from kg.store import Table, Term, WriteResult, _ontology_version, to_table
from kg.vocab import GK, ONTOLOGY_FILES, ONTOLOGY_GRAPH, ONTOLOGY_IRI, OWL, PREFIXES, XSD

log = logging.getLogger(__name__)

USER_AGENT = f"geokg/{__version__} (remote store client)"
TIMEOUT_SECONDS = 60


def is_remote(location: object) -> bool:
    return isinstance(location, str) and location.startswith(("http://", "https://"))


def derive_endpoints(url: str) -> tuple[str, str]:
    """(query URL, Graph Store URL) from the URL a user gave."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    base, query_path = path, f"{path}/query"
    for suffix in ("/query", "/sparql"):
        if path.endswith(suffix):
            base, query_path = path[: -len(suffix)], path
    query = urlunsplit(parts._replace(path=query_path))
    store = urlunsplit(parts._replace(path=f"{base}/store", query="", fragment=""))
    return query, store


class RemoteStore(ClosesOnExit):
    """The subset of ``kg.store.Store`` a build and ``kg query`` need, over HTTP."""

    def __init__(self, url: str, *, gsp_url: str | None = None, base_iri: str | None = None):
        self.query_url, derived_gsp = derive_endpoints(url)
        self.gsp_url = gsp_url or derived_gsp
        self.base_iri = resolve_base_iri(base_iri)
        self.path = url
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT

    @classmethod
    def open(cls, url: str, *, base_iri: str | None = None, read_only: bool = False) -> RemoteStore:
        store = cls(url, base_iri=base_iri)
        store.quad_count()  # fail early, with the URL in the message, if it does not answer
        if not read_only:
            store.ensure_ontology()
        return store

    def close(self) -> None:
        self.session.close()

    # --- writing ------------------------------------------------------------------------

    def ensure_ontology(self) -> bool:
        version = Literal(_ontology_version())
        pattern = f"{NamedNode(ONTOLOGY_IRI)} {OWL.versionInfo} ?v"
        asked = self.query(f"ASK {{ GRAPH {ONTOLOGY_GRAPH} {{ {pattern} }} }}", {"v": version})
        if asked.rows and asked.rows[0][0] == Literal("true", datatype=XSD.boolean):
            return False
        triples: list[Triple] = []
        for name in ONTOLOGY_FILES:
            triples.extend(parse(path=str(ONTOLOGY_DIR / name), format=RdfFormat.TURTLE))
        self._put_graph(ONTOLOGY_GRAPH, serialize(triples, format=RdfFormat.N_TRIPLES))
        return True

    def write_extraction(self, extraction: Extraction) -> WriteResult:
        return self.write_shard(make_shard(extraction, self.base_iri))

    def write_shard(self, shard: DocumentShard) -> WriteResult:
        """One Graph Store PUT, which replaces the document's graph whole."""
        graph = shard_graph(shard)
        before = self.graph_quad_count(graph)
        triples = [q.triple for q in shard.quads()]
        self._put_graph(graph, serialize(triples, format=RdfFormat.N_TRIPLES))
        return WriteResult(shard.document_id, shard.graph, before, shard.quad_count, before > 0)

    def write_shards(self, shards: list[DocumentShard]) -> list[WriteResult]:
        """No batch write over HTTP: each document is one Graph Store PUT."""
        return [self.write_shard(shard) for shard in shards]

    def _put_graph(self, graph: NamedNode, ntriples: bytes | None) -> None:
        try:
            response = self.session.put(
                self.gsp_url,
                params={"graph": graph.value},
                data=ntriples or b"",
                headers={"Content-Type": "application/n-triples"},
                timeout=TIMEOUT_SECONDS,
            )
        except requests.RequestException as err:
            raise StoreError(f"{self.gsp_url}: writing {graph.value} failed: {err}") from err
        if response.status_code >= 300:
            raise StoreError(
                f"{self.gsp_url}: writing {graph.value} failed with HTTP {response.status_code}:"
                f" {response.text.strip()[:200]}"
            )

    # --- reading ------------------------------------------------------------------------

    def query(self, sparql: str, bindings: Mapping[str, str | Term] | None = None) -> Table:
        """Like ``Store.query``: a bound variable must appear in the SELECT projection,
        since the bindings join the results as a trailing VALUES clause."""
        text = _with_prefixes(sparql) + _values_clause(bindings or {})
        try:
            response = self.session.post(
                self.query_url,
                params={"union-default-graph": ""},
                data=text.encode("utf-8"),
                headers={
                    "Content-Type": "application/sparql-query",
                    "Accept": "application/sparql-results+json",
                },
                timeout=TIMEOUT_SECONDS,
            )
        except requests.RequestException as err:
            raise StoreError(f"{self.query_url}: the endpoint did not answer: {err}") from err
        if response.status_code == 400:
            raise QueryError(f"{self.query_url}: {response.text.strip()[:300]}")
        if response.status_code >= 300:
            raise StoreError(f"{self.query_url}: HTTP {response.status_code}")
        result = parse_query_results(response.content, format=QueryResultsFormat.JSON)
        return to_table(result)

    def quad_count(self) -> int:
        table = self.query(
            "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
        )
        cell = table.rows[0][0] if table.rows else None
        return int(cell.value) if isinstance(cell, Literal) else 0

    def graph_quad_count(self, graph: NamedNode) -> int:
        # A NamedNode prints as a checked, escaped IRI: safe to place in the text.
        table = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
        cell = table.rows[0][0] if table.rows else None
        return int(cell.value) if isinstance(cell, Literal) else 0

    def document_fingerprint(self, doc_id: str) -> str | None:
        graph = document_graph(doc_id, self.base_iri)
        table = self.query(
            f"SELECT ?f WHERE {{ GRAPH {graph} {{ ?d {GK.sourceFingerprint} ?f }} }} LIMIT 1"
        )
        cell = table.rows[0][0] if table.rows else None
        return cell.value if isinstance(cell, Literal) else None

    def stats(self) -> object:
        raise NotImplementedYet("kg stats on a remote store: run it on the server's own tools")


def _with_prefixes(sparql: str) -> str:
    declared = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    return declared + sparql


def _values_clause(bindings: Mapping[str, str | Term]) -> str:
    """A trailing VALUES block binding each variable to one serialised term."""
    if not bindings:
        return ""
    names = list(bindings)
    terms = [Literal(v) if isinstance(v, str) else v for v in bindings.values()]
    head = " ".join(f"?{name}" for name in names)
    if not all(name.isidentifier() for name in names):
        raise QueryError(f"bad parameter name in {names}")
    return f"\nVALUES ({head}) {{ ({' '.join(str(t) for t in terms)}) }}"
