"""The SPARQL engine behind ``kg serve``: the real Oxigraph server, as a child process.

Oxigraph's own HTTP server implements the SPARQL 1.1 Protocol (GET/POST, every result
format, cancellation after ``--timeout-s``); geokg's front (``kg.server.app``) only adds
what Oxigraph does not do -- limits, the read-only rule, HTML, dereferenceable IRIs -- and
talks to it over HTTP on a loopback port nobody else is told about.

Read-only servers run ``oxigraph serve-read-only``, which other readers may share; a server
started with an update token runs ``oxigraph serve`` and so holds the store's write lock.
"""

from __future__ import annotations

import http.client
import logging
import select
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from kg.closing import ClosesOnExit
from kg.errors import GeokgError, StoreError

log = logging.getLogger(__name__)

_STARTUP_TIMEOUT_S = 20.0
# Oxigraph answers a connection idle for 60 s with an unsolicited 500 ("Resource temporarily
# unavailable") and closes it: a request sent just then would take that 500 for its answer.
# A connection idle for half that time is replaced instead.
_REUSE_IDLE_S = 30.0
_OVERRAN = "a query overran its time limit"
_DUMP_CHUNK_BYTES = 64 * 1024


class BackendError(GeokgError):
    """The Oxigraph process cannot be started or does not answer."""

    exit_code = 3


@dataclass(frozen=True)
class Reply:
    """One answer of the backend, read whole (bounded by the caller's size limit)."""

    status: int
    content_type: str
    body: bytes
    seconds: float
    truncated: bool = False  # the body passed the size limit and was cut off


def oxigraph_executable() -> str:
    """The ``oxigraph`` binary of this environment (pip package ``oxigraph``)."""
    beside_python = Path(sys.executable).with_name("oxigraph")
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("oxigraph")
    if found is None:
        raise BackendError("the oxigraph server is not installed; pip install 'oxigraph>=0.5,<0.6'")
    return found


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class OxigraphBackend(ClosesOnExit):
    """Starts Oxigraph on the store, forwards requests to it, stops it on close()."""

    def __init__(self, store_path: Path, *, writable: bool, time_limit_s: float) -> None:
        if not (store_path / "CURRENT").exists():  # RocksDB's marker file
            raise StoreError(f"no store at {store_path}; build one first with `kg build`")
        self.store_path = store_path
        self.writable = writable
        self.time_limit_s = time_limit_s
        self._lock = threading.Lock()
        self._local = threading.local()  # each thread's kept-alive connection
        self._start()

    def _start(self) -> None:
        self.port = free_loopback_port()
        self.url = f"http://127.0.0.1:{self.port}"
        mode = "serve" if self.writable else "serve-read-only"
        command = [
            oxigraph_executable(),
            mode,
            "--location",
            str(self.store_path),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--union-default-graph",  # like `kg query`: the default graph is all graphs
            "--timeout-s",
            str(max(1, round(self.time_limit_s))),
        ]
        log.info("starting %s", " ".join(command))
        self._process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
        )
        self._stderr_lines: deque[str] = deque(maxlen=20)
        self._stderr_reader = threading.Thread(
            target=self._read_stderr, args=(self._process,), daemon=True
        )
        self._stderr_reader.start()
        self._wait_until_ready()

    def _read_stderr(self, process: subprocess.Popen[bytes]) -> None:
        """Read Oxigraph's messages as they come: a full pipe would stop it at its next one.

        It writes a line for each connection reset while it answers, so under load an unread
        pipe fills within minutes and the backend hangs.
        """
        assert process.stderr is not None
        for raw in process.stderr:
            line = raw.decode(errors="replace").rstrip()
            self._stderr_lines.append(line)
            # Past its banner, Oxigraph writes only of errors.
            level = logging.INFO if line.startswith("Listening for requests") else logging.WARNING
            log.log(level, "oxigraph: %s", line)

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + _STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self._stderr_reader.join(timeout=5)  # its last words
                error = " ".join(self._stderr_lines)
                raise BackendError(f"oxigraph exited at start: {error.strip()[:500]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        self.close()
        raise BackendError(f"oxigraph did not start within {_STARTUP_TIMEOUT_S:.0f} s")

    def restart(self, process: subprocess.Popen[bytes], reason: str) -> None:
        """Replace a backend that keeps working on a query past its time limit, or has died.

        Oxigraph checks its timeout only at some steps of evaluation (a big aggregate can
        run on), so the one sure way to stop the work is to stop the process.
        """
        with self._lock:
            if process is not self._process:  # another thread restarted it already
                return
            log.warning("%s; restarting the SPARQL backend", reason)
            self.close()
            self._start()

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._stderr_reader.join(timeout=5)  # it ends at the end of the pipe

    # --- requests ---------------------------------------------------------------------------

    def query(self, sparql: str, accept: str, *, max_bytes: int, timeout_s: float) -> Reply:
        """POST a query (form-encoded, so any length works) and read at most max_bytes."""
        return self._post("/query", {"query": sparql}, accept, max_bytes, timeout_s)

    def update(self, sparql: str, *, timeout_s: float) -> Reply:
        return self._post("/update", {"update": sparql}, "text/plain", 1 << 16, timeout_s)

    def _post(
        self, path: str, form: dict[str, str], accept: str, max_bytes: int, timeout_s: float
    ) -> Reply:
        body = urllib.parse.urlencode(form).encode("utf-8")
        headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}
        process = self._process
        started = time.monotonic()
        try:
            response = self._send(path, body, headers, timeout_s)
        except TimeoutError:
            self._drop_connection()
            self.restart(process, _OVERRAN)
            return Reply(
                504, "text/plain", b"the query ran out of time", time.monotonic() - started
            )
        except (OSError, http.client.HTTPException) as error:
            self._drop_connection()
            if process.poll() is not None:  # Oxigraph is gone: the next request gets another
                last_words = " ".join(self._stderr_lines)[-300:]
                self.restart(process, f"oxigraph exited ({process.returncode}): {last_words}")
            raise BackendError(f"the SPARQL backend does not answer: {error}") from error
        reply = _read_reply(response, response.status, max_bytes, started)
        if not response.isclosed():  # the rest of a refused result is still on the way
            self._drop_connection()
        if reply.status == 504:  # timed out while the result streamed
            self._drop_connection()
            self.restart(process, _OVERRAN)
        return reply

    def _send(
        self, path: str, body: bytes, headers: dict[str, str], timeout_s: float
    ) -> http.client.HTTPResponse:
        """POST on this thread's kept-alive connection, or, if Oxigraph has closed that one
        since its last use, once more on a new connection.

        Only a query is sent twice: an update may have been applied before the connection
        broke, and is not always safe to apply again.
        """
        reused = getattr(self._local, "connection", None) is not None
        try:
            return self._request_on_held_connection(path, body, headers, timeout_s)
        except ConnectionError:  # reset, broken pipe, closed without an answer, refused
            self._drop_connection()
            if not reused or path != "/query":
                raise
            return self._request_on_held_connection(path, body, headers, timeout_s)

    def _request_on_held_connection(
        self, path: str, body: bytes, headers: dict[str, str], timeout_s: float
    ) -> http.client.HTTPResponse:
        connection = self._connection(timeout_s)
        connection.request("POST", path, body, headers)
        return connection.getresponse()

    def _connection(self, timeout_s: float) -> http.client.HTTPConnection:
        """This thread's connection to the backend, kept alive between requests.

        A new connection per request cost the front and Oxigraph more CPU than most of the
        pages' queries do.  One per thread needs no locking; a restarted backend (new port)
        gets new ones.  (urllib3's pool, tried instead, cost 35% more CPU per entity page.)
        """
        held: http.client.HTTPConnection | None = getattr(self._local, "connection", None)
        idle_s = time.monotonic() - getattr(self._local, "used_at", 0.0)
        if (
            held is None
            or held.port != self.port
            or idle_s > _REUSE_IDLE_S
            or _closed_by_peer(held)
        ):
            self._drop_connection()
            held = self._local.connection = http.client.HTTPConnection("127.0.0.1", self.port)
        self._local.used_at = time.monotonic()
        # The socket timeout bounds every read; Oxigraph's own --timeout-s stops the work.
        held.timeout = timeout_s + 2
        if held.sock is not None:
            held.sock.settimeout(held.timeout)
        return held

    def _drop_connection(self) -> None:
        held = getattr(self._local, "connection", None)
        if held is not None:
            held.close()
            self._local.connection = None

    def dump(self, media_type: str, *, timeout_s: float) -> Iterator[bytes]:
        """The whole dataset from Oxigraph's Graph Store endpoint, as chunks of bytes.

        The request is made and its status checked here, so a failure is raised before the
        caller has sent anything; the chunks are then read one at a time as they are used.
        """
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout_s)
        try:
            connection.request("GET", "/store", headers={"Accept": media_type})
            answer = connection.getresponse()
        except OSError as error:
            connection.close()
            raise BackendError(f"the SPARQL backend does not answer: {error}") from error
        if answer.status != 200:
            connection.close()
            raise BackendError(f"the dump is not available ({answer.status})")
        return _chunks_then_close(connection, answer)


def _closed_by_peer(connection: http.client.HTTPConnection) -> bool:
    """Whether Oxigraph has closed an idle kept-alive connection (it does after a while):
    between requests, a readable socket can only mean its end of the stream."""
    if connection.sock is None:
        return False
    poller = select.poll()  # not select.select: the front may hold more than 1,024 sockets
    poller.register(connection.sock, select.POLLIN)
    return bool(poller.poll(0))


def _chunks_then_close(
    connection: http.client.HTTPConnection, answer: http.client.HTTPResponse
) -> Iterator[bytes]:
    try:
        yield from iter(partial(answer.read, _DUMP_CHUNK_BYTES), b"")
    finally:
        connection.close()


def _read_reply(response: object, status: int, max_bytes: int, started: float) -> Reply:
    read = response.read  # type: ignore[attr-defined]
    headers = response.headers  # type: ignore[attr-defined]
    try:
        body = read(max_bytes + 1)
    except TimeoutError:
        return Reply(504, "text/plain", b"the query ran out of time", time.monotonic() - started)
    truncated = len(body) > max_bytes
    content_type = headers.get("Content-Type", "application/octet-stream")
    return Reply(status, content_type, body[:max_bytes], time.monotonic() - started, truncated)
