"""Split the annotated corpus into train, dev and test, by a hash of each URL.

    .venv/bin/python news-corpus/tools/split.py ANNOTATED.jsonl ...

Reads the annotators' files (one per language); writes news-corpus/train.jsonl,
dev.jsonl and test.jsonl, which are the corpus as kept (the annotators' files are not).
Within each language, documents are ordered by SHA-256 of their URL (their id when
there is none): the first quarter is test, the next sixth dev, the rest train.  The
assignment depends on nothing but the URL, so adding documents never moves one
that is already placed -- except across the quarter mark of a language, which is
why the test split is frozen by its digest (news-corpus/test.sha256, checked by a test)
and not re-made once tuning has begun.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1]
TEST_SHARE = 0.25
DEV_SHARE = 1 / 6


def key(doc: dict) -> str:
    return hashlib.sha256(str(doc.get("url") or doc["id"]).encode()).hexdigest()


def main() -> None:
    by_lang: dict[str, list[dict]] = defaultdict(list)
    for path in sorted(Path(name) for name in sys.argv[1:]):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                doc = json.loads(line)
                by_lang[doc["lang"]].append(doc)
    splits: dict[str, list[dict]] = {"train": [], "dev": [], "test": []}
    for lang in sorted(by_lang):
        docs = sorted(by_lang[lang], key=key)
        n_test = round(len(docs) * TEST_SHARE)
        n_dev = round(len(docs) * DEV_SHARE)
        splits["test"] += docs[:n_test]
        splits["dev"] += docs[n_test : n_test + n_dev]
        splits["train"] += docs[n_test + n_dev :]
    for name, docs in splits.items():
        lines = [json.dumps(d, ensure_ascii=False, sort_keys=True) for d in docs]
        (CORPUS / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{name}: {len(docs)} documents")


if __name__ == "__main__":
    main()
