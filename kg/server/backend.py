"""The SPARQL engine behind ``kg serve``: the real Oxigraph server, as a child process.

Oxigraph's own HTTP server implements the SPARQL 1.1 Protocol (GET/POST, every result
format, cancellation after ``--timeout-s``); geokg's front (``kg.server.app``) only adds
what Oxigraph does not do -- limits, the read-only rule, HTML, dereferenceable IRIs -- and
talks to it over HTTP on a loopback port nobody else is told about.

Read-only servers run ``oxigraph serve-read-only``, which other readers may share; a server
started with an update token runs ``oxigraph serve`` and so holds the store's write lock.
"""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from kg.closing import ClosesOnExit
from kg.errors import GeokgError, StoreError

log = logging.getLogger(__name__)

_STARTUP_TIMEOUT_S = 20.0


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
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + _STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                error = (
                    self._process.stderr.read().decode(errors="replace")
                    if self._process.stderr
                    else ""
                )
                raise BackendError(f"oxigraph exited at start: {error.strip()[:500]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        self.close()
        raise BackendError(f"oxigraph did not start within {_STARTUP_TIMEOUT_S:.0f} s")

    def restart(self, process: subprocess.Popen[bytes]) -> None:
        """Replace a backend that keeps working on a query past its time limit.

        Oxigraph checks its timeout only at some steps of evaluation (a big aggregate can
        run on), so the one sure way to stop the work is to stop the process.
        """
        with self._lock:
            if process is not self._process:  # another thread restarted it already
                return
            log.warning("a query overran its time limit; restarting the SPARQL backend")
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
        if self._process.stderr:
            self._process.stderr.close()

    # --- requests ---------------------------------------------------------------------------

    def query(self, sparql: str, accept: str, *, max_bytes: int, timeout_s: float) -> Reply:
        """POST a query (form-encoded, so any length works) and read at most max_bytes."""
        return self._post("/query", {"query": sparql}, accept, max_bytes, timeout_s)

    def update(self, sparql: str, *, timeout_s: float) -> Reply:
        return self._post("/update", {"update": sparql}, "text/plain", 1 << 16, timeout_s)

    def _post(
        self, path: str, form: dict[str, str], accept: str, max_bytes: int, timeout_s: float
    ) -> Reply:
        data = urllib.parse.urlencode(form).encode("utf-8")
        process = self._process
        request = urllib.request.Request(
            self.url + path,
            data=data,
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        started = time.monotonic()
        try:
            # The socket timeout bounds every read; Oxigraph's own --timeout-s stops the work.
            with urllib.request.urlopen(request, timeout=timeout_s + 2) as response:
                reply = _read_reply(response, response.status, max_bytes, started)
        except urllib.error.HTTPError as error:
            reply = _read_reply(error, error.code, max_bytes, started)
        except TimeoutError:
            self.restart(process)
            return Reply(
                504, "text/plain", b"the query ran out of time", time.monotonic() - started
            )
        except urllib.error.URLError as error:
            raise BackendError(f"the SPARQL backend does not answer: {error.reason}") from error
        if reply.status == 504:  # timed out while the result streamed
            self.restart(process)
        return reply


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
