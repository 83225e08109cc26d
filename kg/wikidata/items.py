"""Reading Wikidata entity JSON (as ``wbgetentities`` returns it) into plain values.

The Action API nests every value in snak objects; these helpers flatten what
geokg needs: labels and aliases by language, and statements as
(value, qualifiers, rank) with item ids and ISO dates as strings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# Wikidata time precision codes (9 = year, 10 = month, 11 = day).
PRECISION_YEAR = 9
PRECISION_MONTH = 10


@dataclass(frozen=True)
class Statement:
    """One claim of an item, flattened: its main value and qualifier values."""

    property: str
    value: str | None  # None for "no value" / "unknown value" snaks
    qualifiers: dict[str, list[str]] = field(default_factory=dict)
    rank: str = "normal"
    id: str | None = None

    def qualifier(self, pid: str) -> str | None:
        values = self.qualifiers.get(pid)
        return values[0] if values else None


def snak_value(snak: dict[str, Any]) -> str | None:
    """The value of a snak as a string: a QID, an ISO date, text or a number."""
    if snak.get("snaktype") != "value":
        return None
    datavalue = snak.get("datavalue") or {}
    value = datavalue.get("value")
    kind = datavalue.get("type")
    if kind == "wikibase-entityid" and isinstance(value, dict):
        return str(value.get("id") or f"Q{value.get('numeric-id')}")
    if kind == "time" and isinstance(value, dict):
        return wikidata_time_to_iso(str(value.get("time", "")), int(value.get("precision", 11)))
    if kind == "monolingualtext" and isinstance(value, dict):
        return str(value.get("text"))
    if kind == "quantity" and isinstance(value, dict):
        return str(value.get("amount", "")).lstrip("+")
    if isinstance(value, str):
        return value
    return None


def wikidata_time_to_iso(time: str, precision: int) -> str:
    """'+1992-05-15T00:00:00Z' -> '1992-05-15', cut to the stated precision.

    Wikidata writes unknown month/day as 00; those become year or year-month
    strings, which are valid xsd:gYear / xsd:gYearMonth lexical forms.
    """
    sign = "-" if time.startswith("-") else ""
    date = time.lstrip("+-").split("T", 1)[0]
    year, month, day = (date.split("-") + ["00", "00"])[:3]
    if precision <= PRECISION_YEAR or month == "00":
        return f"{sign}{year}"
    if precision == PRECISION_MONTH or day == "00":
        return f"{sign}{year}-{month}"
    return f"{sign}{year}-{month}-{day}"


def statements(entity: dict[str, Any], pid: str) -> list[Statement]:
    """The non-deprecated statements of ``entity`` for property ``pid``."""
    found = []
    for claim in entity.get("claims", {}).get(pid, []):
        if claim.get("rank") == "deprecated":
            continue
        qualifiers = {
            qpid: [v for v in (snak_value(s) for s in snaks) if v is not None]
            for qpid, snaks in (claim.get("qualifiers") or {}).items()
        }
        found.append(
            Statement(
                property=pid,
                value=snak_value(claim.get("mainsnak", {})),
                qualifiers=qualifiers,
                rank=str(claim.get("rank", "normal")),
                id=claim.get("id"),
            )
        )
    return found


def values(entity: dict[str, Any], pid: str) -> list[str]:
    """The plain values of ``pid`` (no qualifiers)."""
    return [s.value for s in statements(entity, pid) if s.value is not None]


def label(entity: dict[str, Any], languages: Iterable[str]) -> str | None:
    """The label in the first of ``languages`` that has one."""
    labels = entity.get("labels", {})
    for lang in languages:
        if lang in labels:
            return str(labels[lang]["value"])
    return None


def names(entity: dict[str, Any], languages: Iterable[str]) -> list[str]:
    """Labels and aliases in the given languages, labels first, no repeats."""
    wanted = list(languages)
    found: list[str] = []
    for lang in wanted:
        if lang in entity.get("labels", {}):
            found.append(str(entity["labels"][lang]["value"]))
    for lang in wanted:
        found.extend(str(alias["value"]) for alias in entity.get("aliases", {}).get(lang, []))
    return list(dict.fromkeys(found))
