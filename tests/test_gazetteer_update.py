"""``kg gazetteer update`` against the real Oxigraph server holding a
Wikidata-shaped graph: snapshot contents, manifest, resuming after an
interruption, and the linker picking the snapshot up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures.wikidata.servers import FakeWikidata, OxigraphServer

from kg.cli import cli
from kg.wikidata.config import RetryPolicy, WikidataConfig
from kg.wikidata.errors import WikidataError
from kg.wikidata.gazetteer_update import (
    UpdateOptions,
    current_snapshot,
    load_pulls,
    render,
    update_gazetteer,
    wd_terms,
)
from kg.wikidata.sparql import SparqlClient


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache of this test's own: snapshots must not leak into other tests."""
    monkeypatch.setenv("GEOKG_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def read_snapshot(path: Path) -> dict[str, dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {item["qid"]: item for item in map(json.loads, lines)}


def test_cli_update_writes_a_versioned_snapshot(oxigraph: OxigraphServer, cache: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["gazetteer", "update", "--endpoint", oxigraph.query_url, "--langs", "id,en,ru"]
        + ["--page-size", "2"],
    )
    assert result.exit_code == 0, result.output
    snapshot = current_snapshot()
    assert snapshot is not None and snapshot.name.startswith("wikidata-")
    assert str(snapshot) in result.output
    items = read_snapshot(snapshot)

    russia = items["Q159"]
    assert russia["type"] == "state"
    assert russia["labels"] == {"en": "Russia", "id": "Rusia", "ru": "Россия"}
    assert russia["aliases"] == {"en": ["Russian Federation"]}  # "uk" was not asked for
    assert russia["retrieved"].endswith("Z") and russia["classes"] == ["Q3624078"]
    assert items["Q458"]["type"] == "organization"  # via regional org. subclass of IGO
    assert items["Q318693"]["type"] == "alliance"
    assert items["Q99659280"]["type"] == "conflict"
    assert items["Q44302"]["type"] == "region"
    assert "Q990000099" not in items  # no name in the chosen languages

    minister = items["Q990000002"]
    assert minister["type"] == "person" and minister["pulls"] == ["foreign-ministers"]
    assert minister["positions"] == [{"position": "Q990000012", "start": "2021-08-19"}]
    assert items["Q7035479"]["pulls"] == ["heads-of-government"]

    manifest = json.loads((snapshot.parent / "manifest.json").read_text())
    assert manifest["current"] == snapshot.name
    assert manifest["snapshots"][-1]["items"] == len(items)
    assert manifest["snapshots"][-1]["languages"] == ["id", "en", "ru"]
    assert not list(snapshot.parent.glob("partial-*"))  # work folder cleaned up


def test_only_chosen_classes_are_pulled(oxigraph: OxigraphServer, cache: Path) -> None:
    client = SparqlClient(WikidataConfig(sparql_url=oxigraph.query_url))
    options = UpdateOptions(endpoint=oxigraph.query_url, pulls=("military-alliances",))
    result = update_gazetteer(client, options)
    assert set(read_snapshot(result.snapshot)) == {"Q318693", "Q7184"}


def test_unknown_class_pull_is_a_clear_error(oxigraph: OxigraphServer, cache: Path) -> None:
    result = CliRunner().invoke(
        cli, ["gazetteer", "update", "--endpoint", oxigraph.query_url, "--classes", "unicorns"]
    )
    assert result.exit_code != 0
    assert "unknown class pull(s): unicorns" in str(result.exception)


def test_templates_refuse_anything_but_ids() -> None:
    with pytest.raises(WikidataError):
        wd_terms(["Q1 } ; DROP ALL ; {"])
    query = render("labels.rq", ITEMS=wd_terms(["Q1"]), LANGS='"en"')
    assert "{{" not in query and not query.startswith("#")
    assert {p.name for p in load_pulls()} >= {"sovereign-states", "foreign-ministers"}


def test_interrupted_update_resumes(relay: FakeWikidata, cache: Path) -> None:
    relay.reset()
    config = WikidataConfig(retry=RetryPolicy(retries=0), sparql_timeout=5)
    client = SparqlClient(config, endpoint=relay.sparql_url)
    options = UpdateOptions(endpoint=relay.sparql_url, page_size=2, progress=False)

    relay.sparql_fail_after = 9  # the endpoint goes down part-way through
    with pytest.raises(WikidataError, match="HTTP 503"):
        update_gazetteer(client, options)
    (work,) = (cache / "snapshots").glob("partial-*")
    state = json.loads((work / "state.json").read_text())
    assert state["pulls"]["sovereign-states"]["pages"] >= 1
    assert current_snapshot() is None

    relay.sparql_fail_after = None  # back up: run again
    before = len(relay.log)
    result = update_gazetteer(client, options)
    assert result.pages_resumed >= 2
    assert not work.exists()

    # The resumed snapshot is the one a clean run makes.
    fresh = update_gazetteer(SparqlClient(config, endpoint=relay.sparql_url), options)
    strip = lambda items: {q: {**i, "retrieved": ""} for q, i in items.items()}  # noqa: E731
    assert strip(read_snapshot(result.snapshot)) == strip(read_snapshot(fresh.snapshot))
    assert len(relay.log) - before > 0


def test_linker_uses_the_snapshot(oxigraph: OxigraphServer, cache: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "doc.jsonl"
    text = "Delegasi tersebut dipimpin oleh Sekretaris Jenderal CSTO Armen Testoyan dari Armenia."
    corpus.write_text(json.dumps({"id": "t1", "text": text, "lang": "id"}) + "\n")

    def testoyan_qids() -> set[str | None]:
        result = CliRunner().invoke(cli, ["extract", str(corpus)])
        assert result.exit_code == 0, result.output
        entities = json.loads(result.output.splitlines()[0])["entities"]
        return {e["qid"] for e in entities if "Testoyan" in e["label"]}

    assert testoyan_qids() == {None}  # found as a person, but not linkable offline
    update = ["gazetteer", "update", "--endpoint", oxigraph.query_url, "--langs", "id,en"]
    assert CliRunner().invoke(cli, update).exit_code == 0
    assert testoyan_qids() == {"Q990000002"}


def test_offline_update_is_refused_before_any_request(relay: FakeWikidata, cache: Path) -> None:
    relay.reset()
    update = ["gazetteer", "update", "--endpoint", relay.sparql_url, "--offline"]
    result = CliRunner().invoke(cli, update)
    assert result.exit_code != 0 and "offline" in str(result.exception)
    assert relay.log == [] and current_snapshot() is None
