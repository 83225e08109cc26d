"""Where geokg finds its data and keeps its caches.

Data that ships with the package (gazetteer, lexicons) lives in ``kg/data``;
the ontology and named queries live at the top of the repository
(``ontology/``, ``queries/``) because users read and edit them as documents.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
PROJECT_DIR = PACKAGE_DIR.parent
ONTOLOGY_DIR = PROJECT_DIR / "ontology"
QUERIES_DIR = PROJECT_DIR / "queries"

# Default store: per user, so every command works the same from any folder.
DEFAULT_STORE = Path(
    os.environ.get("GEOKG_STORE", Path.home() / ".local" / "share" / "geokg" / "store")
)


def cache_dir() -> Path:
    """Directory for derived, rebuildable files (the alias index cache, Wikidata
    snapshots and responses): $GEOKG_CACHE, else $XDG_CACHE_HOME/geokg, else
    ~/.cache/geokg."""
    if os.environ.get("GEOKG_CACHE"):
        root = Path(os.environ["GEOKG_CACHE"])
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        root = (Path(xdg) if xdg else Path.home() / ".cache") / "geokg"
    root.mkdir(parents=True, exist_ok=True)
    return root
