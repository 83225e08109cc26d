"""Export benchmark: the peak memory and time of every ``kg export`` format as the store grows.

For each corpus size it builds a store of the bench corpus (``kg build``, as a user
runs it) and runs every export format in a process of its own, sampling the resident
memory of that process tree. The baseline, measured in the same run, is the smallest
size: each format's peak at a larger size is reported as a ratio to it, and as MB per
1,000 documents above it. An export that streams keeps its ratio near 1; one that holds
the store's rows grows with it, and its slope says where it would stand at 100,000
documents (the issue's limit is 1 GB there).

    python bench/bench_exports.py --sizes 1000,4000 -o bench/results/exports.json
    python bench/bench_exports.py --store demo-store --formats csv,plover
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from bench_build import (  # noqa: E402 -- the sibling script
    BENCH_BASE_IRI,
    _write,
    build_at,
    run_measured,
    write_corpus,
)

from kg.rdf import DEFAULT_BASE_IRI  # noqa: E402

FORMATS = ("trig", "nquads", "turtle", "jsonld", "csv", "parquet", "plover", "cameo", "graphml")


def export_run(store: Path, fmt: str, work: Path, base_iri: str) -> dict[str, Any]:
    """One ``kg export FORMAT`` of ``store`` (built under ``base_iri``) in its own process."""
    output = work / f"export-{fmt}"
    shutil.rmtree(output, ignore_errors=True)
    command = [sys.executable, "-m", "kg", "export", fmt, "--store", str(store), "-o", str(output)]
    command += ["--base-iri", base_iri]
    run = run_measured(command, work / f"export-{fmt}.log")
    written = (
        sum(p.stat().st_size for p in output.rglob("*") if p.is_file()) if output.exists() else 0
    )
    shutil.rmtree(output, ignore_errors=True)
    return {
        "format": fmt,
        "seconds": run.seconds,  # None: the export failed (see its log)
        "peak_rss_mb": run.peak_mb,
        "output_mb": written / 1e6,
    }


def exports_of(
    store: Path, formats: list[str], work: Path, base_iri: str
) -> dict[str, dict[str, Any]]:
    return {fmt: export_run(store, fmt, work, base_iri) for fmt in formats}


def growth(series: list[dict[str, Any]]) -> dict[str, dict[str, float | None]]:
    """Each format's peak at the largest size against the smallest (the run's baseline):
    the ratio, and MB per 1,000 documents between the two."""
    first, last = series[0], series[-1]
    added = (last["documents"] - first["documents"]) / 1000
    out: dict[str, dict[str, float | None]] = {}
    for fmt, run in last["exports"].items():
        base = first["exports"][fmt]["peak_rss_mb"]
        out[fmt] = {
            "peak_ratio": run["peak_rss_mb"] / base if base else None,
            "mb_per_1000_documents": (run["peak_rss_mb"] - base) / added if added else None,
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,4000", help="corpus sizes (documents)")
    parser.add_argument("--workers", type=int, default=2, help="workers of each build")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--store", type=Path, help="measure this store instead of building")
    parser.add_argument(
        "--base-iri", default=DEFAULT_BASE_IRI, help="the base IRI --store was built with"
    )
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args()
    formats = [f for f in args.formats.split(",") if f]
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise SystemExit(f"unknown export format(s): {', '.join(unknown)}")
    with tempfile.TemporaryDirectory(prefix="geokg-bench-exports-") as tmp:
        work = Path(tmp)
        if args.store is not None:
            results: dict[str, Any] = {"store": str(args.store)}
            results["exports"] = exports_of(args.store.resolve(), formats, work, args.base_iri)
        else:
            series = []
            for size in [int(s) for s in args.sizes.split(",")]:
                corpus = write_corpus(size, work)
                store = work / f"store-{size}"
                built = build_at(corpus, store, args.workers)
                series.append(
                    {**built, "exports": exports_of(store, formats, work, BENCH_BASE_IRI)}
                )
                shutil.rmtree(store, ignore_errors=True)
            results = {"series": series, "growth": growth(series)}
    _write(results, args.output)


if __name__ == "__main__":
    main()
