"""Page boilerplate yields no events; the seed article yields what issue 4 asks for."""

from __future__ import annotations

from pathlib import Path

import pytest
from extraction_helpers import entities_from, events_of, relation_tuples, tuples

from kg.documents import read_documents
from kg.extraction import extract_events, extract_relations
from kg.extraction.boilerplate import content_sentences, is_byline, looks_like_pasted_headline
from kg.extraction.lexicon import load_lexicon
from kg.model import Document

SEED_FORMS = {
    "Armenia": ("state", ["Armenia", "Yerevan"]),
    "Azerbaijan": ("state", ["Azerbaijan", "Baku"]),
    "CSTO": ("alliance", ["CSTO"]),
    "Russia": ("state", ["Rusia", "Moskow"]),
    "Belarus": ("state", ["Belarusia"]),
    "Nikol Pashinyan": ("person", ["Nikol Pashinyan", "Pashinyan"]),
    "Stanislav Zas": ("person", ["Stanislav Zas"]),
    "Anatoly Sidorov": ("person", ["Anatoly Sidorov"]),
    "Nagorno-Karabakh": ("region", ["Nagorno-Karabakh"]),
    "Armed Forces of Azerbaijan": ("armed_forces", ["Angkatan Bersenjata Azerbaijan"]),
    "Vladimir Putin": ("person", ["Vladimir Putin"]),
    "Europe": ("region", ["Eropa"]),
    "Venezuela": ("state", ["Venezuela"]),
    "OPEC": ("organization", ["OPEC"]),
}


@pytest.mark.parametrize(
    "line",
    [
        "Jubir Vladimir Putin: Eropa Bukan Satu-satunya Konsumen Gas Alam Rusia",
        "Presiden Venezuela Desak OPEC Tetapkan Harga Minyak Dunia di Level $100 per Barel",
        "Armenia Accuses Azerbaijan Of Fresh Border Attacks",
    ],
)
def test_pasted_headlines_look_like_headlines(line: str) -> None:
    assert looks_like_pasted_headline(line)


@pytest.mark.parametrize(
    "line",
    [
        "PM Armenia mengatakan bahwa pihaknya sudah meminta CSTO untuk memberikan dukungan militer",
        "Azerbaijan accused Armenia of provocations.",
        "Finland joins NATO as 31st member",
    ],
)
def test_article_lines_are_not_headlines(line: str) -> None:
    assert not looks_like_pasted_headline(line)


def test_a_byline_is_boilerplate() -> None:
    assert is_byline("RABU, 29 JANUARI 2025 | 17:09 WIB | LAPORAN: HANI FATUNNISA")
    assert not is_byline("Azerbaijan accused Armenia of provocations.")


def test_a_pasted_headline_between_paragraphs_yields_no_event() -> None:
    text = (
        "Azerbaijan accused Armenia of provocations.\n"
        "Presiden Venezuela Desak OPEC Tetapkan Harga Minyak Dunia di Level $100 per Barel\n"
        "Armenia denied the claim."
    )
    events = events_of(text, "id", SEED_FORMS)
    assert not any("Venezuela" in e.actor or "OPEC" in e.recipient for e in events)


def test_read_more_teaser_is_dropped_but_a_glued_sentence_kept() -> None:
    text = (
        "Intro.\nBACA JUGA: Putin Ancam Barat Soal Perang NuklirFinlandia bergabung pada April.\n"
        "Baca Juga: Rusia Menyerang Ukraina\n"
    )
    doc = Document(id="t", text=text, lang="id")
    kept = [s.text for s in content_sentences(doc, load_lexicon("id"))]
    assert kept == ["Intro.", "Finlandia bergabung pada April."]


def test_photo_caption_gives_no_event_but_keeps_the_posts() -> None:
    text = (
        "Armenian Prime Minister Nikol Pashinyan met Russia (Photo by Jane Doe / AFP)\n"
        "Nothing else happened."
    )
    forms = {**SEED_FORMS, "Russia": ("state", ["Russia"])}
    doc = Document(id="t", text=text, lang="en")
    entities = entities_from(text, forms)
    assert extract_events(doc, entities) == []
    assert ("HOLDS_POSITION", "Nikol Pashinyan", "Armenia") in relation_tuples(
        extract_relations(doc, entities)
    )


@pytest.fixture(scope="module")
def seed(seed_path: Path) -> tuple[Document, list]:
    doc = next(read_documents([seed_path]))
    return doc, entities_from(doc.text, SEED_FORMS)


def test_seed_events(seed: tuple[Document, list]) -> None:
    doc, entities = seed
    events = extract_events(doc, entities)
    found = tuples(events)
    assert ("REQUEST", ("Armenia",), ("CSTO",)) in found
    assert ("ASSAULT", ("Armenia", "Azerbaijan"), ()) in found
    assert ("COERCE", ("Azerbaijan",), ("Armenia",)) in found
    assert ("MOBILIZE", ("CSTO",), ("Armenia",)) in found
    assert ("ACCUSE", ("Azerbaijan",), ("Armenia",)) in found
    assert ("REJECT", ("Armenia",), ("Azerbaijan",)) in found
    assert ("AGREE", ("Armenia", "Azerbaijan"), ()) in found
    assert ("CONSULT", ("Russia",), ("Armenia", "Azerbaijan")) in found
    by_type = {e.type: e for e in events}
    assert by_type["REQUEST"].mode == "assist"
    assert by_type["COERCE"].claimed
    assert by_type["MOBILIZE"].date == "2022-09-14" and by_type["MOBILIZE"].mode == "mission"
    assert by_type["CONSULT"].mode == "third-party" and by_type["CONSULT"].date == "2020"
    # The clashes of this week and the 2020 war are two events; each is one event.
    assaults = [e for e in events if e.type == "ASSAULT"]
    assert {e.date for e in assaults} >= {"2020", "2022-09"}
    assert any(e.more_evidence for e in assaults)


def test_seed_pasted_headlines_yield_no_event(seed: tuple[Document, list]) -> None:
    doc, entities = seed
    for event in extract_events(doc, entities):
        for span in [event.evidence, *event.more_evidence]:
            assert "Jubir" not in span.text and "Desak OPEC" not in span.text
        assert not {"Venezuela", "OPEC", "Vladimir Putin", "Europe"} & set(
            event.actor + event.recipient
        )


def test_seed_relations(seed: tuple[Document, list]) -> None:
    doc, entities = seed
    relations = extract_relations(doc, entities)
    found = relation_tuples(relations)
    assert {
        ("MEMBER_OF", "Armenia", "CSTO"),
        ("LEADS", "Russia", "CSTO"),
        ("HOLDS_POSITION", "Nikol Pashinyan", "Armenia"),
        ("HOLDS_POSITION", "Stanislav Zas", "CSTO"),
        ("HOLDS_POSITION", "Anatoly Sidorov", "CSTO"),
        ("CITIZEN_OF", "Stanislav Zas", "Belarus"),
        ("CITIZEN_OF", "Anatoly Sidorov", "Russia"),
        ("PART_OF", "Nagorno-Karabakh", "Azerbaijan"),
    } <= found
    posts = {r.subject: r.extra for r in relations if r.type == "HOLDS_POSITION"}
    assert posts == {
        "Nikol Pashinyan": "prime minister",
        "Stanislav Zas": "secretary general",
        "Anatoly Sidorov": "chief of the joint staff",
    }
    dispute = next(r for r in relations if r.type == "TERRITORIAL_DISPUTE")
    assert {dispute.subject, dispute.object} == {"Armenia", "Azerbaijan"}
    assert dispute.extra == "Nagorno-Karabakh"


def test_seed_request_keeps_the_speaker_from_its_second_report(seed: tuple[Document, list]) -> None:
    doc, entities = seed
    request = next(e for e in extract_events(doc, entities) if e.type == "REQUEST")
    assert request.more_evidence and request.actor_persons == ["Nikol Pashinyan"]
