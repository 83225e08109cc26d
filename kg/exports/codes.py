"""Code lists and crosswalks for the exports, read from the ontology graph of the store.

The ontology (``ontology/plover.ttl``, ``membership-status.ttl``, ``geokg.ttl``) is the one
source: PLOVER types, modes and contexts, the PLOVER -> CAMEO root-code crosswalk with the
strength of each match, COW IGO codes of membership statuses, UCDP incompatibilities.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kg.exports.source import Row, Source

# Strongest SKOS mapping first: the first CAMEO root of a type is its dyadic-file code.
MATCH_ORDER = {"exact": 0, "close": 1, "broad": 2, "narrow": 3}


@dataclass(frozen=True)
class CameoMatch:
    root: str
    label: str
    match: str


@dataclass
class Codes:
    crosswalk: dict[str, list[CameoMatch]] = field(default_factory=dict)
    quad_class: dict[str, str] = field(default_factory=dict)
    lists: list[Row] = field(default_factory=list)

    def cameo_roots(self, event_type: str) -> list[CameoMatch]:
        return self.crosswalk.get(event_type, [])

    def primary_cameo(self, event_type: str) -> CameoMatch | None:
        roots = self.cameo_roots(event_type)
        return roots[0] if roots else None


def read_codes(source: Source) -> Codes:
    matches: dict[str, list[CameoMatch]] = defaultdict(list)
    quads: dict[str, str] = {}
    for row in source.rows("crosswalk"):
        event_type = row["event_type"] or ""
        if row.get("quad_class"):
            quads[event_type] = row["quad_class"] or ""
        if row.get("cameo_root"):
            matches[event_type].append(
                CameoMatch(
                    row["cameo_root"] or "", row.get("cameo_label") or "", row.get("match") or ""
                )
            )
    crosswalk = {
        t: sorted(ms, key=lambda m: (MATCH_ORDER.get(m.match, 9), m.root))
        for t, ms in matches.items()
    }
    return Codes(crosswalk=crosswalk, quad_class=quads, lists=source.rows("code_lists"))
