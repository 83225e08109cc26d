"""Where a match stands in its text: sentence starts, clauses, brackets, spacing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.gazetteer.normalize import Token

if TYPE_CHECKING:  # detect.py reads sentence starts from here: no import at run time
    from kg.linking.detect import Match


def opens_sentence(text: str, start: int) -> bool:
    """Is ``start`` the first word of a sentence, a line or a quotation?

    A full stop after a short capitalised abbreviation ("Mr.", "Gen.", "Dr.")
    ends no sentence.
    """
    before = text[max(0, start - 3) : start].rstrip(" \t\"'“‘«(")
    if before == "":
        return True
    if before[-1] == "." and _abbreviation_before(text, start):
        return False
    return before[-1] in ".!?\n:"


def _abbreviation_before(text: str, start: int) -> bool:
    word = text[max(0, start - 8) : start].rstrip().rstrip(".").split()[-1:]
    return bool(word) and word[0][:1].isupper() and word[0].isalpha() and len(word[0]) <= 3


def same_clause(text: str, left: int, right: int) -> bool:
    """Does no sentence or clause boundary fall between ``left`` and ``right``?"""
    gap = text[left:right]
    return not any(mark in gap for mark in ".;:!?\n")


def in_parentheses(text: str, match: Match) -> bool:
    """Is the match alone between brackets: "Бананц (Ереван)"?"""
    return text[match.start - 1 : match.start] == "(" and text[match.end : match.end + 1] == ")"


def adjacent(text: str, token: Token, match: Match) -> bool:
    """Is ``token`` right before or after the match, one space apart?"""
    gap = (
        text[token.end : match.start] if token.end <= match.start else text[match.end : token.start]
    )
    return gap == " "
