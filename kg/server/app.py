"""The HTTP front of ``kg serve``: a Starlette app over the Oxigraph backend.

The routes are listed in ``create_app`` and described in ``kg/server/README.md``; minted
IRIs are 303 IRIs, like DBpedia's: the thing and the documents about it differ.

Starlette routes, parses queries and forms, and sends (or streams) the answers; uvicorn
(``kg.server.serving``) holds the connections.  Endpoints that wait on the backend are plain
functions, which Starlette runs in its thread pool; the two that read a request body are
coroutines and hand the waiting to the pool themselves.

No request reaches the file system: templates are loaded by fixed names and every other
answer comes from the SPARQL backend, so a path can only ever name an IRI.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import urllib.parse
from contextlib import AbstractAsyncContextManager
from http import HTTPStatus
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from pyoxigraph import NamedNode, RdfFormat
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Receive, Scope, Send

from kg.errors import GeokgError, QueryError
from kg.inline import inline_bindings
from kg.queries import load_query as load_named_query
from kg.server import negotiation as neg
from kg.server import void
from kg.server.backend import OxigraphBackend, Reply
from kg.server.cache import CachingMiddleware, ResponseCache
from kg.server.config import ServerConfig
from kg.server.pages import QID, Link, Linker, articles, entity_page, resource_page, short_name
from kg.server.sparql import SPARQL_JSON, Client, bind, prologue

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"
EXAMPLE_QUERY = """\
PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
SELECT ?event ?type ?actor ?recipient WHERE {
  ?event a sem:Event ; sem:eventType ?type ; gk:actor ?actor .
  OPTIONAL { ?event gk:recipient ?recipient }
}
LIMIT 50"""
RDF_ONLY = "available as text/html, text/turtle, application/ld+json, application/n-triples"
_RDF_OFFERS = [neg.TURTLE, neg.JSONLD, neg.NTRIPLES]
_TIMEOUT_MARK = b"has been cancelled"
_UNSAFE_PATH = re.compile(r"(^|/)\.\.?(/|$)|\\|\x00")
# What a 303's Location keeps unescaped: a path's characters, and '%' so nothing is escaped
# twice.  '#' is escaped: a hash IRI's path (a text span) names a resource, not a fragment.
_LOCATION_SAFE = "/:@!$&'()*+,;=-._~%"


def create_app(
    config: ServerConfig,
    backend: OxigraphBackend,
    lifespan: AbstractAsyncContextManager[None] | None = None,
) -> Starlette:
    """The ASGI app; ``lifespan`` is entered when the server starts and left when it stops."""
    front = Front(config, backend)
    routes = [
        Route("/", front.home),
        Route("/sparql", front.sparql, methods=["GET", "POST"]),
        Route("/update", front.update, methods=["GET", "POST"]),
        Route("/.well-known/void", front.void_description),
        Route("/dumps/geokg.nq", front.dump),
        Route("/dumps/geokg.trig", front.dump),
        Route("/queries/{name}", front.named_query),
        Route("/entity/{qid}", front.entity),
        Route("/page/{path:path}", front.page),
        Route("/data/{path:path}", front.data),
        Route("/{path:path}", front.see_other),  # a minted IRI, or 404
    ]
    handlers = {HTTPException: front.on_http_error, GeokgError: front.on_backend_error}
    middleware = [Middleware(HeadSizeLimit, max_bytes=config.max_head_bytes)]
    if config.cache_bytes:
        middleware.append(Middleware(CachingMiddleware, cache=ResponseCache(config.cache_bytes)))
    return Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers=handlers,  # type: ignore[arg-type]
        lifespan=(lambda app: lifespan) if lifespan else None,
    )


class HeadSizeLimit:
    """Refuses (431) a request whose line and headers are together over ``max_bytes``.

    uvicorn's h11 parser refuses a head that is still incomplete past the limit (it bounds its
    buffer), but takes a longer one that arrives whole in one read: this catches that one.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _head_bytes(scope) > self.max_bytes:
            message = f"the request line and headers are over {self.max_bytes} bytes\n"
            await PlainTextResponse(message, 431)(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def _head_bytes(scope: Scope) -> int:
    headers = sum(len(name) + len(value) + 4 for name, value in scope["headers"])
    return len(scope["raw_path"]) + len(scope["query_string"]) + headers


class Front:
    """The endpoints, and what they share: settings, backend and templates (all read-only)."""

    def __init__(self, config: ServerConfig, backend: OxigraphBackend) -> None:
        self.config = config
        self.backend = backend
        self.client = Client(backend, config.time_limit_s, config.max_result_bytes)
        # Every template escaped, whatever its name (Starlette's default keys on the extension).
        environment = Environment(
            loader=FileSystemLoader(str(TEMPLATES)),
            autoescape=select_autoescape(default=True, default_for_string=True),
        )
        self.templates = Jinja2Templates(env=environment)

    def render(
        self, request: Request, template: str, status: int = 200, **context: Any
    ) -> Response:
        return self.templates.TemplateResponse(request, template, context, status_code=status)

    # --- pages --------------------------------------------------------------------------------

    def home(self, request: Request) -> Response:
        linker = Linker(self.config, self.client)
        entities = [
            _labelled_link(linker, row["entity"], row.get("label"))
            for row in self.client.select("home-entities")
        ]
        docs = {row["doc"] for row in self.client.select("home-documents")}
        found = sorted(articles(linker, docs).values(), key=lambda a: (a.issued, a.identifier))
        return self.render(
            request,
            "home.html",
            entities=entities,
            articles=found,
            example=EXAMPLE_QUERY,
            time_limit=self.config.time_limit_s,
            max_mb=self.config.max_result_bytes // (1024 * 1024),
            read_only=self.config.update_token is None,
        )

    # --- SPARQL protocol ----------------------------------------------------------------------

    async def sparql(self, request: Request) -> Response:
        try:
            query, datasets = await self._query_and_datasets(request)
        except UnicodeDecodeError as error:
            raise HTTPException(400, "the request is not UTF-8") from error
        return await run_in_threadpool(self._answer_query, request, query, datasets)

    async def _query_and_datasets(self, request: Request) -> tuple[str | None, list[str]]:
        """The query text and the protocol's dataset parameters, from the URL or the body."""
        params = {name: request.query_params.getlist(name) for name in request.query_params}
        if request.method == "POST":
            content_type = _media_type(request)
            self._check_body_size(request)
            if content_type == "application/sparql-query":
                body = await request.body()
                if body:
                    params["query"] = [body.decode("utf-8")]
            elif content_type == "application/x-www-form-urlencoded":
                form = await request.form()
                if "update" in form:
                    raise HTTPException(403, "this is the query endpoint; updates go to /update")
                params.update({name: [str(v) for v in form.getlist(name)] for name in form})
            else:
                raise HTTPException(415, "POST a query as application/sparql-query or a form")
        queries = params.get("query", [])
        if len(queries) > 1:
            raise HTTPException(400, "give exactly one query parameter")
        datasets = params.get("default-graph-uri", []) + params.get("named-graph-uri", [])
        return (queries[0] if queries else None), datasets

    def _answer_query(self, request: Request, query: str | None, datasets: list[str]) -> Response:
        fmt = _param(request, "format")
        wants_html = fmt == "html" or (not fmt and _prefers_html(request))
        if query is None:
            if wants_html or request.method == "GET" and not request.headers.get("Accept"):
                return self.home(request)
            raise HTTPException(400, "missing the query parameter")
        if datasets:
            # Oxigraph's query endpoint takes them too, but the front forwards only the query
            # text; refuse rather than silently answer over another dataset.
            raise HTTPException(
                400, "default-graph-uri and named-graph-uri are not supported; use FROM / GRAPH"
            )
        if wants_html:
            return self._html_results(request, query)
        reply = self.client.raw(query, _accept_for(fmt, request.headers.get("Accept")))
        return self._relay(reply)

    def _check_body_size(self, request: Request) -> None:
        """Refuse a body over the limit before a byte of it is read (413).

        h11 has already checked that Content-Length is a number and reads exactly that many
        bytes; a chunked body has no length to check in advance, so it is refused (411).
        """
        if "chunked" in request.headers.get("Transfer-Encoding", "").lower():
            raise HTTPException(411, "send the request body with a Content-Length")
        if int(request.headers.get("Content-Length") or 0) > self.config.max_request_bytes:
            raise HTTPException(413, f"request body over {self.config.max_request_bytes} bytes")

    def _relay(self, reply: Reply) -> Response:
        """Oxigraph's answer to the client, unless it broke a limit."""
        if self._timed_out(reply):
            raise HTTPException(
                503, f"the query ran over the time limit of {self.config.time_limit_s:g} s"
            )
        if reply.truncated:
            raise HTTPException(
                400,
                f"the result is over the size limit of {self.config.max_result_bytes} bytes;"
                " add a LIMIT",
            )
        if reply.status >= 400:
            message = reply.body.decode("utf-8", errors="replace").strip() or "query failed"
            status = 400 if reply.status < 500 or "error at" in message else 502
            raise HTTPException(406 if reply.status == 406 else status, message)
        return Response(reply.body, media_type=reply.content_type, headers={"Vary": "Accept"})

    def _timed_out(self, reply: Reply) -> bool:
        body = reply.body.rstrip()
        return (
            reply.status == 504
            or (reply.seconds >= self.config.time_limit_s * 0.9 and body.endswith(_TIMEOUT_MARK))
            or body.endswith(b"SPARQL operation " + _TIMEOUT_MARK)
        )

    def _html_results(self, request: Request, query: str) -> Response:
        reply = self.client.raw(query, f"{SPARQL_JSON}, {neg.TURTLE};q=0.9")
        self._relay(reply)  # for its limits and errors
        if not reply.content_type.startswith(SPARQL_JSON):
            text = reply.body.decode("utf-8", errors="replace")
            return self._results_page(request, query=query, variables=["graph"], rows=[[text]])
        data = json.loads(reply.body)
        if "boolean" in data:
            return self._results_page(request, query=query, boolean=data["boolean"])
        linker = Linker(self.config, self.client)
        variables = data["head"]["vars"]
        rows = [
            [_cell(linker, binding.get(var)) for var in variables]
            for binding in data["results"]["bindings"]
        ]
        return self._results_page(request, query=query, variables=variables, rows=rows)

    def _results_page(self, request: Request, **shown: Any) -> Response:
        defaults: dict[str, Any] = {"variables": [], "rows": [], "boolean": None}
        return self.render(request, "results.html", **{**defaults, **shown})

    def named_query(self, request: Request) -> Response:
        """A query of ``queries/`` run with URL parameters, bound as typed RDF terms.

        ``/queries/members-of-organization?org=Q318693``: each value is converted by the type
        its header declares (kg.queries) and reaches SPARQL only as a serialised term, in a
        VALUES block and, where SPARQL takes a term, in the patterns (kg.inline).
        """
        name = request.path_params["name"]
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
            raise HTTPException(404, "no such query")
        params = {key: _param(request, key) for key in request.query_params if key != "format"}
        try:
            query = load_named_query(name)
            terms = query.bindings(params)
            # The values written into the query's patterns too (kg.inline), so that Oxigraph
            # plans with them: it evaluates a query bound by VALUES alone as if unbound.
            sparql = inline_bindings(query.sparql, terms) or query.sparql
            text = prologue() + bind(sparql, dict(terms))  # type: ignore[arg-type]
        except QueryError as error:
            raise HTTPException(404 if "no query" in str(error) else 400, str(error)) from error
        fmt = _param(request, "format")
        if fmt == "html" or (not fmt and _prefers_html(request)):
            return self._html_results(request, text)
        return self._relay(self.client.raw(text, _accept_for(fmt, request.headers.get("Accept"))))

    async def update(self, request: Request) -> Response:
        token = self.config.update_token
        if token is None:
            raise HTTPException(
                403, "this server is read-only (start it with --update-token to allow updates)"
            )
        if request.method != "POST":
            raise HTTPException(405, "updates are POSTed", {"Allow": "POST"})
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            raise HTTPException(
                401, "updates need 'Authorization: Bearer <token>'", {"WWW-Authenticate": "Bearer"}
            )
        self._check_body_size(request)
        content_type = _media_type(request)
        if content_type == "application/sparql-update":
            text = (await request.body()).decode("utf-8", errors="replace")
        elif content_type == "application/x-www-form-urlencoded":
            text = str((await request.form()).get("update", ""))
        else:
            raise HTTPException(415, "POST an update as application/sparql-update or a form")
        reply = await run_in_threadpool(
            self.backend.update, text, timeout_s=self.config.time_limit_s
        )
        if reply.status >= 400:
            message = reply.body.decode("utf-8", errors="replace").strip()
            raise HTTPException(400, message or "update failed")
        return Response(status_code=204)

    # --- linked data --------------------------------------------------------------------------

    def see_other(self, request: Request) -> Response:
        """303 from a minted IRI to the HTML or RDF document about it (Vary: Accept)."""
        path = request.url.path
        iri = self._minted_iri(path)
        if iri is None or not self._known(iri):
            raise HTTPException(404, f"nothing is known about {iri}" if iri else "no such page")
        chosen = neg.choose(request.headers.get("Accept"), [neg.HTML, *_RDF_OFFERS])
        if chosen is None:
            raise HTTPException(406, RDF_ONLY)
        target = "/page" + path if chosen == neg.HTML else f"/data{path}.{neg.EXTENSION_OF[chosen]}"
        location = urllib.parse.quote(target, safe=_LOCATION_SAFE)
        return RedirectResponse(location, status_code=303, headers={"Vary": "Accept"})

    def _minted_iri(self, path: str) -> str | None:
        """The IRI a local path names, if it is under the base and cannot climb out of it."""
        if _UNSAFE_PATH.search(path):
            return None
        return self.config.iri_for_path(path)

    def _known(self, iri: str) -> bool:
        try:
            node = NamedNode(iri)
        except ValueError:
            return False
        return self.client.ask("resource-exists", resource=node)

    def page(self, request: Request) -> Response:
        path = "/" + request.path_params["path"]
        iri = self._minted_iri(path)
        if iri is None or not self._known(iri):
            raise HTTPException(404, "no such resource")
        found = resource_page(self.config, self.client, iri)
        data_path = "/data" + urllib.parse.quote(path)
        return self.render(request, "resource.html", page=found, data_path=data_path)

    def data(self, request: Request) -> Response:
        stem, dot, extension = ("/" + request.path_params["path"]).rpartition(".")
        media_type = neg.RDF_FORMATS.get(extension) if dot else None
        iri = self._minted_iri(stem) if media_type else None
        if media_type is None or iri is None or not self._known(iri):
            raise HTTPException(404, "no such resource")
        reply = self.client.graph("resource-describe", media_type, resource=NamedNode(iri))
        response = self._relay(reply)
        response.headers["Link"] = f'<{iri}>; rel="describes"'
        return response

    def entity(self, request: Request) -> Response:
        """The page about a Wikidata entity, or its RDF (200 with Vary: Accept)."""
        qid = request.path_params["qid"]
        if not QID.match(qid):
            raise HTTPException(404, "entity pages are /entity/Q<number>")
        fmt = _param(request, "format")
        offers = [neg.HTML, *_RDF_OFFERS]
        chosen = (
            neg.RDF_FORMATS.get(fmt) if fmt else neg.choose(request.headers.get("Accept"), offers)
        )
        if chosen is None:
            raise HTTPException(406 if not fmt else 400, RDF_ONLY)
        if chosen == neg.HTML:
            found = entity_page(self.config, self.client, qid)
            if found is None:
                raise HTTPException(404, f"the graph knows nothing about {qid}")
            response = self.render(request, "entity.html", page=found)
        else:
            node = NamedNode("http://www.wikidata.org/entity/" + qid)
            if not self.client.ask("resource-exists", resource=node):
                raise HTTPException(404, f"the graph knows nothing about {qid}")
            response = self._relay(self.client.graph("entity-describe", chosen, entity=node))
        response.headers["Vary"] = "Accept"
        return response

    def void_description(self, request: Request) -> Response:
        chosen = neg.choose(request.headers.get("Accept"), _RDF_OFFERS) or neg.TURTLE
        quads = void.describe_with(
            self._select_rows, self.config.base_iri, self._site_root(request)
        )
        if chosen == neg.TURTLE:
            body = void.to_turtle(quads)
        else:
            fmt = RdfFormat.JSON_LD if chosen == neg.JSONLD else RdfFormat.N_TRIPLES
            body = void.serialize_bytes([q.triple for q in quads], fmt)
        return Response(body, media_type=chosen, headers={"Vary": "Accept"})

    def _site_root(self, request: Request) -> str:
        """This server's root URL, from the Host header only if it is a plain host and port."""
        own = f"{self.config.host}:{self.config.port}"
        host = request.headers.get("Host") or own
        if not re.fullmatch(r"[A-Za-z0-9.\-\[\]:]+", host):
            host = own  # never echo a bad Host header
        return f"http://{host}/"

    def _select_rows(self, query: str) -> list[dict[str, str]]:
        reply = self.client.raw(query, SPARQL_JSON)
        self._relay(reply)  # for its limits and errors
        rows = json.loads(reply.body)
        return [{k: v["value"] for k, v in row.items()} for row in rows["results"]["bindings"]]

    def dump(self, request: Request) -> Response:
        """The whole dataset from Oxigraph's Graph Store endpoint, streamed as it comes.

        Streamed, not read whole, so a dump is not held to the result size limit: its size is
        the dataset's, and the front holds one chunk of it at a time.
        """
        media_type = neg.NQUADS if request.url.path.endswith(".nq") else neg.TRIG
        chunks = self.backend.dump(media_type, timeout_s=self.config.time_limit_s + 5)
        return StreamingResponse(chunks, media_type=media_type)

    # --- errors -------------------------------------------------------------------------------

    async def on_http_error(self, request: Request, error: HTTPException) -> Response:
        """An HTML error page for browsers, plain text for everyone else.

        A bare ``/sparql`` request (a protocol client's POST) always gets text; a browser's GET
        form submission, which has a query string, gets the page.
        """
        status, headers = error.status_code, error.headers
        bare_sparql = request.url.path == "/sparql" and not request.url.query
        if not _prefers_html(request) or bare_sparql:
            return PlainTextResponse(error.detail + "\n", status, headers)
        reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
        page = self.render(request, "error.html", status, reason=reason, message=error.detail)
        page.headers.update(headers or {})
        return page

    async def on_backend_error(self, request: Request, error: Exception) -> Response:
        log.warning("request %s failed: %s", request.url.path, error)
        return await self.on_http_error(request, HTTPException(502, str(error)))


# --- request parts --------------------------------------------------------------------------


def _param(request: Request, name: str) -> str:
    """The first value of a URL parameter, "" if absent."""
    values = request.query_params.getlist(name)
    return values[0] if values else ""


def _media_type(request: Request) -> str:
    return request.headers.get("Content-Type", "").split(";")[0].strip().lower()


def _prefers_html(request: Request) -> bool:
    offers = [neg.HTML, *neg.SPARQL_RESULTS.values(), *neg.SPARQL_GRAPHS.values()]
    accept = request.headers.get("Accept")
    return bool(accept) and "text/html" in (accept or "") and neg.choose(accept, offers) == neg.HTML


def _accept_for(fmt: str, accept: str | None) -> str:
    if fmt:
        chosen = neg.SPARQL_RESULTS.get(fmt) or neg.SPARQL_GRAPHS.get(fmt)
        if chosen is None:
            raise HTTPException(400, f"unknown format {fmt!r}")
        return chosen
    return accept or "*/*"


def _labelled_link(linker: Linker, iri: str, label: str | None) -> Link:
    return Link(linker.href(iri), label or short_name(iri), iri)


def _cell(linker: Linker, cell: dict[str, str] | None) -> Link | str:
    """One value of a results table: IRIs become local links."""
    if cell is None:
        return ""
    if cell["type"] == "uri":
        return Link(linker.href(cell["value"]), cell["value"], cell["value"])
    return cell["value"]
