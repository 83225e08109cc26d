"""Find sourced Wikidata QIDs for a name, for annotators (news-corpus/GUIDE.md, section 2).

Searches, case-insensitively, the sources the guide allows: the evaluation kit's verified
facts table, the project's curated gazetteer (with its hand-sourced rows, ``sourced.tsv``)
and rigour's territories.

    .venv/bin/python news-corpus/tools/lookup.py "Iraq"
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = (
    ROOT.parent / "shared" / "reference" / "wikidata_facts.tsv",
    ROOT / "kg" / "data" / "gazetteer" / "curated.tsv",
    ROOT / "kg" / "data" / "gazetteer" / "sourced.tsv",
)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def table_hits(needle: str) -> list[str]:
    hits = []
    for path in SOURCES:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith(("Q", "P")) and needle in fold(line):
                cells = line.split("\t")
                hits.append(f"{path.name}: " + " | ".join(cells[:6])[:220])
    return hits


def territory_hits(needle: str) -> list[str]:
    from rigour.territories import get_territories

    hits = []
    for territory in get_territories():
        names = [territory.name, territory.full_name or ""]
        if any(needle in fold(n) for n in names if n):
            hits.append(f"rigour: {territory.qid} | {territory.name} | {territory.code}")
    return hits


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit("usage: lookup.py NAME")
    needle = fold(" ".join(sys.argv[1:]))
    hits = territory_hits(needle) + table_hits(needle)
    print("\n".join(hits[:40]) if hits else "not found")


if __name__ == "__main__":
    main()
