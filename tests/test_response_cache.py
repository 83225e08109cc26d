"""The response cache's bookkeeping (kg.server.cache.ResponseCache): bytes, order, generations.

Its use by the running server (ETags, 304, invalidation by /update, what is never kept) is
tested over HTTP in test_server.py.
"""

from __future__ import annotations

from kg.server.cache import CachedAnswer, CacheKey, ResponseCache


def answer(body: bytes) -> CachedAnswer:
    return CachedAnswer(200, ((b"content-type", b"text/plain"),), body, b'"tag"')


def key(path: str) -> CacheKey:
    return (path, b"", b"text/html", b"127.0.0.1")


def test_least_recently_used_answer_goes_first() -> None:
    one = answer(b"x" * 1000)
    cache = ResponseCache(max_bytes=10 * one.size)
    paths = [f"/{n}" for n in range(10)]
    for path in paths:
        cache.put(key(path), answer(b"x" * 1000), cache.generation)
    assert cache.get(key("/0")) is not None  # /0 is now the most recently used
    cache.put(key("/new"), answer(b"x" * 1000), cache.generation)
    assert cache.get(key("/1")) is None
    assert all(cache.get(key(p)) is not None for p in ["/0", *paths[2:], "/new"])
    assert cache.bytes_held == 10 * one.size <= cache.max_bytes


def test_an_answer_too_large_for_its_share_is_not_kept() -> None:
    cache = ResponseCache(max_bytes=10_000)
    cache.put(key("/big"), answer(b"x" * 2_000), cache.generation)
    assert cache.get(key("/big")) is None and len(cache) == 0


def test_replacing_an_answer_counts_its_bytes_once() -> None:
    cache = ResponseCache(max_bytes=1_000_000)
    cache.put(key("/a"), answer(b"x" * 100), cache.generation)
    cache.put(key("/a"), answer(b"y" * 300), cache.generation)
    assert len(cache) == 1 and cache.bytes_held == answer(b"y" * 300).size


def test_an_answer_begun_before_a_change_is_not_kept() -> None:
    cache = ResponseCache(max_bytes=1_000_000)
    started = cache.generation
    cache.put(key("/a"), answer(b"old"), started)
    cache.invalidate()  # an update lands while /b is being worked out
    cache.put(key("/b"), answer(b"stale"), started)
    assert cache.get(key("/a")) is None and cache.get(key("/b")) is None
    cache.put(key("/b"), answer(b"fresh"), cache.generation)
    assert cache.get(key("/b")) == answer(b"fresh") and cache.bytes_held > 0
