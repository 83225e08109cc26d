"""Which benchmark a gold path is, and scoring it end to end.

``evaluate(gold, predictions)`` is the Python twin of ``kg evaluate``: it
recognises the gold by what is there (not by its name alone), reads it, gets
predictions (a ``kg extract`` file, or the offline pipeline run on the gold's
own documents) and returns a ``Report``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kg.documents import detect_language
from kg.errors import InputError
from kg.evaluation.coreference import (
    evaluate_coreference,
    looks_like_coreference_gold,
    read_coreference_gold,
)
from kg.evaluation.dev import GoldDoc, looks_like_dev_gold, read_dev_gold, score_dev
from kg.evaluation.indel import find_indel_turtle, indel_subset, read_indel, score_indel
from kg.evaluation.nerel import find_nerel_files, nerel_subset, read_nerel, score_nerel
from kg.evaluation.plover import find_plover_file, read_plover, score_plover
from kg.evaluation.predictions import Predictions, read_predictions, run_pipeline
from kg.evaluation.report import Figure, Report
from kg.model import Document

# Where each benchmark lies in the evaluation kit (../shared), for --all.
KIT_LAYOUT: dict[str, str] = {
    "dev": "eval/dev.jsonl",
    "indel": "reference/indel",
    "nerel": "reference/nerel",
    "plover": "reference/plover_gsr",
}

UNRECOGNISED = (
    "not a recognised gold set (expected a dev.jsonl-style gold file, IndEL's NIF .ttl or"
    " its directory, a NEREL directory with *_links.jsonl beside its documents, or a"
    " PLOVER GSR directory with PLOVER_GSR*.json)"
)


def detect_benchmark(path: Path) -> str:
    """ "dev", "indel", "nerel" or "plover"; InputError with one line if none fits."""
    if not path.exists():
        raise InputError(str(path), "no such file or directory")
    if find_indel_turtle(path):
        return "indel"
    if find_nerel_files(path):
        return "nerel"
    if find_plover_file(path):
        return "plover"
    if path.is_file() and looks_like_coreference_gold(path):
        return "coreference"
    if path.is_file() and looks_like_dev_gold(path):
        return "dev"
    if path.is_dir() and (path / KIT_LAYOUT["dev"]).exists():
        raise InputError(str(path), "this is the whole evaluation kit: use --all to score it")
    raise InputError(str(path), UNRECOGNISED)


def evaluate(gold: Path, predictions: Path | None = None) -> Report:
    """Score ``predictions`` (or a fresh pipeline run) against the gold at ``gold``."""
    return _EVALUATORS[detect_benchmark(gold)](gold, predictions)


# The project's own real-news corpus (news-corpus/ in a source checkout): its frozen test
# split is the headline figure, its dev split the one tuned on; the next languages' test
# set (news-corpus/next-languages/) measures the languages without lexicons yet; the
# negatives' test split (news-corpus/negatives/, leads labelled only as non-political)
# is the precision guard.
CORPUS_DIR = Path(__file__).resolve().parents[2] / "news-corpus"
CORPUS_SPLITS = {
    "test": "test.jsonl",
    "dev": "dev.jsonl",
    "next-languages": "next-languages/test.jsonl",
    "negatives": "negatives/test.jsonl",
}
# The multi-outlet corpus for cross-document event coreference (news-corpus/coreference/):
# the diplomacy half chose the clustering's day window and its rule for undated reports;
# the conflict half was not looked at until then, and is the held-out figure.
COREFERENCE_SETS = {
    "coreference-held-out": "coreference/conflict.jsonl",
    "coreference-tuned-on": "coreference/diplomacy.jsonl",
}


def evaluate_all(kit: Path) -> list[Report]:
    """Score the offline pipeline on the corpus's test and dev splits (when this is a
    source checkout) and on every benchmark of the evaluation kit."""
    missing = [part for part in KIT_LAYOUT.values() if not (kit / part).exists()]
    if missing:
        raise InputError(str(kit), f"not the evaluation kit: missing {', '.join(missing)}")
    reports = [evaluate_corpus_split(split) for split in CORPUS_SPLITS if _corpus_split(split)]
    reports += [
        _evaluate_coreference(CORPUS_DIR / part, None, name)
        for name, part in COREFERENCE_SETS.items()
        if (CORPUS_DIR / part).exists()
    ]
    return reports + [_EVALUATORS[kind](kit / part, None) for kind, part in KIT_LAYOUT.items()]


def _corpus_split(split: str) -> Path | None:
    path = CORPUS_DIR / CORPUS_SPLITS[split]
    return path if path.exists() else None


def evaluate_corpus_split(split: str) -> Report:
    """Score the pipeline on one split of the real-news corpus (news-corpus/DATACARD.md)."""
    path = _corpus_split(split)
    if path is None:
        raise InputError(str(CORPUS_DIR / CORPUS_SPLITS[split]), "no such corpus split")
    gold = read_dev_gold(path)
    found = run_pipeline([doc.document() for doc in gold])
    report = score_dev(gold, found, str(path), benchmark=f"corpus-{split}")
    report.figures.append(language_identification(gold))
    return report


def language_identification(gold: list[GoldDoc]) -> Figure:
    """How often the language identifier (used where a document states no language)
    names the language the annotators gave."""
    right = sum(1 for doc in gold if detect_language(doc.text) == doc.lang)
    return Figure(
        "language identified",
        right / len(gold) if gold else 0.0,
        f"{right} of {len(gold)} documents",
    )


def _evaluate_coreference(
    path: Path, predictions: Path | None, name: str = "coreference"
) -> Report:
    gold = read_coreference_gold(path)
    found = _predictions(predictions, lambda: [doc.gold.document() for doc in gold])
    predicted = {doc.gold.id: found.take(doc.gold.id) for doc in gold}
    report = evaluate_coreference(path, predicted)
    report.benchmark = name
    return report


def _predictions(path: Path | None, documents: Callable[[], list[Document]]) -> Predictions:
    return read_predictions(path) if path is not None else run_pipeline(documents())


def _evaluate_dev(path: Path, predictions: Path | None) -> Report:
    gold = read_dev_gold(path)
    found = _predictions(predictions, lambda: [doc.document() for doc in gold])
    return score_dev(gold, found, str(path))


def _evaluate_indel(path: Path, predictions: Path | None) -> Report:
    turtle = find_indel_turtle(path)
    assert turtle is not None
    gold = read_indel(turtle)
    found = _predictions(predictions, lambda: [s.document() for s in gold.sentences])
    return score_indel(gold, found, indel_subset(gold))


def _evaluate_nerel(path: Path, predictions: Path | None) -> Report:
    files = find_nerel_files(path)
    assert files is not None
    gold = read_nerel(*files)
    found = _predictions(predictions, lambda: [doc.document() for doc in gold.docs])
    return score_nerel(gold, found, nerel_subset(gold))


def _evaluate_plover(path: Path, predictions: Path | None) -> Report:
    file = find_plover_file(path)
    assert file is not None
    gold = read_plover(file)
    found = _predictions(predictions, lambda: [r.document() for r in gold.records])
    return score_plover(gold, found)


_EVALUATORS: dict[str, Callable[[Path, Path | None], Report]] = {
    "dev": _evaluate_dev,
    "indel": _evaluate_indel,
    "nerel": _evaluate_nerel,
    "plover": _evaluate_plover,
    "coreference": _evaluate_coreference,
}
