"""The packaged models are what the documented retraining makes of the corpus.

kg/data/models/README.md names the order: train-aliases, train-names, train-relations,
train-events, train-sides, each reading what the one before changes.  Each trainer here is given the
packaged files the earlier ones made and must write its own packaged file (byte for byte,
or a model's weights within what floating point moves on another CPU):
a change to linking or extraction code that moves what a trainer learns fails here, not
silently in the next session's retraining.  Each runs as a user runs it, in a fresh
process.  (About two minutes: every trainer reads the whole corpus.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.extraction import relation_training, side_training, training
from kg.linking import name_training
from kg.paths import DATA_DIR

CORPUS = Path(__file__).resolve().parents[1] / "news-corpus"
MODELS = DATA_DIR / "models"
RETRAIN = "retrain in the order of kg/data/models/README.md and commit the files"


@pytest.fixture(scope="module")
def bundled_only(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a fresh process that knows the bundled knowledge only: the
    packaged files are made from it, and other tests leave Wikidata snapshots in the
    session's shared cache, which the linker would read (one cache for the four, so
    the alias index is built once)."""
    cache = tmp_path_factory.mktemp("bundled-only-cache")
    return {**os.environ, "GEOKG_CACHE": str(cache)}


def _train(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kg", *command], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stdout + done.stderr


# A model's weights are fitted in floating point, and another CPU or BLAS build moves the
# last printed digit (seen: 4th decimals of the name scorers on a new machine, the same
# packages): weights and intercepts may differ by this much, and a feature whose weight
# lies this close to the floor under which weights are dropped may be kept on one machine
# and not the other.  Anything else, a threshold included, must be the same.
WEIGHT_TOLERANCE = 0.002
WEIGHT_FLOOR = max(
    training.WEIGHT_FLOOR,
    relation_training.WEIGHT_FLOOR,
    side_training.WEIGHT_FLOOR,
    name_training.WEIGHT_FLOOR,
)


def _same(made: Path, packaged: Path) -> None:
    if made.suffix != ".json":
        assert made.read_bytes() == packaged.read_bytes(), f"{packaged.name} is stale: {RETRAIN}"
        return
    differences = _differences(
        json.loads(made.read_text(encoding="utf-8")),
        json.loads(packaged.read_text(encoding="utf-8")),
        packaged.name,
    )
    assert not differences, f"{packaged.name} is stale: {RETRAIN}: {differences[:5]}"


def _differences(made: object, packaged: object, where: str) -> list[str]:
    """Where two models differ by more than floating point moves them."""
    if isinstance(made, dict) and isinstance(packaged, dict):
        found = []
        for key in sorted(set(made) | set(packaged)):
            here = f"{where}/{key}"
            if key not in made or key not in packaged:
                value = made.get(key, packaged.get(key))
                if not _near_floor(value):
                    found.append(f"{here} only in one")
            else:
                found += _differences(made[key], packaged[key], here)
        return found
    if isinstance(made, list) and isinstance(packaged, list) and len(made) == len(packaged):
        return [
            d
            for i, (a, b) in enumerate(zip(made, packaged, strict=True))
            for d in _differences(a, b, f"{where}[{i}]")
        ]
    if _is_number(made) and _is_number(packaged) and "threshold" not in where:
        close = abs(float(made) - float(packaged)) <= WEIGHT_TOLERANCE  # type: ignore[arg-type]
        return [] if close else [f"{where}: {made} != {packaged}"]
    return [] if made == packaged else [f"{where}: {made!r} != {packaged!r}"]


def _near_floor(value: object) -> bool:
    if isinstance(value, dict):
        return all(_near_floor(v) for v in value.values())
    return _is_number(value) and abs(float(value)) <= WEIGHT_FLOOR + WEIGHT_TOLERANCE  # type: ignore[arg-type]


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@pytest.mark.parametrize(
    ("command", "files"),
    [
        (
            ["train-aliases"],
            {
                "induced_aliases.tsv": DATA_DIR / "gazetteer",
                "refuted_aliases.tsv": DATA_DIR / "gazetteer",
            },
        ),
        (["train-names"], {"organization-names.json": MODELS, "person-names.json": MODELS}),
        (["train-relations"], {"relations.json": MODELS}),
        (["train-events"], {"event-detector.json": MODELS, "political-filter.json": MODELS}),
        (["train-sides"], {"event-sides.json": MODELS}),
    ],
    ids=["aliases", "names", "relations", "events", "sides"],
)
def test_retraining_on_the_corpus_gives_the_packaged_files(
    tmp_path: Path, bundled_only: dict[str, str], command: list[str], files: dict[str, Path]
) -> None:
    pytest.importorskip("sklearn", reason="training needs the train extra (scikit-learn)")
    if command == ["train-names"]:
        _train([*command, str(CORPUS), "-o", str(tmp_path)], bundled_only)
    elif command == ["train-aliases"]:
        refuted = ["--refuted-output", str(tmp_path / "refuted_aliases.tsv")]
        _train(
            [*command, str(CORPUS), "-o", str(tmp_path / "induced_aliases.tsv"), *refuted],
            bundled_only,
        )
    elif command == ["train-events"]:
        out = tmp_path / "event-detector.json"
        political = tmp_path / "political-filter.json"
        arguments = [str(CORPUS), "-o", str(out), "--filter-output", str(political)]
        _train([*command, *arguments], bundled_only)
    else:
        _train([*command, str(CORPUS), "-o", str(tmp_path / next(iter(files)))], bundled_only)
    for name, folder in files.items():
        _same(tmp_path / name, folder / name)
