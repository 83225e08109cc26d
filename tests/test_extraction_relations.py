"""Relations: memberships, posts, leadership, disputes, parts, citizenship, allies."""

from __future__ import annotations

import pytest
from extraction_helpers import entities_from, relation_tuples, relations_of
from rigour.territories import get_territory

from kg.extraction import extract_relations
from kg.extraction.outlet import outlet_state
from kg.gazetteer.sources import office_holders
from kg.model import Document, Entity

FORMS = {
    "Armenia": ("state", ["Armenia", "Yerevan", "Армении", "Армения", "Arménie"]),
    "Azerbaijan": ("state", ["Azerbaijan", "Azerbaïdjan", "Азербайджана"]),
    "Russia": ("state", ["Russia", "Rusia", "Russland"]),
    "Belarus": ("state", ["Belarus", "Belarusia"]),
    "Hungary": ("state", ["Hungary", "Ungarn", "Hungaria"]),
    "Turkey": ("state", ["Turkey", "Türkei"]),
    "Sweden": ("state", ["Sweden", "Swedia"]),
    "Finland": ("state", ["Finland"]),
    "United States": ("state", ["US", "United States"]),
    "Algeria": ("state", ["Algeria", "Algérie"]),
    "India": ("state", ["India"]),
    "Iran": ("state", ["Iran"]),
    "Afghanistan": ("state", ["Afghanistan"]),
    "Mongolia": ("state", ["Mongolia"]),
    "CSTO": ("alliance", ["CSTO", "ОДКБ"]),
    "NATO": ("alliance", ["NATO"]),
    "SCO": ("organization", ["Shanghai Cooperation Organisation", "SCO"]),
    "ECOWAS": ("organization", ["ECOWAS"]),
    "Niger": ("state", ["Niger"]),
    "Nagorno-Karabakh": ("region", ["Nagorno-Karabakh"]),
    "Nikol Pashinyan": ("person", ["Nikol Pashinyan", "Pashinyan", "Никол Пашинян"]),
    "Stanislav Zas": ("person", ["Stanislav Zas"]),
    "Anatoly Sidorov": ("person", ["Anatoly Sidorov"]),
    "Antony Blinken": ("person", ["Antony Blinken"]),
    "Jens Stoltenberg": ("person", ["Jens Stoltenberg"]),
    "Viktor Orbán": ("person", ["Viktor Orban"]),
    "Ahmed Attaf": ("person", ["Ahmed Attaf"]),
}


def found(text: str, lang: str) -> set[tuple[str, str, str]]:
    return relation_tuples(relations_of(text, lang, FORMS))


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "id",
            "Perdana Menteri Armenia Nikol Pashinyan berbicara.",
            ("HOLDS_POSITION", "Nikol Pashinyan", "Armenia"),
        ),
        (
            "en",
            "Armenian Prime Minister Nikol Pashinyan spoke.",
            ("HOLDS_POSITION", "Nikol Pashinyan", "Armenia"),
        ),
        (
            "en",
            "He met US Secretary of State Antony Blinken.",
            ("HOLDS_POSITION", "Antony Blinken", "United States"),
        ),
        (
            "en",
            "NATO Secretary-General Jens Stoltenberg spoke.",
            ("HOLDS_POSITION", "Jens Stoltenberg", "NATO"),
        ),
        (
            "de",
            "Der ungarische Ministerpräsident Viktor Orban sprach.",
            ("HOLDS_POSITION", "Viktor Orbán", "Hungary"),
        ),
        (
            "fr",
            "Selon le ministre algérien des Affaires étrangères, Ahmed Attaf, le plan est vide.",
            ("HOLDS_POSITION", "Ahmed Attaf", "Algeria"),
        ),
        (
            "ru",
            "Об этом заявил премьер-министр Армении Никол Пашинян.",
            ("HOLDS_POSITION", "Nikol Pashinyan", "Armenia"),
        ),
    ],
)
def test_positions(lang: str, text: str, expected: tuple[str, str, str]) -> None:
    assert expected in found(text, lang)


def test_position_after_the_name_refers_back_to_the_bloc() -> None:
    text = (
        "CSTO mengirim delegasi. Delegasi termasuk Anatoly Sidorov, kepala staf gabungan "
        "blok tersebut."
    )
    relations = relations_of(text, "id", FORMS)
    post = next(r for r in relations if r.type == "HOLDS_POSITION")
    assert (post.subject, post.object, post.extra) == (
        "Anatoly Sidorov",
        "CSTO",
        "chief of the joint staff",
    )


def test_citizenship_by_rank_and_by_origin_but_not_from_a_post() -> None:
    text = (
        "Delegasi dipimpin oleh Sekretaris Jenderal CSTO Stanislav Zas dari Belarusia dan "
        "termasuk Jenderal Rusia Anatoly Sidorov."
    )
    result = found(text, "id")
    assert ("CITIZEN_OF", "Stanislav Zas", "Belarus") in result
    assert ("CITIZEN_OF", "Anatoly Sidorov", "Russia") in result
    assert ("HOLDS_POSITION", "Stanislav Zas", "CSTO") in result
    assert ("CITIZEN_OF", "Stanislav Zas", "CSTO") not in result


@pytest.mark.parametrize(
    ("lang", "text", "members", "org"),
    [
        (
            "id",
            "Yerevan berhak mendapat bantuan dari CSTO mengingat"
            " pihaknya merupakan anggota aliansi.",
            ["Armenia"],
            "CSTO",
        ),
        ("en", "Finland on Tuesday became an official member of NATO.", ["Finland"], "NATO"),
        (
            "de",
            "NATO wartet. Ungarn und die Türkei sind die einzigen"
            " Mitglieder des Militärbündnisses.",
            ["Hungary", "Turkey"],
            "NATO",
        ),
        ("ru", "Армения — член ОДКБ.", ["Armenia"], "CSTO"),
    ],
)
def test_memberships(lang: str, text: str, members: list[str], org: str) -> None:
    result = found(text, lang)
    for member in members:
        assert ("MEMBER_OF", member, org) in result


def test_membership_status_observer_and_former() -> None:
    text = "Aside from Iran, Afghanistan and Mongolia currently have observer status in the SCO."
    statuses = {
        r.subject: r.extra for r in relations_of(text, "en", FORMS) if r.type == "MEMBER_OF"
    }
    assert statuses.get("Afghanistan") == "observer" and statuses.get("Mongolia") == "observer"
    left = relations_of("Niger telah resmi keluar dari ECOWAS.", "id", FORMS)
    assert [(r.subject, r.object, r.extra) for r in left if r.type == "MEMBER_OF"] == [
        ("Niger", "ECOWAS", "former")
    ]


def test_membership_needs_an_organization() -> None:
    assert not [
        r for r in relations_of("Armenia is a member.", "en", {"Armenia": FORMS["Armenia"]})
    ]


def test_leads_from_a_led_by_phrase() -> None:
    assert ("LEADS", "Russia", "CSTO") in found(
        "Aliansi pertahanan pimpinan Rusia, CSTO, diam.", "id"
    )
    assert ("LEADS", "India", "SCO") in found(
        "The SCO met online, organized by India, which holds the rotating presidency.", "en"
    )


def test_territorial_dispute_between_both_countries_over_a_named_territory() -> None:
    text = (
        "Armenia dan Azerbaijan bertetangga. Selama beberapa dekade, kedua negara terlibat "
        "perselisihan, khususnya dalam memperebutkan wilayah Nagorno-Karabakh."
    )
    dispute = next(r for r in relations_of(text, "id", FORMS) if r.type == "TERRITORIAL_DISPUTE")
    assert {dispute.subject, dispute.object} == {"Armenia", "Azerbaijan"}
    assert dispute.extra == "Nagorno-Karabakh"


def test_a_dispute_over_a_dam_is_not_territorial() -> None:
    forms = {"Ethiopia": ("state", ["Ethiopia"]), "Egypt": ("state", ["Egypt"])}
    text = "Ethiopia and Egypt started talks to resolve a dispute over the dam."
    assert not [r for r in relations_of(text, "en", forms) if r.type == "TERRITORIAL_DISPUTE"]


def test_part_of_de_jure_through_an_anaphor() -> None:
    text = (
        "Mereka memperebutkan Nagorno-Karabakh. Secara de jure, daerah tersebut merupakan "
        "bagian dari Azerbaijan."
    )
    assert ("PART_OF", "Nagorno-Karabakh", "Azerbaijan") in found(text, "id")


def test_ally() -> None:
    assert ("ALLY_OF", "Armenia", "Russia") in found("Armenia is a close ally of Russia.", "en")


def test_family_members_are_no_membership_and_a_party_name_no_member() -> None:
    forms = {**FORMS, "Taliban": ("organization", ["Талибан"]), "USA": ("state", ["американские"])}
    text = (
        "Талибан заявил, что в районе Зурмат «американские оккупанты и их марионетки» убили "
        "более 40 мирных жителей, в том числе уничтожив дом с 15 членами семьи местного жителя."
    )
    assert not [r for r in relations_of(text, "ru", forms) if r.type == "MEMBER_OF"]
    forms = {
        "Australia": ("state", ["Австралийскую"]),
        "ALP": ("organization", ["лейбористскую партию"]),
    }
    text = "Кевин Радд вступил в Австралийскую лейбористскую партию."
    assert not [r for r in relations_of(text, "ru", forms) if r.subject == "Australia"]


def test_a_vice_president_is_not_the_president() -> None:
    forms = {
        "United States": ("state", ["США"]),
        "Nelson Rockefeller": ("person", ["Нельсон Рокфеллер"]),
    }
    relations = relations_of("Вице-президент США Нельсон Рокфеллер выступил.", "ru", forms)
    assert [(r.type, r.extra) for r in relations] == [("HOLDS_POSITION", "vice president")]


def test_a_bare_head_of_state_title_names_the_main_state_only_when_it_clearly_leads() -> None:
    forms = {
        "Indonesia": ("state", ["Indonesia", "RI"]),
        "Brazil": ("state", ["Brasil"]),
        "Prabowo Subianto": ("person", ["Prabowo Subianto"]),
    }
    text = (
        "Indonesia resmi bergabung. Brasil menyambut Indonesia. Indonesia senang. "
        "Pemerintah RI menunggu pemerintahan baru di bawah Presiden Prabowo Subianto."
    )
    assert ("HOLDS_POSITION", "Prabowo Subianto", "Indonesia") in relation_tuples(
        relations_of(text, "id", forms)
    )
    balanced = "Indonesia dan Brasil bertemu. Presiden Prabowo Subianto hadir."
    assert not relations_of(balanced, "id", forms)


def with_qid(qid: str, entity: Entity) -> Entity:
    return Entity(qid, entity.label, entity.type, 1.0, entity.mentions)


def test_a_title_without_a_state_takes_the_officials_known_state() -> None:
    person_qid, state_qid = next(iter(office_holders().items()))
    text = "Nusantara dan Amerika Serikat bertemu. Presiden Jokowi menyambut tamunya."
    doc = Document(id="t", text=text, lang="id")
    forms = {
        "Nusantara": ("state", ["Nusantara"]),
        "Amerika Serikat": ("state", ["Amerika Serikat"]),
        "Jokowi": ("person", ["Jokowi"]),
    }
    state, other, person = entities_from(text, forms)
    entities = [with_qid(state_qid, state), other, with_qid(person_qid, person)]
    found = relation_tuples(extract_relations(doc, entities))
    assert ("HOLDS_POSITION", person_qid, state_qid) in found
    # The gazetteer's state is taken only where the document names it.
    unnamed = relation_tuples(extract_relations(doc, [other, with_qid(person_qid, person)]))
    assert not {r for r in unnamed if r[0] == "HOLDS_POSITION"}


@pytest.mark.parametrize(
    ("lang", "text", "demonym", "code", "person"),
    [
        (
            "en",
            "Blinken met his Ethiopian counterpart, Taye Atske, in Addis.",
            "Ethiopian",
            "et",
            "Taye Atske",
        ),
        (
            "fr",
            "Il a reçu son homologue éthiopien, Taye Atske, à Luanda.",
            "éthiopien",
            "et",
            "Taye Atske",
        ),
        (
            "es",
            "Se reunió con su homólogo etíope, Taye Atske, en Luanda.",
            "etíope",
            "et",
            "Taye Atske",
        ),
        (
            "es",
            "Llegó el embajador francés, Pierre Lenoir, a Lima.",
            "francés",
            "fr",
            "Pierre Lenoir",
        ),
        (
            "pt",
            "O embaixador francês, Pierre Lenoir, chegou a Lisboa.",
            "francês",
            "fr",
            "Pierre Lenoir",
        ),
        (
            "tr",
            "Fransız Büyükelçi Pierre Lenoir Ankara'ya geldi.",
            "Fransız",
            "fr",
            "Pierre Lenoir",
        ),
    ],
)
def test_a_counterpart_or_ambassador_holds_a_post_of_the_state_named_beside_it(
    lang: str, text: str, demonym: str, code: str, person: str
) -> None:
    territory = get_territory(code)
    assert territory is not None
    forms = {"the state": ("state", [demonym]), person: ("person", [person])}
    state, holder = entities_from(text, forms)
    doc = Document(id="t", text=text, lang=lang)
    found = relation_tuples(extract_relations(doc, [with_qid(territory.qid, state), holder]))
    assert ("HOLDS_POSITION", person, territory.qid) in found


def test_a_title_without_a_state_on_a_country_domain_is_the_outlets_own() -> None:
    germany, france = get_territory("de"), get_territory("fr")
    assert germany is not None and france is not None
    text = "Deutschland und Frankreich verhandeln. Außenminister Heiko Maas reiste ab."
    forms = {
        "Deutschland": ("state", ["Deutschland"]),
        "Frankreich": ("state", ["Frankreich"]),
        "Heiko Maas": ("person", ["Heiko Maas"]),
    }
    de, fr, maas = entities_from(text, forms)
    entities = [with_qid(germany.qid, de), with_qid(france.qid, fr), maas]

    def posts(url: str) -> set[tuple[str, str, str]]:
        doc = Document(id="t", text=text, lang="de", url=url)
        return {
            r for r in relation_tuples(extract_relations(doc, entities)) if r[0] == "HOLDS_POSITION"
        }

    assert posts("https://www.example.de/politik/1") == {
        ("HOLDS_POSITION", "Heiko Maas", germany.qid)
    }
    assert posts("https://www.example.fr/politique/1") == {
        ("HOLDS_POSITION", "Heiko Maas", france.qid)
    }
    assert posts("https://www.example.com/politik/1") == set()
    assert posts("https://www.example.at/politik/1") == set()  # Austria: not named here


def test_a_title_without_a_state_in_a_one_state_language_is_that_states() -> None:
    # Turkish is the official language of most people in Türkiye alone (CLDR): a
    # Turkish report's "Dışişleri Bakanı" on a .com site is Türkiye's foreign minister.
    turkey, russia = get_territory("tr"), get_territory("ru")
    assert turkey is not None and russia is not None
    text = "Türkiye ve Rusya görüştü. Dışişleri Bakanı Mevlüt Çavuşoğlu açıklama yaptı."
    forms = {
        "Türkiye": ("state", ["Türkiye"]),
        "Rusya": ("state", ["Rusya"]),
        "Mevlüt Çavuşoğlu": ("person", ["Mevlüt Çavuşoğlu"]),
    }
    tr, ru, minister = entities_from(text, forms)
    entities = [with_qid(turkey.qid, tr), with_qid(russia.qid, ru), minister]
    doc = Document(id="t", text=text, lang="tr", url="https://www.example.com/x")
    found = relation_tuples(extract_relations(doc, entities))
    assert {r for r in found if r[0] == "HOLDS_POSITION"} == {
        ("HOLDS_POSITION", "Mevlüt Çavuşoğlu", turkey.qid)
    }


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://www.aa.com.tr/tr/dunya/x", "tr"),
        ("https://www.bbc.co.uk/news/x", "gb"),
        ("https://kompas.id/baca/x", "id"),
        ("https://www.example.com/x", None),
        ("https://news.example.tv/x", None),  # sold worldwide for its letters
        ("https://example.eu/x", None),  # a region, not a state
        ("not a url", None),
        (None, None),
    ],
)
def test_outlet_state_from_the_country_code_domain(url: str | None, code: str | None) -> None:
    territory = get_territory(code) if code else None
    assert outlet_state(url) == (territory.qid if territory else None)


def test_a_post_right_after_a_name_is_its_own_where_posts_follow_names() -> None:
    # Persian news names first, then the post, with no comma (appositive_titles).
    text = "«دونالد ترامپ» رئیس جمهور آمریکا، «بنیامین نتانیاهو» نخست وزیر اسرائیل گفتند."
    forms = {
        "Donald Trump": ("person", ["دونالد ترامپ"]),
        "Benjamin Netanyahu": ("person", ["بنیامین نتانیاهو"]),
        "United States": ("state", ["آمریکا"]),
        "Israel": ("state", ["اسرائیل"]),
    }
    found = {
        r for r in relation_tuples(relations_of(text, "fa", forms)) if r[0] == "HOLDS_POSITION"
    }
    assert found == {
        ("HOLDS_POSITION", "Donald Trump", "United States"),
        ("HOLDS_POSITION", "Benjamin Netanyahu", "Israel"),
    }
