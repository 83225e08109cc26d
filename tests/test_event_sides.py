"""The trained side chooser (kg.extraction.sides): candidates, choice and training."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from training_helpers import train_twice

from kg.extraction.analysis import analyse
from kg.extraction.side_training import CandidateRecorder
from kg.extraction.sides import (
    MODEL_FORMAT,
    Candidate,
    Party,
    SideModel,
    candidates,
    decode,
    default_side_model,
)
from kg.extraction.words import words_of
from kg.model import Document, Event, Span
from kg.pipeline import default_pipeline

TEXT = "Kenya accused Uganda of violating its border."


def party(ref: str, text: str, kind: str = "mention") -> Party:
    start = TEXT.index(text)
    return Party(ref, "state", None, None, kind, start, start + len(text))


def event(kind: str, actor: list[str], recipient: list[str], negated: bool = False) -> Event:
    return Event(
        type=kind,
        mode=None,
        context=[],
        actor=actor,
        recipient=recipient,
        date=None,
        negated=negated,
        score=0.9,
        evidence=Span(0, len(TEXT), TEXT),
        anchor=TEXT.index("accused"),
    )


PARTIES = [party("Q114", "Kenya"), party("Q1036", "Uganda")]
WORDS = words_of(TEXT, "en")


def test_every_pair_and_every_party_alone_is_a_candidate() -> None:
    found = candidates([event("ACCUSE", ["Q114"], ["Q1036"])], PARTIES, WORDS, "en", {"ACCUSE"})
    pairs = {(c.actor, c.recipient) for c in found}
    assert pairs == {("Q114", "Q1036"), ("Q1036", "Q114"), ("Q114", None), ("Q1036", None)}
    # Only the rules' own reading is marked as theirs.
    assert {(c.actor, c.recipient) for c in found if c.ruled} == {("Q114", "Q1036")}


def test_the_features_say_what_the_rules_read_and_where_each_side_stands() -> None:
    found = candidates([event("ACCUSE", ["Q114"], ["Q1036"])], PARTIES, WORDS, "en", {"ACCUSE"})
    right = next(c for c in found if (c.actor, c.recipient) == ("Q114", "Q1036"))
    swapped = next(c for c in found if (c.actor, c.recipient) == ("Q1036", "Q114"))
    assert "said:pair" in right.features and "said:swapped" in swapped.features
    assert "a.at:just-before" in right.features and "r.at:just-after" in right.features
    assert "a.prev:^" in right.features and "r.prev:accus" in right.features
    assert "ACCUSE|order:actor-first" in right.features
    assert "found:lexicon" in right.features


def test_a_joint_type_offers_each_unordered_pair_once() -> None:
    found = candidates([event("CONSULT", ["Q114", "Q1036"], [])], PARTIES, WORDS, "en", set())
    pairs = [(c.actor, c.recipient) for c in found if c.recipient is not None]
    assert len(pairs) == 1
    assert "said:joint" in found[[c.recipient for c in found].index(pairs[0][1])].features


def test_parties_from_outside_the_sentence_may_take_a_side_it_does_not_name() -> None:
    # "The ministry condemned..." names no state: the article's most named one may act.
    topic = Party("Q30", "state", None, None, "topic0", None, None)
    already_named = Party("Q114", "state", None, None, "previous", None, None)
    proposed = [event("ACCUSE", ["Q114"], ["Q1036"])]
    found = candidates(proposed, PARTIES, WORDS, "en", {"ACCUSE"}, context=[topic, already_named])
    pairs = {(c.actor, c.recipient) for c in found}
    assert {("Q30", "Q1036"), ("Q1036", "Q30"), ("Q30", None)} <= pairs
    from_context = next(c for c in found if (c.actor, c.recipient) == ("Q30", "Q1036"))
    assert "a.kind:topic0" in from_context.features
    assert "a.kind:topic0|state" in from_context.features
    assert not any(f.startswith("a.at:") for f in from_context.features)  # no place in it
    # A party the sentence names stays the sentence's mention, not a second party.
    kenya = next(c for c in found if (c.actor, c.recipient) == ("Q114", "Q1036"))
    assert "a.kind:mention" in kenya.features
    assert len(pairs) == len(found)


def test_a_sentence_is_offered_the_sentence_before_s_and_the_article_s_main_actors() -> None:
    text = (
        "Russia and Belarus held talks in Minsk on Monday. Russia called them useful. "
        "Officials said the weather was cold. "
        "The foreign ministry later condemned an attack on Ukraine."
    )
    doc = Document(id="context", text=text, lang="en")
    recorder = CandidateRecorder()
    analyse(doc, default_pipeline().entities(doc), sides=recorder)
    kinds: dict[int, dict[str, set[str]]] = {}
    for sentence, candidate in recorder.offered:
        for feature in candidate.features:
            if feature.startswith("a.kind:") and "|" not in feature:
                kinds.setdefault(sentence, {}).setdefault(candidate.actor, set()).add(feature)
    # "Russia called them useful": Belarus, named in the sentence before.
    assert kinds[1]["Q184"] == {"a.kind:previous"}
    # The ministry's sentence names no state; the sentence before it names none either:
    # Russia (named twice) and Belarus (once) are the article's main actors.
    assert kinds[2]["Q159"] == {"a.kind:topic0"}
    assert kinds[2]["Q184"] == {"a.kind:topic1"}
    assert kinds[2]["Q212"] == {"a.kind:mention"}


def test_negated_events_are_not_reread() -> None:
    denied = event("ACCUSE", ["Q114"], ["Q1036"], negated=True)
    assert candidates([denied], PARTIES, WORDS, "en") == []


def model(weights: dict[str, float], threshold: float = 0.5) -> SideModel:
    return SideModel(-5.0, weights, threshold)


def test_the_model_keeps_the_rules_pairs_and_adds_the_pairs_it_believes() -> None:
    proposed = [event("ACCUSE", ["Q114"], ["Q1036"]), event("REJECT", [], [])]
    # REJECT was proposed without sides (a detection the structure could not read).
    offered = candidates(proposed, PARTIES, WORDS, "en", {"ACCUSE"}, {"REJECT": 1.2})
    chooser = model({"REJECT|a.at:just-after": 10.0, "REJECT|r.at:just-before": 1.0})
    kept = chooser.choose(proposed, offered, {"ACCUSE"})
    found = {(e.type, tuple(e.actor), tuple(e.recipient)) for e in kept}
    assert ("ACCUSE", ("Q114",), ("Q1036",)) in found  # the rules' pair, whatever the model
    # The model's own: Uganda (after the word) rejects Kenya; Uganda alone is not kept
    # beside it, as one act told twice.
    assert ("REJECT", ("Q1036",), ("Q114",)) in found
    assert ("REJECT", ("Q1036",), ()) not in found
    assert all(e.anchor is not None for e in kept)


def test_a_negated_event_stands_and_a_sideless_one_never_leaks() -> None:
    denied = event("ACCUSE", ["Q114"], ["Q1036"], negated=True)
    sideless = event("REJECT", [], [], negated=True)
    kept = model({}).choose([denied, sideless], [], set())
    assert kept == [denied]


def choice(
    actor: str, recipient: str | None, ruled: bool = False, together: tuple[str, ...] = ()
) -> Candidate:
    return Candidate("ACCUSE", actor, recipient, (), event("ACCUSE", [], []), ruled, together)


def test_decoding_keeps_one_act_per_doer_its_most_probable() -> None:
    scored = [
        (0.6, choice("Q114", "Q1036")),
        (0.8, choice("Q114", "Q30")),
        (0.7, choice("Q114", None)),
        (0.55, choice("Q1036", "Q30")),
        (0.2, choice("Q30", "Q114")),  # under the threshold
    ]
    kept = {(c.actor, c.recipient) for _, c in decode(scored, 0.5)}
    assert kept == {("Q114", "Q30"), ("Q1036", "Q30")}


def test_decoding_keeps_the_recipients_a_rule_read_together() -> None:
    """ "detained 30 journalists, opponents and activists": one act, three recipients."""
    group = ("journalists", "opponents", "activists")
    scored = [
        (0.9, choice("Q811", "opponents", together=group)),
        (0.6, choice("Q811", "journalists", together=group)),
        (0.4, choice("Q811", "activists", together=group)),  # comes with the act
        (0.7, choice("Q811", "Q30")),  # not read with them: another act
    ]
    kept = {c.recipient for _, c in decode(scored, 0.5)}
    assert kept == set(group)


def test_decoding_adds_nothing_to_a_party_the_rules_gave_a_side_in_that_type() -> None:
    """ "Kenya accused Uganda": neither another act of Kenya's nor Uganda's accusing back."""
    scored = [
        (0.1, choice("Q114", "Q1036", ruled=True)),
        (0.9, choice("Q114", "Q30")),
        (0.9, choice("Q1036", "Q114")),
    ]
    kept = [(c.actor, c.recipient) for _, c in decode(scored, 0.5)]
    assert kept == [("Q114", "Q1036")]  # the rules' pair, whatever its probability


def test_the_lexicon_s_events_keep_their_shape() -> None:
    """A mediation the rules read (one mediator, both sides as recipients) stays one event;
    the model re-reads only the detector's types."""
    mediation = event("CONSULT", ["Q159"], ["Q114", "Q1036"])
    offered = candidates([mediation], PARTIES, WORDS, "en", {"CONSULT"})
    assert model({}).choose([mediation], offered, {"CONSULT"}) == [mediation]
    # What the model adds comes beside it, the rules' event untouched.
    believing = model({"bias": 10.0}).choose([mediation], offered, {"CONSULT"})
    assert believing[0] is mediation and len(believing) > 1


def test_the_model_is_not_offered_what_decoding_would_never_keep() -> None:
    """Kenya and Uganda have their sides in the rules' accusation: the model is offered
    no other ACCUSE pair of theirs, and chooses the same as when offered every pair."""
    proposed = [event("ACCUSE", ["Q114"], ["Q1036"]), event("REJECT", [], [])]
    every = candidates(proposed, PARTIES, WORDS, "en", {"ACCUSE"}, {"REJECT": 1.2})
    offered = candidates(proposed, PARTIES, WORDS, "en", {"ACCUSE"}, {"REJECT": 1.2}, False)
    assert [(c.actor, c.recipient) for c in offered if c.type == "ACCUSE"] == [("Q114", "Q1036")]
    assert len(offered) < len(every)
    chooser = model({"bias": 6.0, "REJECT|a.at:just-after": 3.0})
    assert chooser.choose(proposed, offered, {"ACCUSE"}) == chooser.choose(
        proposed, every, {"ACCUSE"}
    )


def test_a_model_file_of_another_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(
        json.dumps({"format": "other", "intercept": 0, "threshold": 0.5, "weights": {}})
    )
    with pytest.raises(ValueError, match=MODEL_FORMAT):
        SideModel.read(path, MODEL_FORMAT)


def test_the_packaged_model_loads() -> None:
    packaged = default_side_model()
    assert packaged is not None
    assert 0 < packaged.threshold < 1 and any(k.startswith("said:") for k in packaged.weights)


# --- training ---------------------------------------------------------------------

STATES = [("Kenya", "Q114"), ("Uganda", "Q1036")]


def gold_doc(n: int) -> dict[str, object]:
    """One accusation, one way or the other, with the gold tuple it makes."""
    (accuser, a), (accused, b) = STATES if n % 2 else STATES[::-1]
    text = f"{accuser} accused {accused} of violating its border on day {n}."
    entities = [
        {"label": label, "qid": qid, "type": "state", "surface_forms": [label]}
        for label, qid in STATES
    ]
    events = [
        {
            "type": "ACCUSE",
            "source_actor": accuser,
            "target_actor": accused,
            "evidence": text,
        }
    ]
    return {"id": f"d{n:02d}", "lang": "en", "text": text, "entities": entities, "events": events}


def test_training_is_deterministic_and_learns_from_the_gold_tuples(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    docs = [gold_doc(n) for n in range(20)]
    # The second run has a side model set: training reads the rules' sides all the same.
    for said in train_twice(tmp_path, "train-sides", docs, "GEOKG_SIDES_MODEL"):
        assert "20 right" in said  # each document's own pair, found by the rules
    trained = SideModel.read(tmp_path / "a.json", MODEL_FORMAT)
    # The rules' pair was right every time, the swapped one never.
    assert trained.weights["said:pair"] > 0 > trained.weights["said:swapped"]
