"""Builds at archive scale: the same quads whatever runs the extraction,
incremental re-runs, --replace and batch sizes.  Killed builds: tests/test_crash_safety.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from news_corpus import write_news_corpus
from pyoxigraph import RdfFormat
from pyoxigraph import Store as OxStore

from kg.builder import COMPACT_SHARE, BuildOptions, build
from kg.parallel import DaskRunner
from kg.pipeline import PipelineSpec


def corpus(path: Path, count: int, prefix: str = "doc") -> Path:
    return write_news_corpus(path, count, prefix=prefix)


def nquads(store: Path) -> list[str]:
    return sorted(
        OxStore.read_only(str(store)).dump(format=RdfFormat.N_QUADS).decode().splitlines()
    )


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus(tmp_path_factory.mktemp("corpus") / "news.jsonl", 12)


@pytest.fixture(scope="module")
def serial_quads(small_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    store = tmp_path_factory.mktemp("serial") / "store"
    summary = build([small_corpus], store)
    assert summary.documents == 12
    return nquads(store)


def test_two_workers_write_the_same_quads(
    small_corpus: Path, serial_quads: list[str], tmp_path: Path
) -> None:
    build([small_corpus], tmp_path / "store", BuildOptions(workers=2))
    assert nquads(tmp_path / "store") == serial_quads


def test_dask_local_cluster_writes_the_same_quads(
    small_corpus: Path, serial_quads: list[str], tmp_path: Path
) -> None:
    import distributed

    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        runner = DaskRunner(client, PipelineSpec())
        build([small_corpus], tmp_path / "store", runner=runner)
    assert nquads(tmp_path / "store") == serial_quads


def test_rerun_of_unchanged_corpus_writes_nothing(small_corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    build([small_corpus], store)
    before = nquads(store)
    again = build([small_corpus], store)
    assert (again.documents, again.unchanged) == (0, 12)
    assert again.quads_after == again.quads_before
    assert nquads(store) == before


def test_changed_document_is_left_until_replace(tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = corpus(tmp_path / "v1.jsonl", 3)
    build([first], store)
    original = nquads(store)
    lines = first.read_text(encoding="utf-8").splitlines()
    item = json.loads(lines[1])
    item["text"] = "Venezuela urged OPEC to set the oil price at 100 dollars."
    lines[1] = json.dumps(item)
    second = tmp_path / "v2.jsonl"
    second.write_text("\n".join(lines) + "\n", encoding="utf-8")

    kept = build([second], store)
    assert kept.changed == ["doc-0001"] and kept.documents == 0
    assert nquads(store) == original

    replaced = build([second], store, BuildOptions(replace=True))
    assert (replaced.documents, replaced.replaced, replaced.unchanged) == (1, 1, 2)
    after = nquads(store)
    assert any("OPEC" in q or "Q7795" in q for q in after)
    assert not any("Collective Security Treaty" in q and "doc-0001" in q for q in after)
    # Same result as building the new version into an empty store.
    build([second], tmp_path / "fresh")
    assert after == nquads(tmp_path / "fresh")


def test_a_build_that_wrote_most_of_the_store_compacts_it_and_a_small_addition_does_not(
    small_corpus: Path, serial_quads: list[str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Compaction rewrites the whole store, so a run pays for it only when its own writes
    are a large share of the store (COMPACT_SHARE); the quads are the same either way."""
    store = tmp_path / "store"
    with caplog.at_level("INFO", logger="kg.builder"):
        first = build([small_corpus], store)
    assert first.quads_written >= COMPACT_SHARE * first.quads_after
    assert "compacted the store" in caplog.text
    assert nquads(store) == serial_quads

    caplog.clear()
    extra = corpus(tmp_path / "extra.jsonl", 1, prefix="extra")
    with caplog.at_level("INFO", logger="kg.builder"):
        second = build([extra], store)
    assert second.documents == 1
    assert 0 < second.quads_written < COMPACT_SHARE * second.quads_after
    assert "compacted the store" not in caplog.text


@pytest.mark.parametrize("batch_size", [1, 5])
def test_every_batch_size_writes_the_same_quads(
    batch_size: int, small_corpus: Path, serial_quads: list[str], tmp_path: Path
) -> None:
    """The default batch (64) holds the whole small corpus; 1 and 5 cut it into batches,
    the last one short."""
    summary = build([small_corpus], tmp_path / "store", BuildOptions(batch_size=batch_size))
    assert summary.documents == 12
    assert nquads(tmp_path / "store") == serial_quads


def test_a_document_graph_without_its_fingerprint_is_rewritten(
    small_corpus: Path, serial_quads: list[str], tmp_path: Path
) -> None:
    """A build never leaves a graph without its source fingerprint (a batch goes in whole),
    but another writer may: the next build takes such a graph for absent and rewrites it."""
    from pyoxigraph import Quad

    from kg.documents import read_documents
    from kg.pipeline import default_pipeline
    from kg.rdf import document_graph, extraction_quads
    from kg.store import Store
    from kg.vocab import GK

    store_path = tmp_path / "store"
    doc = next(iter(read_documents([small_corpus])))
    with Store.open(store_path) as store:
        graph = document_graph(doc.id, store.base_iri)
        quads = extraction_quads(default_pipeline()(doc), store.base_iri)
        store.ox.bulk_extend(
            Quad(q.subject, q.predicate, q.object, graph)
            for q in quads
            if q.predicate != GK.sourceFingerprint
        )
        assert store.document_fingerprint(doc.id) is None  # no marker: not in the store
    summary = build([small_corpus], store_path)
    assert (summary.documents, summary.replaced) == (12, 1)
    assert nquads(store_path) == serial_quads
