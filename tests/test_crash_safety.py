"""Crash safety: a build killed with SIGKILL at random points leaves whole documents only,
a store that passes ``kg validate``, and a re-run reaches exactly the uninterrupted result;
a second process querying the store while a build writes sees consistent answers.

Every comparison is per named graph against an uninterrupted build of the same corpus,
quad for quad.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import pytest
from news_corpus import write_news_corpus
from pyoxigraph import Store as OxStore

from kg.builder import BATCH_SIZE, build
from kg.knowledge.layer import knowledge_graph
from kg.store import Store
from kg.validate import validate_store

KG = [sys.executable, "-m", "kg"]
DOCUMENTS = 60
# Batches of a few documents, so that kills land between and inside many batches of a
# small corpus; the default batch size has a test of its own.
SMALL_BATCH = 3


Graphs = dict[str, list[str]]


def write_corpus(path: Path, count: int, offset: int = 0) -> Path:
    return write_news_corpus(path, count, prefix="crash", offset=offset)


def knowledge_is_consistent_after_catch_up(store: Path, scratch: Path) -> None:
    """The knowledge layer a kill left: once the next build's first step (``sync``) has
    run, it is exactly the layer of the documents that are in the store, as a layer made
    from scratch over them gives it."""
    with Store.open(store) as opened:
        opened.knowledge.sync()
        layer = knowledge_graph(opened.base_iri)
    shutil.copytree(store, scratch)
    with Store.open(scratch) as copy:
        copy.ox.remove_graph(layer)
        copy.knowledge.sync()
    caught_up, fresh = graphs_of(store), graphs_of(scratch)
    assert caught_up.get(str(layer), []) == fresh.get(str(layer), [])
    assert set(caught_up) == set(fresh)


def graphs_of(store: Path) -> Graphs:
    """Every named graph's quads, sorted: what 'same store' means here."""
    by_graph: dict[str, list[str]] = defaultdict(list)
    for quad in OxStore.read_only(str(store)):
        by_graph[str(quad.graph_name)].append(str(quad))
    return {graph: sorted(quads) for graph, quads in by_graph.items()}


def evidence(graphs: Graphs) -> Graphs:
    """All but the knowledge layer, which is derived from the rest and, after a kill,
    caught up by the next build (``knowledge_is_consistent_after_catch_up``)."""
    return {g: quads for g, quads in graphs.items() if not g.endswith("/knowledge/graph>")}


# What `kg -v build` logs once a batch is in the store (kg/builder.py, write_batch).
WROTE = re.compile(r"kg\.builder: wrote \d+ document\(s\), (\d+) so far")


def _ctrl_c_as_on_a_terminal() -> None:
    """SIGINT back to its default in the build, as a shell gives it to a foreground
    command: a test suite started in the background (`make test &` in a script) runs
    with SIGINT ignored, its children inherit that, and Python then keeps ignoring it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class RunningBuild:
    """A `kg -v build` process, and the documents it has written so far, read from its
    log as it goes.  (Not from the store: a read-only open of a store that another
    process writes is undefined behaviour in Oxigraph, and can hang; the one test that
    reads during a build does so on purpose, with the build's default batches.)"""

    def __init__(
        self,
        corpus: Path,
        store: Path,
        workers: int = 1,
        batch_size: int = SMALL_BATCH,
        new_session: bool = False,
    ) -> None:
        command = [*KG, "-v", "build", str(corpus), "--workers", str(workers)]
        command += ["--batch-size", str(batch_size)]
        self.process = subprocess.Popen(
            command, env={**os.environ, "GEOKG_STORE": str(store)},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            start_new_session=new_session, preexec_fn=_ctrl_c_as_on_a_terminal,
        )  # fmt: skip
        self.written = 0
        self.lines: list[str] = []
        self._follower = threading.Thread(target=self._follow, daemon=True)
        self._follower.start()

    def _follow(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))
            if match := WROTE.search(line):
                self.written = int(match.group(1))

    def wait_for(self, documents: int, limit_s: float = 120) -> None:
        """Until the build has written ``documents`` (it must still be running)."""
        started = time.monotonic()
        while self.written < documents and time.monotonic() - started < limit_s:
            assert self.process.poll() is None, self.log()
            time.sleep(0.01)

    def log(self) -> str:
        """Its stderr, whole once it has ended."""
        if self.process.poll() is not None:
            self._follower.join(timeout=30)
        return "\n".join(self.lines)


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie awaiting its reaper counts as ended)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().split(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def children_of(pid: int) -> list[int]:
    """Child processes of ``pid``, from every process's parent field (/proc/*/stat: the
    kernel's per-task ``children`` lists are unreliable while the children run)."""
    children: list[int] = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text(encoding="ascii", errors="replace").rsplit(") ", 1)[1].split()
            if int(fields[1]) == pid:
                children.append(int(stat.parent.name))
    return children


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus") / "news.jsonl", DOCUMENTS)


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Graphs]:
    """A corpus of eight default batches and its uninterrupted build: enough batches that
    a kill lands before the build ends, however fast the machine."""
    folder = tmp_path_factory.mktemp("large")
    corpus = write_corpus(folder / "large.jsonl", 8 * BATCH_SIZE)
    build([corpus], folder / "store")
    return corpus, graphs_of(folder / "store")


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Graphs:
    store = tmp_path_factory.mktemp("reference") / "store"
    summary = build([corpus], store)
    assert summary.documents == DOCUMENTS
    with Store.open(store, read_only=True) as opened:
        assert validate_store(opened).conforms
    return graphs_of(store)


# (seed, earliest and latest number of documents written before the kill); 0 documents
# means a kill at a random moment of the first second and a half: during start-up, the
# input check, the store's creation or the ontology load.
# The last case extracts on two worker processes (the writer is still the one killed).
KILLS = [(1, 0, 0, 1), (2, 1, 10, 1), (3, 10, 25, 1), (4, 20, 35, 1), (7, 5, 15, 2)]


@pytest.mark.parametrize(
    ("seed", "low", "high", "workers"), KILLS, ids=[f"seed{k[0]}-workers{k[3]}" for k in KILLS]
)
def test_sigkilled_build_leaves_whole_documents_and_resumes_exactly(
    seed: int, low: int, high: int, workers: int, corpus: Path, reference: Graphs, tmp_path: Path
) -> None:
    rng = random.Random(seed)
    store = tmp_path / "store"
    running = RunningBuild(corpus, store, workers)
    process = running.process
    if high == 0:
        time.sleep(rng.uniform(0.2, 1.5))
    else:
        running.wait_for(rng.randint(low, high))
        time.sleep(rng.uniform(0.0, 0.1))  # land anywhere within the next documents
    assert process.poll() is None, "the build ended before it could be killed"
    workers_left = children_of(process.pid)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    # Workers end with their parent (kg/parallel.py asks Linux for SIGTERM on its death):
    # none may keep computing as an orphan.
    deadline = time.monotonic() + 15
    while any(_alive(child) for child in workers_left) and time.monotonic() < deadline:
        time.sleep(0.1)
    orphans = [child for child in workers_left if _alive(child)]
    for child in orphans:  # leave no process behind, even when the assertion fails
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)
    assert not orphans, f"worker processes outlived the killed build: {orphans}"

    written = 0
    if (store / "CURRENT").exists():
        found = graphs_of(store)
        # Whole graphs only: each one present is exactly as the uninterrupted build wrote it.
        for graph, quads in evidence(found).items():
            assert graph in reference, f"a graph the uninterrupted build does not have: {graph}"
            assert quads == reference[graph], f"{graph} is not whole after the kill"
        written = sum(1 for graph in found if "/graph/" in graph)
        with Store.open(store, read_only=True) as opened:
            report = validate_store(opened)
        assert report.conforms, report.text
        knowledge_is_consistent_after_catch_up(store, tmp_path / "scratch")

    resumed = build([corpus], store)
    assert (resumed.unchanged, resumed.documents) == (written, DOCUMENTS - written)
    assert graphs_of(store) == reference


def test_interrupted_build_says_aborted_and_resumes_exactly(
    large: tuple[Path, Graphs], tmp_path: Path
) -> None:
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) mid-build: exit
    130 and one word on stderr, whole graphs only, and a re-run completes the store.
    The large corpus, so that the build is well under way and far from its end."""
    corpus, reference = large
    store = tmp_path / "store"
    running = RunningBuild(corpus, store, new_session=True)
    running.wait_for(5)
    assert running.process.poll() is None, "the build ended before it could be interrupted"
    os.killpg(running.process.pid, signal.SIGINT)
    running.process.wait(timeout=60)
    said = [line for line in running.log().splitlines() if line and not line.startswith("INFO ")]
    assert (running.process.returncode, said) == (130, ["Aborted."])
    found = graphs_of(store)
    for graph, quads in evidence(found).items():
        assert quads == reference[graph], f"{graph} is not whole after the interrupt"
    knowledge_is_consistent_after_catch_up(store, tmp_path / "scratch")
    build([corpus], store)
    assert graphs_of(store) == reference


@pytest.mark.parametrize("seed", [5, 6])
def test_sigkilled_build_with_default_batches_keeps_whole_documents_and_resumes_exactly(
    seed: int, large: tuple[Path, Graphs], tmp_path: Path
) -> None:
    """The default batch (64 documents through the bulk loader): a kill at a random moment
    after the first batch leaves whole documents only, and a re-run ends exactly as an
    uninterrupted build."""
    corpus, reference = large
    rng = random.Random(seed)
    store = tmp_path / "store"
    running = RunningBuild(corpus, store, batch_size=BATCH_SIZE)
    process = running.process
    running.wait_for(1)
    time.sleep(rng.uniform(0.0, 0.3))  # into the next batches, well before the last
    assert process.poll() is None, "the build ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    found = graphs_of(store)
    for graph, quads in evidence(found).items():
        assert quads == reference[graph], f"{graph} is not whole after the kill"
    written = sum(1 for graph in found if "/graph/" in graph)
    total = sum(1 for graph in reference if "/graph/" in graph)
    assert 0 < written < total, written
    assert written % BATCH_SIZE == 0, f"{written} documents: a batch was cut"
    knowledge_is_consistent_after_catch_up(store, tmp_path / "scratch")
    resumed = build([corpus], store)
    assert (resumed.unchanged, resumed.documents) == (written, total - written)
    assert graphs_of(store) == reference


def test_rerun_restores_a_missing_or_stale_dataset_description(tmp_path: Path) -> None:
    """What a kill between the last document and the VoID refresh leaves (seen with seed 4
    before the fix: all documents in, no description) is repaired by a re-run that has no
    document to write."""
    from pyoxigraph import Quad

    from kg.server.void import void_graph

    early, late = write_corpus(tmp_path / "early.jsonl", 2), write_corpus(tmp_path / "all.jsonl", 4)
    store = tmp_path / "store"
    build([early], store)
    with Store.open(store, read_only=True) as opened:
        graph = void_graph(opened.base_iri)
        stale = list(opened.ox.quads_for_pattern(None, None, None, graph))
    build([late], store)
    complete = graphs_of(store)
    for damage in ("missing", "stale"):
        with Store.open(store) as opened:
            opened.ox.remove_graph(graph)
            if damage == "stale":
                opened.ox.extend(Quad(q.subject, q.predicate, q.object, graph) for q in stale)
        assert graphs_of(store) != complete
        again = build([late], store)
        assert again.documents == 0
        assert graphs_of(store) == complete, damage
    before = graphs_of(store)
    build([late], store)
    assert graphs_of(store) == before  # an up-to-date description is left alone


READER = r"""
import faulthandler, json, os, sys
from kg.store import Store

store, stop = sys.argv[1], sys.argv[2]
GRAPHS = '''SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g'''
DOCUMENTS = '''SELECT ?g ?doc ?activity ?fingerprint ?text WHERE { GRAPH ?g {
  ?g a gk:DocumentGraph .
  OPTIONAL { ?g prov:wasDerivedFrom ?doc . ?doc a gk:Document ; gk:sourceFingerprint ?fingerprint ;
             gk:hasContext/nif:isString ?text }
  OPTIONAL { ?g prov:wasGeneratedBy ?activity . ?activity a prov:Activity } } }'''
while True:
    faulthandler.dump_traceback_later(40, exit=True)  # a read that hangs shows where
    last = os.path.exists(stop)  # one more snapshot after the build has ended
    try:
        with Store.open(store, read_only=True) as opened:
            sizes = {str(r[0].value): int(r[1].value) for r in opened.query(GRAPHS).rows}
            docs = [[c is not None for c in row] for row in opened.query(DOCUMENTS).rows]
        print(json.dumps({"sizes": sizes, "docs": docs}), flush=True)
    except Exception as error:
        print(json.dumps({"error": f"{type(error).__name__}: {error}"}), flush=True)
    if last:
        break
"""


def test_second_process_reads_consistently_while_a_build_writes(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    total = 320  # five batches: long enough a build for many reads
    corpus = write_corpus(tmp_path / "long.jsonl", total)
    store = tmp_path / "store"
    build([write_corpus(tmp_path / "first.jsonl", 5)], store)  # reading starts on a store
    stop, log = tmp_path / "stop", tmp_path / "reads.jsonl"
    with open(log, "w", encoding="utf-8") as out:
        reader = subprocess.Popen(
            [sys.executable, "-c", READER, str(store), str(stop)],
            stdout=out, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        request.addfinalizer(reader.kill)  # a failed test leaves no reader running
        deadline = time.monotonic() + 60
        while not log.read_text(encoding="utf-8") and time.monotonic() < deadline:
            time.sleep(0.05)  # the reader is reading before the writer starts
        # The default batches, as a user builds: smaller ones churn the store's files so
        # fast that a read-only reader (undefined behaviour in Oxigraph while another
        # process writes) was seen to hang inside pyoxigraph in 1 build of 3.
        building = RunningBuild(corpus, store, batch_size=BATCH_SIZE)
        writer = building.process
        request.addfinalizer(writer.kill)
        query = tmp_path / "documents.rq"
        query.write_text("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a gk:Document }\n")
        counted: list[int] = []
        while writer.poll() is None:
            # `kg query` itself, as a user would run it during the build.
            result = subprocess.run(
                [*KG, "query", str(query), "--store", str(store), "--format", "json"],
                capture_output=True, text=True, timeout=60,
            )  # fmt: skip
            assert result.returncode == 0, result.stderr
            counted.append(int(json.loads(result.stdout)[0]["n"]))
        assert writer.returncode == 0, building.log()
        stop.touch()
        _, err = reader.communicate(timeout=60)
        assert reader.returncode == 0, err

    final = graphs_of(store)
    snapshots = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    errors = [s["error"] for s in snapshots if "error" in s]
    assert not errors, errors[:3]
    assert counted == sorted(counted) and counted[0] >= 5 and counted[-1] <= total
    seen: list[int] = []
    for snapshot in snapshots:
        documents = {g: n for g, n in snapshot["sizes"].items() if "/graph/" in g}
        for graph, size in documents.items():
            assert size == len(final[f"<{graph}>"]), f"{graph}: {size} quads, a partial document"
        # Every document graph seen has its document, fingerprint, text and provenance.
        assert all(all(row) for row in snapshot["docs"]), snapshot["docs"]
        assert len(snapshot["docs"]) == len(documents)
        seen.append(len(documents))
    assert seen == sorted(seen), "the number of documents went down"
    assert seen[0] == 5 and seen[-1] == total
    assert sum(1 for n in seen if 5 < n < total) >= 3, f"too few reads mid-build: {seen}"


PARENT_OF_A_WORKER = """
import multiprocessing, sys, time
from kg.parallel import _die_with_parent

def worker():
    _die_with_parent()
    time.sleep(120)

if __name__ == "__main__":
    child = multiprocessing.Process(target=worker)
    child.start()
    print(child.pid, flush=True)
    time.sleep(120)
"""


def test_a_worker_ends_with_its_killed_parent(tmp_path: Path) -> None:
    """The mechanism behind 'no orphans', without the timing of a real build."""
    script = tmp_path / "parent.py"
    script.write_text(PARENT_OF_A_WORKER, encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    time.sleep(0.5)  # let the child ask for its death signal
    assert _alive(child)
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=10)
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = _alive(child)
    if alive:
        os.kill(child, signal.SIGKILL)
    assert not alive, "the worker outlived its SIGKILLed parent"
