"""A small multilingual news corpus for build tests, written as JSON Lines.

Each document joins three of the sentences below, so documents differ, share
entities, and carry events and relations in four languages.
"""

from __future__ import annotations

import json
from pathlib import Path

SENTENCES = [
    "Armenia asked the Collective Security Treaty Organization for military help on Tuesday.",
    "Azerbaijan accused Armenia of shelling its positions near the border.",
    "Russia and Turkey agreed to resume talks on Syria.",
    "Jerman dan Prancis sepakat memperkuat kerja sama pertahanan di NATO.",
    "Россия обвинила Украину в обстреле Белгорода.",
    "Prime Minister Nikol Pashinyan said Yerevan would not leave the CSTO.",
    "The European Union imposed sanctions on Belarus.",
]


def write_news_corpus(path: Path, count: int, *, prefix: str = "doc", offset: int = 0) -> Path:
    """Documents ``prefix-NNNN`` numbered from ``offset``, published in September 2022."""
    with open(path, "w", encoding="utf-8") as out:
        for number in range(offset, offset + count):
            text = " ".join(SENTENCES[(number * 3 + k) % len(SENTENCES)] for k in range(3))
            item = {
                "id": f"{prefix}-{number:04d}",
                "text": text,
                "published": f"2022-09-{1 + number % 28:02d}T08:40:00+07:00",
            }
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return path
