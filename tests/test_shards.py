"""kg/shards.py: a document's graph as N-Quads, made by a worker and loaded by the writer."""

from __future__ import annotations

import pickle
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sample_extraction import sample_extraction, span_of

from kg.errors import StoreError
from kg.model import Relation
from kg.rdf import extraction_quads
from kg.shards import make_shard
from kg.store import Store
from kg.vocab import GK

BASE = "https://data.example.org/"


def test_a_shard_holds_exactly_the_graph_of_its_extraction() -> None:
    extraction = sample_extraction()
    shard = make_shard(extraction, BASE)
    assert sorted(map(str, shard.quads())) == sorted(map(str, extraction_quads(extraction, BASE)))
    assert shard.quad_count == len(shard.quads())
    assert shard.graph == f"{BASE}graph/{extraction.document.id}"


def test_the_source_fingerprint_and_only_it_travels_as_the_commit_marker() -> None:
    extraction = sample_extraction()
    document = replace(extraction.document, fingerprint="sha256:0123abcd")
    shard = make_shard(replace(extraction, document=document), BASE)
    fingerprint = str(GK.sourceFingerprint).encode()
    assert shard.marker.count(b"\n") == 1 and fingerprint in shard.marker
    assert fingerprint not in shard.body and b"sha256:0123abcd" in shard.marker


def test_a_shard_counts_what_the_build_summary_reports() -> None:
    extraction = sample_extraction()
    tally = make_shard(extraction, BASE).tally
    assert tally.mentions == sum(len(e.mentions) for e in extraction.entities)
    assert (tally.relations, tally.events) == (len(extraction.relations), len(extraction.events))
    assert set(tally.linked_qids) == {e.qid for e in extraction.entities if e.qid}


def test_a_shard_survives_the_trip_to_a_worker_and_back() -> None:
    shard = make_shard(sample_extraction(), BASE)
    assert pickle.loads(pickle.dumps(shard)) == shard


def test_writing_a_shard_equals_writing_its_extraction() -> None:
    extraction = sample_extraction()
    with Store.open(None, base_iri=BASE) as direct, Store.open(None, base_iri=BASE) as sharded:
        direct.write_extraction(extraction)
        result = sharded.write_shard(make_shard(extraction, BASE))
        assert sorted(map(str, direct.ox)) == sorted(map(str, sharded.ox))
        assert (result.quads_after, result.replaced) == (
            len(extraction_quads(extraction, BASE)),
            False,
        )
        again = sharded.write_shard(make_shard(extraction, BASE))
        assert again.replaced and again.unchanged
        assert sorted(map(str, direct.ox)) == sorted(map(str, sharded.ox))


def test_a_mapping_error_names_the_document_before_any_store_is_touched() -> None:
    extraction = sample_extraction()
    unknown = Relation("FRIENDS_WITH", "Q399", "Q227", None, 0.5, span_of("Armenia"))
    bad = replace(extraction, relations=[unknown])
    with pytest.raises(StoreError, match=f"{extraction.document.id}.*left as it was"):
        make_shard(bad, BASE)


@settings(max_examples=60, deadline=None)
@given(text=st.text(min_size=1, max_size=120), doc_id=st.text(min_size=1, max_size=20))
def test_a_shard_written_as_text_parses_to_the_quads_of_its_extraction(
    text: str, doc_id: str
) -> None:
    """Shards are N-Quads written from each term's own N-Triples form, not by the
    serialiser: any text and id (quotes, backslashes, line breaks, astral characters)
    must parse back to exactly the mapped quads."""
    extraction = sample_extraction()
    extraction.document = replace(extraction.document, id=doc_id, text=text, fingerprint=text)
    extraction.entities, extraction.relations, extraction.events = [], [], []
    shard = make_shard(extraction, BASE)
    assert sorted(map(str, shard.quads())) == sorted(map(str, extraction_quads(extraction, BASE)))
