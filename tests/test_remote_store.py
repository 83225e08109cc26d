"""Builds and queries against a remote SPARQL endpoint: the real Oxigraph server on
127.0.0.1, written with the Graph Store Protocol."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures.wikidata.servers import OxigraphServer
from pyoxigraph import NamedNode

from kg.builder import build
from kg.errors import QueryError
from kg.rdf import document_graph
from kg.remote_store import RemoteStore, derive_endpoints
from kg.store import Store

SEED_ID = "jitunews-2022-09-16-armenia-csto"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    running = OxigraphServer(tmp_path_factory.mktemp("oxigraph") / "data")
    yield running
    running.stop()


def test_endpoints_follow_the_oxigraph_layout() -> None:
    assert derive_endpoints("http://h:7878/query") == ("http://h:7878/query", "http://h:7878/store")
    assert derive_endpoints("http://h:7878") == ("http://h:7878/query", "http://h:7878/store")
    assert derive_endpoints("http://h/ds/sparql") == ("http://h/ds/sparql", "http://h/ds/store")


def test_remote_build_matches_the_embedded_one(
    server: OxigraphServer, seed_path: Path, tmp_path: Path
) -> None:
    summary = build([seed_path], server.query_url)
    assert summary.documents == 1 and summary.quads_after > summary.quads_before

    build([seed_path], tmp_path / "local")
    graph = document_graph(SEED_ID)
    with Store.open(tmp_path / "local", read_only=True) as local:
        expected = sorted(local.dump("ntriples", graph=graph.value).decode().splitlines())
    with RemoteStore.open(server.query_url, read_only=True) as remote:
        rows = remote.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": graph})
        assert remote.graph_quad_count(graph) == len(expected) == len(rows)

    again = build([seed_path], server.query_url)
    assert (again.documents, again.unchanged) == (0, 1)
    assert again.quads_after == again.quads_before


def test_named_query_on_the_remote_store(server: OxigraphServer, seed_path: Path) -> None:
    build([seed_path], server.query_url)
    result = subprocess.run(
        [sys.executable, "-m", "kg", "query", "members-of-organization",
         "--param", "org=Q318693", "--store", server.query_url, "--format", "csv"],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert "http://www.wikidata.org/entity/Q399" in result.stdout


def test_remote_bindings_cannot_change_the_query(server: OxigraphServer, seed_path: Path) -> None:
    build([seed_path], server.query_url)
    hostile = 'x" } } ; DROP ALL ; SELECT * WHERE { ?s ?p "'
    with RemoteStore.open(server.query_url, read_only=True) as remote:
        before = remote.quad_count()
        table = remote.query("SELECT ?label WHERE { ?s ?p ?label }", {"label": hostile})
        assert len(table) == 0
        assert remote.quad_count() == before
        with pytest.raises(QueryError):
            remote.query("SELECT WHERE {")


def test_unreachable_endpoint_is_one_line_error(seed_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kg", "build", str(seed_path), "--store", "http://127.0.0.1:9/query"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 3
    [line] = result.stderr.strip().splitlines()
    assert "http://127.0.0.1:9/query" in line


def test_graph_is_replaced_whole(server: OxigraphServer) -> None:
    graph = NamedNode("https://geokg.example.org/id/graph/replace-test")
    with RemoteStore.open(server.query_url) as remote:
        remote._put_graph(
            graph, b"<http://a> <http://b> <http://c> .\n<http://a> <http://b> <http://d> .\n"
        )
        assert remote.graph_quad_count(graph) == 2
        remote._put_graph(graph, b"<http://a> <http://b> <http://e> .\n")
        assert remote.graph_quad_count(graph) == 1
