"""Mention detection: find alias occurrences in a document's words.

Greedy longest match, left to right, over word keys (``kg.gazetteer.normalize``):
at each word, the longest run of adjacent words whose keys form an alias key
wins.  A word that does not match as written is tried through its inflection
variants ("Ermenistan'ın", "Schwedens", "والصين").  Candidates are then
filtered by how the alias must be written (acronyms exactly, names
capitalised, demonyms only in their language), by whether a weak name is
used as a common word in this very document, and by the forms the annotated
corpus refutes in the document's language (Indonesian "Para" is no Pará).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.gazetteer.index import CASE_ANY, CASE_EXACT, AliasIndex, Candidate
from kg.gazetteer.normalize import (
    Token,
    article_dropped,
    fold,
    lemma_only,
    morphology,
    name_keys,
    word_variants,
)
from kg.linking.context import opens_sentence
from kg.linking.cues import cues_for

_JOINERS = frozenset({"", " ", "-", "\u2010", "\u2011", "\u00a0"})


@dataclass
class Match:
    """Words ``first``..``last`` (inclusive) of the document matched an alias."""

    first: int
    last: int
    start: int
    end: int
    text: str
    candidates: tuple[Candidate, ...]


@lru_cache(maxsize=100_000)
def _variants(word: str, lang: str) -> tuple[str, ...]:
    return tuple(word_variants(word, lang))


def lowercase_keys(tokens: list[Token]) -> frozenset[str]:
    """Keys of words written in lower case somewhere in the document.

    A weak alias found among them is a common word of this document's
    language ("Lasa", "Sina"...), not a name.
    """
    return frozenset(token.key for token in tokens if token.text[:1].islower())


def _joined(text: str, left: Token, right: Token) -> bool:
    return text[left.end : right.start] in _JOINERS


def detect(
    text: str, tokens: list[Token], index: AliasIndex, lang: str, lowercase: frozenset[str]
) -> list[Match]:
    """Alias matches in ``tokens``, left to right, never overlapping."""
    matches: list[Match] = []
    position = 0
    while position < len(tokens):
        if not _may_start(tokens[position], index, lang):
            position += 1
            continue
        found = _longest_at(text, tokens, position, index, lang, lowercase)
        if found is None:
            position += 1
            continue
        matches.append(found)
        position = found.last + 1
    return matches


def _may_start(token: Token, index: AliasIndex, lang: str) -> bool:
    """Can an alias start with this word (as written or as a variant)?  Most
    words of a text cannot: this test keeps them cheap."""
    table, prefixes = index.table, index.prefixes
    if token.key in table or token.key in prefixes:
        return True
    return any(v in table or v in prefixes for v in _variants(token.text, lang))


def _longest_at(
    text: str,
    tokens: list[Token],
    position: int,
    index: AliasIndex,
    lang: str,
    lowercase: frozenset[str],
) -> Match | None:
    """The longest alias match starting at word ``position``.

    Walks forward word by word, each word as written or through one of its
    variants, as long as the key built so far begins some alias.
    """
    best: Match | None = None
    paths = [(position, key, how) for key, how in _options(tokens[position], lang)]
    while paths:
        last, key, how = paths.pop()
        if best is None or last > best.last:
            match = _match(text, tokens, position, last, key, index, lang, lowercase, how)
            if match is not None:
                best = match
        following = last + 1
        if (
            key in index.prefixes
            and following < len(tokens)
            and _joined(text, tokens[last], tokens[following])
        ):
            paths.extend(
                (following, f"{key} {option}", how | option_how)
                for option, option_how in _options(tokens[following], lang)
            )
    return best


# How a word's key was reached, when not as written (bits of a path's ``how``).
ARTICLE_DROPPED = 1  # the variant lost the Arabic article the word carries
LEMMA_ONLY = 2  # only the word's lemma gives the variant


def _options(token: Token, lang: str) -> list[tuple[str, int]]:
    """The word's keys (as written, then its variants), each with how it was reached."""
    dropped, lemma = article_dropped(token.text, lang), lemma_only(token.text, lang)
    return [
        (token.key, 0),
        *(
            (v, (ARTICLE_DROPPED if v in dropped else 0) | (LEMMA_ONLY if v in lemma else 0))
            for v in _variants(token.text, lang)
        ),
    ]


def _match(
    text: str,
    tokens: list[Token],
    first: int,
    last: int,
    key: str,
    index: AliasIndex,
    lang: str,
    lowercase: frozenset[str],
    how: int = 0,
) -> Match | None:
    candidates = index.lookup(key)
    if how & ARTICLE_DROPPED:
        candidates = tuple(
            c for c in candidates if index.entities[c.entity].type not in _ARTICLELESS_TYPES
        )
    if how & LEMMA_ONLY:
        candidates = tuple(c for c in candidates if not c.weak)
    if not candidates:
        return None
    first_key = key.split(" ", 1)[0]
    start, end = _elided_start(tokens[first], first_key), tokens[last].end
    if _cuts_katakana_word(text, start, end):
        return None
    surface = text[start:end]
    title_acronym = (
        cues_for(lang).title_case_acronyms
        and surface[:1].isupper()
        and surface[1:].islower()
        and key not in lowercase
        and not opens_sentence(text, start)
    )
    kept = tuple(
        c
        for c in candidates
        if _written_right(c, surface, key, lang, lowercase)
        or (title_acronym and _title_case_acronym(c, surface, lang))
    )
    if kept and _shouted(tokens, first, last):
        kept = tuple(c for c in kept if not (c.case == CASE_EXACT and len(c.exact or "") <= 2))
    refuted = index.refuted.get(lang)
    if kept and refuted:
        surface_key = " ".join(name_keys(surface))
        kept = tuple(c for c in kept if (surface_key, c.entity) not in refuted)
    return Match(first, last, start, end, surface, kept) if kept else None


# What a name written without the Arabic article never takes it for: places.
_ARTICLELESS_TYPES = frozenset(("state", "city", "region"))


# Katakana letters and the prolonged-sound mark, not the middle dot "・" that parts names.
_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc-\u30fe]")


def _cuts_katakana_word(text: str, start: int, end: int) -> bool:
    """Whether a match starts or ends inside a run of katakana: each character is a word
    of its own (kg.gazetteer.normalize), but a loanword is the whole run ("リガ", Riga,
    is not in "アメリカ", America)."""
    return bool(
        (start > 0 and _KATAKANA.match(text[start]) and _KATAKANA.match(text[start - 1]))
        or (end < len(text) and _KATAKANA.match(text[end - 1]) and _KATAKANA.match(text[end]))
    )


def _shouted(tokens: list[Token], first: int, last: int) -> bool:
    """Is the match among words written all in capitals ("RUSSIA AS A PARTNER")?
    Then a short capitalised word is just a word, not an acronym."""
    neighbours = []
    if first > 0 and tokens[first - 1].end < tokens[first].start:
        neighbours.append(tokens[first - 1])
    if last + 1 < len(tokens):
        neighbours.append(tokens[last + 1])
    return any(
        word.text.isupper()
        and word.text.isalpha()
        and len(word.text) >= 4
        and _spaced(word, tokens, first, last)
        for word in neighbours
    )


def _spaced(word: Token, tokens: list[Token], first: int, last: int) -> bool:
    """Is ``word`` separated from the match by white space only ("AS-ASEAN" is not)?"""
    if word.end <= tokens[first].start:
        return word.end + 1 == tokens[first].start
    return tokens[last].end + 1 == word.start


def _elided_start(token: Token, first_key: str) -> int:
    """Where the name starts in "d'Emmanuel", "l'Algérie": after the elision."""
    if first_key == token.key:
        return token.start
    head, mark, _ = fold(token.text).partition("'")
    if mark and head in morphology().elisions:
        return token.start + len(head) + 1
    return token.start


def _written_right(
    candidate: Candidate, surface: str, key: str, lang: str, lowercase: frozenset[str]
) -> bool:
    """Is ``surface`` written the way this candidate's alias must be?"""
    if candidate.lang is not None and candidate.lang != lang:
        return False  # a language-bound form (demonym, "AS") in another language
    if candidate.case == CASE_EXACT:
        return _exact(candidate.exact or "", surface)
    if candidate.case == CASE_ANY:
        return True
    if surface[:1].islower():
        return False
    if surface.isupper() and len(surface) <= 3:
        return False  # a short all-capital word is an acronym, and this alias is not
    return not (candidate.weak and key in lowercase)


def _title_case_acronym(candidate: Candidate, surface: str, lang: str) -> bool:
    """Is ``surface`` the title-case form of this candidate's acronym ("Onu" of "ONU")?"""
    alias = candidate.exact or ""
    return (
        candidate.case == CASE_EXACT
        and candidate.lang in (None, lang)
        and len(alias) >= 2
        and alias.isupper()
        and alias.isalpha()
        and surface == alias.capitalize()
    )


def _exact(alias: str, surface: str) -> bool:
    if surface == alias:
        return True
    # Inflected acronyms keep the acronym intact before the ending: NATO'nun, NATO-nya.
    head = surface.replace("’", "'").split("'")[0].split("-")[0]
    return head == alias
