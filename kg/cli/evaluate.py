"""``kg evaluate``: score extraction against gold (dev set and external benchmarks)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kg.evaluation import evaluate, evaluate_all, render_summary, render_table, report_json


@click.command("evaluate")
@click.argument("gold", type=click.Path(path_type=Path))
@click.option(
    "-p",
    "--predictions",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A `kg extract` output to score (default: run the offline pipeline on the gold's texts).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
)
@click.option(
    "--errors",
    "max_errors",
    type=int,
    default=0,
    show_default=True,
    help="List up to N errors (false positives and negatives) with context; -1 for all.",
)
@click.option(
    "--all",
    "whole_kit",
    is_flag=True,
    help="GOLD is the evaluation kit (../shared): score every benchmark, print one summary.",
)
def evaluate_command(
    gold: Path, predictions: Path | None, output_format: str, max_errors: int, whole_kit: bool
) -> None:
    """Score linking, relations and events against GOLD.

    GOLD is recognised by its content: a dev.jsonl-style gold file, IndEL
    (its directory or .ttl), NEREL (directory) or PLOVER GSR (directory).

    Examples:

    \b
        kg evaluate ../shared/eval/dev.jsonl --errors 20
        kg extract ../shared/eval/dev.jsonl -o dev.out.jsonl
        kg evaluate ../shared/eval/dev.jsonl --predictions dev.out.jsonl --format json
        kg evaluate ../shared/reference/indel --errors -1
        kg evaluate --all ../shared
    """
    limit = None if max_errors < 0 else max_errors
    if whole_kit:
        if predictions is not None:
            raise click.UsageError("--all runs the pipeline itself; it takes no --predictions")
        reports = evaluate_all(gold)
        if output_format == "json":
            click.echo(
                json.dumps([report_json(r, limit) for r in reports], ensure_ascii=False, indent=2)
            )
            return
        for report in reports:
            click.echo(render_table(report, limit) + "\n")
        click.echo("== summary ==\n" + render_summary(reports))
        return
    report = evaluate(gold, predictions)
    if output_format == "json":
        click.echo(json.dumps(report_json(report, limit), ensure_ascii=False, indent=2))
    else:
        click.echo(render_table(report, limit))


COMMANDS = [evaluate_command]
