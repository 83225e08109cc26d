"""``kg export``: every format read back with independent readers, and byte-for-byte
repeatable.

The store holds the hand-made sample extraction and a hostile document; exports run once
per module through the real CLI.
"""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from publishing_support import build_store
from pyoxigraph import Quad, RdfFormat, Triple, parse

from kg.exports import FORMATS
from kg.exports.tables import arrow_schema, table_specs
from kg.store import Store

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schemas" / "plover-event.schema.json"
RDF_FILES = {
    "trig": ("geokg.trig", RdfFormat.TRIG, "trig"),
    "nquads": ("geokg.nq", RdfFormat.N_QUADS, "nquads"),
    "jsonld": ("geokg.jsonld", RdfFormat.JSON_LD, "json-ld"),
}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Full annotation, so that the mentions table has rows to check.
    return build_store(tmp_path_factory.mktemp("exports") / "store", annotations="full")


def run_export(store: Path, fmt: str, out: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "kg", "export", fmt, "--store", str(store), "-o", str(out)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out


@pytest.fixture(scope="module")
def exported(store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("out")
    return {fmt: run_export(store_path, fmt, root / fmt) for fmt in FORMATS}


def store_quads(store_path: Path) -> set[str]:
    with Store.open(store_path, read_only=True) as store:
        return {str(q) for q in store.ox.quads_for_pattern(None, None, None, None)}


def canonical_nquads(quads: list[Quad]) -> set[str]:
    """Each quad as N-Quads text, after a trip through a fresh store (which normalises
    literals the same way the source store did)."""
    from pyoxigraph import Store as OxStore

    fresh = OxStore()
    fresh.extend(quads)
    return {str(q) for q in fresh.quads_for_pattern(None, None, None, None)}


def rdflib_quads(path: Path, fmt: str) -> list[Quad]:
    import rdflib

    dataset = rdflib.Dataset()
    dataset.parse(str(path), format=fmt)
    # rdflib's own N-Quads, read by pyoxigraph: the comparison is in one term model.
    return list(parse(dataset.serialize(format="nquads").encode(), format=RdfFormat.N_QUADS))


# --- RDF -------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(RDF_FILES))
def test_rdf_export_loads_back_into_pyoxigraph(
    fmt: str, exported: dict[str, Path], store_path: Path
) -> None:
    name, rdf_format, _ = RDF_FILES[fmt]
    quads = list(parse(path=str(exported[fmt] / name), format=rdf_format))
    assert canonical_nquads(quads) == store_quads(store_path)


@pytest.mark.parametrize("fmt", sorted(RDF_FILES))
def test_rdf_export_loads_back_into_rdflib(
    fmt: str, exported: dict[str, Path], store_path: Path
) -> None:
    name, _, rdflib_format = RDF_FILES[fmt]
    assert canonical_nquads(rdflib_quads(exported[fmt] / name, rdflib_format)) == store_quads(
        store_path
    )


def canonical_triples(triples: list[Triple]) -> set[str]:
    from pyoxigraph import Store as OxStore

    fresh = OxStore()
    fresh.extend(Quad(t.subject, t.predicate, t.object) for t in triples)
    return {str(q.triple) for q in fresh.quads_for_pattern(None, None, None, None)}


def test_turtle_holds_the_union_of_all_graphs(exported: dict[str, Path], store_path: Path) -> None:
    import rdflib

    path = exported["turtle"] / "geokg.ttl"
    with Store.open(store_path, read_only=True) as store:
        union = {str(q.triple) for q in store.ox.quads_for_pattern(None, None, None, None)}
    assert canonical_triples(list(parse(path=str(path), format=RdfFormat.TURTLE))) == union
    graph = rdflib.Graph()
    graph.parse(str(path), format="turtle")
    assert len(graph) == len(union)


def test_jsonld_uses_the_context_file(exported: dict[str, Path]) -> None:
    document = json.loads((exported["jsonld"] / "geokg.jsonld").read_text())
    context = json.loads((exported["jsonld"] / "context.jsonld").read_text())
    assert document["@context"] == context["@context"]
    assert context["@context"]["gk"] == "https://w3id.org/geokg/ontology#"


# --- tables ----------------------------------------------------------------------------------

PY_TYPES = {"string": str, "int64": int, "float64": float, "bool": bool}


def read_csv_typed(path: Path, columns: list[tuple[str, str]]) -> list[dict[str, object]]:
    """The codebook's reading rule: empty is missing, else convert by the declared type."""
    convert = {
        "string": str,
        "int64": int,
        "float64": float,
        "bool": lambda v: {"true": True, "false": False}[v],
    }
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        assert header == [name for name, _ in columns]
        return [
            {
                name: (convert[kind](value) if value != "" else None)
                for (name, kind), value in zip(columns, row, strict=True)
            }
            for row in reader
        ]


@pytest.mark.parametrize("spec", table_specs(), ids=lambda s: s.name)
def test_csv_reads_with_the_declared_types(spec, exported: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    import pyarrow as pa
    import pyarrow.csv as pacsv

    path = exported["csv"] / f"{spec.name}.csv"
    rows = read_csv_typed(path, [(c.name, c.type) for c in spec.columns])
    assert rows, spec.name
    for row in rows:
        for column in spec.columns:
            value = row[column.name]
            assert value is None or isinstance(value, PY_TYPES[column.type]), (column.name, value)
    schema = arrow_schema(spec)
    table = pacsv.read_csv(
        path,
        convert_options=pacsv.ConvertOptions(
            column_types={f.name: f.type for f in schema},
            true_values=["true"],
            false_values=["false"],
            strings_can_be_null=True,
        ),
    )
    assert table.schema.equals(pa.schema(list(schema)))


@pytest.mark.parametrize("spec", table_specs(), ids=lambda s: s.name)
def test_parquet_has_the_declared_schema_and_the_csv_rows(spec, exported: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    import pyarrow.parquet as pq

    table = pq.read_table(exported["parquet"] / f"{spec.name}.parquet")
    assert [(f.name, str(f.type)) for f in table.schema] == [
        (f.name, str(f.type)) for f in arrow_schema(spec)
    ]
    csv_rows = read_csv_typed(
        exported["csv"] / f"{spec.name}.csv", [(c.name, c.type) for c in spec.columns]
    )
    assert table.to_pylist() == csv_rows


def test_tables_hold_the_seed_facts(exported: dict[str, Path]) -> None:
    def rows(name: str) -> list[dict[str, str]]:
        with (exported["csv"] / f"{name}.csv").open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    assert {r["doc_id"] for r in rows("documents")} == {"sample-1", "hostile-1"}
    memberships = rows("memberships")
    assert [
        (m["member_qid"], m["organization_qid"], m["status"], m["cow_igo_code"])
        for m in memberships
    ] == [("Q399", "Q318693", "full", "1")]
    types = sorted(r["event_type"] for r in rows("events"))
    assert types == ["ASSAULT", "ASSAULT", "MOBILIZE", "REQUEST", "REQUEST"]
    request = next(
        r for r in rows("events") if r["event_type"] == "REQUEST" and r["doc_id"] == "sample-1"
    )
    assert request["cameo_roots"] == "10" and request["date_precision"] == "day"
    relation_types = {r["relation_type"] for r in rows("relations")}
    assert relation_types == {"MEMBER_OF", "HOLDS_POSITION", "TERRITORIAL_DISPUTE", "CITIZEN_OF"}
    nil = [e for e in rows("entities") if e["linked"] == "false"]
    assert {e["label"] for e in nil} >= {"Stanislav Zas"}


# --- event datasets --------------------------------------------------------------------------


def test_plover_jsonl_validates_against_the_schema(exported: dict[str, Path]) -> None:
    from jsonschema import Draft202012Validator, FormatChecker

    schema = json.loads(SCHEMA.read_text())
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    lines = (exported["plover"] / "events.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 5
    for record in records:
        errors = sorted(validator.iter_errors(record), key=str)
        assert not errors, errors[0].message
    request = next(r for r in records if r["event"] == "REQUEST" and r["doc_id"] == "sample-1")
    assert [a["wikidata"] for a in request["actor"]] == ["Q399"]
    assert [a["wikidata"] for a in request["recipient"]] == ["Q318693"]
    assert request["context"] == ["military"] and request["quad_class"] == "Verbal conflict"
    assert (exported["plover"] / "plover-event.schema.json").read_bytes() == SCHEMA.read_bytes()


def test_schema_rejects_a_bad_record(exported: dict[str, Path]) -> None:
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(json.loads(SCHEMA.read_text()))
    record = json.loads((exported["plover"] / "events.jsonl").read_text().splitlines()[0])
    assert not list(validator.iter_errors(record))
    assert list(validator.iter_errors({**record, "event": "FIGHT"}))
    assert list(validator.iter_errors({**record, "surprise": 1}))


def test_cameo_tsv_has_one_row_per_dyad(exported: dict[str, Path]) -> None:
    with (exported["cameo"] / "events.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    clash = [r for r in rows if r["PLOVEREvent"] == "ASSAULT" and r["Symmetric"] == "1"]
    assert len(clash) == 1 and {clash[0]["SourceQID"], clash[0]["TargetQID"]} == {"Q399", "Q227"}
    request = [r for r in rows if r["PLOVEREvent"] == "REQUEST"]
    assert all(r["EventRootCode"] == "10" and r["QuadClass"] == "3" for r in request)
    assert all("\t" not in r["Sentence"] and "\n" not in r["Sentence"] for r in rows)


def test_graphml_reads_into_networkx(exported: dict[str, Path]) -> None:
    import networkx as nx

    graph = nx.read_graphml(exported["graphml"] / "actors.graphml")
    armenia = "http://www.wikidata.org/entity/Q399"
    assert graph.nodes[armenia]["label"] == "Armenia" and graph.nodes[armenia]["qid"] == "Q399"
    assert graph.has_edge(armenia, "http://www.wikidata.org/entity/Q318693")
    weights = [d["weight"] for _, _, d in graph.edges(data=True) if d["event_type"] == "REQUEST"]
    assert weights == [2]  # two documents report Armenia's request to the CSTO


# --- every directory: codebook, DCAT, ontology, checksums; determinism -----------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_directory_has_codebook_dcat_ontology_and_checksums(
    fmt: str, exported: dict[str, Path]
) -> None:
    out = exported[fmt]
    for name in (
        "codebook.md",
        "codebook.json",
        "dcat.ttl",
        "ontology/geokg-ontology.ttl",
        "SHA256SUMS",
    ):
        assert (out / name).is_file(), name
    listed = {}
    for line in (out / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, name
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {"SHA256SUMS"}
    assert set(listed) == files
    dcat = list(parse(path=str(out / "dcat.ttl"), format=RdfFormat.TURTLE))
    assert any(t.predicate.value == "http://www.w3.org/ns/dcat#distribution" for t in dcat)


def test_codebook_documents_every_column_and_the_crosswalks(exported: dict[str, Path]) -> None:
    book = json.loads((exported["csv"] / "codebook.json").read_text())
    for spec in table_specs():
        assert [c["name"] for c in book["tables"][spec.name]["columns"]] == [
            c.name for c in spec.columns
        ]
    assert {m["cameo_root"] for m in book["crosswalk_plover_cameo"]["ASSAULT"]} == {
        "18",
        "19",
        "20",
    }
    statuses = {e["code"]: e.get("cow_igo_code") for e in book["code_lists"]["membership_status"]}
    assert statuses["full"] == 1 and statuses["observer"] == 3 and statuses["former"] is None
    assert {e["code"] for e in book["code_lists"]["incompatibility"]} == {"1", "2"}
    assert {"PLOVER", "CAMEO", "COW", "UCDP"} <= set(
        " ".join(book["correspondences"].values()).replace("/", " ").split()
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_exports_are_deterministic(
    fmt: str, exported: dict[str, Path], store_path: Path, tmp_path: Path
) -> None:
    again = run_export(store_path, fmt, tmp_path / fmt)
    assert (again / "SHA256SUMS").read_bytes() == (exported[fmt] / "SHA256SUMS").read_bytes()


def test_streamed_nquads_are_in_the_order_python_sorts_strings(exported: dict[str, Path]) -> None:
    # The dump is sorted by the system's `sort` (bytewise under LC_ALL=C); the hostile
    # document's non-ASCII and escaped literals must land where Python's order puts them,
    # or the bytes would depend on the machine's sort.
    lines = (exported["nquads"] / "geokg.nq").read_text(encoding="utf-8").splitlines()
    assert len(lines) > 100
    assert any(not line.isascii() for line in lines)
    assert lines == sorted(lines)


@pytest.mark.parametrize("fmt", ["trig", "csv", "plover"])
def test_exports_without_a_sort_command_fail_with_one_line(
    fmt: str, store_path: Path, tmp_path: Path
) -> None:
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "kg", "export", fmt, "--store", str(store_path)]
        + ["-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": str(empty_bin)},
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Error: exports need the system's `sort` command (coreutils); none is on PATH"
    ]


def test_jsonld_is_the_same_whatever_the_chunks_rdflib_compacts(
    exported: dict[str, Path], store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.exports import rdf_dumps

    monkeypatch.setattr(rdf_dumps, "JSONLD_CHUNK", 3)  # a chunk ends at almost every subject
    with Store.open(store_path, read_only=True) as store:
        written = rdf_dumps.write_jsonld(store, tmp_path)[0]
    assert written.read_bytes() == (exported["jsonld"] / "geokg.jsonld").read_bytes()


# --- the tables and event datasets stream through `sort` ------------------------------------


def data_files(directory: Path) -> dict[str, bytes]:
    skip = {"SHA256SUMS", "dcat.ttl"}  # dcat.ttl names the export's directory
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and p.name not in skip
    }


@pytest.mark.parametrize("fmt", ["csv", "parquet", "plover", "cameo", "graphml"])
def test_tables_are_the_same_when_sort_spills_to_disk(
    fmt: str,
    exported: dict[str, Path],
    store_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kg.exports import export, sorting, tables

    # A 1 KB buffer: sort merges many runs from temporary files; row groups of 2 rows,
    # each made of 1-row Arrow chunks.
    monkeypatch.setattr(sorting, "ROW_SORT_BUFFER", "1K")
    monkeypatch.setattr(tables, "PARQUET_ROW_GROUP", 2)
    monkeypatch.setattr(tables, "ARROW_CHUNK", 1)
    export(store_path, fmt, tmp_path / fmt)
    written, expected = data_files(tmp_path / fmt), data_files(exported[fmt])
    assert written.keys() == expected.keys()
    if fmt != "parquet":
        assert written == expected
        return
    import pyarrow.parquet as pq

    for name in written:
        if name.endswith(".parquet"):
            # What write_table makes of the whole table in row groups of 2 rows.
            reference = tmp_path / "reference.parquet"
            whole = pq.read_table(exported[fmt] / name)
            pq.write_table(
                whole,
                reference,
                row_group_size=2,
                compression="zstd",
                write_statistics=True,
                store_schema=True,
            )
            assert written[name] == reference.read_bytes(), name
            assert pq.ParquetFile(tmp_path / fmt / name).metadata.num_row_groups == max(
                1, -(-whole.num_rows // 2)
            ), name


def test_table_rows_are_in_the_order_python_sorts_them(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The order the in-memory sort gave before the tables streamed: the key (None
    first), then the row as JSON."""
    from kg.exports import sorting
    from kg.exports.codes import read_codes
    from kg.exports.source import Source
    from kg.exports.tables import table_rows, typed_rows

    monkeypatch.setattr(sorting, "ROW_SORT_BUFFER", "1K")
    with Store.open(store_path, read_only=True) as store:
        source = Source(store)
        codes = read_codes(source)
        for spec in table_specs():
            rows = list(typed_rows(source, spec, codes))

            def key(row, spec=spec):  # type: ignore[no-untyped-def]
                keyed = tuple((row[k] is not None, row[k] or 0) for k in spec.key)
                return keyed, json.dumps(row, sort_keys=True, ensure_ascii=False)

            assert list(table_rows(source, spec, codes)) == sorted(rows, key=key), spec.name


def test_parquet_is_the_file_write_table_makes_of_all_rows(
    exported: dict[str, Path], tmp_path: Path
) -> None:
    """Up to PARQUET_ROW_GROUP rows, the streamed file is byte for byte the one pyarrow's
    write_table made of the whole table (one row group)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    for spec in table_specs():
        table = pq.read_table(exported["parquet"] / f"{spec.name}.parquet")
        path = tmp_path / f"{spec.name}.parquet"
        whole = pa.Table.from_pylist(table.to_pylist(), schema=arrow_schema(spec))
        pq.write_table(whole, path, compression="zstd", write_statistics=True, store_schema=True)
        assert path.read_bytes() == (exported["parquet"] / path.name).read_bytes(), spec.name


@pytest.mark.parametrize("network", ["empty", "the store's"])
def test_graphml_is_the_file_networkx_writes(
    network: str, exported: dict[str, Path], tmp_path: Path
) -> None:
    """The streamed GraphML is what networkx writes of the same graph: here, of the graph
    read back from it (and of an empty network, from an empty store)."""
    import networkx as nx

    from kg.exports import export

    if network == "empty":
        with Store.open(tmp_path / "empty") as store:
            store.quad_count()
        path = export(tmp_path / "empty", "graphml", tmp_path / "out").data_files[0]
        graph = nx.MultiDiGraph(name="geokg actor network")
    else:
        path = exported["graphml"] / "actors.graphml"
        graph = nx.read_graphml(path, force_multigraph=True)
        del graph.graph["node_default"], graph.graph["edge_default"]
        assert graph.number_of_nodes() >= 3 and graph.number_of_edges() >= 3
    nx.write_graphml(graph, tmp_path / "networkx.graphml", encoding="utf-8", prettyprint=True)
    assert path.read_bytes() == (tmp_path / "networkx.graphml").read_bytes()


@given(
    st.lists(
        st.tuples(
            st.none() | st.text(), st.none() | st.integers(-(2**63), 2**63 - 1), st.booleans()
        ),
        max_size=30,
    )
)
def test_sort_keys_order_bytes_as_python_orders_tuples(keys: list[tuple[object, ...]]) -> None:
    from kg.exports.sorting import sort_key

    def python(parts: tuple[object, ...]) -> tuple[tuple[bool, object], ...]:
        return tuple((p is not None, p if p is not None else 0) for p in parts)

    assert sorted(keys, key=sort_key) == sorted(keys, key=python)  # type: ignore[arg-type]


def test_a_key_sort_cannot_encode_is_refused_in_one_line() -> None:
    from kg.errors import StoreError
    from kg.exports.sorting import sort_key

    with pytest.raises(StoreError, match="^cannot sort by a float value$"):
        sort_key([1.5])


# --- the light evidence layer ---------------------------------------------------------------


@pytest.mark.parametrize("annotations", ["light", "full"])
def test_tables_read_offsets_from_span_iris_and_flags_by_absence(annotations: str) -> None:
    """Offsets come from the evidence span's IRI and a flag never written is false: the
    tables are the same at every annotation level."""
    from sample_extraction import TEXT, sample_extraction

    from kg.exports.codes import read_codes
    from kg.exports.source import Source
    from kg.exports.tables import build_table

    extraction = sample_extraction()
    with Store.open(None) as store:
        store.write_extraction(extraction, annotations=annotations)
        source = Source(store)
        codes = read_codes(source)
        specs = {spec.name: spec for spec in table_specs()}
        tables = {name: build_table(source, specs[name], codes) for name in specs}
        spans = source.rows("evidence")
    events = {(r["event_type"], r["evidence_begin"]): r for r in tables["events"]}
    assert len(events) == 4
    for event in extraction.events:
        row = events[(event.type, event.evidence.start)]
        assert row["evidence_end"] == event.evidence.end
        assert row["evidence_text"] == TEXT[event.evidence.start : event.evidence.end]
        assert (row["negated"], row["hypothetical"], row["claimed"]) == (
            event.negated,
            event.hypothetical,
            event.claimed,
        )
    assert sorted((r["negated"], r["hypothetical"]) for r in tables["events"]) == [
        (False, False),
        (False, False),
        (False, True),
        (True, False),
    ]
    for row in tables["relations"]:
        begin, end = row["evidence_begin"], row["evidence_end"]
        assert isinstance(begin, int) and isinstance(end, int)
        assert row["evidence_text"] == TEXT[begin:end]
    assert len(tables["relations"]) == len(extraction.relations)
    assert {(r["begin"], r["end"], r["text"]) for r in spans} >= {
        (str(e.evidence.start), str(e.evidence.end), e.evidence.text) for e in extraction.events
    }
    (document,) = tables["documents"]
    assert document["text_length"] == len(TEXT)
    assert document["extractor_version"]
