"""The geopolitical part of a benchmark, and ISO codes of territories.

A gold mention is geopolitical when its QID is a rigour territory (its
``qid`` or one of its ``other_qids``) or is listed in the evaluation kit's
``reference/wikidata_facts.tsv``.  The TSV is read where it lies, at
evaluation time, never copied into the project.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.errors import InputError


@cache
def territory_qids() -> frozenset[str]:
    from rigour.territories import get_territories

    qids: set[str] = set()
    for territory in get_territories():
        qids.update(q for q in [territory.qid, *territory.other_qids] if q)
    return frozenset(qids)


@cache
def alpha3_by_qid() -> dict[str, str]:
    """ISO 3166 alpha-3 code of each territory QID (a sub-territory takes its parent's)."""
    from rigour.territories import get_territories

    codes: dict[str, str] = {}
    for territory in get_territories():
        code = territory.alpha3 or (territory.parent.alpha3 if territory.parent else None)
        if not code:
            continue
        for qid in [territory.qid, *territory.other_qids]:
            if qid:
                codes.setdefault(qid, code.upper())
    return codes


def read_fact_qids(path: Path) -> frozenset[str]:
    """The QIDs (first column, not PIDs) of wikidata_facts.tsv."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            return frozenset(row[0] for row in rows if row and row[0].startswith("Q"))
    except OSError as error:
        raise InputError(str(path), f"cannot read the Wikidata facts: {error.strerror}") from error


@dataclass(frozen=True)
class GeoSubset:
    """Membership test for the geopolitical subset."""

    qids: frozenset[str]
    source: str  # what it was built from, for the report

    def __contains__(self, qid: object) -> bool:
        return qid in self.qids


def geo_subset_near(gold_dir: Path) -> GeoSubset:
    """The subset for a benchmark under ``reference/``: rigour plus ../wikidata_facts.tsv."""
    facts = gold_dir.parent / "wikidata_facts.tsv"
    if not facts.exists():
        raise InputError(
            str(facts), "missing: the geopolitical subset needs the kit's wikidata_facts.tsv"
        )
    return GeoSubset(territory_qids() | read_fact_qids(facts), f"rigour territories + {facts}")
