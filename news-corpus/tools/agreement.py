"""Inter-annotator agreement on the doubly annotated sample (news-corpus/GUIDE.md, section 7).

    .venv/bin/python news-corpus/tools/agreement.py [SECOND.jsonl ...]

Pairs each document of news-corpus/double/*.jsonl (second annotation) with the same id in
news-corpus/{train,dev,test}.jsonl (first annotation) and reports, over the pairs, the
F1 of one annotation against the other -- symmetric, so it is the usual agreement
measure for span-free set annotation -- for entity QIDs, relations and events, each
compared exactly as the scorer compares system output with gold (FORMAT.md); and
Cohen's kappa of the event types each sentence is given.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kg.evaluation.assertions import assertion, event_assertions, plover2  # noqa: E402
from kg.evaluation.dev import GoldDoc, gold_doc_from_json  # noqa: E402


def read(paths: list[Path]) -> dict[str, dict]:
    docs = {}
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                doc = json.loads(line)
                docs[doc["id"]] = doc
    return docs


def event_set(doc: GoldDoc) -> set:
    out = set()
    for event in doc.events:
        actors = [doc.ref(a) for a in event.actors]
        targets = [doc.ref(t) for t in event.targets]
        out |= event_assertions(plover2(event.type), actors, targets)
    return out


def relation_set(doc: GoldDoc) -> set:
    return {assertion(r.type, doc.ref(r.subject), doc.ref(r.object)) for r in doc.relations}


def qid_set(doc: GoldDoc) -> set:
    return {e.qid for e in doc.entities if e.qid}


def sentence_types(doc: GoldDoc) -> list[frozenset[str]]:
    """The event types whose evidence starts in each line-and-full-stop sentence."""
    bounds = []
    start = 0
    for i, char in enumerate(doc.text):
        if char in ".!?\n":
            bounds.append((start, i + 1))
            start = i + 1
    bounds.append((start, len(doc.text)))
    out = []
    for a, b in bounds:
        kinds = set()
        for event in doc.events:
            at = doc.text.find(event.evidence.split(" | ")[0]) if event.evidence else -1
            if a <= at < b:
                kinds.add(plover2(event.type))
        out.append(frozenset(kinds))
    return out


def _tally(counts: Counter) -> str:
    return f"both {counts['both']}, first only {counts['first']}, second only {counts['second']}"


def f1(counts: Counter) -> float:
    tp, fp, fn = counts["both"], counts["first"], counts["second"]
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def kappa(pairs: list[tuple[frozenset[str], frozenset[str]]]) -> float:
    """Cohen's kappa of "this sentence reports an event of type T", over sentences x types."""
    kinds = sorted({k for a, b in pairs for k in a | b})
    items = [(k in a, k in b) for a, b in pairs for k in kinds]
    if not items:
        return 0.0
    observed = sum(x == y for x, y in items) / len(items)
    p1 = sum(x for x, _ in items) / len(items)
    p2 = sum(y for _, y in items) / len(items)
    expected = p1 * p2 + (1 - p1) * (1 - p2)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def main() -> None:
    corpus = ROOT / "news-corpus"
    first = read(
        [corpus / f"{split}.jsonl" for split in ("train", "dev", "test")]
        + [corpus / "next-languages" / "train.jsonl"]
    )
    # Second annotations: the files named, else all of them.
    named = [Path(arg) for arg in sys.argv[1:]]
    second = read(named or sorted(corpus.glob("**/double*.jsonl")) + sorted((corpus / "double").glob("*.jsonl")))
    tallies = {"entities (QIDs)": Counter(), "relations": Counter(), "events": Counter()}
    by_lang: dict[str, Counter] = {}
    sentence_pairs = []
    for doc_id, other in sorted(second.items()):
        if doc_id not in first:
            continue
        a, b = gold_doc_from_json(first[doc_id]), gold_doc_from_json(other)
        for name, make in (
            ("entities (QIDs)", qid_set),
            ("relations", relation_set),
            ("events", event_set),
        ):
            x, y = make(a), make(b)
            tallies[name].update(both=len(x & y), first=len(x - y), second=len(y - x))
            if name == "events":
                by_lang.setdefault(a.lang, Counter()).update(
                    both=len(x & y), first=len(x - y), second=len(y - x)
                )
        sentence_pairs += list(zip(sentence_types(a), sentence_types(b), strict=False))
    paired = sum(1 for d in second if d in first)
    print(f"documents annotated twice: {paired}")
    for name, counts in tallies.items():
        print(f"{name:16s} F1 {f1(counts):.3f}  ({_tally(counts)})")
    for lang, counts in sorted(by_lang.items()):
        print(f"  events, {lang}: F1 {f1(counts):.3f} ({_tally(counts)})")
    agreement = kappa(sentence_pairs)
    print(f"event type per sentence, Cohen's kappa {agreement:.3f}", end=" ")
    print(f"over {len(sentence_pairs)} sentences")


if __name__ == "__main__":
    main()
