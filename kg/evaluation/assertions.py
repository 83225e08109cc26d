"""Relations and events as comparable (type, subject, object) tuples.

FORMAT.md: per document, the set of (type, subject QID, object QID) tuples;
symmetric types compare as unordered pairs; an event with several actors or
recipients counts once per pair.  Decisions this module makes, applied alike
to gold and predictions:

* An entity without a QID is referred to by its label, compared after case,
  diacritic and whitespace folding ("label:stanislav zas").
* An event without a recipient (gold ``target_actor`` null, predicted
  ``recipient`` empty): for a symmetric type with two or more actors ("Armenia
  and Azerbaijan clashed"), one tuple per unordered pair of actors; otherwise
  one tuple per actor with the object None ("Algeria requested ...").
* An actor paired with itself is dropped: it asserts nothing between two
  parties (PLOVER GSR codes a government and its rebels with one country).
* Old PLOVER names in gold map to PLOVER 2.0 (``plover2``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import NamedTuple

from kg.model import SYMMETRIC_TYPES

QID_PATTERN = re.compile(r"^Q[1-9][0-9]*$")

# PLOVER 0.5 names still used by older gold (CAMEO GSR, dev.jsonl) -> PLOVER 2.0.
OLD_EVENT_TYPES: dict[str, str] = {
    "FIGHT": "ASSAULT",
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
}


class Assertion(NamedTuple):
    type: str
    subject: str | None
    object: str | None

    def __str__(self) -> str:
        return f"{self.type}({self.subject}, {self.object})"


def plover2(event_type: str) -> str:
    """The PLOVER 2.0 name of an event type (old names mapped, others as given)."""
    upper = event_type.strip().upper()
    return OLD_EVENT_TYPES.get(upper, upper)


def ref_key(ref: str) -> str:
    """How an entity reference is compared: a QID as is, a label normalised."""
    ref = ref.strip()
    if QID_PATTERN.match(ref):
        return ref
    return "label:" + normalise_name(ref)


def generic_key(sector: str, country: str | None, state_sectors: frozenset[str]) -> str:
    """How a generic actor is compared: a state's own sector with a known country
    is that state (FORMAT.md: a government or its army counts as the state);
    any other group is its sector and country ("sector:protesters@Q796")."""
    if country and sector in state_sectors:
        return country
    return f"sector:{sector}@{country or '?'}"


def normalise_name(name: str) -> str:
    """Case, diacritics and spacing folded: "Tamás  Sulyok" -> "tamas sulyok"."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split())


def assertion(kind: str, subject: str | None, obj: str | None) -> Assertion:
    """One tuple; for a symmetric type the pair is put in a canonical order."""
    if kind in SYMMETRIC_TYPES and subject is not None and obj is not None:
        subject, obj = sorted((subject, obj))
    if kind in SYMMETRIC_TYPES and subject is None:
        subject, obj = obj, None
    return Assertion(kind, subject, obj)


def event_assertions(
    kind: str, actors: Sequence[str | None], recipients: Sequence[str | None]
) -> set[Assertion]:
    """The tuples one event counts as (see the module docstring for the rules)."""
    kind = plover2(kind)
    actor_list = _unique(actors)
    recipient_list = _unique(recipients)
    pairs: list[tuple[str | None, str | None]]
    if recipient_list:
        subjects: list[str | None] = list(actor_list) or [None]
        pairs = [(a, r) for a in subjects for r in recipient_list]
    elif kind in SYMMETRIC_TYPES and len(actor_list) >= 2:
        pairs = list(combinations(actor_list, 2))
    else:
        pairs = [(a, None) for a in actor_list]
    return {assertion(kind, a, b) for a, b in pairs if a != b}


def _unique(refs: Iterable[str | None]) -> list[str]:
    seen: list[str] = []
    for ref in refs:
        if ref is not None and ref not in seen:
            seen.append(ref)
    return seen
