"""``kg extract``: the JSON Lines extraction interface (geokg-extract/1)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO

import click

from kg.cli.options import online_option, wikidata_options
from kg.documents import read_documents
from kg.pipeline import PipelineSpec, pipeline_for
from kg.wikidata.config import WikidataConfig


@click.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
    help="Write JSON Lines here instead of standard output.",
)  # fmt: skip
@online_option
@wikidata_options
def extract_command(
    paths: tuple[Path, ...], output: IO[str], online: bool, wikidata: WikidataConfig
) -> None:
    """Print what the pipeline finds in each document, one JSON object per line.

    No store; no network unless --online.  The output format is
    "geokg-extract/1" (see the README), read by `kg evaluate` and by
    annotation tools.

    Examples:

        kg extract seeds/jitunews-2022-09-16-armenia-csto.txt -o seed.jsonl

        kg extract corpus.jsonl --online --wikidata-api http://127.0.0.1:8080/w/api.php
    """
    pipeline = pipeline_for(PipelineSpec(online=wikidata if online else None))
    for extraction in pipeline.pipe(read_documents(paths, keep_duplicate_ids=True)):
        output.write(json.dumps(extraction.to_json(), ensure_ascii=False) + "\n")


COMMANDS = [extract_command]
