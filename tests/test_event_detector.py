"""The trained event detector: its model format, its features, training it
(``kg train-events``) and the events it adds where the trigger lexicons are silent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.extraction.detector import (
    MODEL_PATH,
    EventDetector,
    default_detector,
    read_detector,
    sentence_features,
    sentence_names,
)
from kg.extraction.political import read_filter
from kg.extraction.words import words_of

SENTENCES = [
    ("Police fired tear gas at protesters in {city}.", "COERCE"),
    ("Thousands of students protested in {city} on Sunday.", "PROTEST"),
    ("Soldiers shelled a village near {city}, killing five.", "ASSAULT"),
    ("The minister travelled to {city} for talks on trade.", "CONSULT"),
]
CITIES = ["Nairobi", "Lima", "Dhaka", "Quito", "Accra", "Hanoi", "Tunis", "Lusaka"]


NON_POLITICAL = "The football team of {city} won the cup final. Fans celebrated in the stadium."


def gold_doc(n: int) -> dict[str, object]:
    """A document of two sentences with their gold events (by evidence only); every
    sixth one a football report, a non-political lead without events."""
    city = CITIES[n % len(CITIES)]
    if n % 6 == 5:
        text = NON_POLITICAL.format(city=city)
        return {"id": f"d{n}", "lang": "en", "text": text, "political": False, "events": []}
    chosen = [SENTENCES[n % 4], SENTENCES[(n + 1) % 4]]
    text = " ".join(s.format(city=city) for s, _ in chosen)
    events = [
        {"type": kind, "source_actor": "x", "target_actor": None, "evidence": s.format(city=city)}
        for s, kind in chosen
    ]
    return {"id": f"d{n}", "lang": "en", "text": text, "entities": [], "events": events}


def write_corpus(folder: Path, splits: dict[str, range]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, numbers in splits.items():
        lines = [json.dumps(gold_doc(n)) for n in numbers]
        (folder / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_features_are_stems_families_lexicon_types_and_sectors() -> None:
    words = words_of("Protesters were protesting", "en")
    assert words.stems == ["protest", "were", "protest"]
    assert words.folded[0] == "protesters" and words.between(12, 26).starts == [16]
    features = sentence_features(words.stems, {"PROTEST"}, ["protesters"])
    assert features["w:protest"] == [0, 2]
    assert features["p:prote"] == [0, 2]
    assert features["lex:PROTEST"] == [] and features["actor:protesters"] == []


def test_detection_sums_weights_and_points_at_the_strongest_word() -> None:
    detector = EventDetector(
        types=("PROTEST",),
        intercepts={"PROTEST": -2.0},
        thresholds={"PROTEST": 0.5},
        weights={"w:march": {"PROTEST": 1.0}, "w:protest": {"PROTEST": 3.0}},
    )
    found = detector.detect({"w:march": [0], "w:protest": [4]})
    assert [(d.type, d.tokens) for d in found] == [("PROTEST", (4, 0))]
    assert found[0].probability == pytest.approx(1 / (1 + 2.718281828**-2.0), rel=1e-6)
    assert detector.detect({"w:march": [0]}) == []  # -1.0: below the threshold


def test_a_document_is_scored_as_its_sentences_one_by_one() -> None:
    detector = default_detector()
    assert detector is not None
    sentences = [
        ("Police fired tear gas at protesters and arrested 40 students.", {"COERCE"}, ["police"]),
        ("The weather was mild on Sunday.", set(), []),
        ("Thousands of workers marched in the capital to protest.", {"PROTEST"}, ["labor"]),
    ]
    stems = [words_of(text, "en").stems for text, _, _ in sentences]
    one_by_one = [
        detector.detect(sentence_features(s, kinds, sectors))
        for s, (_, kinds, sectors) in zip(stems, sentences, strict=True)
    ]
    others = [sentence_names(kinds, sectors) for _, kinds, sectors in sentences]
    at_once = detector.detect_sentences(stems, others, [frozenset()] * len(sentences))
    assert at_once == one_by_one
    assert {d.type for d in at_once[0]} >= {"COERCE"} and at_once[1] == []


def test_a_model_file_of_another_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"format": "something-else/1"}), encoding="utf-8")
    with pytest.raises(ValueError, match="not a geokg-event-detector/1 model"):
        read_detector(path)


def test_the_packaged_model_loads_and_knows_the_common_types() -> None:
    assert MODEL_PATH.exists(), "kg train-events writes it; the package ships it"
    detector = default_detector()
    assert detector is not None
    assert {"ASSAULT", "COERCE", "PROTEST", "CONSULT", "ACCUSE"} <= set(detector.types)
    assert all(0 < t < 1 for t in detector.thresholds.values())


def test_training_is_deterministic_and_learns_the_types(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    corpus = tmp_path / "corpus"
    write_corpus(corpus, {"train": range(0, 24), "dev": range(24, 32), "test": range(40, 41)})
    runner = CliRunner()
    outputs = []
    for name in ("a.json", "b.json"):
        out = tmp_path / name
        result = runner.invoke(cli, ["train-events", str(corpus), "-o", str(out)])
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    detector = read_detector(tmp_path / "a.json")
    stems = words_of("Students protested in Cairo.", "en").stems
    found = {d.type for d in detector.detect(sentence_features(stems, set(), ["students"]))}
    assert "PROTEST" in found and "CONSULT" not in found


def test_training_writes_a_political_filter_that_keeps_sport_out(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    corpus = tmp_path / "corpus"
    write_corpus(corpus, {"train": range(0, 36)})
    out = tmp_path / "filter.json"
    result = CliRunner().invoke(
        cli,
        ["train-events", str(corpus), "-o", str(tmp_path / "m.json"), "--filter-output", str(out)],
    )
    assert result.exit_code == 0, result.output
    political = read_filter(out)
    sport = words_of(NON_POLITICAL.format(city="Lima"), "en").stems
    protest = words_of(str(gold_doc(40)["text"]), "en").stems  # an unseen one
    assert not political.is_political(sport) and political.is_political(protest)


def test_a_corpus_without_non_political_leads_trains_no_filter(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    corpus = tmp_path / "corpus"
    write_corpus(corpus, {"train": [n for n in range(0, 30) if n % 6 != 5]})
    out = tmp_path / "filter.json"
    result = CliRunner().invoke(
        cli,
        ["train-events", str(corpus), "-o", str(tmp_path / "m.json"), "--filter-output", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "no non-political leads" in result.output and not out.exists()


def test_the_packaged_filter_reads_no_events_in_a_football_report() -> None:
    from kg.model import Document
    from kg.pipeline import default_pipeline

    report = (
        "Сборная России по футболу приняла команду Сан-Марино в матче отборочного турнира "
        "чемпионата Европы и победила со счетом 9:0."
    )
    extraction = default_pipeline()(Document(id="f", text=report, lang="ru"))
    assert extraction.events == []


def test_the_induced_lexicon_is_written_in_the_same_format(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, {"train": range(0, 24), "dev": range(24, 32)})
    out = tmp_path / "induced.json"
    result = CliRunner().invoke(
        cli, ["train-events", str(corpus), "--method", "induced", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    detector = read_detector(out)
    assert detector.weights["w:shell"] == {"ASSAULT": 10.0}


def test_a_corpus_without_its_train_split_is_a_one_line_error(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, {"dev": range(0, 4)})
    result = CliRunner().invoke(cli, ["train-events", str(corpus), "-o", str(tmp_path / "m.json")])
    assert result.exit_code != 0
    assert "train.jsonl" in str(result.exception) or "train.jsonl" in result.output


def test_the_dev_split_does_not_tune_the_model(tmp_path: Path) -> None:
    """Thresholds come from folds of the training data: whatever the dev split holds,
    the model is the same, so the dev split's figures are held-out ones."""
    pytest.importorskip("sklearn")
    models = []
    for name, dev in (("a", range(24, 32)), ("b", range(32, 33))):
        corpus = tmp_path / name
        write_corpus(corpus, {"train": range(0, 24), "dev": dev})
        out = tmp_path / f"{name}.json"
        result = CliRunner().invoke(cli, ["train-events", str(corpus), "-o", str(out)])
        assert result.exit_code == 0, result.output
        models.append(out.read_bytes())
    assert models[0] == models[1]


def test_an_agent_phrase_of_another_verb_leaves_a_detected_event_its_sides() -> None:
    """ "liderado por Daniel Ortega": "por" names who leads, not who arrests.  A passive
    reading with nothing acted on before the word is no reading of it, so the arrest's
    sides come from its own phrase (it was one-sided, Nicaragua alone, before)."""
    from kg.api import extract

    text = (
        "La dictadura de Nicaragua, liderado por Daniel Ortega, ordenó la detención de al"
        " menos 30 periodistas, opositores y activistas que habían sido liberados."
    )
    record = extract(text, lang="es")
    coerce = [e for e in record["events"] if e["type"] == "COERCE"]
    assert coerce, "the packaged detector reads the arrest"
    assert all(e["actor"] == ["Q811"] for e in coerce)
    assert {"periodistas", "opositores", "activistas"} <= set(coerce[0]["recipient"])


def test_leads_labelled_only_as_non_political_train_the_filter_not_the_name_scorers(
    tmp_path: Path,
) -> None:
    """negatives/train.jsonl holds leads labelled at document level (no names, posts or
    events annotated): with --labelled-negatives they teach the filter and the detector;
    they are always left out where names and relations are learnt, which their missing
    annotation would mislead."""
    pytest.importorskip("sklearn")
    from kg.cli.train import training_documents

    corpus = tmp_path / "corpus"
    write_corpus(corpus, {"train": [n for n in range(0, 30) if n % 6 != 5]})
    labelled = [
        {**gold_doc(n), "topic": "negative", "annotation": "document", "entities": []}
        for n in range(5, 40, 6)
    ]
    write_lines(corpus / "negatives" / "train.jsonl", labelled)
    assert len(training_documents(corpus)) == 25
    assert len(training_documents(corpus, labelled_leads=True)) == 25 + len(labelled)
    out = tmp_path / "filter.json"
    command = ["train-events", str(corpus), "-o", str(tmp_path / "m.json")]
    result = CliRunner().invoke(cli, [*command, "--filter-output", str(out)])
    assert result.exit_code == 0, result.output
    assert "no non-political leads" in result.output  # by default they are not read
    result = CliRunner().invoke(
        cli, [*command, "--filter-output", str(out), "--labelled-negatives"]
    )
    assert result.exit_code == 0, result.output
    assert f"({len(labelled)} non-political)" in result.output
    sport = words_of(NON_POLITICAL.format(city="Lima"), "en").stems
    assert not read_filter(out).is_political(sport)


def test_a_political_lead_labelled_only_at_document_level_is_refused(tmp_path: Path) -> None:
    from kg.errors import InputError
    from kg.evaluation.dev import read_dev_gold

    path = write_lines(tmp_path / "train.jsonl", [{**gold_doc(1), "annotation": "document"}])
    with pytest.raises(InputError, match="must be political: false"):
        read_dev_gold(path)


def write_lines(path: Path, docs: list[dict[str, object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path
