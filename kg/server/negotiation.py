"""HTTP content negotiation: which of the formats we can produce a client asked for.

Accept with q-values and wildcards (RFC 9110 section 12.5.1) as Werkzeug parses and
matches it (Starlette gives the raw header only), and ``?format=`` as an override for
links and for clients that cannot set headers.
"""

from __future__ import annotations

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

HTML = "text/html"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
JSONLD = "application/ld+json"
TRIG = "application/trig"
NQUADS = "application/n-quads"

# Short names for ?format= and file extensions of the /data/ documents.
RDF_FORMATS: dict[str, str] = {"ttl": TURTLE, "nt": NTRIPLES, "jsonld": JSONLD}
EXTENSION_OF: dict[str, str] = {mime: ext for ext, mime in RDF_FORMATS.items()}

SPARQL_RESULTS: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
SPARQL_GRAPHS: dict[str, str] = {
    "ttl": TURTLE,
    "nt": NTRIPLES,
    "jsonld": JSONLD,
    "xml": "application/rdf+xml",
}


def choose(accept: str | None, offers: list[str]) -> str | None:
    """The offer the client prefers most (q-values, then the most specific range, then
    our order); the first offer when Accept is absent.  None when the client accepts
    none of them (the caller answers 406)."""
    if not accept or not accept.strip():
        return offers[0]
    return parse_accept_header(accept, MIMEAccept).best_match(offers)
