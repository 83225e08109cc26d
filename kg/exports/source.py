"""Reading the store for the exports: named SELECT queries in ``kg/exports/queries``.

Values come out as their lexical forms (str), None where a variable is unbound; typing is
the tables' job (``kg.exports.tables``), driven by ``tables.json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pyoxigraph import Triple

from kg.store import Store

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
        table = self.store.query(query_text(name))
        return [
            {
                column: (str(cell) if isinstance(cell, Triple) else cell.value)
                if cell is not None
                else None
                for column, cell in zip(table.columns, row, strict=True)
            }
            for row in table.rows
        ]
