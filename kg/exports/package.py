"""What every export directory holds besides its data: a codebook, DCAT metadata, the
ontology, and SHA-256 checksums (``SHA256SUMS``, the format ``sha256sum -c`` reads).

Nothing here records the time of the export, so an export of the same store is the same
bytes every time.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple

from kg import __version__
from kg.exports.codes import Codes
from kg.exports.events import CAMEO_COLUMNS, QUAD_CLASS_NUMBER
from kg.exports.tables import table_specs
from kg.paths import PROJECT_DIR
from kg.server.void import DATA_LICENCE, DCAT, VOID_PREFIXES, dataset_iri, serialize_bytes
from kg.store import Store
from kg.vocab import DCTERMS_NS, ONTOLOGY_GRAPH, PREFIXES, RDF, XSD, Namespace

SPDX = Namespace("http://spdx.org/rdf/terms#")
SCHEMA_FILE = PROJECT_DIR / "schemas" / "plover-event.schema.json"
CHECKSUMS = "SHA256SUMS"
MEDIA_TYPES = {
    ".trig": "application/trig",
    ".nq": "application/n-quads",
    ".ttl": "text/turtle",
    ".jsonld": "application/ld+json",
    ".csv": "text/csv",
    ".parquet": "application/vnd.apache.parquet",
    ".jsonl": "application/jsonl",
    ".tsv": "text/tab-separated-values",
    ".graphml": "application/graphml+xml",
    ".json": "application/json",
    ".md": "text/markdown",
}
# How each code list corresponds to PLOVER, CAMEO, COW and UCDP (data, with the codebook).
CORRESPONDENCES_FILE = Path(__file__).resolve().parent / "correspondences.json"


def write_ontology(out: Path, store: Store) -> list[Path]:
    """The ontology and code lists as the store holds them (its ontology graph), so the
    export documents the terms its data was built with, whatever the repository holds now."""
    target = out / "ontology"
    target.mkdir(exist_ok=True)
    triples = sorted(
        (q.triple for q in store.ox.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH)), key=str
    )
    path = target / "geokg-ontology.ttl"
    path.write_bytes(serialize_bytes(triples, RdfFormat.TURTLE, PREFIXES))
    return [path]


def copy_schema(out: Path) -> list[Path]:
    destination = out / SCHEMA_FILE.name
    shutil.copyfile(SCHEMA_FILE, destination)
    return [destination]


def _scheme_name(scheme: str) -> str:
    names = {
        "https://w3id.org/geokg/plover/": "plover_event_type_and_mode",
        "https://w3id.org/geokg/plover/contexts": "plover_context",
        "https://w3id.org/geokg/plover/quad-categories": "quad_class",
        "https://w3id.org/geokg/cameo/": "cameo_root",
        "https://w3id.org/geokg/membership-status/": "membership_status",
        "https://w3id.org/geokg/ontology#Incompatibilities": "incompatibility",
    }
    return names.get(scheme, scheme)


def codebook(codes: Codes, files: list[str]) -> dict[str, Any]:
    """The data dictionary as data: tables, other files, code lists, crosswalks."""
    from kg.model import ENTITY_TYPES, EVENT_TYPES, RELATION_TYPES

    code_lists: dict[str, list[dict[str, Any]]] = {}
    for row in codes.lists:
        entry: dict[str, Any] = {"code": row["code"], "label": row.get("label")}
        if row.get("broader"):
            entry["event_type"] = row["broader"]
        if row.get("cow_igo_code"):
            entry["cow_igo_code"] = int(str(row["cow_igo_code"]))
        code_lists.setdefault(_scheme_name(str(row["scheme"])), []).append(entry)
    code_lists["relation_type"] = [{"code": code} for code in RELATION_TYPES]
    code_lists["participant_role"] = [{"code": c} for c in ("actor", "recipient", "speaker")]
    code_lists["entity_type"] = [{"code": code} for code in ENTITY_TYPES]
    return {
        "title": "geokg export codebook",
        "generator": f"geokg {__version__}",
        "files": files,
        "tables": {
            spec.name: {
                "description": spec.description,
                "key": list(spec.key),
                "columns": [
                    {"name": c.name, "type": c.type, "description": c.description}
                    for c in spec.columns
                ],
            }
            for spec in table_specs()
        },
        "plover_jsonl": json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))["properties"],
        "cameo_tsv": {"columns": list(CAMEO_COLUMNS), "quad_class_numbers": QUAD_CLASS_NUMBER},
        "graphml": {
            "nodes": {
                "label": "string",
                "qid": "string",
                "entity_class": "string",
                "mentions": "int",
            },
            "edges": {
                "event_type": "PLOVER type",
                "weight": "number of events",
                "symmetric": "co-actors of a clash",
                "events": "event ids",
            },
        },
        "crosswalk_plover_cameo": {
            event_type: [
                {"cameo_root": m.root, "cameo_label": m.label, "match": m.match} for m in matches
            ]
            for event_type, matches in sorted(codes.crosswalk.items())
        },
        "event_types": list(EVENT_TYPES),
        "code_lists": code_lists,
        "correspondences": {
            k: v
            for k, v in json.loads(CORRESPONDENCES_FILE.read_text(encoding="utf-8")).items()
            if not k.startswith("_")
        },
    }


def codebook_markdown(book: dict[str, Any]) -> str:
    lines = [
        f"# {book['title']}",
        "",
        f"Made by {book['generator']}. Files: " + ", ".join(f"`{f}`" for f in book["files"]),
        "",
    ]
    lines += ["## Tables (CSV and Parquet)", ""]
    for name, table in book["tables"].items():
        lines += [
            f"### {name}",
            "",
            table["description"],
            "",
            "| column | type | description |",
            "|---|---|---|",
        ]
        lines += [f"| `{c['name']}` | {c['type']} | {c['description']} |" for c in table["columns"]]
        lines.append("")
    lines += [
        "## PLOVER JSON Lines (`events.jsonl`)",
        "",
        "Validated by `plover-event.schema.json`.",
        "",
        "| field | description |",
        "|---|---|",
    ]
    for field, spec in book["plover_jsonl"].items():
        lines.append(f"| `{field}` | {spec.get('description', '')} |")
    lines += [
        "",
        "## CAMEO-style dyadic TSV (`events.tsv`)",
        "",
        "Columns: " + ", ".join(f"`{c}`" for c in book["cameo_tsv"]["columns"]) + ".",
        "",
    ]
    lines += [
        "## PLOVER → CAMEO crosswalk",
        "",
        "| PLOVER | CAMEO root | label | match |",
        "|---|---|---|---|",
    ]
    for event_type, matches in book["crosswalk_plover_cameo"].items():
        lines += [
            f"| {event_type} | {m['cameo_root']} | {m['cameo_label']} | {m['match']} |"
            for m in matches
        ]
    lines += ["", "## Code lists", ""]
    for name, entries in book["code_lists"].items():
        lines += [f"### {name}", ""]
        for entry in entries:
            extra = ", ".join(f"{k}: {v}" for k, v in entry.items() if k not in ("code", "label"))
            lines.append(
                f"- `{entry['code']}` {entry.get('label') or ''}{f' ({extra})' if extra else ''}"
            )
        lines.append("")
    lines += ["## Correspondences (PLOVER, CAMEO, COW, UCDP)", ""]
    lines += [f"- **{name}**: {text}" for name, text in book["correspondences"].items()]
    return "\n".join(lines) + "\n"


def write_codebook(out: Path, codes: Codes, files: list[str]) -> list[Path]:
    book = codebook(codes, files)
    json_path, md_path = out / "codebook.json", out / "codebook.md"
    json_path.write_text(json.dumps(book, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path.write_text(codebook_markdown(book), encoding="utf-8")
    return [json_path, md_path]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_dcat(out: Path, base_iri: str, export_format: str, files: list[Path]) -> Path:
    """A DCAT description of this export: the dataset and one distribution per file."""
    dataset = dataset_iri(base_iri)
    triples: list[tuple[NamedNode, NamedNode, NamedNode | Literal]] = [
        (dataset, RDF.type, DCAT["Dataset"]),
        (
            dataset,
            DCTERMS_NS["title"],
            Literal("geokg geopolitical knowledge graph", language="en"),
        ),
        (dataset, DCTERMS_NS["license"], DATA_LICENCE),
    ]
    for path in sorted(files, key=lambda p: p.relative_to(out).as_posix()):
        name = path.relative_to(out).as_posix()
        distribution = NamedNode(f"{dataset.value}/export/{export_format}/{name}")
        checksum = NamedNode(distribution.value + "#sha256")
        triples += [
            (dataset, DCAT["distribution"], distribution),
            (distribution, RDF.type, DCAT["Distribution"]),
            (distribution, DCTERMS_NS["title"], Literal(name)),
            (
                distribution,
                DCAT["mediaType"],
                Literal(MEDIA_TYPES.get(path.suffix, "application/octet-stream")),
            ),
            (
                distribution,
                DCAT["byteSize"],
                Literal(str(path.stat().st_size), datatype=XSD.nonNegativeInteger),
            ),
            (distribution, DCTERMS_NS["license"], DATA_LICENCE),
            (distribution, SPDX["checksum"], checksum),
            (checksum, SPDX["algorithm"], SPDX["checksumAlgorithm_sha256"]),
            (checksum, SPDX["checksumValue"], Literal(sha256(path))),
        ]
    path = out / "dcat.ttl"
    prefixes = {**VOID_PREFIXES, "spdx": SPDX.iri}
    path.write_bytes(
        serialize_bytes(sorted((Triple(*t) for t in triples), key=str), RdfFormat.TURTLE, prefixes)
    )
    return path


def write_checksums(out: Path) -> Path:
    target = out / CHECKSUMS
    files = sorted(p for p in out.rglob("*") if p.is_file() and p != target)
    lines = [f"{sha256(p)}  {p.relative_to(out).as_posix()}\n" for p in files]
    target.write_text("".join(lines), encoding="utf-8")
    return target
