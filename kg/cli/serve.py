"""``kg serve``: publish the store over HTTP (SPARQL endpoint, linked data, VoID)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from kg.cli.options import store_option
from kg.server import ServerConfig, serve
from kg.store import Store


@click.command("serve")
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--base-iri",
    default=None,
    help="Base IRI of the store's minted IRIs (default: the one the store records).",
)
@click.option(
    "--update-token",
    default=None,
    envvar="GEOKG_UPDATE_TOKEN",
    help="Allow SPARQL Update at /update for requests with 'Authorization: Bearer TOKEN'.",
)
@click.option(
    "--time-limit",
    default=10.0,
    show_default=True,
    type=click.FloatRange(1, 3600),
    help="Seconds a SPARQL query may run.",
)
@click.option(
    "--max-result-mb",
    default=16,
    show_default=True,
    type=click.IntRange(1, 4096),
    help="Largest result the endpoint returns.",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes, each with its own read-only Oxigraph (above 1: no --update-token).",
)
@click.option(
    "--cache-mb",
    default=64,
    show_default=True,
    type=click.IntRange(0, 65536),
    help="Memory per process for answers kept until the store changes (0: none).",
)
def serve_command(
    store_path: Path,
    host: str,
    port: int,
    base_iri: str | None,
    update_token: str | None,
    time_limit: float,
    max_result_mb: int,
    workers: int,
    cache_mb: int,
) -> None:
    """Serve the store: SPARQL at /sparql, pages at /entity/Q…, VoID at /.well-known/void.

    Example:

        kg serve --store demo-store --port 8000

    then open http://127.0.0.1:8000/entity/Q399 in a browser, or ask:

        curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * {?s ?p ?o} LIMIT 5' \\
             http://127.0.0.1:8000/sparql
    """
    config = ServerConfig(
        store_path=store_path,
        base_iri=stored_base_iri(store_path, base_iri),
        host=host,
        port=port,
        update_token=update_token or None,
        time_limit_s=time_limit,
        max_result_bytes=max_result_mb * 1024 * 1024,
        workers=workers,
        cache_bytes=cache_mb * 1024 * 1024,
    )
    click.echo(f"Serving {store_path} at http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    with contextlib.suppress(KeyboardInterrupt):
        serve(config)


def stored_base_iri(store_path: Path, asked: str | None) -> str:
    """The base IRI the store was built with (it records it); an explicit different one is
    an error (kg.store).  Opened read-only and closed before Oxigraph takes the store."""
    with Store.open(store_path, read_only=True, base_iri=asked) as store:
        return store.base_iri


COMMANDS = [serve_command]
