"""Run the extraction pipeline over many records: in-process, on local cores, or on Dask.

Extraction is per document and pure (same record, same Extraction), so it
can run anywhere; writing stays in the calling process, in input order, so
the store ends with the same quads whatever the number of workers.

Every runner yields Extractions in the order of its input, and keeps only a
bounded window of documents in flight, so memory stays flat on an archive.
The pipeline (and its alias index) is made once per worker process, never per
document: local workers build it in their initializer; Dask workers keep it
in a per-process cache filled on their first task.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from kg.documents import Record, to_document
from kg.model import Extraction
from kg.pipeline import Pipeline, default_pipeline

# Documents in flight per worker: enough to keep every core busy while the
# writer catches up, small enough that memory does not grow with the corpus.
WINDOW_PER_WORKER = 8


class Runner(Protocol):
    def run(self, records: Iterable[Record]) -> Iterator[Extraction]: ...


@dataclass
class SerialRunner:
    """One process: the pipeline given, or the default one."""

    pipeline: Pipeline | None = None

    def run(self, records: Iterable[Record]) -> Iterator[Extraction]:
        pipeline = self.pipeline or default_pipeline()
        for record in records:
            yield pipeline(to_document(record))


@cache
def _worker_pipeline() -> Pipeline:
    """The pipeline of this worker process, made on first use and kept."""
    return default_pipeline()


def extract_record(record: Record) -> Extraction:
    """Task body for worker processes (module-level, so it pickles by name)."""
    return _worker_pipeline()(to_document(record))


def _warm_worker() -> None:
    _worker_pipeline()


@dataclass
class LocalRunner:
    """A pool of worker processes on this machine."""

    workers: int

    def run(self, records: Iterable[Record]) -> Iterator[Extraction]:
        with ProcessPoolExecutor(max_workers=self.workers, initializer=_warm_worker) as pool:
            yield from ordered_window(
                pool.submit, extract_record, records, self.workers * WINDOW_PER_WORKER
            )


@dataclass
class DaskRunner:
    """Extraction on a Dask distributed cluster (``tcp://HOST:PORT`` or a Client)."""

    scheduler: Any  # an address string, or a distributed.Client already connected

    def run(self, records: Iterable[Record]) -> Iterator[Extraction]:
        from distributed import Client

        client = self.scheduler if isinstance(self.scheduler, Client) else Client(self.scheduler)
        try:
            client.run(_warm_worker)  # every worker loads the index once, up front
            window = max(1, sum(client.nthreads().values())) * WINDOW_PER_WORKER
            # pure=False: two records with equal content are still two tasks.
            submit = lambda fn, item: client.submit(fn, item, pure=False)  # noqa: E731
            yield from ordered_window(submit, extract_record, records, window)
        finally:
            if client is not self.scheduler:
                client.close()


def ordered_window(
    submit: Callable[[Callable[[Record], Extraction], Record], Any],
    task: Callable[[Record], Extraction],
    records: Iterable[Record],
    window: int,
) -> Iterator[Extraction]:
    """Submit tasks with at most ``window`` in flight; yield results in input order."""
    pending: deque[Future[Extraction]] = deque()
    for record in records:
        pending.append(submit(task, record))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def make_runner(workers: int = 1, scheduler: str | None = None) -> Runner:
    """The runner for ``kg build --workers N`` / ``--scheduler tcp://HOST:PORT``."""
    if scheduler:
        return DaskRunner(scheduler)
    if workers == 0:
        workers = os.cpu_count() or 1
    return LocalRunner(workers) if workers > 1 else SerialRunner()
