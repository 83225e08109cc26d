"""``kg enrich`` against a local Action API server: background facts in their
own graph, org:Membership nodes with intervals, provenance, SHACL still
passing, and a failed enrichment leaving the store as it was."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures.wikidata.servers import FakeWikidata

from kg.cli import cli
from kg.model import Document, Entity, Event, Extraction, Mention, Relation, Span
from kg.store import Store
from kg.wikidata.client import WikidataClient
from kg.wikidata.config import RetryPolicy, WikidataConfig
from kg.wikidata.enrich import background_graph, enrich
from kg.wikidata.errors import WikidataError

TEXT = (
    "Armenia dan Azerbaijan bentrok; Pashinyan meminta bantuan CSTO dan PBB. "
    "Armenia menuduh Rusia. Azerbaijan anggota CSTO."
)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeWikidata]:
    server = FakeWikidata()
    yield server
    server.stop()


def seed_extraction() -> Extraction:
    def entity(qid: str | None, label: str, kind: str) -> Entity:
        start = TEXT.index(label)
        mention = Mention(start, start + len(label), label)
        return Entity(qid=qid, label=label, type=kind, score=0.9, mentions=[mention])

    document = Document(id="enrich-test", text=TEXT, lang="id")
    return Extraction(
        document=document,
        entities=[
            entity("Q399", "Armenia", "state"),
            entity("Q227", "Azerbaijan", "state"),
            entity("Q7035479", "Pashinyan", "person"),
            entity("Q318693", "CSTO", "alliance"),
            entity(None, "PBB", "organization"),  # unlinked: not enriched
            entity("Q159", "Rusia", "state"),
        ],
        relations=[relation("MEMBER_OF", "Q227", "Q318693", "Azerbaijan anggota CSTO.")],
        events=[event("ACCUSE", ["Q399"], ["Q159"], "Armenia menuduh Rusia.")],
    )


def span(sentence: str) -> Span:
    start = TEXT.index(sentence)
    return Span(start, start + len(sentence), sentence)


def relation(kind: str, subject: str, obj: str, sentence: str) -> Relation:
    return Relation(kind, subject, obj, None, 0.8, span(sentence))


def event(kind: str, actors: list[str], recipients: list[str], sentence: str) -> Event:
    return Event(kind, None, [], actors, recipients, None, False, 0.8, span(sentence))


@pytest.fixture()
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    with Store.open(path) as store:
        store.write_extraction(seed_extraction())
    return path


@pytest.fixture()
def config(fake: FakeWikidata, tmp_path: Path) -> WikidataConfig:
    fake.reset()
    return WikidataConfig(
        api_url=fake.api_url,
        timeout=0.5,
        retry=RetryPolicy(retries=1, backoff=0.01, max_wait=0.05),
        cache_path=tmp_path / "wd.sqlite",
    )


def rows(store: Store, sparql: str) -> list[tuple[str, ...]]:
    return [tuple(c.value if c is not None else "" for c in r) for r in store.query(sparql).rows]


def test_cli_enrich_writes_memberships_with_intervals(store_path: Path, fake: FakeWikidata) -> None:
    fake.reset()
    result = CliRunner().invoke(
        cli, ["enrich", "--store", str(store_path), "--wikidata-api", fake.api_url]
    )
    assert result.exit_code == 0, result.output
    assert "Enriched 5 entities" in result.output

    with Store.open(store_path) as store:
        graph = background_graph(store.base_iri).value
        found = rows(
            store,
            "SELECT ?member ?start ?end ?status WHERE { GRAPH <" + graph + "> {"
            " ?m a org:Membership ; org:member ?member ; org:organization wd:Q318693 ;"
            "    gk:membershipStatus ?status ; org:memberDuring ?i ."
            " ?i a time:Interval ; time:hasBeginning/(time:inXSDDate|time:inXSDgYear) ?start ."
            " OPTIONAL { ?i time:hasEnd/(time:inXSDDate|time:inXSDgYear) ?end } } }"
            " ORDER BY ?member",
        )
        wd, ms = "http://www.wikidata.org/entity/", "https://w3id.org/geokg/membership-status/"
        assert found == [
            (wd + "Q159", "1992-05-15", "", ms + "full"),
            (wd + "Q227", "1994", "1999", ms + "former"),
            (wd + "Q399", "1992-05-15", "", ms + "full"),
        ]
        # The shortcut edge only for current memberships (the news also has Q227's).
        shortcut = "SELECT ?m WHERE { GRAPH <" + graph + "> { ?m gk:memberOf wd:Q318693 } }"
        current = rows(store, shortcut + " ORDER BY ?m")
        assert current == [(wd + "Q159",), (wd + "Q399",)]


def test_positions_claims_and_provenance(store_path: Path, config: WikidataConfig) -> None:
    with Store.open(store_path) as store:
        report = enrich(store, WikidataClient(config), languages=("en", "id"))
        assert report.memberships == 5 and report.positions == 2
        # P6 on Armenia -> head of government post; P39 on Pashinyan -> a post in Armenia.
        holdings = rows(
            store,
            "SELECT DISTINCT ?post ?start WHERE { ?h"
            " gk:holder wd:Q7035479 ; gk:post ?post ; gk:startTime ?start ."
            " ?post org:postIn wd:Q399 } ORDER BY ?post",
        )
        assert len(holdings) == 2 and {h[1] for h in holdings} == {"2018-05-08"}
        assert rows(store, "ASK { wd:Q399 wdt:P530 wd:Q159 }") == [("true",)]
        assert rows(store, 'ASK { wd:Q399 wdt:P571 "1991-09-21"^^xsd:date }') == [("true",)]
        revision = rows(
            store,
            "SELECT ?rev ?when WHERE { ?m org:member wd:Q399 ; org:organization wd:Q318693 ;"
            " prov:wasDerivedFrom ?r . ?r dcterms:identifier ?rev ;"
            " prov:generatedAtTime ?when }",
        )
        assert revision[0][0] == "2001000001" and revision[0][1].endswith("Z")
        assert rows(store, 'ASK { wd:Q399 rdfs:label "Armenia"@id }') == [("true",)]


def test_enrichment_is_idempotent(store_path: Path, config: WikidataConfig) -> None:
    with Store.open(store_path) as store:
        first = enrich(store, WikidataClient(config))
        count = store.quad_count()
        second = enrich(store, WikidataClient(config))
        assert store.quad_count() == count and first.quads == second.quads


def test_shacl_validation_still_passes(store_path: Path, config: WikidataConfig) -> None:
    from rdflib import Graph

    from kg import validate

    with Store.open(store_path) as store:
        enrich(store, WikidataClient(config))
        report = validate.validate_store(store)  # the document graphs
        assert report.conforms, report.text
        # The background graph itself, against the same shapes and ontology.
        graph = background_graph(store.base_iri).value
        data = store.dump("ntriples", graph=graph).decode("utf-8")
        assert "org#Membership" in data
        found = validate.shacl_violations(Graph().parse(data=data, format="nt"))
        violations = [v.line() for _, v in found if v.severity == "Violation"]
        assert violations == []


def test_failed_enrichment_leaves_the_store_as_it_was(
    store_path: Path, config: WikidataConfig, fake: FakeWikidata
) -> None:
    with Store.open(store_path) as store:
        before = store.dump()
        fake.faults.extend(["503"] * 5)
        with pytest.raises(WikidataError, match="store was left as it was.*HTTP 503"):
            enrich(store, WikidataClient(config))
        assert store.dump() == before


def test_enrich_offline_is_refused(store_path: Path) -> None:
    result = CliRunner().invoke(cli, ["enrich", "--store", str(store_path), "--offline"])
    assert result.exit_code != 0
    assert "offline" in str(result.exception)


def test_named_queries_combine_news_and_wikidata(store_path: Path, config: WikidataConfig) -> None:
    from kg.queries import run_query

    wd = "http://www.wikidata.org/entity/"
    with Store.open(store_path) as store:
        enrich(store, WikidataClient(config))
        inside = run_query(
            store, "wikidata-events-between-alliance-members", {"alliance": "Q318693"}
        )
        found = {(r[2].value, r[3].value, r[4].value) for r in inside.rows}  # type: ignore[union-attr]
        assert found == {("ACCUSE", wd + "Q399", wd + "Q159")}

        contradicted = run_query(store, "wikidata-news-contradicting-wikidata", {"org": "Q318693"})
        rows = [(r[1].value, r[3].value, r[4].value) for r in contradicted.rows]  # type: ignore[union-attr]
        assert rows == [(wd + "Q227", "membership ended", "1999")]


def test_empty_store_enriches_nothing(tmp_path: Path, config: WikidataConfig) -> None:
    with Store.open(tmp_path / "empty") as store:
        report = enrich(store, WikidataClient(config))
        assert (report.entities, report.quads) == (0, 0)
