"""``kg serve`` at the connection level: limits on the request, idle time-outs, workers,
shutdown.  Real server processes on 127.0.0.1 and real sockets; nothing is mocked.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from publishing_support import ServerProcess, build_store
from pyoxigraph import RdfFormat, parse

KEEP_ALIVE_S = 5  # ServerConfig.keep_alive_s
EVENTS = "SELECT ?e WHERE { ?e a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> }"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("connections") / "store")


@pytest.fixture(scope="module")
def server(store: Path) -> Iterator[ServerProcess]:
    running = ServerProcess(store)
    yield running
    running.stop()


def connect(server: ServerProcess) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=KEEP_ALIVE_S + 10)


def read_head(sock: socket.socket) -> bytes:
    """The status line and headers of one response."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def seconds_until_closed(sock: socket.socket) -> float:
    """How long the server keeps a connection open while the client sends nothing."""
    started = time.monotonic()
    while sock.recv(65536):
        pass
    return time.monotonic() - started


def test_over_long_request_head_is_refused(server: ServerProcess) -> None:
    padding = b"X-Padding: " + b"a" * (80 * 1024) + b"\r\n"
    with connect(server) as sock:  # the whole head at once: the app refuses it
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n" + padding + b"\r\n")
        assert read_head(sock).startswith(b"HTTP/1.1 431 ")
    with connect(server) as sock:  # a head still unfinished past the limit: h11 refuses it
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Padding: ")
        for _ in range(2):  # 80 KiB in two reads, and no end of the head
            time.sleep(0.2)
            sock.sendall(b"a" * (40 * 1024))
        assert read_head(sock).startswith(b"HTTP/1.1 400 ")
        assert seconds_until_closed(sock) < 2  # and the connection is closed


def test_over_large_form_body_is_413_and_the_connection_still_serves(server: ServerProcess) -> None:
    body = urllib.parse.urlencode({"query": EVENTS + " #" + "x" * (300 * 1024)}).encode()
    with connect(server) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
        )
        assert read_head(sock).startswith(b"HTTP/1.1 413 ")


def test_chunked_body_is_411(server: ServerProcess) -> None:
    reply = server.request(
        "POST",
        "/sparql",
        {"Content-Type": "application/sparql-query", "Transfer-Encoding": "chunked"},
        None,
    )
    assert reply.status == 411


def test_idle_connections_are_closed_after_the_keep_alive_time(server: ServerProcess) -> None:
    """One connection idles after a response, one never sends a byte: both are closed."""
    with connect(server) as used, connect(server) as silent:
        used.sendall(b"GET /.well-known/void HTTP/1.1\r\nHost: x\r\nAccept: text/turtle\r\n\r\n")
        assert read_head(used).startswith(b"HTTP/1.1 200 ")
        after_response = seconds_until_closed(used)
        assert KEEP_ALIVE_S - 1 < after_response < KEEP_ALIVE_S + 3
        silent.settimeout(1)
        assert silent.recv(1) == b""  # closed by now too, having sent nothing


def test_a_request_head_sent_slowly_is_cut_off(server: ServerProcess) -> None:
    """A client that drips its headers (a byte a second, never ending the head) is closed
    the keep-alive time after its first byte, not held open for as long as it drips."""
    with connect(server) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        sock.settimeout(1)
        started = time.monotonic()
        closed_after = None
        while time.monotonic() - started < KEEP_ALIVE_S + 8:
            try:
                sock.sendall(b"X")
                if sock.recv(1) == b"":
                    closed_after = time.monotonic() - started
                    break
            except TimeoutError:
                continue  # still open, nothing sent back: drip on
            except OSError:  # reset while sending: closed
                closed_after = time.monotonic() - started
                break
        assert closed_after is not None, "a dripping head held its connection open"
        assert KEEP_ALIVE_S - 1 < closed_after < KEEP_ALIVE_S + 3


def test_a_new_request_is_answered_beside_many_idle_connections(server: ServerProcess) -> None:
    idle = [connect(server) for _ in range(300)]
    try:
        started = time.monotonic()
        assert server.get("/entity/Q399", "text/html").status == 200
        assert time.monotonic() - started < 1
    finally:
        for sock in idle:
            sock.close()


def test_dump_is_streamed(server: ServerProcess) -> None:
    reply = server.get("/dumps/geokg.trig")
    assert reply.status == 200 and reply.content_type == "application/trig"
    assert reply.headers.get("transfer-encoding") == "chunked"  # sent as it is read
    graphs = {quad.graph_name for quad in parse(reply.body, format=RdfFormat.TRIG)}
    assert len(graphs) >= 3  # two documents and the ontology, at least


def test_a_backend_that_died_is_replaced(store: Path) -> None:
    running = ServerProcess(store)
    try:
        [backend] = oxigraph_processes(running.process.pid, 1)
        backend.kill()
        while backend.is_running() and backend.status() != psutil.STATUS_ZOMBIE:
            time.sleep(0.05)  # a zombie until kg serve looks at it
        assert running.get("/entity/Q399", "text/html").status == 502  # the request that finds out
        assert running.get("/entity/Q399", "text/html").status == 200
        [replacement] = oxigraph_processes(running.process.pid, 1)
        assert replacement.pid != backend.pid
    finally:
        running.stop()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_server_and_its_backend(store: Path, stop: signal.Signals) -> None:
    running = ServerProcess(store)
    backends = oxigraph_processes(running.process.pid, 1)
    assert len(backends) == 1
    running.process.send_signal(stop)
    assert running.process.wait(timeout=20) == 0
    psutil.wait_procs(backends, timeout=10)
    assert not any(b.is_running() and b.status() != psutil.STATUS_ZOMBIE for b in backends)
    running.stop()


def test_workers_each_serve_with_a_backend_of_their_own(store: Path) -> None:
    running = ServerProcess(store, "--workers", "2")
    try:
        backends = oxigraph_processes(running.process.pid, 2)
        assert len(backends) == 2  # one per worker process
        assert len({b.ppid() for b in backends}) == 2
        query = "/sparql?" + urllib.parse.urlencode({"query": EVENTS})
        for _ in range(10):
            reply = running.get(query, "application/sparql-results+json")
            assert reply.status == 200 and len(json.loads(reply.body)["results"]["bindings"]) == 5
        assert running.get("/entity/Q399", "text/html").status == 200
    finally:
        running.stop()
    assert running.process.returncode == 0
    psutil.wait_procs(backends, timeout=15)
    assert not any(b.is_running() and b.status() != psutil.STATUS_ZOMBIE for b in backends)


def test_workers_refuse_a_writable_server_in_one_line(store: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", "0",
         "--workers", "2", "--update-token", "t"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("Error:") and "read-only" in line and "--update-token" in line


def oxigraph_processes(pid: int, expected: int, wait_s: float = 30) -> list[psutil.Process]:
    """The Oxigraph servers a ``kg serve`` process started, directly or through its workers;
    waited for until there are ``expected``, since workers start theirs as they come up."""
    deadline = time.monotonic() + wait_s
    while True:
        found = [
            child
            for child in psutil.Process(pid).children(recursive=True)
            if child.name() == "oxigraph"
        ]
        if len(found) >= expected or time.monotonic() > deadline:
            return found
        time.sleep(0.2)
