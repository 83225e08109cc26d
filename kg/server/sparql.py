"""The front's own SPARQL: query files read once, values bound safely, results parsed.

The server's pages ask the backend with the queries in ``kg/server/queries/*.rq``.  A
value reaches a query only as an RDF term serialised by pyoxigraph (``str(NamedNode)``
validates the IRI and ``str(Literal)`` escapes the text), placed in a ``VALUES`` block at
the start of the WHERE clause -- never spliced in as SPARQL syntax of its own.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from kg.errors import QueryError
from kg.server.backend import OxigraphBackend, Reply
from kg.vocab import PREFIXES

QUERY_DIR = Path(__file__).resolve().parent / "queries"
SPARQL_JSON = "application/sparql-results+json"

Term = NamedNode | Literal
Values = Term | list[NamedNode] | list[Literal] | list[Term]


@cache
def load_query(name: str) -> str:
    path = QUERY_DIR / f"{name}.rq"
    return path.read_text(encoding="utf-8")


def prologue() -> str:
    """PREFIX lines for every namespace of kg.vocab, so query files need not repeat them."""
    return "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in sorted(PREFIXES.items()))


def bind(sparql: str, values: dict[str, Values]) -> str:
    """Bind variables by a VALUES block opening the outermost WHERE group.

    A list binds a variable to each of its terms in turn (one solution per term).
    """
    if not values:
        return sparql
    match = _WHERE.search(_mask_comments(sparql))
    if match is None:
        raise QueryError("a query with parameters needs a 'WHERE {' clause")
    cut = match.end()
    block = ""
    for name, value in values.items():
        if not _VARIABLE.match(name):
            raise QueryError(f"{name!r} is not a SPARQL variable name")
        terms = value if isinstance(value, list) else [value]
        if not all(isinstance(t, NamedNode | Literal) for t in terms):
            raise QueryError(f"?{name} must be bound to RDF terms")
        block += f"\n  VALUES ?{name} {{ {' '.join(str(t) for t in terms)} }}"
    return sparql[:cut] + block + sparql[cut:]


_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def _mask_comments(sparql: str) -> str:
    """The text with whole-line comments blanked (same length), so offsets still fit."""
    return "\n".join(
        " " * len(line) if line.lstrip().startswith("#") else line for line in sparql.split("\n")
    )


@dataclass
class Client:
    """Runs the server's own queries against the backend, with the server's limits."""

    backend: OxigraphBackend
    time_limit_s: float
    max_bytes: int

    def raw(self, sparql: str, accept: str) -> Reply:
        return self.backend.query(
            sparql, accept, max_bytes=self.max_bytes, timeout_s=self.time_limit_s
        )

    def select(self, name: str, **values: Values) -> list[dict[str, str]]:
        """Rows of a named SELECT as {variable: value}; unbound variables are left out."""
        reply = self.raw(prologue() + bind(load_query(name), values), SPARQL_JSON)
        data = _json_results(reply, name)
        return [{k: v["value"] for k, v in row.items()} for row in data["results"]["bindings"]]

    def ask(self, name: str, **values: Values) -> bool:
        reply = self.raw(prologue() + bind(load_query(name), values), SPARQL_JSON)
        return bool(_json_results(reply, name)["boolean"])

    def graph(self, name: str, accept: str, **values: Values) -> Reply:
        """A CONSTRUCT, serialised by the backend in the negotiated format."""
        return self.raw(prologue() + bind(load_query(name), values), accept)


def _json_results(reply: Reply, name: str) -> dict:  # type: ignore[type-arg]
    if reply.status != 200 or reply.truncated:
        problem = "result too large" if reply.truncated else reply.body.decode(errors="replace")
        raise QueryError(f"server query {name} failed ({reply.status}): {problem[:300]}")
    try:
        return json.loads(reply.body)  # type: ignore[no-any-return]
    except json.JSONDecodeError as error:
        # Oxigraph ends a cancelled (timed-out) stream with a plain-text message.
        raise QueryError(f"server query {name} was cut off (time limit?)") from error
