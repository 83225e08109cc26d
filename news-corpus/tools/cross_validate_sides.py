"""Five-fold cross-validation of the side chooser on the train splits (docs/quality.md).

    .venv/bin/python news-corpus/tools/cross_validate_sides.py [--jobs 2]

Documents fall into five folds by a hash of their id.  For each fold, the event detector
(`kg train-events`) and the side chooser (`kg train-sides`) are trained on the other four
fifths of news-corpus/train.jsonl and next-languages/train.jsonl, and the fold's documents
of each split are scored with `kg evaluate`, with the fold's chooser and without one.  The
aliases and name scorers stay the packaged ones (trained on the whole split) for both.
Prints events P/R/F1 per fold and pooled.  Reads the train splits only; about ten minutes
on two cores with --jobs 2 (thirteen, measured).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "news-corpus"
KG = str(ROOT / ".venv" / "bin" / "kg")
FOLDS = 5
SPLITS = {
    "training split": CORPUS / "train.jsonl",
    "next languages": CORPUS / "next-languages" / "train.jsonl",
}
ARMS = ("rules and detector", "with the side chooser")
# Leads labelled only as non-political (negatives/train.jsonl): with --negatives, every
# fold's training reads all of them, as `kg train-events` does; they are never scored
# here (tools/cross_validate_guard.py measures them).
NEGATIVES = CORPUS / "negatives" / "train.jsonl"
NOWHERE = "/nonexistent/no-side-chooser.json"


def fold_of(doc_id: str) -> int:
    return int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % FOLDS


def write_fold(fold: int, folder: Path, negatives: bool = False) -> dict[str, Path]:
    """The fold's training corpus (the other folds, laid out as news-corpus is) and its
    held-out documents per split."""
    if negatives:
        target = folder / NEGATIVES.relative_to(CORPUS)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(NEGATIVES.read_bytes())
    held = {}
    for split, path in SPLITS.items():
        rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
        train = folder / path.relative_to(CORPUS)
        train.parent.mkdir(parents=True, exist_ok=True)
        _write(train, [r for r in rows if fold_of(r["id"]) != fold])
        held[split] = folder / f"held-{split.replace(' ', '-')}.jsonl"
        _write(held[split], [r for r in rows if fold_of(r["id"]) == fold])
    return held


def _write(path: Path, rows: list[dict[str, object]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")


def run_fold(
    fold: int, work: Path, negatives: bool = False
) -> dict[tuple[str, str], tuple[int, int, int]]:
    """(arm, split) -> events (TP, FP, FN) on the fold's held-out documents."""
    folder = work / f"fold-{fold}"
    held = write_fold(fold, folder, negatives)
    detector, political, sides = folder / "det.json", folder / "pol.json", folder / "sides.json"
    train = [
        KG,
        "train-events",
        str(folder),
        "-o",
        str(detector),
        "--filter-output",
        str(political),
        *(["--labelled-negatives"] if negatives else []),
    ]
    subprocess.run(train, check=True, capture_output=True)
    env = dict(os.environ, GEOKG_EVENT_MODEL=str(detector), GEOKG_POLITICAL_FILTER=str(political))
    train = [KG, "train-sides", str(folder), "-o", str(sides)]
    subprocess.run(train, env=env, check=True, capture_output=True)
    counts = {}
    for arm, model in zip(ARMS, (NOWHERE, str(sides)), strict=True):
        for split, path in held.items():
            counts[(arm, split)] = _events(path, dict(env, GEOKG_SIDES_MODEL=model))
    return counts


def _events(path: Path, env: dict[str, str]) -> tuple[int, int, int]:
    command = [KG, "evaluate", str(path), "--format", "json"]
    report = json.loads(
        subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    )
    row = next(r for r in report["headline"] if r["label"] == "events")
    return row["tp"], row["fp"], row["fn"]


def f1(tp: int, fp: int, fn: int) -> str:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return f"{2 * p * r / (p + r) if p + r else 0.0:.3f} (P {p:.3f} R {r:.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=1, help="folds run at once")
    parser.add_argument(
        "--negatives", action="store_true", help="train on negatives/train.jsonl too"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(args.jobs) as pool:
        run = lambda k: run_fold(k, Path(tmp), args.negatives)  # noqa: E731
        results = list(pool.map(run, range(FOLDS)))
    for split in SPLITS:
        print(f"\n{split}, events F1 per fold held out:")
        for arm in ARMS:
            per_fold = [f1(*r[(arm, split)]).split()[0] for r in results]
            pooled = [sum(r[(arm, split)][i] for r in results) for i in range(3)]
            print(f"  {arm:24} {' '.join(per_fold)}   pooled {f1(*pooled)}")


if __name__ == "__main__":
    main()
