"""Date expressions resolved against the publication time, at the precision stated."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from kg.extraction.dates import resolve_date
from kg.extraction.lexicon import load_lexicon

FRIDAY = datetime(2022, 9, 16, 8, 40, tzinfo=timezone(timedelta(hours=7)))


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("id", "Sebelumnya pada hari Rabu, CSTO mengumumkan", "2022-09-14"),
        ("en", "Pashinian on Wednesday criticized", "2022-09-14"),
        ("id", "meningkat minggu ini ketika", "2022-09"),
        ("id", "Pada tahun 2020, kedua negara", "2020"),
        ("ru", "Вчера Армения заявила", "2022-09-15"),
        ("id", "pada Selasa (7/1/25).", "2025-01-07"),
        ("id", "mulai berlaku hari ini, 29 Januari 2025", "2025-01-29"),
        ("en", "Finland on April 4 became", "2022-04-04"),
        ("en", "agreed in November to", "2021-11"),  # a month after publication is last year's
        ("en", "invade Ukraine last year", "2021"),
        ("de", "am 26. Februar 2024 beschlossen", "2024-02-26"),
        ("fr", "la lettre de juillet 2024", "2024-07"),
        ("en", "no date here", None),
    ],
)
def test_resolve_date(lang: str, text: str, expected: str | None) -> None:
    assert resolve_date(text, load_lexicon(lang), FRIDAY) == expected


def test_without_publication_time_only_absolute_dates_resolve() -> None:
    lex = load_lexicon("en")
    assert resolve_date("on Wednesday", lex, None) is None
    assert resolve_date("in 2021", lex, None) == "2021"
