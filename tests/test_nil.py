"""NIL resolution online against a local Action API server: search in the
document's language and English, type (P31) and context checks, threshold,
ambiguity, recorded reasons, and the offline switch."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fixtures.wikidata.servers import FakeWikidata

from kg.model import Document, Entity, Mention
from kg.wikidata.client import WikidataClient
from kg.wikidata.config import RetryPolicy, WikidataConfig
from kg.wikidata.errors import OfflineError
from kg.wikidata.nil import NIL_METHOD, NilResolver, OnlineLinker

TEXT = (
    "Menteri Luar Negeri Armenia Armen Testoyan bertemu Nikol Pashinyan. "
    "Testoyan juga menyebut Zorblax Quintavian."
)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeWikidata]:
    server = FakeWikidata()
    yield server
    server.stop()


@pytest.fixture()
def client(fake: FakeWikidata, tmp_path: Path) -> WikidataClient:
    fake.reset()
    config = WikidataConfig(
        api_url=fake.api_url,
        timeout=0.5,
        retry=RetryPolicy(retries=1, backoff=0.01, max_wait=0.05),
        cache_path=tmp_path / "wd.sqlite",
    )
    return WikidataClient(config)


def entity(qid: str | None, label: str, kind: str, nth: int = 0) -> Entity:
    start = TEXT.index(label)
    for _ in range(nth):
        start = TEXT.index(label, start + 1)
    return Entity(qid, label, kind, 0.9, [Mention(start, start + len(label), label, "alias")])


def document() -> Document:
    published = datetime(2022, 9, 16, 1, 40, tzinfo=UTC)
    return Document(id="nil-test", text=TEXT, lang="id", published=published)


def offline_entities() -> list[Entity]:
    return [
        entity("Q399", "Armenia", "state"),
        entity(None, "Armen Testoyan", "person"),
        entity("Q7035479", "Nikol Pashinyan", "person"),
        entity(None, "Testoyan", "person", nth=1),
        entity(None, "Zorblax Quintavian", "person"),
    ]


def test_links_only_the_convincing_candidate(client: WikidataClient, fake: FakeWikidata) -> None:
    linked, decisions = NilResolver(client).resolve(document(), offline_entities())
    by_label = {d.label: d for d in decisions}

    testoyan = by_label["Armen Testoyan"]  # a namesake (Q990000004) lacks the context
    assert testoyan.qid == "Q990000002" and testoyan.score == 1.0
    assert "P31 fits person" in testoyan.reason and "name match 1.0" in testoyan.reason
    assert "P39=Q990000012 in Q399" in testoyan.reason  # he held a post of Armenia

    village = by_label["Testoyan"]  # a village of that name: wrong type, rejected
    assert village.qid is None and "Q990000003" in village.reason
    assert "does not fit type person" in village.reason

    assert by_label["Zorblax Quintavian"].reason == "no Wikidata candidates"
    assert set(by_label) == {"Armen Testoyan", "Testoyan", "Zorblax Quintavian"}

    (armen,) = [e for e in linked if e.qid == "Q990000002"]
    assert {m.method for m in armen.mentions} == {NIL_METHOD}
    searches = [e["params"] for e in fake.log if e["params"]["action"] == "wbsearchentities"]
    assert {s["language"] for s in searches} == {"id", "en"}  # document language and English


def test_threshold_and_ambiguity(client: WikidataClient) -> None:
    partial = [entity(None, "Armen", "person")]  # only a prefix of the label
    _, (decision,) = NilResolver(client).resolve(document(), partial)
    assert decision.qid is None and "< 0.7" in decision.reason

    # Lower the bar and the two people named Armen Testoyan tie: no link.
    _, (lenient,) = NilResolver(client, threshold=0.4).resolve(document(), partial)
    assert lenient.qid is None and lenient.reason.startswith("ambiguous")
    assert {"Q990000002", "Q990000004"} <= {c.qid for c in lenient.candidates}


def test_context_raises_the_score(client: WikidataClient) -> None:
    with_context = offline_entities() + [entity("Q99659280", "Armenia", "conflict")]
    _, decisions = NilResolver(client).resolve(document(), with_context)
    (armen,) = [d for d in decisions if d.label == "Armen Testoyan"]
    assert "P607=Q99659280" in armen.reason and armen.score == 1.0


def test_online_linker_wraps_an_offline_stage(client: WikidataClient) -> None:
    stage = OnlineLinker(lambda doc: offline_entities(), NilResolver(client))
    entities = stage(document())
    assert [e.qid for e in entities].count("Q990000002") == 1
    assert len(stage.decisions) == 3


def test_nil_resolution_respects_offline(client: WikidataClient) -> None:
    offline = WikidataClient(replace(client.config, offline=True))
    with pytest.raises(OfflineError):
        NilResolver(offline).resolve(document(), offline_entities())


def test_linker_then_nil_resolution(client: WikidataClient) -> None:
    from kg import linking

    stage = OnlineLinker(linking.Linker.default(), NilResolver(client))
    entities = stage(document())
    assert "Q399" in {e.qid for e in entities}
    assert all(d.reason for d in stage.decisions)


def test_online_linker_for_the_pipeline(fake: FakeWikidata, tmp_path: Path) -> None:
    from kg import linking
    from kg.wikidata.nil import online_linker

    config = WikidataConfig(api_url=fake.api_url, cache_path=tmp_path / "wd.sqlite")
    text = "Delegasi tersebut dipimpin oleh Sekretaris Jenderal CSTO Armen Testoyan dari Armenia."
    doc = Document(id="nil-pipeline", text=text, lang="id")
    offline = {e.label: e.qid for e in linking.Linker.default()(doc)}
    assert offline["Armen Testoyan"] is None  # the offline linker finds him, cannot link him
    stage = online_linker(config)
    linked = {e.label: e.qid for e in stage(doc)}
    assert linked["Armen Testoyan"] == "Q990000002" and linked["Armenia"] == "Q399"
    assert any("linked Q990000002" in d.reason for d in stage.decisions)


def test_pipeline_with_online_linking(fake: FakeWikidata, tmp_path: Path) -> None:
    from kg.pipeline import default_pipeline, with_online_linking

    config = WikidataConfig(api_url=fake.api_url, cache_path=tmp_path / "wd.sqlite")
    text = "Delegasi tersebut dipimpin oleh Sekretaris Jenderal CSTO Armen Testoyan dari Armenia."
    extraction = with_online_linking(default_pipeline(), config)(
        Document(id="nil-pipe", text=text, lang="id")
    )
    linked = {e.label: e.qid for e in extraction.entities}
    assert linked["Armen Testoyan"] == "Q990000002"


# --- the mention's context decides between namesakes (invented items Q99000002x) ---------


def _resolve(
    client: WikidataClient, text: str, lang: str, named: dict[str, tuple[str, str]], person: str
) -> tuple[str | None, str]:
    """Resolve ``person`` in ``text``; ``named`` holds the linked entities
    (surface form -> (QID, type)). Returns the decision's QID and reason."""

    def at(form: str, kind: str, qid: str | None) -> Entity:
        start = text.index(form)
        return Entity(qid, form, kind, 0.9, [Mention(start, start + len(form), form, "alias")])

    entities = [at(form, kind, qid) for form, (qid, kind) in named.items()]
    entities.append(at(person, "person", None))
    doc = Document(id="ctx", text=text, lang=lang)
    _, decisions = NilResolver(client).resolve(doc, entities)
    (decision,) = [d for d in decisions if d.label == person]
    return decision.qid, decision.reason


def test_the_post_named_beside_the_mention_picks_the_minister(client: WikidataClient) -> None:
    # Both namesakes are Armenian citizens (P27 = Armenia, named in the text): the
    # claims tie; "Foreign Minister" beside the name matches the post the politician
    # held (its country given by P1001), not the footballer.
    text = "Armenian Foreign Minister Ararat Mirzoyan met his Azerbaijani counterpart."
    named = {"Armenian": ("Q399", "state"), "Azerbaijani": ("Q227", "state")}
    qid, reason = _resolve(client, text, "en", named, "Ararat Mirzoyan")
    assert qid == "Q990000020"
    assert "P39=Q990000022 in Q399" in reason and "broken by context words" in reason
    assert "foreign" in reason and "minist" in reason


def test_the_country_named_in_the_text_picks_its_citizen(client: WikidataClient) -> None:
    text = "Karen Hakobyan, an engineer, spoke in Azerbaijan on Monday."
    qid, reason = _resolve(client, text, "en", {"Azerbaijan": ("Q227", "state")}, "Karen Hakobyan")
    assert qid == "Q990000025" and "P27=Q227" in reason


def test_a_true_tie_abstains(client: WikidataClient) -> None:
    text = "Ararat Mirzoyan arrived in Armenia on Monday."
    qid, reason = _resolve(client, text, "en", {"Armenia": ("Q399", "state")}, "Ararat Mirzoyan")
    assert qid is None and reason.startswith("ambiguous")


def test_a_description_in_the_documents_language_is_read(client: WikidataClient) -> None:
    # The politician is described only in Russian; the Russian text names his post.
    text = "Министр иностранных дел Армении Арарат Мирзоян встретился с коллегой."
    named = {"Армении": ("Q399", "state")}
    qid, reason = _resolve(client, text, "ru", named, "Арарат Мирзоян")
    assert qid == "Q990000020" and "broken by context words" in reason
