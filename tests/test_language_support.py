"""Each document says what geokg reads in its language (kg/extraction/support.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kg.extraction.support import LINKING_AND_EVENTS, LINKING_ONLY, language_support

SWAHILI = "Polisi wa Kenya waliwakamata waandamanaji jijini Nairobi siku ya Jumanne."


def test_languages_with_a_lexicon_read_events_and_others_linking_only() -> None:
    assert language_support("en") == language_support("id") == LINKING_AND_EVENTS
    assert language_support("sw") == LINKING_ONLY


def test_extract_and_build_say_what_they_read_per_document(tmp_path: Path) -> None:
    articles = tmp_path / "news.jsonl"
    records = [
        {"id": "sw-1", "lang": "sw", "text": SWAHILI},
        {"id": "en-1", "lang": "en", "text": "Kenyan police arrested protesters in Nairobi."},
    ]
    articles.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    extracted = subprocess.run(
        [sys.executable, "-m", "kg", "extract", str(articles)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    support = {
        (record := json.loads(line))["id"]: record["support"]
        for line in extracted.stdout.splitlines()
    }
    assert support == {"sw-1": LINKING_ONLY, "en-1": LINKING_AND_EVENTS}
    built = subprocess.run(
        [sys.executable, "-m", "kg", "build", str(articles), "--store", str(tmp_path / "s")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "1 document(s) read with linking only" in built.stdout
    assert "(sw 1)" in built.stdout


def test_language_identification_is_checked_against_the_annotated_languages() -> None:
    from kg.evaluation.benchmarks import CORPUS_DIR, language_identification
    from kg.evaluation.dev import read_dev_gold

    gold = read_dev_gold(CORPUS_DIR / "dev.jsonl")
    figure = language_identification(gold)
    assert figure.detail == f"{round(figure.value * len(gold))} of {len(gold)} documents"
    assert figure.value >= 0.99  # 90 leads in nine languages
    mislabelled = [gold[0]]
    mislabelled[0].lang = "ko" if gold[0].lang != "ko" else "en"
    assert language_identification(mislabelled).value == 0.0
