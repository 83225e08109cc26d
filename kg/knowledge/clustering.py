"""Which reports are one real-world event, and which are one fact.

Pure functions over report records: the store-backed layer and the coreference scorer
(which feeds them gold reports) share them, so what is measured is what runs.

Events.  Reports fall into one *block* when their type and actors agree (actors and
recipients as sets; for a symmetric type -- a clash, talks, an agreement -- every side
in one set, as the scorer compares them).  Talks, agreements and cooperation are between
their parties: where such a report names one side alone against two or more (Oman with
the United States and Iran, the United States with Armenia and Azerbaijan) the one is a
host, mediator or witness, and the parties are the event's sides.  Within a block,
reports are taken in order of the day each places the event on (its own date, else its
publication day, else the day its URL is filed under) and grouped greedily: a group
starts at its earliest report and takes every report within ``window_days`` of that
start, so a war's daily strikes by the same side stay separate events instead of chaining
into one.  A group whose reports name two different places is split by place; reports
naming none join the place most of the group names.

A report with no day at all (no date in its text, no publication date, none in its URL)
joins one of its block's dated events when its document tells which: of the events first
reported in the month its URL is filed under or the month before (all of them when the
URL names no month), the only one, or else the one whose documents share most of the
entities its document mentions (Jaccard, over the entities that tell the candidates
apart: Rome for the second round of talks, Muscat for the first), when one shares more
than the others.  Otherwise it joins a group of the undated ones.  Each undated report is
placed on its own, from the dated reports alone.  The result depends only on the set of
reports, not on their order: that is what makes the layer deterministic.

Facts.  One fact per (type, subject, object, extra): a membership, a post, a dispute.
Statements that differ only in ``extra`` (member vs former member) are different facts of
one block, kept side by side.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import lru_cache

from kg.knowledge.reports import EventReport, FactReport
from kg.model import SYMMETRIC_TYPES
from kg.paths import DATA_DIR

SETTINGS_FILE = DATA_DIR / "knowledge" / "coreference.json"


@lru_cache(maxsize=1)
def window_days() -> int:
    """How many days after a world event's first report another report can still be it
    (``kg/data/knowledge/coreference.json`` says where the figure comes from)."""
    return int(json.loads(SETTINGS_FILE.read_text(encoding="utf-8"))["window_days"])


def digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


# Symmetric acts between parties, which a third side can host, mediate or witness.
HOSTED_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})


def event_sides(report: EventReport) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Actors and recipients as compared: one unordered side for a symmetric type, the
    parties alone for hosted talks and agreements."""
    actors, recipients = set(report.actors), set(report.recipients)
    if report.type in SYMMETRIC_TYPES:
        if report.type in HOSTED_TYPES:
            for one, many in ((actors, recipients), (recipients, actors)):
                if len(one) == 1 and len(many) >= 2 and not one & many:
                    return tuple(sorted(many)), ()
        return tuple(sorted(actors | recipients)), ()
    return tuple(sorted(actors)), tuple(sorted(recipients))


def event_block(report: EventReport) -> str:
    actors, recipients = event_sides(report)
    return "event:" + digest(report.type, " ".join(actors), ">", " ".join(recipients))


def fact_block(report: FactReport) -> str:
    return "fact:" + digest(report.type, report.subject, report.object)


@dataclass(frozen=True)
class EventCluster:
    block: str
    start: date | None  # the earliest day of its reports; None for the undated group
    location: str | None
    reports: tuple[EventReport, ...]  # sorted by IRI

    @property
    def key(self) -> str:
        """Identifies the cluster among its block's: the same reports give the same key."""
        day = self.start.isoformat() if self.start else "undated"
        return digest(self.block, day, self.location or "")


def cluster_events(reports: Iterable[EventReport], window: int | None = None) -> list[EventCluster]:
    """Group reports into real-world events; the same set of reports always gives the
    same clusters, in a deterministic order."""
    window = window_days() if window is None else window
    by_block: dict[str, list[EventReport]] = {}
    for report in reports:
        by_block.setdefault(event_block(report), []).append(report)
    clusters: list[EventCluster] = []
    for block in sorted(by_block):
        clusters.extend(_cluster_block(block, by_block[block], window))
    return clusters


def _cluster_block(block: str, reports: list[EventReport], window: int) -> list[EventCluster]:
    dated = sorted((r for r in reports if r.anchor), key=lambda r: (r.anchor, r.iri))
    undated = [r for r in reports if not r.anchor]
    groups: list[tuple[date | None, list[EventReport]]] = []
    for report in dated:
        anchor = report.anchor
        assert anchor is not None
        if groups and groups[-1][0] is not None and (anchor - groups[-1][0]).days <= window:
            groups[-1][1].append(report)
        else:
            groups.append((anchor, [report]))
    # Each undated report is placed from the dated reports alone, all before any joins:
    # the result cannot depend on the order of the undated ones.
    dated_groups = [
        _Dated(start, members, frozenset(e for r in members for e in r.source.mentions))
        for start, members in groups
        if start is not None
    ]
    homes = [(report, _context_match(report, dated_groups)) for report in undated]
    unplaced: list[EventReport] = []
    for report, home in homes:
        if home is None:
            unplaced.append(report)
        else:
            home.append(report)
    if unplaced:
        groups.append((None, unplaced))
    clusters: list[EventCluster] = []
    for start, members in groups:
        for location, located in _split_by_place(members):
            clusters.append(
                EventCluster(block, start, location, tuple(sorted(located, key=lambda r: r.iri)))
            )
    return clusters


@dataclass(frozen=True)
class _Dated:
    """A dated group of a block, as undated reports are matched against it."""

    start: date
    members: list[EventReport]
    mentions: frozenset[str]  # every entity its reports' documents mention


def _context_match(report: EventReport, groups: Sequence[_Dated]) -> list[EventReport] | None:
    """The members of the dated group an undated report belongs to, if its document
    tells (module docstring); None if it does not."""
    candidates = list(groups)
    month = report.source.published_month
    if month is not None:
        year, number = month
        before = (year, number - 1) if number > 1 else (year - 1, 12)
        candidates = [g for g in candidates if (g.start.year, g.start.month) in (month, before)]
    if len(candidates) <= 1:
        return candidates[0].members if candidates else None
    common = frozenset.intersection(*(g.mentions for g in candidates))
    telling = set(report.source.mentions) - common
    scores = [
        Fraction(len(telling & (g.mentions - common)), max(1, len(telling | (g.mentions - common))))
        for g in candidates
    ]
    best = max(scores)
    if best == 0 or scores.count(best) > 1:
        return None
    return candidates[scores.index(best)].members


def _split_by_place(
    reports: Sequence[EventReport],
) -> list[tuple[str | None, list[EventReport]]]:
    places = Counter(r.location for r in reports if r.location)
    if len(places) <= 1:
        only = next(iter(places), None)
        return [(only, list(reports))]
    # Most named first, then by IRI: a deterministic home for the reports naming none.
    main = sorted(places, key=lambda place: (-places[place], place))[0]
    groups: dict[str, list[EventReport]] = {place: [] for place in sorted(places)}
    for report in reports:
        groups[report.location or main].append(report)
    return sorted(groups.items())


def cluster_facts(reports: Iterable[FactReport]) -> dict[tuple[str, str], list[FactReport]]:
    """(block, extra) -> the reports of that fact, each list sorted by IRI."""
    facts: dict[tuple[str, str], list[FactReport]] = {}
    for report in reports:
        facts.setdefault((fact_block(report), report.extra), []).append(report)
    return {key: sorted(found, key=lambda r: r.iri) for key, found in sorted(facts.items())}
