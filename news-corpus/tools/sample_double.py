"""Pick the doubly annotated sample: per language, the documents with the lowest
SHA-256 of their id (about 10%), written with only id, lang, url and text.

    .venv/bin/python news-corpus/tools/sample_double.py LANG [LANG ...] > sample.jsonl
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1]
SPLITS = ("train", "dev", "test")


def main() -> None:
    docs = [
        json.loads(line)
        for split in SPLITS
        for line in (CORPUS / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    for lang in sys.argv[1:]:
        chosen = sorted(
            (d for d in docs if d["lang"] == lang),
            key=lambda d: hashlib.sha256(d["id"].encode()).hexdigest(),
        )
        for doc in chosen[: math.ceil(len(chosen) / 10)]:
            shown = {k: doc[k] for k in ("id", "lang", "url", "text")}
            print(json.dumps(shown, ensure_ascii=False))


if __name__ == "__main__":
    main()
