"""Context cue lexicons (``kg/data/gazetteer/cues.json``) as sets of word keys."""

from __future__ import annotations

import json
import re
from collections.abc import Container
from dataclasses import dataclass
from functools import cache

from kg.gazetteer.normalize import Token, name_keys, word_key
from kg.paths import DATA_DIR

CUES_PATH = DATA_DIR / "gazetteer" / "cues.json"
LEXICONS_DIR = DATA_DIR / "lexicons"
TITLE_LOOKBACK = 3  # words a title may stand before a name, past capitalised ones


@dataclass(frozen=True)
class Cues:
    """Cue words of one language (plus the language-neutral ones)."""

    person_titles: frozenset[tuple[str, ...]]  # multi-word titles as key tuples
    title_last_words: frozenset[str]  # last key of each title, for a quick test
    title_first_words: frozenset[str]  # first key of each title, likewise
    title_words: frozenset[str]  # every key of every title
    speech_verbs: frozenset[str]
    acting_verbs: frozenset[str]
    metonym_before: frozenset[str]
    metonym_after: frozenset[str]
    passive_prefix: str | None
    literal_before: frozenset[str]
    literal_after: frozenset[str]
    non_names: frozenset[str]  # never a person's name (institution words included)
    institution_words: frozenset[str]  # "Ministry", "Kementerian": may start an organization's
    particles: frozenset[str]
    conjunctions: frozenset[str]
    org_heads: frozenset[str]
    source_nouns: frozenset[str]
    source_prepositions: frozenset[str]
    verb_shape: re.Pattern[str] | None
    genitive_places: bool  # "Банка России": a place after a name is its own entity
    capitalised_nouns: bool  # German: every noun has a capital letter
    sports_words: frozenset[str]
    state_heads: frozenset[str]
    verb_first: bool  # Arabic: "وقالت طهران", the verb before its subject
    org_tails: frozenset[str]
    object_markers: frozenset[str]
    uncased_stopwords: frozenset[str]
    verb_final: bool  # Turkish: the verb closes the clause
    joining_words: frozenset[str]
    # Persian, Korean, Japanese: a post follows the name ("«استف بلاک» وزیر خارجه")
    names_before_titles: bool = False
    # Italian: acronyms read as words are written in title case ("Usa", "Onu", "Ue")
    title_case_acronyms: bool = False
    treaty_words: frozenset[str] = frozenset()  # "Convention", "Abkommen", "اتفاقية"
    of_words: frozenset[str] = frozenset()  # "de" in "Convención de Viena"


@cache
def _data() -> dict:
    return json.loads(CUES_PATH.read_text(encoding="utf-8"))


def _keys(section: str, lang: str) -> frozenset[str]:
    table = _data()[section]
    words = list(table.get(lang, [])) + list(table.get("any", []))
    return frozenset(key for word in words for key in name_keys(word) or (word_key(word),))


@cache
def _lexicon(lang: str) -> dict:
    """The language's trigger and relation lexicon (kg/data/lexicons), if it has one."""
    path = LEXICONS_DIR / f"{lang}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _lexicon_posts(lang: str) -> list[str]:
    """The posts of the language's relation lexicon ("राष्ट्रपति", "وزیر امور خارجه",
    "대통령*", its wildcard dropped): person titles where cues.json lists none."""
    posts = _lexicon(lang).get("relations", {}).get("positions", {})
    return [term.rstrip("*") for terms in posts.values() for term in terms]


@cache
def cues_for(lang: str) -> Cues:
    """The cue sets of ``lang``; English cues serve languages without their own, but for
    person titles, which the language's relation lexicon gives where it has one."""
    data = _data()
    written = data["person_titles"].get(lang) or _lexicon_posts(lang)
    titles = frozenset(
        keys for title in written or data["person_titles"]["en"] if (keys := name_keys(title))
    )
    lexicon = _lexicon(lang)
    names_before_titles = bool(
        lexicon.get("appositive_titles") or lexicon.get("titles_follow_names")
    )
    title_case_acronyms = lang in data["title_case_acronyms"]["languages"]
    original = lang
    lang = lang if lang in data["person_titles"] else "en"
    non_names = data["non_names"]
    return Cues(
        person_titles=titles,
        title_last_words=frozenset(keys[-1] for keys in titles),
        title_first_words=frozenset(keys[0] for keys in titles),
        title_words=frozenset(key for keys in titles for key in keys),
        speech_verbs=_keys("speech_verbs", lang),
        acting_verbs=_keys("acting_verbs", lang) | _keys("speech_verbs", lang),
        metonym_before=_keys("metonym_before", lang),
        metonym_after=_keys("metonym_after", lang),
        passive_prefix=data["passive_prefix"].get(lang),
        literal_before=_keys("literal_before", lang),
        literal_after=_keys("literal_after", lang),
        non_names=frozenset(
            word_key(word) for word in non_names["words"] + non_names["institution_words"]
        ),
        institution_words=frozenset(word_key(word) for word in non_names["institution_words"]),
        particles=frozenset(word_key(word) for word in non_names["particles"]),
        conjunctions=_keys("conjunctions", lang),
        source_nouns=_keys("source_nouns", lang),
        source_prepositions=_keys("source_prepositions", lang),
        genitive_places=lang in data["genitive_languages"]["languages"],
        capitalised_nouns=lang in data["capitalised_nouns"]["languages"],
        sports_words=_keys("sports_words", lang),
        state_heads=_keys("state_heads", lang),
        verb_first=lang in data["verb_first"]["languages"],
        object_markers=_keys("object_markers", lang),
        uncased_stopwords=frozenset(word_key(w) for w in data["uncased_stopwords"]["words"]),
        verb_final=lang in data["verb_final"]["languages"],
        org_tails=frozenset(word_key(word) for word in data["org_tails"]["words"]),
        joining_words=frozenset(word_key(word) for word in data["joining_words"]["words"]),
        verb_shape=re.compile(data["verb_shapes"][lang]) if lang in data["verb_shapes"] else None,
        org_heads=frozenset(word_key(word) for word in data["org_heads"]["words"]),
        names_before_titles=names_before_titles,
        title_case_acronyms=title_case_acronyms,
        treaty_words=_keys("treaty_words", original),
        of_words=_keys("of_words", original),
    )


def capitalised(token: Token, cues: Cues) -> bool:
    """Could this word stand in a name or in a title before one (capitalised, not an
    acronym, not a month or other word that never names a person)?"""
    word = token.text
    return (
        word[:1].isupper()
        and not (word.isupper() and len(word) > 1)
        and any(ch.isalpha() for ch in word)
        and token.key not in cues.non_names
    )


def name_like(token: Token, cues: Cues) -> bool:
    """Could this word be part of a person's name (capitalised, and not a title)?"""
    return capitalised(token, cues) and token.key not in cues.title_words


def title_starts_at(tokens: list[Token], position: int, cues: Cues) -> bool:
    """Does a whole title start at word ``position``?"""
    if tokens[position].key not in cues.title_first_words:
        return False
    for title in cues.person_titles:
        end = position + len(title)
        if end <= len(tokens) and tuple(t.key for t in tokens[position:end]) == title:
            return True
    return False


def title_ends_at(tokens: list[Token], position: int, cues: Cues) -> bool:
    """Does a whole title ("Menteri Luar Negeri", "PM") end at word ``position``?"""
    if tokens[position].key not in cues.title_last_words:
        return False
    for title in cues.person_titles:
        start = position - len(title) + 1
        if start >= 0 and tuple(t.key for t in tokens[start : position + 1]) == title:
            return True
    return False


def title_before(
    text: str,
    tokens: list[Token],
    first: int,
    covered: Container[int],
    cues: Cues,
    also: frozenset[str] = frozenset(),
) -> bool:
    """Does a title (or a word of ``also``, such as a speech verb) end within
    ``TITLE_LOOKBACK`` words before word ``first``, past capitalised words and linked
    mentions ("Sekretaris Jenderal CSTO Stanislav Zas", "Kepala Intelijen Mesir Abbas
    Kamel"), on the same line?"""
    position = first - 1
    skipped = 0
    while position >= 0 and skipped <= TITLE_LOOKBACK:
        token = tokens[position]
        if "\n" in text[token.end : tokens[position + 1].start]:
            return False
        if title_ends_at(tokens, position, cues) or token.key in also:
            return True
        if position in covered or token.text[:1].isupper():
            position -= 1
            skipped += 1
            continue
        return False
    return False
