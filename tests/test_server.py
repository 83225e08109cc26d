"""``kg serve`` over HTTP: SPARQL protocol, limits, linked data, pages, VoID, security.

Every test talks to a real server process (the geokg front with Oxigraph behind it) on
127.0.0.1; the servers start once for the module.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from publishing_support import XSS_LABEL, ServerProcess, build_store, xss_extraction
from pyoxigraph import Dataset, QuerySolutions, RdfFormat, Store, parse
from sample_extraction import sample_extraction

from kg.queries import run_query
from kg.store import Store as GeokgStore
from kg.vocab import DEFAULT_BASE_IRI

TIME_LIMIT_S = 2
DOC_PATH = "/id/doc/sample-1"  # the path of {DEFAULT_BASE_IRI}doc/sample-1
EVENTS = "SELECT ?e WHERE { ?e a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> } ORDER BY ?e"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
JSON_RESULTS = "application/sparql-results+json"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    store = build_store(tmp_path_factory.mktemp("served") / "store")
    running = ServerProcess(store, "--time-limit", str(TIME_LIMIT_S), "--max-result-mb", "1")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    store = build_store(tmp_path_factory.mktemp("writable") / "store")
    running = ServerProcess(store, "--update-token", "s3cret")
    yield running
    running.stop()


def query_path(query: str, **extra: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query, **extra})


def form(**fields: str) -> bytes:
    return urllib.parse.urlencode(fields).encode()


# --- SPARQL 1.1 Protocol ---------------------------------------------------------------------


def test_get_select_as_json(server: ServerProcess) -> None:
    reply = server.get(query_path(EVENTS), JSON_RESULTS)
    assert reply.status == 200 and reply.content_type == JSON_RESULTS
    rows = json.loads(reply.body)["results"]["bindings"]
    assert len(rows) == 5  # four sample events and the hostile document's one


def test_post_form_and_post_direct_give_the_same_rows(server: ServerProcess) -> None:
    by_form = server.request(
        "POST",
        "/sparql",
        {"Content-Type": "application/x-www-form-urlencoded", "Accept": JSON_RESULTS},
        form(query=EVENTS),
    )
    direct = server.request(
        "POST",
        "/sparql",
        {"Content-Type": "application/sparql-query", "Accept": JSON_RESULTS},
        EVENTS.encode(),
    )
    assert by_form.status == direct.status == 200
    assert json.loads(by_form.body) == json.loads(direct.body)


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_select_in_every_results_format(
    server: ServerProcess, accept: str, media_type: str
) -> None:
    reply = server.get(query_path(EVENTS), accept)
    assert reply.status == 200 and reply.content_type == media_type
    assert "/id/event/" in reply.text


def test_format_parameter_overrides_accept(server: ServerProcess) -> None:
    reply = server.get(query_path(EVENTS, format="csv"), JSON_RESULTS)
    assert reply.content_type == "text/csv" and reply.text.splitlines()[0].strip() == "e"


def test_ask(server: ServerProcess) -> None:
    reply = server.get(
        query_path("ASK { ?s a <https://w3id.org/geokg/ontology#Document> }"), JSON_RESULTS
    )
    assert json.loads(reply.body)["boolean"] is True


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", RdfFormat.TURTLE),
        ("application/n-triples", RdfFormat.N_TRIPLES),
        ("application/ld+json", RdfFormat.JSON_LD),
    ],
)
def test_construct_by_accept(server: ServerProcess, accept: str, fmt: RdfFormat) -> None:
    query = (
        "PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> "
        "CONSTRUCT { ?e a ?t } WHERE { ?e a sem:Event ; a ?t }"
    )
    reply = server.get(query_path(query), accept)
    assert reply.status == 200 and reply.content_type == accept
    triples = list(parse(reply.body, format=fmt))
    assert len({t.subject for t in triples}) == 5


def test_syntax_error_is_400_with_a_message(server: ServerProcess) -> None:
    reply = server.get(query_path("SELEC ?x WHERE { ?x ?y ?z }"), JSON_RESULTS)
    assert reply.status == 400
    assert reply.content_type == "text/plain" and reply.text.strip()


def test_missing_query_is_400(server: ServerProcess) -> None:
    assert server.get("/sparql", JSON_RESULTS).status == 400


def test_unsupported_post_type_is_415(server: ServerProcess) -> None:
    reply = server.request("POST", "/sparql", {"Content-Type": "text/plain"}, EVENTS.encode())
    assert reply.status == 415


def test_browser_gets_an_html_results_table(server: ServerProcess) -> None:
    reply = server.get(query_path(EVENTS), "text/html,application/xhtml+xml,*/*;q=0.8")
    assert reply.content_type == "text/html" and 'id="results"' in reply.text


# --- read-only, limits -----------------------------------------------------------------------


def test_update_is_forbidden_without_a_token(server: ServerProcess) -> None:
    update = server.request(
        "POST", "/update", {"Content-Type": "application/sparql-update"}, b"CLEAR ALL"
    )
    assert update.status == 403
    via_query = server.request(
        "POST",
        "/sparql",
        {"Content-Type": "application/x-www-form-urlencoded"},
        form(update="CLEAR ALL"),
    )
    assert via_query.status == 403
    # ... and the data is still there.
    assert (
        len(json.loads(server.get(query_path(EVENTS), JSON_RESULTS).body)["results"]["bindings"])
        == 5
    )


def test_update_query_through_query_endpoint_is_a_400(server: ServerProcess) -> None:
    assert server.get(query_path("DROP ALL"), JSON_RESULTS).status == 400


def test_query_over_the_time_limit_is_stopped(server: ServerProcess) -> None:
    started = time.monotonic()
    reply = server.get(query_path(HEAVY), JSON_RESULTS)
    elapsed = time.monotonic() - started
    assert reply.status == 503 and "time limit" in reply.text
    assert elapsed < TIME_LIMIT_S + 8
    # The server (and its restarted backend) still answers.
    assert server.get(query_path(EVENTS), JSON_RESULTS).status == 200


def test_result_over_the_size_limit_is_refused(server: ServerProcess) -> None:
    big = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 200000"
    reply = server.get(query_path(big), "text/tab-separated-values")
    assert reply.status == 400 and "size limit" in reply.text


def test_request_over_the_size_limit_is_413(server: ServerProcess) -> None:
    body = b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * (300 * 1024)
    reply = server.request("POST", "/sparql", {"Content-Type": "application/sparql-query"}, body)
    assert reply.status == 413


def test_writable_server_needs_the_token(writable: ServerProcess) -> None:
    insert = b"INSERT DATA { <https://example.org/a> <https://example.org/b> 'c' }"
    headers = {"Content-Type": "application/sparql-update"}
    assert writable.request("POST", "/update", headers, insert).status == 401
    wrong = {**headers, "Authorization": "Bearer nope"}
    assert writable.request("POST", "/update", wrong, insert).status == 401
    right = {**headers, "Authorization": "Bearer s3cret"}
    assert writable.request("POST", "/update", right, insert).status == 204
    ask = writable.get(query_path("ASK { <https://example.org/a> ?p ?o }"), JSON_RESULTS)
    assert json.loads(ask.body)["boolean"] is True


# --- the response cache (kg.server.cache) ----------------------------------------------------


def test_repeated_page_is_the_same_answer_with_an_etag(server: ServerProcess) -> None:
    first = server.get("/entity/Q399", "text/html")
    again = server.get("/entity/Q399", "text/html")
    assert first.status == again.status == 200
    assert first.body == again.body and first.headers["etag"] == again.headers["etag"]
    unchanged = server.request(
        "GET", "/entity/Q399", {"Accept": "text/html", "If-None-Match": first.headers["etag"]}
    )
    assert unchanged.status == 304 and unchanged.body == b""
    assert unchanged.headers["etag"] == first.headers["etag"]
    other = server.request("GET", "/entity/Q399", {"Accept": "text/html", "If-None-Match": '"x"'})
    assert other.status == 200 and other.body == first.body


def test_cached_answers_keep_negotiation_apart(server: ServerProcess) -> None:
    html = server.get("/entity/Q399", "text/html")
    turtle = server.get("/entity/Q399", "text/turtle")
    assert html.content_type.startswith("text/html") and turtle.content_type == "text/turtle"
    assert server.get("/entity/Q399", "text/turtle").body == turtle.body


def test_an_unrepeatable_query_is_answered_afresh(server: ServerProcess) -> None:
    path = query_path("SELECT (STRUUID() AS ?id) WHERE {}")
    first, second = server.get(path, JSON_RESULTS), server.get(path, JSON_RESULTS)
    assert first.status == second.status == 200 and first.body != second.body
    assert "etag" not in first.headers


def test_errors_are_not_kept(server: ServerProcess) -> None:
    path = query_path("SELECT * WHERE { ?s ?p }")  # a syntax error
    assert server.get(path, JSON_RESULTS).status == 400
    assert "etag" not in server.get(path, JSON_RESULTS).headers


def test_an_update_empties_the_cache(writable: ServerProcess) -> None:
    ask = query_path("ASK { <https://example.org/cached> ?p ?o }")
    assert json.loads(writable.get(ask, JSON_RESULTS).body)["boolean"] is False
    assert json.loads(writable.get(ask, JSON_RESULTS).body)["boolean"] is False  # now kept
    insert = b"INSERT DATA { <https://example.org/cached> <https://example.org/b> 'c' }"
    headers = {"Content-Type": "application/sparql-update", "Authorization": "Bearer s3cret"}
    assert writable.request("POST", "/update", headers, insert).status == 204
    assert json.loads(writable.get(ask, JSON_RESULTS).body)["boolean"] is True


# --- named queries: parameters bound as terms ------------------------------------------------


def test_named_query_with_parameter(server: ServerProcess) -> None:
    reply = server.get("/queries/members-of-organization?org=Q318693", JSON_RESULTS)
    assert reply.status == 200
    members = {row["member"]["value"] for row in json.loads(reply.body)["results"]["bindings"]}
    assert members == {"http://www.wikidata.org/entity/Q399"}


@pytest.mark.parametrize(
    "attempt",
    [
        "Q318693> } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o",
        "Q1 . } UNION { ?member ?p ?o",
        "http://x/> ?p ?o } #",
    ],
)
def test_injection_in_named_query_parameter_is_refused(server: ServerProcess, attempt: str) -> None:
    reply = server.get(
        "/queries/members-of-organization?" + urllib.parse.urlencode({"org": attempt}), JSON_RESULTS
    )
    assert reply.status == 400
    assert (
        len(json.loads(server.get(query_path(EVENTS), JSON_RESULTS).body)["results"]["bindings"])
        == 5
    )


def test_unknown_named_query_is_404(server: ServerProcess) -> None:
    assert server.get("/queries/no-such-query", JSON_RESULTS).status == 404


# --- linked data -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "target"),
    [
        ("text/html", "/page" + DOC_PATH),
        ("text/turtle", "/data" + DOC_PATH + ".ttl"),
        ("application/ld+json", "/data" + DOC_PATH + ".jsonld"),
        ("application/n-triples;q=0.9, text/html;q=0.1", "/data" + DOC_PATH + ".nt"),
    ],
)
def test_minted_iri_answers_303_by_accept(server: ServerProcess, accept: str, target: str) -> None:
    reply = server.get(DOC_PATH, accept)
    assert reply.status == 303
    assert reply.headers["location"] == target and "Accept" in reply.headers["vary"]


@pytest.mark.parametrize(
    ("ext", "fmt"),
    [("ttl", RdfFormat.TURTLE), ("nt", RdfFormat.N_TRIPLES), ("jsonld", RdfFormat.JSON_LD)],
)
def test_data_documents_describe_the_resource(
    server: ServerProcess, ext: str, fmt: RdfFormat
) -> None:
    reply = server.get(f"/data{DOC_PATH}.{ext}")
    assert reply.status == 200
    subjects = {t.subject.value for t in parse(reply.body, format=fmt)}
    assert DEFAULT_BASE_IRI + "doc/sample-1" in subjects


def test_named_graph_iri_dereferences_to_its_content(server: ServerProcess) -> None:
    reply = server.get("/data/id/graph/sample-1.nt")
    assert reply.status == 200 and len(list(parse(reply.body, format=RdfFormat.N_TRIPLES))) > 100


def test_every_minted_kind_dereferences(server: ServerProcess) -> None:
    query = (
        "SELECT DISTINCT ?s WHERE { ?s ?p ?o "
        "FILTER(STRSTARTS(STR(?s), '%s') && !CONTAINS(STR(?s), '#')) }"
    )
    rows = json.loads(server.get(query_path(query % DEFAULT_BASE_IRI), JSON_RESULTS).body)[
        "results"
    ]["bindings"]
    kinds = {}
    for row in rows:
        path = "/id/" + row["s"]["value"][len(DEFAULT_BASE_IRI) :]
        kinds.setdefault(path.split("/")[2], path)
    assert {"doc", "event", "membership", "holding", "dispute", "entity", "graph"} <= set(kinds)
    for path in kinds.values():
        assert server.get(path, "text/turtle").status == 303, path
        assert server.get("/page" + path, "text/html").status == 200, path


def test_unknown_iri_is_404(server: ServerProcess) -> None:
    assert server.get("/id/event/0000000000000000", "text/html").status == 404
    assert server.get("/page/id/event/0000000000000000").status == 404
    assert server.get("/nowhere").status == 404


def test_entity_page_says_what_the_graph_knows(server: ServerProcess) -> None:
    reply = server.get("/entity/Q399", "text/html")
    assert reply.status == 200 and reply.content_type == "text/html"
    page = reply.text
    assert "https://www.wikidata.org/wiki/Q399" in page
    assert 'id="memberships"' in page and "/entity/Q318693" in page  # member of the CSTO
    assert "Prime Minister" in page  # Pashinyan's post
    assert "Nagorno-Karabakh" in page  # the dispute
    for event_type in ("REQUEST", "ASSAULT", "MOBILIZE"):
        assert event_type in page
    assert "had asked the CSTO for military help" in page  # a source sentence
    assert "/page/id/doc/sample-1" not in page and "/id/doc/sample-1" in page  # article link


def test_entity_rdf_by_accept(server: ServerProcess) -> None:
    reply = server.get("/entity/Q399", "text/turtle")
    assert reply.status == 200 and reply.content_type == "text/turtle"
    assert any(t.subject.value.endswith("Q399") for t in parse(reply.body, format=RdfFormat.TURTLE))


def test_unknown_entity_is_404(server: ServerProcess) -> None:
    assert server.get("/entity/Q4", "text/html").status == 404
    assert server.get("/entity/Q399x", "text/html").status == 404


def test_unacceptable_type_is_406(server: ServerProcess) -> None:
    assert server.get(DOC_PATH, "image/png").status == 406


# --- escaping and traversal ------------------------------------------------------------------


def test_article_text_and_labels_are_escaped(server: ServerProcess) -> None:
    page = server.get("/page/id/doc/hostile-1", "text/html").text
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;window.__pwned = 1;" in page
    entity_iri = json.loads(
        server.get(
            query_path(
                "SELECT ?e WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l "
                "FILTER(CONTAINS(?l, 'Evil')) }"
            ),
            JSON_RESULTS,
        ).body
    )["results"]["bindings"][0]["e"]["value"]
    label_page = server.get("/page/id/" + entity_iri[len(DEFAULT_BASE_IRI) :], "text/html").text
    assert XSS_LABEL not in label_page and "&lt;b&gt;Evil&lt;/b&gt;" in label_page
    entity_page = server.get("/entity/Q399", "text/html").text
    assert "<script>" not in entity_page and "&lt;script&gt;" in entity_page  # evidence sentence


def test_pages_forbid_scripts_by_policy(server: ServerProcess) -> None:
    headers = server.get("/entity/Q399", "text/html").headers
    assert "default-src 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/../../../../etc/passwd",
        "/page/../../../../etc/passwd",
        "/page/..%2f..%2f..%2fetc%2fpasswd",
        "/data/%2e%2e/%2e%2e/etc/passwd.ttl",
        "/entity/..%2f..%2fetc%2fpasswd",
        "/id/%2e%2e/%2e%2e/pyproject.toml",
        "/static/..%5c..%5cpyproject.toml",
    ],
)
def test_no_path_traversal(server: ServerProcess, path: str) -> None:
    reply = server.get(path, "text/html")
    assert reply.status == 404
    assert "root:" not in reply.text and "[project]" not in reply.text


# --- VoID and dumps --------------------------------------------------------------------------


def test_void_describes_the_dataset(server: ServerProcess) -> None:
    reply = server.get("/.well-known/void", "text/turtle")
    assert reply.status == 200 and reply.content_type == "text/turtle"
    store = Store()
    store.load(reply.body, format=RdfFormat.TURTLE)

    def one(query: str) -> str:
        solutions = store.query(
            "PREFIX void: <http://rdfs.org/ns/void#> PREFIX dcat: <http://www.w3.org/ns/dcat#> "
            + query
        )
        assert isinstance(solutions, QuerySolutions)
        return next(iter(solutions))[0].value

    assert int(one("SELECT ?n { ?d void:triples ?n ; a dcat:Dataset }")) > 1000
    assert int(one("SELECT ?n { ?d void:entities ?n }")) >= 7
    assert int(one("SELECT ?n { ?d void:classes ?n }")) > 5
    assert one("SELECT ?e { ?d void:sparqlEndpoint ?e }") == server.url + "/sparql"
    assert one("SELECT ?l { ?d <http://purl.org/dc/terms/license> ?l }").startswith(
        "https://creativecommons.org/"
    )
    graphs = "SELECT (COUNT(DISTINCT ?g) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
    named = json.loads(server.get(query_path(graphs), JSON_RESULTS).body)["results"]["bindings"]
    assert one("SELECT (COUNT(?s) AS ?n) { ?d void:subset ?s }") == named[0]["n"]["value"]
    assert int(named[0]["n"]["value"]) >= 3  # two documents and the ontology, at least
    assert one("SELECT ?u { ?d void:dataDump ?u } ORDER BY ?u LIMIT 1").endswith("/dumps/geokg.nq")


def test_dump_holds_every_quad(server: ServerProcess) -> None:
    reply = server.get("/dumps/geokg.nq")
    assert reply.status == 200 and reply.content_type == "application/n-quads"
    dataset = Dataset(parse(reply.body, format=RdfFormat.N_QUADS))
    count = json.loads(
        server.get(
            query_path("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"), JSON_RESULTS
        ).body
    )
    assert len(dataset) == int(count["results"]["bindings"][0]["n"]["value"])


def test_void_function_matches_the_store(tmp_path: Path) -> None:
    from kg.server.void import describe, refresh

    with GeokgStore.open(tmp_path / "s") as store:
        store.write_extraction(sample_extraction())
        store.write_extraction(xss_extraction())
        first = describe(store)
        assert refresh(store) == len(first)
        assert describe(store) == first  # the VoID graph does not count itself


# --- the named queries of issue 6, through the library and through the server -----------------


@pytest.fixture(scope="module")
def query_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GeokgStore]:
    path = build_store(tmp_path_factory.mktemp("queries") / "store")
    with GeokgStore.open(path, read_only=True) as store:
        yield store


def values(store: GeokgStore, name: str, column: str, **params: str) -> list[str]:
    table = run_query(store, name, params)
    index = table.columns.index(column)
    return [row[index].value for row in table.rows if row[index] is not None]  # type: ignore[union-attr]


WD = "http://www.wikidata.org/entity/"


def test_alliance_members_at_date(query_store: GeokgStore) -> None:
    members = values(
        query_store, "alliance-members-at-date", "member", org="Q318693", date="2022-09-16"
    )
    assert set(members) == {WD + "Q399"}


def test_events_between_states(query_store: GeokgStore) -> None:
    directions = values(query_store, "events-between-states", "direction", a="Q399", b="Q227")
    assert sorted(directions) == ["a and b", "b -> a"]  # the clash, and Baku's denied attack


def test_military_aid_requests(query_store: GeokgStore) -> None:
    requesters = values(query_store, "military-aid-requests", "requester", requester="Q399")
    assert requesters == [WD + "Q399"] * 2  # one per document


def test_leaders_and_posts(query_store: GeokgStore) -> None:
    assert values(query_store, "leaders-and-posts", "personLabel", org="Q399") == [
        "Nikol Pashinyan"
    ]


def test_co_occurrence_network(query_store: GeokgStore) -> None:
    pairs = values(
        query_store, "co-occurrence-network", "target", entity="Q318693", minDocuments="2"
    )
    assert pairs == [WD + "Q399"]  # the only pair both documents share


def test_sources_for_claim(query_store: GeokgStore) -> None:
    kinds = set(values(query_store, "sources-for-claim", "kind", subject="Q399", object="Q318693"))
    assert kinds == {"Membership", "Event"}


def test_entities_without_wikidata(query_store: GeokgStore) -> None:
    labels = set(values(query_store, "entities-without-wikidata", "label"))
    assert labels == {"Stanislav Zas", XSS_LABEL}
    assert values(query_store, "entities-without-wikidata", "label", lang="ru") == []


def test_language_coverage(query_store: GeokgStore) -> None:
    assert values(query_store, "coverage-per-language", "documents") == ["2"]


def test_accusations_and_mediators_are_empty_on_the_sample(query_store: GeokgStore) -> None:
    assert values(query_store, "accusations-in-month", "accuser", month="2022-09") == []
    assert values(query_store, "ceasefire-mediators", "party") == []


def test_assertion_evidence(query_store: GeokgStore, server: ServerProcess) -> None:
    membership = values(
        query_store, "alliance-members-at-date", "evidence", org="Q318693", date="2022-09-16"
    )
    iri = run_query(query_store, "sources-for-claim", {"subject": "Q399", "object": "Q318693"})
    assertion = next(row[2].value for row in iri.rows if row[3].value == "Membership")  # type: ignore[union-attr]
    assert values(query_store, "assertion-evidence", "evidence", assertion=assertion) == membership
    over_http = server.get(
        "/queries/assertion-evidence?" + urllib.parse.urlencode({"assertion": assertion}),
        JSON_RESULTS,
    )
    rows = json.loads(over_http.body)["results"]["bindings"]
    assert [r["evidence"]["value"] for r in rows] == membership


def test_named_query_optional_parameters_over_http(server: ServerProcess) -> None:
    every = server.get("/queries/co-occurrence-network", JSON_RESULTS)
    some = server.get("/queries/co-occurrence-network?entity=Q318693&minDocuments=2", JSON_RESULTS)
    assert every.status == some.status == 200
    assert len(json.loads(some.body)["results"]["bindings"]) == 1
    assert len(json.loads(every.body)["results"]["bindings"]) > 1


# --- another base IRI: the server answers for its paths on its own host -----------------------


def test_store_with_another_base_is_browsable_locally(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with GeokgStore.open(path, base_iri="https://data.example.org/") as store:
        store.write_extraction(sample_extraction())
    running = ServerProcess(path)  # no --base-iri: the store records its own
    try:
        assert (
            running.get("/doc/sample-1", "text/turtle").headers["location"]
            == "/data/doc/sample-1.ttl"
        )
        described = running.get("/data/doc/sample-1.nt")
        subjects = {t.subject.value for t in parse(described.body, format=RdfFormat.N_TRIPLES)}
        assert "https://data.example.org/doc/sample-1" in subjects
        page = running.get("/entity/Q399", "text/html").text
        assert 'href="/doc/sample-1"' in page and "/id/doc/" not in page
    finally:
        running.stop()
