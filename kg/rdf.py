"""Extraction -> RDF quads: the one place that decides how the graph looks.

Everything extracted from one document goes into one named graph
(``{base}graph/{doc}``), so a document can be replaced as a whole.  The graph holds:

- the document (``{base}doc/{doc}``) with its PROV-O provenance, and its text as a
  NIF 2.0 ``nif:Context`` (``{base}doc/{doc}#char=0,N``);
- every mention as a ``nif:Phrase`` (``#char=s,e``) with ``itsrdf:taIdentRef`` to the
  entity, and each entity's type and label;
- relations and events as nodes (``org:Membership``, ``gk:PositionHolding``,
  ``gk:Dispute``, ``gk:StatedRelation``, ``sem:Event``) each with its evidence span(s),
  confidence and provenance, plus a shortcut edge where the ontology defines one.

IRIs are deterministic: linked entities keep their Wikidata IRI; everything minted is
``{base}{kind}/{hash}`` where the hash covers the document id, the type, the
participants and the evidence span.  The same extraction always gives the same quads
(no timestamps, no blank nodes), which is what lets a re-build add nothing twice.

What the extractor said is written as it said it -- an unknown event type or membership
status is not dropped or corrected here -- so that SHACL validation (``kg/validate.py``)
is where a bad extraction shows up.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from kg import __version__
from kg.model import Document, Entity, Event, Extraction, Relation, Span
from kg.paths import ONTOLOGY_DIR
from kg.vocab import (
    DCTERMS,
    DEFAULT_BASE_IRI,
    ENTITY_CLASS,
    GK,
    ITSRDF,
    MEMBER_OF_STATUSES,
    NIF,
    ORG,
    PLOVER_NS,
    PROV,
    RDF,
    RDFS,
    SEM,
    SKOS,
    STATED_RELATION_PROPERTY,
    XSD,
    plover_context,
    plover_mode,
    plover_type,
    sector_concept,
    status_concept,
    wikidata_entity,
)

log = logging.getLogger(__name__)

BASE_IRI_ENV = "GEOKG_BASE_IRI"
_QID = re.compile(r"^Q[1-9][0-9]*$")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_DATE_TYPES = (
    (re.compile(r"^\d{4}$"), XSD.gYear),
    (re.compile(r"^\d{4}-\d{2}$"), XSD.gYearMonth),
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), XSD.date),
)


# Relation.extra spellings of a full membership (FORMAT.md leaves extra null for it).
_STATUS_ALIASES = {"full": "full", "member": "full", "full member": "full", "": "full"}


class RdfMappingError(ValueError):
    """An extraction that cannot be expressed in the ontology (e.g. an unknown relation type)."""


# --- IRIs -----------------------------------------------------------------------------------


def resolve_base_iri(base_iri: str | None = None) -> str:
    """The base for minted IRIs: the argument, else $GEOKG_BASE_IRI, else the default."""
    base = base_iri or os.environ.get(BASE_IRI_ENV) or DEFAULT_BASE_IRI
    NamedNode(base)  # raises ValueError on a malformed IRI, before anything is minted
    return base if base.endswith(("/", "#")) else base + "/"


def _digest(*parts: str) -> str:
    # Unit separator between parts so ("ab", "c") and ("a", "bc") differ.
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9a-z]+", "-", ascii_text.lower()).strip("-")[:40]


@dataclass(frozen=True)
class Iris:
    """Mints every IRI of a build from its base."""

    base: str

    def _mint(self, kind: str, local: str) -> NamedNode:
        return NamedNode(f"{self.base}{kind}/{local}")

    @staticmethod
    def _doc_key(doc_id: str) -> str:
        return quote(doc_id, safe="-._~")

    def document(self, doc_id: str) -> NamedNode:
        return self._mint("doc", self._doc_key(doc_id))

    def graph(self, doc_id: str) -> NamedNode:
        return self._mint("graph", self._doc_key(doc_id))

    def span(self, doc_id: str, start: int, end: int) -> NamedNode:
        # RFC 5147 / NIF offset IRIs, as GERBIL expects.
        return NamedNode(f"{self.document(doc_id).value}#char={start},{end}")

    def activity(self, doc_id: str) -> NamedNode:
        return self._mint("activity", _digest(doc_id, __version__))

    def agent(self) -> NamedNode:
        return self._mint("agent", f"geokg-{__version__}")

    def nil_entity(self, entity_type: str, label: str) -> NamedNode:
        # Not per document: the same unlinked name of the same type is one node across a build.
        digest = _digest(entity_type, " ".join(label.lower().split()))
        slug = _slug(label)
        return self._mint("entity", f"{slug}-{digest[:10]}" if slug else digest)

    def generic_actor(self, sector: str, country: str | None) -> NamedNode:
        # One node per sector and country across a build, as POLECAT codes actors:
        # "Iraqi police" and "security forces" in Baghdad are one actor.
        return self._mint("actor", f"{sector}-{country or 'unknown'}")

    def tally(self, doc_id: str, entity: NamedNode) -> NamedNode:
        return NamedNode(f"{self.document(doc_id).value}#mentions-{_digest(entity.value)[:16]}")

    def post(self, organization: NamedNode, position: str) -> NamedNode:
        return self._mint("post", _digest(organization.value, " ".join(position.lower().split())))

    def assertion(self, kind: str, doc_id: str, *parts: str) -> NamedNode:
        return self._mint(kind, _digest(doc_id, kind, *parts))


def document_graph(doc_id: str, base_iri: str | None = None) -> NamedNode:
    """The named graph of a document (what ``Store.write_extraction`` replaces)."""
    return Iris(resolve_base_iri(base_iri)).graph(doc_id)


def entity_iri(entity: Entity, base_iri: str | None = None) -> NamedNode:
    """Wikidata IRI of a linked entity, minted IRI of an unlinked one."""
    if entity.qid:
        return wikidata_entity(entity.qid)
    iris = Iris(resolve_base_iri(base_iri))
    if entity.sector is not None:
        return iris.generic_actor(entity.sector, entity.country)
    return iris.nil_entity(entity.type, entity.label)


# --- code lists read from the ontology --------------------------------------------------------


@lru_cache(maxsize=1)
def _plover_concepts() -> frozenset[str]:
    """IRIs of every PLOVER type, mode and context concept in ontology/plover.ttl."""
    quads = parse(path=str(ONTOLOGY_DIR / "plover.ttl"), format=RdfFormat.TURTLE)
    return frozenset(
        q.subject.value
        for q in quads
        if q.predicate == SKOS.inScheme and q.object.value.startswith(PLOVER_NS.iri)
    )


@lru_cache(maxsize=1)
def _role_labels() -> tuple[tuple[str, NamedNode], ...]:
    """(lower-case label, org:Role) pairs from ontology/geokg.ttl, longest label first."""
    quads = list(parse(path=str(ONTOLOGY_DIR / "geokg.ttl"), format=RdfFormat.TURTLE))
    roles = {q.subject for q in quads if q.predicate == RDF.type and q.object == ORG.Role}
    pairs = {
        (q.object.value.lower(), NamedNode(q.subject.value))
        for q in quads
        if q.subject in roles and q.predicate in (SKOS.prefLabel, SKOS.altLabel)
    }
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p[0], p[1].value)))


def post_role(position: str) -> NamedNode | None:
    """The org:Role whose label occurs (as whole words) in a position's text, if any."""
    text = position.lower()
    for label, role in _role_labels():
        if re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text):
            return role
    return None


# --- literals ---------------------------------------------------------------------------------


def _int(value: int) -> Literal:
    # NIF declares xsd:nonNegativeInteger, but Oxigraph stores every integer-derived type as
    # xsd:integer; writing xsd:integer keeps what we map and what the store holds identical.
    # The shapes check the value is >= 0.
    return Literal(str(value), datatype=XSD.integer)


def _bool(value: bool) -> Literal:
    return Literal("true" if value else "false", datatype=XSD.boolean)


def _confidence(score: float) -> Literal:
    # Fixed precision: a float's repr could differ between runs of different code paths.
    return Literal(f"{score:.4f}", datatype=XSD.decimal)


def _date(value: str) -> Literal:
    for pattern, datatype in _DATE_TYPES:
        if pattern.match(value):
            return Literal(value, datatype=datatype)
    return Literal(value)  # kept as said; the shapes flag it


def _url_term(url: str) -> NamedNode | Literal:
    if _URL.match(url):
        try:
            return NamedNode(url)
        except ValueError:
            pass
    return Literal(url)


# --- the mapping ------------------------------------------------------------------------------

# (subject, predicate, object) of one triple, as pyoxigraph terms
TermTriple = tuple[NamedNode, NamedNode, NamedNode | Literal]


# How much of the text's annotation a document graph keeps (``kg build --annotations``):
# "light" keeps what users query -- the evidence spans of assertions, and which entities
# the document mentions and how often (gk:mentions, gk:MentionTally); "full" adds every
# mention as a NIF phrase linked to its entity, for GERBIL-style use.  Measured on the
# bench corpus: mentions were about 490 of a document's 690 quads.
ANNOTATION_LEVELS = ("light", "full")


@dataclass
class _GraphWriter:
    """Collects the triples of one document's graph, in a deterministic order."""

    extraction: Extraction
    iris: Iris
    annotations: str = "light"
    triples: dict[TermTriple, None] = field(default_factory=dict)

    @property
    def doc(self) -> Document:
        return self.extraction.document

    @property
    def doc_iri(self) -> NamedNode:
        return self.iris.document(self.doc.id)

    @property
    def context_iri(self) -> NamedNode:
        return self.iris.span(self.doc.id, 0, len(self.doc.text))

    def add(self, s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        self.triples[(s, p, o)] = None  # dict: ordered and free of duplicates

    # document, provenance, text

    def write_document(self) -> None:
        doc, d = self.doc, self.doc_iri
        self.add(d, RDF.type, GK.Document)
        self.add(d, DCTERMS.identifier, Literal(doc.id))
        self.add(d, DCTERMS.language, Literal(doc.lang))  # a prov:Entity, by subclass
        if doc.published is not None:
            issued = Literal(doc.published.isoformat(), datatype=XSD.dateTime)
            # Dublin Core for catalogues, PROV for provenance consumers: same literal.
            self.add(d, DCTERMS.issued, issued)
            self.add(d, PROV.generatedAtTime, issued)
        if doc.url:
            source = _url_term(doc.url)
            self.add(d, DCTERMS.source, source)
            if isinstance(source, NamedNode):
                self.add(d, PROV.hadPrimarySource, source)
        if doc.title:
            self.add(d, DCTERMS.title, Literal(doc.title))
        if doc.fingerprint:
            self.add(d, GK.sourceFingerprint, Literal(doc.fingerprint))
        self.add(d, GK.hasContext, self.context_iri)
        self._write_context()
        self._write_provenance()

    def _write_context(self) -> None:
        c = self.context_iri
        self.add(c, RDF.type, NIF.Context)
        self.add(c, NIF.isString, Literal(self.doc.text))
        if self.annotations != "full":
            # Its length is in its IRI (#char=0,N); its URL is the document's dcterms:source.
            return
        self.add(c, RDF.type, NIF.OffsetBasedString)
        self.add(c, NIF.beginIndex, _int(0))
        self.add(c, NIF.endIndex, _int(len(self.doc.text)))
        if self.doc.url and isinstance(_url_term(self.doc.url), NamedNode):
            self.add(c, NIF.sourceUrl, _url_term(self.doc.url))

    def _write_provenance(self) -> None:
        graph, activity, agent = (
            self.iris.graph(self.doc.id),
            self.iris.activity(self.doc.id),
            self.iris.agent(),
        )
        self.add(graph, RDF.type, GK.DocumentGraph)
        self.add(graph, PROV.wasDerivedFrom, self.doc_iri)
        self.add(graph, PROV.wasGeneratedBy, activity)
        self.add(activity, RDF.type, PROV.Activity)
        self.add(activity, PROV.used, self.doc_iri)
        self.add(activity, PROV.wasAssociatedWith, agent)
        self.add(agent, RDF.type, PROV.SoftwareAgent)
        self.add(agent, RDFS.label, Literal(f"geokg {__version__}"))
        self.add(agent, GK.extractorVersion, Literal(__version__))

    def span(self, span: Span, *types: NamedNode) -> NamedNode:
        """A NIF offset string for an evidence span or a mention.

        At the default (light) level an evidence span is its IRI and its text: the
        offsets are in the IRI (RFC 5147, ``{doc}#char=10,25``), its context is the
        document's (``gk:hasContext`` of the document the IRI starts with), and its class
        is what the range of ``gk:evidence`` says.  ``--annotations full`` writes NIF's
        every property, as GERBIL reads them."""
        node = self.iris.span(self.doc.id, span.start, span.end)
        if self.annotations != "full":
            self.add(node, NIF.anchorOf, Literal(span.text))
            return node
        for t in (NIF.String, NIF.OffsetBasedString, *types):
            self.add(node, RDF.type, t)
        self.add(node, NIF.referenceContext, self.context_iri)
        self.add(node, NIF.beginIndex, _int(span.start))
        self.add(node, NIF.endIndex, _int(span.end))
        # The extractor's text, not a fresh slice: SHACL compares the two and so catches
        # offsets that drifted.
        self.add(node, NIF.anchorOf, Literal(span.text))
        return node

    def assertion(self, node: NamedNode, score: float, spans: Iterable[Span]) -> None:
        """What every assertion carries: evidence, confidence, provenance.

        Not written: ``a gk:Assertion`` (each assertion's class is a subclass of it, and
        ``gk:evidence`` has it as domain) and the assertion's ``prov:wasGeneratedBy`` (the
        activity that generated its graph, ``?graph prov:wasGeneratedBy ?activity``)."""
        for span in spans:
            self.add(node, GK.evidence, self.span(span))
        self.add(node, GK.confidence, _confidence(score))
        self.add(node, PROV.wasDerivedFrom, self.doc_iri)

    # entities and mentions

    def entity(self, ref: str) -> NamedNode:
        """The IRI of an entity referred to by ``Entity.ref`` in a relation or event."""
        found = self.extraction.entity(ref)
        if found is not None:
            return self._entity_node(found)
        if _QID.match(ref):
            return wikidata_entity(ref)
        log.warning("document %s: %r is not among its entities; minted as other", self.doc.id, ref)
        node = self.iris.nil_entity("other", ref)
        self.add(node, RDF.type, GK.OtherEntity)
        self.add(node, RDFS.label, Literal(ref))
        return node

    def _entity_node(self, entity: Entity) -> NamedNode:
        if entity.qid:
            return wikidata_entity(entity.qid)
        if entity.sector is not None:
            return self.iris.generic_actor(entity.sector, entity.country)
        return self.iris.nil_entity(entity.type, entity.label)

    def write_entities(self) -> None:
        for entity in self.extraction.entities:
            node = self._entity_node(entity)
            self.add(node, RDF.type, ENTITY_CLASS.get(entity.type, GK.OtherEntity))
            self.add(node, RDFS.label, Literal(entity.label))
            if entity.sector is not None:
                self.add(node, RDF.type, GK.GenericActor)
                self.add(node, GK.sector, sector_concept(entity.sector))
                if entity.country:
                    self.add(node, GK.country, wikidata_entity(entity.country))
            self._tally(node, len(entity.mentions), entity.link_reason)
            if self.annotations != "full":
                continue
            for mention in sorted(entity.mentions, key=lambda m: (m.start, m.end)):
                phrase = self.span(Span(mention.start, mention.end, mention.text), NIF.Phrase)
                self.add(phrase, ITSRDF.taIdentRef, node)
                self.add(phrase, GK.matchMethod, Literal(mention.method))
                self.add(phrase, GK.confidence, _confidence(entity.score))
                if entity.link_reason:
                    self.add(phrase, GK.linkReason, Literal(entity.link_reason))

    def _tally(self, entity: NamedNode, mentions: int, link_reason: str | None) -> None:
        """The document mentions the entity, this many times, linked for this reason
        (at every annotation level)."""
        if mentions <= 0:
            return
        self.add(self.doc_iri, GK.mentions, entity)
        tally = self.iris.tally(self.doc.id, entity)  # a gk:MentionTally, by gk:tallyOf's domain
        self.add(tally, GK.tallyOf, entity)
        self.add(tally, GK.mentionCount, _int(mentions))
        if link_reason:
            self.add(tally, GK.linkReason, Literal(link_reason))

    # relations

    def write_relation(self, rel: Relation) -> None:
        writers = {
            "MEMBER_OF": self._membership,
            "HOLDS_POSITION": self._position,
            "TERRITORIAL_DISPUTE": self._dispute,
        }
        if rel.type in writers:
            writers[rel.type](rel)
        elif rel.type in STATED_RELATION_PROPERTY:
            self._stated_relation(rel)
        else:
            raise RdfMappingError(f"document {self.doc.id}: unknown relation type {rel.type!r}")

    def _key(self, rel: Relation, *participants: str) -> tuple[str, ...]:
        ev = rel.evidence
        return (rel.type, *participants, rel.extra or "", str(ev.start), str(ev.end))

    def _membership(self, rel: Relation) -> None:
        member, org = self.entity(rel.subject), self.entity(rel.object)
        status = _STATUS_ALIASES.get(
            (rel.extra or "full").strip().lower(), (rel.extra or "").strip().lower()
        )
        node = self.iris.assertion(
            "membership", self.doc.id, *self._key(rel, member.value, org.value)
        )
        self.add(node, RDF.type, ORG.Membership)
        self.add(node, ORG.member, member)
        self.add(node, ORG.organization, org)
        self.add(
            node,
            GK.membershipStatus,
            status_concept(status) if status.isalpha() else Literal(status),
        )
        self.assertion(node, rel.score, [rel.evidence])
        if status in MEMBER_OF_STATUSES:
            self.add(member, GK.memberOf, org)

    def _position(self, rel: Relation) -> None:
        person, org = self.entity(rel.subject), self.entity(rel.object)
        position = (rel.extra or "").strip()
        post = self.iris.post(org, position)
        self.add(post, RDF.type, ORG.Post)
        self.add(post, ORG.postIn, org)
        if position:
            self.add(post, RDFS.label, Literal(position))
            role = post_role(position)
            if role is not None:
                self.add(post, ORG.role, role)
        node = self.iris.assertion("holding", self.doc.id, *self._key(rel, person.value, org.value))
        self.add(node, RDF.type, GK.PositionHolding)
        self.add(node, GK.holder, person)
        self.add(node, GK.post, post)
        self.assertion(node, rel.score, [rel.evidence])
        self.add(person, ORG.holds, post)

    def _dispute(self, rel: Relation) -> None:
        parties = sorted({self.entity(rel.subject), self.entity(rel.object)}, key=lambda n: n.value)
        node = self.iris.assertion(
            "dispute", self.doc.id, *self._key(rel, *(p.value for p in parties))
        )
        self.add(node, RDF.type, GK.Dispute)
        self.add(node, GK.incompatibility, GK.TerritoryIncompatibility)
        for party in parties:
            self.add(node, GK.disputant, party)
        if rel.extra:
            territory = self.entity(rel.extra)
            self.add(node, GK.disputedTerritory, territory)
            self.add(territory, RDF.type, GK.DisputedTerritory)
            for party in parties:
                self.add(territory, GK.territoryClaimedBy, party)
        self.assertion(node, rel.score, [rel.evidence])

    def _stated_relation(self, rel: Relation) -> None:
        subject, obj = self.entity(rel.subject), self.entity(rel.object)
        prop = STATED_RELATION_PROPERTY[rel.type]
        ends = (
            sorted([subject.value, obj.value])
            if rel.type == "ALLY_OF"
            else [subject.value, obj.value]
        )
        node = self.iris.assertion("relation", self.doc.id, *self._key(rel, *ends))
        self.add(node, RDF.type, GK.StatedRelation)  # an rdf:Statement, by subclass
        self.add(node, RDF.subject, subject)
        self.add(node, RDF.predicate, prop)
        self.add(node, RDF.object, obj)
        self.assertion(node, rel.score, [rel.evidence])
        self.add(subject, prop, obj)

    # events

    def write_event(self, event: Event) -> None:
        actors = sorted(self.entity(r).value for r in event.actor)
        recipients = sorted(self.entity(r).value for r in event.recipient)
        ev = event.evidence
        node = self.iris.assertion(
            "event",
            self.doc.id,
            event.type,
            event.mode or "",
            ",".join(actors),
            ">",  # keeps actors and recipients apart in the hash
            ",".join(recipients),
            str(ev.start),
            str(ev.end),
        )
        self.add(node, RDF.type, SEM.Event)
        self.add(node, SEM.eventType, plover_type(event.type))
        self._event_codes(node, event)
        for role, refs in ((GK.actor, event.actor), (GK.recipient, event.recipient)):
            for ref in refs:
                self.add(node, role, self.entity(ref))
        for ref in event.actor_persons:
            self.add(node, GK.speaker, self.entity(ref))
        if event.location:
            self.add(node, SEM.hasPlace, self.entity(event.location))
        if event.date:
            self.add(node, SEM.hasTimeStamp, _date(event.date))
        # Closed world: a flag is written only when true; an event without it is not
        # negated, hypothetical or claimed (docs/data-model.md).
        for flag, value in (
            (GK.negated, event.negated),
            (GK.hypothetical, event.hypothetical),
            (GK.claimed, event.claimed),
        ):
            if value:
                self.add(node, flag, _bool(True))
        self.assertion(node, event.score, [event.evidence, *event.more_evidence])

    def _event_codes(self, node: NamedNode, event: Event) -> None:
        """Mode and contexts as PLOVER concepts where the code list has them, else verbatim."""
        known = _plover_concepts()
        if event.mode:
            mode = plover_mode(event.type, event.mode)
            if mode.value in known:
                self.add(node, GK.ploverMode, mode)
            else:
                self.add(node, GK.modeLabel, Literal(event.mode))
        for context in event.context:
            concept = plover_context(context)
            if concept.value in known:
                self.add(node, GK.ploverContext, concept)
            else:
                self.add(node, GK.modeLabel, Literal(context))


def extraction_quads(
    extraction: Extraction, base_iri: str | None = None, annotations: str = "light"
) -> list[Quad]:
    """All quads of one document's named graph, deterministic and free of duplicates.

    Raises RdfMappingError if the extraction holds something the ontology cannot express.
    """
    graph, triples = extraction_triples(extraction, base_iri, annotations)
    return [Quad(s, p, o, graph) for s, p, o in triples]


def extraction_triples(
    extraction: Extraction, base_iri: str | None = None, annotations: str = "light"
) -> tuple[NamedNode, list[TermTriple]]:
    """The document's graph and its triples, as term tuples (no Quad objects: a worker
    serialising thousands of documents writes them as N-Quads text directly)."""
    if annotations not in ANNOTATION_LEVELS:
        raise RdfMappingError(f"annotation level {annotations!r}: expected light or full")
    writer = _GraphWriter(extraction, Iris(resolve_base_iri(base_iri)), annotations)
    writer.write_document()
    writer.write_entities()
    for relation in extraction.relations:
        writer.write_relation(relation)
    for event in extraction.events:
        writer.write_event(event)
    return writer.iris.graph(extraction.document.id), list(writer.triples)
