"""A flat list (a django-tables2 table) as an XLSX file: header row, then one row per item.

Numbers stay numbers; every text goes through ``cells.write_text``, so nothing a user typed can
become a formula in the agency's spreadsheet.
"""

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from renaksi.exports.cells import clean_text, sheet_number, write_text


def render_list_xlsx(table, *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = clean_text(title)[:31] or "Daftar"
    for row_number, values in enumerate(table.as_values(), start=1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=column)
            if isinstance(value, bool) or value is None:
                write_text(cell, "" if value is None else str(value))
            elif isinstance(value, int | float | Decimal):
                cell.value = sheet_number(Decimal(value))
            else:
                write_text(cell, str(value))
            if row_number == 1:
                cell.font = Font(bold=True)
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = min(
            60, max(10, *(len(str(cell.value or "")) for cell in column))
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
