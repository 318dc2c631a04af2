"""Reading one cell of an uploaded form: a number, a note or a version, as the page would.

Each raises ValueError with the message to show; the reader says where.
"""

import re
from datetime import date, datetime, time
from decimal import Decimal, DecimalException

from django.utils.translation import gettext as _

from renaksi.keuangan import RupiahRefused, rupiah_from_cell
from renaksi.numbers import (
    AmbiguousNumber,
    NilaiRefused,
    ambiguous_message,
    nilai_check,
    number_parse,
)
from renaksi.services import teks_normalize

VALUE_SHOWN_MAX = 40  # characters of a value that is no number, quoted back
TWO_PLACES = Decimal("0.01")


def _is_percent_format(number_format: str | None) -> bool:
    # A real percent format ("0%", "0.0%") shows a stored 0.265 as "26.5%"; a "%" inside quotes
    # or escaped is a literal sign and scales nothing.
    if not number_format:
        return False
    plain = re.sub(r'"[^"]*"|\\.', "", number_format)
    return "%" in plain


def shorten(text: str, limit: int) -> str:
    """``text`` as quoted back in a message: at most ``limit`` characters and an ellipsis."""
    return text if len(text) <= limit else text[:limit] + "…"


def nilai_of_cell(cell) -> Decimal | None:
    """The realisation typed in ``cell``: a number, or text like "26,5", "26.5" or "26,5%".

    Raises ValueError with the message to show.
    """
    value = cell.value
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if cell.data_type == "f":
        raise ValueError(_("berisi rumus %(f)s; ketik nilainya saja.") % {"f": value})
    if cell.data_type == "e":
        raise ValueError(_("berisi galat Excel %(e)s; ketik angka.") % {"e": value})
    if isinstance(value, bool):
        raise ValueError(_("harus berupa angka, bukan %(v)s.") % {"v": value})
    if isinstance(value, datetime | date | time):
        raise ValueError(
            _(
                "terbaca sebagai tanggal/jam oleh Excel; ketik angka dengan koma desimal "
                "(misalnya 26,5) atau ubah format sel menjadi Angka."
            )
        )
    if isinstance(value, int | float):
        number = Decimal(str(value))
        if _is_percent_format(cell.number_format):
            number *= 100  # the user saw "26.5%" and means 26.5
    else:
        try:
            # The page's rule (``numbers.number_parse``); the cell was not empty.
            number = number_parse(str(value))
        except AmbiguousNumber as error:
            raise ValueError(ambiguous_message(str(error))) from None
        except ValueError:
            raise ValueError(
                _('"%(v)s" bukan angka; tulis misalnya 26,5 atau 26.5.')
                % {"v": shorten(str(value), VALUE_SHOWN_MAX)}
            ) from None
    try:
        # The page's rules on the size and the decimals, before any arithmetic (a number of 30
        # digits overflows the decimal context); the sign and the percent rule follow in the
        # reader, with the row's indicator.
        nilai_check(number.copy_abs(), percent=False)
    except NilaiRefused as refused:
        raise ValueError(refused.message) from None
    try:
        return number.quantize(TWO_PLACES) if number.as_tuple().exponent < -2 else number
    except DecimalException:  # not expected below MAX_NILAI; never a 500
        raise ValueError(_("Realisasi terlalu besar.")) from None


def keuangan_of_cell(cell) -> int | None:
    """The rupiah typed in ``cell``: a number, or text like "Rp 1.250.000" or "1250000".

    The page's reader (``keuangan.rupiah_from_cell`` / ``rupiah_parse``). Raises ValueError with
    the message to show.
    """
    value = cell.value
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if cell.data_type == "f":
        raise ValueError(_("berisi rumus %(f)s; ketik nilainya saja.") % {"f": value})
    if cell.data_type == "e":
        raise ValueError(_("berisi galat Excel %(e)s; ketik angka.") % {"e": value})
    if isinstance(value, datetime | date | time):
        raise ValueError(
            _(
                "terbaca sebagai tanggal/jam oleh Excel; ketik rupiah sebagai angka, "
                "misalnya 1250000."
            )
        )
    try:
        return rupiah_from_cell(value)
    except RupiahRefused as refused:
        raise ValueError(str(refused)) from None


def text_of_cell(cell) -> str:
    """A note as typed, stored the way the page stores it."""
    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "f":
        raise ValueError(_("berisi rumus; ketik teksnya saja."))
    if isinstance(value, datetime):
        value = value.date() if value.time() == time() else value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # As the page stores it, so a form uploaded untouched shows no change.
    return teks_normalize(str(value))


def versi_of_cell(cell) -> int:
    """The VERSI the form was downloaded with; ValueError when it is no whole number ≥ 0."""
    value = cell.value
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        result = value
    elif isinstance(value, float) and value.is_integer():
        result = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        result = int(value.strip())
    else:
        raise ValueError
    if result < 0:
        raise ValueError
    return result
