"""Find the same story twice in the corpus: documents whose texts share most of their
five-word sequences, whatever their addresses (a syndicated article, a copy on a blog).

    .venv/bin/python news-corpus/tools/overlap.py

Prints each pair as its two ids and the share of the shorter text's five-word sequences
the other holds (nothing of the texts themselves): a frozen test document with a copy in
a split that trains or tunes (train, dev), and copies within those splits.  Exits 1 if
there is a test copy, 0 otherwise.  ``tools/seen.py``
compares addresses only; this compares texts.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1]
SHINGLE = 5  # words per sequence: long enough that two stories rarely share one by chance
COPY = 0.5  # share of the shorter text's sequences that makes two documents one story
TEST_SPLITS = ("test.jsonl", "next-languages/test.jsonl", "negatives/test.jsonl")
TUNING_SPLITS = ("train.jsonl", "dev.jsonl", "next-languages/train.jsonl", "negatives/train.jsonl")


def shingles(text: str) -> frozenset[str]:
    words = re.findall(r"\w+", text.casefold())
    return frozenset(" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))


@cache
def documents(relative: str) -> list[tuple[str, frozenset[str]]]:
    path = CORPUS / relative
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [(row["id"], shingles(row["text"])) for row in rows]


def copies(
    left: list[tuple[str, frozenset[str]]], right: list[tuple[str, frozenset[str]]]
) -> Iterator[tuple[str, str, float]]:
    """(left id, right id, shared share) of every pair that is one story."""
    for left_id, left_set in left:
        for right_id, right_set in right:
            if left_id == right_id or not left_set or not right_set:
                continue
            shared = len(left_set & right_set) / min(len(left_set), len(right_set))
            if shared >= COPY:
                yield left_id, right_id, shared


def test_copies() -> list[tuple[str, str, float]]:
    """Pairs of a frozen test document and a copy of it in a split that trains or tunes."""
    tuning = [doc for split in TUNING_SPLITS for doc in documents(split)]
    tests = [doc for split in TEST_SPLITS for doc in documents(split)]
    return list(copies(tests, tuning))


def training_copies() -> list[tuple[str, str, float]]:
    """Pairs of documents that are one story within the splits that train or tune (each
    pair once): the story would weigh twice."""
    tuning = [doc for split in TUNING_SPLITS for doc in documents(split)]
    return [pair for i, doc in enumerate(tuning) for pair in copies([doc], tuning[i + 1 :])]


def main() -> None:
    found = test_copies()
    for test_id, other_id, shared in found:
        print(f"test copy\t{test_id}\t{other_id}\t{shared:.2f}")
    for left_id, right_id, shared in training_copies():
        print(f"training copy\t{left_id}\t{right_id}\t{shared:.2f}")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
