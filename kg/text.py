"""Text utilities shared by the stages: sentence spans and word tokens.

Offsets always index the original ``Document.text``; nothing here copies or
normalises the text in a way that would shift them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.model import Span

# A sentence ends at . ! ? (optionally followed by closing quotes/brackets)
# when whitespace and an upper-case letter, digit or opening quote follow.
# Line breaks always end a sentence: news text puts headlines, datelines and
# paragraphs on lines of their own.  The pattern begins with one character
# class, which lets the regex engine skip ahead to the few candidates (a
# leading look-behind or alternation does not); groups 1-3 are the break after a
# stop mark, and a match without one is a run of line breaks.  The full-width stops of
# Chinese and Japanese (。！？) end a sentence whatever follows (no space comes after
# them), and so does the Devanagari danda (।) before a space.
_SENTENCE_END = re.compile(
    r"""[.!?\n。！？।](?:(?<=[.!?])(["'”’»)\]]*\s+)(?=["'“‘«(\[]?[A-ZÀ-ÖØ-ÞА-ЯЁ0-9\u0600-\u06FF])"""
    r"""|(?<=[。！？])([」』”’)）]*\s*)|(?<=।)(\s+)|(?<=\n)\n*)"""
)
# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "st", "no", "vs", "etc"}
    | {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
    | {"u.s", "u.n", "u.k", "e.g", "i.e", "hr", "jl", "h", "ir", "drs", "dll", "dsb", "tn"}
    | {"ny", "bpk", "sdr", "г", "гг", "им", "т.е", "т.к", "ул", "др"}
)

# German writes the day of a date as an ordinal with a full stop ("am 12. September"):
# that stop does not end a sentence when a month name follows it.
_ORDINAL_DAY = re.compile(r"(?<![\w.])\d{1,2}$")
_MONTH_AFTER_ORDINAL_DAY = re.compile(
    r"(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober"
    r"|November|Dezember)\b"
)

_WORD = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)


def sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Split ``text[start:end]`` into sentence spans, trimmed of white space."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    cursor = start
    # From one character back: a stop mark right before ``start`` may end a
    # sentence there (whatever that break cuts off before ``start`` is empty).
    for match in _SENTENCE_END.finditer(text, max(start - 1, 0), end):
        # What follows the stop mark: None for line breaks.
        after_stop = next((g for g in match.groups() if g is not None), None)
        if after_stop is None:
            stop = match.start()
        else:
            stop = match.end() - len(after_stop)
            is_full_stop = "\n" not in after_stop
            if is_full_stop and (
                _ends_with_abbreviation(text, cursor, stop)
                or _is_ordinal_day(text, cursor, stop, match.end())
            ):
                continue
        _append_trimmed(spans, text, cursor, stop)
        cursor = match.end()
    _append_trimmed(spans, text, cursor, end)
    return spans


def _ends_with_abbreviation(text: str, start: int, stop: int) -> bool:
    tail = text[start:stop].rstrip("\"'”’»)]")
    if not tail.endswith("."):
        return False
    words = tail[:-1].rsplit(None, 1)  # the last word, without splitting them all
    last = words[-1] if words else ""
    return last.lower() in _ABBREVIATIONS or (len(last) == 1 and last.isalpha())


def _is_ordinal_day(text: str, start: int, stop: int, next_word: int) -> bool:
    """ "12." before "September": a day, not the end of a sentence."""
    return (
        text[stop - 1 : stop] == "."
        and _ORDINAL_DAY.search(text, start, stop - 1) is not None
        and _MONTH_AFTER_ORDINAL_DAY.match(text, next_word) is not None
    )


def _append_trimmed(spans: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Span(start, end, text[start:end]))


def words(text: str, start: int = 0, end: int | None = None) -> Iterator[Span]:
    """Word tokens of ``text[start:end]`` (letters, digits, inner hyphens)."""
    end = len(text) if end is None else end
    for match in _WORD.finditer(text, start, end):
        yield Span(match.start(), match.end(), match.group(0))


def lines(text: str) -> list[Span]:
    """Non-empty lines of ``text`` as spans (without the line break)."""
    spans: list[Span] = []
    offset = 0
    for raw in text.split("\n"):
        _append_trimmed(spans, text, offset, offset + len(raw))
        offset += len(raw) + 1
    return spans
