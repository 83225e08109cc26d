"""``kg build``: sources in, knowledge graph out."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import click
from tqdm import tqdm

from kg.builder import BATCH_SIZE, BuildOptions, build, remove_documents
from kg.cli.options import (
    online_option,
    store_location_option,
    store_option,
    wikidata_options,
)
from kg.errors import GeokgError
from kg.rdf import ANNOTATION_LEVELS
from kg.wikidata.config import WikidataConfig

# `kg build --skip-bad` built what it could and skipped bad input (2 is click's usage error).
EXIT_SKIPPED = 3


def _progress_bar(total: int) -> Iterator[int]:
    """A bar on a terminal; silent when stderr is a pipe or a file."""
    with tqdm(total=total, unit="doc", disable=not sys.stderr.isatty(), file=sys.stderr) as bar:
        for index in range(total):
            yield index
            bar.update(1)


@click.command("build")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_location_option
@click.option(
    "--workers", type=click.IntRange(min=0), default=1, show_default=True,
    help="Extraction processes on this machine (0: one per core).",
)  # fmt: skip
@click.option(
    "--scheduler", metavar="tcp://HOST:PORT",
    help="Run extraction on this Dask distributed scheduler instead.",
)  # fmt: skip
@click.option(
    "--replace", is_flag=True,
    help="Re-extract documents whose source changed since they were built.",
)  # fmt: skip
@click.option(
    "--batch-size", type=click.IntRange(min=1), default=BATCH_SIZE, show_default=True,
    help="Documents per write; each batch goes in whole or not at all, new documents"
    " through the bulk loader.",
)  # fmt: skip
@click.option(
    "--describe/--no-describe", default=True, show_default=True,
    help="Regenerate the store's VoID/DCAT description after the build (it counts the"
    " whole store; `kg serve` computes a fresh one on request either way).",
)  # fmt: skip
@click.option(
    "--annotations", type=click.Choice(ANNOTATION_LEVELS), default="light", show_default=True,
    help="light: the evidence of every assertion, and which entities each document"
    " mentions and how often; full: also every mention as a NIF phrase (GERBIL-style use;"
    " about 4x the store).",
)  # fmt: skip
@click.option(
    "--skip-bad", is_flag=True,
    help="Report bad files and lines at the end and build the rest, instead of stopping"
    f" (exit status {EXIT_SKIPPED} when something was skipped).",
)  # fmt: skip
@online_option
@wikidata_options
def build_command(
    paths: tuple[Path, ...],
    store_path: str,
    workers: int,
    scheduler: str | None,
    replace: bool,
    batch_size: int,
    describe: bool,
    annotations: str,
    skip_bad: bool,
    online: bool,
    wikidata: WikidataConfig,
) -> None:
    """Read articles and write their entities, events and relations into the store.

    PATHS are .txt articles (first line the publication time, e.g.
    "16 September 2022 08:40 WIB"), .jsonl or .jsonl.gz corpora ({"id",
    "text"} and optionally lang, url, published), .html pages, .warc(.gz)
    web archives, or folders of them.  All input is checked before anything
    is written; each document is written whole or not at all; a re-run skips
    documents already in the store and unchanged.

    Examples:

        kg build seeds/ --store demo-store

        kg build archive/ --workers 0 --skip-bad

        kg build corpus.jsonl.gz --scheduler tcp://10.0.0.5:8786
    """
    options = BuildOptions(
        workers=workers,
        scheduler=scheduler,
        skip_bad=skip_bad,
        replace=replace,
        batch_size=batch_size,
        describe=describe,
        online=wikidata if online else None,
        annotations=annotations,
    )
    summary = build(paths, store_path, options, progress=_progress_bar)
    click.echo(summary.paragraph(store_path))
    for error in summary.skipped:
        click.echo(f"skipped: {error}", err=True)
    if summary.skipped:
        # The good documents are in the store, but a script must not take the run for clean.
        sys.exit(EXIT_SKIPPED)


@click.command("remove")
@click.argument("doc_ids", nargs=-1, required=True)
@store_option
def remove_command(doc_ids: tuple[str, ...], store_path: Path) -> None:
    """Remove documents (by id) from the store, and their reports from the knowledge
    layer: each world event or fact they supported is recomputed from the reports left.

    Example:

        kg remove doc-0042 doc-0043 --store demo-store
    """
    missing = remove_documents(store_path, doc_ids)
    removed = len(doc_ids) - len(missing)
    click.echo(f"Removed {removed} document(s) from {store_path}.")
    if missing:
        raise GeokgError(f"{store_path}: no document with id {', '.join(missing)}")


COMMANDS = [build_command, remove_command]
