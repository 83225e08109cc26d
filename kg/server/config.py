"""Settings of one ``kg serve`` process, in one small immutable object."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from kg.errors import GeokgError


class ServerConfigError(GeokgError):
    """Settings that cannot work together."""

    exit_code = 2


@dataclass(frozen=True)
class ServerConfig:
    """What the server needs to know; every limit has a safe default.

    ``base_iri`` is the base the store was built with (``kg build --base-iri``); the server
    answers for the *paths* of IRIs under it on whatever host it runs, so a store built
    for ``https://data.example.org/id/`` is browsable at ``http://127.0.0.1:8000/id/...``.
    """

    store_path: Path
    base_iri: str
    host: str = "127.0.0.1"
    port: int = 8000
    update_token: str | None = None  # None: read-only, /update answers 403
    time_limit_s: float = 10.0  # per SPARQL query, enforced by Oxigraph and checked here
    max_result_bytes: int = 16 * 1024 * 1024  # larger results are refused, not truncated
    max_request_bytes: int = 256 * 1024  # request bodies (POSTed queries and updates)
    # The request line and headers together (h11's buffer for an incomplete request head):
    # 64 KiB, the line limit http.server had, so long GET queries still fit.
    max_head_bytes: int = 64 * 1024
    keep_alive_s: int = 5  # an idle connection is closed after this many seconds
    page_event_limit: int = 500  # events on one entity page
    workers: int = 1  # server processes, each with its own Oxigraph on the store
    cache_bytes: int = 64 * 1024 * 1024  # answers kept per process (kg.server.cache); 0: none

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ServerConfigError("--workers must be at least 1")
        if self.cache_bytes < 0:
            raise ServerConfigError("--cache-mb must be 0 or more")
        if self.workers > 1 and self.update_token is not None:
            # RocksDB lets many processes open a store read-only, but only one write it.
            raise ServerConfigError(
                "--workers above 1 needs a read-only server: each worker opens the store, and "
                "only one process may write it (drop --update-token, or use --workers 1)"
            )

    @property
    def base_path(self) -> str:
        """The path part of the base IRI, always ending in a slash ("/id/")."""
        path = urlsplit(self.base_iri).path or "/"
        return path if path.endswith("/") else path + "/"

    def iri_for_path(self, path: str) -> str | None:
        """The minted IRI whose path is ``path``, or None if the path is not under the base."""
        if not path.startswith(self.base_path):
            return None
        return self.base_iri + path[len(self.base_path) :]

    def path_for_iri(self, iri: str) -> str | None:
        """The local path at which a minted IRI is served, or None if it is not ours."""
        if not iri.startswith(self.base_iri):
            return None
        return self.base_path + iri[len(self.base_iri) :]
