"""Shared test fixtures.

Tests that need the evaluation kit (``../shared`` beside the clone) use the
``shared_dir`` fixture: in CI it is there; in a user's clone it is not, and
those tests skip with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures.wikidata.servers import SUBSET_TTL, FakeWikidata, OxigraphServer

PROJECT_DIR = Path(__file__).resolve().parent.parent
SEED = PROJECT_DIR / "seeds" / "jitunews-2022-09-16-armenia-csto.txt"


def _find_shared() -> Path | None:
    candidates = [os.environ.get("GEOKG_SHARED"), PROJECT_DIR.parent / "shared"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "eval" / "FORMAT.md").exists():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    found = _find_shared()
    if found is None:
        pytest.skip("needs ../shared (the evaluation kit beside the clone); present in CI")
    return found


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep every test's caches out of the user's home, shared across the session.

    Session-scoped, so that module-scoped fixtures (stores built once per module) use
    it too; a test that sets GEOKG_CACHE itself with ``monkeypatch`` gets this back."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GEOKG_CACHE", str(tmp_path_factory.getbasetemp() / "geokg-cache"))
        yield


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """The real Oxigraph server on 127.0.0.1, loaded with the Wikidata-shaped fixture."""
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph"), SUBSET_TTL)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def relay(oxigraph: OxigraphServer) -> Iterator[FakeWikidata]:
    """A local Action API server that relays SPARQL to ``oxigraph``."""
    server = FakeWikidata(sparql_upstream=oxigraph.query_url)
    yield server
    server.stop()
