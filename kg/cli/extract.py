"""``kg extract``: the JSON Lines extraction interface (geokg-extract/1)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO

import click

from kg.documents import read_documents
from kg.pipeline import default_pipeline


@click.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="Write JSON Lines here instead of standard output.",
)
def extract_command(paths: tuple[Path, ...], output: IO[str]) -> None:
    """Print what the pipeline finds in each document, one JSON object per line.

    No store, no network: the output format is "geokg-extract/1" (see the
    README), read by `kg evaluate` and by annotation tools.

    Example:

        kg extract seeds/jitunews-2022-09-16-armenia-csto.txt -o seed.jsonl
    """
    pipeline = default_pipeline()
    for extraction in pipeline.pipe(read_documents(paths, keep_duplicate_ids=True)):
        output.write(json.dumps(extraction.to_json(), ensure_ascii=False) + "\n")


COMMANDS = [extract_command]
