"""Cross-document event coreference, scored against gold clusters.

The multi-outlet corpus (``news-corpus/coreference/``) holds real articles from several
outlets and languages reporting the same real-world events; every gold event carries a
``world_event`` id, its gold cluster.  Two settings are scored with the knowledge
layer's own clustering (``kg.knowledge.clustering``):

- *gold reports*: the annotated events, with their actors as the scorer keys them (QIDs,
  generic actors by sector and country, else the folded label) and each dated by its
  document's publication day -- what coreference does when extraction is right;
- *system reports*: the events the pipeline extracts from the same articles; each is
  aligned to the gold event of its document that shares a scored (type, actor, target)
  tuple, and takes its gold cluster; an unaligned one is a cluster of its own.

Figures: pairwise precision/recall/F1 over pairs of reports, B-cubed precision/recall/F1,
and the duplicates factor -- the number of predicted events a gold real-world event
reported more than once is split into, on average (1.0 is no duplicate).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.evaluation.assertions import event_assertions, plover2
from kg.evaluation.dev import GoldDoc, gold_doc_from_json, predicted_ref_resolver
from kg.evaluation.predictions import PredictedDoc
from kg.evaluation.report import Figure, Report
from kg.extraction.analysis import lexicon_for
from kg.extraction.dates import resolve_date
from kg.knowledge.clustering import cluster_events
from kg.knowledge.reports import EventReport, Source, outlet_of


@dataclass(frozen=True)
class CorefDoc:
    gold: GoldDoc
    outlet: str | None
    clusters: tuple[str, ...]  # the world_event id of each gold event, in order
    date_texts: tuple[str | None, ...]  # each gold event's date words, as annotated


def looks_like_coreference_gold(path: Path) -> bool:
    """A gold JSON Lines file whose events carry gold clusters (``world_event``)."""
    try:
        with path.open(encoding="utf-8") as handle:
            first = next((line for line in handle if line.strip()), "")
        events = json.loads(first).get("events") or []
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError):
        return False
    return bool(events) and all(isinstance(e, dict) and "world_event" in e for e in events)


def read_coreference_gold(path: Path) -> list[CorefDoc]:
    docs: list[CorefDoc] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item: dict[str, Any] = json.loads(line)
            events = item.get("events") or []
            clusters = tuple(str(e["world_event"]) for e in events)
            date_texts = tuple(e.get("date_text") or None for e in events)
            gold = gold_doc_from_json(item)
        except json.JSONDecodeError as error:
            raise InputError(str(path), f"malformed JSON ({error.msg})", number) from error
        except (KeyError, TypeError) as error:
            raise InputError(str(path), f"malformed gold document ({error!r})", number) from error
        outlet = item.get("outlet") or outlet_of(item.get("url"))
        docs.append(CorefDoc(gold, outlet, clusters, date_texts))
    return docs


def _source(doc: CorefDoc, mentions: Iterable[str]) -> Source:
    """The document as the layer reads it: its publication day, URL and the entities it
    mentions (keyed as the reports' actors are)."""
    published = doc.gold.published
    return Source(
        doc=doc.gold.id,
        language=doc.gold.lang,
        published=published.date().isoformat() + "T00:00:00Z" if published else None,
        outlet=doc.outlet,
        url=doc.gold.url,
        mentions=tuple(sorted(set(mentions))),
    )


def _report(
    iri: str,
    source: Source,
    kind: str,
    actors: Iterable[str],
    targets: Iterable[str],
    event_date: str | None = None,
) -> EventReport:
    return EventReport(
        iri=iri,
        source=source,
        type=plover2(kind),
        actors=tuple(sorted(set(actors))),
        recipients=tuple(sorted(set(targets))),
        event_date=event_date,
        location=None,
        confidence=1.0,
        negated=False,
        claimed=False,
        hypothetical=False,
    )


def gold_reports(docs: Sequence[CorefDoc]) -> tuple[list[EventReport], dict[str, str]]:
    """The gold events as reports, and each report's gold cluster."""
    reports: list[EventReport] = []
    truth: dict[str, str] = {}
    for doc in docs:
        source = _source(doc, (doc.gold.ref(e.label) for e in doc.gold.entities))
        lex = lexicon_for(doc.gold.lang)
        for index, (event, cluster) in enumerate(zip(doc.gold.events, doc.clusters, strict=True)):
            iri = f"{doc.gold.id}#gold-{index}"
            actors = [doc.gold.ref(a) for a in event.actors]
            targets = [doc.gold.ref(t) for t in event.targets]
            # The date the text gives, read as the pipeline reads one (kg.extraction.dates).
            words = doc.date_texts[index]
            day = resolve_date(words, lex, doc.gold.published) if words else None
            reports.append(_report(iri, source, event.type, actors, targets, day))
            truth[iri] = cluster
    return reports, truth


def system_reports(
    docs: Sequence[CorefDoc], predicted: dict[str, PredictedDoc]
) -> tuple[list[EventReport], dict[str, str]]:
    """The pipeline's events as reports, each with the gold cluster it aligns to."""
    reports: list[EventReport] = []
    truth: dict[str, str] = {}
    for doc in docs:
        found = predicted.get(doc.gold.id)
        if found is None:
            continue
        resolve = predicted_ref_resolver(doc.gold, found)
        source = _source(doc, (resolve(e.qid or e.label) for e in found.entities))
        gold_keys = [
            (
                event_assertions(
                    e.type,
                    [doc.gold.ref(a) for a in e.actors],
                    [doc.gold.ref(t) for t in e.targets],
                ),
                cluster,
            )
            for e, cluster in zip(doc.gold.events, doc.clusters, strict=True)
        ]
        for index, event in enumerate(found.events):
            if event.negated:
                continue
            iri = f"{doc.gold.id}#system-{index}"
            actors = [resolve(a) for a in event.actor]
            targets = [resolve(r) for r in event.recipient]
            keys = event_assertions(event.type, actors, targets)
            cluster = next((c for gold, c in gold_keys if gold & keys), f"unaligned:{iri}")
            reports.append(_report(iri, source, event.type, actors, targets, event.date))
            truth[iri] = cluster
    return reports, truth


@dataclass(frozen=True)
class ClusterScores:
    pairwise: tuple[float, float, float]
    bcubed: tuple[float, float, float]
    duplicates: float  # predicted clusters per gold cluster of two or more reports
    gold_events: int
    predicted_events: int


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_clusters(predicted: Sequence[Sequence[str]], truth: dict[str, str]) -> ClusterScores:
    """Pairwise and B-cubed scores of a clustering of the reports in ``truth``."""
    cluster_of = {item: n for n, members in enumerate(predicted) for item in members}
    gold_members: dict[str, list[str]] = defaultdict(list)
    for item, cluster in truth.items():
        gold_members[cluster].append(item)
    pred_pairs = {frozenset(p) for members in predicted for p in combinations(members, 2)}
    gold_pairs = {
        frozenset(p) for members in gold_members.values() for p in combinations(members, 2)
    }
    tp = len(pred_pairs & gold_pairs)
    pp = tp / len(pred_pairs) if pred_pairs else 1.0
    pr = tp / len(gold_pairs) if gold_pairs else 1.0
    precision = recall = 0.0
    for item in truth:
        mine = {m for m in predicted[cluster_of[item]]}
        theirs = set(gold_members[truth[item]])
        precision += len(mine & theirs) / len(mine)
        recall += len(mine & theirs) / len(theirs)
    bp, br = precision / len(truth), recall / len(truth)
    multi = [members for members in gold_members.values() if len(members) > 1]
    splits = [len({cluster_of[m] for m in members}) for members in multi]
    return ClusterScores(
        pairwise=(pp, pr, _f1(pp, pr)),
        bcubed=(bp, br, _f1(bp, br)),
        duplicates=sum(splits) / len(splits) if splits else 1.0,
        gold_events=len(gold_members),
        predicted_events=len(predicted),
    )


def cluster_and_score(
    reports: Sequence[EventReport], truth: dict[str, str], window: int | None = None
) -> ClusterScores:
    clusters = cluster_events(reports, window)
    return score_clusters([[r.iri for r in c.reports] for c in clusters], truth)


def _figures(setting: str, scores: ClusterScores) -> list[Figure]:
    p, r, f = scores.pairwise
    bp, br, bf = scores.bcubed
    return [
        Figure(f"{setting}: B-cubed F1", bf, f"P {bp:.3f} R {br:.3f}"),
        Figure(f"{setting}: pairwise F1", f, f"P {p:.3f} R {r:.3f}"),
        Figure(
            f"{setting}: duplicates factor",
            scores.duplicates,
            f"predicted events per real-world event reported more than once;"
            f" {scores.predicted_events} predicted for {scores.gold_events} gold",
        ),
    ]


def evaluate_coreference(path: Path, predicted: dict[str, PredictedDoc]) -> Report:
    """Score the knowledge layer's clustering on the multi-outlet corpus."""
    docs = read_coreference_gold(path)
    if not docs:
        raise InputError(str(path), "no documents")
    gold, gold_truth = gold_reports(docs)
    system, system_truth = system_reports(docs, predicted)
    report = Report(benchmark="coreference", gold=str(path), documents=len(docs))
    report.figures += _figures("gold reports", cluster_and_score(gold, gold_truth))
    report.figures += _figures("system reports", cluster_and_score(system, system_truth))
    outlets = {d.outlet for d in docs if d.outlet}
    languages = {d.gold.lang for d in docs}
    multi = {c for c, n in Counter(gold_truth.values()).items() if n > 1}
    report.notes.append(
        f"{len(docs)} articles from {len(outlets)} outlets in {len(languages)} languages;"
        f" {len(multi)} real-world events reported more than once"
    )
    return report
