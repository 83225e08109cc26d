"""Generate a realistic multilingual news corpus of any size, for benchmarks.

Documents are assembled from the sentence templates in ``bench/templates.json``
with real names from the knowledge base: states and their capitals from
rigour, organizations and alliances from the curated gazetteer.  So the
linker and the extractor do the work they do on real news (many mentions,
many triggers), and the numbers mean something.  Deterministic for a seed.

    python bench/corpus.py 10000 -o /tmp/corpus.jsonl
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rigour.territories import get_territories

from kg.paths import DATA_DIR

BENCH_DIR = Path(__file__).resolve().parent
TARGET_CHARS = 2000  # a news article's size in the dev set: 1,000 to 2,400 characters


@dataclass(frozen=True)
class Names:
    states: list[tuple[str, str]]  # (name, capital)
    organizations: list[str]


def knowledge_names() -> Names:
    states = [
        (t.name, t.places[0])
        for t in get_territories()
        if t.is_country and not t.is_historical and t.places
    ]
    organizations = []
    with open(DATA_DIR / "gazetteer" / "curated.tsv", encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        for row in rows:
            if row.get("type") in {"organization", "alliance"} and row.get("label_en"):
                organizations.append(row["label_en"])
    return Names(sorted(states), sorted(organizations))


def generate(count: int, seed: int = 7) -> Iterator[dict[str, str]]:
    templates = json.loads((BENCH_DIR / "templates.json").read_text(encoding="utf-8"))
    names = knowledge_names()
    langs = [lang for lang in templates if len(lang) == 2]
    rng = random.Random(seed)
    for number in range(count):
        lang = langs[number % len(langs)]
        yield {
            "id": f"synthetic-{number:08d}",
            "lang": lang,
            "published": f"2022-{1 + number % 12:02d}-{1 + number % 28:02d}T08:00:00+00:00",
            "text": _article(rng, templates, lang, names),
        }


def _article(rng: random.Random, templates: dict, lang: str, names: Names) -> str:
    (a, capital), (b, _) = rng.sample(names.states, 2)
    slots = {
        "A": a,
        "B": b,
        "CAP": capital,
        "ORG": rng.choice(names.organizations),
        "P": rng.choice(templates["people"]),
    }
    sentences: list[str] = []
    while sum(len(s) + 1 for s in sentences) < TARGET_CHARS:
        slots["DAY"] = rng.choice(templates["weekdays"][lang])
        sentences.append(rng.choice(templates[lang]).format(**slots))
        if rng.random() < 0.3:  # paragraphs, as in real articles
            sentences[-1] += "\n"
    return " ".join(sentences).replace("\n ", "\n").strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with open(args.output, "w", encoding="utf-8") as out:
        for doc in generate(args.count, args.seed):
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
