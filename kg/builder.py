"""Build a store from sources: read, check, extract, write -- streaming, in batches.

All input is checked before anything is written (``iter_records``), so a bad
line at the end of a corpus cannot leave half of it in the store.  Documents
are then written in batches, each batch whole or not at all (``Store.write_shards``:
new documents through the bulk loader, changed ones a transaction each).

Builds are incremental and resumable: each document graph records the
fingerprint of the record it came from, so a re-run skips what is already in
the store and unchanged (an interrupted build, re-run, picks up where it
stopped), and ``replace`` re-extracts documents whose source changed.
Extraction and the RDF mapping may run on worker processes or a Dask cluster
(``kg.parallel``), which send back each document's graph as N-Quads (a shard);
writes stay here, in input order, so the store ends the same either way.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from pyoxigraph import Quad

from kg.documents import OnError, Record, iter_records, raise_error
from kg.errors import InputError, StoreError
from kg.extraction.support import LINKING_ONLY
from kg.parallel import Runner, make_runner
from kg.pipeline import PipelineSpec
from kg.shards import DocumentShard, ExtractionTally

if TYPE_CHECKING:
    from kg.store import GraphStore
    from kg.wikidata.config import WikidataConfig

log = logging.getLogger(__name__)

Progress = Callable[[int], Iterable[int]]

# Documents per write: large enough to reach the bulk loader's speed (measured: batches
# of 64 documents of ~700 quads load 1.5x faster than one bulk_load of all the same
# quads), small enough that a killed build loses little extraction work and readers see
# documents arrive often.
BATCH_SIZE = 64
# A run that wrote at least this share of the store's quads compacts the store at its
# end (after the VoID refresh, the last write).  Compaction rewrites the whole store
# (10-17 s at 10,000 documents), so a small addition to a large store leaves its new files
# to RocksDB's background compaction instead.
COMPACT_SHARE = 0.25


@dataclass(frozen=True)
class BuildOptions:
    workers: int = 1  # extraction processes; 0 = one per core
    scheduler: str | None = None  # a Dask scheduler address runs extraction there
    skip_bad: bool = False  # report bad files/lines at the end instead of stopping
    replace: bool = False  # re-extract documents whose source changed
    batch_size: int = BATCH_SIZE  # documents per atomic write
    describe: bool = True  # regenerate the store's VoID/DCAT description afterwards
    online: WikidataConfig | None = None  # NIL resolution against Wikidata
    annotations: str = "light"  # "full" also keeps every mention as a NIF phrase (kg.rdf)


class Status(Enum):
    NEW = "new"
    UNCHANGED = "unchanged"
    CHANGED = "changed"


@dataclass
class BuildSummary:
    documents: int = 0  # written by this run
    unchanged: int = 0  # already in the store, skipped
    changed: list[str] = field(default_factory=list)  # changed sources left alone (no replace)
    replaced: int = 0
    entities: set[str] = field(default_factory=set)
    linked: set[str] = field(default_factory=set)
    mentions: int = 0
    relations: int = 0
    events: int = 0
    quads_before: int = 0
    quads_after: int = 0
    quads_written: int = 0  # in the documents this run wrote (replaced ones included)
    seconds: float = 0.0
    skipped: list[InputError] = field(default_factory=list)
    # Documents read with linking only (no events or relations in their language yet),
    # by language (kg.extraction.support).
    linking_only: dict[str, int] = field(default_factory=dict)

    def add(self, tally: ExtractionTally) -> None:
        self.documents += 1
        if tally.support == LINKING_ONLY:
            self.linking_only[tally.language] = self.linking_only.get(tally.language, 0) + 1
        self.entities.update(tally.entity_refs)
        self.linked.update(tally.linked_qids)
        self.mentions += tally.mentions
        self.relations += tally.relations
        self.events += tally.events

    def paragraph(self, store_path: Path | str) -> str:
        added = self.quads_after - self.quads_before
        text = (
            f"Built {self.documents} document(s) into {store_path} in {self.seconds:.1f} s: "
            f"{len(self.entities)} distinct entities ({len(self.linked)} linked to Wikidata, "
            f"{self.mentions} mentions), {self.relations + self.events} assertions "
            f"({self.relations} relations, {self.events} events); "
            f"{added:+d} quads, {self.quads_after} in the store."
        )
        if self.linking_only:
            languages = ", ".join(f"{lang} {n}" for lang, n in sorted(self.linking_only.items()))
            text += (
                f" {sum(self.linking_only.values())} document(s) read with linking only, since"
                f" geokg reads no events or relations in their language yet ({languages})."
            )
        if self.unchanged:
            text += f" {self.unchanged} unchanged document(s) skipped."
        if self.replaced:
            text += f" {self.replaced} changed document(s) replaced."
        if self.changed:
            text += (
                f" {len(self.changed)} document(s) changed since they were built and were"
                " left as they are; re-run with --replace to re-extract them."
            )
        if self.skipped:
            text += f" Skipped {len(self.skipped)} bad input(s)."
        return text


def build(
    paths: Iterable[Path | str],
    store_path: Path | str,
    options: BuildOptions | None = None,
    progress: Progress | None = None,
    runner: Runner | None = None,
) -> BuildSummary:
    """Extract every document under ``paths`` into the store at ``store_path``
    (a directory, or the URL of a SPARQL endpoint with the Graph Store Protocol)."""
    from kg.stores import open_store

    options = options or BuildOptions()
    paths = list(paths)
    started = time.perf_counter()
    summary = BuildSummary()
    total = check_inputs(paths, options, summary)
    runner = runner or make_runner(
        options.workers,
        options.scheduler,
        PipelineSpec(online=options.online, annotations=options.annotations),
    )
    with open_store(store_path) as store:
        summary.quads_before = store.quad_count()
        catch_up_knowledge(store)
        ticks = iter(progress(total)) if progress else iter(())
        records = iter_records(paths, _ignore if options.skip_bad else raise_error)
        todo = _needing_extraction(records, store, options, summary, ticks)
        shards = runner.run(todo, store.base_iri)
        write_behind(store, batched(shards, options.batch_size), summary, ticks)
        # Even when this run wrote nothing: a build killed between its last document and
        # this step left the description missing or stale, and its re-run writes no document.
        if options.describe:
            describe_dataset(store)
        summary.quads_after = store.quad_count()
        if summary.quads_written and summary.quads_written >= COMPACT_SHARE * summary.quads_after:
            compact(store)
    summary.seconds = time.perf_counter() - started
    return summary


def remove_documents(store_path: Path | str, doc_ids: Iterable[str]) -> list[str]:
    """Remove these documents from an embedded store (the knowledge layer follows);
    returns the ids that were not there."""
    from kg.store import Store

    where = Path(store_path)
    if not where.exists():
        raise StoreError(f"no store at {where}; nothing to remove")
    with Store.open(where) as store:
        return [doc_id for doc_id in doc_ids if not store.remove_document(doc_id)]


def batched(shards: Iterable[DocumentShard], size: int) -> Iterator[list[DocumentShard]]:
    batch: list[DocumentShard] = []
    for shard in shards:
        batch.append(shard)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def write_behind(
    store: GraphStore,
    batches: Iterable[list[DocumentShard]],
    summary: BuildSummary,
    ticks: Iterator[int],
) -> None:
    """Write each batch on a writer thread while this one gathers the next.

    The bulk loader releases the GIL, so extraction here (or the feeding of worker
    processes, whose window of documents in flight is smaller than a batch) goes on
    while a batch loads.  Batches are written one at a time, in order; a write's error
    is raised here, before the next batch is written.  On any exit the batch being
    written is finished first, so it is whole in the store.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="geokg-writer") as writer:
        writing: tuple[Future[None], int] | None = None
        for batch in batches:
            if writing:
                _finish(writing, ticks)
            writing = (writer.submit(write_batch, store, batch, summary), len(batch))
        if writing:
            _finish(writing, ticks)


def _finish(writing: tuple[Future[None], int], ticks: Iterator[int]) -> None:
    future, documents = writing
    future.result()
    for _ in range(documents):
        next(ticks, None)


def write_batch(store: GraphStore, batch: list[DocumentShard], summary: BuildSummary) -> None:
    results = store.write_shards(batch)
    for shard, result in zip(batch, results, strict=True):
        summary.replaced += int(result.replaced)
        summary.quads_written += shard.quad_count
        summary.add(shard.tally)
    # Progress where there is no terminal for the bar (`kg -v build` in a log); each line
    # is written once the batch is in the store.
    log.info("wrote %d document(s), %d so far", len(batch), summary.documents)


def catch_up_knowledge(store: GraphStore) -> None:
    """Bring the knowledge layer in step with the documents before writing more: a build
    killed between a batch's graphs and its knowledge nodes left it behind (kg/knowledge).
    Only an embedded store keeps the layer."""
    from kg.store import Store

    if not isinstance(store, Store):
        log.info("the knowledge layer is kept only in an embedded store; %s has none", store)
        return
    done = store.knowledge.sync()
    if done.absorbed or done.forgotten:
        log.warning(
            "knowledge layer caught up with %d document(s) and %d removal(s) an earlier run"
            " left behind",
            done.absorbed,
            done.forgotten,
        )


def compact(store: GraphStore) -> None:
    """Merge what this run wrote into the store's compacted files, so that the queries
    after it read a few sorted files instead of one per batch (``Store.optimize``).
    A remote endpoint's server manages its own files."""
    from kg.store import Store

    if not isinstance(store, Store):
        return
    started = time.perf_counter()
    store.optimize()
    log.info("compacted the store in %.1f s", time.perf_counter() - started)


def describe_dataset(store: GraphStore) -> None:
    """Bring the store's VoID/DCAT self-description up to date; written only if it changed.

    Only the embedded store keeps one; a remote endpoint's publisher describes it.
    It counts the whole store (about 1.5 s per 1,000 documents, measured), so a series of
    builds into a large store may skip it (``--no-describe``) for all but the last.
    """
    from kg.server.void import describe, void_graph
    from kg.store import Store

    if not isinstance(store, Store):
        return
    graph = void_graph(store.base_iri)
    fresh = describe(store)
    if _digest(fresh) != _digest(store.ox.quads_for_pattern(None, None, None, graph)):
        store.rewrite_derived_graph(graph, fresh)


def _digest(quads: Iterable[Quad]) -> tuple[int, int]:
    """How many quads, and a digest that does not depend on their order: two sets of
    quads compared without holding the second (the description grows with the documents:
    about 500,000 quads at 100,000)."""
    count = total = 0
    for quad in quads:
        count += 1
        total += int.from_bytes(hashlib.blake2b(str(quad).encode(), digest_size=16).digest())
    return count, total % 2**128


def check_inputs(paths: list[Path | str], options: BuildOptions, summary: BuildSummary) -> int:
    """The checking pass: raise before any write (or, with skip_bad, collect); count records."""
    on_error: OnError = summary.skipped.append if options.skip_bad else raise_error
    return sum(1 for _ in iter_records(paths, on_error))


def _ignore(error: InputError) -> None:
    """Second pass with skip_bad: every bad input was reported by the checking pass."""


def status_of(record: Record, store: GraphStore) -> Status:
    stored = store.document_fingerprint(record.id)
    if stored is None:
        return Status.NEW
    return Status.UNCHANGED if stored == record.fingerprint else Status.CHANGED


def _needing_extraction(
    records: Iterable[Record],
    store: GraphStore,
    options: BuildOptions,
    summary: BuildSummary,
    ticks: Iterator[int],
) -> Iterator[Record]:
    """The records to extract: new ones, and changed ones when replacing."""
    for record in records:
        status = status_of(record, store)
        if status is Status.NEW or (status is Status.CHANGED and options.replace):
            yield record
            continue
        if status is Status.UNCHANGED:
            summary.unchanged += 1
        else:
            summary.changed.append(record.id)
        next(ticks, None)
