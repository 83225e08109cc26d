"""The trained person-name scorer (``kg/linking/person_names.py``): its candidates,
its choice of names, training it (``kg train-names``) and the names it finds that the
cue rule alone did not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import InputError
from kg.evaluation.dev import gold_doc_from_json
from kg.gazetteer.normalize import tokens
from kg.linking import Linker
from kg.linking.cues import cues_for
from kg.linking.person_names import (
    MODEL_PATH,
    PersonNameModel,
    candidates,
    default_model,
    name_runs,
    read_model,
)
from kg.linking.person_training import gold_name_spans
from kg.model import Document

FIRST = ["Lena", "Tomas", "Ines", "Karim", "Olga", "Pavel", "Rosa", "Yusuf"]
LAST = ["Varga", "Okoro", "Lindqvist", "Haddad", "Moreau", "Silva", "Novak", "Tanaka"]


def texts_of(spans: list[tuple[int, int]], text: str) -> list[str]:
    words = tokens(text)
    return [text[words[a].start : words[b].end] for a, b in spans]


def test_every_span_of_a_capitalised_run_is_a_candidate() -> None:
    text = "Yesterday Chancellor Lena Varga spoke."
    words = tokens(text)
    cues = cues_for("en")
    runs = name_runs(text, words, {}, set(), cues)
    found = texts_of(
        [(c.first, c.last) for c in candidates(text, words, {}, cues, "en", runs)], text
    )
    assert "Lena Varga" in found and "Chancellor Lena Varga" in found and "Varga" in found
    assert "spoke" not in " ".join(found)


def test_a_linked_entity_bounds_a_run_and_is_a_feature_of_what_follows() -> None:
    text = "The CSTO Secretary Lena Varga arrived."
    words = tokens(text)
    covered = {1: "alliance"}  # "CSTO"
    cues = cues_for("en")
    runs = name_runs(text, words, covered, set(), cues)
    found = candidates(text, words, covered, cues, "en", runs)
    secretary = next(c for c in found if texts_of([(c.first, c.last)], text) == ["Secretary"])
    assert "prev_entity=alliance" in secretary.features
    assert all(c.first > 1 for c in found)


def test_the_model_takes_the_best_spans_that_do_not_overlap() -> None:
    text = "Chancellor Lena Varga met Tomas Okoro."
    words = tokens(text)
    cues = cues_for("en")
    runs = name_runs(text, words, {}, set(), cues)
    found = candidates(text, words, {}, cues, "en", runs)
    # A name is two words with a title or the start of a run before it.
    model = PersonNameModel(-3.0, {"len=2": 2.0, "title_before": 2.0, "run_start=True": 1.5}, 0.5)
    assert texts_of(model.choose(found), text) == ["Lena Varga", "Tomas Okoro"]


def test_a_model_file_of_another_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"format": "other/1", "threshold": 0.5, "weights": {}}))
    with pytest.raises(ValueError, match="geokg-person-names/1"):
        read_model(path)


def test_gold_names_are_the_longest_occurrences_of_their_forms() -> None:
    gold = gold_doc_from_json(
        {
            "id": "g",
            "lang": "de",
            "text": "Bundeskanzlerin Angela Merkel sprach. Merkel reiste ab.",
            "entities": [
                {
                    "label": "Angela Merkel",
                    "type": "person",
                    "qid": None,
                    "surface_forms": ["Angela Merkel", "Merkel"],
                },
            ],
        }
    )
    spans = gold_name_spans(gold, tokens(gold.text))
    assert sorted(texts_of(sorted(spans), gold.text)) == ["Angela Merkel", "Merkel"]
    assert len(spans) == 2  # "Merkel" inside "Angela Merkel" is not a name of its own


def name_doc(n: int) -> dict[str, object]:
    """A lead with a title before one name and a speech verb after another; every
    capitalised word that is not a name is a sentence's first word or a place."""
    first, last = FIRST[n % 8], LAST[(n * 3) % 8]
    other = f"{FIRST[(n + 3) % 8]} {LAST[(n * 5 + 1) % 8]}"
    text = (
        f"Minister {first} {last} visited the port on Monday. Officials said {other} "
        f"told reporters the talks went well. Later the delegation left."
    )
    persons = [
        {
            "label": f"{first} {last}",
            "type": "person",
            "qid": None,
            "surface_forms": [f"{first} {last}"],
        },
        {"label": other, "type": "person", "qid": None, "surface_forms": [other]},
    ]
    return {"id": f"n{n:02d}", "lang": "en", "text": text, "entities": persons}


def write_name_corpus(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(name_doc(n)) for n in range(count)]
    (folder / "train.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_training_is_deterministic_and_learns_names(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    corpus = tmp_path / "corpus"
    write_name_corpus(corpus, 40)
    outputs = []
    for name in ("a.json", "b.json"):
        out = tmp_path / name
        result = CliRunner().invoke(cli, ["train-names", str(corpus), "-o", str(out)])
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    model = read_model(tmp_path / "a.json")
    text = "Minister Rosa Haddad visited the port on Monday. Later the delegation left."
    words = tokens(text)
    cues = cues_for("en")
    runs = name_runs(text, words, {}, set(), cues)
    chosen = model.choose(candidates(text, words, {}, cues, "en", runs))
    assert texts_of(chosen, text) == ["Rosa Haddad"]


def test_a_corpus_without_its_train_split_is_a_one_line_error(tmp_path: Path) -> None:
    corpus = tmp_path / "empty"
    corpus.mkdir()
    result = CliRunner().invoke(cli, ["train-names", str(corpus), "-o", str(tmp_path / "m.json")])
    assert result.exit_code != 0
    assert isinstance(result.exception, InputError)
    assert "train.jsonl: missing" in str(result.exception)


def test_the_packaged_model_finds_a_titled_name_the_cue_rule_missed() -> None:
    """German titles are compounds the cue lexicon does not list ("Bundeskanzlerin");
    the model learned from the corpus that the words after such a word are a name."""
    assert MODEL_PATH.exists(), "kg train-names writes it; the package ships it"
    assert default_model() is not None
    doc = Document(
        id="t", text="Die Bundeskanzlerin Angela Merkel traf den Präsidenten in Berlin.", lang="de"
    )
    linker = Linker.default()
    persons = [e.label for e in linker(doc) if e.type == "person"]
    linker.person_model = None
    assert "Angela Merkel" in persons
    assert "Angela Merkel" not in [e.label for e in linker(doc) if e.type == "person"]
