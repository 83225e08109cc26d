"""kg/shards.py: a document's graph as N-Quads, made by a worker and loaded by the writer."""

from __future__ import annotations

import pickle
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sample_extraction import sample_extraction, span_of

import kg.store
from kg.builder import BuildSummary, write_behind
from kg.errors import StoreError
from kg.knowledge.layer import knowledge_graph
from kg.model import Relation
from kg.rdf import extraction_quads
from kg.shards import DocumentShard, make_shard
from kg.store import Store, _chunks_under
from kg.vocab import GK

BASE = "https://data.example.org/"


def test_a_shard_holds_exactly_the_graph_of_its_extraction() -> None:
    extraction = sample_extraction()
    shard = make_shard(extraction, BASE)
    assert sorted(map(str, shard.quads())) == sorted(map(str, extraction_quads(extraction, BASE)))
    assert shard.quad_count == len(shard.quads())
    assert shard.graph == f"{BASE}graph/{extraction.document.id}"


def test_a_shard_carries_the_source_fingerprint_that_marks_its_document_written() -> None:
    extraction = sample_extraction()
    document = replace(extraction.document, fingerprint="sha256:0123abcd")
    shard = make_shard(replace(extraction, document=document), BASE)
    fingerprints = [q for q in shard.quads() if q.predicate == GK.sourceFingerprint]
    assert [q.object.value for q in fingerprints] == ["sha256:0123abcd"]


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


def _shards(count: int) -> list[DocumentShard]:
    base = sample_extraction()
    return [
        make_shard(replace(base, document=replace(base.document, id=f"doc-{n}")), BASE)
        for n in range(count)
    ]


def test_a_batch_writes_the_quads_of_its_documents_written_one_by_one() -> None:
    shards = _shards(5)
    with Store.open(None, base_iri=BASE) as one_by_one, Store.open(None, base_iri=BASE) as batch:
        for shard in shards:
            one_by_one.write_shard(shard)
        results = batch.write_shards(shards)
        assert sorted(map(str, batch.ox)) == sorted(map(str, one_by_one.ox))
        assert [r.replaced for r in results] == [False] * 5


def test_a_batch_replaces_the_documents_already_in_the_store() -> None:
    shards = _shards(3)
    with Store.open(None, base_iri=BASE) as store:
        store.write_shards(shards[:2])
        layer = knowledge_graph(BASE)
        first = sorted(str(q) for q in store.ox if q.graph_name != layer)
        results = store.write_shards(shards)
        assert [r.replaced for r in results] == [True, True, False]
        assert results[0].unchanged
        # The documents' graphs grow by the third; the knowledge layer is recomputed.
        assert set(first) < {str(q) for q in store.ox if q.graph_name != layer}


def test_a_batch_over_the_bulk_loader_limit_goes_in_several_loads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each ``bulk_load`` call stays under ``BULK_LOAD_MAX_QUADS`` (a larger document goes
    alone); the store ends the same."""
    shards = _shards(5)
    size = shards[0].quad_count
    chunks = list(_chunks_under(shards, 2 * size))
    assert [len(c) for c in chunks] == [2, 2, 1]
    assert [len(c) for c in _chunks_under(shards[:2], size - 1)] == [1, 1]
    monkeypatch.setattr(kg.store, "BULK_LOAD_MAX_QUADS", 2 * size)
    with Store.open(None, base_iri=BASE) as cut, Store.open(None, base_iri=BASE) as one_by_one:
        cut.write_shards(shards)
        for shard in shards:
            one_by_one.write_shard(shard)
        expected = sorted(map(str, one_by_one.ox))
        assert sorted(map(str, cut.ox)) == expected
    monkeypatch.setattr(kg.store, "BULK_LOAD_MAX_QUADS", size - 1)  # each one a transaction
    with Store.open(None, base_iri=BASE) as alone:
        alone.write_shards(shards)
        assert sorted(map(str, alone.ox)) == expected


def test_a_batch_that_fails_to_load_writes_none_of_its_documents() -> None:
    good = _shards(3)
    broken = replace(good[2], nquads=good[2].nquads + b"<not n-quads")
    with Store.open(None, base_iri=BASE) as store:
        before = sorted(map(str, store.ox))
        with pytest.raises(StoreError, match="none was written"):
            store.write_shards([*good[:2], broken])
        assert sorted(map(str, store.ox)) == before


def test_batches_written_behind_stop_at_the_first_failed_write() -> None:
    """The writer thread writes batches in order; a failed write is raised to the build,
    and no later batch is written."""
    first, second, third = _shards(3)
    broken = replace(second, nquads=second.nquads + b"<not n-quads")
    summary = BuildSummary()
    with Store.open(None, base_iri=BASE) as store:
        with pytest.raises(StoreError, match="none was written"):
            write_behind(store, iter([[first], [broken], [third]]), summary, iter(()))
        assert sorted(g.value for g in store.ox.named_graphs() if "/graph/" in g.value) == [
            first.graph
        ]
    assert summary.documents == 1
