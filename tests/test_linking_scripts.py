"""Linking in scripts without spaces, with vowel signs, with fused particles or joiners:
Chinese, Japanese, Korean, Hindi, Persian -- through CLDR's territory names."""

from __future__ import annotations

import pytest

from kg.gazetteer.normalize import fold, name_keys, word_spans
from kg.linking import Linker
from kg.model import Document

ARMENIA, AZERBAIJAN, JAPAN, SOUTH_KOREA, USA = "Q399", "Q227", "Q17", "Q884", "Q30"


@pytest.fixture(scope="module")
def linker() -> Linker:
    return Linker.default()


def linked(linker: Linker, text: str, lang: str) -> set[str]:
    return {e.qid for e in linker(Document(id="t", text=text, lang=lang)) if e.qid}


def test_han_and_kana_characters_are_words_of_their_own() -> None:
    words = [w for _, _, w in word_spans("亚美尼亚总理帕希尼扬请求")]
    assert words[:4] == ["亚", "美", "尼", "亚"] and len(words) == 12
    assert name_keys("アルメニア") == ("ア", "ル", "メ", "ニ", "ア")


def test_vowel_signs_and_joiners_stay_inside_their_word() -> None:
    assert [w for _, _, w in word_spans("आर्मेनिया के प्रधानमंत्री")] == [
        "आर्मेनिया",
        "के",
        "प्रधानमंत्री",
    ]
    assert name_keys("گفت\u200cوگو") == name_keys("گفتوگو")  # with or without the joiner


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("zh", "亚美尼亚总理帕希尼扬请求集体安全条约组织提供援助。", {ARMENIA}),
        ("ja", "アルメニアの首相は日本を訪問した。", {ARMENIA, JAPAN}),
        ("ko", "대한민국은 일본과 회담했고 미국과 만났다.", {SOUTH_KOREA, JAPAN, USA}),
        ("hi", "आर्मेनिया और अज़रबैजान के बीच संघर्ष हुआ।", {ARMENIA, AZERBAIJAN}),
        ("fa", "ارمنستان و روسیه گفت\u200cوگو کردند.", {ARMENIA}),
    ],
)
def test_states_are_linked_in_every_script(
    linker: Linker, lang: str, text: str, expected: set[str]
) -> None:
    assert expected <= linked(linker, text, lang)


def test_a_cldr_name_is_bound_to_its_language(linker: Linker) -> None:
    # "일본" is a Korean name: in a document of another language it is not read.
    assert JAPAN not in linked(linker, "일본과", "en")


def labels(linker: Linker, text: str, lang: str) -> set[str]:
    return {e.label for e in linker(Document(id="t", text=text, lang=lang)) if e.qid}


@pytest.mark.parametrize(
    ("lang", "text", "city"),
    [
        ("it", "L'ambasciatore è tornato a Londra ieri sera.", "London"),
        ("fa", "معترضان در تهران تجمع کردند.", "Tehran"),
        ("zh", "巴格达发生爆炸。", "Baghdad"),
        ("ko", "카불에서 회담이 열렸다.", "Kabul"),
        ("pl", "Spotkanie odbyło się w Bruksela.", "City of Brussels"),
    ],
)
def test_cities_are_linked_by_their_cldr_names(
    linker: Linker, lang: str, text: str, city: str
) -> None:
    assert city in labels(linker, text, lang)


def test_a_city_name_that_is_a_weekday_is_not_a_city(linker: Linker) -> None:
    # Persian "دوشنبه" is Monday before it is Dushanbe: CLDR's day names keep it out.
    assert "Dushanbe" not in labels(linker, "روز دوشنبه نشست برگزار شد.", "fa")


def test_cldr_city_names_only_for_cities_already_known() -> None:
    from kg.gazetteer.sources import cldr_city_names

    names = list(cldr_city_names({"tehran": "Q-test"}))
    assert {qid for qid, _ in names} == {"Q-test"}
    by_lang = {name.lang: name.text for _, name in names}
    assert by_lang["fa"] == "تهران" and by_lang["ru"] == "Тегеран"
    assert "en" not in by_lang  # the English label is the known one
    dushanbe = {name.lang: name.text for _, name in cldr_city_names({"dushanbe": "Q-d"})}
    assert "fa" not in dushanbe and "ru" in dushanbe


def test_a_katakana_name_is_never_part_of_a_longer_katakana_word(linker: Linker) -> None:
    # "リガ" (Riga) folds to the letters inside "アメリカ" (America), "パリ" (Paris) to "ハリ".
    assert labels(linker, "リガとパリで会談が開かれた。", "ja") >= {"Riga", "Paris"}
    assert not labels(linker, "アメリカ財務省は制裁を拡大した。", "ja") & {"Riga", "Paris"}


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("pl", "Rząd Białorusi obradował w Warszawie.", {"Belarus", "Warsaw"}),
        ("uk", "Зустріч відбулася в Києві.", {"Kyiv"}),
        ("uk", "Посол прибув до Лісабона.", {"Lisbon"}),
    ],
)
def test_inflected_names_are_found_by_their_lemma(
    linker: Linker, lang: str, text: str, expected: set[str]
) -> None:
    assert labels(linker, text, lang) >= expected


def test_a_lemma_is_tried_only_where_the_word_differs() -> None:
    from kg.gazetteer.normalize import word_key, word_variants

    assert word_key("Білорусь") not in word_variants("Білорусь", "uk")
    assert word_key("Warszawa") in word_variants("Warszawie", "pl")
    assert word_variants("北京", "zh") == []  # simplemma has no Chinese


def test_person_titles_come_from_the_relation_lexicon_where_cues_have_none() -> None:
    from kg.gazetteer.normalize import name_keys
    from kg.linking.cues import cues_for

    hindi = cues_for("hi")
    assert name_keys("राष्ट्रपति") in hindi.person_titles  # from kg/data/lexicons/hi.json
    assert not hindi.names_before_titles
    persian = cues_for("fa")
    assert persian.names_before_titles  # appositive_titles in fa.json
    assert cues_for("ar").person_titles and not cues_for("ar").names_before_titles


def persons(linker: Linker, text: str, lang: str) -> set[str]:
    return {e.label for e in linker(Document(id="t", text=text, lang=lang)) if e.type == "person"}


def test_names_without_a_qid_before_a_post_where_posts_follow_names(linker: Linker) -> None:
    quoted = "«استف بلاک» وزیر خارجه هلند در بیانیه ای اعلام کرد."
    assert persons(linker, quoted, "fa") == {"استف بلاک"}
    assert persons(linker, "محمدجواد ظریف وزیر امور خارجه گفت", "fa") == {"محمدجواد ظریف"}
    # The words after a post are not a name where posts follow names.
    assert persons(linker, "وزیر امور خارجه شنبه عصر به ریاض رفت.", "fa") == set()


def test_names_without_a_qid_after_a_post_in_hindi(linker: Linker) -> None:
    assert persons(linker, "प्रधानमंत्री शहबाज़ शरीफ़ ने कहा।", "hi") == {"शहबाज़ शरीफ़"}


def test_traditional_chinese_is_read_as_simplified(linker: Linker) -> None:
    # CLDR gives the simplified names ("美国", "缅甸"); Hong Kong and Taiwan outlets write
    # the traditional characters, which ICU's Hant-Hans transform folds to them.
    assert fold("美國") == fold("美国")
    assert {USA, "Q836"} <= linked(linker, "美國與澳大利亞譴責緬甸軍方。", "zh")


def test_taiwan_and_hong_kong_names_from_cldr(linker: Linker) -> None:
    # CLDR's zh_Hant and zh_Hant_HK name Niger "尼日" and Indonesia "印尼", where its
    # mainland names are "尼日尔" and "印度尼西亚".
    assert {"Q1032", "Q252"} <= linked(linker, "尼日政變後,印尼外長表示關切。", "zh")
