"""The ``kg`` command: a thin layer over the library.

Each concern has its own module here, holding its commands; every command
parses options, calls one library function and reports.  Errors from the
library (``kg.errors.GeokgError``) reach the user as one line on stderr with
the exit code of their class.
"""

from __future__ import annotations

import importlib
import logging
import sys

import click

from kg import __version__
from kg.errors import GeokgError

# Modules whose commands make up the CLI, in the order --help lists them.
COMMAND_MODULES = (
    "kg.cli.build",
    "kg.cli.extract",
    "kg.cli.query",
    "kg.cli.validate",
    "kg.cli.stats",
    "kg.cli.evaluate",
    "kg.cli.train",
    "kg.cli.wikidata",
    "kg.cli.export",
    "kg.cli.serve",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="geokg")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def cli(verbose: int) -> None:
    """geokg: geopolitical knowledge graphs from news, linked to Wikidata."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def _register_commands() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as missing:
            if missing.name != name:  # a real import error inside the module
                raise
            continue
        for command in getattr(module, "COMMANDS", ()):
            cli.add_command(command)


_register_commands()


def main() -> None:
    """Console-script entry point: one-line errors with meaningful exit codes."""
    try:
        cli.main(standalone_mode=False)
    except GeokgError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
