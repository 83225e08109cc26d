"""Run the extraction pipeline over many records: in-process, on local cores, or on Dask.

Extraction is per document and pure (same record, same Extraction), so it
can run anywhere.  So is the RDF mapping: a worker turns each record into a
``DocumentShard`` (its graph as N-Quads, ``kg.shards``), and the writer in the
calling process only loads shards, in input order, so the store ends with the
same quads whatever the number of workers.

Every runner yields shards in the order of its input, and keeps only a
bounded window of documents in flight, so memory stays flat on an archive.
Workers receive a ``PipelineSpec``, never a pipeline: each worker process
makes its pipeline (and loads the cached alias index) once, on its first
task or in its initializer, and keeps it for every later document.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from kg.documents import Record, to_document
from kg.errors import GeokgError
from kg.model import Extraction
from kg.pipeline import PipelineSpec, pipeline_for
from kg.shards import DocumentShard, make_shard

# Documents in flight per worker: enough to keep every core busy while the
# writer catches up, small enough that memory does not grow with the corpus.
WINDOW_PER_WORKER = 8

Task = Callable[[Record], DocumentShard]


class Runner(Protocol):
    def run(self, records: Iterable[Record], base_iri: str) -> Iterator[DocumentShard]:
        """Shards of ``records``, in their order, with graphs minted under ``base_iri``."""
        ...


def extract_record(spec: PipelineSpec, record: Record) -> Extraction:
    return pipeline_for(spec)(to_document(record))


def shard_record(spec: PipelineSpec, base_iri: str, record: Record) -> DocumentShard:
    """Task body for every runner (module-level, so it pickles by name)."""
    return make_shard(extract_record(spec, record), base_iri, spec.annotations)


def warm_worker(spec: PipelineSpec) -> None:
    """Make the worker's pipeline, and compile every lexicon, before its first document."""
    from kg.extraction import prepare

    pipeline_for(spec)
    prepare()


def start_local_worker(spec: PipelineSpec) -> None:
    """Initializer of a local worker process: it belongs to the build that started it.

    Ctrl-C goes to the whole process group; the parent handles it and shuts the pool
    down, so workers ignore SIGINT (no traceback per worker).  If the parent dies
    (SIGKILL), Linux sends the worker SIGTERM, so no orphan keeps computing.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    warm_worker(spec)


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not glibc/musl: orphans end with the pool's pipe
        return
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


@dataclass
class SerialRunner:
    """This process only."""

    spec: PipelineSpec = field(default_factory=PipelineSpec)

    def run(self, records: Iterable[Record], base_iri: str) -> Iterator[DocumentShard]:
        for record in records:
            yield shard_record(self.spec, base_iri, record)


@dataclass
class LocalRunner:
    """A pool of worker processes on this machine."""

    workers: int
    spec: PipelineSpec = field(default_factory=PipelineSpec)

    def run(self, records: Iterable[Record], base_iri: str) -> Iterator[DocumentShard]:
        with ProcessPoolExecutor(
            max_workers=self.workers, initializer=start_local_worker, initargs=(self.spec,)
        ) as pool:
            task = partial(shard_record, self.spec, base_iri)
            yield from ordered_window(pool.submit, task, records, self.workers * WINDOW_PER_WORKER)


@dataclass
class DaskRunner:
    """Extraction on a Dask distributed cluster (``tcp://HOST:PORT`` or a Client)."""

    scheduler: Any  # an address string, or a distributed.Client already connected
    spec: PipelineSpec = field(default_factory=PipelineSpec)

    def run(self, records: Iterable[Record], base_iri: str) -> Iterator[DocumentShard]:
        try:
            from distributed import Client
        except ImportError as missing:
            raise GeokgError(
                "--scheduler needs Dask distributed: pip install 'geokg[cluster]'"
            ) from missing

        client = self.scheduler if isinstance(self.scheduler, Client) else Client(self.scheduler)
        try:
            client.run(warm_worker, self.spec)  # every worker loads the index once, up front
            window = max(1, sum(client.nthreads().values())) * WINDOW_PER_WORKER
            task = partial(shard_record, self.spec, base_iri)

            def submit(fn: Task, record: Record) -> Any:
                # pure=False: two records with equal content are still two tasks.
                return client.submit(fn, record, pure=False)

            yield from ordered_window(submit, task, records, window)
        finally:
            if client is not self.scheduler:
                client.close()


def ordered_window(
    submit: Callable[[Task, Record], Any],
    task: Task,
    records: Iterable[Record],
    window: int,
) -> Iterator[DocumentShard]:
    """Submit tasks with at most ``window`` in flight; yield results in input order."""
    pending: deque[Future[DocumentShard]] = deque()
    for record in records:
        pending.append(submit(task, record))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def make_runner(
    workers: int = 1, scheduler: str | None = None, spec: PipelineSpec | None = None
) -> Runner:
    """The runner for ``kg build --workers N`` / ``--scheduler tcp://HOST:PORT``.

    ``workers=0`` means one per core.
    """
    spec = spec or PipelineSpec()
    if scheduler:
        return DaskRunner(scheduler, spec)
    if workers == 0:
        workers = os.cpu_count() or 1
    return LocalRunner(workers, spec) if workers > 1 else SerialRunner(spec)
