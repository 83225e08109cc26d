"""The graph itself: TriG and N-Quads (every named graph), Turtle and JSON-LD.

Turtle has no named graphs, so ``turtle`` writes the union of all graphs (each distinct
triple once); TriG, N-Quads and JSON-LD keep every graph.  Quads are sorted before they
are serialised, so the same store gives the same bytes.  JSON-LD comes with a context
(``context.jsonld``, also inlined so the file stands alone); its node lists are sorted.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pyoxigraph import Quad, RdfFormat, Triple

from kg.server.void import serialize_bytes
from kg.store import Store
from kg.vocab import PREFIXES


def all_quads(store: Store) -> list[Quad]:
    """Every quad of the store, in a fixed order."""
    return sorted(store.ox.quads_for_pattern(None, None, None, None), key=str)


def write_trig(store: Store, out: Path) -> list[Path]:
    path = out / "geokg.trig"
    path.write_bytes(serialize_bytes(all_quads(store), RdfFormat.TRIG, PREFIXES))
    return [path]


def write_nquads(store: Store, out: Path) -> list[Path]:
    path = out / "geokg.nq"
    path.write_bytes(store.dump("nquads"))  # sorted lines (kg.store)
    return [path]


def union_triples(store: Store) -> list[Triple]:
    return sorted({q.triple for q in all_quads(store)}, key=str)


def write_turtle(store: Store, out: Path) -> list[Path]:
    path = out / "geokg.ttl"
    path.write_bytes(serialize_bytes(union_triples(store), RdfFormat.TURTLE, PREFIXES))
    return [path]


def jsonld_context() -> dict[str, Any]:
    return {"@context": {prefix: iri for prefix, iri in sorted(PREFIXES.items())}}


def write_jsonld(store: Store, out: Path) -> list[Path]:
    """Compacted with the project's prefixes by rdflib, then put in a canonical order."""
    import rdflib

    nquads = store.dump("nquads").decode("utf-8")
    dataset = rdflib.Dataset()
    dataset.parse(data=nquads, format="nquads")
    context = jsonld_context()
    text = dataset.serialize(format="json-ld", context=context["@context"], auto_compact=True)
    document = _canonical(json.loads(text))
    context_path = out / "context.jsonld"
    context_path.write_text(json.dumps(context, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    path = out / "geokg.jsonld"
    path.write_text(
        json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return [path, context_path]


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
