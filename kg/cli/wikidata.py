"""Commands that talk to Wikidata: ``kg gazetteer update`` and ``kg enrich``.

Both take the shared Wikidata options: ``--offline`` (or GEOKG_OFFLINE=1),
``--wikidata-api URL`` and ``--wikidata-sparql URL`` (or GEOKG_WIKIDATA_API /
GEOKG_WIKIDATA_SPARQL).  The work is done by ``kg.wikidata``; commands parse,
call and report.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from kg.cli.options import store_option, wikidata_options
from kg.wikidata.config import WikidataConfig


def split_list(value: str | None) -> tuple[str, ...] | None:
    if not value:
        return None
    return tuple(part.strip() for part in value.split(",") if part.strip())


@click.group()
def gazetteer() -> None:
    """The gazetteer: who exists, by name, in many languages."""


@gazetteer.command("update")
@click.option("--endpoint", metavar="URL", help="SPARQL endpoint (default: --wikidata-sparql).")
@click.option("--langs", default=None, help="Languages of labels/aliases, e.g. id,en,ru.")
@click.option("--classes", default=None, help="Pulls to run (names in classes.json), comma list.")
@click.option("--page-size", type=click.IntRange(1, 100000), default=500, show_default=True)
@click.option(
    "--snapshot-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where snapshots go (default: <cache>/snapshots, which the linker reads).",
)
@wikidata_options
def update(
    endpoint: str | None,
    langs: str | None,
    classes: str | None,
    page_size: int,
    snapshot_dir: Path | None,
    wikidata: WikidataConfig,
) -> None:
    """Pull whole classes from Wikidata into a new versioned snapshot.

    Sovereign and historical states, international organizations, military
    alliances, heads of state and government and foreign ministers with their
    terms, armed conflicts and disputed territories, with labels and aliases
    in the chosen languages.  An interrupted update resumes where it stopped.

    Example:

    \b
        kg gazetteer update --endpoint http://127.0.0.1:7878/query --langs id,en,ru
    """
    from kg.wikidata.gazetteer_update import DEFAULT_LANGUAGES, UpdateOptions, update_gazetteer
    from kg.wikidata.sparql import SparqlClient

    started = time.monotonic()
    client = SparqlClient(wikidata, endpoint=endpoint)
    options = UpdateOptions(
        endpoint=client.endpoint,
        languages=split_list(langs) or DEFAULT_LANGUAGES,
        pulls=split_list(classes),
        page_size=page_size,
        snapshot_dir=snapshot_dir,
    )
    result = update_gazetteer(client, options)
    counts = ", ".join(f"{name} {n}" for name, n in result.per_pull.items())
    click.echo(
        f"Wrote {result.snapshot} with {result.items} items ({counts}); "
        f"{result.pages_fetched} page(s) fetched, {result.pages_resumed} resumed, "
        f"{time.monotonic() - started:.1f}s."
    )


@click.command()
@store_option
@click.option("--langs", default="en", show_default=True, help="Languages of labels to add.")
@wikidata_options
def enrich(store_path: Path, langs: str, wikidata: WikidataConfig) -> None:
    """Add Wikidata background facts for the store's entities, in their own graph.

    Memberships (with start/end), positions held, territorial claims,
    conflicts and participants, diplomatic relations, inception/dissolution,
    replaces/replaced by; each entity's Wikidata revision is kept as
    provenance.  On failure the store is left as it was.

    Re-running replaces the background graph with fresh facts.

    Example:

    \b
        kg enrich --store demo-store --wikidata-api http://127.0.0.1:8080/w/api.php
    """
    from kg.wikidata.client import WikidataClient
    from kg.wikidata.enrich import enrich_store

    client = WikidataClient(wikidata)
    try:
        report = enrich_store(store_path, client, languages=split_list(langs) or ("en",))
    finally:
        client.close()
    click.echo(report.summary())


COMMANDS = [gazetteer, enrich]
