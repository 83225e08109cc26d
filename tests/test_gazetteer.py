"""The alias index: sources, sourcing rules, morphology keys and the cache."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from kg.gazetteer import build_index, default_snapshots, load_index
from kg.gazetteer.index import CASE_EXACT, sources_hash
from kg.gazetteer.normalize import fold, name_keys, word_key, word_variants
from kg.gazetteer.sources import (
    ALIASES_PATH,
    CURATED_PATH,
    SOURCED_PATH,
    curated_entities,
    read_tsv,
    rigour_entities,
)
from kg.paths import DATA_DIR, cache_dir


@pytest.fixture(scope="module")
def index():
    return load_index([])


def qids(index, name: str) -> list[str]:
    return [index.entities[c.entity].qid for c in index.lookup(" ".join(name_keys(name)))]


def test_rigour_and_curated_entities_are_in_one_index(index) -> None:
    assert "Q399" in qids(index, "Armenia")  # rigour
    assert "Q318693" in qids(index, "CSTO")  # curated
    assert "Q884" in qids(index, "Korsel")  # aliases.tsv
    assert index.entity("Q1953").capital_of == "Q399"  # Yerevan, capital of Armenia


def test_every_curated_row_carries_its_evidence() -> None:
    rows = list(read_tsv(CURATED_PATH)) + list(read_tsv(SOURCED_PATH))
    assert len(rows) > 1000
    for row in rows:
        assert row["qid"].startswith("Q"), row
        assert row["evidence"], row["qid"]


def test_extra_aliases_name_only_sourced_qids() -> None:
    known = {e.qid for e in rigour_entities()} | {e.qid for e in curated_entities()}
    known |= {e.qid for e in curated_entities(SOURCED_PATH)}
    for path in (ALIASES_PATH, DATA_DIR / "gazetteer" / "demonyms.tsv"):
        for row in read_tsv(path):
            assert row["qid"] in known, (path.name, row)


def test_build_warns_about_nothing(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="kg.gazetteer.index"):
        build_index([])
    assert not caplog.records


def test_acronyms_must_be_written_exactly(index) -> None:
    candidates = index.lookup("as")
    assert candidates and all(c.case == CASE_EXACT for c in candidates)


def test_russian_cases_share_the_key_of_the_nominative() -> None:
    nominative = word_key("Армения")
    assert nominative in word_variants("Армении", "ru")
    assert nominative in word_variants("Армению", "ru")
    assert word_key("Карабах") in word_variants("Карабахом", "ru")


def test_suffixes_prefixes_and_apostrophes_are_variants() -> None:
    assert "ermenistan" in word_variants("Ermenistan'ın", "tr")
    assert "algerie" in word_variants("l'Algérie", "fr")
    assert "schweden" in word_variants("Schwedens", "de")
    assert "الصين" in word_variants("والصين", "ar")


def test_folding_removes_case_and_marks_but_keeps_letters() -> None:
    assert fold("Orbán") == "orban"
    assert fold("İstanbul") == "istanbul"
    assert fold("Нагорный") == "нагорный"  # й is a letter, not и with a mark


def test_index_is_built_once_then_read_from_its_cache(tmp_path: Path) -> None:
    # How fast the cached index loads is measured by bench/bench_linking.py, not here.
    first = load_index([])
    [cached] = (cache_dir() / "gazetteer").glob(f"index-{sources_hash([])}.pickle")
    built_at = cached.stat().st_mtime_ns
    again = load_index([])
    assert cached.stat().st_mtime_ns == built_at  # read, not rebuilt
    assert len(again) == len(first) > 10_000
    cached.write_bytes(b"not a pickle")  # a damaged cache is rebuilt, not trusted
    assert len(load_index([])) == len(first)


def test_snapshots_extend_the_index_and_change_its_key(tmp_path: Path) -> None:
    snapshot = tmp_path / "states.jsonl"
    item = {
        "qid": "Q159",
        "type": "state",
        "labels": {"en": "Russia"},
        "aliases": {"id": ["Negeri Beruang Merah"]},
        "retrieved": "2026-11-26T00:00:00Z",
        "ignored": True,
    }
    snapshot.write_text(json.dumps(item) + "\n", encoding="utf-8")
    assert sources_hash([snapshot]) != sources_hash([])
    index = load_index([snapshot])
    assert "Q159" in qids(index, "Negeri Beruang Merah")


def test_the_manifest_names_the_current_snapshot(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "snapshots"
    folder.mkdir()
    for name in ("wikidata-1.jsonl", "wikidata-2.jsonl"):
        (folder / name).write_text("", encoding="utf-8")
    monkeypatch.setenv("GEOKG_CACHE", str(tmp_path))
    assert [p.name for p in default_snapshots()] == ["wikidata-1.jsonl", "wikidata-2.jsonl"]
    (folder / "manifest.json").write_text(json.dumps({"current": "wikidata-2.jsonl"}))
    assert [p.name for p in default_snapshots()] == ["wikidata-2.jsonl"]


def test_a_zero_prior_alias_refutes_a_source_name(index) -> None:
    assert "Q458" not in qids(index, "European")  # rigour's weak name, refuted in aliases.tsv
    assert "Q458" in qids(index, "European Union")


def test_preferred_qids_come_from_rigours_own_other_qids(index) -> None:
    assert "Q55" in qids(index, "Netherlands") and "Q29999" not in qids(index, "Netherlands")
    assert "Q35" in qids(index, "Denmark")
