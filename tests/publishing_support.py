"""Shared by the server, export and browser tests: stores built from hand-made
extractions, and a real ``kg serve`` process on a loopback port.

The stores hold the sample extraction of ``sample_extraction.py`` plus a hostile document
whose text, title and entity label carry HTML and script, to prove the pages escape them.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sample_extraction import sample_extraction, sentence_of, span_of

from kg.model import Document, Entity, Event, Extraction, Mention
from kg.store import Store

XSS_TEXT = (
    "Armenia asked the CSTO for help <script>window.__pwned = 1; alert('text')</script> today. "
    'Officials said the <img src=x onerror="window.__pwned = 2"> talks & "aid" went on.'
)
XSS_TITLE = "<script>alert('title')</script> Armenia & the CSTO"
XSS_LABEL = "<b>Evil</b><script>alert('label')</script>"
SERVER_START_TIMEOUT_S = 30.0


def xss_extraction() -> Extraction:
    doc = Document(
        id="hostile-1",
        text=XSS_TEXT,
        lang="en",
        published=datetime(2022, 9, 17, 10, 0, tzinfo=timezone(timedelta(hours=3))),
        url="https://www.example.org/news/hostile",
        title=XSS_TITLE,
    )
    armenia = span_of("Armenia", text=XSS_TEXT)
    csto = span_of("CSTO", text=XSS_TEXT)
    img = span_of('<img src=x onerror="window.__pwned = 2">', text=XSS_TEXT)
    entities = [
        Entity(
            "Q399", "Armenia", "state", 0.9, [Mention(armenia.start, armenia.end, armenia.text)]
        ),
        Entity("Q318693", "CSTO", "alliance", 0.9, [Mention(csto.start, csto.end, csto.text)]),
        Entity(None, XSS_LABEL, "other", 0.5, [Mention(img.start, img.end, img.text)]),
    ]
    events = [
        Event(
            "REQUEST",
            None,
            [],
            ["Q399"],
            ["Q318693"],
            "2022-09-17",
            False,
            0.7,
            sentence_of("asked the CSTO", text=XSS_TEXT),
        )
    ]
    return Extraction(doc, entities, [], events)


def build_store(
    path: Path, extractions: list[Extraction] | None = None, annotations: str = "light"
) -> Path:
    with Store.open(path) as store:
        for extraction in extractions or [sample_extraction(), xss_extraction()]:
            store.write_extraction(extraction, annotations)
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip()


class ServerProcess:
    """``python -m kg serve`` on 127.0.0.1, started once per test module."""

    def __init__(self, store: Path, *extra: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            sys.executable,
            "-m",
            "kg",
            "serve",
            "--store",
            str(store),
            "--port",
            str(self.port),
            *extra,
        ]
        env = {**os.environ, "GEOKG_BASE_IRI": ""}
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
        )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"kg serve exited: {self.process.stderr.read().decode()[-2000:]}"
                )  # type: ignore[union-attr]
            try:
                if self.request("GET", "/", timeout=2).status == 200:
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("kg serve did not start")

    def request(
        self,
        method: str,
        path: str,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
        timeout: float = 30,
    ) -> Reply:
        """One request, redirects not followed; the path is sent exactly as given."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.putrequest(method, path, skip_accept_encoding=True)
            for name, value in (headers or {}).items():
                connection.putheader(name, value)
            if body is not None:
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            return Reply(
                response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
            )
        finally:
            connection.close()

    def get(self, path: str, accept: str | None = None) -> Reply:
        return self.request("GET", path, {"Accept": accept} if accept else None)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stderr:
            self.process.stderr.close()
