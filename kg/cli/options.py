"""Option groups shared by several commands, composed once as decorators."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from kg.paths import DEFAULT_STORE

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
