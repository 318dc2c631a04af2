"""The "Data" sheet of the plan's XLSX: every field of the plan, one row per indicator.

The printed sheet (``exports/xlsx.py``) shows the plan as signed; this sheet, written beside it
into the same workbook, carries what the printed layout cannot (numbering of sasaran, programs
and sub kegiatan, the percent flag, direction, capaian method, bidang, the signatory's fields),
so that the export is also the import format (``rencana_import``). It renders a
``RencanaData`` (``selectors.rencana_data``) and never reads the models itself. Text goes
through ``cells.write_text`` like every export; targets and rupiah are numbers (rupiah in a
rupiah format), an empty cell being "no target" / "no amount" ("-").
"""

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

from renaksi.exports.cells import RUPIAH_FORMAT, sheet_number, write_text
from renaksi.rencana_import import spec

HEADER_FILL = PatternFill("solid", fgColor="E9EDF2")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def write_data_sheet(
    workbook: Workbook,
    data: spec.RencanaData | None,
    *,
    instansi: str,
    tahun: int | None,
    title: str = spec.DATA_SHEET,
) -> None:
    """Add the Data sheet of ``data`` to ``workbook`` (the key block, the header, the rows).

    ``data`` None: the blank template's sheet (the keys and the header, nothing to fill in yet).
    """
    sheet = workbook.create_sheet(title)
    row = 1
    if data is None:
        meta = dict.fromkeys(spec.META, "")
        meta.update(kind=spec.FILE_KIND, format=spec.FILE_FORMAT, instansi=instansi, tahun=tahun)
    else:
        meta = spec.meta_values(data, instansi=instansi, tahun=tahun)
    for key, value in meta.items():
        write_text(sheet.cell(row, 1), spec.META[key])
        sheet.cell(row, 1).font = BOLD
        _value(sheet.cell(row, 2), value)
        row += 1
    row += 1
    for index, column in enumerate(spec.COLUMNS, start=1):
        cell = sheet.cell(row, index)
        write_text(cell, column.title)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = sheet.cell(row + 1, 1)
    for values in spec.flatten(data) if data is not None else ():
        row += 1
        for index, column in enumerate(spec.COLUMNS, start=1):
            cell = sheet.cell(row, index)
            _value(cell, values.get(column.key))
            if column.key in spec.RUPIAH_KEYS and cell.value is not None:
                cell.number_format = RUPIAH_FORMAT


def _value(cell, value) -> None:
    if value is None or value == "":
        return
    if isinstance(value, str):
        write_text(cell, value)
    elif isinstance(value, int):
        cell.value = value
    else:
        cell.value = sheet_number(value)
