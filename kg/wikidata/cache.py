"""A persistent on-disk cache of Wikidata answers (SQLite), with expiry.

Keys are derived from the endpoint and the request parameters; values are the
decoded JSON answers.  Entries older than the time-to-live count as missing,
so a stale answer is refetched rather than trusted forever.  One file serves
every process: SQLite handles the locking.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    key TEXT PRIMARY KEY,
    stored REAL NOT NULL,
    body TEXT NOT NULL
)
"""


def cache_key(url: str, params: Mapping[str, object]) -> str:
    """A stable key for a request: the URL and its sorted parameters."""
    canonical = json.dumps([url, sorted((k, str(v)) for k, v in params.items())])
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class ResponseCache:
    """Answers by request key, each valid for ``ttl`` seconds after storing."""

    def __init__(self, path: Path, ttl: float) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.ttl = ttl
        self._db = sqlite3.connect(str(path), timeout=30)
        self._db.execute(SCHEMA)
        self._db.commit()

    def get(self, key: str, now: float | None = None) -> Any | None:
        """The stored answer, or None when absent or expired."""
        row = self._db.execute("SELECT stored, body FROM answers WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        stored, body = row
        if (now if now is not None else time.time()) - stored > self.ttl:
            return None
        return json.loads(body)

    def put(self, key: str, value: Any, now: float | None = None) -> None:
        stored = now if now is not None else time.time()
        self._db.execute(
            "INSERT OR REPLACE INTO answers (key, stored, body) VALUES (?, ?, ?)",
            (key, stored, json.dumps(value, ensure_ascii=False)),
        )
        self._db.commit()

    def purge_expired(self, now: float | None = None) -> int:
        """Delete expired entries; returns how many went."""
        cutoff = (now if now is not None else time.time()) - self.ttl
        cursor = self._db.execute("DELETE FROM answers WHERE stored < ?", (cutoff,))
        self._db.commit()
        return cursor.rowcount

    def close(self) -> None:
        self._db.close()
