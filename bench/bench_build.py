"""Build benchmark: extraction speed, store ingest against the raw bulk loader,
speed-up over workers, peak memory, store size and named-query latency.

Every figure is reported beside a baseline measured in the same run, so the
ratios hold on any machine:

* extraction (link + events + relations) per core, against linking alone
  (the events issue promises extraction within 2x of linking), and a worker's
  whole job (extraction, RDF mapping, N-Quads shard);
* quads/s the writer loads from workers' shards in the build's batches (and, for
  reference, one transaction per document, the path of replaced documents) against
  pyoxigraph's raw ``bulk_load`` of exactly the same quads (the physical limit here);
* the extraction stage alone over 1 and N worker processes (shards made and
  received, nothing written): how the parallel part scales to the cores;
* ``kg build --workers N`` against ``--workers 1`` on the same corpus, each
  build a ``kg build`` process of its own, with the peak resident memory of its
  whole process tree (writer and workers together), its CPU seconds and the store's
  size, beside the speed-up the first build's CPU use leaves room for on this machine;
* the same builds over cores: ``--workers N`` held to N cores (CPU affinity, which its
  worker processes and RocksDB's threads inherit) against ``--workers 1`` held to one.
  A build with one worker also runs a writer thread and RocksDB's compaction, so on
  all cores it is not a one-core baseline; this series is the speed-up per core added;
* the latency of every named query in ``queries/`` on the store of each size,
  and the peak memory of the process running them.

    python bench/bench_build.py --sizes 1000,10000 --workers 1,2 -o bench/results/build.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import psutil
from pyoxigraph import RdfFormat
from pyoxigraph import Store as OxStore

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from corpus import generate  # noqa: E402 -- the sibling generator script

from kg.builder import BATCH_SIZE  # noqa: E402
from kg.documents import iter_records, raise_error, read_documents  # noqa: E402
from kg.extraction import prepare  # noqa: E402
from kg.model import Extraction  # noqa: E402
from kg.parallel import LocalRunner  # noqa: E402
from kg.pipeline import default_pipeline  # noqa: E402
from kg.queries import example_parameters, list_queries  # noqa: E402
from kg.rdf import BASE_IRI_ENV  # noqa: E402
from kg.shards import DocumentShard, make_shard  # noqa: E402
from kg.store import Store  # noqa: E402

# Every store of the run mints under one base IRI, so shards made once load anywhere.
BENCH_BASE_IRI = "https://example.org/geokg-bench/"


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = function()
    return time.perf_counter() - started, value


@dataclass(frozen=True)
class Measured:
    """One command's run: wall seconds (None if it failed or was stopped), the peak
    resident memory of its process tree, and the CPU seconds the tree used."""

    seconds: float | None
    peak_mb: float
    cpu_s: float


def run_measured(
    command: list[str], log: Path, timeout: float | None = None, cores: int | None = None
) -> Measured:
    """Run ``command``, sampling the resident memory of its whole process tree (the
    writer and its worker processes together) every 0.1 s.  CPU time comes from the
    kernel's accounting of reaped children, so it counts every process of the tree and
    every thread (RocksDB compacts on threads of its own).  With ``cores`` the command
    runs on that many of this process's cores only."""
    started = time.perf_counter()
    cpu_before = _children_cpu_s()
    pin = None if cores is None else partial(_hold_to_cores, cores)
    with open(log, "wb") as out:
        env = {**os.environ, BASE_IRI_ENV: BENCH_BASE_IRI}
        process = psutil.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=env, preexec_fn=pin
        )
        peak = 0
        while process.poll() is None:
            peak = max(peak, _tree_rss(process))
            if timeout is not None and time.perf_counter() - started > timeout:
                process.kill()
                process.wait()
                return Measured(None, peak / 1e6, _children_cpu_s() - cpu_before)
            time.sleep(0.1)
    seconds = time.perf_counter() - started
    cpu_s = _children_cpu_s() - cpu_before
    if process.returncode != 0:
        print(f"{' '.join(command)} failed; see {log}", file=sys.stderr)
        return Measured(None, peak / 1e6, cpu_s)
    return Measured(seconds, peak / 1e6, cpu_s)


def _hold_to_cores(cores: int) -> None:
    """Runs in the child before exec: its affinity passes to every process and thread
    it starts."""
    os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:cores])


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for member in members:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            total += member.memory_info().rss
    return total


def write_corpus(count: int, folder: Path) -> Path:
    path = folder / f"corpus-{count}.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for doc in generate(count):
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
    return path


def extraction_speed(corpus: Path, limit: int, rounds: int = 3) -> dict[str, float]:
    """Documents/s on one core: linking alone, the whole pipeline, and a worker's whole
    job (the pipeline, the RDF mapping and the N-Quads of its shard).

    Each is the best of ``rounds`` passes, the passes interleaved, so that another
    process taking the core for a while slows one pass, not one side of the ratio."""
    docs = list(read_documents([corpus]))[:limit]
    megabytes = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6
    pipeline = default_pipeline()
    prepare()  # compile every language's lexicon outside the timings, as a worker does
    pipeline(docs[0])  # and warm the index
    link_s = full_s = shard_s = float("inf")
    for _ in range(rounds):
        link_s = min(link_s, timed(lambda: [pipeline.link(d) for d in docs])[0])
        seconds, extractions = timed(lambda: [pipeline(d) for d in docs])
        full_s = min(full_s, seconds)
        shard_s = min(shard_s, timed(partial(_shards_of, extractions))[0])
    return {
        "documents": len(docs),
        "link_docs_per_s": len(docs) / link_s,
        "link_mb_per_s": megabytes / link_s,
        "extract_docs_per_s": len(docs) / full_s,
        "extract_mb_per_s": megabytes / full_s,
        "extract_over_link_time": full_s / link_s,
        "worker_docs_per_s": len(docs) / (full_s + shard_s),
    }


def extraction_by_method(corpus: Path, limit: int, rounds: int = 3) -> dict[str, Any]:
    """Whole extraction per core with the trigger lexicons alone ("rules", the baseline)
    and with the trained event detector beside them ("both", the default): the two
    interleaved, best of ``rounds`` each, so a slow spell of the machine hits both."""
    from kg.extraction import analysis

    out: dict[str, Any] = {}
    for _ in range(rounds):
        for method in ("rules", "both"):
            analysis.EVENT_METHOD = method
            speed = extraction_speed(corpus, limit, rounds=1)
            best = out.get(method)
            if best is None or speed["extract_docs_per_s"] > best["extract_docs_per_s"]:
                out[method] = speed
    out["both_over_rules_time"] = (
        out["rules"]["extract_docs_per_s"] / out["both"]["extract_docs_per_s"]
    )
    return out


def extraction_against_baseline(
    corpus: Path, limit: int, baseline: Path, work: Path, rounds: int = 3
) -> dict[str, Any]:
    """Per-core extraction speed of this checkout and of ``baseline`` (its ``kg``, this
    script), each in a fresh process, the two in turn ``rounds`` times, best of each."""
    best: dict[str, dict[str, float]] = {}
    for _ in range(rounds):
        for name, tree in (("baseline", baseline), ("this", BENCH_DIR.parent)):
            output = work / f"speed-{name}.json"
            command = [sys.executable, __file__, "--speed-of", str(corpus)]
            command += ["--speed-docs", str(limit), "-o", str(output)]
            env = {**os.environ, "PYTHONPATH": str(tree)}
            subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
            speed = json.loads(output.read_text(encoding="utf-8"))
            if name not in best or speed["extract_docs_per_s"] > best[name]["extract_docs_per_s"]:
                best[name] = speed
    return {
        "baseline_tree": str(baseline),
        **best,
        "extract_this_over_baseline": best["this"]["extract_docs_per_s"]
        / best["baseline"]["extract_docs_per_s"],
        "link_this_over_baseline": best["this"]["link_docs_per_s"]
        / best["baseline"]["link_docs_per_s"],
    }


def _shards_of(extractions: list[Extraction]) -> list[DocumentShard]:
    return [make_shard(e, BENCH_BASE_IRI) for e in extractions]


def ingest_speed(corpus: Path, limit: int, work: Path) -> dict[str, float]:
    """The writer's side: geokg loading workers' shards in the build's batches (and one
    transaction per document), against pyoxigraph's ``bulk_load`` of the same quads."""
    pipeline = default_pipeline()
    documents = list(read_documents([corpus]))[:limit]
    shards = [make_shard(pipeline(d), BENCH_BASE_IRI) for d in documents]
    quads = sum(s.quad_count for s in shards)
    with Store.open(work / "ingest-geokg", base_iri=BENCH_BASE_IRI) as store:
        batches = [shards[i : i + BATCH_SIZE] for i in range(0, len(shards), BATCH_SIZE)]
        seconds, _ = timed(lambda: [store.write_shards(b) for b in batches])
    with Store.open(work / "ingest-geokg-tx", base_iri=BENCH_BASE_IRI) as store:
        tx_seconds, _ = timed(lambda: [store.write_shard(s) for s in shards])
    dump = b"".join(s.nquads for s in shards)
    raw_store = OxStore(str(work / "ingest-raw"))
    raw_seconds, _ = timed(lambda: raw_store.bulk_load(dump, format=RdfFormat.N_QUADS))
    return {
        "documents": len(shards),
        "quads": quads,
        "quads_per_document": quads / len(shards),
        "batch_size": BATCH_SIZE,
        "geokg_quads_per_s": quads / seconds,
        "geokg_transaction_per_document_quads_per_s": quads / tx_seconds,
        "bulk_load_quads_per_s": quads / raw_seconds,
        "geokg_over_bulk_load": raw_seconds / seconds,
        "transaction_per_document_over_bulk_load": raw_seconds / tx_seconds,
    }


def extraction_scaling(corpus: Path, workers: list[int]) -> dict[str, Any]:
    """The parallel stage alone: shards/s from 1 and N worker processes, received in
    input order by this process and dropped.  Each count gets the same pool start-up
    (its workers load the index before the clock starts)."""
    records = list(iter_records([corpus], raise_error))
    runs = []
    for count in workers:
        runner = LocalRunner(count)
        shards = runner.run(iter(records), BENCH_BASE_IRI)
        next(shards)  # the pool is up and every worker has its pipeline
        seconds, received = timed(partial(_drain, shards))
        runs.append({"workers": count, "docs_per_s": received / seconds})
    for run in runs:
        run["speedup"] = run["docs_per_s"] / runs[0]["docs_per_s"]
    return {"documents": len(records), "runs": runs}


def _drain(shards: Iterator[DocumentShard]) -> int:
    return sum(1 for _ in shards)


def build_at(corpus: Path, store: Path, workers: int, cores: int | None = None) -> dict[str, float]:
    """``kg build`` in its own process, as a user runs it (on ``cores`` cores if given)."""
    shutil.rmtree(store, ignore_errors=True)
    command = [sys.executable, "-m", "kg", "build", str(corpus), "--store", str(store)]
    command += ["--workers", str(workers)]
    run = run_measured(command, store.with_suffix(".log"), cores=cores)
    if run.seconds is None:
        raise SystemExit(f"kg build failed; see {store.with_suffix('.log')}")
    with open(corpus, encoding="utf-8") as lines:
        documents = sum(1 for _ in lines)
    with Store.open(store, read_only=True) as opened:
        quads = opened.quad_count()
    return {
        "workers": workers,
        "cores": cores or len(os.sched_getaffinity(0)),
        "documents": documents,
        "seconds": run.seconds,
        "docs_per_s": documents / run.seconds,
        "cpu_s": run.cpu_s,
        "cores_busy": run.cpu_s / run.seconds,
        "quads": quads,
        "store_mb": sum(p.stat().st_size for p in store.rglob("*") if p.is_file()) / 1e6,
        "peak_rss_mb": run.peak_mb,
    }


def query_latency(store_path: Path, name: str, repeats: int) -> float:
    """Best-of-N seconds of one named query, with its example parameters."""
    query = next(q for q in list_queries() if q.name == name)
    params = example_parameters(query.examples[0]) if query.examples else {}
    with Store.open(store_path, read_only=True) as store:
        run = partial(store.query, query.sparql, query.bindings(params))
        return min(timed(run)[0] for _ in range(repeats))


def measured_query_latency(store_path: Path, repeats: int, timeout: float) -> dict[str, Any]:
    """Every named query in a process of its own, so that its memory is measured alone
    and a query that runs away is stopped at ``timeout`` (reported as null, as is one
    that fails)."""
    seconds: dict[str, float | None] = {}
    peak_mb = 0.0
    for query in list_queries():
        output = store_path.with_suffix(f".{query.name}.json")
        command = [sys.executable, __file__, "--query-latency", str(store_path)]
        command += ["--query", query.name, "--repeats", str(repeats), "-o", str(output)]
        log = store_path.with_suffix(f".{query.name}.log")
        run = run_measured(command, log, timeout)
        seconds[query.name] = json.loads(output.read_text()) if output.exists() else None
        peak_mb = max(peak_mb, run.peak_mb)
    return {"seconds": seconds, "peak_rss_mb": peak_mb, "timeout_s": timeout}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes (documents)")
    parser.add_argument("--workers", default=f"1,{os.cpu_count() or 1}")
    parser.add_argument("--speed-docs", type=int, default=500, help="documents for per-core speed")
    parser.add_argument(
        "--scaling-docs", type=int, default=2000, help="documents for the extraction scaling"
    )
    parser.add_argument(
        "--query-timeout", type=float, default=600, help="seconds before a query is stopped"
    )
    parser.add_argument(
        "--over-cores",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also build with N workers held to N cores (doubles the build time)",
    )
    parser.add_argument(
        "--extraction-only",
        action="store_true",
        help="only the per-core extraction speed, with each event method (rules, both)",
    )
    parser.add_argument(
        "--baseline-tree",
        type=Path,
        help="with --extraction-only: another checkout's extraction speed beside this one's,"
        " the two measured in turn (best of three each)",
    )
    # Child mode: one checkout's extraction speed (extraction_against_baseline runs these).
    parser.add_argument("--speed-of", type=Path, help=argparse.SUPPRESS)
    # Child mode: one named query's latency (measured_query_latency runs these).
    parser.add_argument("--query-latency", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--query", help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=3, help=argparse.SUPPRESS)
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args()
    if args.query_latency:
        _write(query_latency(args.query_latency, args.query, args.repeats), args.output)
        return
    if args.speed_of:
        _write(extraction_speed(args.speed_of, args.speed_docs, rounds=2), args.output)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    workers = sorted({int(w) for w in args.workers.split(",")})
    work = Path(tempfile.mkdtemp(prefix="geokg-bench-"))
    results: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores,"
        f" {psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}",
    }
    try:
        first = write_corpus(max(args.speed_docs, 10), work)
        if args.extraction_only and args.baseline_tree:
            results["extraction_against_baseline"] = extraction_against_baseline(
                first, args.speed_docs, args.baseline_tree.resolve(), work
            )
        elif args.extraction_only:
            results["extraction_by_method"] = extraction_by_method(first, args.speed_docs)
        else:
            _all_series(results, args, first, sizes, workers, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _write(results, args.output)


def _all_series(
    results: dict[str, Any],
    args: argparse.Namespace,
    first: Path,
    sizes: list[int],
    workers: list[int],
    work: Path,
) -> None:
    """Extraction, ingest, scaling and builds of every size, into ``results``."""
    results["extraction"] = extraction_speed(first, args.speed_docs)
    print(json.dumps(results["extraction"], indent=2), flush=True)
    results["ingest"] = ingest_speed(first, args.speed_docs, work)
    print(json.dumps(results["ingest"], indent=2), flush=True)
    scaling_corpus = write_corpus(args.scaling_docs, work)
    results["extraction_scaling"] = extraction_scaling(scaling_corpus, workers)
    print(json.dumps(results["extraction_scaling"], indent=2), flush=True)
    results["builds"] = [
        build_series(size, workers, work, args.query_timeout, args.over_cores) for size in sizes
    ]


def build_series(
    size: int, workers: list[int], work: Path, query_timeout: float, over_cores: bool
) -> dict[str, Any]:
    """Builds of one corpus size for every worker count, then (``over_cores``) the same
    builds held to as many cores as workers, then the named queries on the first store.
    Other stores are deleted as soon as they are measured: at 100k documents each takes
    tens of GB."""
    corpus = write_corpus(size, work)
    first_store = work / f"store-{size}-{workers[0]}"
    runs = [build_at(corpus, first_store, workers[0])]
    for count in workers[1:]:
        runs.append(build_and_delete(corpus, work / f"store-{size}-{count}", count))
    _add_speedups(runs)
    result: dict[str, Any] = {"size": size, "runs": runs}
    if over_cores:
        result["over_cores"] = builds_over_cores(corpus, work / f"store-{size}-held", workers, runs)
    repeats = 3 if size <= 10_000 else 2  # best of fewer runs where each takes longer
    result["queries"] = measured_query_latency(first_store, repeats, query_timeout)
    shutil.rmtree(first_store, ignore_errors=True)
    corpus.unlink()
    print(json.dumps(result, indent=2), flush=True)
    return result


def build_and_delete(
    corpus: Path, store: Path, workers: int, cores: int | None = None
) -> dict[str, float]:
    run = build_at(corpus, store, workers, cores)
    shutil.rmtree(store, ignore_errors=True)
    return run


def _add_speedups(runs: list[dict[str, float]]) -> None:
    cores = len(os.sched_getaffinity(0))
    first = runs[0]
    for run in runs:
        run["speedup"] = run["docs_per_s"] / first["docs_per_s"]
        # The most any worker count could gain here: the first build's CPU seconds spread
        # over every core, against its wall time (its writer and RocksDB's compaction
        # threads already keep more than one core busy).
        run["cpu_bound_speedup"] = (
            min(run["workers"], first["seconds"] * cores / first["cpu_s"])
            if run["workers"] > 1
            else 1.0
        )


def builds_over_cores(
    corpus: Path, store: Path, workers: list[int], on_all_cores: list[dict[str, float]]
) -> list[dict[str, float]]:
    """N workers held to N cores, for each worker count; a count with every core is the
    build already measured on all of them (holding a process to all its cores is no
    hold).  Speed-up is against the first count's build on as many cores."""
    available = len(os.sched_getaffinity(0))
    runs = []
    for count, unheld in zip(workers, on_all_cores, strict=True):
        held = count < available
        if held:
            runs.append(build_and_delete(corpus, store, count, cores=count))
        else:
            runs.append({k: v for k, v in unheld.items() if k != "cpu_bound_speedup"})
    for run in runs:
        run["speedup"] = run["docs_per_s"] / runs[0]["docs_per_s"]
    return runs


def _write(results: Any, output: Path | None) -> None:
    text = json.dumps(results, indent=2)
    print(text)
    if output:
        output.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
