"""The Python API (kg.__all__), used as a notebook would use it."""

from __future__ import annotations

from pathlib import Path

import pytest

import kg

SEED = Path(__file__).resolve().parents[1] / "seeds"


def test_the_public_names_are_listed_and_documented() -> None:
    assert set(kg.__all__) >= {"extract", "build", "open_store", "export", "evaluate"}
    for name in kg.__all__:
        if name != "__version__":
            assert getattr(kg, name).__doc__, name


def test_extract_gives_the_extraction_record() -> None:
    record = kg.extract("Police arrested dozens of protesters in Nairobi, Kenya.", lang="en")
    assert record["format"] == "geokg-extract/1" and record["lang"] == "en"
    assert "Q114" in {e["qid"] for e in record["entities"]}
    generic = {e["sector"] for e in record["entities"] if "sector" in e}
    assert {"police", "protesters"} <= generic


def test_extract_identifies_the_language_when_not_given() -> None:
    assert kg.extract("Armenia meminta bantuan militer dari CSTO.")["lang"] == "id"


def test_build_then_query_and_read_a_table(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    store = tmp_path / "store"
    summary = kg.build(SEED, store=store)
    assert summary.documents == 1 and summary.events > 0
    assert kg.build(SEED, store=store).unchanged == 1  # callable again: no module in the way
    with kg.open_store(store) as opened:
        members = opened.query("members-of-organization", org="Q318693")
        assert any(row["member"] and row["member"].endswith("/Q399") for row in members)
        events = opened.table("events")
        assert isinstance(events, pa.Table) and events.num_rows == summary.events
        assert "event_type" in events.column_names
        with pytest.raises(kg.api.QueryError, match="no table 'nope'"):
            opened.table("nope")


def test_export_and_evaluate_from_python(tmp_path: Path) -> None:
    store = tmp_path / "store"
    kg.build(SEED, store=store)
    result = kg.export(store, "plover", tmp_path / "out")
    assert (tmp_path / "out" / "events.jsonl") in result.data_files
    corpus = Path(__file__).resolve().parents[1] / "news-corpus" / "dev.jsonl"
    report = kg.evaluate(corpus)
    assert report.benchmark == "dev" and report.documents == 90
