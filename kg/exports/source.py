"""Reading the store for the exports: named SELECT queries in ``kg/exports/queries``.

Values come out as their lexical forms (str), None where a variable is unbound; typing is
the tables' job (``kg.exports.tables``), driven by ``tables.json``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pyoxigraph import Triple

from kg.store import Store, Term

QUERY_DIR = Path(__file__).resolve().parent / "queries"

Row = dict[str, str | None]


@cache
def query_text(name: str) -> str:
    return (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")


@dataclass
class Source:
    """The store an export reads, opened read-only."""

    store: Store

    def rows(self, name: str) -> list[Row]:
        return list(self.stream(name))

    def stream(self, name: str) -> Iterator[Row]:
        """The rows one at a time, as the store gives them (a table of every mention is
        held once, as typed rows, not also as RDF terms)."""
        for solution in self.store.select(query_text(name)):
            yield {column: _lexical(cell) for column, cell in solution.items()}


def _lexical(cell: Term | None) -> str | None:
    if cell is None:
        return None
    return str(cell) if isinstance(cell, Triple) else cell.value
