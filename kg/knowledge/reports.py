"""Report-level assertions, read back from RDF as plain records.

The knowledge layer is a function of the evidence in the store, so it reads what a
document graph says -- not the extraction that made it -- and the same reader serves a
batch being written (its quads are in memory) and reports already stored.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from pyoxigraph import Literal, NamedNode, Quad

from kg.vocab import (
    DCTERMS,
    GK,
    ORG,
    PLOVER_NS,
    PROV,
    RDF,
    RDFS,
    SEM,
    STATED_RELATION_PROPERTY,
    STATUS_NS,
)

# The stated-relation property back to its relation type.
_RELATION_OF_PROPERTY = {prop.value: kind for kind, prop in STATED_RELATION_PROPERTY.items()}


@dataclass(frozen=True)
class Source:
    """The document a report comes from, as the knowledge layer aggregates it."""

    doc: str  # document IRI
    language: str
    published: str | None  # ISO date-time, as stored
    outlet: str | None  # host of the source URL
    url: str | None = None  # the source URL
    # The entities the document mentions (``gk:mentions``), sorted: what else it is about.
    mentions: tuple[str, ...] = ()

    @property
    def published_day(self) -> date | None:
        """The day it was published: as stored, else the day its URL path gives."""
        return _day(self.published) or url_date(self.url)[0]

    @property
    def published_month(self) -> tuple[int, int] | None:
        """(year, month) it was published, where only that much is known (a URL path
        such as ``/2024/08/slug``) or more."""
        stored = _day(self.published)
        if stored is not None:
            return stored.year, stored.month
        return url_date(self.url)[1]  # the URL's month, its day's where it gives one


@dataclass(frozen=True)
class EventReport:
    """One article's report of an event (a ``sem:Event`` of a document graph)."""

    iri: str
    source: Source
    type: str  # PLOVER type, e.g. "ASSAULT"
    actors: tuple[str, ...]  # entity IRIs, sorted
    recipients: tuple[str, ...]
    event_date: str | None  # the event's own date as the text gave it (any precision)
    location: str | None
    confidence: float
    negated: bool
    claimed: bool
    hypothetical: bool
    # The label the document gives each actor and recipient: (IRI, label) pairs.
    names: tuple[tuple[str, str], ...] = ()

    @property
    def anchor(self) -> date | None:
        """The day the report places the event on: its own date when the text gives the
        day, else the day it was published."""
        return _day(self.event_date) or self.source.published_day


@dataclass(frozen=True)
class FactReport:
    """One article's statement of a relation (membership, post, dispute, stated relation)."""

    iri: str
    source: Source
    type: str  # relation type, e.g. "MEMBER_OF"
    subject: str  # entity IRI
    object: str
    extra: str  # membership status, post label, disputed territory IRI; "" when none
    confidence: float


@dataclass(frozen=True)
class DocumentReports:
    """What one document graph reports, and which version of the document it is."""

    graph: str  # the document's named graph
    fingerprint: str  # its source fingerprint: tells one version of a document from another
    source: Source
    events: tuple[EventReport, ...]
    facts: tuple[FactReport, ...]


class Triples:
    """The triples about some subjects, indexed subject -> predicate -> objects."""

    def __init__(self) -> None:
        self._index: dict[str, dict[str, list[NamedNode | Literal]]] = defaultdict(
            lambda: defaultdict(list)
        )

    def add(self, s: object, p: NamedNode, o: object) -> None:
        if isinstance(s, NamedNode) and isinstance(o, (NamedNode, Literal)):
            values = self._index[s.value][p.value]
            if o not in values:
                values.append(o)

    def add_quads(self, quads: Iterable[Quad]) -> Triples:
        for quad in quads:
            self.add(quad.subject, quad.predicate, quad.object)
        return self

    def add_triples(self, triples: Iterable[tuple[object, NamedNode, object]]) -> Triples:
        for s, p, o in triples:
            self.add(s, p, o)
        return self

    def subjects_of_type(self, cls: NamedNode) -> list[str]:
        return sorted(s for s, props in self._index.items() if cls in props.get(RDF.type.value, []))

    def has(self, subject: str) -> bool:
        return subject in self._index

    def values(self, subject: str, predicate: NamedNode) -> list[NamedNode | Literal]:
        return self._index.get(subject, {}).get(predicate.value, [])

    def iris(self, subject: str, predicate: NamedNode) -> tuple[str, ...]:
        return tuple(sorted(v.value for v in self.values(subject, predicate) if _is_iri(v)))

    def iri(self, subject: str, predicate: NamedNode) -> str | None:
        found = self.iris(subject, predicate)
        return found[0] if found else None

    def text(self, subject: str, predicate: NamedNode) -> str | None:
        found = sorted(v.value for v in self.values(subject, predicate))
        return found[0] if found else None


def _is_iri(term: object) -> bool:
    return isinstance(term, NamedNode)


def _day(value: str | None) -> date | None:
    """The day of an ISO date or date-time; None for a year or a month alone."""
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


# A date in a URL path: /2024/06/20/, /2024-06-20/, /20240620/ or /2024/06/ (a month).
_URL_DAY = re.compile(r"/((?:19|20)\d\d)([/-]?)(\d\d)\2(\d\d)(?=[/._-]|$)")
_URL_MONTH = re.compile(r"/((?:19|20)\d\d)/(\d\d)/")


def url_date(url: str | None) -> tuple[date | None, tuple[int, int] | None]:
    """The publication day and (year, month) a news URL's path states, as far as it
    states them: news sites file articles under their day or month."""
    if not url:
        return None, None
    path = urlsplit(url).path
    found = _URL_DAY.search(path)
    if found:
        try:
            day = date(int(found.group(1)), int(found.group(3)), int(found.group(4)))
        except ValueError:
            day = None
        if day is not None:
            return day, (day.year, day.month)
    month = _URL_MONTH.search(path)
    if month and 1 <= int(month.group(2)) <= 12:
        return None, (int(month.group(1)), int(month.group(2)))
    return None, None


def outlet_of(url: str | None) -> str | None:
    """The outlet of a source URL: its host without "www."."""
    if not url:
        return None
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None


def _utc(value: str | None) -> str | None:
    """An xsd:dateTime in one spelling (UTC, "Z"), as the store gives it back: a report
    read from the store and one fresh from a worker must compare and sort alike."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is None:
        return moment.isoformat()
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def source_of(triples: Triples, doc: str) -> Source:
    url = triples.text(doc, DCTERMS.source)
    return Source(
        doc=doc,
        language=triples.text(doc, DCTERMS.language) or "",
        published=_utc(triples.text(doc, DCTERMS.issued)),
        outlet=outlet_of(url),
        url=url,
        mentions=triples.iris(doc, GK.mentions),
    )


def document_reports(graph: str, triples: Triples) -> DocumentReports | None:
    """Every report-level assertion of one document graph; None if it holds no document."""
    docs = triples.subjects_of_type(GK.Document)
    if not docs:
        return None
    source = source_of(triples, docs[0])
    events, facts = reports_in(triples, lambda _iri: source)
    fingerprint = triples.text(docs[0], GK.sourceFingerprint) or ""
    return DocumentReports(graph, fingerprint, source, tuple(events), tuple(facts))


def reports_in(
    triples: Triples, source_for: Callable[[str], Source | None]
) -> tuple[list[EventReport], list[FactReport]]:
    """The events and facts among these triples, each with its document's source."""
    events = [
        report
        for iri in triples.subjects_of_type(SEM.Event)
        if (source := source_for(iri)) is not None
        and (report := event_report(triples, iri, source)) is not None
    ]
    return events, fact_reports(triples, source_for)


def event_report(triples: Triples, iri: str, source: Source) -> EventReport | None:
    kind = triples.iri(iri, SEM.eventType)
    if kind is None or not kind.startswith(PLOVER_NS.iri):
        return None
    return EventReport(
        iri=iri,
        source=source,
        type=kind[len(PLOVER_NS.iri) :],
        actors=triples.iris(iri, GK.actor),
        recipients=triples.iris(iri, GK.recipient),
        event_date=triples.text(iri, SEM.hasTimeStamp),
        location=triples.iri(iri, SEM.hasPlace),
        confidence=_float(triples.text(iri, GK.confidence)),
        negated=triples.text(iri, GK.negated) == "true",
        claimed=triples.text(iri, GK.claimed) == "true",
        hypothetical=triples.text(iri, GK.hypothetical) == "true",
        names=tuple(
            (entity, label)
            for entity in (*triples.iris(iri, GK.actor), *triples.iris(iri, GK.recipient))
            if (label := triples.text(entity, RDFS.label))
        ),
    )


def fact_reports(triples: Triples, source_for: Callable[[str], Source | None]) -> list[FactReport]:
    found: list[FactReport | None] = []
    for iri in triples.subjects_of_type(ORG.Membership):
        status = triples.iri(iri, GK.membershipStatus) or ""
        found.append(
            _fact(
                triples,
                iri,
                source_for(iri),
                "MEMBER_OF",
                triples.iri(iri, ORG.member),
                triples.iri(iri, ORG.organization),
                status.removeprefix(STATUS_NS.iri),
            )
        )
    for iri in triples.subjects_of_type(GK.PositionHolding):
        post = triples.iri(iri, GK.post) or ""
        label = " ".join((triples.text(post, RDFS.label) or "").lower().split())
        found.append(
            _fact(
                triples,
                iri,
                source_for(iri),
                "HOLDS_POSITION",
                triples.iri(iri, GK.holder),
                triples.iri(post, ORG.postIn),
                label,
            )
        )
    for iri in triples.subjects_of_type(GK.Dispute):
        parties = triples.iris(iri, GK.disputant)
        if len(parties) == 2:
            territory = triples.iri(iri, GK.disputedTerritory) or ""
            found.append(
                _fact(triples, iri, source_for(iri), "TERRITORIAL_DISPUTE", *parties, territory)
            )
    for iri in triples.subjects_of_type(GK.StatedRelation):
        kind = _RELATION_OF_PROPERTY.get(triples.iri(iri, RDF.predicate) or "")
        if kind is not None:
            ends = [triples.iri(iri, RDF.subject), triples.iri(iri, RDF.object)]
            if kind == "ALLY_OF":  # symmetric: one fact whichever way it was said
                ends = sorted(e or "" for e in ends)  # type: ignore[assignment]
            found.append(_fact(triples, iri, source_for(iri), kind, ends[0], ends[1], ""))
    return [fact for fact in found if fact is not None and fact.subject and fact.object]


def _fact(
    triples: Triples,
    iri: str,
    source: Source | None,
    kind: str,
    subject: str | None,
    obj: str | None,
    extra: str,
) -> FactReport | None:
    if source is None:
        return None
    return FactReport(
        iri=iri,
        source=source,
        type=kind,
        subject=subject or "",
        object=obj or "",
        extra=extra,
        confidence=_float(triples.text(iri, GK.confidence)),
    )


def _float(value: str | None) -> float:
    try:
        return float(value) if value is not None else 0.0
    except ValueError:
        return 0.0


def derived_from(triples: Triples, node: str) -> tuple[str, ...]:
    return triples.iris(node, PROV.wasDerivedFrom)
