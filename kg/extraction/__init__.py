"""Events and relations: who did what to whom, and what holds between whom.

The two pipeline stages (``kg/pipeline.py``)::

    extract_relations(doc, entities) -> list[Relation]
    extract_events(doc, entities) -> list[Event]

Both read the same per-document analysis (article sentences without page
boilerplate, participants of each sentence, relations), computed once per
document.  Everything language-specific is in ``kg/data/lexicons/<lang>.json``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable

from kg.extraction.actors import CountryOf, find_generic_actors
from kg.extraction.analysis import analyse
from kg.extraction.lexicon import available_languages, load_lexicon
from kg.extraction.outlet import scene_state
from kg.model import Document, Entity, Event, Relation

__all__ = [
    "GenericActors",
    "extract_events",
    "extract_generic_actors",
    "extract_relations",
    "prepare",
]


def prepare(languages: Iterable[str] | None = None) -> None:
    """Compile the lexicons of ``languages`` (default: all) now rather than on the
    first document in each language -- for long runs and benchmarks (~0.3 s for all).

    A long run keeps what is built by then (the pipeline's alias index, the lexicons)
    to its end, so it is frozen out of the cyclic garbage collector's sight
    (``gc.freeze``): every full collection walked the alias index again, 30 ms and
    more each time, and a run has one every hundred or two documents.
    (No ``gc.collect()`` first: it would untrack the index's table, which the
    linker's first look-ups then track anew, outside the frozen set.)
    """
    for lang in languages if languages is not None else available_languages():
        load_lexicon(lang)
    gc.freeze()


def extract_relations(doc: Document, entities: list[Entity]) -> list[Relation]:
    """MEMBER_OF, HOLDS_POSITION, LEADS, TERRITORIAL_DISPUTE, PART_OF, CITIZEN_OF, ALLY_OF."""
    return list(analyse(doc, entities).relations)


def extract_events(doc: Document, entities: list[Entity]) -> list[Event]:
    """PLOVER 2.0 events, one per real-world event, with every supporting sentence."""
    return list(analyse(doc, entities).events)


def extract_generic_actors(doc: Document, entities: list[Entity]) -> list[Entity]:
    """Police, armies, militants, protesters ...: actors with a sector and a country
    (without the linker's knowledge of where cities lie: see ``GenericActors``)."""
    return find_generic_actors(doc.text, doc.lang, entities, home=scene_state(doc.url, doc.lang))


class GenericActors:
    """The generic-actor stage with the linker's knowledge of which state a city or
    region lies in ("police in Brasília" -> Brazil)."""

    def __init__(self, country_of: CountryOf) -> None:
        self.country_of = country_of

    def __call__(self, doc: Document, entities: list[Entity]) -> list[Entity]:
        home = scene_state(doc.url, doc.lang)
        return find_generic_actors(doc.text, doc.lang, entities, self.country_of, home)
