"""kg/inline.py: bound parameters written into the query as terms, where SPARQL takes them."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode
from pyoxigraph import Store as OxStore

from kg.inline import inline_bindings
from kg.queries import list_queries
from kg.store import Store
from kg.vocab import PREFIXES

Q399 = NamedNode("http://www.wikidata.org/entity/Q399")


def test_patterns_and_expressions_get_the_term_columns_and_keys_keep_the_variable() -> None:
    sparql = (
        "SELECT ?entity ?n WHERE { { SELECT ?entity (COUNT(*) AS ?n) WHERE {"
        " ?d gk:mentions ?entity FILTER(COALESCE(?entity, '') != '') } GROUP BY ?entity } }"
        " ORDER BY ?entity"
    )
    assert inline_bindings(sparql, {"entity": Q399}) == (
        "SELECT ?entity ?n WHERE { { SELECT ?entity (COUNT(*) AS ?n) WHERE {"
        f" ?d gk:mentions {Q399} FILTER(COALESCE({Q399}, '') != '') }} GROUP BY ?entity }} }}"
        " ORDER BY ?entity"
    )


def test_comments_strings_and_iris_are_left_alone() -> None:
    sparql = (
        "# ?x in a comment\nSELECT * WHERE { ?s <http://e.org/a?x=1> \"?x\" , '''?x''' ;"
        " gk:order ?x }"
    )
    inlined = inline_bindings(sparql, {"x": Literal("v")})
    assert inlined == (
        "# ?x in a comment\nSELECT * WHERE { ?s <http://e.org/a?x=1> \"?x\" , '''?x''' ;"
        ' gk:order "v" }'
    )


def test_a_value_stays_one_term() -> None:
    attack = 'Q1" } UNION { ?member ?p ?o } #'
    inlined = inline_bindings("SELECT ?x WHERE { ?s ?p ?x }", {"x": Literal(attack)})
    assert inlined == 'SELECT ?x WHERE { ?s ?p "Q1\\" } UNION { ?member ?p ?o } #" }'


def test_what_cannot_take_a_term_is_not_rewritten() -> None:
    assert inline_bindings("SELECT * WHERE { FILTER(BOUND(?x)) }", {"x": Q399}) is None
    assert inline_bindings("SELECT (STR(?x) AS ?y) WHERE { ?s ?p ?o }", {"x": Q399}) is None
    assert inline_bindings("SELECT * WHERE { ?s ?p ?o }", {}) is None


def test_store_query_fills_bound_columns_and_falls_back_to_substitution() -> None:
    with Store.open(None) as store:
        table = store.query("SELECT ?x WHERE { }", {"x": Q399})
        assert table.rows == [(Q399,)]
        # VALUES takes no term where its variable is: substitution, as before.
        table = store.query("SELECT ?x WHERE { VALUES ?x { 1 } }", {"x": Q399})
        assert table.rows == []


def test_every_named_query_is_rewritten_with_its_example_parameters() -> None:
    for query in list_queries():
        for raw in query.example_parameters():
            inlined = inline_bindings(query.sparql, query.bindings(raw))
            assert inlined is not None, (query.name, raw)
            # It parses (the server sends it as it is, with no fallback).
            OxStore().query(inlined, prefixes=PREFIXES, use_default_graph_as_union=True)
