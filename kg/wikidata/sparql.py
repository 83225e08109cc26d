"""A polite client of a SPARQL query service (WDQS, QLever, Oxigraph...), on
SPARQLWrapper.

Same manners as the Action API client: descriptive User-Agent, finite timeout,
retries with doubling backoff on 429/5xx/timeouts honouring ``Retry-After``,
one clear error for a malformed answer, and nothing at all when offline.
Results come back as rows of plain strings (``{"item": "Q1", ...}``): IRIs
of Wikidata entities are shortened to their ids.
"""

from __future__ import annotations

import logging
import time
import urllib.error
from collections.abc import Callable
from typing import Any

from SPARQLWrapper import JSON, POST, SELECT, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
)

from kg.wikidata.client import parse_retry_after
from kg.wikidata.config import WikidataConfig
from kg.wikidata.errors import OfflineError, WikidataError

log = logging.getLogger(__name__)

ENTITY_PREFIX = "http://www.wikidata.org/entity/"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Longer queries go by POST: servers and proxies cap URL length at a few KB.
MAX_GET_QUERY = 2000

Row = dict[str, str]


class _Retry(Exception):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def shorten(term: dict[str, Any]) -> str:
    """A SPARQL JSON term as a string; Wikidata entity IRIs become their ids."""
    value = str(term.get("value", ""))
    if term.get("type") == "uri" and value.startswith(ENTITY_PREFIX):
        return value[len(ENTITY_PREFIX) :]
    return value


def rows_of(payload: Any, endpoint: str) -> list[Row]:
    """The bindings of a SPARQL JSON results document, checked for shape."""
    try:
        bindings = payload["results"]["bindings"]
    except (KeyError, TypeError) as error:
        raise WikidataError(f"{endpoint}: SPARQL answer has no results.bindings") from error
    rows: list[Row] = []
    for binding in bindings:
        row: Row = {name: shorten(term) for name, term in binding.items()}
        # Keep the language tag of literals: labels are filed by language.
        for name, term in binding.items():
            if "xml:lang" in term:
                row[f"{name}__lang"] = str(term["xml:lang"])
        rows.append(row)
    return rows


class SparqlClient:
    """SELECT queries against one SPARQL endpoint."""

    def __init__(
        self,
        config: WikidataConfig | None = None,
        endpoint: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config or WikidataConfig.from_env()
        self.endpoint = endpoint or self.config.sparql_url
        self._sleep = sleep
        self.requests_made = 0

    def select(self, query: str) -> list[Row]:
        """Run a SELECT query; retries transient failures, then gives up clearly."""
        if self.config.offline:
            raise OfflineError(f"SPARQL query to {self.endpoint}")
        policy = self.config.retry
        last = "no attempt made"
        for attempt in range(policy.retries + 1):
            try:
                return rows_of(self._attempt(query), self.endpoint)
            except _Retry as failure:
                last = failure.reason
                if attempt == policy.retries:
                    break
                wait = policy.wait(attempt, failure.retry_after)
                log.warning("%s; retrying in %.1fs", failure.reason, wait)
                self._sleep(wait)
        raise WikidataError(
            f"{self.endpoint}: gave up after {policy.retries + 1} attempts ({last})"
        )

    def _wrapper(self, query: str) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(self.endpoint, agent=self.config.agent)
        wrapper.setQuery(query)
        # SPARQLWrapper guesses the query form with a regex that a word like
        # "update" in a comment fools; this client only ever sends SELECTs.
        wrapper.queryType = SELECT
        wrapper.setReturnFormat(JSON)
        wrapper.setOnlyConneg(True)  # no format=/output= parameters: plain SPARQL protocol
        wrapper.setTimeout(int(max(1, self.config.sparql_timeout)))
        if len(query) > MAX_GET_QUERY:
            wrapper.setMethod(POST)
        return wrapper

    def _attempt(self, query: str) -> Any:
        self.requests_made += 1
        wrapper = self._wrapper(query)
        try:
            result = wrapper.query()
        except QueryBadFormed as error:
            raise WikidataError(f"{self.endpoint} rejected the query: {_short(error)}") from error
        except EndPointNotFound as error:
            raise WikidataError(f"{self.endpoint}: no SPARQL endpoint there (HTTP 404)") from error
        except EndPointInternalError as error:
            raise _Retry(f"{self.endpoint} answered HTTP 500") from error
        except urllib.error.HTTPError as error:
            if error.code in RETRY_STATUSES:
                after = parse_retry_after(error.headers.get("Retry-After"))
                raise _Retry(f"{self.endpoint} answered HTTP {error.code}", after) from error
            raise WikidataError(f"{self.endpoint} answered HTTP {error.code}") from error
        except TimeoutError as error:
            raise _Retry(f"{self.endpoint} timed out") from error
        except urllib.error.URLError as error:
            raise _Retry(f"cannot reach {self.endpoint}: {error.reason}") from error
        except SPARQLWrapperException as error:
            raise WikidataError(f"{self.endpoint}: {_short(error)}") from error
        return self._convert(result)

    def _convert(self, result: Any) -> Any:
        try:
            return result.convert()
        except TimeoutError as error:
            raise _Retry(f"{self.endpoint} timed out while answering") from error
        except ValueError as error:  # json.JSONDecodeError and friends
            raise WikidataError(f"{self.endpoint} answered malformed JSON ({error})") from error


def _short(error: Exception) -> str:
    """The endpoint's own words where SPARQLWrapper kept them, on one line."""
    text = " ".join(str(error).split())
    marker = "Response:"
    if marker in text:
        text = text.split(marker, 1)[1].strip()
    return text[:300] or type(error).__name__
