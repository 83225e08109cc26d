"""The trained relation reader: candidates, decoding, the packaged model and training."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from training_helpers import train_twice

from kg.extraction.analysis import analyse
from kg.extraction.relation_reader import (
    MODEL_FORMAT,
    MODEL_SCORE,
    RelationCandidate,
    RelationModel,
    decode,
    default_relation_model,
)
from kg.extraction.relation_training import RelationRecorder
from kg.model import Document, Span
from kg.pipeline import default_pipeline

# The rules read no post here: "Emir" is not among the Indonesian lexicon's titles.
KUWAIT = (
    "Emir Kuwait, Sheikh Nawaf Al-Ahmad Al-Jaber Al-Sabah, menerima kunjungan Menteri Luar"
    " Negeri Prancis di Kuwait City, Selasa."
)
TURKEY = "Rusya Dışişleri Bakanı Sergey Lavrov, Türkiye'yi ziyaret etti."


def offered(text: str, lang: str) -> RelationRecorder:
    doc = Document(id="t", text=text, lang=lang)
    recorder = RelationRecorder()
    analyse(doc, default_pipeline().entities(doc), relations=recorder)
    return recorder


def test_every_person_and_holder_is_a_candidate_and_the_rules_pairs_are_marked() -> None:
    recorder = offered(TURKEY, "tr")
    pairs = {(c.type, c.subject, c.object): c for c in recorder.offered}
    lavrov_russia = pairs[("HOLDS_POSITION", "Sergey Lavrov", "Q159")]
    assert lavrov_russia.ruled and "HOLDS_POSITION.ruled" in lavrov_russia.features
    assert "HOLDS_POSITION.title_before" in lavrov_russia.features
    assert lavrov_russia.extra == "foreign minister"
    lavrov_turkey = pairs[("HOLDS_POSITION", "Sergey Lavrov", "Q43")]
    assert not lavrov_turkey.ruled
    assert [(r.type, r.subject, r.object) for r in recorder.ruled] == [
        ("HOLDS_POSITION", "Sergey Lavrov", "Q159")
    ]


def test_the_packaged_model_adds_a_post_the_rules_miss() -> None:
    doc = Document(id="t", text=KUWAIT, lang="id")
    entities = default_pipeline().entities(doc)
    rules_only = analyse(doc, entities, relations=RelationRecorder()).relations
    assert rules_only == []
    found = analyse(doc, entities).relations
    posts = [(r.type, r.object) for r in found]
    assert posts == [("HOLDS_POSITION", "Q817")]  # Kuwait
    assert found[0].subject.startswith("Nawaf") and found[0].score <= MODEL_SCORE


def candidate(subject: str, obj: str, ruled: bool = False) -> RelationCandidate:
    return RelationCandidate("HOLDS_POSITION", subject, obj, (), Span(0, 1, "x"), None, ruled)


def test_decoding_keeps_each_person_s_most_probable_holder_above_the_threshold() -> None:
    scored = [
        (0.7, candidate("a", "Q1")),
        (0.9, candidate("a", "Q2")),
        (0.3, candidate("b", "Q1")),
        (0.6, candidate("c", "Q3")),
    ]
    kept = decode(scored, 0.5)
    assert [(c.subject, c.object) for _, c in kept] == [("a", "Q2"), ("c", "Q3")]


def test_decoding_adds_nothing_to_a_person_the_rules_gave_a_post() -> None:
    scored = [(0.9, candidate("a", "Q2")), (1.0, candidate("b", "Q1", ruled=True))]
    assert decode(scored, 0.5, ruled={("HOLDS_POSITION", "a")}) == []


def test_a_model_file_of_another_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"format": "x", "intercept": 0, "threshold": 0.5, "weights": {}}))
    with pytest.raises(ValueError, match=MODEL_FORMAT):
        RelationModel.read(path, MODEL_FORMAT)


def test_without_a_model_file_only_the_rules_read_relations(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GEOKG_RELATIONS_MODEL", str(tmp_path / "none.json"))
    assert default_relation_model() is None
    doc = Document(id="t2", text=KUWAIT, lang="id")
    assert analyse(doc, default_pipeline().entities(doc)).relations == []


# --- training ---------------------------------------------------------------------


def gold_doc(n: int) -> dict[str, object]:
    """An envoy of one state visiting the other: the post is the first state's."""
    home, visited = ("Kenya", "Uganda") if n % 2 else ("Uganda", "Kenya")
    text = f"{home}'s Amina Otieno visited {visited} on day {n} of the talks."
    entities = [
        {"label": "Kenya", "qid": "Q114", "type": "state", "surface_forms": ["Kenya"]},
        {"label": "Uganda", "qid": "Q1036", "type": "state", "surface_forms": ["Uganda"]},
        {"label": "Amina Otieno", "qid": None, "type": "person", "surface_forms": ["Amina Otieno"]},
    ]
    relations = [
        {"type": "HOLDS_POSITION", "subject": "Amina Otieno", "object": home, "evidence": text}
    ]
    return {
        "id": f"d{n:02d}",
        "lang": "en",
        "text": text,
        "entities": entities,
        "relations": relations,
        "events": [],
    }


def test_training_is_deterministic_and_learns_from_the_gold_relations(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    docs = [gold_doc(n) for n in range(20)]
    # The second run has a relation model set: training reads the rules alone all the same.
    for said in train_twice(tmp_path, "train-relations", docs, "GEOKG_RELATIONS_MODEL"):
        assert "40 candidates (20 right)" in said  # each person with each state
    trained = RelationModel.read(tmp_path / "a.json", MODEL_FORMAT)
    # The state before the name was the post's every time, the one after it never.
    first, after = (
        trained.weights.get(f"HOLDS_POSITION.order:{order}", 0.0)
        for order in ("holder_first", "person_first")
    )
    assert first > after
