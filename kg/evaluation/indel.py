"""IndEL: an Indonesian entity-linking benchmark in NIF Turtle.

Each sentence is a ``nif:Context`` whose IRI names its number
(``<http://IndEL/67#0,182>`` is sentence 67, the id it has in
``indel_general.jsonl``); each gold mention is a ``nif:String`` with offsets
into its context and an ``itsrdf:taIdentRef`` Wikidata IRI (two spellings
occur: ``/entity/Q…`` and ``/wiki/Q…``).

Scored on its geopolitical subset at span level (``kg.evaluation.mentions``):
a prediction on a span IndEL did not annotate is not judged.  The published
results of other systems are read from the README beside the Turtle file, for
context; they are on all of IndEL's entities, not on this subset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Namespace
from rdflib.term import Node

from kg.errors import InputError
from kg.evaluation.geo import GeoSubset, geo_subset_near
from kg.evaluation.mentions import GoldMention, MentionRules, linked_mentions, score_mentions
from kg.evaluation.metrics import Breakdown
from kg.evaluation.predictions import Predictions
from kg.evaluation.report import ErrorItem, PublishedScore, Report, ScoreRow, Section
from kg.model import Document

NIF_NS = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF_NS = Namespace("http://www.w3.org/2005/11/its/rdf#")
_QID_IN_IRI = re.compile(r"/(Q[1-9][0-9]*)$")


@dataclass
class IndelSentence:
    id: str
    text: str
    mentions: list[GoldMention] = field(default_factory=list)

    def document(self) -> Document:
        return Document(id=self.id, text=self.text, lang="id")


@dataclass
class IndelGold:
    path: Path
    sentences: list[IndelSentence]
    realigned: int  # gold mentions whose offsets did not match their anchor text


def find_indel_turtle(path: Path) -> Path | None:
    """The NIF file: ``path`` itself, or the single .ttl in a directory."""
    if path.is_file():
        return path if path.suffix == ".ttl" else None
    turtles = sorted(path.glob("*.ttl"))
    return turtles[0] if len(turtles) == 1 else None


def read_indel(turtle: Path) -> IndelGold:
    graph = _parse_turtle(turtle)
    contexts = _contexts(graph)
    if not contexts:
        raise InputError(str(turtle), "no nif:Context with nif:isString: not a NIF corpus")
    realigned = 0
    for node, context in graph.subject_objects(NIF_NS.referenceContext):
        found = contexts.get(str(context))
        qid = _qid(graph.value(node, ITSRDF_NS.taIdentRef))
        if found is None or qid is None:
            continue
        sentence, offset = found
        mention, moved = _gold_mention(graph, node, sentence.text, offset, qid)
        realigned += moved
        if mention not in sentence.mentions:
            sentence.mentions.append(mention)
    ordered = sorted((s for s, _ in contexts.values()), key=_sentence_order)
    return IndelGold(turtle, ordered, realigned)


def _parse_turtle(turtle: Path) -> Graph:
    graph = Graph()
    try:
        graph.parse(turtle, format="turtle")
    except Exception as error:  # rdflib raises many unrelated types for bad Turtle
        raise InputError(str(turtle), f"not readable as NIF Turtle ({error})") from error
    return graph


def _contexts(graph: Graph) -> dict[str, tuple[IndelSentence, int]]:
    """Each nif:Context IRI -> its sentence and the begin index its offsets count from."""
    contexts: dict[str, tuple[IndelSentence, int]] = {}
    for context, text in graph.subject_objects(NIF_NS.isString):
        begin = _int(graph.value(context, NIF_NS.beginIndex), default=0)
        contexts[str(context)] = (IndelSentence(sentence_id(str(context)), str(text)), begin)
    return contexts


def _gold_mention(
    graph: Graph, node: Node, text: str, offset: int, qid: str
) -> tuple[GoldMention, bool]:
    """The mention at ``node``, realigned to its anchor text; and whether it moved."""
    start = _int(graph.value(node, NIF_NS.beginIndex)) - offset
    end = _int(graph.value(node, NIF_NS.endIndex)) - offset
    anchor = str(graph.value(node, NIF_NS.anchorOf) or text[start:end])
    fixed = realign(text, start, end, anchor)
    return GoldMention(fixed[0], fixed[1], anchor, qid), fixed != (start, end)


def _int(node: Node | None, default: int | None = None) -> int:
    if node is None:
        if default is None:
            raise ValueError("a NIF mention without begin or end index")
        return default
    return int(str(node))


def _sentence_order(sentence: IndelSentence) -> tuple[bool, int, str]:
    numeric = sentence.id.isdigit()
    return (not numeric, int(sentence.id) if numeric else 0, sentence.id)


def sentence_id(context_iri: str) -> str:
    """``http://IndEL/67#0,182`` -> ``67``: the last path segment before the fragment."""
    return context_iri.split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]


def _qid(node: object) -> str | None:
    match = _QID_IN_IRI.search(str(node)) if node is not None else None
    return match.group(1) if match else None


def realign(text: str, start: int, end: int, anchor: str) -> tuple[int, int]:
    """Offsets of ``anchor`` nearest to [start, end) when the gold offsets miss it.

    IndEL has a few mentions whose offsets are one character off their anchor
    text (after quotes); scoring them where the anchor really is keeps a correct
    prediction from being counted twice wrong.
    """
    if text[start:end] == anchor or not anchor:
        return start, end
    hits = [m.start() for m in re.finditer(re.escape(anchor), text)]
    if not hits:
        return start, end
    best = min(hits, key=lambda hit: abs(hit - start))
    return best, best + len(anchor)


def score_indel(gold: IndelGold, predictions: Predictions, subset: GeoSubset) -> Report:
    overlap = MentionRules(judge_unannotated=False, subset=subset, task="mention")
    exact = MentionRules(judge_unannotated=False, subset=subset, exact_spans=True)
    by_overlap, by_exact = Breakdown(), Breakdown()
    errors: list[ErrorItem] = []
    for sentence in gold.sentences:
        predicted = linked_mentions(predictions.take(sentence.id))
        text, mentions = sentence.text, sentence.mentions
        score_mentions(sentence.id, text, mentions, predicted, overlap, by_overlap, errors)
        score_mentions(sentence.id, text, mentions, predicted, exact, by_exact)
    in_subset = sum(m.qid in subset for s in gold.sentences for m in s.mentions)
    total = sum(len(s.mentions) for s in gold.sentences)
    report = Report(
        benchmark="IndEL",
        gold=str(gold.path),
        documents=len(gold.sentences),
        # Exact spans first: it is the benchmark's own rule read literally (a prediction
        # on a span IndEL did not annotate is not judged); overlap is the stricter view.
        headline=[
            ScoreRow("linking (geo, exact span)", by_exact.total),
            ScoreRow("linking (geo, span overlap)", by_overlap.total),
        ],
        sections=[
            Section(
                "linking, geopolitical subset",
                [
                    ScoreRow("exact spans", by_exact.total),
                    ScoreRow("spans overlap", by_overlap.total),
                ],
            )
        ],
        errors=errors,
        notes=[
            f"geopolitical subset: {in_subset} of {total} gold mentions ({subset.source})",
            "predictions on spans IndEL did not annotate are not judged; 'spans overlap' judges"
            " a prediction inside an annotated name ('Indonesia' in 'Pos Indonesia'),"
            " 'exact spans' does not",
            f"{gold.realigned} gold mentions realigned to their anchor text (offsets off by one)",
            "errors listed are those of the 'spans overlap' score",
        ],
    )
    readme = gold.path.parent / "README.md"
    if readme.exists():
        report.published_title = (
            "published (IndEL README, GERBIL, general domain, all entities -- not this subset)"
        )
        report.published = read_published_scores(readme.read_text(encoding="utf-8"))
    return report


def read_published_scores(readme: str, domain: str = "General Domain") -> list[PublishedScore]:
    """The P/R/F1 table of the README, for ``domain``; empty if the table is not found."""
    rows = [_cells(line) for line in readme.splitlines() if line.startswith("|")]
    header = next((row for row in rows if row and row[0] == "Metrics"), None)
    if header is None:
        return []
    systems = header[1:]
    values: dict[str, list[float]] = {}
    inside = False
    for row in rows:
        if row and row[0].endswith("Domain"):
            inside = row[0] == domain
        elif inside and row and row[0] in ("Precision", "Recall", "F1"):
            values[row[0]] = [_number(cell) for cell in row[1 : len(systems) + 1]]
    if set(values) != {"Precision", "Recall", "F1"}:
        return []
    return [
        PublishedScore(system, values["Precision"][i], values["Recall"][i], values["F1"][i])
        for i, system in enumerate(systems)
    ]


def _cells(line: str) -> list[str]:
    return [cell.strip().strip("*").strip() for cell in line.strip().strip("|").split("|")]


def _number(cell: str) -> float:
    try:
        return float(cell)
    except ValueError:
        return float("nan")


def indel_subset(gold: IndelGold) -> GeoSubset:
    return geo_subset_near(gold.path.parent)
