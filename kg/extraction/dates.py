"""Resolve the date expressions of a sentence against the publication time.

"on Wednesday" / "pada hari Rabu" -> the last such weekday on or before the
publication day; "minggu ini" / "this week" -> the month of publication;
"pada tahun 2020" -> "2020"; "вчера" -> the day before; "29 Januari 2025",
"Selasa (7/1/25)", "April 4" -> that day.  The result keeps the precision the
text gives: "2020", "2022-09" or "2022-09-14".  Without a publication time only
absolute expressions resolve.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from kg.extraction.lexicon import Lexicon, TermMatch

# The regex engine skips fast to where a pattern's first character can match,
# but not past a leading look-behind: so "no digit before" is tested after the
# first digits -- (?<!\d\d) after one digit, (?<!\d\d\d) after two -- which
# is the same condition, searched several times faster.
_NUMERIC_DATE = re.compile(r"(\d(?<!\d\d)\d?)[/.](\d{1,2})[/.](\d{2}|\d{4})(?!\d)")
_YEAR = re.compile(r"((?:1[89]|20)(?<!\d\d\d)\d\d)(?!\d)")
_DAY = re.compile(r"(?<!\d)(\d{1,2})(?!\d)")
# "29 Januari", "12. September", "1er mars", "5 de septiembre", "5 de setembro"
_DAY_BEFORE = re.compile(r"(?<![\d.,])(\d{1,2})(?:\.|º|er|-?го)?\s*(?:de\s+)?$")


def resolve_date(text: str, lex: Lexicon, published: datetime | None) -> str | None:
    """The most precise date ``text`` states, as ISO at its precision, or None."""
    anchor = published.date() if published else None
    return (
        _numeric_date(text)
        or _day_month(text, lex, anchor)
        or _relative_day(text, lex, anchor)
        or _weekday(text, lex, anchor)
        or _month_or_year(text, lex, anchor)
    )


def _numeric_date(text: str) -> str | None:
    """ "(7/1/25)" -> 2025-01-07 (day first, as in Indonesian and European news)."""
    match = _NUMERIC_DATE.search(text)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    year = year + 2000 if year < 100 else year
    return _iso(year, month, day)


def _month_matches(text: str, lex: Lexicon) -> list[tuple[TermMatch[Any], int]]:
    return [(m, int(m.value)) for m in lex.date_words(text).get("dates.months", [])]


def _day_month(text: str, lex: Lexicon, anchor: date | None) -> str | None:
    """ "29 Januari 2025", "April 4", "26 февраля" -> a day."""
    for match, month in _month_matches(text, lex):
        before = text[max(0, match.start() - 9) : match.start()]
        after = text[match.end() : match.end() + 12]
        day_match = _DAY_BEFORE.search(before) or _DAY.match(after.lstrip(" ,"))
        if not day_match:
            continue
        year_match = _YEAR.search(after)
        year = int(year_match.group(1)) if year_match else _year_for_month(month, anchor)
        if year is not None:
            return _iso(year, month, int(day_match.group(1)))
    return None


def _relative_day(text: str, lex: Lexicon, anchor: date | None) -> str | None:
    """ "kemarin", "вчера", "hari ini", "this week", "last year"..."""
    if anchor is None:
        return None
    found = lex.date_words(text).get("dates.relative")
    if found:
        unit, offset = found[0].value
        if unit == "day":
            return (anchor + timedelta(days=int(offset))).isoformat()
        if unit == "week":  # a week is reported at month precision
            return (anchor + timedelta(weeks=int(offset))).strftime("%Y-%m")
        if unit == "month":
            return _shift_month(anchor, int(offset))
        if unit == "year":
            return str(anchor.year + int(offset))
    return None


def _weekday(text: str, lex: Lexicon, anchor: date | None) -> str | None:
    """ "on Wednesday" -> the last Wednesday on or before publication."""
    if anchor is None:
        return None
    found = lex.date_words(text).get("dates.weekdays")
    if not found:
        return None
    back = (anchor.weekday() - int(found[0].value)) % 7
    return (anchor - timedelta(days=back)).isoformat()


def _month_or_year(text: str, lex: Lexicon, anchor: date | None) -> str | None:
    """ "pada bulan Mei" -> "2024-05"; "pada tahun 2020" / "in 2021" -> the year."""
    months = _month_matches(text, lex)
    if months:
        match, month = months[0]
        year_match = _YEAR.search(text[match.end() : match.end() + 8])
        year = int(year_match.group(1)) if year_match else _year_for_month(month, anchor)
        if year is not None:
            return f"{year:04d}-{month:02d}"
    year_match = _YEAR.search(text)
    return year_match.group(1) if year_match else None


def _year_for_month(month: int, anchor: date | None) -> int | None:
    """A month without a year is the latest such month not after publication."""
    if anchor is None:
        return None
    return anchor.year if month <= anchor.month else anchor.year - 1


def _shift_month(anchor: date, offset: int) -> str:
    index = anchor.year * 12 + anchor.month - 1 + offset
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
