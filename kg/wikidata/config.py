"""Configuration of the Wikidata clients: endpoints, politeness, offline switch.

Endpoints are configuration, not constants: every command takes
``--wikidata-api`` / ``--wikidata-sparql`` (or $GEOKG_WIKIDATA_API /
$GEOKG_WIKIDATA_SPARQL), so users can point geokg at a mirror, their own
Wikibase, or a test server.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, replace
from pathlib import Path

from kg import __version__
from kg.paths import cache_dir

DEFAULT_API_URL = "https://www.wikidata.org/w/api.php"
DEFAULT_SPARQL_URL = "https://query.wikidata.org/sparql"

# Wikimedia's User-Agent policy asks for a tool name, version and a way to
# contact the operator; GEOKG_CONTACT lets a deployment put its own address.
DEFAULT_CONTACT = "https://github.com/geokg/geokg/issues"

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})


def env_flag(name: str) -> bool:
    """True when the environment variable is set to a yes-like word."""
    return os.environ.get(name, "").strip().lower() in TRUE_WORDS


def user_agent(contact: str | None = None) -> str:
    """A User-Agent that names the tool, its version and a contact."""
    contact = contact or os.environ.get("GEOKG_CONTACT") or DEFAULT_CONTACT
    return f"geokg/{__version__} ({contact}) python-requests"


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to wait before retrying a failed request.

    The wait doubles per attempt (with jitter so that parallel clients do not
    retry in lockstep) up to ``max_wait``; a server's ``Retry-After`` wins when
    it asks for longer, but never beyond ``max_wait``.
    """

    retries: int = 4
    backoff: float = 2.0
    max_wait: float = 60.0

    def wait(self, attempt: int, retry_after: float | None = None) -> float:
        base = self.backoff * (2**attempt) * (1 + 0.1 * random.random())
        if retry_after is not None:
            base = max(base, retry_after)
        return min(base, self.max_wait)


@dataclass(frozen=True)
class WikidataConfig:
    """Everything a Wikidata client needs to know, passed as one object."""

    api_url: str = DEFAULT_API_URL
    sparql_url: str = DEFAULT_SPARQL_URL
    offline: bool = False
    user_agent: str = ""
    timeout: float = 30.0
    sparql_timeout: float = 120.0
    maxlag: int = 5  # Wikimedia's recommended value for non-interactive clients
    retry: RetryPolicy = RetryPolicy()
    cache_path: Path | None = None  # None: <cache_dir>/wikidata.sqlite
    cache_ttl: float = 7 * 24 * 3600.0  # seconds; Wikidata changes slowly
    use_cache: bool = True

    @classmethod
    def from_env(cls, **overrides: object) -> WikidataConfig:
        """The configuration from $GEOKG_* variables, then explicit overrides.

        Overrides that are None are ignored, so CLI options can be passed
        through unconditionally.
        """
        config = cls(
            api_url=os.environ.get("GEOKG_WIKIDATA_API") or DEFAULT_API_URL,
            sparql_url=os.environ.get("GEOKG_WIKIDATA_SPARQL") or DEFAULT_SPARQL_URL,
            offline=env_flag("GEOKG_OFFLINE"),
            user_agent=user_agent(),
        )
        given = {key: value for key, value in overrides.items() if value is not None}
        return replace(config, **given)  # type: ignore[arg-type]

    @property
    def agent(self) -> str:
        return self.user_agent or user_agent()

    def resolved_cache_path(self) -> Path:
        return self.cache_path or cache_dir() / "wikidata.sqlite"
