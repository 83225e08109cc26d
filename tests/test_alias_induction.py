"""Aliases induced from the corpus, and forms it refutes (kg.linking.alias_induction): what
is learnt, what not.

The documents are written here; the linker is the real one, over the real index without
the induced file, so "missed" means what linking really misses.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.evaluation.dev import GoldDoc, GoldEntity
from kg.gazetteer import default_snapshots
from kg.gazetteer.index import build_index
from kg.linking import Linker
from kg.linking.alias_induction import induce, refute, refuted_to_tsv, to_tsv


@pytest.fixture(scope="module")
def linker() -> Linker:
    return Linker(build_index(default_snapshots(), induced=False))


@pytest.fixture(scope="module")
def known_qid(linker: Linker) -> str:
    """A state the index knows, whatever its QID."""
    found = linker(GoldDoc("q", "en", "Armenia asked for help.", None).document())
    return next(e.qid for e in found if e.qid)


def doc(
    number: int, text: str, qid: str | None, form: str = "Qwzland", lang: str = "en"
) -> GoldDoc:
    entities = [GoldEntity("Armenia", "state", qid, (form,))] if qid else []
    return GoldDoc(f"d{number}", lang, text, None, entities)


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


def test_a_form_missed_in_two_languages_is_an_alias_in_any(linker: Linker, known_qid: str) -> None:
    # Once in a German lead and once in a Polish one: too few for either language alone.
    docs = [
        doc(0, "Vertreter von Qwzland trafen sich.", known_qid, lang="de"),
        doc(1, "Przedstawiciele Qwzland spotkali się.", known_qid, lang="pl"),
    ]
    aliases = induce(docs, linker)
    assert [(a.alias, a.qid, a.lang, a.documents) for a in aliases] == [
        ("Qwzland", known_qid, "", 2)
    ]
    assert "Qwzland\t" + known_qid + "\t\ttitle\t2\t1.00" in to_tsv(aliases, len(docs))
    # A third language's lead where the form names something else: below the share.
    docs.append(doc(2, "The Qwzland brand sold well.", None))
    docs.append(doc(3, "La marque Qwzland se vend bien.", None, lang="fr"))
    assert induce(docs, linker) == []


def test_a_single_character_is_never_an_alias(linker: Linker, known_qid: str) -> None:
    docs = [
        GoldDoc(f"z{n}", "zh", "米方表示。", None, [GoldEntity("x", "state", known_qid, ("米",))])
        for n in range(3)
    ]
    assert induce(docs, linker) == []


def test_a_form_linking_already_finds_teaches_nothing(linker: Linker, known_qid: str) -> None:
    docs = [doc(n, "Armenia asked for help.", known_qid, form="Armenia") for n in range(3)]
    assert induce(docs, linker) == []


def test_train_aliases_command_writes_the_file(tmp_path: Path, known_qid: str) -> None:
    import json

    from click.testing import CliRunner

    from kg.cli import cli

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    records = [
        {
            "id": f"t{n}",
            "lang": "en",
            "text": f"Officials of Qwzland met on day {n}.",
            "entities": [
                {"label": "x", "type": "state", "qid": known_qid, "surface_forms": ["Qwzland"]}
            ],
            "relations": [],
            "events": [],
        }
        for n in range(3)
    ]
    lines = "".join(json.dumps(record) + "\n" for record in records)
    (corpus / "train.jsonl").write_text(lines, encoding="utf-8")
    output, refuted = tmp_path / "aliases.tsv", tmp_path / "refuted.tsv"
    arguments = ["train-aliases", str(corpus), "-o", str(output), "--refuted-output", str(refuted)]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 0, result.output
    assert "1 aliases in 1 languages (0 in any)" in result.output
    assert "0 refuted forms in 0 languages" in result.output
    rows = [line.split("\t") for line in output.read_text(encoding="utf-8").splitlines()]
    assert ["Qwzland", known_qid, "en", "title", "3", "1.00"] in rows
    assert (
        refuted.read_text(encoding="utf-8").splitlines()[-1]
        == "form\tqid\tlang\twrong\tshare_wrong"
    )


def id_doc(number: int, text: str, entities: list[GoldEntity] | None = None) -> GoldDoc:
    return GoldDoc(f"i{number}", "id", text, None, entities or [])


def test_a_common_word_linked_against_the_gold_is_refuted_in_its_language(linker: Linker) -> None:
    # Indonesian "Para" (a plural marker) is Pará, the Brazilian state, once its accent
    # is folded away; three leads whose gold names no place.
    docs = [
        id_doc(n, f"Para demonstran berkumpul di depan istana pada hari {n}.") for n in range(3)
    ]
    para = {e.qid for e in linker(docs[0].document()) if e.qid}
    assert len(para) == 1, "the linker without refutations takes Para for a place"
    refuted = refute(docs, linker)
    assert [(r.form, r.qid, r.lang, r.wrong, r.share_wrong) for r in refuted] == [
        ("Para", *para, "id", 3, 1.0)
    ]
    assert "Para\t" + next(iter(para)) + "\tid\t3\t1.00" in refuted_to_tsv(refuted, 3)

    triples = [(r.qid, r.form, r.lang) for r in refuted]
    refuting = Linker(build_index(default_snapshots(), induced=True, refuted=triples))
    assert not {e.qid for e in refuting(docs[0].document())} & para
    # Other languages keep the name, and so does the written form that is no common word.
    brazil = GoldDoc("p", "pt", "O governo do Pará anunciou medidas.", None)
    assert {e.qid for e in refuting(brazil.document())} & para


def test_a_name_or_a_form_right_as_often_is_not_refuted(linker: Linker, known_qid: str) -> None:
    # "Eropa" is a name (simplemma does not know it as a common word), though the gold
    # leaves Europe out; "Para" is right in two of the four documents.
    europe = [id_doc(n, f"Para pejabat Eropa bertemu pada hari {n}.") for n in range(3)]
    para = {e.qid for e in linker(europe[0].document()) if e.qid and e.label == "Pará"}
    assert para and not [r for r in refute(europe, linker) if r.form == "Eropa"]
    named = [GoldEntity("Pará", "region", next(iter(para)), ("Para",))]
    mixed = [id_doc(n, f"Para demonstran berkumpul pada hari {n}.") for n in range(2)]
    mixed += [id_doc(n, f"Para demonstran di Belém pada hari {n}.", named) for n in range(2, 4)]
    assert refute(mixed, linker) == []


def test_an_alias_in_any_language_is_read_unbound(
    tmp_path: Path, linker: Linker, known_qid: str
) -> None:
    from kg.gazetteer.sources import induced_alias_rows

    docs = [
        doc(0, "Vertreter von Qwzland trafen sich.", known_qid, lang="de"),
        doc(1, "Przedstawiciele Qwzland spotkali się.", known_qid, lang="pl"),
        doc(2, "Qwzland hat gewählt.", known_qid, lang="de"),
        doc(3, "In Qwzland wurde gewählt.", known_qid, lang="de"),
    ]
    path = tmp_path / "induced.tsv"
    path.write_text(to_tsv(induce(docs, linker), 4), encoding="utf-8")
    rows = {(name.text, name.lang, name.bound, case) for _, name, case in induced_alias_rows(path)}
    assert rows == {("Qwzland", "de", True, "title"), ("Qwzland", None, False, "title")}
