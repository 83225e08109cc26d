"""``kg build``: sources in, knowledge graph out."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import click
from tqdm import tqdm

from kg.build import build
from kg.cli.options import store_option


def _progress_bar(total: int) -> Iterator[int]:
    """A bar on a terminal; silent when stderr is a pipe or a file."""
    with tqdm(total=total, unit="doc", disable=not sys.stderr.isatty(), file=sys.stderr) as bar:
        for index in range(total):
            yield index
            bar.update(1)


@click.command("build")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.option(
    "--skip-bad",
    is_flag=True,
    help="Report bad files and lines at the end and build the rest, instead of stopping.",
)
def build_command(paths: tuple[Path, ...], store_path: Path, skip_bad: bool) -> None:
    """Read articles and write their entities, events and relations into the store.

    PATHS are .txt articles (first line the publication time, e.g.
    "16 September 2022 08:40 WIB"), .jsonl corpora ({"id", "text"} and
    optionally lang, url, published) or folders of them.  All input is checked
    before anything is written; each document is written whole or not at all.

    Example:

        kg build seeds/ --store demo-store
    """
    summary = build(paths, store_path, progress=_progress_bar, skip_bad=skip_bad)
    click.echo(summary.paragraph(store_path))
    for error in summary.skipped:
        click.echo(f"skipped: {error}", err=True)


COMMANDS = [build_command]
