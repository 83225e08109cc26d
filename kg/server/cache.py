"""The front's response cache: a page is worked out once per state of the store.

An entity page is eleven SPARQL queries and a template (about 10 ms of the two cores); the
same page for the same store is the same bytes.  So the front keeps its successful GET
answers, bounded in bytes and evicted least recently used, and answers a repeat from memory,
with an ``ETag`` so a client that has the page already gets a bodyless 304.

When an answer can go stale:

* a read-only server (the default, and every ``--workers N`` above 1) runs
  ``oxigraph serve-read-only``, which sees the store as it was when it opened: nothing the
  front answers can change while it runs;
* a writable server changes only through its own ``/update``, which empties the cache; an
  answer worked out while an update ran is not kept (the generation it started in is gone);
* a SPARQL query whose answer is not a function of the store (``NOW()``, ``RAND()``,
  ``UUID()``, ``STRUUID()``, ``BNODE()``, ``SERVICE``) is never kept, nor are the dumps
  (streamed, and as large as the store) or any answer but a 200 or a 303.

``kg serve --cache-mb 0`` turns it off.
"""

from __future__ import annotations

import hashlib
import re
import urllib.parse
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Answers to keep: a page or RDF document (200) and a minted IRI's redirect (303).
CACHED_STATUSES = frozenset({200, 303})
# Never kept: the dumps are streamed and the size of the store; /update changes it.
UNCACHED_PATHS = re.compile(r"^/(dumps/|update$)")
# SPARQL whose answer is not a function of the store alone.
UNREPEATABLE_QUERY = re.compile(r"\b(now|rand|uuid|struuid|bnode)\s*\(|\bservice\b", re.I)
# A single answer above this share of the cache is not kept (it would evict most others).
LARGEST_SHARE = 8

CacheKey = tuple[str, bytes, bytes, bytes]


@dataclass(frozen=True)
class CachedAnswer:
    status: int
    headers: tuple[tuple[bytes, bytes], ...]  # as the app sent them, ETag included
    body: bytes
    etag: bytes

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 200


class ResponseCache:
    """Answers by request, least recently used evicted first, at most ``max_bytes`` in all.

    Shared by the event loop and Starlette's thread pool, hence the lock.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.generation = 0  # advanced by every change of the store through this server
        self._answers: OrderedDict[CacheKey, CachedAnswer] = OrderedDict()
        self._bytes = 0
        self._lock = Lock()

    def __len__(self) -> int:
        return len(self._answers)

    @property
    def bytes_held(self) -> int:
        return self._bytes

    def get(self, key: CacheKey) -> CachedAnswer | None:
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
            return answer

    def put(self, key: CacheKey, answer: CachedAnswer, generation: int) -> None:
        """Keep ``answer`` unless the store changed since it was started (``generation``)."""
        if answer.size * LARGEST_SHARE > self.max_bytes:
            return
        with self._lock:
            if generation != self.generation:
                return
            previous = self._answers.pop(key, None)
            if previous is not None:
                self._bytes -= previous.size
            self._answers[key] = answer
            self._bytes += answer.size
            while self._bytes > self.max_bytes:
                _, evicted = self._answers.popitem(last=False)
                self._bytes -= evicted.size

    def invalidate(self) -> None:
        """The store changed: forget every answer, and any answer now being worked out."""
        with self._lock:
            self.generation += 1
            self._answers.clear()
            self._bytes = 0


class CachingMiddleware:
    """ASGI middleware answering repeated GETs from a :class:`ResponseCache`."""

    def __init__(self, app: ASGIApp, cache: ResponseCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
        elif scope["method"] == "GET" and _cacheable(scope):
            await self._get(scope, receive, send)
        elif scope["path"] == "/update":
            await self._update(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _get(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = _key(scope)
        answer = self.cache.get(key)
        if answer is not None:
            await _send_cached(answer, _header(scope, b"if-none-match"), send)
            return
        generation = self.cache.generation
        start: Message = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return  # sent with the body, once its ETag is known
            if message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    # A streamed answer: not kept; send what was held back and pass the rest.
                    if start:
                        await send(start)
                        start = {}
                    await send({**message, "body": b"".join(chunks)})
                    chunks.clear()
                    return
                if start:
                    await self._finish(key, start, b"".join(chunks), generation, send)
                    start = {}
                    return
            await send(message)

        await self.app(scope, receive, keep)

    async def _finish(
        self, key: CacheKey, start: Message, body: bytes, generation: int, send: Send
    ) -> None:
        """Send a whole answer with its ETag, and keep it if it may be kept."""
        status = int(start["status"])
        headers = tuple((bytes(k), bytes(v)) for k, v in start.get("headers", []))
        if status in CACHED_STATUSES:
            etag = b'"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode() + b'"'
            headers = (*headers, (b"etag", etag))
            self.cache.put(key, CachedAnswer(status, headers, body, etag), generation)
        await send({**start, "headers": list(headers)})
        await send({"type": "http.response.body", "body": body})

    async def _update(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass an update on; once it has changed the store (2xx), forget every answer."""

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start" and 200 <= message["status"] < 300:
                self.cache.invalidate()
            await send(message)

        await self.app(scope, receive, watch)


def _cacheable(scope: Scope) -> bool:
    if UNCACHED_PATHS.match(scope["path"]):
        return False
    query = scope.get("query_string", b"")
    if not query:
        return True
    text = urllib.parse.unquote_plus(query.decode("latin-1"))
    return UNREPEATABLE_QUERY.search(text) is None


def _key(scope: Scope) -> CacheKey:
    """What an answer depends on: the path and query, and the two headers the front reads
    on a GET (Accept for negotiation, Host for the VoID description's URLs)."""
    return (
        scope["path"],
        scope.get("query_string", b""),
        _header(scope, b"accept"),
        _header(scope, b"host"),
    )


def _header(scope: Scope, name: bytes) -> bytes:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return b""


async def _send_cached(answer: CachedAnswer, if_none_match: bytes, send: Send) -> None:
    if answer.status == 200 and _matches(if_none_match, answer.etag):
        kept = [(k, v) for k, v in answer.headers if k in (b"etag", b"vary", b"link")]
        await send({"type": "http.response.start", "status": 304, "headers": kept})
        await send({"type": "http.response.body", "body": b""})
        return
    await send({"type": "http.response.start", "status": answer.status, "headers": answer.headers})
    await send({"type": "http.response.body", "body": answer.body})


def _matches(if_none_match: bytes, etag: bytes) -> bool:
    if not if_none_match:
        return False
    given = {tag.strip().removeprefix(b"W/") for tag in if_none_match.split(b",")}
    return b"*" in given or etag in given
