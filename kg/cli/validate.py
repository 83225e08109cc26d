"""``kg validate``: SHACL validation of the store."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.options import store_option
from kg.store import Store
from kg.validate import validate_store


@click.command("validate")
@store_option
def validate_command(store_path: Path) -> None:
    """Check every document graph against ontology/shapes.ttl (pyshacl).

    Prints a readable report and exits non-zero when any graph violates a shape.

    Example:

        kg validate --store demo-store
    """
    with Store.open(store_path, read_only=True) as store:
        report = validate_store(store)
    click.echo(report.text)
    report.raise_for_violations()


COMMANDS = [validate_command]
