"""The real-news corpus (news-corpus/): its test split is frozen, every file follows the
annotation guide, and it has the size and spread its data card states."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from collections import Counter
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "news-corpus"
SPLITS = ("train", "dev", "test")


def _docs(name: str) -> list[dict]:
    text = (CORPUS / f"{name}.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _checker():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("corpus_check", CORPUS / "tools" / "check.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_test_split_is_the_frozen_one() -> None:
    recorded = (CORPUS / "test.sha256").read_text().split()[0]
    assert hashlib.sha256((CORPUS / "test.jsonl").read_bytes()).hexdigest() == recorded


def test_the_next_languages_test_set_is_frozen_and_follows_the_guide() -> None:
    folder = CORPUS / "next-languages"
    recorded = (folder / "test.sha256").read_text().split()[0]
    assert hashlib.sha256((folder / "test.jsonl").read_bytes()).hexdigest() == recorded
    check = _checker()
    docs = [json.loads(x) for x in (folder / "test.jsonl").read_text(encoding="utf-8").splitlines()]
    assert Counter(d["lang"] for d in docs) == dict.fromkeys(
        ["it", "pl", "uk", "fa", "zh", "ja", "ko", "hi"], 24
    )
    for doc in docs:
        assert check.problems(doc) == [], doc["id"]


def test_every_document_follows_the_guide() -> None:
    check = _checker()
    files = [CORPUS / f"{s}.jsonl" for s in SPLITS] + sorted((CORPUS / "double").glob("*.jsonl"))
    for path in files:
        for doc in (json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()):
            assert check.problems(doc) == [], (path.name, doc["id"])


def test_size_spread_and_double_annotation() -> None:
    docs = [d for s in SPLITS for d in _docs(s)]
    ids = [d["id"] for d in docs]
    assert len(ids) == len(set(ids)) >= 500
    per_language = Counter(d["lang"] for d in docs)
    assert len(per_language) == 9 and min(per_language.values()) >= 40
    assert all(Counter(d["lang"] for d in _docs("test")).values())
    negatives = [d for d in docs if d["political"] is False]
    assert negatives and all(not d["events"] for d in negatives)
    doubled = {
        json.loads(x)["id"]
        for p in (CORPUS / "double").glob("*.jsonl")
        for x in p.read_text(encoding="utf-8").splitlines()
    }
    assert doubled <= set(ids) and len(doubled) >= len(ids) / 10


def test_no_story_is_in_a_test_split_and_a_split_that_trains_or_tunes() -> None:
    """Addresses differ, texts may not: a syndicated copy of a test article in the
    training data would be scored as unseen (``tools/overlap.py`` compares five-word
    sequences).  Nor does a story weigh twice in training."""
    spec = importlib.util.spec_from_file_location("overlap", CORPUS / "tools" / "overlap.py")
    assert spec is not None and spec.loader is not None
    overlap = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(overlap)
    assert overlap.test_copies() == []
    assert overlap.training_copies() == []
    # The check itself: a text and a shortened copy of it are one story.
    text = " ".join(f"word{i}" for i in range(60))
    copy = " ".join(f"word{i}" for i in range(10, 50))
    assert [
        pair[:2]
        for pair in overlap.copies([("a", overlap.shingles(text))], [("b", overlap.shingles(copy))])
    ] == [("a", "b")]


def test_the_labelled_negatives_follow_the_guide_and_their_test_split_is_frozen() -> None:
    """negatives/: non-political leads labelled at document level (negatives/GUIDE.md),
    the precision guard's training and frozen test leads in all seventeen languages."""
    folder = CORPUS / "negatives"
    recorded = (folder / "test.sha256").read_text().split()[0]
    assert hashlib.sha256((folder / "test.jsonl").read_bytes()).hexdigest() == recorded
    check = _checker()
    split_of = {}
    for split in ("train", "test"):
        for line in (folder / f"{split}.jsonl").read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            assert check.problems(doc) == [], doc["id"]
            assert doc["political"] is False and doc["annotation"] == "document", doc["id"]
            assert not doc["entities"] and not doc["events"], doc["id"]
            split_of[doc["id"]] = split
            # A lead's split is fixed by its address, whatever else was collected.
            digest = int(hashlib.sha256(doc["url"].encode()).hexdigest(), 16)
            assert (digest % 4 == 0) == (split == "test"), doc["id"]
    languages = Counter(i.split("-")[1] for i in split_of)
    assert len(languages) == 17 and min(languages.values()) >= 20
    assert Counter(split_of.values())["test"] >= 100
