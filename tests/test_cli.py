"""Every command through the real ``kg`` console script, on the real embedded store.

The seed article is built once per module into a temporary store; the
commands then run against it as a user would run them, from another folder.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

KG = [sys.executable, "-m", "kg"]

SEED_QIDS = {"Q399", "Q227", "Q318693", "Q7035479", "Q44302", "Q159", "Q184"}


def run_kg(*args: str | Path, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("GEOKG_STORE", None)
    result = subprocess.run(
        [*KG, *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    if check and result.returncode != 0:
        raise AssertionError(f"kg {args} failed ({result.returncode}): {result.stderr}")
    return result


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working folder that is not the repository: commands must not care."""
    return tmp_path_factory.mktemp("cwd")


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory: pytest.TempPathFactory, seed_path: Path, elsewhere: Path) -> Path:
    store = tmp_path_factory.mktemp("stores") / "seed-store"
    result = run_kg("build", seed_path, "--store", store, cwd=elsewhere)
    assert "Built 1 document(s)" in result.stdout
    return store


def dump_nquads(store: Path) -> list[str]:
    from pyoxigraph import RdfFormat, Store

    data = Store.read_only(str(store)).dump(format=RdfFormat.N_QUADS)
    return sorted(data.decode().splitlines())


def test_build_summary_reports_counts(seed_store: Path, seed_path: Path, elsewhere: Path) -> None:
    # A second build of the same input adds nothing and leaves the store identical.
    before = dump_nquads(seed_store)
    result = run_kg("build", seed_path, "--store", seed_store, cwd=elsewhere)
    assert "+0 quads" in result.stdout and "1 unchanged document(s) skipped" in result.stdout
    assert dump_nquads(seed_store) == before


def test_extract_prints_the_documented_format(seed_path: Path, elsewhere: Path) -> None:
    out = elsewhere / "seed.jsonl"
    run_kg("extract", seed_path, "-o", out, cwd=elsewhere)
    [line] = out.read_text(encoding="utf-8").splitlines()
    doc = json.loads(line)
    assert doc["format"] == "geokg-extract/1"
    assert doc["published"] == "2022-09-16T08:40:00+07:00"
    assert doc["lang"] == "id"
    qids = {e["qid"] for e in doc["entities"]}
    assert qids >= SEED_QIDS
    people = {e["label"] for e in doc["entities"] if e["type"] == "person" and e["qid"] is None}
    assert {"Stanislav Zas", "Anatoly Sidorov"} <= people
    text = (seed_path).read_text(encoding="utf-8")
    for entity in doc["entities"]:
        for mention in entity["mentions"]:
            assert text[mention["start"] : mention["end"]] == mention["text"]
    by_qid = {e["qid"]: e for e in doc["entities"] if e["qid"]}
    assert "Yerevan" in {m["text"] for m in by_qid["Q399"]["mentions"]}
    assert "Baku" in {m["text"] for m in by_qid["Q227"]["mentions"]}


def test_extract_to_stdout_matches_file(seed_path: Path, elsewhere: Path) -> None:
    result = run_kg("extract", seed_path, cwd=elsewhere)
    assert json.loads(result.stdout)["id"] == "jitunews-2022-09-16-armenia-csto"


def test_query_members_of_organization(seed_store: Path, elsewhere: Path) -> None:
    result = run_kg(
        "query", "members-of-organization", "--param", "org=Q318693",
        "--store", seed_store, "--format", "csv", cwd=elsewhere,
    )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert any("Q399" in value for row in rows for value in row.values())


def test_query_formats_and_a_query_file(seed_store: Path, elsewhere: Path) -> None:
    query = elsewhere / "count.rq"
    query.write_text("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }\n")
    as_json = json.loads(
        run_kg("query", query, "--store", seed_store, "--format", "json", cwd=elsewhere).stdout
    )
    assert int(as_json[0]["n"]) > 0
    table = run_kg("query", query, "--store", seed_store, cwd=elsewhere).stdout
    assert "n" in table.splitlines()[0]


def test_query_unknown_name_is_one_line_error(seed_store: Path, elsewhere: Path) -> None:
    result = run_kg("query", "no-such-query", "--store", seed_store, cwd=elsewhere, check=False)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "no-such-query" in result.stderr


def test_validate_passes_on_the_seed_store(seed_store: Path, elsewhere: Path) -> None:
    result = run_kg("validate", "--store", seed_store, cwd=elsewhere)
    assert "conforms" in result.stdout.lower()


def test_stats_counts_classes_graphs_languages(seed_store: Path, elsewhere: Path) -> None:
    result = run_kg("stats", "--store", seed_store, "--format", "json", cwd=elsewhere)
    stats = json.loads(result.stdout)
    assert stats["languages"].get("id") == 1
    assert any(g.endswith("/graph/jitunews-2022-09-16-armenia-csto") for g in stats["graphs"])
    assert any(g.endswith("/void") for g in stats["graphs"]), "build did not describe the dataset"
    assert any(count > 0 for count in stats["classes"].values())


def test_bad_input_leaves_the_store_as_it_was(
    seed_store: Path, tmp_path: Path, elsewhere: Path
) -> None:
    before = dump_nquads(seed_store)
    corpus = tmp_path / "corpus.jsonl"
    good = json.dumps({"id": "ok", "text": "Armenia and Azerbaijan signed a deal."})
    corpus.write_text(good + "\n" + '{"id": "bad", "text": \n', encoding="utf-8")
    result = run_kg("build", corpus, "--store", seed_store, cwd=elsewhere, check=False)
    assert result.returncode == 2
    [message] = result.stderr.strip().splitlines()
    assert f"{corpus}:2: malformed JSON" in message
    assert dump_nquads(seed_store) == before


def test_help_lists_every_command(elsewhere: Path) -> None:
    result = run_kg("--help", cwd=elsewhere)
    for command in ("build", "extract", "query", "validate", "stats", "evaluate"):
        assert command in result.stdout


def test_build_without_describe_leaves_no_void_graph(
    seed_path: Path, tmp_path: Path, elsewhere: Path
) -> None:
    store = tmp_path / "store"
    run_kg("build", seed_path, "--store", store, "--no-describe", cwd=elsewhere)
    stats = json.loads(run_kg("stats", "--store", store, "--format", "json", cwd=elsewhere).stdout)
    assert not any(g.endswith("/void") for g in stats["graphs"])
    assert any(g.endswith("/graph/jitunews-2022-09-16-armenia-csto") for g in stats["graphs"])
