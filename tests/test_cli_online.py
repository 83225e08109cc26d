"""``kg extract --online`` against a local server speaking the Wikidata Action API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures.wikidata.servers import FakeWikidata

TEXT = "Delegasi tersebut dipimpin oleh Sekretaris Jenderal CSTO Armen Testoyan dari Armenia."


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeWikidata]:
    server = FakeWikidata()
    yield server
    server.stop()


def extract(path: Path, *options: str) -> dict[str, str | None]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GEOKG_WIKIDATA")}
    result = subprocess.run(
        [sys.executable, "-m", "kg", "extract", str(path), *options],
        capture_output=True, text=True, env=env, timeout=120, check=True,
    )  # fmt: skip
    [line] = result.stdout.splitlines()
    return {e["label"]: e["qid"] for e in json.loads(line)["entities"]}


def test_online_links_what_offline_leaves_unlinked(fake: FakeWikidata, tmp_path: Path) -> None:
    article = tmp_path / "article.jsonl"
    article.write_text(json.dumps({"id": "x", "lang": "id", "text": TEXT}) + "\n")
    offline = extract(article)
    assert offline["Armen Testoyan"] is None and offline["Armenia"] == "Q399"
    online = extract(article, "--online", "--wikidata-api", fake.api_url)
    assert online["Armen Testoyan"] == "Q990000002" and online["Armenia"] == "Q399"
    assert any(entry["params"].get("action") == "wbsearchentities" for entry in fake.log)


def test_online_build_keeps_the_reason_of_each_link(fake: FakeWikidata, tmp_path: Path) -> None:
    from kg.builder import BuildOptions, build
    from kg.store import Store
    from kg.validate import validate_store
    from kg.wikidata.config import WikidataConfig

    article = tmp_path / "article.jsonl"
    article.write_text(json.dumps({"id": "x", "lang": "id", "text": TEXT}) + "\n")
    config = WikidataConfig(api_url=fake.api_url, cache_path=tmp_path / "wd.sqlite")
    build([article], tmp_path / "store", BuildOptions(online=config))
    with Store.open(tmp_path / "store", read_only=True) as store:
        # The document's tally of the entity keeps why it was linked (every annotation level).
        table = store.query(
            "SELECT ?count ?reason WHERE { ?t gk:tallyOf wd:Q990000002 ;"
            " gk:mentionCount ?count ; gk:linkReason ?reason }"
        )
        assert [row[0].value for row in table.rows] == ["1"]
        assert "linked Q990000002" in table.rows[0][1].value
        assert validate_store(store).conforms
