"""HTTP content negotiation: which of the formats we can produce a client asked for.

Only what the server needs: Accept with q-values and wildcards (RFC 9110 section 12.5.1),
and ``?format=`` as an override for links and for clients that cannot set headers.
Starlette gives the raw header only (no q-values, no matching), so this stays ours.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    q: float
    order: int

    def matches(self, mime: str) -> bool:
        kind, _, sub = mime.partition("/")
        return self.type in ("*", kind) and self.subtype in ("*", sub)

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")


def _parse(accept: str) -> list[_Range]:
    ranges = []
    for order, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        kind, _, sub = fields[0].lower().partition("/")
        if not kind or not sub:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append(_Range(kind, sub, q, order))
    return ranges


def choose(accept: str | None, offers: list[str]) -> str | None:
    """The offer the client prefers most; the first offer when Accept is absent or */*.

    Returns None when the client accepts none of the offers (the caller answers 406).
    """
    if not accept or not accept.strip():
        return offers[0]
    ranges = _parse(accept)
    best: tuple[float, int, int, int] | None = None
    chosen = None
    for index, offer in enumerate(offers):
        matching = [r for r in ranges if r.matches(offer)]
        if not matching:
            continue
        # The most specific range decides the q-value of this offer (RFC 9110).
        top = max(matching, key=lambda r: (r.specificity, -r.order))
        if top.q <= 0:
            continue
        # Prefer higher q, then an explicit mention over a wildcard, then our order.
        key = (top.q, top.specificity, -top.order if top.specificity == 2 else 0, -index)
        if best is None or key > best:
            best, chosen = key, offer
    return chosen
