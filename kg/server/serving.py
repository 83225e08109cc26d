"""Running the front under uvicorn: connections, their limits and timeouts, workers, signals.

What guards the server against clients, and where:

- request head: uvicorn's h11 parser buffers at most ``max_head_bytes`` of an unfinished
  head (``h11_max_incomplete_event_size``: 400, connection closed); a longer head that came
  whole is refused by the app (431, ``kg.server.app.HeadSizeLimit``);
- request body: the app checks ``Content-Length`` before reading it (413);
- idle and slow clients: uvicorn's ``timeout_keep_alive`` closes a connection silent for
  ``keep_alive_s`` after a response; ``ClientTimeouts`` also closes one that sends no byte
  for that long after connecting, or whose request head is not whole that long after its
  first byte arrived (a client dripping its headers holds nothing for long);
- a connection costs a socket, not a thread: a thousand idle ones do not delay a new one.

``--workers N``: N uvicorn worker processes on one listening socket, each with its own
``oxigraph serve-read-only`` (RocksDB allows many read-only openers but one writer only, so
``ServerConfig`` refuses N > 1 with an update token).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import os
import signal
import sys
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import h11
import uvicorn
from starlette.applications import Starlette
from uvicorn.protocols.http.h11_impl import H11Protocol

from kg.server.app import create_app
from kg.server.backend import OxigraphBackend
from kg.server.config import ServerConfig

log = logging.getLogger(__name__)

# Workers are fresh processes (uvicorn spawns them): they read their settings from here.
CONFIG_ENV = "GEOKG_SERVE_CONFIG"
# Sent with every response, by uvicorn.  Pages carry no script at all; styles are inline.
SECURITY_HEADERS = {
    "Server": "geokg",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
}


class ClientTimeouts(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, with two timers it lacks, both of ``timeout_keep_alive``
    seconds (``keep_alive_s``; one knob, since uvicorn hands each worker its own config).

    - uvicorn starts its keep-alive timer only after a response, so a client that connects
      and never sends a byte would keep its connection open for ever: here the timer is
      also armed on a new connection (its first byte stops it);
    - once the first byte of a request head has come, uvicorn waits for the rest without
      limit, so a client could drip a header a minute: here the head must be whole within
      the same time, or the connection is closed.
    """

    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.timeout_keep_alive_task = self.loop.call_later(
            self.timeout_keep_alive, self.timeout_keep_alive_handler
        )

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE or self.transport.is_closing():
            self._stop_head_timer()  # the head is whole (or the connection done)
        elif self._head_timer is None:
            self._head_timer = self.loop.call_later(self.timeout_keep_alive, self._head_too_slow)

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_timer()
        super().connection_lost(exc)

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if self.conn.their_state is h11.IDLE:
            log.info("a request head took over %ss: connection closed", self.timeout_keep_alive)
            self.timeout_keep_alive_handler()  # uvicorn's own way of closing an idle connection

    def _stop_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None


def serve(config: ServerConfig) -> None:
    """Run the server until SIGINT or SIGTERM (the ``kg serve`` command)."""
    log.info("serving %s on http://%s:%d/", config.store_path, config.host, config.port)
    if config.workers == 1:
        _serve_in_this_process(config)
    else:
        _serve_with_workers(config)


def _serve_in_this_process(config: ServerConfig) -> None:
    """One process: the backend starts (or fails, as a one-line error) before uvicorn does."""
    with _start_backend(config) as backend:
        # uvicorn stops gracefully on SIGTERM, then raises it again with the handler it found:
        # this one, so that the with-block still stops Oxigraph.
        _exit_on_sigterm()
        app = create_app(config, backend)
        uvicorn.Server(uvicorn.Config(app, **_uvicorn_options(config))).run()


def _serve_with_workers(config: ServerConfig) -> None:
    os.environ[CONFIG_ENV] = _config_to_json(config)
    # uvicorn's supervisor binds the socket, spawns the workers (each imports the factory
    # below), restarts any that dies, and on SIGINT/SIGTERM stops them gracefully.
    uvicorn.run(
        f"{__name__}:worker_app", factory=True, workers=config.workers, **_uvicorn_options(config)
    )


def worker_app() -> Starlette:
    """The app of one worker process, with its own read-only Oxigraph, stopped with it."""
    config = _config_from_json(os.environ[CONFIG_ENV])
    # A spawned process has none of `kg`'s logging set up: warnings, at least, are shown.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    backend = _start_backend(config)

    @contextlib.asynccontextmanager
    async def stop_backend_at_shutdown() -> AsyncIterator[None]:
        try:
            yield
        finally:
            backend.close()

    return create_app(config, backend, stop_backend_at_shutdown())


def _start_backend(config: ServerConfig) -> OxigraphBackend:
    return OxigraphBackend(
        config.store_path,
        writable=config.update_token is not None,
        time_limit_s=config.time_limit_s,
    )


def _uvicorn_options(config: ServerConfig) -> dict[str, Any]:
    return {
        "host": config.host,
        "port": config.port,
        "http": ClientTimeouts,
        "h11_max_incomplete_event_size": config.max_head_bytes,
        "timeout_keep_alive": config.keep_alive_s,
        # A query in progress may finish (it is bounded by the time limit), then we stop.
        "timeout_graceful_shutdown": int(config.time_limit_s) + 5,
        "headers": list(SECURITY_HEADERS.items()),
        "server_header": False,
        "log_config": None,  # keep the logging `kg -v` set up
        "lifespan": "on",
    }


def _exit_on_sigterm() -> None:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))


def _config_to_json(config: ServerConfig) -> str:
    return json.dumps({**dataclasses.asdict(config), "store_path": str(config.store_path)})


def _config_from_json(text: str) -> ServerConfig:
    fields = json.loads(text)
    return ServerConfig(**{**fields, "store_path": Path(fields["store_path"])})
