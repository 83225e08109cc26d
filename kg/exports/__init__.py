"""``kg export FORMAT``: the graph as research datasets and RDF dumps.

``export(store_path, fmt, out_dir)`` writes one directory: the data files of the format,
plus a codebook, DCAT metadata, the ontology and SHA-256 checksums (``kg.exports.package``).
Everything is read from the store with SPARQL (``kg/exports/queries/*.rq``) and written in a
fixed order, so the same store gives the same bytes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.exports import events as event_files
from kg.exports import package, rdf_dumps
from kg.exports.codes import Codes, read_codes
from kg.exports.source import Source
from kg.exports.tables import TableSpec, Value, table_rows, table_specs, write_csv, write_parquet
from kg.store import Store

log = logging.getLogger(__name__)

FORMATS = ("trig", "nquads", "turtle", "jsonld", "csv", "parquet", "plover", "cameo", "graphml")


@dataclass(frozen=True)
class ExportResult:
    format: str
    directory: Path
    data_files: list[Path]
    all_files: list[Path]


def _tables(
    out: Path,
    source: Source,
    codes: Codes,
    writer: Callable[[Path, TableSpec, Iterable[dict[str, Value]]], None],
    suffix: str,
) -> list[Path]:
    # Rows stream from the store through `sort` into the file; sorted runs beside it.
    paths = []
    for spec in table_specs():
        path = out / f"{spec.name}{suffix}"
        writer(path, spec, table_rows(source, spec, codes, out))
        paths.append(path)
    return paths


def _write_data(fmt: str, store: Store, out: Path, codes: Codes) -> list[Path]:
    source = Source(store)
    if fmt == "trig":
        return rdf_dumps.write_trig(store, out)
    if fmt == "nquads":
        return rdf_dumps.write_nquads(store, out)
    if fmt == "turtle":
        return rdf_dumps.write_turtle(store, out)
    if fmt == "jsonld":
        return rdf_dumps.write_jsonld(store, out)
    if fmt == "csv":
        return _tables(out, source, codes, write_csv, ".csv")
    if fmt == "parquet":
        return _tables(out, source, codes, write_parquet, ".parquet")
    if fmt == "plover":
        path = out / "events.jsonl"
        event_files.write_plover(path, event_files.plover_records(source, codes, out))
        return [path, *package.copy_schema(out)]
    if fmt == "cameo":
        path = out / "events.tsv"
        records = event_files.plover_records(source, codes, out)
        event_files.write_cameo(path, event_files.cameo_rows(records, codes))
        return [path]
    if fmt == "graphml":
        path = out / "actors.graphml"
        event_files.write_graphml(path, source, codes, out)
        return [path]
    raise ValueError(f"unknown export format {fmt!r}")


def export(store_path: Path, fmt: str, out_dir: Path, base_iri: str | None = None) -> ExportResult:
    """Write one export directory (created if needed; files of the same name replaced)."""
    from kg.errors import GeokgError

    if fmt not in FORMATS:
        raise GeokgError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    with Store.open(store_path, read_only=True, base_iri=base_iri) as store:
        codes = read_codes(Source(store))
        data = _write_data(fmt, store, out_dir, codes)
        extra = package.write_ontology(out_dir, store)
        names = sorted(p.relative_to(out_dir).as_posix() for p in data)
        extra += package.write_codebook(out_dir, codes, names)
        extra.append(package.write_dcat(out_dir, store.base_iri, fmt, data + extra))
    checksums = package.write_checksums(out_dir)
    log.info("exported %s to %s", fmt, out_dir)
    return ExportResult(fmt, out_dir, data, [*data, *extra, checksums])
