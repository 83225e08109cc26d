"""Fill gold QIDs that the annotators' lookup could not find but the project has since sourced.

Annotators took QIDs only from the sources `tools/lookup.py` searched (GUIDE.md, section
2) and wrote `"qid": null, "qid_source": "not found"` otherwise. Entities sourced later
(`kg/data/gazetteer/sourced.tsv`: the Gaza Strip, the West Bank, the G7, BRICS, ...) kept
their null QID in the gold, so a linker that links them right was scored wrong.

The revision is mechanical and reads no system output: a named entity whose QID is null
"not found" gets the QID of the sourced.tsv row whose English label is the same (case
folded) and whose type is the same. Its `qid_source` then says where the QID came from.
Lines that do not change keep their bytes; changed lines keep their file's key order.

    .venv/bin/python news-corpus/tools/revise_qids.py news-corpus/train.jsonl ...
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCED = ROOT / "kg" / "data" / "gazetteer" / "sourced.tsv"
REVISION_NOTE = "kg/data/gazetteer/sourced.tsv (revision of 2026-12-07)"


def sourced_by_label() -> dict[tuple[str, str], str]:
    """(folded English label, type) -> QID, from the project's sourced entities."""
    table = {}
    for line in SOURCED.read_text(encoding="utf-8").splitlines():
        if not line.startswith("Q"):
            continue
        qid, entity_type, _kind, label_en = line.split("\t")[:4]
        table[(label_en.casefold(), entity_type)] = qid
    return table


def revise_document(document: dict, sourced: dict[tuple[str, str], str]) -> int:
    """Fill the document's revisable entities in place; return how many were filled."""
    filled = 0
    for entity in document.get("entities", []):
        if entity.get("qid") is not None or entity.get("qid_source") != "not found":
            continue
        qid = sourced.get((entity.get("label", "").casefold(), entity.get("type", "")))
        if qid:
            entity["qid"] = qid
            entity["qid_source"] = REVISION_NOTE
            filled += 1
    return filled


def serialise_like(document: dict, original_line: str) -> str:
    """Dump with sorted keys when the original line was, else in the original key order."""
    sorted_form = json.dumps(json.loads(original_line), ensure_ascii=False, sort_keys=True)
    return json.dumps(document, ensure_ascii=False, sort_keys=sorted_form == original_line)


def revise_file(path: Path, sourced: dict[tuple[str, str], str]) -> tuple[int, int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    revised_lines, documents, entities = [], 0, 0
    for line in lines:
        document = json.loads(line)
        filled = revise_document(document, sourced)
        if filled:
            documents += 1
            entities += filled
            line = serialise_like(document, line)
        revised_lines.append(line)
    if entities:
        path.write_text("\n".join(revised_lines) + "\n", encoding="utf-8")
    return documents, entities


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit("usage: revise_qids.py GOLD.jsonl ...")
    sourced = sourced_by_label()
    for name in sys.argv[1:]:
        documents, entities = revise_file(Path(name), sourced)
        print(f"{name}: {entities} entities filled in {documents} documents")


if __name__ == "__main__":
    main()
