"""The Action API and SPARQL clients against real local servers.

Every path of the clients runs here: success, batching, caching with expiry,
429 with Retry-After, 5xx, maxlag (as 200 and as 503), malformed JSON,
timeouts, API errors, and the offline switch.  Nothing reaches the internet.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fixtures.wikidata.servers import FakeWikidata, OxigraphServer

from kg import __version__
from kg.wikidata import items
from kg.wikidata.cache import ResponseCache, cache_key
from kg.wikidata.client import BATCH_SIZE, WikidataClient
from kg.wikidata.config import RetryPolicy, WikidataConfig
from kg.wikidata.errors import OfflineError, WikidataError
from kg.wikidata.sparql import SparqlClient

FAST = RetryPolicy(retries=3, backoff=0.01, max_wait=2.0)


@pytest.fixture(scope="module")
def fake(relay: FakeWikidata) -> FakeWikidata:
    """This module's name for the shared Action API server (tests/conftest.py)."""
    return relay


@pytest.fixture()
def config(fake: FakeWikidata, tmp_path: Path) -> WikidataConfig:
    fake.reset()
    return WikidataConfig.from_env(
        api_url=fake.api_url,
        sparql_url=fake.sparql_url,
        offline=False,
        timeout=0.5,
        sparql_timeout=1.0,
        retry=FAST,
        cache_path=tmp_path / "cache.sqlite",
    )


def api_calls(fake: FakeWikidata) -> list[dict]:
    return [entry for entry in fake.log if entry["path"] == "/w/api.php"]


# -- Action API: the happy paths ------------------------------------------------


def test_get_entities_sends_polite_requests(config: WikidataConfig, fake: FakeWikidata) -> None:
    client = WikidataClient(config)
    found = client.get_entities(["Q399", "Q227"])
    assert set(found) == {"Q399", "Q227"}
    call = api_calls(fake)[0]
    assert call["params"]["action"] == "wbgetentities"
    assert call["params"]["maxlag"] == "5"
    assert call["params"]["format"] == "json"
    assert f"geokg/{__version__}" in call["agent"] and "(" in call["agent"]


def test_get_entities_batches_fifty_ids(config: WikidataConfig, fake: FakeWikidata) -> None:
    ids = ["Q399"] + [f"Q{990001000 + n}" for n in range(BATCH_SIZE + 10)]
    found = WikidataClient(config).get_entities(ids)
    assert list(found) == ["Q399"]  # the invented ids are missing, and left out
    sizes = [len(c["params"]["ids"].split("|")) for c in api_calls(fake)]
    assert sizes == [BATCH_SIZE, 11]


def test_entities_are_cached_on_disk(config: WikidataConfig, fake: FakeWikidata) -> None:
    WikidataClient(config).get_entities(["Q399"])
    again = WikidataClient(config)  # a new process would open the same file
    assert again.get_entities(["Q399"])["Q399"]["id"] == "Q399"
    assert again.requests_made == 0
    assert len(api_calls(fake)) == 1


def test_search_entities_reads_the_documented_shape(config: WikidataConfig) -> None:
    hits = WikidataClient(config).search_entities("Armen Test", "en")
    assert [h.id for h in hits] == ["Q990000002", "Q990000004"]
    assert hits[0].match_type == "label" and hits[0].match_language == "en"
    assert "politician" in hits[0].description


def test_statements_flatten_values_and_qualifiers(config: WikidataConfig) -> None:
    azerbaijan = WikidataClient(config).get_entities(["Q227"])["Q227"]
    (csto,) = [s for s in items.statements(azerbaijan, "P463") if s.value == "Q318693"]
    assert csto.qualifier("P580") == "1994" and csto.qualifier("P582") == "1999"
    russia = WikidataClient(config).get_entities(["Q159"])["Q159"]
    assert items.statements(russia, "P1365") == []  # deprecated rank is skipped
    assert items.label(russia, ["id", "en"]) == "Rusia"


# -- Action API: failures and politeness -------------------------------------------


def test_429_waits_as_long_as_retry_after_asks(config: WikidataConfig, fake: FakeWikidata) -> None:
    fake.faults.append("429")
    started = time.monotonic()
    assert "Q399" in WikidataClient(config).get_entities(["Q399"])
    assert time.monotonic() - started >= 1.0  # Retry-After: 1, though our backoff is 0.01
    assert len(api_calls(fake)) == 2


@pytest.mark.parametrize("fault", ["maxlag200", "maxlag503", "500"])
def test_lag_and_server_errors_are_retried(
    config: WikidataConfig, fake: FakeWikidata, fault: str
) -> None:
    fake.faults.extend([fault, fault])
    assert "Q399" in WikidataClient(config).get_entities(["Q399"])
    assert len(api_calls(fake)) == 3


def test_timeouts_are_retried(config: WikidataConfig, fake: FakeWikidata) -> None:
    fake.faults.append("slow")
    client = WikidataClient(config)
    assert "Q399" in client.get_entities(["Q399"])
    assert client.requests_made == 2


def test_gives_up_with_a_clear_error(config: WikidataConfig, fake: FakeWikidata) -> None:
    fake.faults.extend(["503"] * 10)
    with pytest.raises(WikidataError, match=r"gave up after 4 attempts \(.*HTTP 503\)"):
        WikidataClient(config).get_entities(["Q399"])


def test_malformed_json_is_a_clear_error(config: WikidataConfig, fake: FakeWikidata) -> None:
    fake.faults.append("malformed")
    with pytest.raises(WikidataError, match="malformed JSON"):
        WikidataClient(config).get_entities(["Q399"])


def test_api_errors_are_not_retried(config: WikidataConfig, fake: FakeWikidata) -> None:
    fake.faults.append("apierror")
    with pytest.raises(WikidataError, match="API error badvalue"):
        WikidataClient(config).search_entities("Armenia", "en")
    assert len(api_calls(fake)) == 1


def test_unreachable_server_is_retried_then_reported(config: WikidataConfig) -> None:
    from dataclasses import replace

    from fixtures.wikidata.servers import free_port

    dead = replace(config, api_url=f"http://127.0.0.1:{free_port()}/w/api.php")
    with pytest.raises(WikidataError, match="cannot connect"):
        WikidataClient(dead).get_entities(["Q399"])


def test_offline_touches_nothing_but_the_cache(config: WikidataConfig, fake: FakeWikidata) -> None:
    from dataclasses import replace

    WikidataClient(config).get_entities(["Q399"])
    offline = WikidataClient(replace(config, offline=True))
    assert "Q399" in offline.get_entities(["Q399"])  # cached: no network needed
    with pytest.raises(OfflineError, match="offline"):
        offline.get_entities(["Q227"])
    with pytest.raises(OfflineError):
        SparqlClient(replace(config, offline=True)).select("SELECT * WHERE { ?s ?p ?o }")
    assert len(api_calls(fake)) == 1


def test_offline_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEOKG_OFFLINE", "1")
    monkeypatch.setenv("GEOKG_WIKIDATA_API", "http://127.0.0.1:9/w/api.php")
    config = WikidataConfig.from_env()
    assert config.offline and config.api_url == "http://127.0.0.1:9/w/api.php"


def test_cache_entries_expire(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "c.sqlite", ttl=60)
    key = cache_key("http://x", {"a": 1})
    cache.put(key, {"v": 1}, now=1000.0)
    assert cache.get(key, now=1059.0) == {"v": 1}
    assert cache.get(key, now=1061.0) is None
    assert cache.purge_expired(now=1061.0) == 1


def test_retry_policy_caps_retry_after() -> None:
    policy = RetryPolicy(retries=2, backoff=1.0, max_wait=5.0)
    assert policy.wait(0, retry_after=3.0) == 3.0
    assert policy.wait(0, retry_after=120.0) == 5.0
    assert 4.0 <= policy.wait(2) <= 5.0


# -- SPARQL client --------------------------------------------------------------


def test_sparql_select_against_real_oxigraph(
    config: WikidataConfig, oxigraph: OxigraphServer
) -> None:
    client = SparqlClient(config, endpoint=oxigraph.query_url)
    rows = client.select(
        "PREFIX wd: <http://www.wikidata.org/entity/> "
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        'SELECT ?name WHERE { wd:Q159 rdfs:label ?name FILTER(LANG(?name) = "id") }'
    )
    assert rows == [{"name": "Rusia", "name__lang": "id"}]


@pytest.mark.parametrize("fault", ["429", "503", "500", "slow"])
def test_sparql_retries_transient_failures(
    config: WikidataConfig, fake: FakeWikidata, fault: str
) -> None:
    fake.faults.append(fault)
    client = SparqlClient(config)
    rows = client.select("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")
    assert len(rows) == 1 and client.requests_made == 2


def test_sparql_malformed_answer(config: WikidataConfig, fake: FakeWikidata) -> None:
    fake.faults.append("malformed")
    with pytest.raises(WikidataError, match="malformed JSON|no results.bindings"):
        SparqlClient(config).select("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")


def test_sparql_bad_query_is_reported_not_retried(
    config: WikidataConfig, oxigraph: OxigraphServer
) -> None:
    client = SparqlClient(config, endpoint=oxigraph.query_url)
    with pytest.raises(WikidataError, match="rejected the query"):
        client.select("SELECT WHERE nonsense")
    assert client.requests_made == 1


def test_long_sparql_queries_go_by_post(config: WikidataConfig, oxigraph: OxigraphServer) -> None:
    many = " ".join(f"wd:Q{n}" for n in range(1000, 1700)) + " wd:Q159"
    query = (
        "PREFIX wd: <http://www.wikidata.org/entity/> "
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        f'SELECT ?item WHERE {{ VALUES ?item {{ {many} }} ?item rdfs:label "Rusia"@id }}'
    )
    assert len(query) > 5000
    rows = SparqlClient(config, endpoint=oxigraph.query_url).select(query)
    assert rows == [{"item": "Q159"}]
