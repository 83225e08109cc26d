"""Linking in scripts without spaces, with vowel signs, with fused particles or joiners:
Chinese, Japanese, Korean, Hindi, Persian -- through CLDR's territory names."""

from __future__ import annotations

import pytest

from kg.gazetteer.normalize import name_keys, word_spans
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
