"""Generic actors ("police", "Iraqi protesters", "демонстранты"): the stage, its data, and
how they travel through extraction, RDF, validation, exports and queries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rigour.territories import get_territory

from kg.evaluation.assertions import generic_key
from kg.extraction.actors import SECTORS_PATH, find_generic_actors, same_word, sectors
from kg.extraction.outlet import address_state, home_state, language_state, scene_state
from kg.model import Document, Entity, Mention
from kg.paths import ONTOLOGY_DIR
from kg.pipeline import default_pipeline

SEC = Namespace("https://w3id.org/geokg/sector/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")


@pytest.fixture(scope="module")
def pipeline():  # type: ignore[no-untyped-def]
    return default_pipeline()


def generic(pipeline, text: str, lang: str) -> dict[str, tuple[str | None, str]]:  # type: ignore[no-untyped-def]
    """label -> (country, sector) of the generic actors the pipeline finds in ``text``."""
    extraction = pipeline(Document(id="t", text=text, lang=lang))
    return {e.label: (e.country, e.sector) for e in extraction.entities if e.is_generic}


def state(label: str, qid: str, text: str, surface: str) -> Entity:
    at = text.index(surface)
    return Entity(qid, label, "state", 1.0, [Mention(at, at + len(surface), surface)])


def test_a_group_next_to_a_state_takes_that_country() -> None:
    text = "Iranian protesters marched in the capital."
    found = find_generic_actors(text, "en", [state("Iran", "Q794", text, "Iranian")])
    assert [(e.label, e.country, e.sector, e.type) for e in found] == [
        ("Iranian protesters", "Q794", "protesters", "other")
    ]


def test_a_state_sector_next_to_its_state_is_the_state_itself() -> None:
    # FORMAT.md: a government or its army counts as the state; its mention acts.
    text = "Polisi Indonesia menangkap tiga orang."
    assert find_generic_actors(text, "id", [state("Indonesia", "Q252", text, "Indonesia")]) == []


def test_a_group_without_a_country_word_takes_the_state_the_document_is_about() -> None:
    text = "Kenya said on Monday that police fired tear gas. Kenya blamed the opposition."
    kenya = Entity(
        "Q114",
        "Kenya",
        "state",
        1.0,
        [Mention(0, 5, "Kenya"), Mention(49, 54, "Kenya")],
    )
    found = {e.sector: e.country for e in find_generic_actors(text, "en", [kenya])}
    assert found == {"police": "Q114", "opposition": "Q114"}


def test_of_states_named_equally_often_the_first_named_is_the_context() -> None:
    text = "Kenya and Uganda met. Police fired tear gas at the opposition."
    kenya, uganda = state("Kenya", "Q114", text, "Kenya"), state("Uganda", "Q1036", text, "Uganda")
    found = {e.sector: e.country for e in find_generic_actors(text, "en", [uganda, kenya])}
    assert found == {"police": "Q114", "opposition": "Q114"}


def test_a_report_that_names_no_state_gives_its_groups_its_home_state(pipeline) -> None:  # type: ignore[no-untyped-def]
    # Turkish is the official language of most people in one state only (CLDR): a
    # Turkish report's "Jandarma" is Türkiye's, as an analyst reads it.
    turkey = get_territory("tr")
    assert turkey is not None
    text = "Jandarma, eylem yapan göstericilere müdahale etti."
    found = generic(pipeline, text, "tr")
    assert {country for country, _ in found.values()} == {turkey.qid}
    # English has many such states: no home, no country.
    assert {c for c, _ in generic(pipeline, "Police dispersed the protesters.", "en").values()} == {
        None
    }


def test_a_state_organ_without_a_state_is_the_home_states_where_the_report_names_it() -> None:
    text = "Somali police said Somalia and Kenya met. The Foreign Ministry and protesters spoke."
    somalia = state("Somalia", "Q1045", text, "Somalia")
    somalia.mentions.append(Mention(0, 6, "Somali"))
    kenya = state("Kenya", "Q114", text, "Kenya")
    # Kenyan report: the ministry is Kenya's, the protesters those of the story's state.
    found = {
        e.sector: e.country for e in find_generic_actors(text, "en", [somalia, kenya], home="Q114")
    }
    assert found == {"government": "Q114", "protesters": "Q1045"}
    # A report from a state it does not name says nothing of whose ministry it is.
    found = {
        e.sector: e.country for e in find_generic_actors(text, "en", [somalia, kenya], home="Q38")
    }
    assert found == {"government": "Q1045", "protesters": "Q1045"}


def test_the_home_state_is_the_outlets_before_the_languages() -> None:
    ukraine, germany = get_territory("ua"), get_territory("de")
    assert ukraine is not None and germany is not None
    assert language_state("uk") == ukraine.qid
    assert home_state("https://www.dw.com/de/x", "uk") == ukraine.qid  # .com says nothing
    assert home_state("https://www.spiegel.de/x", "uk") == germany.qid
    # Languages of several states (Korean: both Koreas; Russian: Belarus and
    # Kazakhstan too) and those of no state's majority (Hindi) have no home.
    assert [language_state(lang) for lang in ("ko", "ru", "ar", "en", "hi")] == [None] * 5


def test_groups_in_a_report_without_a_home_are_where_its_address_says() -> None:
    algeria, chad, turkey = (get_territory(code) for code in ("dz", "td", "tr"))
    assert algeria is not None and chad is not None and turkey is not None
    # A news site's country section, and a headline repeated in the address, in French.
    assert address_state("https://vitaminedz.com/fr/Algerie/un-journaliste-arrete-1.html") == (
        algeria.qid
    )
    assert address_state("https://alwihdainfo.com/Tchad-Toute-l-equipe_a14756.html") == chad.qid
    # The longest name first ("south-sudan" is not Sudan); two states, or none: no answer.
    south_sudan = get_territory("ss")
    assert south_sudan is not None
    assert address_state("https://x.org/world/south-sudan-talks") == south_sudan.qid
    assert address_state("https://x.org/2020/01/02/china-and-india-hold-talks") is None
    assert address_state("https://x.org/news/police-fire-tear-gas") is None
    # Groups read it where the report has no home; the home state comes first, and posts
    # (home_state) never read it: "the foreign minister" is the outlet's own.
    assert scene_state("https://www.example.com/fr/Algerie/x", "fr") == algeria.qid
    assert scene_state("https://gazete.com/cavusoglu-yunanistan-ziyaret", "tr") == turkey.qid
    assert home_state("https://www.example.com/fr/Algerie/x", "fr") is None


def test_inflected_forms_match_and_verbs_of_the_same_stem_do_not() -> None:
    assert same_word("демонстрантов", "демонстранты")
    assert same_word("Demonstranten", "demonstranten")
    assert not same_word("protested", "protesters")
    assert not same_word("berunjuk", "pengunjuk")


def test_every_lexicon_language_finds_its_protesters(pipeline) -> None:  # type: ignore[no-untyped-def]
    sentences = {
        "en": "Thousands of protesters gathered.",
        "id": "Ribuan demonstran berkumpul.",
        "de": "Tausende Demonstranten versammelten sich.",
        "fr": "Des milliers de manifestants se sont rassemblés.",
        "es": "Miles de manifestantes se reunieron.",
        "pt": "Milhares de manifestantes se reuniram.",
        "ru": "Тысячи демонстрантов собрались.",
        "tr": "Binlerce gösterici toplandı.",
        "ar": "تجمع آلاف المتظاهرين.",
    }
    for lang, text in sentences.items():
        assert "protesters" in {s for _, s in generic(pipeline, text, lang).values()}, lang


# One news sentence per language whose words were added after the first nine.
NEWER_LANGUAGES = {
    "it": "La polizia ha arrestato decine di manifestanti a Roma.",
    "pl": "Policja zatrzymała kilkudziesięciu demonstrantów w Warszawie.",
    "uk": "Поліція затримала десятки протестувальників у Києві.",
    "fa": "پلیس ده‌ها نفر از معترضان را در تهران بازداشت کرد.",
    "zh": "警方在北京逮捕了数十名示威者。",
    "ja": "警察は東京でデモ参加者数十人を拘束した。",
    "ko": "경찰은 서울에서 시위대 수십 명을 연행했다.",
    "hi": "पुलिस ने दिल्ली में दर्जनों प्रदर्शनकारियों को हिरासत में लिया।",
}


# Words cut as the gazetteer cuts names: a Devanagari vowel sign stays in its word, a Han
# or kana character is a word, a Korean particle comes off ("경찰은"); Snowball stems
# Italian, Polish, Persian and Hindi, and the other four list their forms.
@pytest.mark.parametrize(("lang", "text"), list(NEWER_LANGUAGES.items()), ids=list(NEWER_LANGUAGES))
def test_the_newer_languages_find_police_and_protesters(pipeline, lang: str, text: str) -> None:  # type: ignore[no-untyped-def]
    assert {s for _, s in generic(pipeline, text, lang).values()} == {"police", "protesters"}


def test_an_adjective_is_not_a_group(pipeline) -> None:  # type: ignore[no-untyped-def]
    # "military action", "bantuan militer": no soldiers act there.
    assert generic(pipeline, "Leaders threatened military action.", "en") == {}


def test_one_sided_protest_and_arrest_by_police(pipeline) -> None:  # type: ignore[no-untyped-def]
    extraction = pipeline(
        Document(id="t", text="Thousands of students protested in Jakarta on Monday.", lang="en")
    )
    protests = [e for e in extraction.events if e.type == "PROTEST"]
    assert protests and protests[0].actor == ["students"] and protests[0].recipient == []


@pytest.mark.parametrize(
    ("lang", "text", "protest"),
    [
        ("id", "Polisi membubarkan unjuk rasa di Jakarta.", "unjuk rasa"),
        ("fr", "La police a dispersé une manifestation à Paris.", "manifestation"),
        ("de", "Die Polizei löste eine Kundgebung in Berlin auf.", "Kundgebung"),
    ],
)
def test_a_protest_named_by_its_noun_is_its_protesters(
    pipeline, lang: str, text: str, protest: str
) -> None:  # type: ignore[no-untyped-def]
    # GUIDE.md: "a protest" is the act of protesters the text does not name otherwise;
    # the police disperse them (COERCE), they do not stage it.
    assert generic(pipeline, text, lang)[protest][1] == "protesters"


def test_generic_actors_score_as_their_state_or_their_sector() -> None:
    state_sectors = frozenset(n for n, s in sectors().items() if s.state)
    assert generic_key("police", "Q796", state_sectors) == "Q796"
    assert generic_key("protesters", "Q796", state_sectors) == "sector:protesters@Q796"
    assert generic_key("police", None, state_sectors) == "sector:police@?"


def test_the_sector_data_and_the_skos_scheme_agree() -> None:
    graph = Graph().parse(ONTOLOGY_DIR / "sectors.ttl")
    in_scheme = {
        str(s).removeprefix(str(SEC)) for s in graph.subjects(SKOS.inScheme, URIRef(str(SEC)))
    }
    data = json.loads(SECTORS_PATH.read_text(encoding="utf-8"))
    assert in_scheme == set(data["sectors"])
    for name, sector in sectors().items():
        notations = {str(n) for n in graph.objects(SEC[name], SKOS.notation)}
        assert {name, sector.cameo} <= notations
        acts = graph.value(SEC[name], SEC.actsForState)
        assert acts is not None and acts.toPython() is sector.state
    for lang, words in data["words"].items():
        assert set(words) <= set(data["sectors"]), lang


def test_extract_output_carries_country_and_sector_and_stays_valid(pipeline) -> None:  # type: ignore[no-untyped-def]
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(
        (Path(__file__).parents[1] / "schemas" / "geokg-extract.schema.json").read_text()
    )
    text = "Iraqi protesters clashed with militants near Mosul."
    record = pipeline(Document(id="t", text=text, lang="en")).to_json()
    jsonschema.validate(record, schema)
    generic_entities = [e for e in record["entities"] if "sector" in e]
    assert {e["sector"] for e in generic_entities} == {"protesters", "rebels"}
    assert all(e["qid"] is None and "country" in e for e in generic_entities)
    named = [e for e in record["entities"] if e["qid"]]
    assert named and all("sector" not in e for e in named)


def test_generic_actors_in_rdf_validate_and_answer_their_query(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.cli import cli

    corpus = tmp_path / "news.jsonl"
    corpus.write_text(
        json.dumps(
            {
                "id": "n1",
                "lang": "en",
                "text": "Thousands of Kenyan students protested in Nairobi. Kenya sent troops.",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    store = str(tmp_path / "store")
    runner = CliRunner()
    assert runner.invoke(cli, ["build", str(corpus), "--store", store]).exit_code == 0
    assert runner.invoke(cli, ["validate", "--store", store]).exit_code == 0
    result = runner.invoke(
        cli, ["query", "generic-actor-events", "--store", store, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    students = [r for r in rows if r["sector"].endswith("/students")]
    assert students and students[0]["country"].endswith("/Q114")
    assert students[0]["type"] == "PROTEST" and students[0]["role"] == "actor"
    out = tmp_path / "out"
    assert runner.invoke(cli, ["export", "plover", "--store", store, "-o", str(out)]).exit_code == 0
    records = [json.loads(x) for x in (out / "events.jsonl").read_text().splitlines()]
    actors = [a for r in records if r["event"] == "PROTEST" for a in r["actor"]]
    assert {"sector": "students", "country": "Q114"}.items() <= actors[0].items()
    assert actors[0]["wikidata"] is None and Literal(actors[0]["iri"])
