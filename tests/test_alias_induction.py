"""Aliases induced from the corpus (kg.linking.alias_induction): what is learnt, what not.

The documents are written here; the linker is the real one, over the real index without
the induced file, so "missed" means what linking really misses.
"""

from __future__ import annotations

import pytest

from kg.evaluation.dev import GoldDoc, GoldEntity
from kg.gazetteer import default_snapshots
from kg.gazetteer.index import build_index
from kg.linking import Linker
from kg.linking.alias_induction import induce, to_tsv


@pytest.fixture(scope="module")
def linker() -> Linker:
    return Linker(build_index(default_snapshots(), induced=False))


@pytest.fixture(scope="module")
def known_qid(linker: Linker) -> str:
    """A state the index knows, whatever its QID."""
    found = linker(GoldDoc("q", "en", "Armenia asked for help.", None).document())
    return next(e.qid for e in found if e.qid)


def doc(number: int, text: str, qid: str | None, form: str = "Qwzland") -> GoldDoc:
    entities = [GoldEntity("Armenia", "state", qid, (form,))] if qid else []
    return GoldDoc(f"d{number}", "en", text, None, entities)


def test_a_form_the_gold_gives_twice_and_linking_misses_is_learnt(
    linker: Linker, known_qid: str
) -> None:
    docs = [doc(n, f"Officials of Qwzland met on day {n}.", known_qid) for n in range(3)]
    aliases = induce(docs, linker)
    assert [(a.alias, a.qid, a.lang, a.case, a.documents) for a in aliases] == [
        ("Qwzland", known_qid, "en", "title", 3)
    ]
    assert "Qwzland\t" + known_qid in to_tsv(aliases, len(docs))


def test_a_form_seen_once_or_mostly_naming_nothing_is_not(linker: Linker, known_qid: str) -> None:
    once = [doc(0, "Officials of Qwzland met.", known_qid)]
    assert induce(once, linker) == []
    # Named so in two documents, but present in three more where the gold names nothing.
    mostly_other = [doc(n, "Officials of Qwzland met.", known_qid) for n in range(2)]
    mostly_other += [doc(n, "The Qwzland brand sold well.", None) for n in range(2, 5)]
    assert induce(mostly_other, linker) == []


def test_a_single_character_is_never_an_alias(linker: Linker, known_qid: str) -> None:
    docs = [
        GoldDoc(f"z{n}", "zh", "米方表示。", None, [GoldEntity("x", "state", known_qid, ("米",))])
        for n in range(3)
    ]
    assert induce(docs, linker) == []


def test_a_form_linking_already_finds_teaches_nothing(linker: Linker, known_qid: str) -> None:
    docs = [doc(n, "Armenia asked for help.", known_qid, form="Armenia") for n in range(3)]
    assert induce(docs, linker) == []
