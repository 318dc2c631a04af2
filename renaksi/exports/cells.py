"""Writing cells of an XLSX export: the one place where exported text is made formula-safe.

Every export module (the printed tables, the realisation form) writes text and numbers through
these functions, so user-typed text can never become a spreadsheet formula.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

LINE_BREAKS = re.compile(r"\r\n?")
# Whole rupiah with thousands grouped; Excel shows the separator of the reader's locale
# ("Rp 1.250.000" in Indonesian), the cell holds the plain number.
RUPIAH_FORMAT = '"Rp" #,##0'


def write_text(cell: Cell, text: str) -> None:
    """Write text a user may have typed as a literal string, never as a formula.

    openpyxl stores any string starting with "=" as a formula, so "=HYPERLINK(...)" typed into a
    sasaran would become a live link in the agency's spreadsheet. Forcing the string type after
    the assignment keeps the text exact (no quote prefix, unlike a CSV export); Excel evaluates
    only cells stored as formulas, so "+1", "-1", "@SUM(A1)" or a leading tab are safe as
    strings too, whatever openpyxl guesses for them. Every text write of the exports goes
    through here.
    """
    cell.value = clean_text(text)
    cell.data_type = "s"


def clean_text(text: str) -> str:
    # Text pasted from a word processor can hold control characters (a vertical tab for a soft
    # line break) that openpyxl refuses with an exception: drop them rather than fail the
    # export. Line ends become "\n", the in-cell line break of Excel; XML would turn a CR into
    # "\n" anyway.
    return ILLEGAL_CHARACTERS_RE.sub("", LINE_BREAKS.sub("\n", text))


def number_format(value: Decimal, *, percent: bool, suffix: str = "%") -> str:
    """A format showing ``value`` as ``format_number`` does: at most two decimals, no trailing
    zeros, and a literal percent sign (the stored value is not scaled)."""
    rounded = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        pattern = "#,##0"
    elif rounded * 10 == (rounded * 10).to_integral_value():
        pattern = "#,##0.0"
    else:
        pattern = "#,##0.00"
    # A unit is a literal inside quotes; a quote of its own would end it.
    suffix = suffix.replace('"', "")
    return f'{pattern}"{suffix}"' if percent else pattern


def sheet_number(value: Decimal) -> int | float:
    # Excel keeps doubles anyway; an int keeps "25" from coming back as 25.0.
    if value == value.to_integral_value():
        return int(value)
    return float(value)
