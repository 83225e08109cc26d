"""``kg enrich``: background facts from Wikidata for the entities in a store.

For every Wikidata-linked entity in the store's document graphs, fetch its
current entity JSON (``wbgetentities``, 50 at a time, cached) and write what
Wikidata says into one named graph of its own, the *background graph*:

- memberships (P463, with P580/P582) as ``org:Membership`` nodes with a
  ``time:Interval`` and a status (``former`` when the membership has ended,
  ``full`` otherwise), plus the ``gk:memberOf`` shortcut for current ones;
- heads of government and state (P6/P35 on a state, with their terms) and
  positions held (P39 on a person, for posts whose country, P17, is known) as
  ``org:holds`` edges to an ``org:Post``, plus a holding node (``gk:holder``,
  ``gk:post``, ``gk:startTime``/``gk:endTime``) for the term -- untyped, as
  ``gk:PositionHolding`` is an assertion that needs evidence from a document;
- territory claims (P1336) as ``gk:territoryClaimedBy``;
- classes (P31), participants (P710), conflicts (P607), diplomatic relations (P530),
  inception (P571), dissolution (P576), replaces / replaced by (P1365/P1366)
  as Wikidata's own truthy ``wdt:`` triples, so queries can federate.

Every fact node says which entity record it came from; each record carries the
Wikidata revision id and the retrieval time (PROV-O).  Everything is fetched
and built before the store is touched, and the background graph is replaced
in one transaction: a failed enrichment leaves the store as it was.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pyoxigraph import Literal, NamedNode, Quad

from kg.errors import StoreError
from kg.rdf import Iris, post_role, resolve_base_iri
from kg.store import Store
from kg.vocab import (
    DCTERMS,
    GK,
    GK_NS,
    ONTOLOGY_GRAPH,
    ORG,
    ORG_NS,
    PROV,
    PROV_NS,
    RDF,
    RDFS,
    TIME_NS,
    WD_NS,
    WDT_NS,
    XSD,
    status_concept,
    wikidata_entity,
)
from kg.wikidata import items
from kg.wikidata.client import RETRIEVED_KEY, WikidataClient
from kg.wikidata.errors import WikidataError

log = logging.getLogger(__name__)

# Property ids, sourced in kg/data/wikidata/classes.json ("properties").
MEMBER_OF = "P463"
START, END = "P580", "P582"
HEAD_OF_GOVERNMENT, HEAD_OF_STATE, POSITION_HELD = "P6", "P35", "P39"
COUNTRY = "P17"
CLAIMED_BY = "P1336"
# Kept as Wikidata's truthy triples in the background graph.
DIRECT_PROPERTIES = ("P31", "P710", "P607", "P530", "P571", "P576", "P1365", "P1366")
# Posts a state's own statements name, with the label that finds their org:Role.
STATE_POSTS = {HEAD_OF_GOVERNMENT: "head of government", HEAD_OF_STATE: "head of state"}

QID = re.compile(r"^Q[1-9][0-9]*$")
DATE_TYPES = (
    (re.compile(r"^-?\d{4,}-\d{2}-\d{2}$"), XSD.date),
    (re.compile(r"^-?\d{4,}-\d{2}$"), XSD.gYearMonth),
    (re.compile(r"^-?\d{4,}$"), XSD.gYear),
)

TIME_INTERVAL = TIME_NS["Interval"]
TIME_INSTANT = TIME_NS["Instant"]
HAS_BEGINNING = TIME_NS["hasBeginning"]
HAS_END = TIME_NS["hasEnd"]
IN_XSD = {XSD.date: TIME_NS["inXSDDate"], XSD.gYearMonth: TIME_NS["inXSDgYearMonth"]}
IN_XSD_YEAR = TIME_NS["inXSDgYear"]
MEMBER_DURING = ORG_NS["memberDuring"]
GENERATED_AT = PROV_NS["generatedAtTime"]


def background_graph(base_iri: str | None = None) -> NamedNode:
    """The named graph of Wikidata background facts (one per store)."""
    return NamedNode(f"{resolve_base_iri(base_iri)}background/wikidata")


def date_literal(value: str) -> Literal | None:
    for pattern, datatype in DATE_TYPES:
        if pattern.match(value):
            return Literal(value, datatype=datatype)
    return None


def digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


@dataclass
class EnrichReport:
    """What an enrichment wrote, for the CLI's summary."""

    graph: str
    entities: int = 0
    memberships: int = 0
    positions: int = 0
    facts: int = 0
    quads: int = 0
    missing: list[str] = field(default_factory=list)

    def summary(self) -> str:
        missing = f"; not on Wikidata: {', '.join(self.missing)}" if self.missing else ""
        return (
            f"Enriched {self.entities} entities into {self.graph}: {self.memberships} "
            f"memberships, {self.positions} positions, {self.facts} other facts, "
            f"{self.quads} quads{missing}."
        )


class BackgroundWriter:
    """Builds the quads of the background graph, entity by entity."""

    def __init__(self, base_iri: str, api_url: str, retrieved: str) -> None:
        self.iris = Iris(base_iri)
        self.base = base_iri
        self.api_url = api_url
        self.retrieved = Literal(retrieved, datatype=XSD.dateTime)
        self.graph = background_graph(base_iri)
        self.quads: list[Quad] = []
        self.report = EnrichReport(graph=self.graph.value)

    def add(self, s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        self.quads.append(Quad(s, p, o, self.graph))

    def mint(self, kind: str, *parts: str) -> NamedNode:
        return NamedNode(f"{self.base}wikidata/{kind}/{digest(*parts)}")

    # provenance

    def record(self, qid: str, entity: dict[str, Any]) -> NamedNode:
        """The entity record a fact came from: revision and retrieval time."""
        revision = str(entity.get("lastrevid", ""))
        node = self.mint("record", qid, revision)
        self.add(node, RDF.type, PROV.Entity)
        self.add(node, DCTERMS.source, wikidata_entity(qid))
        # When the answer left Wikidata: a cached answer keeps its own time.
        retrieved = entity.get(RETRIEVED_KEY)
        when = Literal(retrieved, datatype=XSD.dateTime) if retrieved else self.retrieved
        self.add(node, GENERATED_AT, when)
        if revision:
            self.add(node, DCTERMS.identifier, Literal(revision))
            self.add(node, PROV.wasDerivedFrom, self.revision_iri(revision))
        return node

    def revision_iri(self, revision: str) -> NamedNode:
        """The permanent link of a revision on the wiki the API belongs to."""
        parts = urlsplit(self.api_url)
        path = parts.path.rsplit("/", 1)[0] + "/index.php"
        return NamedNode(urlunsplit((parts.scheme, parts.netloc, path, f"oldid={revision}", "")))

    # facts

    def interval(
        self, node: NamedNode, statement: items.Statement, during: NamedNode | None = None
    ) -> None:
        """The gk:startTime/endTime shortcuts of a statement's P580/P582, and
        with ``during`` (org:memberDuring) a time:Interval between instants."""
        start, end = statement.qualifier(START), statement.qualifier(END)
        if not (start or end):
            return
        interval = NamedNode(node.value + "/interval")
        if during is not None:
            self.add(node, during, interval)
            self.add(interval, RDF.type, TIME_INTERVAL)
        ends = ((start, HAS_BEGINNING, "startTime"), (end, HAS_END, "endTime"))
        for value, edge, shortcut in ends:
            literal = date_literal(value) if value else None
            if literal is None:
                continue
            self.add(node, GK_NS[shortcut], literal)
            if during is not None:
                instant = NamedNode(f"{interval.value}/{shortcut}")
                self.add(interval, edge, instant)
                self.add(instant, RDF.type, TIME_INSTANT)
                self.add(instant, IN_XSD.get(literal.datatype, IN_XSD_YEAR), literal)

    def memberships(self, qid: str, entity: dict[str, Any], record: NamedNode) -> None:
        member = wikidata_entity(qid)
        for statement in items.statements(entity, MEMBER_OF):
            if not statement.value or not QID.match(statement.value):
                continue
            organization = wikidata_entity(statement.value)
            status = "former" if statement.qualifier(END) else "full"
            node = self.mint("membership", qid, statement.value, statement.id or "", status)
            self.add(node, RDF.type, ORG.Membership)
            self.add(node, ORG.member, member)
            self.add(node, ORG.organization, organization)
            self.add(node, GK.membershipStatus, status_concept(status))
            self.add(node, PROV.wasDerivedFrom, record)
            self.interval(node, statement, during=MEMBER_DURING)
            if status == "full":
                self.add(member, GK.memberOf, organization)
            self.report.memberships += 1

    def holding(
        self,
        person: str,
        post: NamedNode,
        statement: items.Statement,
        record: NamedNode,
    ) -> None:
        node = self.mint("holding", person, post.value, statement.id or "")
        # Not typed gk:PositionHolding: the ontology makes that a gk:Assertion,
        # which the shapes require to carry news evidence a Wikidata fact lacks.
        self.add(node, GK.holder, wikidata_entity(person))
        self.add(node, GK.post, post)
        self.add(node, PROV.wasDerivedFrom, record)
        self.interval(node, statement)
        self.add(wikidata_entity(person), ORG.holds, post)
        self.report.positions += 1

    def post(self, node: NamedNode, country: str, label: str | None) -> None:
        self.add(node, RDF.type, ORG.Post)
        self.add(node, ORG.postIn, wikidata_entity(country))
        if label:
            self.add(node, RDFS.label, Literal(label, language="en"))
            role = post_role(label)
            if role is not None:
                self.add(node, ORG.role, role)

    def state_posts(self, qid: str, entity: dict[str, Any], record: NamedNode) -> None:
        """P6/P35 on a state: its head of government / state, with terms."""
        for pid, label in STATE_POSTS.items():
            statements = [s for s in items.statements(entity, pid) if s.value]
            if not statements:
                continue
            post = self.iris.post(wikidata_entity(qid), label)
            self.post(post, qid, label)
            for statement in statements:
                if statement.value and QID.match(statement.value):
                    self.holding(statement.value, post, statement, record)

    def positions_held(
        self,
        qid: str,
        entity: dict[str, Any],
        record: NamedNode,
        posts: dict[str, dict[str, Any]],
    ) -> None:
        """P39 on a person, for posts whose country is known (an org:Post needs one)."""
        for statement in items.statements(entity, POSITION_HELD):
            post_entity = posts.get(statement.value or "")
            countries = items.values(post_entity, COUNTRY) if post_entity else []
            if not statement.value or not countries:
                continue
            post = wikidata_entity(statement.value)
            self.post(post, countries[0], items.label(post_entity or {}, ["en"]))
            self.holding(qid, post, statement, record)

    def claims_and_direct_facts(self, qid: str, entity: dict[str, Any]) -> None:
        subject = wikidata_entity(qid)
        for claimant in items.values(entity, CLAIMED_BY):
            if QID.match(claimant):
                self.add(subject, GK.territoryClaimedBy, wikidata_entity(claimant))
                self.report.facts += 1
        for pid in DIRECT_PROPERTIES:
            for value in items.values(entity, pid):
                term = wikidata_entity(value) if QID.match(value) else date_literal(value)
                if term is not None:
                    self.add(subject, WDT_NS[pid], term)
                    self.report.facts += 1

    def labels(self, qid: str, entity: dict[str, Any], languages: Sequence[str]) -> None:
        for lang in languages:
            text = entity.get("labels", {}).get(lang, {}).get("value")
            if text:
                self.add(wikidata_entity(qid), RDFS.label, Literal(text, language=lang))

    def entity(
        self,
        qid: str,
        entity: dict[str, Any],
        posts: dict[str, dict[str, Any]],
        languages: Sequence[str],
    ) -> None:
        record = self.record(qid, entity)
        self.labels(qid, entity, languages)
        self.memberships(qid, entity, record)
        self.state_posts(qid, entity, record)
        self.positions_held(qid, entity, record, posts)
        self.claims_and_direct_facts(qid, entity)
        self.report.entities += 1


def linked_entities(store: Store, graph: NamedNode) -> list[str]:
    """QIDs of the Wikidata entities the store's documents talk about."""
    # Vocabulary terms only, no user input: formatting the query is safe.
    table = store.query(
        "SELECT DISTINCT ?e WHERE { GRAPH ?g { ?e a ?class } "
        f"FILTER(?g != {graph} && ?g != {ONTOLOGY_GRAPH}) "
        f'FILTER(STRSTARTS(STR(?e), "{WD_NS.iri}")) }}'
    )
    qids = [row[0].value[len(WD_NS.iri) :] for row in table.rows if isinstance(row[0], NamedNode)]
    return sorted((q for q in qids if QID.match(q)), key=lambda q: int(q[1:]))


def referenced(entities: Iterable[dict[str, Any]], pids: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for entity in entities:
        for pid in pids:
            found.update(v for v in items.values(entity, pid) if QID.match(v))
    return found


def enrich_store(
    store_path: Path | str | None,
    client: WikidataClient,
    languages: Sequence[str] = ("en",),
    base_iri: str | None = None,
) -> EnrichReport:
    """Replace the store's background graph with fresh Wikidata facts."""
    with Store.open(store_path, base_iri=base_iri) as store:
        return enrich(store, client, languages)


def enrich(
    store: Store,
    client: WikidataClient,
    languages: Sequence[str] = ("en",),
) -> EnrichReport:
    """Fetch, build, then write the background graph in one transaction."""
    graph = background_graph(store.base_iri)
    qids = linked_entities(store, graph)
    retrieved = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        entities = client.get_entities(qids, languages=languages)
        posts = client.get_entities(
            sorted(referenced(entities.values(), [POSITION_HELD])), languages=["en"]
        )
    except WikidataError as error:
        raise WikidataError(f"enrichment failed, the store was left as it was: {error}") from error
    writer = BackgroundWriter(store.base_iri, client.config.api_url, retrieved)
    for qid in qids:
        if qid in entities:
            writer.entity(qid, entities[qid], posts, languages)
        else:
            writer.report.missing.append(qid)
    writer.report.quads = len(set(writer.quads))
    write_graph(store, graph, writer.quads)
    return writer.report


def write_graph(store: Store, graph: NamedNode, quads: list[Quad]) -> None:
    """Replace ``graph`` whole, in one transaction (the store's own writer)."""
    try:
        store.replace_graph(graph, sorted(set(quads), key=str))
    except StoreError as error:
        raise StoreError(
            f"enrichment not written, the store was left as it was: {error}"
        ) from error
