"""Build benchmark: extraction speed, store ingest against the raw bulk loader,
speed-up over workers, peak memory, store size and named-query latency.

Every figure is reported beside a baseline measured in the same run, so the
ratios hold on any machine:

* extraction (link + events + relations) per core, against linking alone
  (the events issue promises extraction within 2x of linking);
* quads/s written by geokg's per-document transactions, against pyoxigraph's
  raw ``bulk_load`` of exactly the same quads (the physical limit here);
* ``kg build --workers N`` against ``--workers 1`` on the same corpus;
* the latency of every named query in ``queries/`` on stores of each size.

    python bench/bench_build.py --sizes 1000,10000 --workers 1,2 -o bench/results-build.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from pyoxigraph import RdfFormat, serialize
from pyoxigraph import Store as OxStore

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from corpus import generate  # noqa: E402 -- the sibling generator script

from kg.build import BULK_BATCH, BuildOptions, build  # noqa: E402
from kg.documents import read_documents  # noqa: E402
from kg.extraction import prepare  # noqa: E402
from kg.model import Extraction  # noqa: E402
from kg.pipeline import default_pipeline  # noqa: E402
from kg.queries import list_queries  # noqa: E402
from kg.rdf import extraction_quads  # noqa: E402
from kg.store import Store  # noqa: E402


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = function()
    return time.perf_counter() - started, value


def peak_rss_mb() -> float:
    """Peak resident memory of this process and its finished children, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def write_corpus(count: int, folder: Path) -> Path:
    path = folder / f"corpus-{count}.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for doc in generate(count):
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
    return path


def extraction_speed(corpus: Path, limit: int) -> dict[str, float]:
    """Documents/s on one core: linking alone, and the whole pipeline."""
    docs = list(read_documents([corpus]))[:limit]
    megabytes = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6
    pipeline = default_pipeline()
    prepare()  # compile every language's lexicon outside the timings, as a worker does
    pipeline(docs[0])  # and warm the index
    link_s, _ = timed(lambda: [pipeline.link(d) for d in docs])
    full_s, _ = timed(lambda: [pipeline(d) for d in docs])
    return {
        "documents": len(docs),
        "link_docs_per_s": len(docs) / link_s,
        "link_mb_per_s": megabytes / link_s,
        "extract_docs_per_s": len(docs) / full_s,
        "extract_mb_per_s": megabytes / full_s,
        "extract_over_link_time": full_s / link_s,
    }


def ingest_speed(corpus: Path, limit: int, work: Path) -> dict[str, float]:
    """geokg's per-document writes against pyoxigraph's bulk_load of the same quads."""
    pipeline = default_pipeline()
    extractions: list[Extraction] = [pipeline(d) for d in list(read_documents([corpus]))[:limit]]
    geokg_store = work / "ingest-geokg"
    with Store.open(geokg_store) as store:
        base_quads = store.quad_count()  # the ontology and settings graphs
        seconds, _ = timed(lambda: [store.write_extraction(e) for e in extractions])
        written = store.quad_count() - base_quads
    with Store.open(work / "ingest-geokg-bulk") as store:
        batches = [extractions[i : i + BULK_BATCH] for i in range(0, len(extractions), BULK_BATCH)]
        bulk_seconds, _ = timed(lambda: [store.write_extractions_bulk(b) for b in batches])
    mapping_seconds, mapped = timed(
        lambda: [extraction_quads(e, store.base_iri) for e in extractions]
    )
    quads = [q for doc_quads in mapped for q in doc_quads]
    dump = serialize(quads, format=RdfFormat.N_QUADS)
    raw_store = OxStore(str(work / "ingest-raw"))
    raw_seconds, _ = timed(lambda: raw_store.bulk_load(dump, format=RdfFormat.N_QUADS))
    return {
        "documents": len(extractions),
        "quads": written,
        "geokg_quads_per_s": written / seconds,
        "bulk_load_quads_per_s": len(quads) / raw_seconds,
        "geokg_over_bulk_load": (written / seconds) / (len(quads) / raw_seconds),
        "geokg_bulk_quads_per_s": written / bulk_seconds,
        "geokg_bulk_over_bulk_load": (written / bulk_seconds) / (len(quads) / raw_seconds),
        # The same without the RDF mapping (Extraction -> quads), i.e. the store's share:
        "rdf_mapping_seconds": mapping_seconds,
        "store_only_over_bulk_load": raw_seconds / (seconds - mapping_seconds),
        "store_only_bulk_over_bulk_load": raw_seconds / (bulk_seconds - mapping_seconds),
    }


def build_at(corpus: Path, store: Path, workers: int, bulk: bool) -> dict[str, float]:
    shutil.rmtree(store, ignore_errors=True)
    options = BuildOptions(workers=workers, bulk=bulk)
    seconds, summary = timed(lambda: build([corpus], store, options))
    size = sum(p.stat().st_size for p in store.rglob("*") if p.is_file())
    return {
        "workers": workers,
        "bulk": bulk,
        "documents": summary.documents,
        "seconds": seconds,
        "docs_per_s": summary.documents / seconds,
        "quads": summary.quads_after,
        "store_mb": size / 1e6,
    }


def query_latency(store_path: Path, repeats: int = 3) -> dict[str, float]:
    """Best-of-N seconds for every named query, with its example parameters."""
    latencies: dict[str, float] = {}
    with Store.open(store_path, read_only=True) as store:
        for query in list_queries():
            params = _example_params(query.examples)
            run = partial(store.query, query.sparql, query.bindings(params))
            latencies[query.name] = min(timed(run)[0] for _ in range(repeats))
    return latencies


def _example_params(examples: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for example in examples[:1]:
        words = example.split()
        for flag, value in zip(words, words[1:], strict=False):
            if flag == "--param" and "=" in value:
                key, _, raw = value.partition("=")
                params[key] = raw.strip("'\"")
    return params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes (documents)")
    parser.add_argument("--workers", default=f"1,{os.cpu_count() or 1}")
    parser.add_argument("--speed-docs", type=int, default=500, help="documents for per-core speed")
    parser.add_argument("--bulk", action="store_true", help="build with --bulk")
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    workers = sorted({int(w) for w in args.workers.split(",")})
    work = Path(tempfile.mkdtemp(prefix="geokg-bench-"))
    results: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores,"
        f" Python {platform.python_version()}",
    }
    try:
        first = write_corpus(max(args.speed_docs, 10), work)
        results["extraction"] = extraction_speed(first, args.speed_docs)
        print(json.dumps(results["extraction"], indent=2), flush=True)
        results["ingest"] = ingest_speed(first, args.speed_docs, work)
        print(json.dumps(results["ingest"], indent=2), flush=True)
        results["builds"] = []
        for size in sizes:
            corpus = write_corpus(size, work)
            runs = [build_at(corpus, work / f"store-{size}-{w}", w, args.bulk) for w in workers]
            for run in runs:
                run["speedup"] = run["docs_per_s"] / runs[0]["docs_per_s"]
            latency = query_latency(work / f"store-{size}-{workers[0]}")
            results["builds"].append({"size": size, "runs": runs, "query_seconds": latency})
            print(json.dumps(results["builds"][-1], indent=2), flush=True)
        results["peak_rss_mb"] = peak_rss_mb()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = json.dumps(results, indent=2)
    print(text)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
