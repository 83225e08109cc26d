"""NEREL (Russian news): gold mentions with character offsets and Wikidata QIDs.

The kit's copy is two files: the documents (``nerel_test.jsonl``, ``kg
extract`` input) and the gold links (``nerel_test_links.jsonl``: id, start,
end, text, type, qid per mention).  NEREL annotates nested named entities of
29 types and links each one that has a Wikidata item, so here a linked
prediction on a span with no gold link is judged (a false positive).

Scored: mention level, on all gold links and on the geopolitical subset
(broken down by NEREL entity type), and document level (per-document QID
sets), both ways too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.evaluation.geo import GeoSubset, geo_subset_near
from kg.evaluation.mentions import GoldMention, MentionRules, linked_mentions, score_mentions
from kg.evaluation.metrics import Breakdown, compare_sets
from kg.evaluation.predictions import Predictions
from kg.evaluation.report import ErrorItem, Report, ScoreRow, Section
from kg.model import Document

LINKS_SUFFIX = "_links.jsonl"


@dataclass
class NerelDoc:
    id: str
    lang: str
    text: str
    mentions: list[GoldMention] = field(default_factory=list)

    def document(self) -> Document:
        return Document(id=self.id, text=self.text, lang=self.lang)


@dataclass
class NerelGold:
    path: Path  # the links file
    docs: list[NerelDoc]


def find_nerel_files(path: Path) -> tuple[Path, Path] | None:
    """(documents, links) for a NEREL directory or links file; None if not NEREL-shaped."""
    if path.is_file():
        links = path if path.name.endswith(LINKS_SUFFIX) else None
    else:
        found = sorted(path.glob("*" + LINKS_SUFFIX))
        links = found[0] if len(found) == 1 else None
    if links is None:
        return None
    documents = links.with_name(links.name[: -len(LINKS_SUFFIX)] + ".jsonl")
    return (documents, links) if documents.exists() else None


def read_nerel(documents: Path, links: Path) -> NerelGold:
    docs: dict[str, NerelDoc] = {}
    for number, item in _jsonl(documents):
        try:
            docs[str(item["id"])] = NerelDoc(
                str(item["id"]), str(item.get("lang") or "ru"), item["text"]
            )
        except KeyError as error:
            raise InputError(str(documents), f"missing {error}", number) from error
    for number, item in _jsonl(links):
        try:
            doc = docs[str(item["id"])]
            mention = GoldMention(
                int(item["start"]),
                int(item["end"]),
                str(item["text"]),
                str(item["qid"]),
                str(item.get("type") or ""),
            )
        except KeyError as error:
            raise InputError(str(links), f"missing or unknown {error}", number) from error
        if doc.text[mention.start : mention.end] != mention.text:
            raise InputError(str(links), f"offsets do not match the text {mention.text!r}", number)
        if mention not in doc.mentions:
            doc.mentions.append(mention)
    return NerelGold(links, list(docs.values()))


def _jsonl(path: Path) -> list[tuple[int, dict[str, Any]]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(str(path), f"cannot read: {error}") from error
    items = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            items.append((number, json.loads(line)))
        except json.JSONDecodeError as error:
            raise InputError(str(path), f"malformed JSON ({error.msg})", number) from error
    return items


def score_nerel(gold: NerelGold, predictions: Predictions, subset: GeoSubset) -> Report:
    every = MentionRules(judge_unannotated=True, subset=None, task="mention")
    geo = MentionRules(judge_unannotated=True, subset=subset, task="mention (geo)")
    mention_all, mention_geo = Breakdown(), Breakdown()
    doc_all, doc_geo = Breakdown(), Breakdown()
    errors: list[ErrorItem] = []
    for doc in gold.docs:
        predicted = predictions.take(doc.id)
        mentions = linked_mentions(predicted)
        score_mentions(doc.id, doc.text, doc.mentions, mentions, every, mention_all)
        score_mentions(doc.id, doc.text, doc.mentions, mentions, geo, mention_geo, errors)
        gold_qids = {m.qid for m in doc.mentions}
        predicted_qids = {e.qid for e in predicted.entities if e.qid}
        doc_all.add(compare_sets(gold_qids, predicted_qids))
        doc_geo.add(compare_sets(gold_qids & subset.qids, predicted_qids & subset.qids))
    geo_gold = sum(m.qid in subset for d in gold.docs for m in d.mentions)
    total = sum(len(d.mentions) for d in gold.docs)
    return Report(
        benchmark="NEREL",
        gold=str(gold.path),
        documents=len(gold.docs),
        headline=[
            ScoreRow("mentions (all)", mention_all.total),
            ScoreRow("mentions (geo)", mention_geo.total),
            ScoreRow("doc QIDs (all)", doc_all.total),
            ScoreRow("doc QIDs (geo)", doc_geo.total),
        ],
        sections=[
            Section.from_breakdown(
                "mention-level linking, all gold links, by NEREL type", mention_all
            ),
            Section.from_breakdown(
                "mention-level linking, geopolitical subset, by NEREL type", mention_geo
            ),
            Section(
                "document-level QID sets",
                [ScoreRow("all", doc_all.total), ScoreRow("geopolitical", doc_geo.total)],
            ),
        ],
        errors=errors,
        notes=[
            f"geopolitical subset: {geo_gold} of {total} gold mentions ({subset.source})",
            "a linked prediction on a span NEREL did not link counts as a false positive"
            " ('unannotated' row)",
            "errors listed are those of the geopolitical mention-level score",
        ],
    )


def nerel_subset(gold: NerelGold) -> GeoSubset:
    return geo_subset_near(gold.path.parent)
