"""Linking throughput and peak memory, against a naive baseline in the same run.

Usage (from the repository root)::

    .venv/bin/python bench/bench_linking.py            # bundled knowledge + 1M aliases
    .venv/bin/python bench/bench_linking.py --quick    # bundled knowledge only

Each scenario runs in two child processes, one that builds and caches the index
and one that loads it and links, so that each peak memory (``ru_maxrss``) is its
own.  Documents are news-sized texts made by shuffling the
paragraphs of the seed article (deterministically); throughput is measured on one
core with ``time.process_time``.  The baseline is what linking was before this
linker: a dictionary from lower-cased names as written to QIDs, looked up for
every run of one to four words -- no morphology, no case rules, no disambiguation.

The synthetic index adds a snapshot of 250,000 made-up entities with four
made-up aliases each (1,000,000 aliases) to the bundled knowledge; it lives in a
temporary cache and is never shipped.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SEED = PROJECT / "seeds" / "jitunews-2022-09-16-armenia-csto.txt"
SYLLABLES = ("ka", "lo", "mi", "ru", "ta", "ve", "zo", "ni", "sa", "po", "le", "da", "fu")
SYNTHETIC_ENTITIES = 250_000
ALIASES_PER_ENTITY = 4
DOCUMENTS = 600


def news_documents(count: int) -> list[str]:
    """News-sized texts: the seed's paragraphs in shuffled orders."""
    paragraphs = [p for p in SEED.read_text(encoding="utf-8").split("\n") if p.strip()]
    rng = random.Random(7)
    texts = []
    for _ in range(count):
        chosen = paragraphs[:]
        rng.shuffle(chosen)
        texts.append("\n".join(chosen[: max(6, len(chosen) - rng.randint(0, 4))]))
    return texts


def synthetic_snapshot(path: Path) -> None:
    """250k made-up entities x 4 made-up aliases, as a snapshot file."""
    rng = random.Random(11)

    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()

    with path.open("w", encoding="utf-8") as out:
        for number in range(SYNTHETIC_ENTITIES):
            names = [f"{word()} {word()}" for _ in range(ALIASES_PER_ENTITY)]
            item = {
                "qid": f"Q{900_000_000 + number}",  # made up: never shipped
                "type": "organization",
                "labels": {"en": names[0]},
                "aliases": {"en": names[1:]},
            }
            out.write(json.dumps(item) + "\n")


def naive_baseline(snapshots: list[Path]):
    """Exact lower-cased names as written -> QID; n-grams of 1..4 words."""
    from kg.gazetteer.sources import (
        alias_rows,
        curated_entities,
        rigour_entities,
        snapshot_entities,
    )

    table: dict[str, str] = {}
    for entity in [*rigour_entities(), *curated_entities(), *snapshot_entities(snapshots)]:
        for name in entity.names:
            table.setdefault(name.text.lower(), entity.qid)
    for qid, name, _ in alias_rows():
        table.setdefault(name.text.lower(), qid)

    def link(text: str) -> set[str]:
        words = text.lower().split()
        found = set()
        for start in range(len(words)):
            for size in range(1, 5):
                qid = table.get(" ".join(words[start : start + size]).strip(".,:;“”\"'()"))
                if qid:
                    found.add(qid)
        return found

    return link


def build_phase(name: str, snapshots: list[Path]) -> dict:
    """Build and cache the index (what the first ``load_index`` does)."""
    from kg.gazetteer import load_index

    started = time.perf_counter()
    index = load_index(snapshots)
    return {
        "scenario": name,
        "aliases": len(index),
        "entities": len(index.entities),
        "build_s": round(time.perf_counter() - started, 2),
        "build_peak_rss_mb": _peak_rss_mb(),
    }


def run_phase(name: str, snapshots: list[Path]) -> dict:
    """Load the cached index, link the documents, run the baseline."""
    from kg.gazetteer import load_index
    from kg.linking import Linker
    from kg.model import Document

    started = time.perf_counter()
    linker = Linker(load_index(snapshots))
    cached_load = time.perf_counter() - started
    texts = news_documents(DOCUMENTS)
    docs = [Document(id=str(i), text=text, lang="id") for i, text in enumerate(texts)]
    megabytes = sum(len(text.encode("utf-8")) for text in texts) / 1e6
    linker(docs[0])  # warm the word caches
    cpu = time.process_time()
    for doc in docs:
        linker(doc)
    linker_seconds = time.process_time() - cpu
    linking_peak = _peak_rss_mb()
    baseline = naive_baseline(snapshots)
    cpu = time.process_time()
    for text in texts:
        baseline(text)
    baseline_seconds = time.process_time() - cpu
    return {
        "cached_load_s": round(cached_load, 3),
        "docs_per_s": round(len(docs) / linker_seconds, 1),
        "mb_per_s": round(megabytes / linker_seconds, 3),
        "peak_rss_mb": linking_peak,
        "baseline_docs_per_s": round(len(docs) / baseline_seconds, 1),
        "baseline_peak_rss_mb": _peak_rss_mb(),
        "speed_vs_baseline": round(baseline_seconds / linker_seconds, 3),
    }


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def child(phase: str, name: str, snapshot: str) -> None:
    snapshots = [Path(snapshot)] if snapshot != "-" else []
    report = build_phase(name, snapshots) if phase == "build" else run_phase(name, snapshots)
    print(json.dumps(report))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="bundled knowledge only")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    with tempfile.TemporaryDirectory(prefix="geokg-bench-") as scratch:
        env = {**os.environ, "GEOKG_CACHE": str(Path(scratch) / "cache")}
        scenarios = [("bundled", "-")]
        if not args.quick:
            snapshot = Path(scratch) / "synthetic-1M.jsonl"
            synthetic_snapshot(snapshot)
            scenarios.append(("bundled+1M synthetic aliases", str(snapshot)))
        for name, snapshot_arg in scenarios:
            report: dict = {}
            for phase in ("build", "run"):  # a process each: each its own peak memory
                result = subprocess.run(
                    [sys.executable, __file__, "--child", phase, name, snapshot_arg],
                    env=env,
                    cwd=PROJECT,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                report.update(json.loads(result.stdout.strip().splitlines()[-1]))
            print(json.dumps(report, indent=2), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
