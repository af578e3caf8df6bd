"""Numbers are read as each language writes them, and what could be read two ways is refused."""

from decimal import Decimal

import pytest

from core.numbers import NumberFormatError, parse_number


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("95.000.000", "vi", Decimal("95000000")),
        ("95,000,000", "en", Decimal("95000000")),
        ("2,5", "vi", Decimal("2.5")),
        ("2.5", "en", Decimal("2.5")),
        ("95000000", "vi", Decimal("95000000")),
        ("95000000", "en", Decimal("95000000")),
        ("1.234,56", "vi", Decimal("1234.56")),
        ("1,234.56", "en", Decimal("1234.56")),
        ("95.000", "vi", Decimal("95000")),
        ("95,000", "en", Decimal("95000")),
        ("95 000 000", "vi", Decimal("95000000")),
        ("95\u00a0000", "en", Decimal("95000")),
        ("0,500", "vi", Decimal("0.5")),
        ("12,25", "vi", Decimal("12.25")),
        (" 20 ", "vi", Decimal("20")),
        ("-3", "en", Decimal("-3")),
    ],
)
def test_numbers_as_each_language_writes_them(text, language, expected):
    assert parse_number(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("2,500", "vi"),  # two and a half, or the English habit for 2500?
        ("95,000", "vi"),
        ("2.500", "en"),
        ("95.000", "en"),
    ],
)
def test_what_could_be_read_two_ways_is_refused_with_both_readings(text, language):
    with pytest.raises(NumberFormatError) as exc:
        parse_number(text, language)
    message = str(exc.value)
    whole, fraction = text[:-4], text[-3:]
    assert whole + fraction in message  # the whole-number reading, written plainly


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("2.5", "vi"),  # a dot in Vietnamese groups thousands, never 1 digit
        ("2,5", "en"),
        ("1,234.5", "vi"),
        ("1.234,5", "en"),
        ("1_000", "vi"),
        ("1_000", "en"),
        ("1e3", "en"),
        ("12 34", "vi"),
        ("abc", "vi"),
        ("1.2.3,4.5", "vi"),
        (",5", "vi"),
        ("", "en"),
        ("٣", "vi"),  # a digit, but not one people here type
    ],
)
def test_what_is_not_a_number_in_that_language_is_refused(text, language):
    with pytest.raises(NumberFormatError):
        parse_number(text, language)


def test_the_message_shows_how_to_write_it_in_the_page_language():
    with pytest.raises(NumberFormatError) as exc:
        parse_number("2.5", "vi")
    assert "2,5" in str(exc.value)
