"""kg/queries.py and queries/*.rq: headers, safe binding, expected rows, rendering."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad
from sample_extraction import sample_extraction

import kg
from kg.documents import read_documents
from kg.errors import QueryError
from kg.pipeline import Pipeline, default_pipeline
from kg.queries import (
    list_queries,
    load_query,
    parse_param_options,
    render,
    run_query,
    sparql_json,
)
from kg.store import Store, Table
from kg.validate import validate_store
from kg.vocab import GK, SEM, XSD

WD = "http://www.wikidata.org/entity/"


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(None) as s:
        s.write_extraction(sample_extraction())
        yield s


def values(table: Table, column: str) -> list[str]:
    i = table.columns.index(column)
    return [row[i].value if row[i] is not None else "" for row in table.rows]  # type: ignore[union-attr]


# --- headers ------------------------------------------------------------------------------


def test_every_named_query_has_a_complete_header() -> None:
    queries = list_queries()
    names = {q.name for q in queries}
    assert {
        "members-of-organization",
        "events-involving-state",
        "positions-held",
        "disputes-over-territory",
    } <= names
    for q in queries:
        assert q.title and q.title != q.name, q.name
        assert q.description, q.name
        assert any(e.startswith(f"kg query {q.name}") for e in q.examples), q.name
        for param in q.params:
            assert f"?{param.name}" in q.sparql, (q.name, param.name)


def test_header_declares_parameters_with_types() -> None:
    q = load_query("positions-held")
    assert [(p.name, p.type, p.optional) for p in q.params] == [
        ("person", "qid", True),
        ("org", "qid", True),
    ]


def test_unknown_query_names_the_available_ones() -> None:
    with pytest.raises(QueryError, match="members-of-organization"):
        load_query("no-such-query")


def test_a_query_file_path_works(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "count.rq"
    path.write_text("# title: Count events\nSELECT (COUNT(*) AS ?n) WHERE { ?e a sem:Event }\n")
    assert values(run_query(store, path), "n") == ["4"]


def test_bad_param_line_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.rq"
    path.write_text("# param: org\nSELECT ?org WHERE { ?org ?p ?o }\n")
    with pytest.raises(QueryError, match="bad '# param:' line"):
        load_query(path)


# --- the named queries give the expected rows ----------------------------------------------


def test_members_of_organization(store: Store) -> None:
    table = run_query(store, "members-of-organization", {"org": "Q318693"})
    assert values(table, "member") == [WD + "Q399"]
    assert values(table, "status") == ["full"]
    assert values(table, "evidence") == ["Armenia is a member of the CSTO."]


def test_events_involving_state(store: Store) -> None:
    table = run_query(store, "events-involving-state", {"state": "Q399"})
    assert sorted(values(table, "type")) == ["ASSAULT", "ASSAULT", "MOBILIZE", "REQUEST"]
    request = table.rows[values(table, "type").index("REQUEST")]
    row = dict(zip(table.columns, request, strict=True))
    assert row["mode"].value == "assist"  # type: ignore[union-attr]
    assert row["recipients"].value == "CSTO"  # type: ignore[union-attr]


def test_positions_held(store: Store) -> None:
    table = run_query(store, "positions-held")
    assert sorted(
        zip(
            values(table, "personLabel"),
            values(table, "role"),
            values(table, "orgLabel"),
            strict=True,
        )
    ) == [
        ("Nikol Pashinyan", "prime minister", "Armenia"),
        ("Stanislav Zas", "secretary general", "CSTO"),
    ]
    only_csto = run_query(store, "positions-held", {"org": "Q318693"})
    assert values(only_csto, "personLabel") == ["Stanislav Zas"]


def test_positions_held_gives_each_document_its_holdings_and_spelling() -> None:
    """positions-held reads each holding's post in the holding's own document graph: two
    documents that name the same post (one node, its triples in both graphs) give one row
    each, with the post as that document writes it, not every spelling times every copy."""
    with Store.open(None) as s:
        s.write_extraction(sample_extraction("a", "en"))
        upper = sample_extraction("b", "en")
        relations = [
            replace(r, extra=r.extra.upper()) if r.type == "HOLDS_POSITION" and r.extra else r
            for r in upper.relations
        ]
        s.write_extraction(replace(upper, relations=relations))
        table = run_query(s, "positions-held", {"org": "Q399"})
        assert sorted(zip(values(table, "document"), values(table, "position"), strict=True)) == [
            ("a", "Prime Minister"),
            ("b", "PRIME MINISTER"),
        ]
        assert values(table, "role") == ["prime minister", "prime minister"]
        assert values(table, "personLabel") == ["Nikol Pashinyan", "Nikol Pashinyan"]


def test_disputes_over_territory(store: Store) -> None:
    table = run_query(store, "disputes-over-territory", {"territory": "Q44302"})
    assert len(table) == 1
    assert sorted(values(table, "parties")[0].split(" / ")) == ["Armenia", "Azerbaijan"]
    assert values(table, "incompatibility") == ["territory"]


def test_entities_without_wikidata_link(store: Store) -> None:
    table = run_query(store, "entities-without-wikidata")
    assert values(table, "label") == ["Stanislav Zas"]
    assert values(table, "mentions") == ["1"]


def test_coverage_per_language() -> None:
    with Store.open(None) as s:
        s.write_extraction(sample_extraction("a", "en"))
        s.write_extraction(sample_extraction("b", "id"))
        table = run_query(s, "coverage-per-language")
        assert values(table, "lang") == ["en", "id"]
        assert values(table, "events") == ["4", "4"]
        assert values(table, "linkedEntities") == ["6", "6"]
        only_id = run_query(s, "coverage-per-language", {"lang": "id"})
        assert values(only_id, "lang") == ["id"]
        with pytest.raises(QueryError, match="language tag"):
            run_query(s, "coverage-per-language", {"lang": "Bahasa Indonesia"})


# --- parameters are bound, never spliced -----------------------------------------------------

INJECTIONS = [
    "x> } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o",
    'Q1" } UNION { ?member ?p ?o } #',
    "http://x> } ; DROP ALL ; #",
]


@pytest.mark.parametrize("attack", INJECTIONS)
def test_injection_into_a_qid_parameter_is_refused(store: Store, attack: str) -> None:
    before = store.dump("nquads")
    with pytest.raises(QueryError, match="--param org="):
        run_query(store, "members-of-organization", {"org": attack})
    assert store.dump("nquads") == before


@pytest.mark.parametrize("attack", [*INJECTIONS, 'Armenia" } ; DROP ALL ; #'])
def test_injection_into_a_string_parameter_stays_one_literal(
    tmp_path: Path, store: Store, attack: str
) -> None:
    path = tmp_path / "by-label.rq"
    path.write_text(
        "# title: Entities by label\n"
        "# param: label (string): the exact label\n"
        "SELECT ?label ?entity WHERE { ?entity rdfs:label ?label }\n"
    )
    before = store.dump("nquads")
    assert len(run_query(store, path, {"label": attack})) == 0
    assert store.dump("nquads") == before
    # and the binding is real: the honest value finds the entity
    assert values(run_query(store, path, {"label": "Armenia"}), "entity") == [WD + "Q399"]


def test_qid_param_accepts_minted_iris(store: Store) -> None:
    zas = run_query(store, "positions-held", {"org": "Q318693"}).rows[0][0]
    table = run_query(store, "positions-held", {"person": zas.value})  # type: ignore[union-attr]
    assert values(table, "personLabel") == ["Stanislav Zas"]


def test_unknown_and_missing_parameters_are_errors(store: Store) -> None:
    with pytest.raises(QueryError, match="unknown parameter"):
        run_query(store, "members-of-organization", {"org": "Q1", "colour": "red"})
    with pytest.raises(QueryError, match="missing --param org"):
        run_query(store, "members-of-organization", {})


def test_parse_param_options() -> None:
    assert parse_param_options(["org=Q318693", "label=a=b"]) == {"org": "Q318693", "label": "a=b"}
    with pytest.raises(QueryError, match="key=value"):
        parse_param_options(["org"])


# --- rendering ------------------------------------------------------------------------------


def test_render_table_csv_json(store: Store) -> None:
    table = run_query(store, "members-of-organization", {"org": "Q318693"})
    text = render(table, "table")
    assert "wd:Q399" in text and "(1 row)" in text
    rows = list(csv.DictReader(io.StringIO(render(table, "csv"))))
    assert rows[0]["member"] == WD + "Q399"
    rows_json = json.loads(render(table, "json"))
    assert rows_json[0]["member"] == WD + "Q399" and rows_json[0]["status"] == "full"
    doc = sparql_json(table)
    assert doc["head"] == {"vars": table.columns}
    assert doc["results"]["bindings"][0]["member"] == {"type": "uri", "value": WD + "Q399"}  # type: ignore[index]
    with pytest.raises(QueryError):
        render(table, "xml")


def test_json_keeps_datatypes() -> None:
    table = Table(["n"], [(Literal("4", datatype=XSD.integer),)])
    binding = sparql_json(table)["results"]["bindings"][0]["n"]  # type: ignore[index]
    assert binding == {"type": "literal", "value": "4", "datatype": XSD.integer.value}


# --- end to end on the seed article ----------------------------------------------------------


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return default_pipeline()


@pytest.fixture(scope="module")
def seed_store(
    tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline, seed_path: Path
) -> Iterator[Store]:
    """The seed article through the real pipeline into an on-disk store."""
    with Store.open(tmp_path_factory.mktemp("seed") / "store") as store:
        for doc in read_documents([seed_path]):
            store.write_extraction(pipeline(doc))
        yield store


def test_seed_members_of_the_csto(seed_store: Store) -> None:
    table = run_query(seed_store, "members-of-organization", {"org": "Q318693"})
    assert WD + "Q399" in values(table, "member")


def test_seed_events_involving_armenia(seed_store: Store) -> None:
    table = run_query(seed_store, "events-involving-state", {"state": "Q399"})
    rows = [dict(zip(table.columns, row, strict=True)) for row in table.rows]
    kinds = {(r["type"].value, r["role"].value) for r in rows}  # type: ignore[union-attr]
    assert {("REQUEST", "actor"), ("ASSAULT", "actor")} <= kinds
    request_to_csto = [
        r
        for r in rows
        if r["type"].value == "REQUEST" and "Collective Security" in r["recipients"].value  # type: ignore[union-attr]
    ]
    assert request_to_csto
    evidence = " ".join(values(table, "evidence"))
    assert "Putin" not in evidence and "Venezuela" not in evidence  # pasted headlines


def test_seed_positions(seed_store: Store) -> None:
    table = run_query(seed_store, "positions-held")
    held = set(zip(values(table, "personLabel"), values(table, "org"), strict=True))
    assert ("Nikol Pashinyan", WD + "Q399") in held
    assert ("Stanislav Zas", WD + "Q318693") in held
    assert ("Anatoly Sidorov", WD + "Q318693") in held
    roles = dict(zip(values(table, "personLabel"), values(table, "role"), strict=True))
    assert roles["Nikol Pashinyan"] == "prime minister"


def test_seed_dispute_over_nagorno_karabakh(seed_store: Store) -> None:
    table = run_query(seed_store, "disputes-over-territory", {"territory": "Q44302"})
    assert ["Armenia", "Azerbaijan"] in [sorted(p.split(" / ")) for p in values(table, "parties")]


def test_seed_store_validates(seed_store: Store) -> None:
    report = validate_store(seed_store)
    assert report.conforms, report.text


def test_seed_rebuild_adds_nothing(seed_store: Store, pipeline: Pipeline, seed_path: Path) -> None:
    count, dump = seed_store.quad_count(), seed_store.dump("nquads")
    for doc in read_documents([seed_path]):
        seed_store.write_extraction(pipeline(doc))
    assert seed_store.quad_count() == count
    assert seed_store.dump("nquads") == dump


# --- the light evidence layer: offsets in span IRIs, flags true or absent -------------------


def _rows(table: Table) -> list[dict[str, object]]:
    return [
        {c: (v.value if v is not None else None) for c, v in zip(table.columns, row, strict=True)}
        for row in table.rows
    ]


@pytest.mark.parametrize("annotations", ["light", "full"])
def test_assertion_evidence_gives_offsets_and_text_at_every_level(annotations: str) -> None:
    """The offsets come from the span's IRI (<doc#char=b,e>), which is all the default
    level writes of them; a full store gives the same rows."""
    extraction = sample_extraction()
    request = next(e for e in extraction.events if e.type == "REQUEST")
    span = request.evidence
    with Store.open(None) as s:
        s.write_extraction(extraction, annotations=annotations)
        (event,) = s.query("SELECT ?e WHERE { ?e sem:eventType plover:REQUEST ; a sem:Event }").rows
        table = run_query(s, "assertion-evidence", {"assertion": event[0].value})  # type: ignore[union-attr]
    (row,) = _rows(table)
    assert (row["begin"], row["end"]) == (str(span.start), str(span.end))
    assert row["evidence"] == span.text == extraction.document.text[span.start : span.end]
    assert row["document"] == "sample-1" and row["confidence"] == "0.8"
    assert row["extractor"] == kg.__version__  # through the document graph's activity


def test_flags_written_only_when_true_read_as_false_when_absent(store: Store) -> None:
    table = run_query(store, "events-involving-state", {"state": "Q399"})
    flags = {
        (r["type"], r["negated"], r["hypothetical"], r["claimed"])
        for r in _rows(table)
        if r["role"] == "actor" or r["type"] != "ASSAULT"
    }
    assert flags == {
        ("REQUEST", "false", "false", "false"),
        ("ASSAULT", "false", "false", "false"),
        ("MOBILIZE", "false", "true", "false"),
    }
    denied = [r for r in _rows(table) if r["negated"] == "true"]
    assert [(r["type"], r["role"]) for r in denied] == [("ASSAULT", "recipient")]
    between = _rows(run_query(store, "events-between-states", {"a": "Q399", "b": "Q227"}))
    assert sorted(r["negated"] for r in between) == ["false", "true"]
    assert all(r["claimed"] == "false" for r in between)


def test_a_store_with_explicit_false_flags_gives_the_same_answers(store: Store) -> None:
    """A store built before 2026-12-08 writes every flag, false ones too: the queries read
    both shapes alike."""
    before = run_query(store, "events-involving-state", {"state": "Q399"})
    graph = NamedNode(store.document_graphs()[0])
    events = [q.subject for q in store.ox.quads_for_pattern(None, SEM.eventType, None, graph)]
    added = 0
    for event in events:
        for flag in (GK.negated, GK.hypothetical, GK.claimed):
            if not list(store.ox.quads_for_pattern(event, flag, None, graph)):
                store.ox.add(Quad(event, flag, Literal("false", datatype=XSD.boolean), graph))
                added += 1
    assert added == 3 * 4 - 2  # every flag of the 4 events but the two true ones
    after = run_query(store, "events-involving-state", {"state": "Q399"})
    assert sorted(map(str, after.rows)) == sorted(map(str, before.rows))


def test_parameters_written_in_give_the_rows_substitutions_give(
    seed_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Store.query writes bound parameters into the query text (kg/inline.py) so that
    Oxigraph plans with them; the answer must be the one SEP-0007 substitutions give,
    for every example of every named query."""
    import kg.store

    examples = [(q.name, params) for q in list_queries() for params in q.example_parameters()]
    assert len(examples) >= 10
    inlined = {(n, str(p)): run_query(seed_store, n, p) for n, p in examples}
    monkeypatch.setattr(kg.store, "inline_bindings", lambda sparql, bindings: None)
    answered = 0
    for name, params in examples:
        substituted = run_query(seed_store, name, params)
        written_in = inlined[(name, str(params))]
        assert written_in.columns == substituted.columns, name
        assert sorted(map(str, written_in.rows)) == sorted(map(str, substituted.rows)), name
        answered += bool(substituted.rows)
    assert answered >= 5  # the seed answers enough of them for the comparison to mean something
