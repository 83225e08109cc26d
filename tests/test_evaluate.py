"""Tests of ``kg evaluate``: scorers on tiny hand-made gold, the CLI, and the real kit.

Expected numbers in the unit tests are counted by hand in the comments next to
them; the kit tests score predictions built from the gold itself, so a perfect
score there is a check that can fail (and empty predictions must score 0).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import InputError, NotImplementedYet
from kg.evaluation import detect_benchmark, evaluate, render_table, report_json
from kg.evaluation.assertions import Assertion, event_assertions, plover2, ref_key
from kg.evaluation.dev import read_dev_gold
from kg.evaluation.geo import alpha3_by_qid
from kg.evaluation.indel import read_indel, read_published_scores, sentence_id
from kg.evaluation.metrics import Counts
from kg.evaluation.nerel import find_nerel_files, read_nerel
from kg.evaluation.plover import find_plover_file, read_plover
from kg.evaluation.report import Report

FORMAT = "geokg-extract/1"


# --- helpers ------------------------------------------------------------------


def write_jsonl(path: Path, items: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), "utf-8")
    return path


def entity(qid: str | None, label: str, kind: str = "state", mentions: Any = ()) -> dict[str, Any]:
    spans = [{"start": s, "end": e, "text": t} for s, e, t in mentions]
    return {"qid": qid, "label": label, "type": kind, "score": 1.0, "mentions": spans}


def prediction(doc_id: str, entities: Any = (), relations: Any = (), events: Any = ()) -> dict:
    return {
        "format": FORMAT,
        "id": doc_id,
        "lang": None,
        "entities": list(entities),
        "relations": list(relations),
        "events": list(events),
    }


def relation(kind: str, subject: str, obj: str) -> dict[str, Any]:
    return {"type": kind, "subject": subject, "object": obj, "extra": None, "score": 1.0,
            "evidence": {"start": 0, "end": 0, "text": "predicted evidence"}}  # fmt: skip


def event(kind: str, actor: list[str], recipient: list[str], **more: Any) -> dict[str, Any]:
    item = {"type": kind, "actor": actor, "recipient": recipient, "negated": False, "score": 0.5,
            "evidence": {"start": 0, "end": 0, "text": "predicted evidence"}}  # fmt: skip
    item.update(more)
    return item


def headline(report: Report) -> dict[str, Counts]:
    return {row.label: row.counts for row in report.headline}


def row(report: Report, section_start: str, label: str) -> Counts:
    section = next(s for s in report.sections if s.title.startswith(section_start))
    return next(r.counts for r in section.rows if r.label == label)


def assert_counts(counts: Counts, tp: int, fp: int, fn: int, p: float, r: float, f1: float):
    assert (counts.tp, counts.fp, counts.fn) == (tp, fp, fn)
    assert counts.precision == pytest.approx(p)
    assert counts.recall == pytest.approx(r)
    assert counts.f1 == pytest.approx(f1)


# --- metrics and tuples ---------------------------------------------------------


def test_counts_micro_scores() -> None:
    # P = 3/4, R = 3/5, F1 = 2PR/(P+R) = 0.9/1.35
    assert_counts(Counts(3, 1, 2), 3, 1, 2, 0.75, 0.6, 2 / 3)
    assert_counts(Counts(), 0, 0, 0, 0.0, 0.0, 0.0)


def test_old_plover_names_map_to_2_0() -> None:
    assert [plover2(t) for t in ("FIGHT", "DEMAND", "DISAPPROVE", "INVESTIGATE", "AID")] == [
        "ASSAULT",
        "REQUEST",
        "ACCUSE",
        "ACCUSE",
        "AID",
    ]


def test_symmetric_types_compare_unordered() -> None:
    assert event_assertions("ASSAULT", ["Q399"], ["Q227"]) == event_assertions(
        "FIGHT", ["Q227"], ["Q399"]
    )
    assert event_assertions("REQUEST", ["Q399"], ["Q227"]) != event_assertions(
        "REQUEST", ["Q227"], ["Q399"]
    )


def test_multi_actor_event_counts_once_per_pair() -> None:
    pairs = event_assertions("REJECT", ["Q1032", "Q912", "Q965"], ["Q161549"])
    assert pairs == {Assertion("REJECT", a, "Q161549") for a in ("Q1032", "Q912", "Q965")}


def test_null_target_rules() -> None:
    # Not symmetric: (type, actor, None) per actor.
    assert event_assertions("REQUEST", ["Q262"], []) == {Assertion("REQUEST", "Q262", None)}
    # Symmetric with several actors: the unordered pairs among them.
    assert event_assertions("CONSULT", ["Q115", "Q79", "Q1049"], []) == {
        Assertion("CONSULT", "Q115", "Q79"),
        Assertion("CONSULT", "Q1049", "Q115"),
        Assertion("CONSULT", "Q1049", "Q79"),
    }
    # An actor paired with itself says nothing.
    assert event_assertions("AGREE", ["Q1049"], ["Q1049"]) == set()


def test_labels_of_unlinked_entities_compare_normalised() -> None:
    assert ref_key("Stanislav  Zas") == ref_key("stanislav zas") == "label:stanislav zas"
    assert ref_key("Q399") == "Q399"


# --- dev.jsonl-style gold ---------------------------------------------------------

DOC_A = "Armenia asked the CSTO for help after clashes with Azerbaijan. Russia mediated."


def dev_gold(tmp_path: Path) -> Path:
    doc_a = {
        "id": "a",
        "lang": "en",
        "url": None,
        "text": DOC_A,
        "entities": [
            {
                "label": "Armenia",
                "type": "state",
                "qid": "Q399",
                "surface_forms": ["Armenia", "Yerevan"],
            },
            {
                "label": "Azerbaijan",
                "type": "state",
                "qid": "Q227",
                "surface_forms": ["Azerbaijan"],
            },
            {"label": "CSTO", "type": "alliance", "qid": "Q318693", "surface_forms": ["CSTO"]},
            {"label": "Stanislav Zas", "type": "person", "qid": None, "surface_forms": ["Zas"]},
            {"label": "Russia", "type": "state", "qid": "Q159", "surface_forms": ["Russia"]},
        ],  # fmt: skip
        "relations": [
            {
                "type": "MEMBER_OF",
                "subject": "Armenia",
                "object": "CSTO",
                "extra": None,
                "evidence": "Armenia ... member",
            },
            {
                "type": "HOLDS_POSITION",
                "subject": "Stanislav Zas",
                "object": "CSTO",
                "extra": "secretary general",
                "evidence": "Secretary General Zas",
            },
            {
                "type": "LEADS",
                "subject": "Russia",
                "object": "CSTO",
                "extra": None,
                "evidence": "Russian-led CSTO",
            },
        ],  # fmt: skip
        "events": [
            {
                "type": "FIGHT",
                "source_actor": "Armenia",
                "target_actor": "Azerbaijan",
                "extra": None,
                "date_text": None,
                "evidence": "clashes",
            },
            {
                "type": "REQUEST",
                "source_actor": "Armenia",
                "target_actor": "CSTO",
                "extra": None,
                "date_text": None,
                "evidence": "asked the CSTO",
            },
            {
                "type": "CONSULT",
                "source_actor": "Russia",
                "target_actor": ["Armenia", "Azerbaijan"],
                "extra": "mediation",
                "date_text": None,
                "evidence": "Russia mediated",
            },
            {
                "type": "DEMAND",
                "source_actor": "Azerbaijan",
                "target_actor": None,
                "extra": None,
                "date_text": None,
                "evidence": "Baku demanded",
            },
        ],  # fmt: skip
    }
    doc_b = {
        "id": "b",
        "lang": "id",
        "url": None,
        "text": "Indonesia dan Malaysia sepakat.",
        "entities": [
            {"label": "Indonesia", "type": "state", "qid": "Q252", "surface_forms": ["Indonesia"]},
            {"label": "Malaysia", "type": "state", "qid": "Q833", "surface_forms": ["Malaysia"]},
        ],
        "relations": [],
        "events": [
            {
                "type": "AGREE",
                "source_actor": ["Indonesia", "Malaysia"],
                "target_actor": None,
                "extra": None,
                "date_text": None,
                "evidence": "sepakat",
            },
        ],  # fmt: skip
    }
    return write_jsonl(tmp_path / "gold.jsonl", [doc_a, doc_b])


def dev_predictions(tmp_path: Path) -> Path:
    lithuania = entity("Q37", "Lithuania", "state", [(0, 7, "Armenia")])
    doc_a = prediction(
        "a",
        entities=[
            entity("Q399", "Armenia"),
            entity("Q227", "Azerbaijan"),
            entity("Q318693", "CSTO", "alliance"),
            lithuania,  # a false positive
            entity(None, "Stanislav Zas", "person"),
            # Russia Q159 missing: a false negative
        ],
        relations=[
            relation("MEMBER_OF", "Q399", "Q318693"),  # TP
            relation("HOLDS_POSITION", "stanislav  Zas", "Q318693"),  # TP by label
            relation("LEADS", "Q399", "Q318693"),  # FP; gold LEADS(Russia) is the FN
        ],
        events=[
            event("ASSAULT", ["Q227", "Q399"], []),  # TP: gold FIGHT Armenia -> Azerbaijan
            event("REQUEST", ["Q399"], ["Q318693"]),  # TP
            event("CONSULT", ["Q159"], ["Q399"]),  # TP; CONSULT(Q159, Q227) is the FN
            event("REQUEST", ["Q227"], []),  # TP: gold DEMAND with a null target
            event("ACCUSE", ["Q227"], ["Q399"], negated=True),  # not scored
        ],
    )
    doc_b = prediction(
        "b",
        entities=[entity("Q252", "Indonesia"), entity("Q833", "Malaysia")],
        events=[event("AGREE", ["Q833"], ["Q252"])],  # TP: symmetric, unordered
    )
    return write_jsonl(tmp_path / "pred.jsonl", [doc_a, doc_b])


def test_dev_scores_by_hand(tmp_path: Path) -> None:
    report = evaluate(dev_gold(tmp_path), dev_predictions(tmp_path))
    assert report.benchmark == "dev"
    scores = headline(report)
    # Linking: a: gold {Q399,Q227,Q318693,Q159}, predicted {Q399,Q227,Q318693,Q37};
    # b: both {Q252,Q833}.  TP 5, FP 1, FN 1.
    assert_counts(scores["linking"], 5, 1, 1, 5 / 6, 5 / 6, 5 / 6)
    assert_counts(row(report, "linking", "lang=en"), 3, 1, 1, 0.75, 0.75, 0.75)
    assert_counts(row(report, "linking", "lang=id"), 2, 0, 0, 1.0, 1.0, 1.0)
    # Q37 is typed by the prediction (state); Q159 by gold (state).
    assert_counts(row(report, "linking", "type=state"), 4, 1, 1, 0.8, 0.8, 0.8)
    assert_counts(row(report, "linking", "type=alliance"), 1, 0, 0, 1.0, 1.0, 1.0)
    # Relations: TP 2 (MEMBER_OF, HOLDS_POSITION by label), FP 1, FN 1.
    assert_counts(scores["relations"], 2, 1, 1, 2 / 3, 2 / 3, 2 / 3)
    assert_counts(row(report, "relations", "type=LEADS"), 0, 1, 1, 0.0, 0.0, 0.0)
    # Events: gold a has 5 tuples (CONSULT counts twice), b has 1; predicted hits 5 of them.
    assert_counts(scores["events"], 5, 0, 1, 1.0, 5 / 6, 10 / 11)
    assert_counts(row(report, "events", "type=CONSULT"), 1, 0, 1, 1.0, 0.5, 2 / 3)
    assert_counts(row(report, "events", "type=ASSAULT"), 1, 0, 0, 1.0, 1.0, 1.0)
    assert any("1 predicted negated events not scored" in note for note in report.notes)


def test_leads_labelled_only_as_non_political_score_the_precision_guard(tmp_path: Path) -> None:
    """news-corpus/negatives/: no names are annotated, so nothing is scored as linking
    or relations; each event found is false, and the guard's figure counts the leads."""
    labelled = {"lang": "en", "political": False, "annotation": "document", "entities": []}
    gold = write_jsonl(
        tmp_path / "negatives.jsonl",
        [
            {**labelled, "id": "n1", "text": "Brazil beat Argentina 2-1 in Rio."},
            {**labelled, "id": "n2", "text": "The dollar rose against the yen."},
        ],
    )
    predicted = write_jsonl(
        tmp_path / "pred.jsonl",
        [
            prediction(
                "n1",
                entities=[entity("Q155", "Brazil"), entity("Q414", "Argentina")],
                events=[event("ASSAULT", ["Q155"], ["Q414"])],
            ),
            prediction("n2", entities=[entity("Q30", "United States")]),
        ],
    )
    report = evaluate(gold, predicted)
    assert report.headline == []
    assert [s.title for s in report.sections] == ["false political events"]
    assert_counts(report.sections[0].rows[0].counts, 0, 1, 0, 0.0, 0.0, 0.0)
    guard = next(f for f in report.figures if f.label == "negatives with a false political event")
    assert guard.value == 0.5 and guard.detail == "1 of 2 non-political documents: n1"


def test_unlinked_entities_match_by_gold_names(tmp_path: Path) -> None:
    # Gold "Stanislav Zas" is written "Zas"; a predicted unlinked entity labelled
    # "ZAS" (or mentioned as "Zas") is the same entity; "Zass" is not.
    gold = dev_gold(tmp_path)
    for label, hit in (("ZAS", 1), ("Zas Stanislav", 0)):
        zas = entity(None, label, "person", [(0, 3, "Zàs" if hit else "Zass")])
        doc = prediction(
            "a", entities=[zas], relations=[relation("HOLDS_POSITION", label, "Q318693")]
        )
        predictions = write_jsonl(tmp_path / "zas.jsonl", [doc])
        assert headline(evaluate(gold, predictions))["relations"].tp == hit, label


def test_dev_errors_carry_context(tmp_path: Path) -> None:
    report = evaluate(dev_gold(tmp_path), dev_predictions(tmp_path))
    errors = {(e.task, e.kind, e.item): e.context for e in report.errors}
    assert len(report.errors) == 5
    assert "'Russia'" in errors[("linking", "FN", "Q159")]
    # A false positive shows the predicted mention and its sentence.
    fp = errors[("linking", "FP", "Q37")]
    assert "['Armenia']" in fp and "asked the CSTO" in fp
    assert (
        errors[("relation", "FN", "LEADS(Q159 Russia, Q318693 CSTO)")] == "gold: Russian-led CSTO"
    )
    assert ("event", "FN", "CONSULT(Q159 Russia, Q227 Azerbaijan)") in errors


def test_dev_missing_prediction_scores_as_empty(tmp_path: Path) -> None:
    predictions = write_jsonl(tmp_path / "one.jsonl", [prediction("b")])
    report = evaluate(dev_gold(tmp_path), predictions)
    assert headline(report)["linking"].tp == 0
    assert headline(report)["linking"].fn == 6
    assert any("no prediction: a" in note for note in report.notes)


def test_bad_predictions_name_file_and_line(tmp_path: Path) -> None:
    predictions = tmp_path / "bad.jsonl"
    predictions.write_text(json.dumps(prediction("a")) + "\n{not json\n", "utf-8")
    with pytest.raises(InputError, match=r"bad.jsonl:2: malformed JSON"):
        evaluate(dev_gold(tmp_path), predictions)
    predictions.write_text(json.dumps({"id": "a", "text": "raw input"}) + "\n", "utf-8")
    with pytest.raises(InputError, match=r"bad.jsonl:1: not geokg-extract/1"):
        evaluate(dev_gold(tmp_path), predictions)


def test_unrecognised_gold(tmp_path: Path) -> None:
    other = write_jsonl(tmp_path / "corpus.jsonl", [{"id": "1", "text": "no gold here"}])
    with pytest.raises(InputError, match="not a recognised gold set"):
        detect_benchmark(other)
    with pytest.raises(InputError, match="no such file"):
        detect_benchmark(tmp_path / "missing")


# --- the CLI ----------------------------------------------------------------------


def test_cli_json_and_errors(tmp_path: Path) -> None:
    gold, predictions = dev_gold(tmp_path), dev_predictions(tmp_path)
    args = ["evaluate", str(gold), "--predictions", str(predictions), "--format", "json"]
    result = CliRunner().invoke(cli, [*args, "--errors", "-1"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    figures = {r["label"]: r for r in data["headline"]}
    assert figures["linking"]["f1"] == pytest.approx(0.8333, abs=1e-4)
    assert figures["events"]["recall"] == pytest.approx(0.8333, abs=1e-4)
    assert data["error_count"] == 5 and len(data["errors"]) == 5


def test_cli_table(tmp_path: Path) -> None:
    gold, predictions = dev_gold(tmp_path), dev_predictions(tmp_path)
    args = ["evaluate", str(gold), "-p", str(predictions), "--errors", "2"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert re.search(r"\n  overall +0\.833 +0\.833 +0\.833 +5 +1 +1\n", result.output)
    assert "errors (2 of 5):" in result.output


def test_cli_one_line_error_and_exit_code(tmp_path: Path) -> None:
    other = write_jsonl(tmp_path / "corpus.jsonl", [{"id": "1", "text": "no gold here"}])
    done = subprocess.run(
        [sys.executable, "-m", "kg", "evaluate", str(other)], capture_output=True, text=True
    )
    assert done.returncode == InputError.exit_code
    assert done.stderr.count("\n") == 1 and "not a recognised gold set" in done.stderr


def test_cli_all_needs_the_kit(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["evaluate", "--all", str(tmp_path)])
    assert isinstance(result.exception, InputError)
    assert "not the evaluation kit: missing eval/dev.jsonl" in str(result.exception)
    predictions = write_jsonl(tmp_path / "p.jsonl", [prediction("a")])
    result = CliRunner().invoke(cli, ["evaluate", "--all", str(tmp_path), "-p", str(predictions)])
    assert result.exit_code == 2 and "takes no --predictions" in result.output


# --- IndEL-shaped NIF ---------------------------------------------------------------

NIF_PREFIXES = """@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix itsrdf: <http://www.w3.org/2005/11/its/rdf#> .
"""

README = """# A benchmark
|Metrics         |SysA   |SysB      |
|----------------|-------|----------|
|General Domain  |
|Precision       |0.5000 |**0.7000**|
|Recall          |0.2500 |0.1000    |
|F1              |0.3333 |0.1750    |
|Specific Domain |
|Precision       |0.9    |0.9       |
|Recall          |0.9    |0.9       |
|F1              |0.9    |0.9       |
"""

INDEL_TEXT = "Jokowi bertemu Rusia, Real Madrid dan Malaysia di Jakarta."


def facts_tsv(reference: Path, qids: list[str]) -> None:
    lines = ["qid_or_pid\tlabel_en\ttype\tlabel_id\tlabel_ru\taliases\textra\tevidence"]
    lines += [f"{q}\tx\tstate\t\t\t\t\ttest" for q in qids] + ["P31\tinstance of\tproperty"]
    (reference / "wikidata_facts.tsv").write_text("\n".join(lines) + "\n", "utf-8")


def nif_mention(doc: str, text: str, anchor: str, qid: str, shift: int = 0) -> str:
    start = text.index(anchor) + shift
    end = start + len(anchor)
    return f"""<http://IndEL/{doc}#{start},{end}> nif:beginIndex "{start}"^^xsd:nonNegativeInteger ;
    nif:endIndex "{end}"^^xsd:nonNegativeInteger ;
    nif:referenceContext <http://IndEL/{doc}#0,{len(text)}> ;
    nif:anchorOf "{anchor}" ;
    itsrdf:taIdentRef <http://www.wikidata.org/entity/{qid}> .
"""


def indel_kit(tmp_path: Path) -> Path:
    directory = tmp_path / "reference" / "indel"
    directory.mkdir(parents=True)
    facts_tsv(tmp_path / "reference", ["Q999", "Q3630", "Q2807"])
    text = INDEL_TEXT
    turtle = NIF_PREFIXES + (
        f'<http://IndEL/7#0,{len(text)}> nif:beginIndex "0"^^xsd:nonNegativeInteger ;\n'
        f'    nif:endIndex "{len(text)}"^^xsd:nonNegativeInteger ;\n'
        f'    nif:isString "{text}" .\n'
    )
    turtle += nif_mention("7", text, "Jokowi", "Q999")  # geo through the facts file
    turtle += nif_mention("7", text, "Rusia", "Q159")  # geo through rigour
    turtle += nif_mention("7", text, "Real Madrid", "Q8682")  # not geopolitical
    turtle += nif_mention("7", text, "Malaysia", "Q833")
    turtle += nif_mention("7", text, "Jakarta", "Q3630", shift=1)  # offsets one off
    (directory / "gold.ttl").write_text(turtle, "utf-8")
    (directory / "README.md").write_text(README, "utf-8")
    return directory


def span(text: str, anchor: str) -> tuple[int, int, str]:
    start = text.index(anchor)
    return start, start + len(anchor), anchor


def test_indel_span_scores_by_hand(tmp_path: Path) -> None:
    directory = indel_kit(tmp_path)
    text = INDEL_TEXT
    predictions = write_jsonl(
        tmp_path / "pred.jsonl",
        [
            prediction(
                "7",
                entities=[
                    entity("Q999", "Joko Widodo", "person", [span(text, "Jokowi")]),  # TP
                    entity("Q159", "Russia", "state", [span(text, "Rusia")]),  # TP
                    entity("Q2807", "Madrid", "city", [span(text, "Madrid")]),  # FP
                    entity("Q42", "Someone", "person", [span(text, "bertemu")]),  # not judged
                    entity("Q3630", "Jakarta", "city", [span(text, "Jakarta")]),  # TP
                    # Malaysia Q833 not found: FN
                ],
            )
        ],
    )
    assert detect_benchmark(directory) == "indel"
    report = evaluate(directory, predictions)
    assert_counts(headline(report)["linking (geo, span overlap)"], 3, 1, 1, 0.75, 0.75, 0.75)
    # Exact spans: "Madrid" is not "Real Madrid", so that prediction is not judged.
    assert_counts(headline(report)["linking (geo, exact span)"], 3, 0, 1, 1.0, 0.75, 6 / 7)
    assert [s.system for s in report.published] == ["SysA", "SysB"]
    assert report.published[1].precision == 0.7
    assert any("1 gold mentions realigned" in note for note in report.notes)
    assert "SysB" in render_table(report)


def test_indel_reader_details(tmp_path: Path) -> None:
    gold = read_indel(indel_kit(tmp_path) / "gold.ttl")
    assert [s.id for s in gold.sentences] == ["7"]
    jakarta = next(m for m in gold.sentences[0].mentions if m.qid == "Q3630")
    assert INDEL_TEXT[jakarta.start : jakarta.end] == "Jakarta"
    assert sentence_id("http://IndEL/67#0,182") == "67"
    assert read_published_scores("no table here") == []


# --- NEREL-shaped files --------------------------------------------------------------

NEREL_TEXT = "Россия и Китай подписали договор в Москве. Компания Яндекс сообщила."


def nerel_kit(tmp_path: Path) -> Path:
    directory = tmp_path / "reference" / "nerel"
    directory.mkdir(parents=True)
    facts_tsv(tmp_path / "reference", ["Q159", "Q148", "Q649", "Q865"])
    text = NEREL_TEXT
    write_jsonl(directory / "x_test.jsonl", [{"id": "5", "lang": "ru", "text": text}])
    links = [
        ("Россия", "COUNTRY", "Q159"),
        ("Китай", "COUNTRY", "Q148"),
        ("Москве", "CITY", "Q649"),
        ("Яндекс", "ORGANIZATION", "Q40056"),  # not geopolitical
    ]
    rows = []
    for anchor, kind, qid in links:
        start, end, _ = span(text, anchor)
        rows.append({"id": "5", "start": start, "end": end, "text": anchor, "type": kind,
                     "qid": qid})  # fmt: skip
    write_jsonl(directory / "x_test_links.jsonl", rows)
    return directory


def test_nerel_scores_by_hand(tmp_path: Path) -> None:
    directory = nerel_kit(tmp_path)
    text = NEREL_TEXT
    predictions = write_jsonl(
        tmp_path / "pred.jsonl",
        [
            prediction(
                "5",
                entities=[
                    entity("Q159", "Russia", "state", [span(text, "Россия")]),  # TP
                    entity("Q865", "Taiwan", "state", [span(text, "Китай")]),  # FP + FN
                    entity("Q649", "Moscow", "city", [span(text, "Москве")]),  # TP
                    entity("Q131569", "treaty", "other", [span(text, "договор")]),  # unannotated
                ],
            )
        ],
    )
    assert detect_benchmark(directory) == "nerel"
    report = evaluate(directory, predictions)
    scores = headline(report)
    # All links: TP 2; FP: wrong QID on Китай, unannotated договор; FN: Китай, Яндекс.
    assert_counts(scores["mentions (all)"], 2, 2, 2, 0.5, 0.5, 0.5)
    assert_counts(row(report, "mention-level linking, all", "unannotated"), 0, 1, 0, 0, 0, 0)
    assert_counts(row(report, "mention-level linking, all", "COUNTRY"), 1, 1, 1, 0.5, 0.5, 0.5)
    # Geo: Яндекс not counted; договор's Q131569 is outside the subset, so not judged.
    assert_counts(scores["mentions (geo)"], 2, 1, 1, 2 / 3, 2 / 3, 2 / 3)
    # Documents: gold {Q159,Q148,Q649,Q40056} vs predicted {Q159,Q865,Q649,Q131569}.
    assert_counts(scores["doc QIDs (all)"], 2, 2, 2, 0.5, 0.5, 0.5)
    assert_counts(scores["doc QIDs (geo)"], 2, 1, 1, 2 / 3, 2 / 3, 2 / 3)


# --- PLOVER GSR-shaped file ------------------------------------------------------------


def plover_record(rid: str, kind: str, text: str, source: list[str], target: Any) -> dict:
    def actors(codes: Any) -> Any:
        return [{"actorText": c, "code": c} for c in codes] if isinstance(codes, list) else codes

    return {"id": rid, "date": "2000-01-01", "event": kind, "text": text,
            "source": actors(source), "target": actors(target), "language": "en",
            "textInfo": {"markup": text}}  # fmt: skip


def plover_kit(tmp_path: Path) -> Path:
    directory = tmp_path / "plover_gsr"
    directory.mkdir()
    records = [
        {"id": "DOC", "event": "DOCUMENT", "eventText": "documentation"},
        plover_record("r1", "AGREE", "The US and Jordan agreed.", ["USA", "JOR"], ""),
        plover_record("r2", "DEMAND", "Iraq demanded UN action.", ["IRQ"], ["IGO"]),
        plover_record("r3", "FIGHT", "Israeli and Palestinian forces clashed.", ["ISR"], ["PSE"]),
    ]
    (directory / "PLOVER_GSR_TEST.json").write_text(json.dumps(records), "utf-8")
    return directory


def test_plover_scores_by_hand(tmp_path: Path) -> None:
    directory = plover_kit(tmp_path)
    predictions = write_jsonl(
        tmp_path / "pred.jsonl",
        [
            prediction("r1", events=[event("AGREE", ["Q30", "Q810"], [], score=0.9)]),
            prediction(
                "r2",
                entities=[entity("Q1065", "United Nations", "organization")],
                events=[
                    event("REQUEST", ["Q796"], ["Q1065"], score=0.8),  # UN -> IGO
                    event("ACCUSE", ["Q796"], [], score=0.5),
                ],
            ),
            prediction("r3", events=[event("THREATEN", ["Q801"], ["Q219060"], score=0.7)]),
        ],
    )
    assert detect_benchmark(directory) == "plover"
    report = evaluate(directory, predictions)
    scores = headline(report)
    # Types: r1 AGREE TP; r2 REQUEST TP (gold DEMAND), ACCUSE FP; r3 THREATEN FP, ASSAULT FN.
    assert_counts(scores["event type"], 2, 2, 1, 0.5, 2 / 3, 4 / 7)
    assert_counts(row(report, "event type", "ASSAULT"), 0, 0, 1, 0.0, 0.0, 0.0)
    # Actors: AGREE{JOR,USA} TP, REQUEST(IRQ,IGO) TP, ACCUSE(IRQ,None) FP,
    # THREATEN(ISR,PSE) FP, ASSAULT{ISR,PSE} FN.
    assert_counts(scores["event actors"], 2, 2, 1, 0.5, 2 / 3, 4 / 7)
    assert report.figures[0].value == pytest.approx(2 / 3)  # top-1: r1 and r2 right


def test_plover_repeated_ids_pair_in_order(tmp_path: Path) -> None:
    directory = tmp_path / "plover_gsr"
    directory.mkdir()
    records = [
        plover_record("same", "AGREE", "A agreed.", ["USA"], ["JOR"]),
        plover_record("same", "THREATEN", "B threatened.", ["USA"], ["JOR"]),
    ]
    (directory / "PLOVER_GSR_TEST.json").write_text(json.dumps(records), "utf-8")
    predictions = write_jsonl(
        tmp_path / "pred.jsonl",
        [
            prediction("same", events=[event("AGREE", ["Q30"], ["Q810"])]),
            prediction("same", events=[event("THREATEN", ["Q30"], ["Q810"])]),
        ],
    )
    assert_counts(headline(evaluate(directory, predictions))["event type"], 2, 0, 0, 1, 1, 1)


# --- the real evaluation kit (../shared) ------------------------------------------------


def perfect_dev_predictions(gold_path: Path, out: Path) -> Path:
    lines = []
    for doc in read_dev_gold(gold_path):
        labels = {e.label: e.qid or e.label for e in doc.entities}
        lines.append(
            prediction(
                doc.id,
                entities=[entity(e.qid, e.label, e.type) for e in doc.entities],
                relations=[
                    relation(r.type, labels[r.subject], labels[r.object]) for r in doc.relations
                ],
                events=[
                    event(e.type, [labels[a] for a in e.actors], [labels[t] for t in e.targets])
                    for e in doc.events
                ],
            )  # fmt: skip
        )
    return write_jsonl(out, lines)


def test_kit_benchmarks_are_recognised(shared_dir: Path) -> None:
    reference = shared_dir / "reference"
    assert detect_benchmark(shared_dir / "eval" / "dev.jsonl") == "dev"
    assert detect_benchmark(reference / "indel") == "indel"
    assert detect_benchmark(reference / "indel" / "IndEL_General_Domain.ttl") == "indel"
    assert detect_benchmark(reference / "nerel") == "nerel"
    assert detect_benchmark(reference / "plover_gsr") == "plover"
    with pytest.raises(InputError, match="--all"):
        detect_benchmark(shared_dir)


def test_kit_dev_perfect_and_empty(shared_dir: Path, tmp_path: Path) -> None:
    gold = shared_dir / "eval" / "dev.jsonl"
    report = evaluate(gold, perfect_dev_predictions(gold, tmp_path / "perfect.jsonl"))
    assert report.documents == 14
    for label, counts in headline(report).items():
        assert counts.f1 == 1.0, label
        assert counts.tp > 0
    empty = write_jsonl(tmp_path / "empty.jsonl", [prediction("seed")])
    assert all(c.f1 == 0.0 for c in headline(evaluate(gold, empty)).values())


def test_kit_indel_perfect(shared_dir: Path, tmp_path: Path) -> None:
    directory = shared_dir / "reference" / "indel"
    gold = read_indel(directory / "IndEL_General_Domain.ttl")
    lines = [
        prediction(s.id, entities=[entity(m.qid, m.text, "other", [(m.start, m.end, m.text)])
                                   for m in s.mentions])
        for s in gold.sentences
    ]  # fmt: skip
    report = evaluate(directory, write_jsonl(tmp_path / "perfect.jsonl", lines))
    for counts in headline(report).values():
        assert counts.f1 == 1.0 and counts.tp > 500
    assert {s.system for s in report.published} >= {"OpenTapioca", "WAT"}
    # kg extract output of indel_general.jsonl lines up: same ids, same texts.
    inputs = {}
    for line in (directory / "indel_general.jsonl").read_text("utf-8").splitlines():
        item = json.loads(line)
        inputs[item["id"]] = item["text"]
    assert inputs == {s.id: s.text for s in gold.sentences}


def test_kit_nerel_perfect(shared_dir: Path, tmp_path: Path) -> None:
    directory = shared_dir / "reference" / "nerel"
    files = find_nerel_files(directory)
    assert files is not None
    gold = read_nerel(*files)
    lines = [
        prediction(d.id, entities=[entity(m.qid, m.text, "other", [(m.start, m.end, m.text)])
                                   for m in d.mentions])
        for d in gold.docs
    ]  # fmt: skip
    report = evaluate(directory, write_jsonl(tmp_path / "perfect.jsonl", lines))
    for label, counts in headline(report).items():
        assert counts.f1 == 1.0, label
    assert report.documents == 93


def test_kit_plover_perfect_types(shared_dir: Path, tmp_path: Path) -> None:
    file = find_plover_file(shared_dir / "reference" / "plover_gsr")
    assert file is not None
    gold = read_plover(file)
    qid_of = {code: qid for qid, code in sorted(alpha3_by_qid().items(), reverse=True)}

    def refs(codes: tuple[str, ...]) -> list[str]:
        return [qid_of.get(code, code) for code in codes]

    lines = [
        prediction(r.id, entities=[entity(None, "IGO", "organization")],
                   events=[event(r.event, refs(r.sources), refs(r.targets), score=1.0)])
        for r in gold.records
    ]  # fmt: skip
    report = evaluate(file.parent, write_jsonl(tmp_path / "perfect.jsonl", lines))
    assert report.documents == 322
    assert headline(report)["event type"].f1 == 1.0
    assert report.figures[0].value == 1.0
    # Actor codes outside ISO 3166 in the gold (e.g. "JAP") cannot be matched.
    assert headline(report)["event actors"].f1 > 0.9


def test_kit_pipeline_on_dev(shared_dir: Path) -> None:
    """End to end without --predictions: the offline pipeline on dev.jsonl."""
    try:
        report = evaluate(shared_dir / "eval" / "dev.jsonl")
    except NotImplementedYet as missing:
        pytest.skip(str(missing))
    data = report_json(report)
    assert {r["label"] for r in data["headline"]} == {"linking", "relations", "events"}
    assert headline(report)["linking"].tp > 0
