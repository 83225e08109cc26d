"""Shared test fixtures.

Tests that need the evaluation kit (``../shared`` beside the clone) use the
``shared_dir`` fixture: in CI it is there; in a user's clone it is not, and
those tests skip with the reason.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep every test's caches out of the user's home, shared across the session."""
    monkeypatch.setenv("GEOKG_CACHE", str(tmp_path_factory.getbasetemp() / "geokg-cache"))
