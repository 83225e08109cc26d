"""What a page says: the graph's knowledge about an entity or a minted resource.

Functions here ask the backend (``kg.server.sparql.Client``) and shape the answers into
plain dataclasses; the Jinja templates only lay them out.  Links are made local: an IRI
under the base IRI becomes its path on this server, a Wikidata entity its ``/entity/Q…``
page, anything else stays as it is.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from pyoxigraph import NamedNode

from kg.server.config import ServerConfig
from kg.server.pictures import Partner, TimelineDot, network_svg, timeline_svg
from kg.server.sparql import Client
from kg.vocab import PREFIXES, WD_NS

QID = re.compile(r"^Q[1-9][0-9]{0,11}$")


@dataclass(frozen=True)
class Link:
    href: str
    label: str
    iri: str


@dataclass
class Evidence:
    text: str
    begin: int


@dataclass
class Article:
    link: Link
    identifier: str
    title: str
    issued: str
    language: str
    source: str


@dataclass
class Statement:
    """One membership, position or dispute, with what supports it."""

    summary: list[Link | str]
    dates: str
    article: Article | None
    evidence: list[str]


@dataclass
class TimelineEvent:
    link: Link
    type: str
    mode: str
    date: str
    flags: list[str]
    actors: list[Link]
    recipients: list[Link]
    speakers: list[Link]
    article: Article | None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class EntityPage:
    qid: str
    iri: str
    label: str
    classes: list[str]
    memberships: list[Statement]
    positions: list[Statement]
    disputes: list[Statement]
    timeline: list[TimelineEvent]
    articles: list[tuple[Article, int]]
    # Inline SVG from the knowledge layer (kg.server.pictures); "" when there is nothing.
    timeline_picture: str = ""
    network_picture: str = ""


class Linker:
    """Turns IRIs into local links with the best label the graph has."""

    def __init__(self, config: ServerConfig, client: Client) -> None:
        self.config = config
        self.client = client
        self.labels: dict[str, str] = {}

    def learn_labels(self, iris: set[str]) -> None:
        unknown = sorted(i for i in iris if i not in self.labels and _is_iri(i))
        if not unknown:
            return
        rows = self.client.select("entity-labels", entity=[NamedNode(i) for i in unknown])
        for row in rows:
            if "label" in row:
                self.labels.setdefault(row["entity"], row["label"])

    def href(self, iri: str) -> str:
        if iri.startswith(WD_NS.iri) and QID.match(iri[len(WD_NS.iri) :]):
            return "/entity/" + iri[len(WD_NS.iri) :]
        local = self.config.path_for_iri(iri)
        return local if local is not None else iri

    def link(self, iri: str) -> Link:
        return Link(self.href(iri), self.labels.get(iri) or short_name(iri), iri)


def short_name(iri: str) -> str:
    """A readable name for an IRI without a label: a prefixed name or its last segment."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri.rstrip("/#").rsplit("/", 1)[-1] or iri


def _is_iri(value: str) -> bool:
    try:
        NamedNode(value)
    except ValueError:
        return False
    return ":" in value


def articles(linker: Linker, docs: set[str]) -> dict[str, Article]:
    if not docs:
        return {}
    rows = linker.client.select("documents", doc=[NamedNode(d) for d in sorted(docs)])
    found: dict[str, Article] = {}
    for row in rows:
        doc = row["doc"]
        identifier = row.get("identifier", short_name(doc))
        found.setdefault(
            doc,
            Article(
                link=Link(linker.href(doc), row.get("title") or identifier, doc),
                identifier=identifier,
                title=row.get("title", ""),
                issued=row.get("issued", ""),
                language=row.get("language", ""),
                source=row.get("source", ""),
            ),
        )
    return found


def _evidence_of(client: Client, assertions: set[str]) -> dict[str, list[Evidence]]:
    found: dict[str, list[Evidence]] = defaultdict(list)
    if not assertions:
        return found
    rows = client.select("evidence", assertion=[NamedNode(a) for a in sorted(assertions)])
    for row in rows:
        found[row["assertion"]].append(Evidence(row["text"], int(row["begin"])))
    return found


def entity_page(config: ServerConfig, client: Client, qid: str) -> EntityPage | None:
    """Everything the graph knows about a Wikidata entity, or None if it knows nothing."""
    iri = WD_NS.iri + qid
    entity = NamedNode(iri)
    linker = Linker(config, client)
    label_rows = client.select("entity-labels", entity=entity)
    documents = client.select("entity-documents", entity=entity)
    memberships = client.select("entity-memberships", entity=entity)
    positions = client.select("entity-positions", entity=entity)
    disputes = client.select("entity-disputes", entity=entity)
    events = client.select("entity-events", entity=entity)
    if not (label_rows or documents or memberships or positions or disputes or events):
        return None
    iris = {iri}
    for rows in (memberships, positions, disputes, events):
        for row in rows:
            iris.update(v for k, v in row.items() if k in _ENTITY_COLUMNS)
    linker.learn_labels(iris)
    docs = {
        r["doc"]
        for rows in (documents, memberships, positions, disputes, events)
        for r in rows
        if "doc" in r
    }
    known_articles = articles(linker, docs)
    label = linker.labels.get(iri, qid)
    return EntityPage(
        qid=qid,
        iri=iri,
        label=label,
        classes=sorted({short_name(r["class"]) for r in label_rows if "class" in r}),
        memberships=_memberships(linker, memberships, known_articles),
        positions=_positions(linker, positions, known_articles),
        disputes=_disputes(linker, disputes, known_articles),
        timeline=_timeline(linker, events, known_articles),
        articles=[
            (known_articles[d["doc"]], int(d["mentions"]))
            for d in documents
            if d["doc"] in known_articles
        ],
        timeline_picture=_timeline_picture(
            linker, client.select("entity-world-events", entity=entity)
        ),
        network_picture=_network_picture(
            linker, label, client.select("entity-partners", entity=entity)
        ),
    )


def _timeline_picture(linker: Linker, rows: list[dict[str, str]]) -> str:
    dots = []
    for row in rows:
        try:
            day = date.fromisoformat(row.get("date", "")[:10])
        except ValueError:
            continue
        reports = int(row.get("reports") or 1)
        dots.append(
            TimelineDot(
                day=day,
                quad=row.get("quad", ""),
                label=f"{row.get('type', '')}, {day.isoformat()}, {reports} reports",
                href=linker.href(row["worldEvent"]),
                reports=reports,
            )
        )
    return timeline_svg(dots)


def _network_picture(linker: Linker, center: str, rows: list[dict[str, str]]) -> str:
    linker.learn_labels({row["partner"] for row in rows})
    partners = [
        Partner(linker.link(row["partner"]).label, linker.href(row["partner"]), int(row["events"]))
        for row in rows
    ]
    return network_svg(center, partners)


_ENTITY_COLUMNS = {
    "member",
    "organization",
    "holder",
    "postIn",
    "disputant",
    "territory",
    "participant",
}


def _dates(start: str | None, end: str | None) -> str:
    if not start and not end:
        return "dates not stated"
    return f"{start or '…'} – {end or '…'}"


def _memberships(
    linker: Linker, rows: list[dict[str, str]], docs: dict[str, Article]
) -> list[Statement]:
    grouped: dict[str, Statement] = {}
    for row in rows:
        statement = grouped.setdefault(
            row["membership"],
            Statement(
                summary=[
                    linker.link(row["member"]),
                    f"{row.get('status', 'full')} member of",
                    linker.link(row["organization"]),
                ],
                dates=_dates(row.get("start"), row.get("end")),
                article=docs.get(row.get("doc", "")),
                evidence=[],
            ),
        )
        if row.get("evidence") and row["evidence"] not in statement.evidence:
            statement.evidence.append(row["evidence"])
    return list(grouped.values())


def _positions(
    linker: Linker, rows: list[dict[str, str]], docs: dict[str, Article]
) -> list[Statement]:
    grouped: dict[str, Statement] = {}
    for row in rows:
        post = row.get("postLabel") or row.get("role") or short_name(row["post"])
        summary: list[Link | str] = [linker.link(row["holder"]), f"holds the post “{post}”"]
        if row.get("postIn"):
            summary += ["in", linker.link(row["postIn"])]
        statement = grouped.setdefault(
            row["holding"],
            Statement(summary, _dates(None, None), docs.get(row.get("doc", "")), []),
        )
        if row.get("evidence") and row["evidence"] not in statement.evidence:
            statement.evidence.append(row["evidence"])
    return list(grouped.values())


def _disputes(
    linker: Linker, rows: list[dict[str, str]], docs: dict[str, Article]
) -> list[Statement]:
    parties: dict[str, list[str]] = defaultdict(list)
    first: dict[str, dict[str, str]] = {}
    evidence: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        dispute = row["dispute"]
        first.setdefault(dispute, row)
        if row["disputant"] not in parties[dispute]:
            parties[dispute].append(row["disputant"])
        if row.get("evidence") and row["evidence"] not in evidence[dispute]:
            evidence[dispute].append(row["evidence"])
    statements = []
    for dispute, row in first.items():
        summary: list[Link | str] = [
            f"dispute ({row.get('incompatibility', 'incompatibility not stated')}) between"
        ]
        for index, party in enumerate(parties[dispute]):
            summary += (["and"] if index else []) + [linker.link(party)]
        if row.get("territory"):
            summary += ["over", linker.link(row["territory"])]
        statements.append(
            Statement(summary, _dates(None, None), docs.get(row.get("doc", "")), evidence[dispute])
        )
    return statements


def _timeline(
    linker: Linker, rows: list[dict[str, str]], docs: dict[str, Article]
) -> list[TimelineEvent]:
    events: dict[str, TimelineEvent] = {}
    for row in rows:
        event = events.get(row["event"])
        if event is None:
            flags = [
                name for name in ("negated", "hypothetical", "claimed") if row.get(name) == "true"
            ]
            event = events[row["event"]] = TimelineEvent(
                link=linker.link(row["event"]),
                type=row.get("type", ""),
                mode=row.get("mode", ""),
                date=row.get("date")
                or (
                    row.get("published", "")[:10] + " (published)"
                    if row.get("published")
                    else "undated"
                ),
                flags=flags,
                actors=[],
                recipients=[],
                speakers=[],
                article=docs.get(row.get("doc", "")),
            )
        role_list = {
            "actor": event.actors,
            "recipient": event.recipients,
            "speaker": event.speakers,
        }[row["role"]]
        participant = linker.link(row["participant"])
        if participant not in role_list:
            role_list.append(participant)
    for iri, found in _evidence_of(linker.client, set(events)).items():
        events[iri].evidence = found
    # Undated events sit at their article's publication date, not at the top.
    return sorted(events.values(), key=lambda e: e.date)


@dataclass
class PropertyValue:
    predicate: Link
    value: Link | str  # a Link for IRIs, the lexical form for literals
    graph: Link | None


@dataclass
class ResourcePage:
    iri: str
    label: str
    properties: list[PropertyValue]
    incoming: list[tuple[Link, Link]]
    text: str | None  # a document's article text
    graph_triples: int | None  # for a named graph: how many triples it holds
    graph_source: Link | None


def resource_page(config: ServerConfig, client: Client, iri: str) -> ResourcePage:
    """A generic page for a minted IRI: its statements, what points at it, its text."""
    resource = NamedNode(iri)
    linker = Linker(config, client)
    properties = client.select("resource-properties", resource=resource)
    incoming = client.select("resource-incoming", resource=resource)
    linker.learn_labels({iri} | {r["o"] for r in properties} | {r["s"] for r in incoming})
    text_rows = client.select("document-text", resource=resource)
    summary = client.select("graph-summary", resource=resource)
    triples = int(summary[0]["triples"]) if summary and summary[0].get("triples") else 0
    return ResourcePage(
        iri=iri,
        label=linker.labels.get(iri, short_name(iri)),
        properties=[
            PropertyValue(
                predicate=linker.link(row["p"]),
                value=linker.link(row["o"]) if _looks_like_iri(row["o"]) else row["o"],
                graph=linker.link(row["g"]) if row.get("g") else None,
            )
            for row in properties
        ],
        incoming=[(linker.link(r["s"]), linker.link(r["p"])) for r in incoming],
        text=text_rows[0]["text"] if text_rows else None,
        graph_triples=triples or None,
        graph_source=linker.link(summary[0]["doc"]) if triples and summary[0].get("doc") else None,
    )


def _looks_like_iri(value: str) -> bool:
    # SPARQL JSON tells types apart, but select() keeps only values: literals that look like
    # absolute IRIs are rare, and showing one as a link is harmless.
    return value.startswith(("http://", "https://", "urn:")) and " " not in value
