"""Option groups shared by several commands, composed once as decorators."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from kg.paths import DEFAULT_STORE
from kg.wikidata.config import RetryPolicy, WikidataConfig

F = TypeVar("F", bound=Callable[..., Any])


def store_option(function: F) -> F:
    """``--store DIR``: the embedded Oxigraph store to read or write."""
    return click.option(
        "--store",
        "store_path",
        type=click.Path(file_okay=False, path_type=Path),
        default=DEFAULT_STORE,
        show_default=True,
        envvar="GEOKG_STORE",
        help="Store directory (embedded Oxigraph). Also from $GEOKG_STORE.",
    )(function)


def wikidata_options(function: F) -> F:
    """``--offline``, ``--wikidata-api``, ``--wikidata-sparql``, folded into one
    ``wikidata: WikidataConfig`` argument."""

    @click.option(
        "--offline",
        is_flag=True,
        default=None,
        help="Never touch the network (also GEOKG_OFFLINE=1); cached answers still serve.",
    )
    @click.option(
        "--wikidata-api",
        metavar="URL",
        envvar="GEOKG_WIKIDATA_API",
        help="Action API endpoint (default: Wikidata's; also $GEOKG_WIKIDATA_API).",
    )
    @click.option(
        "--wikidata-sparql",
        metavar="URL",
        envvar="GEOKG_WIKIDATA_SPARQL",
        help="SPARQL query service (default: WDQS; also $GEOKG_WIKIDATA_SPARQL).",
    )
    @click.option(
        "--retries", type=click.IntRange(0, 20), default=None, help="Retries per request."
    )
    @click.option("--timeout", type=float, default=None, help="Seconds to wait per request.")
    @functools.wraps(function)
    def wrapper(
        *args: Any,
        offline: bool | None,
        wikidata_api: str | None,
        wikidata_sparql: str | None,
        retries: int | None,
        timeout: float | None,
        **kwargs: Any,
    ) -> Any:
        config = WikidataConfig.from_env(
            offline=True if offline else None,
            api_url=wikidata_api,
            sparql_url=wikidata_sparql,
            timeout=timeout,
            sparql_timeout=timeout,
            retry=RetryPolicy(retries=retries) if retries is not None else None,
        )
        return function(*args, wikidata=config, **kwargs)

    return wrapper  # type: ignore[return-value]


def online_option(function: F) -> F:
    """``--online``: link what the offline linker left unlinked with Wikidata (off by default)."""
    return click.option(
        "--online",
        is_flag=True,
        help="Resolve unlinked entities with the Wikidata API (default: offline, deterministic).",
    )(function)


def store_location_option(function: F) -> F:
    """``--store DIR|URL``: like ``store_option``, or the URL of a remote SPARQL endpoint
    with the Graph Store Protocol (``kg build``, ``kg query``)."""
    return click.option(
        "--store",
        "store_path",
        default=str(DEFAULT_STORE),
        show_default=True,
        envvar="GEOKG_STORE",
        metavar="DIR|URL",
        help="Store directory (embedded Oxigraph) or a SPARQL endpoint URL whose server"
        " speaks the Graph Store Protocol (e.g. http://127.0.0.1:7878/query)."
        " Also from $GEOKG_STORE.",
    )(function)
