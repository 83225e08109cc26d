"""Words and their stems: the one tokenisation the generic-actor stage and the event
detector share (a document is read once; see ``document_tokens``).

Stems come from the Snowball stemmers (PyStemmer) of the nine lexicon languages, so
data lists lemmas and the stemmer finds their inflections.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache
from typing import Any, NamedTuple

import Stemmer

# Snowball's algorithm per language of the sector data.
STEMMER_NAMES = {
    "ar": "arabic",
    "de": "german",
    "en": "english",
    "es": "spanish",
    "fr": "french",
    "id": "indonesian",
    "pt": "portuguese",
    "ru": "russian",
    "tr": "turkish",
}
WORD = re.compile(r"\w+")


def fold(word: str) -> str:
    """Lower case, without a leading Arabic conjunction ("والمتظاهرين")."""
    word = word.casefold()
    return word[1:] if word.startswith(("و", "ف")) and len(word) > 4 else word


def stemmer_for(lang: str) -> Any | None:
    name = STEMMER_NAMES.get(lang)
    return Stemmer.Stemmer(name) if name else None


class Token(NamedTuple):
    """A word: its offsets in the text it was read from, its folded form and stem.
    (A named tuple: a document has hundreds, and a frozen dataclass builds slower.)"""

    start: int
    end: int
    stem: str
    word: str


def tokens(sentence: str, lang: str) -> list[Token]:
    """The words of a text (a sentence, or a whole document whose sentences are then
    sliced out: ``tokens_between``) with their Snowball stems (the folded word where
    the language has no stemmer); offsets are the text's."""
    found = list(WORD.finditer(sentence))
    words = (
        [fold(m.group()) for m in found] if lang == "ar" else [m.group().casefold() for m in found]
    )
    stemmer = _stemmer(lang)
    stems = stemmer.stemWords(words) if stemmer is not None else words
    return [Token(m.start(), m.end(), s, w) for m, s, w in zip(found, stems, words, strict=True)]


_last_document: tuple[str, str, list[Token]] | None = None


def document_tokens(text: str, lang: str) -> list[Token]:
    """``tokens`` of a whole document, kept for the next caller with the same text:
    the generic-actor stage and the event detector read the same words."""
    global _last_document
    if _last_document is not None and _last_document[0] is text and _last_document[1] == lang:
        return _last_document[2]
    found = tokens(text, lang)
    _last_document = (text, lang, found)
    return found


def tokens_between(words: list[Token], starts: list[int], start: int, end: int) -> list[Token]:
    """The tokens of a document (``tokens``; ``starts`` their start offsets) that lie in
    [start, end): one sentence's words, with the document's offsets."""
    first, last = bisect_left(starts, start), bisect_left(starts, end)
    if last > first and words[last - 1].end > end:
        last -= 1
    return words[first:last]


@cache
def _stemmer(lang: str) -> Any:
    return stemmer_for(lang)
