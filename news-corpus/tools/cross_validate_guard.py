"""Five-fold cross-validation of the precision guard (docs/quality.md): what training the
event detector and the political filter on the labelled non-political leads of
negatives/train.jsonl does, on documents none of the models saw.

    .venv/bin/python news-corpus/tools/cross_validate_guard.py [--jobs 2]

Documents fall into five folds by a hash of their id.  For each fold, `kg train-events`
trains the detector and the filter on the other four fifths of train.jsonl and
next-languages/train.jsonl, once without and once with the other four fifths of
negatives/train.jsonl.  The fold's documents are then read with each pair of models,
and with the first's detector beside the second's filter (what the filter alone buys):
events F1 on its annotated leads (both train splits), and the share of its non-political
leads given a political event, for the annotated ones (corpus negatives) and the labelled
ones (negatives/) apart.  The side chooser and the name scorers stay the packaged ones
for every arm.  Reads train splits only; about twelve minutes on two quiet cores with
--jobs 2.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

# The sibling script's folds and F1, so both cross-validations split documents alike.
from cross_validate_sides import FOLDS, f1, fold_of

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "news-corpus"
KG = str(ROOT / ".venv" / "bin" / "kg")
ANNOTATED = (CORPUS / "train.jsonl", CORPUS / "next-languages" / "train.jsonl")
LABELLED = CORPUS / "negatives" / "train.jsonl"
ARMS = ("annotated leads only", "with labelled negatives")
# Read with the first arm's detector and the second arm's filter: what the filter alone buys.
FILTER_ONLY = "labelled negatives for the filter only"
NEGATIVES_FIGURE = "negatives with a false political event"


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def write_fold(fold: int, folder: Path) -> dict[str, Path]:
    """Each arm's training corpus (laid out as news-corpus is) and the fold's held-out
    annotated and labelled leads."""
    annotated = [row for path in ANNOTATED for row in _rows(path)]
    labelled = _rows(LABELLED)
    for arm in ARMS:
        corpus = folder / arm.replace(" ", "-")
        for path in ANNOTATED:
            rows = [r for r in _rows(path) if fold_of(r["id"]) != fold]
            _write(corpus / path.relative_to(CORPUS), rows)
        if arm == ARMS[1]:
            rows = [r for r in labelled if fold_of(r["id"]) != fold]
            _write(corpus / LABELLED.relative_to(CORPUS), rows)
    return {
        "annotated": _write(folder / "held-annotated.jsonl", _held(annotated, fold)),
        "labelled": _write(folder / "held-labelled.jsonl", _held(labelled, fold)),
    }


def _held(rows: list[dict[str, Any]], fold: int) -> list[dict[str, Any]]:
    return [r for r in rows if fold_of(r["id"]) == fold]


def run_fold(fold: int, work: Path) -> dict[str, dict[str, Any]]:
    """arm -> {"events": (TP, FP, FN), "annotated negatives": (flagged, of),
    "labelled negatives": (flagged, of)} on the fold's held-out leads."""
    folder = work / f"fold-{fold}"
    held = write_fold(fold, folder)
    models = {}
    for arm in ARMS:
        corpus = folder / arm.replace(" ", "-")
        detector, political = corpus / "det.json", corpus / "pol.json"
        command = [KG, "train-events", str(corpus), "-o", str(detector), "--labelled-negatives"]
        subprocess.run(
            [*command, "--filter-output", str(political)], check=True, capture_output=True
        )
        models[arm] = (detector, political)
    models[FILTER_ONLY] = (models[ARMS[0]][0], models[ARMS[1]][1])
    out = {}
    for arm, (detector, political) in models.items():
        env = dict(
            os.environ, GEOKG_EVENT_MODEL=str(detector), GEOKG_POLITICAL_FILTER=str(political)
        )
        annotated = _evaluate(held["annotated"], env)
        labelled = _evaluate(held["labelled"], env)
        out[arm] = {
            "events": next(_counts(r) for r in annotated["headline"] if r["label"] == "events"),
            "annotated negatives": _flagged(annotated),
            "labelled negatives": _flagged(labelled),
        }
    return out


def _evaluate(path: Path, env: dict[str, str]) -> dict[str, Any]:
    command = [KG, "evaluate", str(path), "--format", "json"]
    result = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def _counts(row: dict[str, Any]) -> tuple[int, int, int]:
    return row["tp"], row["fp"], row["fn"]


def _flagged(report: dict[str, Any]) -> tuple[int, int]:
    """(leads given a political event, non-political leads) from the report's figure."""
    figure = next(f for f in report["figures"] if f["label"] == NEGATIVES_FIGURE)
    flagged, _, total = figure["detail"].split(":")[0].split()[:3]
    return int(flagged), int(total)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=1, help="folds run at once")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda k: run_fold(k, Path(tmp)), range(FOLDS)))
    for arm in (*ARMS, FILTER_ONLY):
        events = [sum(r[arm]["events"][i] for r in results) for i in range(3)]
        print(f"{arm}:")
        print(f"  events on the annotated leads, pooled: {f1(*events)}")
        for kind in ("annotated negatives", "labelled negatives"):
            flagged = sum(r[arm][kind][0] for r in results)
            total = sum(r[arm][kind][1] for r in results)
            share = flagged / total if total else 0.0
            print(f"  {kind} given a political event: {flagged} of {total} ({share:.3f})")


if __name__ == "__main__":
    main()
