"""Words and their stems: the one tokenisation the generic-actor stage and the event
detector share (a document is read once; see ``document_words``).

Stems come from the Snowball stemmers (PyStemmer) where Snowball has the language, so
data lists lemmas and the stemmer finds their inflections; elsewhere (Ukrainian, Chinese,
Japanese, Korean) the folded word is its own stem and data lists the forms.  Words are
cut as the gazetteer cuts names (``kg.gazetteer.normalize``): combining marks and
Persian joiners stay inside their word, a Han or kana character is a word of its own,
and Korean particles fused to a word are taken off.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from functools import cache
from typing import Any, NamedTuple

import Stemmer

from kg.gazetteer.normalize import JOINERS, MARKS, strip_particle, word_spans

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
    "it": "italian",
    "pl": "polish",
    "fa": "persian",
    "hi": "hindi",
}
# \w, with the combining marks and joiners \w leaves out ("पुलिस" is one word, not three).
WORD = re.compile(rf"[\w{re.escape(MARKS)}]+")


def fold(word: str, lang: str = "ar") -> str:
    """Lower case, without joiners; in Arabic, without a leading conjunction
    ("والمتظاهرين"); in Korean, without a particle fused to the word ("경찰은")."""
    word = word.casefold().translate(JOINERS)
    if lang == "ar":
        return word[1:] if word.startswith(("و", "ف")) and len(word) > 4 else word
    if lang == "ko":
        return strip_particle(word, lang)
    return word


def stemmer_for(lang: str) -> Any | None:
    name = STEMMER_NAMES.get(lang)
    return Stemmer.Stemmer(name) if name else None


class Words(NamedTuple):
    """The words of a text as columns: offsets, folded forms and Snowball stems.

    Columns, not one object per word: a document has hundreds of words and each
    stage reads them whole (stems) or by range (a sentence: ``between``)."""

    starts: list[int]
    ends: list[int]
    folded: list[str]
    stems: list[str]

    def __len__(self) -> int:  # type: ignore[override]
        return len(self.starts)

    def between(self, start: int, end: int) -> Words:
        """The words that lie in [start, end), with the same offsets."""
        first, last = bisect_left(self.starts, start), bisect_left(self.starts, end)
        if last > first and self.ends[last - 1] > end:
            last -= 1
        return Words(
            self.starts[first:last],
            self.ends[first:last],
            self.folded[first:last],
            self.stems[first:last],
        )

    def inside(self, spans: Iterable[tuple[int, int]]) -> frozenset[int]:
        """Positions of the words that overlap any of ``spans`` (same offsets)."""
        starts, ends = self.starts, self.ends
        return frozenset(
            i
            for a, b in spans
            for i in range(max(bisect_right(starts, a) - 1, 0), bisect_left(starts, b))
            if a < ends[i]
        )


def words_of(text: str, lang: str) -> Words:
    """The words of ``text`` with their Snowball stems (the folded word where the
    language has no stemmer); offsets are the text's."""
    found = word_spans(text, WORD)
    folded = [fold(word, lang) for _, _, word in found]
    stemmer = _stemmer(lang)
    stems = list(stemmer.stemWords(folded)) if stemmer is not None else list(folded)
    return Words([a for a, _, _ in found], [b for _, b, _ in found], folded, stems)


_last_document: tuple[str, str, Words] | None = None


def document_words(text: str, lang: str) -> Words:
    """``words_of`` a whole document, kept for the next caller with the same text:
    the generic-actor stage and the event detector read the same words."""
    global _last_document
    if _last_document is not None and _last_document[0] is text and _last_document[1] == lang:
        return _last_document[2]
    found = words_of(text, lang)
    _last_document = (text, lang, found)
    return found


@cache
def _stemmer(lang: str) -> Any:
    return stemmer_for(lang)
