"""``kg serve``: the store as linked data and a SPARQL endpoint.

The real Oxigraph server (``kg.server.backend``) answers SPARQL; the front, a Starlette
app (``kg.server.app``) run by uvicorn (``kg.server.serving``), adds limits, the read-only
rule, HTML pages, dereferenceable IRIs and the VoID description (``kg.server.void``).
``SECURITY.md`` lists what it promises.
"""

from __future__ import annotations

from kg.server.config import ServerConfig

__all__ = ["ServerConfig", "serve"]


def serve(config: ServerConfig) -> None:
    """Serve until interrupted."""
    from kg.server.serving import serve as run

    run(config)
