"""The graph itself: TriG and N-Quads (every named graph), Turtle and JSON-LD.

Turtle has no named graphs, so ``turtle`` writes the union of all graphs (each distinct
triple once); TriG, N-Quads and JSON-LD keep every graph.  Quads are sorted before they
are serialised, so the same store gives the same bytes.  JSON-LD comes with a context
(``context.jsonld``, also inlined so the file stands alone); its node lists are sorted.

TriG, N-Quads and Turtle stream: Oxigraph writes the store's lines to the system's
``sort`` (GNU coreutils or BSD, bytewise under ``LC_ALL=C``: the code-point order Python
sorts strings in), which sorts them in a bounded buffer and merges runs from temporary
files beside the output; pyoxigraph reads the sorted lines back one at a time into the
serialiser.  So an export's memory does not grow with the store (it held every quad
before: 1.4 GB at 4,000 bench documents, ``bench/bench_exports.py``).  JSON-LD is sorted
by graph, then subject, and compacted by rdflib a few thousand subjects at a time.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from pyoxigraph import NamedNode, RdfFormat, parse, serialize
from pyoxigraph import Store as OxStore

from kg.exports.sorting import LineWriter, sorted_lines
from kg.store import Store
from kg.vocab import PREFIXES


def write_trig(store: Store, out: Path) -> list[Path]:
    path = out / "geokg.trig"
    _serialise_sorted(store, _nquad_lines, RdfFormat.N_QUADS, path, RdfFormat.TRIG)
    return [path]


def write_nquads(store: Store, out: Path) -> list[Path]:
    path = out / "geokg.nq"
    store.read_whole(lambda ox: sorted_lines(_nquad_lines(ox), path, unique=False))
    return [path]


def write_turtle(store: Store, out: Path) -> list[Path]:
    """The union of every graph: each quad's triple, each distinct triple once."""
    path = out / "geokg.ttl"
    _serialise_sorted(store, _union_triple_lines, RdfFormat.N_TRIPLES, path, RdfFormat.TURTLE)
    return [path]


def _nquad_lines(ox: OxStore) -> LineWriter:
    def write(pipe: IO[bytes]) -> None:
        ox.dump(output=pipe, format=RdfFormat.N_QUADS)

    return write


def _union_triple_lines(ox: OxStore) -> LineWriter:
    def write(pipe: IO[bytes]) -> None:
        for quad in ox.quads_for_pattern(None, None, None, None):
            pipe.write(f"{quad.triple} .\n".encode())

    return write


def _serialise_sorted(
    store: Store,
    lines_of: Callable[[OxStore], LineWriter],
    line_format: RdfFormat,
    path: Path,
    rdf_format: RdfFormat,
) -> None:
    """``path`` in ``rdf_format``, from the store's lines sorted (distinct for triples)
    in a temporary file beside it, read back one statement at a time."""
    unique = line_format == RdfFormat.N_TRIPLES
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".sorting-") as tmp:
        lines = Path(tmp) / "sorted"
        store.read_whole(lambda ox: sorted_lines(lines_of(ox), lines, unique))
        serialize(parse(path=lines, format=line_format), path, rdf_format, prefixes=PREFIXES)


def jsonld_context() -> dict[str, Any]:
    return {"@context": {prefix: iri for prefix, iri in sorted(PREFIXES.items())}}


def write_jsonld(store: Store, out: Path) -> list[Path]:
    """Every named graph as a JSON-LD node with its ``@graph``, compacted with the
    project's prefixes by rdflib, nodes and their values in a canonical order.

    Streamed: the quads are sorted by graph, then subject, by the system's ``sort``, and
    rdflib compacts a few thousand subjects at a time (a subject's statements are never
    split), so memory does not grow with the store."""
    context = jsonld_context()
    context_path = out / "context.jsonld"
    context_path.write_text(json.dumps(context, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    path = out / "geokg.jsonld"
    with tempfile.TemporaryDirectory(dir=out, prefix=".sorting-") as tmp:
        lines = Path(tmp) / "sorted"
        store.read_whole(lambda ox: sorted_lines(_graph_first_lines(ox), lines, unique=False))
        with open(path, "w", encoding="utf-8") as document:
            _write_jsonld_document(lines, context, document)
    return [path, context_path]


JSONLD_CHUNK = 20_000  # statements rdflib compacts at a time


def _graph_first_lines(ox: OxStore) -> LineWriter:
    """Each quad as ``graph<TAB>its triple's N-Triples line``: sorted, a graph's
    statements come together, by subject.  (N-Triples escapes tabs: the first one ends
    the graph.)"""

    def write(pipe: IO[bytes]) -> None:
        for quad in ox.quads_for_pattern(None, None, None, None):
            graph = quad.graph_name
            name = graph.value if isinstance(graph, NamedNode) else ""
            pipe.write(f"{name}\t{quad.triple} .\n".encode())

    return write


def _write_jsonld_document(lines: Path, context: dict[str, Any], out: IO[str]) -> None:
    """The whole store's JSON-LD, written chunk by chunk: the default graph's nodes at
    the top, each named graph as a node with its ``@graph`` (the graphs and nodes rdflib
    gives the whole store), nodes in the order of their subjects' N-Triples terms, as
    ``sort`` put them."""
    prefixes: dict[str, str] = context["@context"]
    out.write('{\n "@context": ' + _indented(prefixes, 1) + ',\n "@graph": [')
    open_graph: str | None = None  # the named graph whose @graph is being written
    items = nodes = 0  # written so far: at the top, and in the open graph
    for graph, chunk in _chunks(lines):
        if open_graph is not None and graph != open_graph:
            out.write(_graph_end(open_graph))
            open_graph = None
        if graph and open_graph is None:
            out.write(("," if items else "") + '\n  {\n   "@graph": [')
            items, nodes, open_graph = items + 1, 0, graph
        for node in sorted(_compact(chunk, prefixes), key=lambda n: _subject_term(n, prefixes)):
            if graph:
                out.write(("," if nodes else "") + "\n    " + _indented(node, 4))
                nodes += 1
            else:
                out.write(("," if items else "") + "\n  " + _indented(node, 2))
                items += 1
    if open_graph is not None:
        out.write(_graph_end(open_graph))
    out.write("\n ]\n}\n")


def _graph_end(graph: str) -> str:
    return f'\n   ],\n   "@id": {json.dumps(graph, ensure_ascii=False)}\n  }}'


def _subject_term(node: dict[str, Any], prefixes: dict[str, str]) -> str:
    """A compacted node's subject as N-Triples writes it ("wd:Q1" -> "<http://…/Q1>"):
    the key ``sort`` ordered the chunks by."""
    node_id = str(node.get("@id", ""))
    if node_id.startswith("_:"):
        return node_id
    prefix, colon, rest = node_id.partition(":")
    if colon and prefix in prefixes and not rest.startswith("//"):
        node_id = prefixes[prefix] + rest
    return f"<{node_id}>"


def _indented(value: Any, level: int) -> str:
    text = json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False)
    return text.replace("\n", "\n" + " " * level)


def _chunks(lines: Path) -> Iterator[tuple[str, str]]:
    """(graph, N-Triples text) of about JSONLD_CHUNK statements of one graph at most,
    cut only where the subject changes."""
    graph: str | None = None
    subject: str | None = None
    chunk: list[str] = []
    with open(lines, encoding="utf-8") as sorted_lines:
        for line in sorted_lines:
            line_graph, triple = line.split("\t", 1)
            line_subject = triple.split(" ", 1)[0]
            if chunk and (
                line_graph != graph or (len(chunk) >= JSONLD_CHUNK and line_subject != subject)
            ):
                yield graph or "", "".join(chunk)
                chunk = []
            graph, subject = line_graph, line_subject
            chunk.append(triple)
    if chunk:
        yield graph or "", "".join(chunk)


def _compact(ntriples: str, context: dict[str, str]) -> list[Any]:
    """The nodes of some whole subjects' statements, compacted by rdflib."""
    import rdflib

    graph = rdflib.Graph()
    graph.parse(data=ntriples, format="nt")
    document = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    document.pop("@context", None)
    body = document.get("@graph", document)
    return [_canonical(node) for node in (body if isinstance(body, list) else [body])]


def _canonical(node: Any, ordered: bool = False) -> Any:
    """Sort every JSON-LD array except @list ones: the others are sets, order means nothing."""
    if isinstance(node, dict):
        return {key: _canonical(value, ordered=key == "@list") for key, value in node.items()}
    if isinstance(node, list):
        items = [_canonical(item) for item in node]
        if ordered:
            return items
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return node
