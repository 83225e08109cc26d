"""Generic actors: "police", "Iraqi protesters", "militants", "силовики", "المتظاهرين".

Most of what acts in news is no named entity.  Like POLECAT and ICEWS, such an
actor is coded with a *sector* (``kg/data/actors/sectors.json``, aligned with the
CAMEO agent codes; the ontology's SKOS scheme ``ontology/sectors.ttl``) and a
*country*: the state named right next to it ("Iraqi police", "polisi Indonesia",
"forces of Azerbaijan"), else the state the document is most about, else the state
the report comes from (``outlet.home_state``: "Jandarma" in a Turkish report that
names no state is Turkey's), else the one state its web address names
(``outlet.scene_state``: ".../fr/Algerie/un-journaliste-arrete..."), else unknown.
A state's organs (government, police, army ...) with no state next to them are the
home state's where the report names it.

Words are matched by their Snowball stems (PyStemmer), so the data lists lemmas
and "demonstranten", "Demonstranten", "demonstrantów" need no listing of their own.

A state sector (government, army, police ...) with a country named next to it is
that state (FORMAT.md: "a government, its army ... count as the state"): the
state's own mention already acts, so no generic actor is made for it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from kg.extraction.words import document_words, words_of
from kg.model import Entity, Mention
from kg.paths import DATA_DIR

SECTORS_PATH = DATA_DIR / "actors" / "sectors.json"
GENERIC_SCORE = 0.6
# What may stand between a group's word and the state it belongs to:
# "Iraqi police", "Israel's army", "forces of Azerbaijan", "polisi Indonesia".
_LINK_WORDS = frozenset(
    {"", "'s", "’s", "'", "of", "of the", "de", "du", "des", "de la", "del", "do", "da", "dos",
     "das", "der", "в", "из"}
)  # fmt: skip
_COUNTRY_TYPES = frozenset({"state"})
_PLACE_TYPES = frozenset({"region", "city"})
# Sectors that name a place's people: next to a named place they are who suffers there
# (the event's recipient is the place), not a group of their own.
POPULATIONS = frozenset({"civilians", "refugees"})


@dataclass(frozen=True)
class Sector:
    name: str
    cameo: str
    state: bool  # a group of this sector with a known country acts as that state
    entity_type: str


@dataclass(frozen=True)
class SectorWords:
    """One language's sector phrases: by their words' Snowball stems (as ``words_of``
    stems a text), each with the folded forms it was listed with and its sector."""

    phrases: dict[tuple[str, ...], list[tuple[tuple[str, ...], str]]]  # stems -> (forms, sector)
    longest: int
    first_stems: frozenset[str]  # most words begin no phrase: one set look-up skips them


def same_word(token: str, listed: str) -> bool:
    """Whether a token with the listed word's stem is that word: it must keep all but
    the last letter of the listed form, so that inflections match ("силовиков" for
    "силовики", "policía" for "policías") and a verb that shares the stem does not
    ("protested" is not "protesters", "berunjuk" is not "pengunjuk")."""
    token = token.casefold()  # already folded as its language folds (``words_of``)
    need = len(listed) - 1
    return token[:need] == listed[:need]


@cache
def sectors() -> dict[str, Sector]:
    raw = _raw()
    return {name: Sector(name=name, **fields) for name, fields in raw["sectors"].items()}


@cache
def state_sectors() -> frozenset[str]:
    """Sectors whose groups act for their state when its country is known."""
    return frozenset(name for name, sector in sectors().items() if sector.state)


@cache
def _raw() -> dict[str, Any]:
    with SECTORS_PATH.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


@cache
def sector_words(lang: str) -> SectorWords | None:
    """The sector phrases of ``lang`` as stem tuples (None: no data for it)."""
    words = _raw()["words"].get(lang)
    if not words:
        return None
    phrases: dict[tuple[str, ...], list[tuple[tuple[str, ...], str]]] = {}
    for sector, forms in words.items():
        for form in forms:
            # The listed form read exactly as a text is (``words_of``), so its stems
            # are the ones the document's words get.
            read = words_of(form, lang)
            phrases.setdefault(tuple(read.stems), []).append((tuple(read.folded), sector))
    first_stems = frozenset(key[0] for key in phrases)
    return SectorWords(phrases, max(len(k) for k in phrases), first_stems)


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    sector: str
    country: str | None


CountryOf = Callable[[str], "str | None"]


def find_generic_actors(
    text: str,
    lang: str,
    entities: list[Entity],
    country_of: CountryOf | None = None,
    home: str | None = None,
) -> list[Entity]:
    """The generic actors of a document, one Entity per (sector, country, label).

    ``country_of`` gives the state of a city or region (the linker's knowledge), so
    that "police in Brasília" in a text that never names Brazil still gets its state.
    ``home`` is the state the report comes from, for a document that names none.
    """
    words = sector_words(lang)
    if words is None:
        return []
    taken = sorted((m.start, m.end) for e in entities for m in e.mentions)
    states = _state_mentions(entities)
    places = _place_mentions(entities)
    context_country = _main_state(entities, country_of) or home
    # A report's own state's organs go unqualified ("Dışişleri Bakanlığı", "the Foreign
    # Ministry" in a Turkish report on Somalia are Türkiye's): a state sector takes the
    # home state where the report names it (train split: 6 more events right, dev 2).
    own_country = home if home in {ref for _, _, ref in states} else None
    found: list[_Found] = []
    for start, end, sector in _phrases(text, lang, words):
        if _inside(taken, start, end):
            continue  # part of a name: "Armed Forces of the Philippines", "Polri"
        if sector in POPULATIONS and _adjacent_state(text, start, end, places):
            continue  # "penduduk Gaza", "residents of Rafah": a place's people, not an actor
        neighbour = _adjacent_state(text, start, end, states)
        if neighbour is not None and sectors()[sector].state:
            continue  # "pasukan Azerbaijan": the state's own mention acts
        if neighbour is not None:
            n_start, n_end, country = neighbour
            found.append(_Found(min(start, n_start), max(end, n_end), sector, country))
        elif own_country is not None and sectors()[sector].state:
            found.append(_Found(start, end, sector, own_country))
        else:
            found.append(_Found(start, end, sector, context_country))
    return _as_entities(text, found)


def _phrases(text: str, lang: str, words: SectorWords) -> list[tuple[int, int, str]]:
    """(start, end, sector) of every sector phrase, longest first, not overlapping."""
    found = document_words(text, lang)
    stems = found.stems
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(stems):
        if stems[i] not in words.first_stems:
            i += 1
            continue
        for size in range(min(words.longest, len(stems) - i), 0, -1):
            sector = _sector_of(words, found.folded[i : i + size], stems[i : i + size])
            if sector is not None:
                out.append((found.starts[i], found.ends[i + size - 1], sector))
                i += size
                break
        else:
            i += 1
    return out


def _sector_of(words: SectorWords, folded: list[str], stems: list[str]) -> str | None:
    for forms, sector in words.phrases.get(tuple(stems), ()):
        if all(same_word(word, form) for word, form in zip(folded, forms, strict=True)):
            return sector
    return None


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in spans)


def _state_mentions(entities: list[Entity]) -> list[tuple[int, int, str]]:
    return sorted(
        (m.start, m.end, e.ref) for e in entities if e.type in _COUNTRY_TYPES for m in e.mentions
    )


def _place_mentions(entities: list[Entity]) -> list[tuple[int, int, str]]:
    return sorted(
        (m.start, m.end, e.ref) for e in entities if e.type in _PLACE_TYPES for m in e.mentions
    )


def _adjacent_state(
    text: str, start: int, end: int, states: list[tuple[int, int, str]]
) -> tuple[int, int, str] | None:
    """A state mention right before or after the phrase, with only a link word between."""
    for s_start, s_end, ref in states:
        if s_end <= start and _link(text[s_end:start]):
            return s_start, s_end, ref
        if s_start >= end and _link(text[end:s_start]):
            return s_start, s_end, ref
    return None


def _link(gap: str) -> bool:
    return len(gap) <= 8 and gap.strip().casefold() in _LINK_WORDS


def _main_state(entities: list[Entity], country_of: CountryOf | None = None) -> str | None:
    """The state a document is most about: the one named most (a city or region
    counting for its state); of states named equally often, the one named first (a
    lead names its main actor first: on the training split this gave 13 more events
    right than leaving tied documents without a country)."""
    counts: Counter[str] = Counter()
    first_at: dict[str, int] = {}
    for entity in entities:
        state = entity.ref if entity.type in _COUNTRY_TYPES else None
        if entity.type in _PLACE_TYPES and entity.qid and country_of is not None:
            state = country_of(entity.qid)
        if state is None or not entity.mentions:
            continue
        counts[state] += len(entity.mentions)
        first = min(m.start for m in entity.mentions)
        first_at[state] = min(first, first_at.get(state, first))
    if not counts:
        return None
    most = max(counts.values())
    return min((at, ref) for ref, at in first_at.items() if counts[ref] == most)[1]


def _as_entities(text: str, found: list[_Found]) -> list[Entity]:
    grouped: dict[tuple[str, str | None, str], Entity] = {}
    for item in found:
        written = text[item.start : item.end]
        key = (item.sector, item.country, " ".join(written.casefold().split()))
        entity = grouped.get(key)
        if entity is None:
            sector = sectors()[item.sector]
            entity = Entity(
                qid=None,
                label=" ".join(written.split()),
                type=sector.entity_type,
                score=GENERIC_SCORE,
                country=item.country,
                sector=item.sector,
            )
            grouped[key] = entity
        entity.mentions.append(Mention(item.start, item.end, written, method="generic-actor"))
    return _unique_labels(list(grouped.values()))


def _unique_labels(entities: list[Entity]) -> list[Entity]:
    """Events refer to a generic actor by its label: two of one label (the same
    word in two sectors' data) would be one ref, so the later one is dropped."""
    seen: set[str] = set()
    out = []
    for entity in entities:
        if entity.label not in seen:
            seen.add(entity.label)
            out.append(entity)
    return out
