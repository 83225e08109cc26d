"""Named SPARQL queries: ``queries/NAME.rq`` files with a comment header.

A query file starts with ``#`` lines that say what it answers and what it takes::

    # title: Members of an organization
    # description: Who is a member of ?org, with status, sentence and source.
    # param: org (qid): the organization, a Wikidata QID (Q318693) or an IRI
    # param: status (iri, optional): only memberships with this status IRI
    # example: kg query members-of-organization --param org=Q318693

Parameters are bound by ``Store.query(..., bindings)``, which writes each value into the
query's patterns as one N-Triples term (``kg.inline``; Oxigraph substitutions where SPARQL
takes no term), and each value is converted by its declared type first: a value that does
not fit its type is an error, and a value that fits can only ever be one RDF term.
Parameter variables must appear in the query's SELECT clause (SEP-0007).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from kg.errors import QueryError
from kg.paths import QUERIES_DIR
from kg.store import Cell, GraphStore, Table, Term
from kg.vocab import PREFIXES, XSD, plover_type, sector_concept, wikidata_entity

_HEADER = re.compile(r"^#\s*(?P<key>[a-z]+)\s*:\s*(?P<value>.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<type>[a-z_]+)(?P<optional>,\s*optional)?\)\s*:\s*(?P<doc>.*)$"
)
_QID = re.compile(r"^[QP][1-9][0-9]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


# --- parameter types ----------------------------------------------------------------------


def _to_iri(value: str) -> NamedNode:
    try:
        return NamedNode(value)
    except ValueError as err:
        raise ValueError(f"not an IRI ({err})") from err


def _to_qid(value: str) -> NamedNode:
    """A Wikidata QID/PID, a ``wd:Q..`` name, or a full IRI (e.g. a minted NIL entity)."""
    bare = value.removeprefix("wd:")
    if _QID.match(bare):
        return wikidata_entity(bare)
    if value.startswith(("http://", "https://")):
        return _to_iri(value)
    raise ValueError("expected a Wikidata QID like Q318693, or an IRI")


def _to_date(value: str) -> Literal:
    if not _DATE.match(value):
        raise ValueError("expected a date as YYYY-MM-DD")
    return Literal(value, datatype=XSD.date)


def _to_int(value: str) -> Literal:
    if not re.fullmatch(r"-?\d+", value):
        raise ValueError("expected an integer")
    return Literal(value, datatype=XSD.integer)


def _to_lang(value: str) -> Literal:
    if not _LANG.match(value):
        raise ValueError("expected a language tag like id, en, ru")
    return Literal(value)


def _to_event_type(value: str) -> NamedNode:
    from kg.model import EVENT_TYPES

    if value.upper() not in EVENT_TYPES:
        raise ValueError(f"expected one of {', '.join(EVENT_TYPES)}")
    return plover_type(value)


def _to_sector(value: str) -> NamedNode:
    from kg.extraction.actors import sectors

    if value not in sectors():
        raise ValueError(f"expected a sector: {', '.join(sectors())}")
    return sector_concept(value)


PARAM_TYPES: dict[str, Callable[[str], Term]] = {
    "qid": _to_qid,
    "iri": _to_iri,
    "string": Literal,
    "date": _to_date,
    "int": _to_int,
    "lang": _to_lang,
    "event_type": _to_event_type,
    "sector": _to_sector,
}


# --- query files --------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    optional: bool
    doc: str

    def bind(self, value: str) -> Term:
        try:
            return PARAM_TYPES[self.type](value)
        except ValueError as err:
            raise QueryError(f"--param {self.name}={value!r}: {err}") from err


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    title: str
    description: str
    params: tuple[Param, ...]
    examples: tuple[str, ...]
    sparql: str

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def example_parameters(self) -> list[dict[str, str]]:
        """The ``--param`` values of each header example that gives any."""
        return [params for e in self.examples if (params := example_parameters(e))]

    def bindings(self, raw: Mapping[str, str]) -> dict[str, Term]:
        """Check and convert ``--param`` values; every required parameter must be given."""
        unknown = sorted(set(raw) - {p.name for p in self.params})
        if unknown:
            known = ", ".join(p.name for p in self.params) or "none"
            raise QueryError(
                f"{self.name}: unknown parameter(s) {', '.join(unknown)}; it takes: {known}"
            )
        missing = [p.name for p in self.params if not p.optional and p.name not in raw]
        if missing:
            raise QueryError(
                f"{self.name}: missing --param {', '.join(missing)}; see its header: {self.path}"
            )
        return {name: self._param(name).bind(value) for name, value in raw.items()}

    def _param(self, name: str) -> Param:
        param = self.param(name)
        if param is None:  # bindings() checked names already
            raise QueryError(f"{self.name}: no parameter {name}")
        return param


def parse_header(name: str, path: Path, text: str) -> NamedQuery:
    """Read the leading ``# key: value`` lines of a query file."""
    fields: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER.match(line)
        if match:
            fields.setdefault(match["key"], []).append(match["value"].strip())
    params = []
    for spec in fields.get("param", []):
        match = _PARAM.match(spec)
        if not match or match["type"] not in PARAM_TYPES:
            raise QueryError(
                f"{path}: bad '# param:' line {spec!r}; write "
                f"'NAME (TYPE[, optional]): what it is' with TYPE one of {', '.join(PARAM_TYPES)}"
            )
        params.append(Param(match["name"], match["type"], bool(match["optional"]), match["doc"]))
    return NamedQuery(
        name=name,
        path=path,
        title=(fields.get("title") or [name])[0],
        description=" ".join(fields.get("description", [])),
        params=tuple(params),
        examples=tuple(fields.get("example", [])),
        sparql=text,
    )


def load_query(name_or_path: str | Path, directory: Path = QUERIES_DIR) -> NamedQuery:
    """A named query (``members-of-organization``) from ``queries/``, or any ``.rq`` file."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".rq" or candidate.exists():
        path = candidate
    elif _NAME.match(str(name_or_path)):
        path = directory / f"{name_or_path}.rq"
    else:
        raise QueryError(f"{name_or_path!r} is neither a query name nor a .rq file")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        names = ", ".join(q.name for q in list_queries(directory)) or "none"
        raise QueryError(
            f"no query {name_or_path!r} (looked for {path}); named queries: {names}"
        ) from None
    except (OSError, UnicodeDecodeError) as err:
        raise QueryError(f"{path}: cannot read: {err}") from err
    return parse_header(path.stem, path, text)


def list_queries(directory: Path = QUERIES_DIR) -> list[NamedQuery]:
    return [load_query(p, directory) for p in sorted(directory.glob("*.rq"))]


def run_query(
    store: GraphStore, name_or_path: str | Path, params: Mapping[str, str] | None = None
) -> Table:
    """Load a named query, bind its parameters safely and run it."""
    query = load_query(name_or_path)
    return store.query(query.sparql, query.bindings(params or {}))


def example_parameters(example: str) -> dict[str, str]:
    """The ``--param key=value`` pairs of a header example, read as a shell reads the
    command ("kg query NAME --param month='2022-09'")."""
    words = shlex.split(example)
    return parse_param_options(
        [value for flag, value in zip(words, words[1:], strict=False) if flag == "--param"]
    )


def parse_param_options(options: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["org=Q318693", ...]`` (the CLI's repeated ``--param``) -> dict."""
    params: dict[str, str] = {}
    for option in options:
        key, sep, value = option.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"--param {option!r}: write it as key=value")
        params[key.strip()] = value
    return params


# --- rendering ----------------------------------------------------------------------------

_PREFIX_BY_IRI = sorted(
    ((iri, prefix) for prefix, iri in PREFIXES.items()), key=lambda p: -len(p[0])
)


def cell_text(cell: Cell, compact: bool = True) -> str:
    """A readable string for one result cell: IRIs as ``prefix:local`` where a prefix fits."""
    if cell is None:
        return ""
    if isinstance(cell, NamedNode):
        if compact:
            for iri, prefix in _PREFIX_BY_IRI:
                if cell.value.startswith(iri) and len(cell.value) > len(iri):
                    return f"{prefix}:{cell.value[len(iri) :]}"
        return cell.value
    if isinstance(cell, BlankNode):
        return f"_:{cell.value}"
    if isinstance(cell, Triple):
        return str(cell)
    return cell.value


def render(table: Table, fmt: str = "table") -> str:
    """A table as an aligned text table, CSV or JSON (a list of row objects), full IRIs in both."""
    if fmt == "table":
        return _render_text(table)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(table.columns)
        writer.writerows([cell_text(c, compact=False) for c in row] for row in table.rows)
        return out.getvalue()
    if fmt == "json":
        return json.dumps(rows_as_dicts(table), ensure_ascii=False, indent=2)
    raise QueryError(f"unknown format {fmt!r}; use table, csv or json")


def _render_text(table: Table, width: int = 60) -> str:
    def clip(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= width else text[: width - 1] + "…"

    rows = [[clip(cell_text(c)) for c in row] for row in table.rows]
    widths = [max([len(col), *(len(r[i]) for r in rows)]) for i, col in enumerate(table.columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(table.columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def _json_term(cell: Cell) -> dict[str, str] | None:
    if cell is None:
        return None
    if isinstance(cell, NamedNode):
        return {"type": "uri", "value": cell.value}
    if isinstance(cell, BlankNode):
        return {"type": "bnode", "value": cell.value}
    if isinstance(cell, Literal):
        term = {"type": "literal", "value": cell.value}
        if cell.language:
            term["xml:lang"] = cell.language
        elif cell.datatype != XSD.string:
            term["datatype"] = cell.datatype.value
        return term
    return {"type": "triple", "value": str(cell)}


def rows_as_dicts(table: Table) -> list[dict[str, str | None]]:
    """One ``{column: value}`` per row: IRIs and literal values as strings, unbound as None."""
    return [
        {
            column: (None if cell is None else cell_text(cell, compact=False))
            for column, cell in zip(table.columns, row, strict=True)
        }
        for row in table.rows
    ]


def sparql_json(table: Table) -> dict[str, object]:
    """The table as SPARQL 1.1 Query Results JSON (terms with their types and datatypes)."""
    bindings = []
    for row in table.rows:
        binding = {}
        for column, cell in zip(table.columns, row, strict=True):
            term = _json_term(cell)
            if term is not None:
                binding[column] = term
        bindings.append(binding)
    return {"head": {"vars": list(table.columns)}, "results": {"bindings": bindings}}
