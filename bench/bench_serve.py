"""Load benchmark of ``kg serve``: requests/s and p50/p99 latency, and idle connections.

The real server runs as ``kg serve`` on 127.0.0.1 (a subprocess, on a free port) over a demo
store (``kg build seeds/``, as ``make demo`` makes it; reused if it exists).  Debian's
``wrk`` (``apt-get install wrk``), a C load generator on one thread, keeps 1, 16, 64 and 256
connections busy for each of:

* ``home``: the home page ``/``;
* ``entity``: the entity page ``/entity/Q399``;
* ``sparql``: a SPARQL SELECT, ``/sparql?query=...`` (JSON results);
* ``deref``: a minted IRI's RDF document, ``/data/.../event/....ttl`` (found by a query).

Each request repeats one URL, which the front answers from its response cache after the
first time (``kg.server.cache``); one more front runs with ``--cache-mb 0``, so the work of a
page answered afresh is measured too.

Then 1,000 TCP connections are opened and left idle, and a new request must be answered in
under a second.  ``--baseline-tree`` runs the same benchmark against another checkout (such
as the http.server front before the move to Starlette: ``git archive HEAD | tar -x -C DIR``
gives the last commit), with this same Python; all servers
run at once and each measurement is made on each in turn, so that other work on the machine
weighs on them alike (the load average is recorded with each figure):

    python bench/bench_serve.py --baseline-tree /tmp/old_tree --workers 1,2

Results go to ``bench/results/serve-<date>.json``; a markdown table goes to stdout.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import re
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LOGS = Path(tempfile.gettempdir())  # each server's stderr goes to bench-serve-NAME.log there
SELECT = (
    "SELECT ?event ?type WHERE { ?event a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> ; "
    "<http://semanticweb.cs.vu.nl/2009/11/sem/eventType> ?type } LIMIT 50"
)
JSON_RESULTS = "application/sparql-results+json"
IDLE_CONNECTIONS = 1000
REQUESTS = ("home", "entity", "sparql", "deref")
# wrk reports through this Lua hook: one JSON line with the figures of the run.
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, '
    .. '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, '
    .. '"non_2xx_3xx": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.timeout, e.status))
end
"""


@dataclass(frozen=True)
class Front:
    """One server to measure: a checkout of geokg and its ``kg serve`` options."""

    name: str
    tree: Path
    options: tuple[str, ...] = ()


def main() -> None:
    args = parse_arguments()
    # Stopped with SIGTERM, the benchmark still stops the servers it started.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(1))
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("bench_serve: needs wrk, the load generator (apt-get install wrk)")
    store = ensure_store(args.store)
    fronts = [Front(f"new, {n} worker(s)", ROOT, ("--workers", str(n))) for n in args.workers]
    # The same URL again and again is answered from the front's response cache; the work of a
    # page (a crawler's first visit, a store that changes) is measured with the cache off.
    fronts.append(Front("new, 1 worker, no cache", ROOT, ("--workers", "1", "--cache-mb", "0")))
    if args.baseline_tree:
        fronts.insert(0, Front("old (baseline)", args.baseline_tree.resolve()))
    clients = [int(c) for c in args.clients.split(",")]
    results: dict[str, Any] = {
        "date": datetime.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "store": str(store),
        "duration_s": args.duration,
        "fronts": {},
    }
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as scratch, ExitStack() as stack:
        script = Path(scratch) / "report.lua"
        script.write_text(WRK_REPORT, encoding="utf-8")
        # Every front runs at once (idle while another is measured), and each cell is measured
        # on each front in turn: other work on the machine then weighs on all of them alike.
        urls = {front.name: stack.enter_context(running(front, store)) for front in fronts}
        results["fronts"] = measure(urls, Load(wrk, script, args.duration), clients)
    output = args.output or RESULTS / f"serve-{results['date']}.json"
    output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(markdown(results, clients))
    print(f"\n(raw figures: {output})")


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=ROOT / "demo-store")
    parser.add_argument("--baseline-tree", type=Path, help="another checkout to measure too")
    parser.add_argument(
        "--workers", type=lambda text: [int(n) for n in text.split(",")], default=[1]
    )
    parser.add_argument("--clients", default="1,16,64,256", help="concurrent connections")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("-o", "--output", type=Path)
    return parser.parse_args()


def ensure_store(store: Path) -> Path:
    """The demo store, built from seeds/ the way `make demo` builds it if it is not there."""
    if not (store / "CURRENT").exists():
        command = [sys.executable, "-m", "kg", "build", str(ROOT / "seeds"), "--store", str(store)]
        subprocess.run(command, check=True, cwd=ROOT)
    return store.resolve()


# --- the server under test ------------------------------------------------------------------


@contextmanager
def running(front: Front, store: Path) -> Iterator[str]:
    """``kg serve`` of a checkout, on a free loopback port, until the block ends."""
    port = free_port()
    command = [sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", str(port)]
    env = {**os.environ, "PYTHONPATH": str(front.tree), "GEOKG_BASE_IRI": ""}
    log = LOGS / f"bench-serve-{re.sub(r'[^a-z0-9]+', '-', front.name)}.log"
    with log.open("wb") as stderr:
        server = subprocess.Popen(
            [*command, *front.options], cwd=front.tree, env=env, stderr=stderr
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(url, server)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=60)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_answering(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"bench_serve: kg serve exited with {server.returncode}")
        try:
            if get(url, "/", timeout=2)[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    sys.exit("bench_serve: kg serve did not answer within 60 s")


def get(url: str, path: str, accept: str | None = None, timeout: float = 30) -> tuple[int, bytes]:
    address = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(address.netloc, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Accept": accept} if accept else {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# --- measurements ---------------------------------------------------------------------------


def targets(url: str) -> dict[str, tuple[str, str]]:
    """Path and Accept header of each request measured, checked to answer 200 first."""
    sparql = "/sparql?" + urllib.parse.urlencode({"query": SELECT})
    status, body = get(url, sparql, JSON_RESULTS)
    event = json.loads(body)["results"]["bindings"][0]["event"]["value"]
    found = {
        "home": ("/", "text/html"),
        "entity": ("/entity/Q399", "text/html"),
        "sparql": (sparql, JSON_RESULTS),
        "deref": (f"/data{urllib.parse.urlsplit(event).path}.ttl", "text/turtle"),
    }
    for name, (path, accept) in found.items():
        status, _ = get(url, path, accept)
        if status != 200:
            sys.exit(f"bench_serve: {name} ({path}) answered {status}")
    return found


def measure(urls: dict[str, str], load: Load, clients: list[int]) -> dict[str, Any]:
    """Figures per front: per request and number of clients, then the idle check."""
    figures: dict[str, Any] = {name: {} for name in urls}
    requests = {name: targets(url) for name, url in urls.items()}
    for request in REQUESTS:
        for name, url in urls.items():
            path, accept = requests[name][request]
            load(url + path, accept, 16, duration=2)  # warm up caches and threads
            figures[name][request] = {}
        for count in clients:
            for name, url in urls.items():
                path, accept = requests[name][request]
                figures[name][request][str(count)] = load(url + path, accept, count)
    for name, url in urls.items():
        figures[name]["idle"] = idle_connections_check(url)
    return figures


@dataclass(frozen=True)
class Load:
    """wrk, on one thread, with the Lua hook that reports its figures as JSON."""

    wrk: str
    script: Path
    duration: int

    def __call__(
        self, target: str, accept: str, connections: int, duration: int | None = None
    ) -> dict[str, Any]:
        """One run: ``connections`` clients, each sending its next request on an answer."""
        command = [
            self.wrk, "--threads", "1", "--connections", str(connections),
            "--duration", f"{duration or self.duration}s",
            # Slow answers are counted in the latency, not dropped as wrk's 2 s time-outs.
            "--timeout", "30s", "--header", f"Accept: {accept}", "--script", str(self.script),
            target,
        ]  # fmt: skip
        load_average = os.getloadavg()[0]  # other work on the machine, for the record
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        line = next(line for line in output.splitlines() if line.startswith("WRK "))
        report = json.loads(line[4:])
        seconds = report["duration_us"] / 1e6
        return {
            "requests_per_s": round(report["requests"] / seconds, 1),
            "p50_ms": round(report["p50_us"] / 1000, 1),
            "p99_ms": round(report["p99_us"] / 1000, 1),
            "max_ms": round(report["max_us"] / 1000, 1),
            "errors": {k: v for k, v in report.items() if k.endswith(("errors", "timeouts", "xx"))},
            "load_average_1min": round(load_average, 2),
        }


def idle_connections_check(url: str) -> dict[str, Any]:
    """Open many TCP connections at once, send nothing on them, and time one real request."""
    address = urllib.parse.urlsplit(url)
    started = time.monotonic()
    idle = open_connections(address.hostname or "127.0.0.1", address.port or 80)
    try:
        opened_s = time.monotonic() - started
        started = time.monotonic()
        status, _ = get(url, "/entity/Q399", "text/html", timeout=30)
        answered_s = time.monotonic() - started
    finally:
        for connection in idle:
            connection.close()
    return {
        "idle_connections": len(idle),
        "seconds_to_open_them": round(opened_s, 2),
        "new_request_status": status,
        "new_request_s": round(answered_s, 3),
        "under_1_s": status == 200 and answered_s < 1.0,
    }


def open_connections(host: str, port: int, deadline_s: float = 60) -> list[socket.socket]:
    """IDLE_CONNECTIONS connections, all connecting at once; those connected by the deadline."""
    connecting = []
    for _ in range(IDLE_CONNECTIONS):
        sock = socket.socket()
        sock.setblocking(False)
        sock.connect_ex((host, port))
        connecting.append(sock)
    connected = []
    deadline = time.monotonic() + deadline_s
    with selectors.DefaultSelector() as selector:
        for sock in connecting:
            selector.register(sock, selectors.EVENT_WRITE)
        while len(selector.get_map()) and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=1):
                selector.unregister(key.fileobj)
                sock = key.fileobj  # type: ignore[assignment]
                if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                    connected.append(sock)
    for sock in set(connecting) - set(connected):
        sock.close()
    return connected


# --- report ---------------------------------------------------------------------------------


def markdown(results: dict[str, Any], clients: list[int]) -> str:
    fronts = results["fronts"]
    lines = [
        f"kg serve, {results['machine']}, {results['duration_s']} s per cell "
        "(requests/s, p50 / p99 ms)",
        "",
        "| request | clients | " + " | ".join(fronts) + " |",
        "|---|---|" + "---|" * len(fronts),
    ]
    for name in REQUESTS:
        for count in clients:
            cells = [_cell(figures[name][str(count)]) for figures in fronts.values()]
            lines.append(f"| {name} | {count} | " + " | ".join(cells) + " |")
    idle = [figures["idle"] for figures in fronts.values()]
    lines.append(
        f"| new request beside {IDLE_CONNECTIONS} idle connections | | "
        + " | ".join(
            f"{i['new_request_s']:.3f} s (status {i['new_request_status']}; "
            f"{i['idle_connections']} opened in {i['seconds_to_open_them']:.1f} s)"
            for i in idle
        )
        + " |"
    )
    return "\n".join(lines)


def _cell(figures: dict[str, Any]) -> str:
    errors = sum(figures["errors"].values())
    cell = f"{figures['requests_per_s']:.0f}/s, {figures['p50_ms']:.0f} / {figures['p99_ms']:.0f}"
    return cell + (f" ({errors} errors)" if errors else "")


if __name__ == "__main__":
    main()
