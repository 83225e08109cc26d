"""kg/validate.py with ontology/shapes.ttl: a good build conforms, injected faults do not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

import pytest
from pyoxigraph import Literal, NamedNode, Quad
from sample_extraction import sample_extraction, span_of

from kg.errors import ValidationFailed
from kg.model import Extraction, Span
from kg.rdf import document_graph
from kg.store import Store
from kg.validate import validate_store
from kg.vocab import GK, PLOVER_NS, SEM


def report_for(extraction: Extraction, annotations: str = "full") -> tuple[bool, str]:
    with Store.open(None) as store:
        # By default with mentions too, to check them.
        store.write_extraction(extraction, annotations=annotations)
        report = validate_store(store)
    return report.conforms, report.text


def test_a_good_extraction_conforms() -> None:
    conforms, text = report_for(sample_extraction())
    assert conforms, text
    assert "1 document graph(s) validated" in text and "every graph conforms" in text


def test_a_good_extraction_conforms_at_the_default_level() -> None:
    conforms, text = report_for(sample_extraction(), annotations="light")
    assert conforms, text


def _shift_evidence(ex: Extraction) -> None:
    ev = ex.events[0].evidence
    ex.events[0] = replace(ex.events[0], evidence=Span(ev.start + 1, ev.end + 1, ev.text))


@pytest.mark.parametrize("annotations", ["light", "full"])
def test_evidence_offsets_that_drifted_are_caught_at_every_level(annotations: str) -> None:
    """At the default level the offsets are only in the span's IRI (<doc#char=b,e>) and
    the text is the document's context: the shapes compare the two all the same."""
    ex = sample_extraction()
    _shift_evidence(ex)
    conforms, text = report_for(ex, annotations)
    assert not conforms
    assert f"({ex.events[0].evidence.text}) is not what the document holds" in text


def test_an_empty_evidence_span_is_caught_at_the_default_level() -> None:
    ex = sample_extraction()
    _empty_evidence_span(ex)
    conforms, text = report_for(ex, annotations="light")
    assert not conforms
    assert "is not what the document holds at its offsets" in text


def test_an_empty_store_conforms() -> None:
    with Store.open(None) as store:
        assert validate_store(store).conforms


def _shift_mention(ex: Extraction) -> None:
    entity = ex.entities[0]
    m = entity.mentions[0]
    entity.mentions[0] = replace(m, start=m.start + 1, end=m.end + 1)  # text no longer matches


def _bogus_event_type(ex: Extraction) -> None:
    ex.events[0] = replace(ex.events[0], type="DEMAND")  # PLOVER 0.x, not 2.0


def _confidence_above_one(ex: Extraction) -> None:
    ex.relations[0] = replace(ex.relations[0], score=1.2)


def _naive_publication_time(ex: Extraction) -> None:
    ex.document.published = datetime(2022, 9, 16, 8, 40)


def _unknown_membership_status(ex: Extraction) -> None:
    ex.relations[0] = replace(ex.relations[0], extra="honorary")


def _event_without_actor(ex: Extraction) -> None:
    ex.events[0] = replace(ex.events[0], actor=[])


def _unparsed_date(ex: Extraction) -> None:
    ex.events[0] = replace(ex.events[0], date="last Wednesday")


def _empty_evidence_span(ex: Extraction) -> None:
    at = span_of("Baku").start
    ex.events[0] = replace(ex.events[0], evidence=Span(at, at, ""))


def _bad_language_tag(ex: Extraction) -> None:
    ex.document.lang = "Bahasa Indonesia"


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (_shift_mention, "is not what the document holds at its offsets"),
        (_bogus_event_type, "one of the 16 PLOVER 2.0 types"),
        (_confidence_above_one, "confidence in [0, 1]"),
        (_unknown_membership_status, "membership-status list"),
        (_event_without_actor, "at least one actor"),
        (_unparsed_date, "xsd:date, xsd:gYearMonth or xsd:gYear"),
        (_empty_evidence_span, "begins before it ends"),
        (_bad_language_tag, "BCP 47"),
    ],
)
def test_injected_violation_is_caught(fault: Callable[[Extraction], None], message: str) -> None:
    ex = sample_extraction()
    fault(ex)
    conforms, text = report_for(ex)
    assert not conforms
    assert message in text
    assert document_graph("sample-1").value in text  # the report names the graph to look at


def test_publication_time_without_zone_is_kept_and_conforms() -> None:
    """A source that states no time zone ("2022-09-16") is stored as it said: a warning."""
    ex = sample_extraction()
    _naive_publication_time(ex)
    conforms, _text = report_for(ex)
    assert conforms
    with Store.open(None) as store:
        store.write_extraction(ex)
        (row,) = store.query("SELECT ?t WHERE { ?d dcterms:issued ?t }").rows
        assert row[0] is not None and row[0].value == "2022-09-16T08:40:00"


def test_mode_of_another_event_type_is_caught() -> None:
    """The mapping never writes such a mode; a hand edit of the store can."""
    with Store.open(None) as store:
        store.write_extraction(sample_extraction())
        (request,) = store.query(
            "SELECT ?t ?e WHERE { ?e a sem:Event ; sem:eventType ?t }", {"t": PLOVER_NS["REQUEST"]}
        ).rows
        event = request[1]
        assert isinstance(event, NamedNode)
        graph = document_graph("sample-1")
        store.ox.remove(Quad(event, GK.ploverMode, PLOVER_NS["REQUEST-assist"], graph))
        store.ox.add(Quad(event, GK.ploverMode, PLOVER_NS["RETREAT-ceasefire"], graph))
        report = validate_store(store)
    assert not report.conforms
    assert "does not belong to the event type" in report.text


def test_missing_evidence_is_caught() -> None:
    with Store.open(None) as store:
        store.write_extraction(sample_extraction())
        graph = document_graph("sample-1")
        for quad in list(store.ox.quads_for_pattern(None, GK.evidence, None, graph)):
            store.ox.remove(quad)
        report = validate_store(store)
    assert not report.conforms
    assert "every assertion has an evidence span" in report.text


def test_raise_for_violations() -> None:
    with Store.open(None) as store:
        store.write_extraction(sample_extraction())
        validate_store(store).raise_for_violations()  # conforms: no error
        graph = document_graph("sample-1")
        event = next(iter(store.ox.quads_for_pattern(None, SEM.eventType, None, graph))).subject
        store.ox.add(Quad(event, GK.confidence, Literal("0.3"), graph))
        report = validate_store(store)
        with pytest.raises(ValidationFailed, match=r"1 do not conform \(") as err:
            report.raise_for_violations()
        assert "\n" not in str(err.value)  # one line for the CLI; report.text has the rest


def test_violations_are_attributed_to_their_document_in_a_batch() -> None:
    bad = sample_extraction("bad-doc")
    _bogus_event_type(bad)
    with Store.open(None) as store:
        store.write_extraction(sample_extraction("good-doc"))
        store.write_extraction(bad)
        for batch_size in (1, 10):
            report = validate_store(store, batch_size=batch_size)
            assert [g.graph for g in report.failing] == [document_graph("bad-doc").value]
            assert len(report.graphs) == 2
            assert "good-doc" not in report.text.split("\n\n", 1)[1]


def test_other_graphs_are_not_validated_as_documents() -> None:
    """Background or VoID graphs other stages add are not document graphs."""
    with Store.open(None) as store:
        store.write_extraction(sample_extraction())
        other = NamedNode("https://geokg.example.org/id/graph/background")
        store.replace_graph(
            other, [Quad(NamedNode("http://x/s"), GK.confidence, Literal("9"), other)]
        )
        report = validate_store(store)
    assert [g.graph for g in report.graphs] == [document_graph("sample-1").value]
    assert report.conforms
