"""How names and text are cut into comparable word keys.

The alias index and the linker must agree exactly on this, so it lives in one
place.  A *key* is a folded word: lower case (``casefold``), diacritics
removed, typographic apostrophes unified, Turkish dotless i folded; Cyrillic
words are further reduced by a light, symmetric stemmer (the same endings are
stripped from "Армения" and "Армении", so both give "армен").  Text-side
*variants* (suffixes, Arabic prefixes, elisions, Turkish apostrophe endings)
are tried only when the whole word does not match; they live in
``kg/data/gazetteer/morphology.json``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

from kg.paths import DATA_DIR

MORPHOLOGY_PATH = DATA_DIR / "gazetteer" / "morphology.json"

# A word: dotted acronyms ("U.S.", "EE.UU.") or letters/digits with inner
# apostrophes ("Ermenistan'ın", "l'Algérie").  Hyphens split words so that
# "NATO-Beitritt" and "Nagorno-Karabakh" expose their parts.
# Combining marks (Devanagari vowel signs and viramas, Arabic harakat...) and the
# zero-width (non-)joiner of Persian belong to the word they stand in: without them in
# the class, "आर्मेनिया" would fall apart at every vowel sign.
MARKS = (
    "".join(
        chr(c) for c in range(0x300, 0x10000) if unicodedata.category(chr(c)) in ("Mn", "Mc", "Me")
    )
    + "\u200c\u200d"
)
_LETTER = rf"(?:[^\W_]|[{re.escape(MARKS)}])"
_WORD = re.compile(rf"(?:[^\W\d_]{{1,2}}\.){{2,}}|{_LETTER}+(?:['’ʼ]{_LETTER}+)*")
# Scripts written without spaces between words (Han, kana): each character is a word of
# its own, so a name is the run of characters that spells it ("亚美尼亚总理" holds
# "亚美尼亚").
UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
JOINERS = str.maketrans("", "", "\u200c\u200d")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "ı": "i", "ё": "е", "Ё": "е"})
# "й" is a letter of its own, not "и" with a mark: shield it from diacritic removal.
_SHORT_I, _SHIELD = "йЙ", "\ue000\ue001"
_SHIELD_IN = str.maketrans(_SHORT_I, _SHIELD)
_SHIELD_OUT = str.maketrans(_SHIELD, "йй")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_ARABIC = re.compile(r"[\u0600-\u06FF]")


class Token(NamedTuple):
    """A word of a text: its offsets, its text as written and its key.

    A named tuple: a news article has hundreds of words, made afresh each time.
    """

    start: int
    end: int
    text: str
    key: str


@dataclass(frozen=True)
class Morphology:
    """The inflection rules of ``morphology.json``, ready for use."""

    cyrillic_endings: tuple[str, ...]
    cyrillic_nominative: tuple[str, ...]
    cyrillic_min_stem: int
    suffixes: dict[str, tuple[str, ...]]
    min_stem_after_suffix: int
    min_stem: dict[str, int]  # per language, where stems are shorter (Hangul syllables)
    arabic_prefixes: tuple[str, ...]
    arabic_article: str
    elisions: frozenset[str]
    transliteration: tuple[tuple[str, str], ...]
    # Case endings that replace the nominative's rather than add to it, per language:
    # (ending as folded, nominative ending) -- Polish "armenii" -> "armenia".
    rewrites: dict[str, tuple[tuple[str, str], ...]]


@cache
def morphology() -> Morphology:
    data = json.loads(MORPHOLOGY_PATH.read_text(encoding="utf-8"))
    return Morphology(
        cyrillic_endings=tuple(sorted(data["cyrillic_endings"], key=len, reverse=True)),
        cyrillic_nominative=tuple(
            sorted(data["cyrillic_nominative_endings"], key=len, reverse=True)
        ),
        cyrillic_min_stem=int(data["cyrillic_min_stem"]),
        suffixes={
            lang: tuple(sorted(items, key=len, reverse=True))
            for lang, items in data["suffixes"].items()
        },
        min_stem_after_suffix=int(data["min_stem_after_suffix"]),
        min_stem={lang: int(n) for lang, n in data.get("min_stem_by_language", {}).items()},
        arabic_prefixes=tuple(sorted(data["arabic_prefixes"], key=len, reverse=True)),
        arabic_article=data["arabic_article"],
        elisions=frozenset(data["elisions"]),
        transliteration=tuple((a, b) for a, b in data["transliteration"]),
        rewrites={
            lang: tuple(sorted(((a, b) for a, b in pairs), key=lambda p: -len(p[0])))
            for lang, pairs in data.get("rewrites", {}).items()
        },
    )


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Case- and diacritic-folded form of a word (not a key: no stemming).  Traditional
    Chinese characters fold to simplified ones ("美國" and "美国" are one name)."""
    shielded = word.translate(_APOSTROPHES).translate(_SHIELD_IN)
    decomposed = unicodedata.normalize("NFKD", shielded)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = unicodedata.normalize("NFC", stripped).casefold().translate(_APOSTROPHES)
    if UNSPACED.search(folded):
        folded = folded.translate(simplified_han())
    return folded.translate(_SHIELD_OUT).translate(JOINERS)


# Han character blocks: CJK Unified Ideographs, Extension A, Compatibility Ideographs.
_HAN_BLOCKS = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF))


@cache
def simplified_han() -> dict[int, str]:
    """Each traditional Han character's simplified form, one character for one, from
    ICU's "Hant-Hans" transform (Unicode CLDR's data, through PyICU): "國" -> "国",
    "倫" -> "伦".  Characters that are the same in both scripts are not in the table."""
    import icu  # PyICU, which rigour installs

    transform = icu.Transliterator.createInstance("Hant-Hans")
    table: dict[int, str] = {}
    for low, high in _HAN_BLOCKS:
        for code in range(low, high + 1):
            simple = transform.transliterate(chr(code))
            if simple != chr(code) and len(simple) == 1 and UNSPACED.match(simple):
                table[code] = simple
    return table


def stem_cyrillic(folded: str, endings: tuple[str, ...] | None = None) -> str:
    """Strip one ending (the nominative ones by default) from a folded
    Cyrillic word, longest first: "армения" -> "армен", "карабах" stays."""
    rules = morphology()
    for ending in rules.cyrillic_nominative if endings is None else endings:
        if folded.endswith(ending) and len(folded) - len(ending) >= rules.cyrillic_min_stem:
            return folded[: -len(ending)]
    return folded


def _cyrillic_case_variants(folded: str, rules: Morphology) -> list[str]:
    """Stems of an inflected Cyrillic word: "армении" -> "армен", "карабахом" -> "карабах"."""
    return [
        folded[: -len(ending)]
        for ending in rules.cyrillic_endings
        if folded.endswith(ending) and len(folded) - len(ending) >= rules.cyrillic_min_stem
    ]


@lru_cache(maxsize=200_000)
def word_key(word: str) -> str:
    """The index key of one word as written."""
    folded = fold(word)
    if _CYRILLIC.search(folded):
        return stem_cyrillic(folded)
    return folded


def word_spans(text: str, pattern: re.Pattern[str] = _WORD) -> list[tuple[int, int, str]]:
    """(start, end, word) of the words of ``text`` (runs of ``pattern``); a Han or kana
    character is a word."""
    spans = [(m.start(), m.end(), m.group(0)) for m in pattern.finditer(text)]
    if UNSPACED.search(text) is None:
        return spans
    out: list[tuple[int, int, str]] = []
    for start, end, word in spans:
        if UNSPACED.search(word) is None:
            out.append((start, end, word))
            continue
        run = start
        for offset, char in enumerate(word, start):
            if UNSPACED.match(char):
                if run < offset:
                    out.append((run, offset, text[run:offset]))
                out.append((offset, offset + 1, char))
                run = offset + 1
        if run < end:
            out.append((run, end, text[run:end]))
    return out


def tokens(text: str) -> list[Token]:
    """Words of ``text`` with offsets into it and their keys."""
    return [Token(start, end, word, word_key(word)) for start, end, word in word_spans(text)]


def name_keys(name: str) -> tuple[str, ...]:
    """Keys of the words of a name, in order ("Korea Selatan" -> korea, selatan)."""
    return tuple(word_key(word) for _, _, word in word_spans(name))


def word_variants(word: str, lang: str) -> list[str]:
    """Other keys a word as written may stand for, most likely first.

    Tried only after the word's own key failed: "Ermenistan'ın" -> ermenistan,
    "l'Algérie" -> algerie, "Schwedens" -> schweden, "والصين" -> الصين.
    """
    rules = morphology()
    folded = fold(word)
    variants: list[str] = [word_key(lemma)] if (lemma := _lemma(word, lang)) else []
    if "'" in folded:
        head, _, tail = folded.partition("'")
        variants.append(word_key(tail) if head in rules.elisions else word_key(head))
    if _ARABIC.search(folded):
        variants.extend(_arabic_variants(folded, rules))
    if _CYRILLIC.search(folded):
        variants.extend(_cyrillic_case_variants(folded, rules))
    variants.extend(word_key(stem) for stem in _suffix_stems(folded, lang, rules))
    for ending, nominative in rules.rewrites.get(lang, ()):
        stem = folded[: -len(ending)]
        if folded.endswith(ending) and len(stem) >= rules.min_stem_after_suffix - 1:
            variants.append(word_key(stem + nominative))
    own = word_key(word)
    return list(dict.fromkeys(v for v in variants if v and v != own))


# Languages simplemma lemmatizes (its dictionaries hold names too: Polish "Białorusi" ->
# "Białoruś", Ukrainian "Києві" -> "Київ"); Chinese, Japanese and Korean it does not.
LEMMATIZED_LANGUAGES = frozenset(
    ("ar", "de", "en", "es", "fa", "fr", "hi", "id", "it", "pl", "pt", "ru", "tr", "uk")
)


def _lemma(word: str, lang: str) -> str | None:
    """The word's lemma by simplemma, where it knows one other than the word.  Only for a
    word that may be a name: not one that starts with a lower-case letter (most words of
    a text, which the linker would otherwise look up once more each)."""
    if lang not in LEMMATIZED_LANGUAGES or word[:1].islower():
        return None
    import simplemma  # its dictionaries load per language, on first use

    lemma = simplemma.lemmatize(word, lang=lang)
    return lemma if lemma.casefold() != word.casefold() else None


def is_common_word(word: str, lang: str) -> bool:
    """Is ``word`` a common word of ``lang`` by simplemma: a word its dictionary knows whose
    lemma starts with a lower-case letter ("Para" -> "para", "Seuls" -> "seul"), where
    names keep their capital ("Moscú"; "Eropa" is unknown).  Never in a script without
    case; never a German noun either, capitalised like a name ("Mann")."""
    if lang not in LEMMATIZED_LANGUAGES or not any(ch.islower() or ch.isupper() for ch in word):
        return False
    import simplemma

    return (
        simplemma.is_known(word, lang=lang) and simplemma.lemmatize(word, lang=lang)[:1].islower()
    )


def strip_particle(folded: str, lang: str) -> str:
    """A folded word without the particle fused to its end, where ``lang`` has such
    suffixes in the morphology data (Korean: "경찰은" -> "경찰"); else the word."""
    return next(_suffix_stems(folded, lang, morphology()), folded)


def _suffix_stems(folded: str, lang: str, rules: Morphology) -> Iterator[str]:
    """The word without each of ``lang``'s suffixes it ends with, longest suffix first,
    where enough of it is left."""
    least = rules.min_stem.get(lang, rules.min_stem_after_suffix)
    for suffix in rules.suffixes.get(lang, ()):
        stem = folded[: -len(suffix)]
        if folded.endswith(suffix) and len(stem) >= least:
            yield stem


@lru_cache(maxsize=100_000)
def article_dropped(word: str, lang: str) -> frozenset[str]:
    """The variants of a definite Arabic word ("السيول", "والصين", "للسلطة") that have
    lost its article ("سيول"): a place named without the article is not what the word
    with it means ("السيول" are the floods, not Seoul; "المالية" is "the financial", not
    Mali), while foreign names of organizations do take it ("اليونيسف", "الناتو")."""
    rules = morphology()
    folded = fold(word)
    if not _ARABIC.search(folded) or not any(
        folded.startswith(prefix) and len(folded) - len(prefix) >= 3
        for prefix in rules.arabic_prefixes
        if prefix.endswith(rules.arabic_article) or prefix == "لل"
    ):
        return frozenset()
    return frozenset(v for v in word_variants(word, lang) if not v.startswith(rules.arabic_article))


@lru_cache(maxsize=100_000)
def lemma_only(word: str, lang: str) -> frozenset[str]:
    """The variants of a word of a script without case that only its lemma gives (no
    suffix or prefix rule does).  In such a script every word is lemmatized, not only
    the capitalised ones, and a lemma can turn a common word into a weak name
    ("مالية", financial, -> "مالي", Mali)."""
    lemma = _lemma(word, lang) if word.lower() == word.upper() else None
    if lemma is None:
        return frozenset()
    key = word_key(lemma)
    rules = morphology()
    folded = fold(word)
    others = set(_arabic_variants(folded, rules)) if _ARABIC.search(folded) else set()
    if _CYRILLIC.search(folded):
        others.update(_cyrillic_case_variants(folded, rules))
    others.update(word_key(stem) for stem in _suffix_stems(folded, lang, rules))
    return frozenset() if key in others or key == word_key(word) else frozenset((key,))


def _arabic_variants(folded: str, rules: Morphology) -> list[str]:
    """Arabic words with a clitic conjunction/preposition or article removed."""
    variants: list[str] = []
    for prefix in rules.arabic_prefixes:
        if folded.startswith(prefix) and len(folded) - len(prefix) >= 3:
            rest = folded[len(prefix) :]
            variants.append(rest)
            if prefix.endswith(rules.arabic_article) or prefix == "لل":
                variants.append(rules.arabic_article + rest)
    return variants


def transliteration_variants(name: str) -> list[str]:
    """Spelling variants of a Latin-script person name ("Pashinyan"/"Pashinian")."""
    lowered = name
    variants: list[str] = []
    for left, right in morphology().transliteration:
        if left in lowered:
            variants.append(lowered.replace(left, right))
        if right in lowered:
            variants.append(lowered.replace(right, left))
    return [variant for variant in variants if variant != name]
