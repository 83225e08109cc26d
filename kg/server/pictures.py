"""Pictures of an entity from the knowledge layer, drawn on the server as inline SVG.

The pages carry no script (their Content-Security-Policy forbids it), so the pictures
are plain SVG: a timeline of the entity's real-world events (one dot per event, on the
row of its PLOVER quad category, its area growing with its number of reports) and its
partners' network (the entity in the middle, each partner on a circle around it, the
line as thick as the events they share).  Every label is escaped here; the templates
insert the result as markup.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from html import escape

WIDTH = 720
QUADS = ("Verbal cooperation", "Material cooperation", "Verbal conflict", "Material conflict")
QUAD_COLOURS = ("#4e79a7", "#59a14f", "#f28e2b", "#e15759")
ROW = 30
MARGIN_LEFT = 150
MARGIN_RIGHT = 20


@dataclass(frozen=True)
class TimelineDot:
    day: date
    quad: str
    label: str  # e.g. "REQUEST, 2022-09-13, 3 reports"
    href: str
    reports: int = 1


@dataclass(frozen=True)
class Partner:
    label: str
    href: str
    events: int


def timeline_svg(dots: list[TimelineDot]) -> str:
    """The events on a time axis, one row per quad category; "" when there is none."""
    if not dots:
        return ""
    first, last = min(d.day for d in dots), max(d.day for d in dots)
    span = max((last - first).days, 1)
    height = ROW * len(QUADS) + 40
    plot = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    parts = [_svg_open("timeline-picture", height, "Timeline of the entity's real-world events")]
    for row, (quad, colour) in enumerate(zip(QUADS, QUAD_COLOURS, strict=True)):
        y = 20 + row * ROW
        parts.append(f'<text x="4" y="{y + 4}" font-size="12">{escape(quad)}</text>')
        parts.append(
            f'<line x1="{MARGIN_LEFT}" y1="{y}" x2="{WIDTH - MARGIN_RIGHT}" y2="{y}" '
            f'stroke="#ddd"/>'
        )
        for dot in (d for d in dots if d.quad == quad):
            x = MARGIN_LEFT + plot * (dot.day - first).days / span
            radius = 3 + 2 * math.sqrt(max(dot.reports, 1))
            parts.append(
                f'<a href="{escape(dot.href)}"><circle class="dot" cx="{x:.1f}" cy="{y}" '
                f'r="{radius:.1f}" fill="{colour}" fill-opacity="0.7">'
                f"<title>{escape(dot.label)}</title></circle></a>"
            )
    axis = 20 + len(QUADS) * ROW
    parts.append(f'<text x="{MARGIN_LEFT}" y="{axis}" font-size="12">{first.isoformat()}</text>')
    parts.append(
        f'<text x="{WIDTH - MARGIN_RIGHT}" y="{axis}" font-size="12" text-anchor="end">'
        f"{last.isoformat()}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def network_svg(center: str, partners: list[Partner]) -> str:
    """The entity and its partners; "" when it has none."""
    if not partners:
        return ""
    height, radius = 360, 130
    cx, cy = WIDTH / 2, height / 2
    heaviest = max(p.events for p in partners)
    parts = [_svg_open("network-picture", height, "The entity's partners in real-world events")]
    nodes = []
    for n, partner in enumerate(partners):
        angle = 2 * math.pi * n / len(partners) - math.pi / 2
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        width = 1 + 5 * partner.events / heaviest
        parts.append(
            f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#999" '
            f'stroke-width="{width:.1f}"><title>{partner.events} shared events</title></line>'
        )
        anchor = "start" if math.cos(angle) > 0.1 else "end" if math.cos(angle) < -0.1 else "middle"
        dx = 10 if anchor == "start" else -10 if anchor == "end" else 0
        nodes.append(
            f'<a href="{escape(partner.href)}"><circle class="partner" cx="{x:.1f}" cy="{y:.1f}" '
            f'r="7" fill="#4e79a7"><title>{escape(partner.label)}</title></circle>'
            f'<text x="{x + dx:.1f}" y="{y + 4:.1f}" font-size="12" text-anchor="{anchor}">'
            f"{escape(_short(partner.label))} ({partner.events})</text></a>"
        )
    parts += nodes
    parts.append(
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="11" fill="#e15759"/>'
        f'<text x="{cx:.1f}" y="{cy + 28:.1f}" font-size="13" font-weight="bold" '
        f'text-anchor="middle">{escape(center)}</text></svg>'
    )
    return "".join(parts)


def _short(label: str, most: int = 26) -> str:
    """A label that fits beside its node (the whole one is the node's tooltip)."""
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"


def _svg_open(element_id: str, height: int, title: str) -> str:
    return (
        f'<svg id="{element_id}" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    )
