"""``kg query``: named SPARQL queries (or a .rq file) over the store."""

from __future__ import annotations

import click

from kg.cli.options import store_location_option
from kg.queries import list_queries, parse_param_options, render, run_query
from kg.stores import open_store


@click.command("query")
@click.argument("name", required=False)
@click.option(
    "-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
    help="Bind a query parameter (repeatable); bound as an RDF term, never spliced.",
)  # fmt: skip
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
    show_default=True,
)  # fmt: skip
@click.option("--list", "list_only", is_flag=True, help="List the named queries and exit.")
@store_location_option
def query_command(
    name: str | None, params: tuple[str, ...], fmt: str, list_only: bool, store_path: str
) -> None:
    """Run a named query from queries/ (or a .rq file) and print its results.

    Examples:

        kg query --list

        kg query members-of-organization --param org=Q318693 --store demo-store

        kg query my-question.rq --format csv
    """
    if list_only or name is None:
        for named in list_queries():
            click.echo(f"{named.name:44} {named.title}")
        return
    bound = parse_param_options(params)
    with open_store(store_path, read_only=True) as store:
        table = run_query(store, name, bound)
    click.echo(render(table, fmt).rstrip("\n"))


COMMANDS = [query_command]
