"""kg/text.py: sentence spans on the cases news text throws at them."""

from __future__ import annotations

import pytest

from kg.text import sentences


def split(text: str) -> list[str]:
    return [span.text for span in sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Am 12. September griff Aserbaidschan an. Armenien bat um Hilfe.",
            ["Am 12. September griff Aserbaidschan an.", "Armenien bat um Hilfe."],
        ),
        (
            "Seit dem 1. Mai 2023 gilt das Abkommen. Moskau schweigt.",
            ["Seit dem 1. Mai 2023 gilt das Abkommen.", "Moskau schweigt."],
        ),
        # A number ending a sentence still ends it when no month follows...
        ("Es waren 12. Dann kam der Mai.", ["Es waren 12.", "Dann kam der Mai."]),
        # ...and a version or decimal number is not a day.
        (
            "Sie nutzten Version 2.12. September war ruhig.",
            ["Sie nutzten Version 2.12.", "September war ruhig."],
        ),
    ],
)
def test_an_ordinal_day_before_a_month_does_not_end_a_sentence(
    text: str, expected: list[str]
) -> None:
    assert split(text) == expected


def test_abbreviations_and_line_breaks() -> None:
    text = "Dr. Smith met Gen. Zas in Yerevan.\nBaca Juga: Headline\nU.S. officials left."
    assert split(text) == [
        "Dr. Smith met Gen. Zas in Yerevan.",
        "Baca Juga: Headline",
        "U.S. officials left.",
    ]


def test_offsets_index_the_original_text() -> None:
    text = "  Armenia asked.   Azerbaijan denied it!  "
    for span in sentences(text):
        assert text[span.start : span.end] == span.text
