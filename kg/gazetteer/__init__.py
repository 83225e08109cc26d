"""The knowledge of who exists: one alias index over rigour territories, the
curated data files and Wikidata snapshots (see ``kg/data/gazetteer/README.md``).

``load_index()`` is the entry point; it builds the index once and caches it.
"""

from kg.gazetteer.index import (
    AliasIndex,
    Candidate,
    EntityInfo,
    build_index,
    default_snapshots,
    load_index,
    snapshots_signature,
)

__all__ = [
    "AliasIndex",
    "Candidate",
    "EntityInfo",
    "build_index",
    "default_snapshots",
    "load_index",
    "snapshots_signature",
]
