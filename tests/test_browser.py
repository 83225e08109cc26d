"""The linked-data pages in a real headless browser (Debian's Chromium, driven by Playwright).

The store is the seed article run through the real pipeline (as ``kg build seeds/``) plus a
hostile document with script in its text, title and an entity label.  Skipped, with the
reason, where Chromium is not installed (``make browser-deps`` installs it).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from publishing_support import ServerProcess, xss_extraction

from kg.documents import iter_records, to_document
from kg.pipeline import default_pipeline
from kg.store import Store

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists() and os.environ.get("CI"):
    # CI promises this test runs: `make test` installs Chromium there.
    raise RuntimeError("browser test: /usr/bin/chromium is absent in CI; make browser-deps failed")
if not CHROMIUM.exists():
    pytest.skip(
        "browser test: /usr/bin/chromium is absent (run `make browser-deps`)",
        allow_module_level=True,
    )
playwright = pytest.importorskip(
    "playwright.sync_api", reason="browser test: pip playwright missing"
)

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    store = tmp_path_factory.mktemp("browser") / "store"
    pipeline = default_pipeline()  # the real linker and extractor
    with Store.open(store) as writable:
        for record in iter_records([ROOT / "seeds"]):
            writable.write_extraction(pipeline(to_document(record)))
        writable.write_extraction(xss_extraction())
    running = ServerProcess(store)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(java_script_enabled=True)  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tab.dialogs = dialogs
    yield tab
    context.close()


def test_entity_page_renders_with_the_seed_timeline(server: ServerProcess, page) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(server.url + "/entity/Q399")
    assert response.status == 200
    assert page.inner_text("h1") == "Armenia"
    timeline = page.inner_text("#timeline")
    for event_type in ("REQUEST", "ASSAULT"):
        assert event_type in timeline
    assert page.locator("#timeline li.event").count() >= 3
    assert "CSTO" in timeline or "Collective Security Treaty Organization" in timeline
    assert page.locator("#timeline blockquote.evidence").count() >= 3  # source sentences
    assert page.get_attribute("#wikidata", "href") == "https://www.wikidata.org/wiki/Q399"
    assert page.locator("#memberships a[href='/entity/Q318693']").count() >= 1  # the CSTO


def test_links_lead_from_home_to_entity_to_article_to_event(server: ServerProcess, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "/")
    with page.expect_navigation() as nav:
        page.click("#entities a[href='/entity/Q399']")
    assert nav.value.status == 200 and page.inner_text("h1") == "Armenia"
    with page.expect_navigation() as nav:
        page.locator("#timeline a.article").first.click()
    assert nav.value.status == 200  # the 303 from the document IRI was followed to its page
    assert "/page/id/doc/" in page.url
    assert "Pashinyan" in page.inner_text("#article-text")
    page.go_back()
    with page.expect_navigation() as nav:
        page.locator("#timeline a.type").first.click()
    assert nav.value.status == 200 and "/page/id/event/" in page.url
    assert page.locator("#properties tr").count() > 5


def test_query_page_runs_a_query(server: ServerProcess, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "/sparql")
    page.fill("#query", "SELECT ?doc WHERE { ?doc a <https://w3id.org/geokg/ontology#Document> }")
    page.select_option("select[name=format]", "html")
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert page.locator("#results tbody tr").count() == 2


def test_article_text_is_escaped(server: ServerProcess, page) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(server.url + "/id/doc/hostile-1")  # the IRI path: 303 to the page
    assert response.status == 200
    text = page.inner_text("#article-text")
    assert "<script>window.__pwned = 1;" in text and "<img src=x" in text
    assert page.evaluate("window.__pwned") is None
    assert page.locator("main script").count() == 0 and page.locator("main img").count() == 0
    assert "<script>" in page.title()  # the title shows as text
    page.goto(server.url + "/entity/Q399")
    assert page.evaluate("window.__pwned") is None
    assert page.dialogs == []


def test_entity_page_draws_its_world_events_and_partners(  # type: ignore[no-untyped-def]
    server: ServerProcess, page, tmp_path: Path
) -> None:
    """The pictures from the knowledge layer: a dot per real-world event on its quad
    category's row, a node per partner, each a link; rendered, and kept as a screenshot."""
    page.goto(server.url + "/entity/Q399")
    timeline, network = page.locator("#timeline-picture"), page.locator("#network-picture")
    assert timeline.is_visible() and network.is_visible()
    assert timeline.bounding_box()["width"] > 300  # drawn, not an empty box
    assert page.locator("#timeline-picture circle.dot").count() >= 3
    partners = page.locator("#network-picture circle.partner")
    assert partners.count() >= 2
    assert "Azerbaijan" in page.inner_text("#network-figure")
    shot = tmp_path / "entity-pictures.png"
    page.locator("#network-figure").screenshot(path=str(shot))
    assert shot.stat().st_size > 2_000  # a rendered picture, not a blank one
    # A partner's node leads to its entity page.
    page.locator("#network-picture a").first.click()
    assert page.url.startswith(server.url + "/entity/Q")
    assert page.dialogs == []  # no script ran
