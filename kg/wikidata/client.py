"""A polite, robust client of the Wikibase Action API (``wbsearchentities``,
``wbgetentities``), on ``requests``.

Politeness, per Wikimedia's API etiquette: a descriptive User-Agent with
contact and version, ``maxlag`` on every request, retries that back off
(doubling, honouring ``Retry-After``) on 429, 5xx and maxlag errors, finite
timeouts, and a persistent cache so that a question is asked once.  Under the
offline switch nothing goes out: cached answers still serve, anything else
raises :class:`OfflineError`.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import requests

from kg.wikidata.cache import ResponseCache, cache_key
from kg.wikidata.config import WikidataConfig
from kg.wikidata.errors import OfflineError, WikidataError

log = logging.getLogger(__name__)

BATCH_SIZE = 50  # wbgetentities accepts at most 50 ids per request
DEFAULT_PROPS = "info|labels|aliases|descriptions|claims"
# Added to each fetched entity (and cached with it): when it came from the API.
RETRIEVED_KEY = "_geokg_retrieved"


@dataclass(frozen=True)
class SearchHit:
    """One result of ``wbsearchentities``."""

    id: str
    label: str
    description: str
    match_type: str  # "label", "alias", "entityId"...
    match_text: str
    match_language: str


class _Retry(Exception):
    """Internal: this attempt failed in a way worth retrying."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (the delta-seconds form only)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff


def chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class WikidataClient:
    """The Action API of one Wikibase (Wikidata by default)."""

    def __init__(
        self,
        config: WikidataConfig | None = None,
        cache: ResponseCache | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config or WikidataConfig.from_env()
        self.cache = cache
        if cache is None and self.config.use_cache:
            self.cache = ResponseCache(self.config.resolved_cache_path(), self.config.cache_ttl)
        self._sleep = sleep
        self._session = requests.Session()
        self._session.headers["User-Agent"] = self.config.agent
        self._session.headers["Accept"] = "application/json"
        self.requests_made = 0  # for reporting and tests

    # -- public API ---------------------------------------------------------

    def search_entities(
        self, text: str, language: str, limit: int = 7, entity_type: str = "item"
    ) -> list[SearchHit]:
        """Items whose label or alias matches ``text`` in ``language``."""
        params = {
            "action": "wbsearchentities",
            "search": text,
            "language": language,
            "uselang": language,
            "type": entity_type,
            "limit": str(limit),
        }
        payload = self._cached_call(params)
        return [self._search_hit(row) for row in payload.get("search", [])]

    def get_entities(
        self,
        ids: Iterable[str],
        languages: Iterable[str] | None = None,
        props: str = DEFAULT_PROPS,
    ) -> dict[str, dict[str, Any]]:
        """Entity JSON by id, fetched 50 at a time; missing ids are left out."""
        langs = "|".join(languages) if languages else None
        wanted = list(dict.fromkeys(ids))
        found: dict[str, dict[str, Any]] = {}
        missing_from_cache = []
        for qid in wanted:
            cached = self._cache_get(self._entity_key(qid, props, langs))
            if cached is not None:
                found[qid] = cached
            else:
                missing_from_cache.append(qid)
        for batch in chunks(missing_from_cache, BATCH_SIZE):
            found.update(self._fetch_batch(batch, props, langs))
        return {qid: found[qid] for qid in wanted if qid in found}

    def close(self) -> None:
        self._session.close()
        if self.cache is not None:
            self.cache.close()

    # -- entities -------------------------------------------------------------

    def _entity_key(self, qid: str, props: str, langs: str | None) -> str:
        return cache_key(self.config.api_url, {"entity": qid, "props": props, "langs": langs or ""})

    def _fetch_batch(
        self, batch: list[str], props: str, langs: str | None
    ) -> dict[str, dict[str, Any]]:
        params = {"action": "wbgetentities", "ids": "|".join(batch), "props": props}
        if langs:
            params["languages"] = langs
        payload = self._call(params)
        retrieved = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        entities = payload.get("entities")
        if not isinstance(entities, dict):
            raise WikidataError(f"{self.config.api_url}: wbgetentities answer has no 'entities'")
        fetched: dict[str, dict[str, Any]] = {}
        for requested, entity in entities.items():
            if not isinstance(entity, dict) or "missing" in entity:
                log.info("Wikidata has no entity %s", requested)
                continue
            entity[RETRIEVED_KEY] = retrieved
            fetched[requested] = entity
            self._cache_put(self._entity_key(requested, props, langs), entity)
        return fetched

    @staticmethod
    def _search_hit(row: dict[str, Any]) -> SearchHit:
        match = row.get("match") or {}
        return SearchHit(
            id=str(row.get("id", "")),
            label=str(row.get("label", "")),
            description=str(row.get("description", "")),
            match_type=str(match.get("type", "")),
            match_text=str(match.get("text", row.get("label", ""))),
            match_language=str(match.get("language", "")),
        )

    # -- transport ----------------------------------------------------------

    def _cached_call(self, params: dict[str, str]) -> dict[str, Any]:
        key = cache_key(self.config.api_url, params)
        cached = self._cache_get(key)
        if cached is not None:
            return dict(cached)
        payload = self._call(params)
        self._cache_put(key, payload)
        return payload

    def _cache_get(self, key: str) -> Any | None:
        return self.cache.get(key) if self.cache is not None else None

    def _cache_put(self, key: str, value: Any) -> None:
        if self.cache is not None:
            self.cache.put(key, value)

    def _call(self, params: dict[str, str]) -> dict[str, Any]:
        """One API request with retries; returns the decoded JSON object."""
        if self.config.offline:
            raise OfflineError(f"Wikidata API request ({params.get('action')})")
        full = {**params, "format": "json", "maxlag": str(self.config.maxlag)}
        policy = self.config.retry
        last = "no attempt made"
        for attempt in range(policy.retries + 1):
            try:
                return self._attempt(full)
            except _Retry as failure:
                last = failure.reason
                if attempt == policy.retries:
                    break
                wait = policy.wait(attempt, failure.retry_after)
                log.warning("%s; retrying in %.1fs", failure.reason, wait)
                self._sleep(wait)
        raise WikidataError(
            f"{self.config.api_url}: gave up after {policy.retries + 1} attempts ({last})"
        )

    def _attempt(self, params: dict[str, str]) -> dict[str, Any]:
        url = self.config.api_url
        self.requests_made += 1
        try:
            response = self._session.get(url, params=params, timeout=self.config.timeout)
        except requests.Timeout as error:
            raise _Retry(f"{url} timed out after {self.config.timeout}s") from error
        except requests.ConnectionError as error:
            raise _Retry(f"cannot connect to {url}: {error.__class__.__name__}") from error
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if response.status_code == 429 or response.status_code >= 500:
            raise _Retry(f"{url} answered HTTP {response.status_code}", retry_after)
        if response.status_code >= 400:
            raise WikidataError(f"{url} answered HTTP {response.status_code}: {response.reason}")
        payload = self._decode(response)
        problem = payload.get("error")
        if isinstance(problem, dict):
            if problem.get("code") == "maxlag":
                # MediaWiki answers maxlag with HTTP 200 (or 503 behind some
                # caches) and a Retry-After; the lag itself is a fallback wait.
                lag = retry_after if retry_after is not None else _as_float(problem.get("lag"))
                raise _Retry(f"{url} is lagged ({problem.get('info', 'maxlag')})", lag)
            code, info = problem.get("code"), problem.get("info", "")
            raise WikidataError(f"{url}: API error {code}: {info}")
        return payload

    def _decode(self, response: requests.Response) -> dict[str, Any]:
        try:
            payload = json.loads(response.content)
        except ValueError as error:
            snippet = response.text[:60].replace("\n", " ")
            raise WikidataError(
                f"{self.config.api_url} answered malformed JSON ({error}); began: {snippet!r}"
            ) from error
        if not isinstance(payload, dict):
            raise WikidataError(f"{self.config.api_url} answered JSON that is not an object")
        return payload


def _as_float(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
