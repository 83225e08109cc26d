"""The one data model every pipeline stage reads and writes.

Document -> Mention -> Entity -> Relation / Event -> Extraction.  Stages are
functions over these types (see ``kg/pipeline.py``); nothing else crosses a
stage boundary.  ``Extraction.to_json`` is the public ``geokg-extract/1``
interface described in ``docs/FORMAT`` of the evaluation kit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

EXTRACT_FORMAT = "geokg-extract/1"

EntityType = Literal[
    "state",
    "organization",
    "alliance",
    "person",
    "region",
    "city",
    "conflict",
    "armed_forces",
    "other",
]
ENTITY_TYPES: tuple[str, ...] = EntityType.__args__  # type: ignore[attr-defined]

RELATION_TYPES: tuple[str, ...] = (
    "MEMBER_OF",
    "HOLDS_POSITION",
    "LEADS",
    "TERRITORIAL_DISPUTE",
    "PART_OF",
    "CITIZEN_OF",
    "ALLY_OF",
)

EVENT_TYPES: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)

# Compared as unordered pairs when scoring (FORMAT.md).
SYMMETRIC_TYPES: frozenset[str] = frozenset(
    {"ASSAULT", "CONSULT", "AGREE", "COOPERATE", "TERRITORIAL_DISPUTE", "ALLY_OF"}
)


@dataclass(frozen=True)
class Span:
    """A half-open character range [start, end) of ``Document.text``."""

    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass
class Document:
    """One news article as read from a source, before any analysis.

    ``text`` is exactly what was decoded from the source: every offset in the
    pipeline indexes into it.  ``body`` lists the spans that are article text
    (not the timestamp line, the closing source line, ...); readers that do not
    know the layout leave it empty, meaning "all of it".
    """

    id: str
    text: str
    lang: str
    published: datetime | None = None
    url: str | None = None
    source: str | None = None  # file path (and line) it was read from
    title: str | None = None
    body: list[Span] = field(default_factory=list)
    # Content hash of the source record (kg.documents.Record.fingerprint): a
    # re-run skips a document whose stored fingerprint is unchanged.
    fingerprint: str | None = None

    @property
    def published_iso(self) -> str | None:
        return self.published.isoformat() if self.published else None


@dataclass(frozen=True)
class Mention:
    """A span of text that names an entity, with how it was matched."""

    start: int
    end: int
    text: str
    # How the mention was matched: "alias", "acronym", "metonym", "person-cue",
    # "organization-name", "coreference", ... -- kept for error analysis and provenance.
    method: str = "alias"

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass
class Entity:
    """A real-world thing the document talks about, with all its mentions.

    ``qid`` is None for an entity the linker found but could not (or would
    not) link; such an entity is referred to by its ``label``.
    """

    qid: str | None
    label: str
    type: str
    score: float
    mentions: list[Mention] = field(default_factory=list)
    # Why a link was made where the evidence is worth keeping (online NIL
    # resolution records its candidates and checks); written to RDF.
    link_reason: str | None = None
    # Generic actors ("Iraqi police", "protesters"; kg/extraction/actors.py): the
    # state they belong to (a QID, None when unknown) and their sector.
    country: str | None = None
    sector: str | None = None

    @property
    def is_generic(self) -> bool:
        return self.sector is not None

    @property
    def ref(self) -> str:
        """How relations and events refer to this entity (FORMAT.md)."""
        return self.qid or self.label

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "qid": self.qid,
            "label": self.label,
            "type": self.type,
            "score": round(self.score, 4),
            "mentions": [m.to_json() for m in sorted(self.mentions, key=lambda m: m.start)],
        }
        if self.is_generic:
            out["country"] = self.country
            out["sector"] = self.sector
        return out


@dataclass
class Relation:
    """A state of affairs the text asserts: membership, position, dispute..."""

    type: str
    subject: str  # Entity.ref
    object: str  # Entity.ref
    extra: str | None
    score: float
    evidence: Span

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "subject": self.subject,
            "object": self.object,
            "extra": self.extra,
            "score": round(self.score, 4),
            "evidence": self.evidence.to_json(),
        }


@dataclass
class Event:
    """Something that happened between actors, coded with PLOVER 2.0."""

    type: str
    mode: str | None
    context: list[str]
    actor: list[str]  # Entity.ref of each actor
    recipient: list[str]
    date: str | None  # ISO date at its precision: "2022", "2022-09", "2022-09-14"
    negated: bool
    score: float
    evidence: Span
    # Further sentences reporting the same real-world event.
    more_evidence: list[Span] = field(default_factory=list)
    hypothetical: bool = False  # threatened, proposed, "would", "akan"
    claimed: bool = False  # reported as somebody's claim ("X said Y seized...")
    actor_persons: list[str] = field(default_factory=list)  # Entity.ref of speakers
    location: str | None = None  # Entity.ref
    # Document offset of the word that signalled it; not in the output: the side
    # chooser (kg.extraction.sides) reads where the parties stand against it.
    anchor: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "mode": self.mode,
            "context": list(self.context),
            "actor": list(self.actor),
            "recipient": list(self.recipient),
            "date": self.date,
            "negated": self.negated,
            "hypothetical": self.hypothetical,
            "claimed": self.claimed,
            "actor_persons": list(self.actor_persons),
            "location": self.location,
            "score": round(self.score, 4),
            "evidence": self.evidence.to_json(),
            "more_evidence": [s.to_json() for s in self.more_evidence],
        }


@dataclass
class Extraction:
    """Everything the pipeline found in one document."""

    document: Document
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # What the pipeline reads in the document's language: "linking", or "linking and
    # events" (kg.extraction.support); None where no pipeline said.
    support: str | None = None

    def entity(self, ref: str) -> Entity | None:
        return next((e for e in self.entities if e.ref == ref), None)

    def to_json(self) -> dict[str, Any]:
        doc = self.document
        return {
            "format": EXTRACT_FORMAT,
            "id": doc.id,
            "lang": doc.lang,
            "published": doc.published_iso,
            "url": doc.url,
            "entities": [e.to_json() for e in self.entities],
            "relations": [r.to_json() for r in self.relations],
            "events": [e.to_json() for e in self.events],
            **({"support": self.support} if self.support else {}),
        }
