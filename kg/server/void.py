"""VoID and DCAT description of the dataset: what it holds, where to get it, who made it.

``describe(store)`` computes it from the store (``kg.store.Store``, for the build) and
``describe_with(select, ...)`` from any SPARQL runner (the server asks its backend on
demand, so ``/.well-known/void`` is always current).  ``refresh(store)`` writes it into the
store's VoID graph (``{base}void``), which the build calls after writing the documents.

Every node has an IRI under the base (no blank nodes) and the quads come out sorted, so the
same store gives the same description, byte for byte.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, serialize

from kg.server.sparql import Values, bind, load_query, prologue
from kg.vocab import DCTERMS, DCTERMS_NS, GK_NS, ONTOLOGY_GRAPH, PREFIXES, RDF, XSD, Namespace

if TYPE_CHECKING:
    from kg.store import Store

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID_PREFIXES = {**PREFIXES, "void": VOID.iri, "dcat": DCAT.iri, "foaf": FOAF.iri, "sd": SD.iri}

# Licence of the published graph: CC BY 4.0 (attribution to the article sources stays in
# the graph's provenance).  A publisher with other terms changes it here.
DATA_LICENCE = NamedNode("https://creativecommons.org/licenses/by/4.0/")
# Dumps the server offers (path, media type); see kg.server.app.
DUMPS: tuple[tuple[str, str], ...] = (
    ("dumps/geokg.nq", "application/n-quads"),
    ("dumps/geokg.trig", "application/trig"),
)
# Vocabularies the data uses (void:vocabulary).
VOCABULARIES = ("gk", "plover", "org", "sem", "nif", "itsrdf", "prov", "dcterms", "skos", "wd")

Select = Callable[[str], list[dict[str, str]]]


def void_graph(base_iri: str) -> NamedNode:
    return NamedNode(base_iri + "void")


def dataset_iri(base_iri: str) -> NamedNode:
    return NamedNode(base_iri + "dataset")


def describe(store: Store, site_root: str | None = None) -> list[Quad]:
    """The VoID/DCAT quads of a store, in its VoID graph."""

    def select(sparql: str) -> list[dict[str, str]]:
        table = store.query(sparql)
        return [
            {
                name: str(cell) if isinstance(cell, Triple) else cell.value
                for name, cell in zip(table.columns, row, strict=True)
                if cell is not None
            }
            for row in table.rows
        ]  # type: ignore[union-attr]

    return describe_with(select, store.base_iri, site_root)


def refresh(store: Store, site_root: str | None = None) -> int:
    """Replace the store's VoID graph with a fresh description; returns its size.

    ``kg build`` calls this after writing its documents, so the store always carries a
    description of itself (the server computes a fresh one on each request anyway).
    """
    quads = describe(store, site_root)
    store.replace_graph(void_graph(store.base_iri), quads)  # one transaction
    return len(quads)


def serialize_bytes(
    items: Iterable[Triple] | Iterable[Quad], fmt: RdfFormat, prefixes: dict[str, str] | None = None
) -> bytes:
    """pyoxigraph's serialize, always to a bytes buffer."""
    data = serialize(items, format=fmt, prefixes=prefixes)
    if data is None:  # only when given an output file
        raise ValueError("serialize wrote to a file")
    return bytes(data)


def to_turtle(quads: list[Quad]) -> bytes:
    return serialize_bytes([q.triple for q in quads], RdfFormat.TURTLE, VOID_PREFIXES)


def describe_with(select: Select, base_iri: str, site_root: str | None = None) -> list[Quad]:
    """The description, from a function that runs a SELECT and returns rows of values."""
    root = site_root or _site_root(base_iri)
    graph = void_graph(base_iri)
    dataset = dataset_iri(base_iri)
    params: dict[str, Values] = {"voidGraph": graph, "ontologyGraph": ONTOLOGY_GRAPH}

    def run(name: str, *names: str) -> list[dict[str, str]]:
        return select(prologue() + bind(load_query(name), {n: params[n] for n in names}))

    triples: list[tuple[NamedNode, NamedNode, NamedNode | Literal]] = []
    add = triples.append
    _describe_dataset(add, dataset, base_iri, root)
    totals = run("void-totals", "voidGraph")[0]
    for key, prop in (
        ("triples", "triples"),
        ("subjects", "distinctSubjects"),
        ("properties", "properties"),
        ("objects", "distinctObjects"),
    ):
        add((dataset, VOID[prop], _count(totals.get(key, "0"))))
    entities = run("void-entities")[0]
    add((dataset, VOID["entities"], _count(entities.get("entities", "0"))))
    classes = run("void-classes", "voidGraph", "ontologyGraph")
    add((dataset, VOID["classes"], _count(str(len(classes)))))
    for row in classes:
        part = NamedNode(f"{dataset.value}/class/{_digest(row['class'])}")
        add((dataset, VOID["classPartition"], part))
        add((part, VOID["class"], NamedNode(row["class"])))
        add((part, VOID["entities"], _count(row["entities"])))
    for row in run("void-graphs", "voidGraph"):
        part = NamedNode(f"{dataset.value}/graph/{_digest(row['g'])}")
        add((dataset, VOID["subset"], part))
        add((part, RDF.type, VOID["Dataset"]))
        add((part, SD["name"], NamedNode(row["g"])))
        add((part, VOID["triples"], _count(row["triples"])))
    for row in run("void-languages"):
        add((dataset, DCTERMS.language, Literal(row["language"])))
    for row in run("void-sources"):
        if "doc" in row:
            add((dataset, PROV["wasDerivedFrom"], NamedNode(row["doc"])))
            if _is_web_iri(row.get("source", "")):
                add((dataset, DCTERMS.source, NamedNode(row["source"])))
        if "agent" in row:
            add((dataset, PROV["wasAttributedTo"], NamedNode(row["agent"])))
    return sorted((Quad(s, p, o, graph) for s, p, o in set(triples)), key=str)


def _describe_dataset(
    add: Callable[[tuple], None], dataset: NamedNode, base_iri: str, root: str
) -> None:  # type: ignore[type-arg]
    add((dataset, RDF.type, VOID["Dataset"]))
    add((dataset, RDF.type, DCAT["Dataset"]))
    add((dataset, DCTERMS.title, Literal("geokg geopolitical knowledge graph", language="en")))
    add(
        (
            dataset,
            DCTERMS_NS["description"],
            Literal(
                "States, organizations, alliances, persons and conflicts mentioned in news "
                "articles, linked to Wikidata, with PLOVER-coded events, memberships, positions "
                "and disputes; every assertion with its source sentence and provenance.",
                language="en",
            ),
        )
    )
    add((dataset, DCTERMS_NS["license"], DATA_LICENCE))
    add((dataset, DCTERMS_NS["conformsTo"], NamedNode(GK_NS.iri.rstrip("#"))))
    add((dataset, VOID["uriSpace"], Literal(base_iri)))
    add((dataset, VOID["rootResource"], dataset))
    for prefix in VOCABULARIES:
        add((dataset, VOID["vocabulary"], NamedNode(PREFIXES[prefix])))
    endpoint = NamedNode(root + "sparql")
    add((dataset, VOID["sparqlEndpoint"], endpoint))
    service = NamedNode(dataset.value + "/service")
    add((service, RDF.type, DCAT["DataService"]))
    add((service, DCAT["endpointURL"], endpoint))
    add((service, DCAT["servesDataset"], dataset))
    add((service, DCTERMS_NS["conformsTo"], NamedNode("https://www.w3.org/TR/sparql11-protocol/")))
    add((dataset, DCAT["service"], service))
    for path, media_type in DUMPS:
        url = NamedNode(root + path)
        distribution = NamedNode(f"{dataset.value}/distribution/{path.rsplit('.', 1)[-1]}")
        add((dataset, VOID["dataDump"], url))
        add((dataset, DCAT["distribution"], distribution))
        add((distribution, RDF.type, DCAT["Distribution"]))
        add((distribution, DCAT["downloadURL"], url))
        add((distribution, DCAT["mediaType"], Literal(media_type)))
        add((distribution, DCTERMS_NS["license"], DATA_LICENCE))


def _site_root(base_iri: str) -> str:
    parts = urlsplit(base_iri)
    return f"{parts.scheme}://{parts.netloc}/"


def _count(value: str) -> Literal:
    return Literal(str(int(value)), datatype=XSD.integer)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:12]


def _is_web_iri(value: str) -> bool:
    if not value.startswith(("http://", "https://")):
        return False
    try:
        NamedNode(value)
    except ValueError:
        return False
    return True
