"""kg/rdf.py and kg/vocab.py: how an Extraction becomes quads, on a hand-built extraction."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, parse
from sample_extraction import TEXT, sample_extraction, span_of

import kg
from kg.model import EVENT_TYPES, Event, Relation
from kg.paths import ONTOLOGY_DIR
from kg.rdf import (
    BASE_IRI_ENV,
    Iris,
    RdfMappingError,
    document_graph,
    extraction_quads,
    post_role,
    resolve_base_iri,
)
from kg.vocab import (
    DCTERMS,
    GK,
    GK_NS,
    ITSRDF,
    MEMBERSHIP_STATUSES,
    NIF,
    ONTOLOGY_FILES,
    ONTOLOGY_IRI,
    ORG,
    OWL,
    PROV,
    RDF,
    SEM,
    XSD,
    plover_type,
    status_concept,
)

WD = "http://www.wikidata.org/entity/"


def objects(quads: list[Quad], subject: NamedNode, predicate: NamedNode) -> list[object]:
    return [q.object for q in quads if q.subject == subject and q.predicate == predicate]


def subjects_of_type(quads: list[Quad], cls: NamedNode) -> list[NamedNode]:
    return [q.subject for q in quads if q.predicate == RDF.type and q.object == cls]  # type: ignore[misc]


@pytest.fixture
def quads() -> list[Quad]:
    return extraction_quads(sample_extraction(), annotations="full")


def test_same_extraction_gives_identical_quads() -> None:
    assert extraction_quads(sample_extraction()) == extraction_quads(sample_extraction())


def test_no_duplicates_and_no_blank_nodes(quads: list[Quad]) -> None:
    assert len(quads) == len(set(quads))
    assert not any(isinstance(t, BlankNode) for q in quads for t in (q.subject, q.object))


def test_everything_goes_into_the_document_graph(quads: list[Quad]) -> None:
    graph = document_graph("sample-1")
    assert {q.graph_name for q in quads} == {graph}
    assert graph.value == "https://geokg.example.org/id/graph/sample-1"


def test_linked_entities_keep_wikidata_iris(quads: list[Quad]) -> None:
    armenia = NamedNode(WD + "Q399")
    assert GK.State in objects(quads, armenia, RDF.type)
    assert NamedNode(WD + "Q318693") in subjects_of_type(quads, GK.MilitaryAlliance)


def test_unlinked_entities_get_minted_iris_under_the_base(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    zas = [
        s
        for s in subjects_of_type(extraction_quads(sample_extraction()), GK.Person)
        if s.value.startswith("https://geokg.example.org/id/entity/")
    ]
    assert len(zas) == 1 and "stanislav-zas" in zas[0].value
    monkeypatch.setenv(BASE_IRI_ENV, "https://data.example.net/kg/")
    from_env = extraction_quads(sample_extraction())
    assert any(q.subject.value.startswith("https://data.example.net/kg/entity/") for q in from_env)
    explicit = extraction_quads(sample_extraction(), base_iri="https://other.example/x")
    assert resolve_base_iri("https://other.example/x") == "https://other.example/x/"
    assert all(
        q.graph_name.value.startswith("https://other.example/x/graph/")
        for q in explicit  # type: ignore[union-attr]
    )


def test_malformed_base_iri_is_refused() -> None:
    with pytest.raises(ValueError):
        resolve_base_iri("not an iri")


def test_document_provenance(quads: list[Quad]) -> None:
    doc = Iris(resolve_base_iri()).document("sample-1")
    assert objects(quads, doc, DCTERMS.issued) == [
        Literal("2022-09-16T08:40:00+07:00", datatype=XSD.dateTime)
    ]
    assert objects(quads, doc, DCTERMS.language) == [Literal("en")]
    assert objects(quads, doc, DCTERMS.source) == [
        NamedNode("https://www.example.org/news/armenia-csto")
    ]
    agents = subjects_of_type(quads, PROV.SoftwareAgent)
    assert objects(quads, agents[0], GK.extractorVersion) == [Literal(kg.__version__)]
    for assertion in subjects_of_type(quads, GK.Assertion):
        assert objects(quads, assertion, PROV.wasDerivedFrom) == [doc]
        assert len(objects(quads, assertion, PROV.wasGeneratedBy)) == 1
        assert len(objects(quads, assertion, GK.confidence)) == 1
        assert objects(quads, assertion, GK.evidence)


def test_mentions_are_nif_phrases_with_offsets(quads: list[Quad]) -> None:
    baku = span_of("Baku")
    phrase = NamedNode(f"https://geokg.example.org/id/doc/sample-1#char={baku.start},{baku.end}")
    assert NIF.Phrase in objects(quads, phrase, RDF.type)
    assert objects(quads, phrase, ITSRDF.taIdentRef) == [NamedNode(WD + "Q227")]
    assert objects(quads, phrase, NIF.anchorOf) == [Literal("Baku")]
    assert objects(quads, phrase, NIF.beginIndex) == [
        Literal(str(baku.start), datatype=XSD.integer)
    ]
    context = objects(quads, phrase, NIF.referenceContext)[0]
    assert objects(quads, context, NIF.isString) == [Literal(TEXT)]  # type: ignore[arg-type]


def test_membership_node_status_and_shortcut(quads: list[Quad]) -> None:
    (membership,) = subjects_of_type(quads, ORG.Membership)
    assert objects(quads, membership, GK.membershipStatus) == [status_concept("full")]
    member_of = [q for q in quads if q.predicate == GK.memberOf]
    assert [(q.subject.value, q.object.value) for q in member_of] == [(WD + "Q399", WD + "Q318693")]  # type: ignore[union-attr]


def test_observer_gets_no_member_of_shortcut() -> None:
    ex = sample_extraction()
    ex.relations[0] = replace(ex.relations[0], extra="observer")
    quads = extraction_quads(ex)
    assert not [q for q in quads if q.predicate == GK.memberOf]
    (membership,) = subjects_of_type(quads, ORG.Membership)
    assert objects(quads, membership, GK.membershipStatus) == [status_concept("observer")]


def test_positions_become_posts_with_roles(quads: list[Quad]) -> None:
    posts = subjects_of_type(quads, ORG.Post)
    roles = {r for p in posts for r in objects(quads, p, ORG.role)}
    assert roles == {GK_NS["PrimeMinister"], GK_NS["SecretaryGeneral"]}
    pashinyan = NamedNode(WD + "Q7035479")
    (post,) = objects(quads, pashinyan, ORG.holds)
    assert objects(quads, post, ORG.postIn) == [NamedNode(WD + "Q399")]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Perdana Menteri", "PrimeMinister"),
        ("Sekretaris Jenderal CSTO", "SecretaryGeneral"),
        ("chief of the joint staff", "ChiefOfStaff"),
        ("Президент", "HeadOfState"),
        ("spokesman", None),
    ],
)
def test_post_role_is_read_from_the_ontology_labels(text: str, role: str | None) -> None:
    assert post_role(text) == (GK_NS[role] if role else None)


def test_dispute_node_with_territory_and_claims(quads: list[Quad]) -> None:
    (dispute,) = subjects_of_type(quads, GK.Dispute)
    assert set(objects(quads, dispute, GK.disputant)) == {
        NamedNode(WD + "Q399"),
        NamedNode(WD + "Q227"),
    }
    karabakh = NamedNode(WD + "Q44302")
    assert objects(quads, dispute, GK.disputedTerritory) == [karabakh]
    assert GK.DisputedTerritory in objects(quads, karabakh, RDF.type)
    assert len(objects(quads, karabakh, GK.territoryClaimedBy)) == 2


def test_events_are_plover_typed_sem_events(quads: list[Quad]) -> None:
    events = subjects_of_type(quads, SEM.Event)
    assert len(events) == 4
    types = sorted(objects(quads, e, SEM.eventType)[0].value for e in events)  # type: ignore[union-attr]
    assert types == sorted(
        plover_type(t).value for t in ("REQUEST", "ASSAULT", "MOBILIZE", "ASSAULT")
    )
    request = next(e for e in events if plover_type("REQUEST") in objects(quads, e, SEM.eventType))
    assert objects(quads, request, GK.ploverMode) == [
        NamedNode("https://w3id.org/geokg/plover/REQUEST-assist")
    ]
    assert objects(quads, request, SEM.hasTimeStamp) == [Literal("2022-09-13", datatype=XSD.date)]
    assert objects(quads, request, GK.speaker) == [NamedNode(WD + "Q7035479")]
    assert objects(quads, request, GK.negated) == [Literal("false", datatype=XSD.boolean)]
    negated = [
        e for e in events if Literal("true", datatype=XSD.boolean) in objects(quads, e, GK.negated)
    ]
    assert len(negated) == 1


def test_date_precision_is_kept_in_the_datatype(quads: list[Quad]) -> None:
    stamps = {q.object for q in quads if q.predicate == SEM.hasTimeStamp}
    assert Literal("2022-09", datatype=XSD.gYearMonth) in stamps


def test_unknown_mode_is_kept_verbatim() -> None:
    ex = sample_extraction()
    ex.events[0] = replace(ex.events[0], mode="plead")
    quads = extraction_quads(ex)
    assert Literal("plead") in {q.object for q in quads if q.predicate == GK.modeLabel}


def test_assertion_iri_depends_on_evidence_span() -> None:
    ex = sample_extraction()
    moved = replace(ex.events[1], evidence=span_of("forces clashed"))
    first = set(subjects_of_type(extraction_quads(ex), SEM.Event))
    ex.events[1] = moved
    second = set(subjects_of_type(extraction_quads(ex), SEM.Event))
    assert len(first & second) == 3


def test_unknown_relation_type_is_an_error() -> None:
    ex = sample_extraction()
    ex.relations.append(Relation("FRIENDS_WITH", "Q399", "Q227", None, 0.5, span_of("Armenia")))
    with pytest.raises(RdfMappingError, match="FRIENDS_WITH"):
        extraction_quads(ex)


def test_reference_to_an_unknown_label_is_minted_not_dropped() -> None:
    ex = sample_extraction()
    ex.events.append(
        Event("CONSULT", None, [], ["Somebody"], ["Q399"], None, False, 0.4, span_of("Baku"))
    )
    quads = extraction_quads(ex)
    assert Literal("Somebody") in {q.object for q in quads}


def test_naive_publication_time_is_written_as_given() -> None:
    ex = sample_extraction()
    ex.document.published = datetime(2022, 9, 16, 8, 40)
    issued = [q.object for q in extraction_quads(ex) if q.predicate == DCTERMS.issued]
    assert issued == [Literal("2022-09-16T08:40:00", datatype=XSD.dateTime)]  # the shapes reject it


# --- the ontology and the vocabulary module agree ----------------------------------------------


def _ontology_quads(name: str) -> list[Quad]:
    return list(parse(path=str(ONTOLOGY_DIR / name), format=RdfFormat.TURTLE))


def test_every_gk_term_in_vocab_is_declared_in_the_ontology() -> None:
    declared = {q.subject for q in _ontology_quads("geokg.ttl") if q.predicate == RDF.type}
    used = {v for k, v in vars(GK).items() if not k.startswith("_")}
    assert used - declared == set()


def test_code_lists_hold_every_event_type_and_status() -> None:
    plover = {q.subject for q in _ontology_quads("plover.ttl")}
    assert {plover_type(t) for t in EVENT_TYPES} <= plover
    statuses = {q.subject for q in _ontology_quads("membership-status.ttl")}
    assert {status_concept(s) for s in MEMBERSHIP_STATUSES} <= statuses


def test_ontology_files_are_versioned_and_free_of_blank_nodes() -> None:
    for name in ONTOLOGY_FILES:
        quads = _ontology_quads(name)
        assert not any(isinstance(t, BlankNode) for q in quads for t in (q.subject, q.object)), name
    versions = [
        q.object
        for q in _ontology_quads("geokg.ttl")
        if q.subject == NamedNode(ONTOLOGY_IRI) and q.predicate == OWL.versionInfo
    ]
    assert len(versions) == 1


# Rows of ../shared/reference/wikidata_facts.tsv (classes and properties) the ontology uses.
FROM_FACTS = {
    "Q3624078", "Q15239622", "Q515", "Q43229", "Q484652", "Q245065", "Q1127126", "Q781132",
    "Q5", "Q350604", "Q198", "Q2285706", "Q14212", "Q48352",
    "P463", "P580", "P582", "P39", "P1308", "P6", "P35", "P488", "P1336", "P361", "P710", "P607",
}  # fmt: skip
# Found next to its label with the search tool (evidence in a comment in geokg.ttl).
FROM_SEARCH = {"Q4835091"}


def _wikidata_ids_in_ontology() -> set[str]:
    return {
        t.value.rsplit("/", 1)[1]
        for name in ONTOLOGY_FILES
        for q in _ontology_quads(name)
        for t in (q.subject, q.object)
        if isinstance(t, NamedNode) and t.value.startswith("http://www.wikidata.org/")
    }


def test_wikidata_ids_in_the_ontology_are_sourced() -> None:
    assert _wikidata_ids_in_ontology() - FROM_FACTS - FROM_SEARCH == set()


def test_wikidata_ids_from_the_facts_file_are_in_it(shared_dir: Path) -> None:
    facts = shared_dir / "reference" / "wikidata_facts.tsv"
    ids = {line.split("\t", 1)[0] for line in facts.read_text(encoding="utf-8").splitlines()}
    assert FROM_FACTS - ids == set()


def test_document_provenance_in_prov_terms(quads: list[Quad]) -> None:
    doc = Iris(resolve_base_iri()).document("sample-1")
    assert objects(quads, doc, PROV.generatedAtTime) == [
        Literal("2022-09-16T08:40:00+07:00", datatype=XSD.dateTime)
    ]
    assert objects(quads, doc, PROV.hadPrimarySource) == [
        NamedNode("https://www.example.org/news/armenia-csto")
    ]
    assert PROV.Entity in objects(quads, doc, RDF.type)


def test_light_annotation_keeps_which_entities_and_how_often_not_each_mention() -> None:
    light = extraction_quads(sample_extraction())
    full = extraction_quads(sample_extraction(), annotations="full")
    assert not [q for q in light if q.object == NIF.Phrase]
    assert [q for q in full if q.object == NIF.Phrase]
    doc = NamedNode("https://geokg.example.org/id/doc/sample-1")
    baku = NamedNode(WD + "Q227")
    for quads in (light, full):
        assert baku in objects(quads, doc, GK.mentions)
        (tally,) = [q.subject for q in quads if q.predicate == GK.tallyOf and q.object == baku]
        expected = next(e for e in sample_extraction().entities if e.qid == "Q227").mentions
        assert objects(quads, tally, GK.mentionCount)[0].value == str(len(expected))  # type: ignore[union-attr]
    assert len(light) < len(full) * 0.75


def test_an_unknown_annotation_level_is_refused() -> None:
    with pytest.raises(RdfMappingError, match="annotation level 'most'"):
        extraction_quads(sample_extraction(), annotations="most")
