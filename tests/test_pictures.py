"""The SVG pictures of an entity page (kg/server/pictures.py), as drawn."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree

from kg.server.pictures import Partner, TimelineDot, network_svg, timeline_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_timeline_puts_each_event_on_its_quad_row_and_sizes_it_by_reports() -> None:
    dots = [
        TimelineDot(date(2022, 9, 13), "Verbal conflict", "REQUEST, 3 reports", "/a", reports=3),
        TimelineDot(date(2022, 10, 20), "Material conflict", "ASSAULT, 1 report", "/b", reports=1),
    ]
    tree = ElementTree.fromstring(timeline_svg(dots))
    circles = tree.findall(f".//{SVG}circle")
    assert len(circles) == 2
    first, second = circles
    assert float(first.get("cx")) < float(second.get("cx"))  # time runs left to right
    assert float(first.get("cy")) < float(second.get("cy"))  # verbal above material conflict
    assert float(first.get("r")) > float(second.get("r"))  # more reports, a bigger dot
    assert timeline_svg([]) == ""


def test_network_escapes_labels_and_links_each_partner() -> None:
    partners = [
        Partner("<script>alert(1)</script>", "/entity/Q1", 3),
        Partner("Russia", "/entity/Q159", 1),
    ]
    svg = network_svg("Armenia & co", partners)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    tree = ElementTree.fromstring(svg)  # well-formed despite the label
    assert [a.get("href") for a in tree.findall(f"{SVG}a")] == ["/entity/Q1", "/entity/Q159"]
    widths = [float(line.get("stroke-width")) for line in tree.findall(f"{SVG}line")]
    assert widths[0] > widths[1]  # more shared events, a thicker line
    assert network_svg("Armenia", []) == ""
