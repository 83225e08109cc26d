"""A store by its location: an embedded Oxigraph directory or a remote SPARQL endpoint.

The one place that knows both kinds, so that ``kg.store`` (embedded) and
``kg.remote_store`` (over HTTP, built on the former's table types) depend one way.
"""

from __future__ import annotations

from pathlib import Path

from kg.remote_store import RemoteStore, is_remote
from kg.store import GraphStore, Store


def open_store(
    location: str | Path, *, base_iri: str | None = None, read_only: bool = False
) -> GraphStore:
    """The store at ``location``: an embedded store directory, or the URL of a remote
    SPARQL 1.1 endpoint with the Graph Store Protocol (``kg.remote_store``)."""
    if is_remote(str(location)):
        return RemoteStore.open(str(location), base_iri=base_iri, read_only=read_only)
    return Store.open(location, base_iri=base_iri, read_only=read_only)
