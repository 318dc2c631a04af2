"""What counts as a number when people type one: the same on the page and in the spreadsheet."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from renaksi.forms import nilai_parse
from renaksi.formulir.cells import nilai_of_cell as _parse_nilai
from renaksi.numbers import AmbiguousNumber, ambiguous_message, format_number, number_parse

READ = [
    ("26", "26"),
    ("26,5", "26.5"),
    ("26.5", "26.5"),
    (",5", "0.5"),
    ("+26", "26"),
    ("26%", "26"),
    (" 26,5 % ", "26.5"),
    ("1\u00a0234,5", "1234.5"),
    ("1.5", "1.5"),  # one dot is a decimal point
    ("26.50", "26.50"),
    ("0.500", "0.500"),  # no one groups thousands after a 0
    ("1.234.567", "1234567"),
    ("1.234,5", "1234.5"),
    ("0,00", "0.00"),
]
NOT_NUMBERS = [
    "٢٦",
    "２６",
    "26,5,5",
    "1e3",
    "NaN",
    "Infinity",
    "0x1A",
    "1_000",
    "26 %%",
    "abc",
    ".",
]


@pytest.mark.parametrize(("typed", "value"), READ)
def test_it_reads_what_people_type(typed, value):
    assert number_parse(typed) == Decimal(value)


@pytest.mark.parametrize("typed", NOT_NUMBERS)
def test_it_refuses_what_is_no_plain_number(typed):
    with pytest.raises(ValueError):
        number_parse(typed)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1.500", "«1.500» bisa berarti 1500 atau 1,5; tulis salah satunya."),
        ("26.000", "«26.000» bisa berarti 26000 atau 26; tulis salah satunya."),
        ("-100.250", "«-100.250» bisa berarti -100250 atau -100,25; tulis salah satunya."),
    ],
)
def test_it_refuses_a_number_that_reads_two_ways_and_says_both(typed, message):
    with pytest.raises(AmbiguousNumber) as caught:
        number_parse(typed)
    assert ambiguous_message(str(caught.value)) == message
    with pytest.raises(ValidationError, match=message):
        nilai_parse(typed)
    with pytest.raises(ValueError, match=message):
        _parse_nilai(cell_with(typed))


def test_it_reads_minus_zero_as_zero_on_both_paths():
    assert str(nilai_parse("-0")) == "0"
    assert str(_parse_nilai(cell_with("-0"))) == "0"


@pytest.mark.parametrize("typed", ["", "   ", "%"])
def test_it_reads_nothing_as_none(typed):
    assert number_parse(typed) is None


def cell_with(text: str):
    sheet = Workbook().active
    sheet["A1"] = text
    sheet["A1"].data_type = "s"  # typed as text, as a user's "26,5" is
    return sheet["A1"]


# Both refuse more than two decimals rather than round, and "1.500" (1500 or 1,5?).
AGREE = [
    *READ,
    ("1.234", None),
    ("1.500", None),
    ("26,555", None),
    *((typed, None) for typed in NOT_NUMBERS),
]


@pytest.mark.parametrize(("typed", "value"), AGREE)
def test_the_page_and_the_spreadsheet_agree(typed, value):
    """The entry page and the spreadsheet import take and refuse the same texts."""
    if value is None:
        with pytest.raises(ValidationError):
            nilai_parse(typed)
        with pytest.raises(ValueError):
            _parse_nilai(cell_with(typed))
    else:
        assert nilai_parse(typed) == Decimal(value)
        assert _parse_nilai(cell_with(typed)) == Decimal(value)


def test_it_shows_numbers_the_english_way_in_english():
    from django.utils import translation

    with translation.override("en"):
        assert format_number(Decimal("26.50")) == "26.5"
        assert format_number(Decimal("-1234567.125")) == "-1,234,567.13"
    assert format_number(1234.5, language="en") == "1,234.5"
    assert format_number(1234.5, language="id") == "1.234,5"


def test_it_shows_numbers_the_indonesian_way():
    assert format_number(Decimal("26.50")) == "26,5"
    assert format_number(1234.5) == "1.234,5"
    assert format_number(Decimal("-1234567.125")) == "-1.234.567,13"
