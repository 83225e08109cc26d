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
from kg.model import Document, Entity, Extraction, Mention
from kg.store import Store
from kg.wikidata.client import WikidataClient
from kg.wikidata.config import RetryPolicy, WikidataConfig
from kg.wikidata.enrich import background_graph, enrich
from kg.wikidata.errors import WikidataError

TEXT = "Armenia dan Azerbaijan bentrok; Pashinyan meminta bantuan CSTO dan PBB."


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
        ],
    )


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
    assert "Enriched 4 entities" in result.output

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
            (wd + "Q227", "1994", "1999", ms + "former"),
            (wd + "Q399", "1992-05-15", "", ms + "full"),
        ]
        # The shortcut edge only for the current membership.
        assert rows(store, "SELECT ?m WHERE { ?m gk:memberOf wd:Q318693 }") == [(wd + "Q399",)]


def test_positions_claims_and_provenance(store_path: Path, config: WikidataConfig) -> None:
    with Store.open(store_path) as store:
        report = enrich(store, WikidataClient(config), languages=("en", "id"))
        assert report.memberships == 4 and report.positions == 2
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
    validate = pytest.importorskip("kg.validate")
    with Store.open(store_path) as store:
        enrich(store, WikidataClient(config))
        report = validate.validate_store(store)
        graphs = [g.graph for g in report.graphs]
        assert background_graph(store.base_iri).value in graphs
        assert report.conforms, report.text


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
