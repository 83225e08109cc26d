"""The packaged models are what the documented retraining makes of the corpus.

kg/data/models/README.md names the order: train-aliases, train-names, train-events,
train-sides, each reading what the one before changes.  Each trainer here is given the
packaged files the earlier ones made and must write its own packaged file byte for byte:
a change to linking or extraction code that moves what a trainer learns fails here, not
silently in the next session's retraining.  (About two minutes: every trainer reads the
whole corpus.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.paths import DATA_DIR

CORPUS = Path(__file__).resolve().parents[1] / "news-corpus"
MODELS = DATA_DIR / "models"
RETRAIN = "retrain in the order of kg/data/models/README.md and commit the files"


def _train(command: list[str]) -> None:
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 0, result.output


def _same(made: Path, packaged: Path) -> None:
    assert made.read_bytes() == packaged.read_bytes(), f"{packaged.name} is stale: {RETRAIN}"


@pytest.mark.parametrize(
    ("command", "files"),
    [
        (["train-aliases"], {"induced_aliases.tsv": DATA_DIR / "gazetteer"}),
        (["train-names"], {"organization-names.json": MODELS, "person-names.json": MODELS}),
        (["train-events"], {"event-detector.json": MODELS, "political-filter.json": MODELS}),
        (["train-sides"], {"event-sides.json": MODELS}),
    ],
    ids=["aliases", "names", "events", "sides"],
)
def test_retraining_on_the_corpus_gives_the_packaged_files(
    tmp_path: Path, command: list[str], files: dict[str, Path]
) -> None:
    pytest.importorskip("sklearn", reason="training needs the train extra (scikit-learn)")
    if command == ["train-names"]:
        _train([*command, str(CORPUS), "-o", str(tmp_path)])
    elif command == ["train-events"]:
        out = tmp_path / "event-detector.json"
        political = tmp_path / "political-filter.json"
        _train([*command, str(CORPUS), "-o", str(out), "--filter-output", str(political)])
    else:
        _train([*command, str(CORPUS), "-o", str(tmp_path / next(iter(files)))])
    for name, folder in files.items():
        _same(tmp_path / name, folder / name)
