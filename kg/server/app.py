"""The HTTP front of ``kg serve``: routing, limits, content negotiation, HTML.

Routes (IRIs are 303 IRIs, like DBpedia's: the thing and the documents about it differ):

- ``/``                      the query page, with the linked entities and the articles
- ``/sparql``                SPARQL 1.1 Protocol query endpoint (GET, POST form, POST body)
- ``/update``                SPARQL Update; 403 unless the server has an update token
- ``/entity/Q…``             page about a Wikidata entity: HTML, or RDF by Accept/?format=
- ``{base path}…``           a minted IRI: 303 to ``/page/…`` (HTML) or ``/data/….ttl|nt|jsonld``
- ``/page/…``, ``/data/…``   the HTML and RDF documents describing a minted IRI
- ``/.well-known/void``      VoID + DCAT description, computed on request
- ``/dumps/geokg.nq|.trig``  the whole dataset, streamed

No request reaches the file system: templates are loaded by fixed names and every other
answer comes from the SPARQL backend, so a path can only ever name an IRI.
"""

from __future__ import annotations

import hmac
import http.client
import json
import logging
import re
import signal
import sys
import threading
import urllib.parse
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from pyoxigraph import NamedNode, RdfFormat

from kg.errors import GeokgError
from kg.server import negotiation as neg
from kg.server import void
from kg.server.backend import BackendError, OxigraphBackend, Reply
from kg.server.config import ServerConfig
from kg.server.pages import QID, Link, Linker, articles, entity_page, resource_page, short_name
from kg.server.sparql import SPARQL_JSON, Client, bind, prologue

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    # Pages carry no script at all; styles are inline.
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
}
EXAMPLE_QUERY = """\
PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
SELECT ?event ?type ?actor ?recipient WHERE {
  ?event a sem:Event ; sem:eventType ?type ; gk:actor ?actor .
  OPTIONAL { ?event gk:recipient ?recipient }
}
LIMIT 50"""
_TIMEOUT_MARK = b"has been cancelled"


class HttpError(Exception):
    """An answer other than success, with a message for the client."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str]


class App:
    """Everything a request handler needs, shared by all threads (all of it read-only)."""

    def __init__(self, config: ServerConfig, backend: OxigraphBackend) -> None:
        self.config = config
        self.backend = backend
        self.client = Client(backend, config.time_limit_s, config.max_result_bytes)
        self.templates = Environment(
            loader=FileSystemLoader(str(TEMPLATES)),
            autoescape=select_autoescape(default=True, default_for_string=True),
        )

    def render(self, template: str, status: int = 200, **context: Any) -> Response:
        html = self.templates.get_template(template).render(**context)
        return Response(status, "text/html; charset=utf-8", html.encode("utf-8"), {})


# --- the request handler ------------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    server_version = "geokg"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    app: App  # set on the subclass made by make_server

    # http.server logs to stderr by default; route it through logging instead.
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        log.info("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def do_HEAD(self) -> None:
        self._answer("HEAD")

    def do_PUT(self) -> None:
        self._send(
            _error_response(self, HttpError(405, "method not allowed", {"Allow": "GET, POST"}))
        )

    do_DELETE = do_PUT
    do_PATCH = do_PUT

    def _answer(self, method: str) -> None:
        try:
            response = route(self, method)
        except HttpError as error:
            response = _error_response(self, error)
        except GeokgError as error:
            log.warning("request %s failed: %s", self.path, error)
            response = _error_response(self, HttpError(502, str(error)))
        self._send(response, head=method == "HEAD")

    def _send(self, response: Response, head: bool = False) -> None:
        self.send_response(response.status)
        headers = {**SECURITY_HEADERS, **response.headers}
        headers["Content-Type"] = response.content_type
        headers["Content-Length"] = str(len(response.body))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(response.body)

    # request parts

    @property
    def split(self) -> urllib.parse.SplitResult:
        return urllib.parse.urlsplit(self.path)

    def params(self) -> dict[str, list[str]]:
        return urllib.parse.parse_qs(self.split.query, keep_blank_values=True)

    def body(self) -> bytes:
        """The request body, refused above the size limit before a byte of it is read."""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            raise HttpError(411, "send the request body with a Content-Length")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError as error:
            raise HttpError(400, "bad Content-Length") from error
        if length > self.app.config.max_request_bytes:
            self.close_connection = True  # the unread body must not be parsed as a request
            raise HttpError(413, f"request body over {self.app.config.max_request_bytes} bytes")
        return self.rfile.read(length) if length > 0 else b""


def make_server(config: ServerConfig, backend: OxigraphBackend) -> ThreadingHTTPServer:
    handler = type("BoundHandler", (Handler,), {"app": App(config, backend)})
    server = ThreadingHTTPServer((config.host, config.port), handler)
    server.daemon_threads = True
    return server


def serve(config: ServerConfig) -> None:
    """Run the server until interrupted (the ``kg serve`` command)."""
    with OxigraphBackend(
        config.store_path,
        writable=config.update_token is not None,
        time_limit_s=config.time_limit_s,
    ) as backend:
        server = make_server(config, backend)
        _exit_on_sigterm()  # so that the with-block stops Oxigraph on `kill`, too
        log.info("serving %s on http://%s:%d/", config.store_path, config.host, config.port)
        try:
            server.serve_forever()
        finally:
            server.server_close()


def _exit_on_sigterm() -> None:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))


# --- routing ------------------------------------------------------------------------------

_UNSAFE_PATH = re.compile(r"(^|/)\.\.?(/|$)|\\|\x00")


def route(request: Handler, method: str) -> Response:
    path = urllib.parse.unquote(request.split.path)
    if _UNSAFE_PATH.search(path) and not path.startswith("/.well-known/"):
        raise HttpError(404, "no such page")
    app = request.app
    if path == "/":
        return home(request)
    if path == "/sparql":
        return sparql(request, method)
    if path == "/update":
        return update(request, method)
    if method == "POST":
        raise HttpError(405, "POST is only for /sparql and /update", {"Allow": "GET"})
    if path == "/.well-known/void":
        return void_description(request)
    if path in ("/dumps/geokg.nq", "/dumps/geokg.trig"):
        return dump(request, path)
    if path.startswith("/queries/"):
        return named_query(request, path[len("/queries/") :])
    if path.startswith("/entity/"):
        return entity(request, path[len("/entity/") :])
    if path.startswith("/page/"):
        return page(request, "/" + path[len("/page/") :])
    if path.startswith("/data/"):
        return data(request, "/" + path[len("/data/") :])
    iri = app.config.iri_for_path(path)
    if iri is not None:
        return see_other(request, path, iri)
    raise HttpError(404, "no such page")


def home(request: Handler) -> Response:
    app = request.app
    linker = Linker(app.config, app.client)
    entities = [
        Link(
            linker.href(row["entity"]), row.get("label") or short_name(row["entity"]), row["entity"]
        )
        for row in app.client.select("home-entities")
    ]
    docs = {row["doc"] for row in app.client.select("home-documents")}
    found = sorted(articles(linker, docs).values(), key=lambda a: (a.issued, a.identifier))
    return app.render(
        "home.html",
        entities=entities,
        articles=found,
        example=EXAMPLE_QUERY,
        time_limit=app.config.time_limit_s,
        max_mb=app.config.max_result_bytes // (1024 * 1024),
        read_only=app.config.update_token is None,
    )


# --- SPARQL protocol ------------------------------------------------------------------------


def _query_and_datasets(request: Handler, method: str) -> tuple[str | None, list[tuple[str, str]]]:
    """The query text and the protocol's dataset parameters, from the URL or the body."""
    params = request.params()
    if method == "POST":
        content_type = request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        body = request.body()
        if content_type == "application/sparql-query":
            text = body.decode("utf-8", errors="strict") if body else None
        elif content_type == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True)
            if "update" in form:
                raise HttpError(403, "this is the query endpoint; updates go to /update")
            params = {**params, **form}
            text = None
        else:
            raise HttpError(415, "POST a query as application/sparql-query or a form")
        if text is not None:
            params = {**params, "query": [text]}
    queries = params.get("query", [])
    if len(queries) > 1:
        raise HttpError(400, "give exactly one query parameter")
    datasets = [(k, v) for k in ("default-graph-uri", "named-graph-uri") for v in params.get(k, [])]
    return (queries[0] if queries else None), datasets


def sparql(request: Handler, method: str) -> Response:
    app = request.app
    try:
        query, datasets = _query_and_datasets(request, method)
    except UnicodeDecodeError as error:
        raise HttpError(400, "the request is not UTF-8") from error
    fmt = request.params().get("format", [""])[0]
    wants_html = fmt == "html" or (not fmt and _prefers_html(request))
    if query is None:
        if wants_html or method == "GET" and not request.headers.get("Accept"):
            return home(request)
        raise HttpError(400, "missing the query parameter")
    if datasets:
        # Oxigraph's query endpoint takes them too, but the front forwards only the query
        # text; refuse rather than silently answer over another dataset.
        raise HttpError(
            400, "default-graph-uri and named-graph-uri are not supported; use FROM / GRAPH"
        )
    if wants_html:
        return _html_results(request, query)
    accept = _accept_for(fmt, request.headers.get("Accept"))
    reply = app.client.raw(query, accept)
    return _relay(app.config, reply)


def _prefers_html(request: Handler) -> bool:
    offers = [neg.HTML, *neg.SPARQL_RESULTS.values(), *neg.SPARQL_GRAPHS.values()]
    accept = request.headers.get("Accept")
    return bool(accept) and neg.choose(accept, offers) == neg.HTML and "text/html" in (accept or "")


def _accept_for(fmt: str, accept: str | None) -> str:
    if fmt:
        chosen = neg.SPARQL_RESULTS.get(fmt) or neg.SPARQL_GRAPHS.get(fmt)
        if chosen is None:
            raise HttpError(400, f"unknown format {fmt!r}")
        return chosen
    return accept or "*/*"


def _relay(config: ServerConfig, reply: Reply) -> Response:
    """Oxigraph's answer to the client, unless it broke a limit."""
    if _timed_out(config, reply):
        raise HttpError(503, f"the query ran over the time limit of {config.time_limit_s:g} s")
    if reply.truncated:
        raise HttpError(
            400,
            f"the result is over the size limit of {config.max_result_bytes} bytes; add a LIMIT",
        )
    if reply.status >= 400:
        message = reply.body.decode("utf-8", errors="replace").strip() or "query failed"
        status = 400 if reply.status < 500 or "error at" in message else 502
        if reply.status == 406:
            status = 406
        raise HttpError(status, message)
    return Response(200, reply.content_type, reply.body, {"Vary": "Accept"})


def _timed_out(config: ServerConfig, reply: Reply) -> bool:
    return (
        reply.status == 504
        or (
            reply.seconds >= config.time_limit_s * 0.9
            and reply.body.rstrip().endswith(_TIMEOUT_MARK)
        )
        or reply.body.rstrip().endswith(b"SPARQL operation " + _TIMEOUT_MARK)
    )


def _html_results(request: Handler, query: str) -> Response:
    app = request.app
    reply = app.client.raw(query, f"{SPARQL_JSON}, {neg.TURTLE};q=0.9")
    response = _relay(app.config, reply)
    if not response.content_type.startswith(SPARQL_JSON):
        text = response.body.decode("utf-8", errors="replace")
        return app.render(
            "results.html", query=query, variables=["graph"], rows=[[text]], boolean=None
        )
    data = json.loads(response.body)
    linker = Linker(app.config, app.client)
    if "boolean" in data:
        return app.render(
            "results.html", query=query, variables=[], rows=[], boolean=data["boolean"]
        )
    variables = data["head"]["vars"]
    rows = []
    for binding in data["results"]["bindings"]:
        row: list[Link | str] = []
        for var in variables:
            cell = binding.get(var)
            if cell is None:
                row.append("")
            elif cell["type"] == "uri":
                row.append(Link(linker.href(cell["value"]), cell["value"], cell["value"]))
            else:
                row.append(cell["value"])
        rows.append(row)
    return app.render("results.html", query=query, variables=variables, rows=rows, boolean=None)


def named_query(request: Handler, name: str) -> Response:
    """A query of ``queries/`` run with URL parameters, bound as typed RDF terms.

    ``/queries/members-of-organization?org=Q318693``: each value is converted by the type
    its header declares (kg.queries) and reaches SPARQL only as a serialised term.
    """
    from kg.errors import QueryError
    from kg.queries import load_query

    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise HttpError(404, "no such query")
    params = {k: v[0] for k, v in request.params().items() if k != "format"}
    try:
        query = load_query(name)
        terms = query.bindings(params)
        text = prologue() + bind(query.sparql, dict(terms))  # type: ignore[arg-type]
    except QueryError as error:
        status = 404 if "no query" in str(error) else 400
        raise HttpError(status, str(error)) from error
    fmt = request.params().get("format", [""])[0]
    if fmt == "html" or (not fmt and _prefers_html(request)):
        return _html_results(request, text)
    return _relay(
        request.app.config,
        request.app.client.raw(text, _accept_for(fmt, request.headers.get("Accept"))),
    )


def update(request: Handler, method: str) -> Response:
    app = request.app
    token = app.config.update_token
    if token is None:
        raise HttpError(
            403, "this server is read-only (start it with --update-token to allow updates)"
        )
    if method != "POST":
        raise HttpError(405, "updates are POSTed", {"Allow": "POST"})
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        raise HttpError(
            401, "updates need 'Authorization: Bearer <token>'", {"WWW-Authenticate": "Bearer"}
        )
    content_type = request.headers.get("Content-Type", "").split(";")[0].strip().lower()
    body = request.body().decode("utf-8", errors="replace")
    if content_type == "application/sparql-update":
        text = body
    elif content_type == "application/x-www-form-urlencoded":
        text = urllib.parse.parse_qs(body).get("update", [""])[0]
    else:
        raise HttpError(415, "POST an update as application/sparql-update or a form")
    reply = app.backend.update(text, timeout_s=app.config.time_limit_s)
    if reply.status >= 400:
        raise HttpError(
            400, reply.body.decode("utf-8", errors="replace").strip() or "update failed"
        )
    return Response(204, "text/plain", b"", {})


# --- linked data ----------------------------------------------------------------------------

_RDF_OFFERS = [neg.TURTLE, neg.JSONLD, neg.NTRIPLES]


def see_other(request: Handler, path: str, iri: str) -> Response:
    """303 from a minted IRI to the HTML or RDF document about it (Vary: Accept)."""
    if not _known(request, iri):
        raise HttpError(404, f"nothing is known about {iri}")
    chosen = neg.choose(request.headers.get("Accept"), [neg.HTML, *_RDF_OFFERS])
    if chosen is None:
        raise HttpError(
            406, "available as text/html, text/turtle, application/ld+json, application/n-triples"
        )
    target = "/page" + path if chosen == neg.HTML else f"/data{path}.{neg.EXTENSION_OF[chosen]}"
    return Response(
        303,
        "text/plain; charset=utf-8",
        f"See {target}\n".encode(),
        {
            "Location": urllib.parse.quote(target, safe="/:@!$&'()*+,;=-._~%"),
            "Vary": "Accept",
        },
    )


def _known(request: Handler, iri: str) -> bool:
    try:
        node = NamedNode(iri)
    except ValueError:
        return False
    return request.app.client.ask("resource-exists", resource=node)


def page(request: Handler, path: str) -> Response:
    app = request.app
    iri = app.config.iri_for_path(path)
    if iri is None or not _known(request, iri):
        raise HttpError(404, "no such resource")
    found = resource_page(app.config, app.client, iri)
    return app.render("resource.html", page=found, data_path="/data" + urllib.parse.quote(path))


def data(request: Handler, path: str) -> Response:
    app = request.app
    stem, dot, extension = path.rpartition(".")
    media_type = neg.RDF_FORMATS.get(extension) if dot else None
    iri = app.config.iri_for_path(stem) if media_type else None
    if media_type is None or iri is None or not _known(request, iri):
        raise HttpError(404, "no such resource")
    reply = app.client.graph("resource-describe", media_type, resource=NamedNode(iri))
    response = _relay(app.config, reply)
    response.headers["Link"] = f'<{iri}>; rel="describes"'
    return response


def entity(request: Handler, qid: str) -> Response:
    """The page about a Wikidata entity, or its RDF (200 with Vary: Accept)."""
    app = request.app
    if not QID.match(qid):
        raise HttpError(404, "entity pages are /entity/Q<number>")
    fmt = request.params().get("format", [""])[0]
    chosen = (
        neg.RDF_FORMATS.get(fmt)
        if fmt
        else neg.choose(request.headers.get("Accept"), [neg.HTML, *_RDF_OFFERS])
    )
    if chosen is None:
        raise HttpError(
            406 if not fmt else 400,
            "available as text/html, text/turtle, application/ld+json, application/n-triples",
        )
    if chosen == neg.HTML:
        found = entity_page(app.config, app.client, qid)
        if found is None:
            raise HttpError(404, f"the graph knows nothing about {qid}")
        response = app.render("entity.html", page=found)
    else:
        node = NamedNode("http://www.wikidata.org/entity/" + qid)
        if not app.client.ask("resource-exists", resource=node):
            raise HttpError(404, f"the graph knows nothing about {qid}")
        response = _relay(app.config, app.client.graph("entity-describe", chosen, entity=node))
    response.headers["Vary"] = "Accept"
    return response


def void_description(request: Handler) -> Response:
    app = request.app
    chosen = neg.choose(request.headers.get("Accept"), _RDF_OFFERS) or neg.TURTLE
    root = f"http://{request.headers.get('Host') or f'{app.config.host}:{app.config.port}'}/"
    if not re.fullmatch(r"http://[A-Za-z0-9.\-\[\]:]+/", root):
        root = f"http://{app.config.host}:{app.config.port}/"  # never echo a bad Host header

    def select(query: str) -> list[dict[str, str]]:
        reply = app.client.raw(query, SPARQL_JSON)
        rows = json.loads(_relay(app.config, reply).body)["results"]["bindings"]
        return [{k: v["value"] for k, v in row.items()} for row in rows]

    quads = void.describe_with(select, app.config.base_iri, root)
    if chosen == neg.TURTLE:
        body = void.to_turtle(quads)
    else:
        fmt = RdfFormat.JSON_LD if chosen == neg.JSONLD else RdfFormat.N_TRIPLES
        body = void.serialize_bytes([q.triple for q in quads], fmt)
    return Response(200, chosen, body, {"Vary": "Accept"})


def dump(request: Handler, path: str) -> Response:
    """The whole dataset from Oxigraph's Graph Store endpoint (bounded like any result)."""
    app = request.app
    media_type = "application/n-quads" if path.endswith(".nq") else "application/trig"
    connection = http.client.HTTPConnection(
        "127.0.0.1", app.backend.port, timeout=app.config.time_limit_s + 5
    )
    try:
        connection.request("GET", "/store", headers={"Accept": media_type})
        answer = connection.getresponse()
        body = answer.read(app.config.max_result_bytes + 1)
    except OSError as error:
        raise BackendError(f"the SPARQL backend does not answer: {error}") from error
    finally:
        connection.close()
    if answer.status != 200:
        raise HttpError(502, "the dump is not available")
    if len(body) > app.config.max_result_bytes:
        raise HttpError(400, "the dump is over the result size limit; use `kg export nquads`")
    return Response(200, media_type, body, {})


def _error_response(request: Handler, error: HttpError) -> Response:
    reason = (
        HTTPStatus(error.status).phrase if error.status in HTTPStatus._value2member_map_ else ""
    )
    if _prefers_html(request) and request.path != "/sparql":
        response = request.app.render(
            "error.html", status=error.status, reason=reason, message=error.message
        )
        response.status = error.status
    else:
        response = Response(
            error.status, "text/plain; charset=utf-8", (error.message + "\n").encode(), {}
        )
    response.headers.update(error.headers)
    return response
