"""``kg export``: the store as RDF dumps and research datasets."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.options import store_option
from kg.exports import FORMATS, export


@click.command("export")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(FORMATS))
@store_option
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Directory to write (default: ./geokg-export-FORMAT).",
)
@click.option("--base-iri", default=None, help="Base IRI the store was built with.")
def export_command(fmt: str, store_path: Path, out_dir: Path | None, base_iri: str | None) -> None:
    """Export the store as FORMAT: trig, nquads, turtle, jsonld, csv, parquet, plover,
    cameo or graphml.  The directory also gets a codebook, DCAT metadata, the ontology and
    SHA-256 checksums.

    Example:

        kg export csv --store demo-store -o out/csv && (cd out/csv && sha256sum -c SHA256SUMS)
    """
    target = out_dir or Path(f"geokg-export-{fmt}")
    result = export(store_path, fmt, target, base_iri=base_iri)
    names = ", ".join(p.name for p in result.data_files)
    click.echo(f"Exported {fmt} to {target}: {names} (+ codebook, dcat.ttl, ontology/, SHA256SUMS)")


COMMANDS = [export_command]
