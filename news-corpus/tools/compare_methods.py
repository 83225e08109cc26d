"""Compare event-detection methods on a corpus split (issue: method chosen by measurement).

    .venv/bin/python news-corpus/tools/compare_methods.py dev     # while tuning
    .venv/bin/python news-corpus/tools/compare_methods.py test    # once, for the report

Trains the two detectors (logistic regression; lexicon induced from the corpus) on
news-corpus/train.jsonl into a temporary folder, then scores five set-ups on the split with
`kg evaluate`: the hand lexicons alone (rules), each detector alone (model), and each
detector beside the hand lexicons (both).  Prints events P/R/F1 and relations F1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KG = str(ROOT / ".venv" / "bin" / "kg")


def score(split: Path, method: str, model: Path | None) -> dict:
    env = dict(os.environ, GEOKG_EVENTS=method)
    if model is not None:
        env["GEOKG_EVENT_MODEL"] = str(model)
    out = subprocess.run(
        [KG, "evaluate", str(split), "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    report = json.loads(out)
    return {row["label"]: row for row in report["headline"]}


def main() -> None:
    split = ROOT / "news-corpus" / f"{sys.argv[1] if len(sys.argv) > 1 else 'dev'}.jsonl"
    with tempfile.TemporaryDirectory() as tmp:
        models = {}
        for method in ("logreg", "induced"):
            models[method] = Path(tmp) / f"{method}.json"
            subprocess.run(
                [
                    KG,
                    "train-events",
                    str(ROOT / "news-corpus"),
                    "--method",
                    method,
                    "-o",
                    str(models[method]),
                ],
                check=True,
                capture_output=True,
            )
        setups = [
            ("rules (hand lexicons)", "rules", None),
            ("induced lexicon alone", "model", models["induced"]),
            ("induced lexicon + hand lexicons", "both", models["induced"]),
            ("classifier alone", "model", models["logreg"]),
            ("classifier + hand lexicons", "both", models["logreg"]),
        ]
        print(f"split: {split.name}")
        for name, method, model in setups:
            rows = score(split, method, model)
            ev, rel = rows["events"], rows["relations"]
            print(
                f"{name:34s} events P {ev['precision']:.3f} R {ev['recall']:.3f} F1 {ev['f1']:.3f}"
                f" | relations F1 {rel['f1']:.3f}"
            )


if __name__ == "__main__":
    main()
