"""Tidy tables (documents, entities, mentions, events, event_participants, relations,
memberships) as CSV and Parquet, with the columns and types ``tables.json`` declares.

CSV: UTF-8, comma-separated, header row, ``\\n`` line ends, empty cell for a missing value,
``true``/``false`` for booleans.  Parquet: the same columns with Arrow types (string, int64,
double, bool), nullable.  Rows are sorted by each table's key, so exports are repeatable;
they stream, sorted by the system's ``sort`` (``kg.exports.sorting``), so an export's memory
does not grow with the store.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any

from kg.errors import GeokgError
from kg.exports.codes import Codes
from kg.exports.sorting import sort_json, sort_key
from kg.exports.source import Row, Source

SPEC_FILE = Path(__file__).resolve().parent / "tables.json"
Value = str | int | float | bool | None


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string | int64 | float64 | bool
    description: str


@dataclass(frozen=True)
class TableSpec:
    name: str
    description: str
    query: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]


@lru_cache(maxsize=1)
def table_specs() -> tuple[TableSpec, ...]:
    raw = json.loads(SPEC_FILE.read_text(encoding="utf-8"))
    return tuple(
        TableSpec(
            name=name,
            description=spec["description"],
            query=spec["query"],
            key=tuple(spec["key"]),
            columns=tuple(Column(*column) for column in spec["columns"]),
        )
        for name, spec in raw.items()
        if not name.startswith("_")
    )


def _convert(value: str | None, type_name: str) -> Value:
    if value is None or value == "":
        return None
    if type_name == "int64":
        return int(value)
    if type_name == "float64":
        return float(value)
    if type_name == "bool":
        return value in ("true", "1")
    return value


def _derive(table: str, row: Row, codes: Codes) -> Row:
    """Columns computed from the code lists rather than read from the graph."""
    if table == "events":
        event_type = row.get("event_type") or ""
        row["cameo_roots"] = ";".join(m.root for m in codes.cameo_roots(event_type)) or None
        date = row.get("date") or ""
        row["date_precision"] = {4: "year", 7: "month", 10: "day"}.get(len(date))
    return row


def typed_rows(source: Source, spec: TableSpec, codes: Codes) -> Iterator[dict[str, Value]]:
    """The typed rows of one table, in the order the store gives them."""
    for raw in source.stream(spec.query):
        raw = _derive(spec.name, raw, codes)
        missing = [c.name for c in spec.columns if c.name not in raw]
        if missing:
            raise GeokgError(f"export query {spec.query}.rq does not give column(s) {missing}")
        yield {c.name: _convert(raw[c.name], c.type) for c in spec.columns}


def table_rows(
    source: Source, spec: TableSpec, codes: Codes, scratch: Path | None = None
) -> Iterator[dict[str, Value]]:
    """The typed rows of one table sorted by its key (None first), then by the whole row
    as JSON: streamed through the system's ``sort`` (temporary files in ``scratch``)."""
    keyed = ((sort_key([row[k] for k in spec.key]), row) for row in typed_rows(source, spec, codes))
    return sort_json(keyed, scratch)


def build_table(source: Source, spec: TableSpec, codes: Codes) -> list[dict[str, Value]]:
    """The typed, sorted rows of one table, all at once (``kg.api``'s Arrow tables)."""
    return list(table_rows(source, spec, codes))


def _csv_cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def write_csv(path: Path, spec: TableSpec, rows: Iterable[dict[str, Value]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([c.name for c in spec.columns])
        for row in rows:
            writer.writerow([_csv_cell(row[c.name]) for c in spec.columns])


ARROW_TYPES = {"string": "string", "int64": "int64", "float64": "float64", "bool": "bool_"}
# Parquet cannot stream below a row group: the writer holds a row group's column chunks
# until it closes them, so a row group bounds the memory.  A table of at most this many
# rows is one row group, as pyarrow's write_table made it.
PARQUET_ROW_GROUP = 65_536
# Rows turned into Arrow arrays at a time: a row group is held as Arrow's compact columns,
# not as Python objects (about a tenth of the memory).
ARROW_CHUNK = 4_096


def arrow_schema(spec: TableSpec) -> Any:
    import pyarrow as pa

    return pa.schema(
        [pa.field(c.name, getattr(pa, ARROW_TYPES[c.type])(), nullable=True) for c in spec.columns],
        metadata={"description": spec.description},
    )


def write_parquet(path: Path, spec: TableSpec, rows: Iterable[dict[str, Value]]) -> None:
    """One row group per PARQUET_ROW_GROUP rows (an empty table: one empty row group)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(spec)
    rows = iter(rows)
    # No creation time or writer version differences inside the file: same rows, same bytes.
    with pq.ParquetWriter(
        str(path), schema, compression="zstd", write_statistics=True, store_schema=True
    ) as writer:
        written = False
        while chunks := [
            pa.Table.from_pylist(chunk, schema=schema)
            for chunk in _batches(islice(rows, PARQUET_ROW_GROUP), ARROW_CHUNK)
        ]:
            # One contiguous array per column, as write_table of the whole table had.
            writer.write_table(pa.concat_tables(chunks).combine_chunks())
            written = True
        if not written:
            writer.write_table(schema.empty_table())


def _batches(rows: Iterable[dict[str, Value]], size: int) -> Iterator[list[dict[str, Value]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch
