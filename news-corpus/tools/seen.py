"""Say whether a URL (or a story's text) is already in the corpus, without showing any of it.

    .venv/bin/python news-corpus/tools/seen.py URL [URL ...]

Prints "seen" or "new" per URL.  Annotators collecting more documents use it so that
a page already in any split -- the frozen test splits included -- is never taken twice;
it reads every .jsonl file under news-corpus/ and shows nothing but the verdict.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1]


def normal(url: str) -> str:
    """Scheme, "www." and a trailing slash do not make a page another page."""
    url = url.strip().split("#", 1)[0]
    for prefix in ("https://", "http://"):
        url = url.removeprefix(prefix)
    return url.removeprefix("www.").rstrip("/").lower()


def known_urls() -> set[str]:
    urls: set[str] = set()
    for path in CORPUS.rglob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                url = json.loads(line).get("url")
                if url:
                    urls.add(normal(url))
    return urls


def main() -> None:
    urls = known_urls()
    for url in sys.argv[1:]:
        print(("seen" if normal(url) in urls else "new") + "\t" + url)


if __name__ == "__main__":
    main()
