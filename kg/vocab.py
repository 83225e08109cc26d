"""Every RDF term geokg writes or queries, in one place.

The ontology (``ontology/*.ttl``) is the source of truth; this module only names its
terms for Python, so no other module spells an IRI.  ``tests/test_rdf.py`` checks that
every ``gk:`` term named here is declared in ``ontology/geokg.ttl`` and every PLOVER or
membership-status concept exists in its code list.

Namespaces of the project's own live under ``https://w3id.org/geokg/`` (see
``ontology/README.md``); entities and assertions a build mints live under the build's
base IRI instead (``kg/rdf.py``), so a publisher can serve them from their own host.
"""

from __future__ import annotations

from pyoxigraph import NamedNode

from kg.paths import ONTOLOGY_DIR


class Namespace:
    """An IRI prefix; ``ns["local"]`` or ``ns.term("local")`` gives a NamedNode."""

    def __init__(self, iri: str) -> None:
        self.iri = iri

    def term(self, local: str) -> NamedNode:
        return NamedNode(self.iri + local)

    def __getitem__(self, local: str) -> NamedNode:
        return self.term(local)

    def __contains__(self, node: object) -> bool:
        return isinstance(node, NamedNode) and node.value.startswith(self.iri)

    def __str__(self) -> str:
        return self.iri


# --- the project's own namespaces -------------------------------------------------------
ONTOLOGY_IRI = "https://w3id.org/geokg/ontology"
GK_NS = Namespace(ONTOLOGY_IRI + "#")
PLOVER_NS = Namespace("https://w3id.org/geokg/plover/")
CAMEO_NS = Namespace("https://w3id.org/geokg/cameo/")
STATUS_NS = Namespace("https://w3id.org/geokg/membership-status/")
SECTOR_NS = Namespace("https://w3id.org/geokg/sector/")

# The named graph that holds the ontology and code lists inside a store.
ONTOLOGY_GRAPH = NamedNode(ONTOLOGY_IRI)

# The graph where a store keeps its own settings (the base IRI it mints under).
SETTINGS_GRAPH = NamedNode(ONTOLOGY_IRI + "/store-settings")
# Files loaded into that graph, in this order.  shapes.ttl is not data: validate.py reads it.
ONTOLOGY_FILES = ("geokg.ttl", "plover.ttl", "membership-status.ttl", "sectors.ttl")
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"

# Default base for IRIs a build mints (documents, graphs, NIL entities, assertions).
DEFAULT_BASE_IRI = "https://geokg.example.org/id/"

# --- standard namespaces ------------------------------------------------------------------
RDF_NS = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS_NS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL_NS = Namespace("http://www.w3.org/2002/07/owl#")
XSD_NS = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS_NS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS_NS = Namespace("http://purl.org/dc/terms/")
ORG_NS = Namespace("http://www.w3.org/ns/org#")
SEM_NS = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
NIF_NS = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF_NS = Namespace("http://www.w3.org/2005/11/its/rdf#")
PROV_NS = Namespace("http://www.w3.org/ns/prov#")
TIME_NS = Namespace("http://www.w3.org/2006/time#")
WD_NS = Namespace("http://www.wikidata.org/entity/")
WDT_NS = Namespace("http://www.wikidata.org/prop/direct/")

# Prefixes for queries and serialisations (named queries may use them without declaring).
PREFIXES: dict[str, str] = {
    "gk": GK_NS.iri,
    "plover": PLOVER_NS.iri,
    "cameo": CAMEO_NS.iri,
    "ms": STATUS_NS.iri,
    "sec": SECTOR_NS.iri,
    "rdf": RDF_NS.iri,
    "rdfs": RDFS_NS.iri,
    "owl": OWL_NS.iri,
    "xsd": XSD_NS.iri,
    "skos": SKOS_NS.iri,
    "dcterms": DCTERMS_NS.iri,
    "org": ORG_NS.iri,
    "sem": SEM_NS.iri,
    "nif": NIF_NS.iri,
    "itsrdf": ITSRDF_NS.iri,
    "prov": PROV_NS.iri,
    "time": TIME_NS.iri,
    "wd": WD_NS.iri,
    "wdt": WDT_NS.iri,
}


class RDF:
    type = RDF_NS["type"]
    subject = RDF_NS["subject"]
    predicate = RDF_NS["predicate"]
    object = RDF_NS["object"]
    Statement = RDF_NS["Statement"]


class RDFS:
    label = RDFS_NS["label"]
    subClassOf = RDFS_NS["subClassOf"]


class OWL:
    versionInfo = OWL_NS["versionInfo"]


class XSD:
    string = XSD_NS["string"]
    boolean = XSD_NS["boolean"]
    decimal = XSD_NS["decimal"]
    integer = XSD_NS["integer"]
    nonNegativeInteger = XSD_NS["nonNegativeInteger"]
    dateTime = XSD_NS["dateTime"]
    date = XSD_NS["date"]
    gYear = XSD_NS["gYear"]
    gYearMonth = XSD_NS["gYearMonth"]
    anyURI = XSD_NS["anyURI"]


class SKOS:
    Concept = SKOS_NS["Concept"]
    prefLabel = SKOS_NS["prefLabel"]
    altLabel = SKOS_NS["altLabel"]
    notation = SKOS_NS["notation"]
    broader = SKOS_NS["broader"]
    inScheme = SKOS_NS["inScheme"]


class DCTERMS:
    identifier = DCTERMS_NS["identifier"]
    language = DCTERMS_NS["language"]
    issued = DCTERMS_NS["issued"]
    source = DCTERMS_NS["source"]
    title = DCTERMS_NS["title"]


class ORG:
    Membership = ORG_NS["Membership"]
    member = ORG_NS["member"]
    organization = ORG_NS["organization"]
    Post = ORG_NS["Post"]
    postIn = ORG_NS["postIn"]
    holds = ORG_NS["holds"]
    role = ORG_NS["role"]
    Role = ORG_NS["Role"]


class SEM:
    Event = SEM_NS["Event"]
    eventType = SEM_NS["eventType"]
    hasPlace = SEM_NS["hasPlace"]
    hasTimeStamp = SEM_NS["hasTimeStamp"]


class NIF:
    Context = NIF_NS["Context"]
    Phrase = NIF_NS["Phrase"]
    String = NIF_NS["String"]
    OffsetBasedString = NIF_NS["OffsetBasedString"]
    isString = NIF_NS["isString"]
    beginIndex = NIF_NS["beginIndex"]
    endIndex = NIF_NS["endIndex"]
    anchorOf = NIF_NS["anchorOf"]
    referenceContext = NIF_NS["referenceContext"]
    sourceUrl = NIF_NS["sourceUrl"]


class ITSRDF:
    taIdentRef = ITSRDF_NS["taIdentRef"]


class PROV:
    Entity = PROV_NS["Entity"]
    Activity = PROV_NS["Activity"]
    SoftwareAgent = PROV_NS["SoftwareAgent"]
    wasDerivedFrom = PROV_NS["wasDerivedFrom"]
    wasGeneratedBy = PROV_NS["wasGeneratedBy"]
    wasAssociatedWith = PROV_NS["wasAssociatedWith"]
    used = PROV_NS["used"]
    generatedAtTime = PROV_NS["generatedAtTime"]
    hadPrimarySource = PROV_NS["hadPrimarySource"]


class GK:
    """Terms of ``ontology/geokg.ttl``."""

    # actors and places
    Entity = GK_NS["Entity"]
    State = GK_NS["State"]
    Territory = GK_NS["Territory"]
    DisputedTerritory = GK_NS["DisputedTerritory"]
    City = GK_NS["City"]
    Organization = GK_NS["Organization"]
    InternationalOrganization = GK_NS["InternationalOrganization"]
    MilitaryAlliance = GK_NS["MilitaryAlliance"]
    ArmedForces = GK_NS["ArmedForces"]
    Person = GK_NS["Person"]
    ArmedConflict = GK_NS["ArmedConflict"]
    OtherEntity = GK_NS["OtherEntity"]
    GenericActor = GK_NS["GenericActor"]
    sector = GK_NS["sector"]
    country = GK_NS["country"]
    # documents, evidence, provenance
    Document = GK_NS["Document"]
    DocumentGraph = GK_NS["DocumentGraph"]
    hasContext = GK_NS["hasContext"]
    extractorVersion = GK_NS["extractorVersion"]
    baseIri = GK_NS["baseIri"]
    sourceFingerprint = GK_NS["sourceFingerprint"]
    matchMethod = GK_NS["matchMethod"]
    linkReason = GK_NS["linkReason"]
    Assertion = GK_NS["Assertion"]
    evidence = GK_NS["evidence"]
    confidence = GK_NS["confidence"]
    # memberships
    membershipStatus = GK_NS["membershipStatus"]
    memberOf = GK_NS["memberOf"]
    # positions
    PositionHolding = GK_NS["PositionHolding"]
    holder = GK_NS["holder"]
    post = GK_NS["post"]
    PostRoles = GK_NS["PostRoles"]
    # disputes
    Dispute = GK_NS["Dispute"]
    disputant = GK_NS["disputant"]
    disputedTerritory = GK_NS["disputedTerritory"]
    incompatibility = GK_NS["incompatibility"]
    TerritoryIncompatibility = GK_NS["TerritoryIncompatibility"]
    territoryClaimedBy = GK_NS["territoryClaimedBy"]
    # other relations
    StatedRelation = GK_NS["StatedRelation"]
    leads = GK_NS["leads"]
    partOf = GK_NS["partOf"]
    citizenOf = GK_NS["citizenOf"]
    allyOf = GK_NS["allyOf"]
    # events
    actor = GK_NS["actor"]
    recipient = GK_NS["recipient"]
    speaker = GK_NS["speaker"]
    ploverMode = GK_NS["ploverMode"]
    ploverContext = GK_NS["ploverContext"]
    modeLabel = GK_NS["modeLabel"]
    negated = GK_NS["negated"]
    hypothetical = GK_NS["hypothetical"]
    claimed = GK_NS["claimed"]
    # evidence: which entities a document mentions, and how often
    mentions = GK_NS["mentions"]
    MentionTally = GK_NS["MentionTally"]
    tallyOf = GK_NS["tallyOf"]
    mentionCount = GK_NS["mentionCount"]
    # the knowledge layer
    WorldEvent = GK_NS["WorldEvent"]
    Fact = GK_NS["Fact"]
    relationType = GK_NS["relationType"]
    factSubject = GK_NS["factSubject"]
    factObject = GK_NS["factObject"]
    factDetail = GK_NS["factDetail"]
    conflictsWith = GK_NS["conflictsWith"]
    blockKey = GK_NS["blockKey"]
    reportCount = GK_NS["reportCount"]
    reportedIn = GK_NS["reportedIn"]
    outlet = GK_NS["outlet"]
    firstReported = GK_NS["firstReported"]
    lastReported = GK_NS["lastReported"]
    deniedReports = GK_NS["deniedReports"]
    claimedReports = GK_NS["claimedReports"]
    hypotheticalReports = GK_NS["hypotheticalReports"]
    absorbedFingerprint = GK_NS["absorbedFingerprint"]


# Model entity type (kg.model.ENTITY_TYPES) -> ontology class.
ENTITY_CLASS: dict[str, NamedNode] = {
    "state": GK.State,
    "organization": GK.InternationalOrganization,
    "alliance": GK.MilitaryAlliance,
    "person": GK.Person,
    "region": GK.Territory,
    "city": GK.City,
    "conflict": GK.ArmedConflict,
    "armed_forces": GK.ArmedForces,
    "other": GK.OtherEntity,
}

# Relation types written as gk:StatedRelation nodes, with their shortcut property.
STATED_RELATION_PROPERTY: dict[str, NamedNode] = {
    "LEADS": GK.leads,
    "PART_OF": GK.partOf,
    "CITIZEN_OF": GK.citizenOf,
    "ALLY_OF": GK.allyOf,
}

# Membership statuses (Relation.extra of MEMBER_OF; None means full membership).
MEMBERSHIP_STATUSES: tuple[str, ...] = (
    "full",
    "associate",
    "observer",
    "suspended",
    "former",
    "applicant",
)
# Statuses that also get the gk:memberOf shortcut edge.
MEMBER_OF_STATUSES: frozenset[str] = frozenset({"full", "associate"})


def status_concept(status: str) -> NamedNode:
    return STATUS_NS[status]


def sector_concept(sector: str) -> NamedNode:
    return SECTOR_NS[sector]


def plover_type(event_type: str) -> NamedNode:
    return PLOVER_NS[event_type.upper()]


def plover_mode(event_type: str, mode: str) -> NamedNode:
    return PLOVER_NS[f"{event_type.upper()}-{mode.lower()}"]


def plover_context(context: str) -> NamedNode:
    return PLOVER_NS["context-" + context.lower().replace(" ", "_")]


def wikidata_entity(qid: str) -> NamedNode:
    return WD_NS[qid]
