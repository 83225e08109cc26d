"""A hand-built Extraction for the RDF, store, query and validation tests.

It stands for what the pipeline should find in a short seed-like article, so the RDF
stage is tested on its own input type without depending on the linker or extractor.
Offsets are computed from the text, so editing the text cannot make them drift.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from kg.model import Document, Entity, Event, Extraction, Mention, Relation, Span

TEXT = (
    "Armenian Prime Minister Nikol Pashinyan said Armenia had asked the CSTO for military help. "
    "Armenia is a member of the CSTO. "
    "Armenian and Azerbaijani forces clashed on the border again. "
    "CSTO Secretary General Stanislav Zas of Belarus will lead a mission to Armenia. "
    "The two states have long fought over Nagorno-Karabakh. "
    "Baku denied it had attacked."
)
WIB = timezone(timedelta(hours=7))


def span_of(phrase: str, occurrence: int = 1, text: str = TEXT) -> Span:
    """The span of the n-th occurrence of a phrase in the text."""
    start = -1
    for _ in range(occurrence):
        start = text.index(phrase, start + 1)
    return Span(start, start + len(phrase), phrase)


def sentence_of(phrase: str, text: str = TEXT) -> Span:
    """The span of the sentence that contains a phrase."""
    at = text.index(phrase)
    start = text.rfind(". ", 0, at)
    start = 0 if start < 0 else start + 2
    end = text.index(".", at) + 1
    return Span(start, end, text[start:end])


def _mentions(*phrases: tuple[str, int]) -> list[Mention]:
    return [Mention(s.start, s.end, s.text) for s in (span_of(p, n) for p, n in phrases)]


def sample_extraction(doc_id: str = "sample-1", lang: str = "en") -> Extraction:
    doc = Document(
        id=doc_id,
        text=TEXT,
        lang=lang,
        published=datetime(2022, 9, 16, 8, 40, tzinfo=WIB),
        url="https://www.example.org/news/armenia-csto",
        title="Armenia asks the CSTO for help",
    )
    entities = [
        Entity("Q399", "Armenia", "state", 0.98, _mentions(("Armenia", 2), ("Armenia", 3))),
        Entity("Q227", "Azerbaijan", "state", 0.95, _mentions(("Baku", 1))),
        Entity("Q318693", "CSTO", "alliance", 0.97, _mentions(("CSTO", 1), ("CSTO", 2))),
        Entity("Q7035479", "Nikol Pashinyan", "person", 0.9, _mentions(("Nikol Pashinyan", 1))),
        Entity("Q184", "Belarus", "state", 0.9, _mentions(("Belarus", 1))),
        Entity("Q44302", "Nagorno-Karabakh", "region", 0.9, _mentions(("Nagorno-Karabakh", 1))),
        Entity(None, "Stanislav Zas", "person", 0.6, _mentions(("Stanislav Zas", 1))),
    ]
    relations = [
        Relation("MEMBER_OF", "Q399", "Q318693", None, 0.9, sentence_of("is a member of")),
        Relation(
            "HOLDS_POSITION", "Q7035479", "Q399", "Prime Minister", 0.85, sentence_of("Prime")
        ),
        Relation(
            "HOLDS_POSITION",
            "Stanislav Zas",
            "Q318693",
            "Secretary General",
            0.8,
            sentence_of("Zas"),
        ),
        Relation("CITIZEN_OF", "Stanislav Zas", "Q184", None, 0.7, sentence_of("Zas")),
        Relation("TERRITORIAL_DISPUTE", "Q399", "Q227", "Q44302", 0.8, sentence_of("fought over")),
    ]
    events = [
        Event(
            "REQUEST",
            "assist",
            ["Military"],
            ["Q399"],
            ["Q318693"],
            "2022-09-13",
            False,
            0.8,
            sentence_of("had asked"),
            actor_persons=["Q7035479"],
        ),
        Event(
            "ASSAULT",
            "firearms",
            ["Military"],
            ["Q399", "Q227"],
            [],
            "2022-09",
            False,
            0.75,
            sentence_of("clashed"),
        ),
        Event(
            "MOBILIZE",
            "mission",
            ["Military"],
            ["Q318693"],
            ["Q399"],
            "2022-09-14",
            False,
            0.7,
            sentence_of("will lead"),
            hypothetical=True,
        ),
        Event("ASSAULT", None, [], ["Q227"], ["Q399"], None, True, 0.5, sentence_of("denied")),
    ]
    return Extraction(doc, entities, relations, events)


def with_events(extraction: Extraction, events: list[Event]) -> Extraction:
    return replace(extraction, events=events)
