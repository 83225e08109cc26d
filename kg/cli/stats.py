"""``kg stats``: what the store holds."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kg.cli.options import store_option
from kg.store import Store


@click.command("stats")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@store_option
def stats_command(fmt: str, store_path: Path) -> None:
    """Counts per class, per named graph and per document language.

    Example:

        kg stats --store demo-store --format json
    """
    with Store.open(store_path, read_only=True) as store:
        stats = store.stats()
    if fmt == "json":
        click.echo(json.dumps(stats.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(stats.to_text())


COMMANDS = [stats_command]
