"""kg/store.py against a real embedded pyoxigraph store (on disk where it matters)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode
from sample_extraction import sample_extraction, span_of

from kg.errors import QueryError, StoreError
from kg.knowledge.layer import knowledge_graph
from kg.model import Relation
from kg.rdf import document_graph
from kg.store import Store
from kg.vocab import DEFAULT_BASE_IRI, GK, ONTOLOGY_GRAPH, SEM, SETTINGS_GRAPH


def test_write_read_back_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with Store.open(path) as store:
        result = store.write_extraction(sample_extraction())
        written = store.quad_count()
    assert result.quads_after > 100 and not result.replaced
    with Store.open(path, read_only=True) as store:
        assert store.quad_count() == written
        assert store.document_graphs() == [document_graph("sample-1").value]


def test_optimize_keeps_every_quad(tmp_path: Path) -> None:
    """Compaction rewrites the store's files, never what they hold."""
    path = tmp_path / "store"
    with Store.open(path) as store:
        for number in range(3):
            store.write_extraction(sample_extraction(doc_id=f"sample-{number}"))
        before = store.dump("nquads")
        store.optimize()
        assert store.dump("nquads") == before
    with Store.open(path, read_only=True) as store:
        assert store.dump("nquads") == before


def test_ontology_is_loaded_once_into_its_own_graph(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s") as store:
        assert ONTOLOGY_GRAPH.value in store.named_graphs()
        ontology_quads = store.graph_quad_count(ONTOLOGY_GRAPH)
        assert ontology_quads > 500
        assert store.ensure_ontology() is False  # same version: not reloaded
    with Store.open(tmp_path / "s") as store:
        assert store.graph_quad_count(ONTOLOGY_GRAPH) == ontology_quads


def test_same_extraction_twice_leaves_the_store_identical(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s") as store:
        store.write_extraction(sample_extraction())
        count, dump = store.quad_count(), store.dump("nquads")
        again = store.write_extraction(sample_extraction())
        assert again.replaced and again.unchanged
        assert store.quad_count() == count
        assert store.dump("nquads") == dump


def test_two_builds_give_byte_identical_dumps(tmp_path: Path) -> None:
    dumps = []
    for name in ("a", "b"):
        with Store.open(tmp_path / name) as store:
            store.write_extraction(sample_extraction("doc-1"))
            store.write_extraction(sample_extraction("doc-2", lang="id"))
            dumps.append((store.quad_count(), store.dump("nquads")))
    assert dumps[0] == dumps[1]


def test_rewriting_a_document_replaces_its_graph_whole() -> None:
    with Store.open(None) as store:
        store.write_extraction(sample_extraction())
        events_before = len(store.query("SELECT ?e WHERE { ?e a sem:Event }"))
        fewer = replace(sample_extraction(), events=sample_extraction().events[:1])
        result = store.write_extraction(fewer)
        assert result.quads_after < result.quads_before
        assert events_before == 4
        assert len(store.query("SELECT ?e WHERE { ?e a sem:Event }")) == 1


def test_documents_live_in_separate_graphs() -> None:
    with Store.open(None) as store:
        store.write_extraction(sample_extraction("one"))
        store.write_extraction(sample_extraction("two"))
        assert len(store.document_graphs()) == 2
        assert store.remove_document("one") is True
        assert store.remove_document("one") is False
        assert store.document_graphs() == [document_graph("two").value]


def test_a_write_that_fails_midway_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s") as store:
        store.write_extraction(sample_extraction())
        before = store.dump("nquads")
        broken = sample_extraction()
        broken.events = broken.events[:1]  # would shrink the graph...
        broken.relations.append(  # ...but the last relation cannot be mapped
            Relation("FRIENDS_WITH", "Q399", "Q227", None, 0.5, span_of("Baku"))
        )
        with pytest.raises(StoreError, match="left as it was"):
            store.write_extraction(broken)
        assert store.dump("nquads") == before


def test_a_store_failure_inside_the_update_rolls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """The replace is one update: if Oxigraph fails after the DROP, the DROP is undone too."""
    with Store.open(None) as store:
        store.write_extraction(sample_extraction())
        before = store.dump("nquads")
        real_update = store.ox.update

        def update_then_fail(update: str) -> None:
            # Same update, plus an operation that fails at execution time (DROP of a graph
            # that does not exist, without SILENT), after the document graph was dropped.
            real_update(update + " ; DROP GRAPH <https://geokg.example.org/id/graph/missing>")

        real = store.ox
        monkeypatch.setattr(store, "_ox", _UpdateProxy(real, update_then_fail))
        with pytest.raises(StoreError, match="nothing was written"):
            store.write_extraction(replace(sample_extraction(), events=[]))
        monkeypatch.setattr(store, "_ox", real)
        assert store.dump("nquads") == before


class _UpdateProxy:
    """The real pyoxigraph store, with update() replaced: fault injection, not a mock."""

    def __init__(self, wrapped: object, update: object) -> None:
        self.wrapped = wrapped
        self.update = update

    def __getattr__(self, name: str) -> object:
        return getattr(self.wrapped, name)

    def __len__(self) -> int:
        return len(self.wrapped)  # type: ignore[arg-type]


def test_query_binds_terms_as_substitutions() -> None:
    with Store.open(None) as store:
        store.write_extraction(sample_extraction())
        table = store.query(
            "SELECT ?type ?e WHERE { ?e a sem:Event ; sem:eventType ?type }",
            {"type": NamedNode("https://w3id.org/geokg/plover/ASSAULT")},
        )
        assert len(table) == 2
        labels = store.query("SELECT ?l ?s WHERE { ?s rdfs:label ?l }", {"l": Literal("Armenia")})
        assert [row[1] for row in labels.rows] == [NamedNode("http://www.wikidata.org/entity/Q399")]
        as_str = store.query("SELECT ?l ?s WHERE { ?s rdfs:label ?l }", {"l": "Armenia"})
        assert as_str.rows == labels.rows
        unsafe = store.query("SELECT ?l ?s WHERE { ?s rdfs:label ?l }", {"l": 'x" } ; DROP ALL #'})
        assert len(unsafe) == 0 and store.quad_count() > 0


def test_select_streams_the_rows_that_query_tables() -> None:
    with Store.open(None) as store:
        store.write_extraction(sample_extraction())
        sparql = "SELECT ?m ?e WHERE { ?m gk:tallyOf ?e }"
        table = store.query(sparql)
        streamed = list(store.select(sparql))
        with pytest.raises(QueryError, match="SELECT queries only"):
            list(store.select("ASK { ?s ?p ?o }"))
        with pytest.raises(QueryError, match="invalid SPARQL"):
            list(store.select("SELECT ?s WHERE {"))
    assert len(streamed) == len(table.rows) > 3
    assert sorted(tuple(str(r[c]) for c in table.columns) for r in streamed) == sorted(
        tuple(str(cell) for cell in row) for row in table.rows
    )


def test_bad_sparql_is_a_query_error() -> None:
    with Store.open(None) as store, pytest.raises(QueryError, match="invalid SPARQL"):
        store.query("SELECT WHERE {")


def test_updates_cannot_run_through_query() -> None:
    with Store.open(None) as store:
        count = store.quad_count()
        with pytest.raises(QueryError):
            store.query("DROP ALL")
        assert store.quad_count() == count


def test_ask_and_construct_come_back_as_tables() -> None:
    with Store.open(None) as store:
        store.write_extraction(sample_extraction())
        ask = store.query("ASK { ?e a sem:Event }")
        assert ask.columns == ["result"] and ask.rows[0][0] == Literal(
            "true", datatype=ask.rows[0][0].datatype
        )  # type: ignore[union-attr]
        construct = store.query("CONSTRUCT { ?s a sem:Event } WHERE { ?s a sem:Event }")
        assert construct.columns == ["subject", "predicate", "object"] and len(construct) == 4


def test_stats_count_classes_graphs_and_languages() -> None:
    with Store.open(None) as store:
        store.write_extraction(sample_extraction("one", lang="en"))
        store.write_extraction(sample_extraction("two", lang="id"))
        stats = store.stats()
    assert stats.documents == 2
    assert stats.languages == {"en": 1, "id": 1}
    assert stats.classes[SEM.Event.value] == 8
    assert stats.classes[GK.State.value] == 3  # Armenia, Azerbaijan, Belarus: once each
    assert set(stats.graphs) == {
        document_graph("one").value,
        document_graph("two").value,
        ONTOLOGY_GRAPH.value,
        SETTINGS_GRAPH.value,
        knowledge_graph(DEFAULT_BASE_IRI).value,
    }
    # The two documents report the same events, so they merge; and within each, the clash
    # "between Armenia and Azerbaijan" and "Azerbaijan attacked Armenia" on the same day are
    # one: a request, a mobilisation, a clash.
    assert stats.classes[GK.WorldEvent.value] == 3
    assert stats.quads == sum(stats.graphs.values())


def test_dump_formats() -> None:
    with Store.open(None) as store:
        store.write_extraction(sample_extraction())
        assert b"<https://geokg.example.org/id/graph/sample-1>" in store.dump("trig")
        turtle = store.dump("turtle", graph=document_graph("sample-1").value)
        assert b"sem/Event" in turtle or b"sem:Event" in turtle
        with pytest.raises(StoreError):
            store.dump("turtle")
        with pytest.raises(StoreError):
            store.dump("xml")


def test_missing_store_read_only_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="kg build"):
        Store.open(tmp_path / "nowhere", read_only=True)


def test_closed_store_refuses_work() -> None:
    store = Store.open(None)
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.quad_count()


def test_stats_render_as_json_and_text() -> None:
    with Store.open(None) as store:
        store.write_extraction(sample_extraction())
        stats = store.stats()
    as_json = stats.to_json()
    assert as_json["languages"] == {"en": 1} and as_json["documents"] == 1
    text = stats.to_text()
    assert "sem:Event" in text and "languages" in text and "en" in text


def test_a_new_ontology_version_is_reloaded(monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(None) as store:
        monkeypatch.setattr("kg.store._ontology_version", lambda: "9.9.9")
        assert store.ensure_ontology() is True  # version differs: reloaded
        assert store.ensure_ontology() is True  # the files still say 0.1.0, so never "present"
        monkeypatch.undo()
        assert store.ensure_ontology() is False


def test_a_store_in_use_is_a_clear_error(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s"), pytest.raises(StoreError, match="another kg command"):
        Store.open(tmp_path / "s")


def test_base_iri_of_a_store_names_its_graphs() -> None:
    with Store.open(None, base_iri="https://data.example.org/") as store:
        result = store.write_extraction(sample_extraction())
        assert result.graph == "https://data.example.org/graph/sample-1"
        assert store.document_graphs() == [result.graph]


HOSTILE = (
    'He said: "} } ; DROP ALL ; INSERT DATA { <a> <b> <c> } #\n\t\\ \'\'\' """ \u202e مرحبا 😀'
)


def test_hostile_text_and_labels_are_stored_verbatim() -> None:
    """Document text and labels reach the store as escaped literals, never as SPARQL."""
    ex = sample_extraction()
    ex.document.text = ex.document.text + " " + HOSTILE
    ex.entities[-1].label = HOSTILE
    with Store.open(None) as store:
        store.write_extraction(ex)
        texts = store.query("SELECT ?t WHERE { ?c a nif:Context ; nif:isString ?t }")
        labels = store.query("SELECT ?l WHERE { ?e a gk:Person ; rdfs:label ?l }")
        assert texts.rows[0][0] == Literal(ex.document.text)
        assert Literal(HOSTILE) in {row[0] for row in labels.rows}
        assert len(store.document_graphs()) == 1


@settings(max_examples=40, deadline=None)
@given(text=st.text(min_size=1, max_size=200), doc_id=st.text(min_size=1, max_size=30))
def test_any_text_and_id_round_trip(text: str, doc_id: str) -> None:
    ex = sample_extraction()
    ex.document = replace(ex.document, id=doc_id, text=text)
    ex.entities, ex.relations, ex.events = [], [], []
    with Store.open(None) as store:
        result = store.write_extraction(ex)
        stored = store.query("SELECT ?t WHERE { ?c a nif:Context ; nif:isString ?t }")
        assert stored.rows == [(Literal(text),)]
        assert store.write_extraction(ex).quads_after == result.quads_after


def test_a_store_keeps_the_base_iri_it_was_built_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s"
    monkeypatch.setenv("GEOKG_BASE_IRI", "https://data.example.org/kg/")
    with Store.open(path) as store:
        first = store.write_extraction(sample_extraction())
    monkeypatch.delenv("GEOKG_BASE_IRI")
    with Store.open(path) as store:  # no base asked for: the store's own
        assert store.base_iri == "https://data.example.org/kg/"
        again = store.write_extraction(sample_extraction())
        assert again.graph == first.graph and again.unchanged
        assert len(store.document_graphs()) == 1
    with pytest.raises(StoreError, match="mints IRIs under https://data.example.org/kg/"):
        Store.open(path, base_iri="https://elsewhere.example/")
    with Store.open(path, read_only=True) as store:
        assert store.base_iri == "https://data.example.org/kg/"


def test_document_fingerprint_is_stored_and_read_back() -> None:
    ex = sample_extraction()
    ex.document.fingerprint = "sha256:abc123"
    with Store.open(None) as store:
        assert store.document_fingerprint("sample-1") is None
        store.write_extraction(ex)
        assert store.document_fingerprint("sample-1") == "sha256:abc123"
        store.write_extraction(sample_extraction("other"))  # no fingerprint given
        assert store.document_fingerprint("other") is None


def test_a_new_store_appears_whole_and_leftovers_of_killed_creations_go(tmp_path: Path) -> None:
    """A store is created in a hidden sibling and renamed into place, so a build killed
    while creating it leaves no half-made store that read-only opens cannot read."""
    dead_creation = tmp_path / ".store.creating-999999999"  # no such process
    dead_creation.mkdir()
    (dead_creation / "CURRENT").write_text("MANIFEST-000001\n")
    with Store.open(tmp_path / "store"):
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]
    with Store.open(tmp_path / "store", read_only=True) as store:
        assert store.quad_count() > 0  # the ontology came with the creation


def test_an_empty_folder_becomes_a_store_but_a_full_one_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with Store.open(tmp_path / "empty") as store:
        assert store.quad_count() > 0
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="not a geokg store and not empty"):
        Store.open(tmp_path / "papers")
    assert [p.name for p in (tmp_path / "papers").iterdir()] == ["notes.txt"]
