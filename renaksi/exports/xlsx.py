"""The printed table as an Excel workbook: ``render_xlsx(table) -> bytes``.

One sheet laid out like the printed page (see ``templates/renaksi/_dokumen.html``): the title
lines, the two header rows of ``Table.header_rows``, the column-number row, the body, the footer
notes and the signature block on the right. It renders a layout ``Table`` only, so the same code
serves the Rencana Aksi and the quarterly report.

Differences from the HTML, and why:

* A QUARTERS column takes two sheet columns, a "TW n" label and a numeric value, and every layout
  row takes four sheet rows (one per quarter) when the table has such a column. Targets then stay
  numbers that a user can add up or chart, instead of the text "TW 1 : 25%".
* Percent values are stored as they are shown (25, not 0.25) with the percent sign as a literal
  in the number format (``#,##0"%"``). Excel's own ``%`` format would multiply by 100 and every
  user formula would have to divide by it again. The format is chosen per value (0, 1 or 2
  decimals) because a ``0.##`` format leaves a dangling decimal separator ("25.") in Excel.
  ``.`` and ``,`` in a format are the locale's separators, so Indonesian Excel shows "26,5%".
* A quarter without a target has an empty value cell (the page prints "-"): text in a numeric
  column would turn ``=B9+B10`` into #VALUE!.
* Merged cells never grow with their text in Excel, so row heights are estimated from the text.
"""

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from renaksi import keuangan
from renaksi.capaian import PREDIKAT
from renaksi.exports.cells import clean_text, number_format, sheet_number, write_text
from renaksi.layout import Cell as LayoutCell
from renaksi.layout import Column, Kind, Table, quarter_name
from renaksi.models import QUARTERS

FONT_NAME = "Arial"
FONT_SIZE = 9  # as the printed page (static/css/dokumen.css)
TITLE_FONT_SIZE = 11
NUMBER_ROW_FONT_SIZE = 8
HEADER_FILL = "E9EDF2"
NUMBER_ROW_FILL = "F6F7F9"
# Cell classes that colour a cell: the predicate of a capaian, as on the page.
CSS_FILLS = {predikat.css: predikat.color for predikat in PREDIKAT} | {
    keuangan.EFISIEN.css: "C8E6C9",
    keuangan.SESUAI.css: "E3F2FD",
    keuangan.KURANG_EFISIEN.css: "FFCDD2",
}
# Row classes: (fill, bold) for the cells that start in the row, as ``tr.<class> td``.
ROW_CSS = {
    "baris-sasaran": ("F3F6FA", True),
    "baris-program": ("F8F9FB", True),
    "baris-ringkasan": ("F6F7F9", False),
    "baris-jumlah": ("E9EDF2", True),
}

# Widths are in Excel's unit (the width of a digit of the default font, about 1.9 mm). A4
# landscape less 10 mm margins is about 277 mm, about 150 units, so the page prints close to
# 100 % and fit-to-width only has to correct the rounding.
TOTAL_WIDTH = 150.0
QUARTER_LABEL_WIDTH = 5.5  # "TW 4" in 9 pt Arial
MIN_VALUE_WIDTH = 6.5
MIN_WIDTH = 4.0
SIGNATURE_START = 0.62  # the signature block starts at 62 % of the width, as on the page

# Row heights in points. Excel autofits the height of a row only for cells that are not merged,
# and nearly every text cell here is merged, so heights are estimated from the text instead.
ROW_HEIGHT = 12.75
LINE_HEIGHT = 11.5
CELL_PADDING = 3.0
CHARS_PER_UNIT = 1.0  # a little below Arial 9's real average: spare room beats clipped text
SIGNATURE_SPACE_ROWS = 4  # room to sign, like .ruang-ttd

THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def render_xlsx(table: Table, extra_sheets: Sequence[Callable[[Workbook], None]] = ()) -> bytes:
    """The table as the bytes of an .xlsx file, set up to print on A4 landscape.

    The printed table is the first sheet, its ``lampiran`` (the report's money and notes) the
    second; each of ``extra_sheets`` then adds its own (the plan's Data sheet,
    ``exports/rencana_data.py``).
    """
    workbook = Workbook()
    first = _SheetWriter(table, workbook.active)
    first.write()
    if table.lampiran is not None:
        # The report's money and notes: a sheet of its own, like the second table on the page
        # (the styles are the workbook's, shared).
        _SheetWriter(table.lampiran, workbook.create_sheet(), styles=first.style).write()
    for add_sheet in extra_sheets:
        add_sheet(workbook)
    workbook.properties.title = clean_text(" ".join(table.title_lines)) or None
    # Without it openpyxl signs every file "openpyxl".
    workbook.properties.creator = clean_text(table.author) or None
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class _Place:
    """Where a layout column lands on the sheet."""

    column: Column
    first: int  # 1-based sheet column
    span: int  # 2 for QUARTERS: label and value

    @property
    def last(self) -> int:
        return self.first + self.span - 1


class _Styles:
    """Named styles made on first use; a cell is created with its style array (openpyxl copies it).

    Setting font, border, alignment and number format on a cell costs openpyxl a lookup each,
    and even ``cell.style = name`` searches the named styles twice: for the 100,000 styled cells
    of a 2,000-row table that was most of the time spent outside ``save``.
    """

    def __init__(self, workbook: Workbook):
        self._workbook = workbook
        self._arrays: dict[tuple, StyleArray] = {}

    def __call__(
        self,
        *,
        horizontal: str = "left",
        vertical: str = "top",
        wrap: bool = True,
        bold: bool = False,
        underline: bool = False,
        size: float = FONT_SIZE,
        fill: str = "",
        number_format: str = "General",
        border: bool = True,
    ) -> StyleArray:
        key = (horizontal, vertical, wrap, bold, underline, size, fill, number_format, border)
        array = self._arrays.get(key)
        if array is None:
            style = NamedStyle(
                name=f"Renaksi {len(self._arrays) + 1}",
                font=Font(
                    name=FONT_NAME,
                    size=size,
                    bold=bold,
                    underline="single" if underline else None,
                ),
                border=GRID if border else Border(),
                alignment=Alignment(horizontal=horizontal, vertical=vertical, wrap_text=wrap),
                fill=PatternFill("solid", fgColor=fill) if fill else PatternFill(),
                number_format=number_format,
            )
            self._workbook.add_named_style(style)
            array = self._arrays[key] = style.as_tuple()
        return array


class _SheetWriter:
    def __init__(self, table: Table, sheet: Worksheet, styles: _Styles | None = None):
        self.table = table
        self.sheet = sheet
        self.style = styles or _Styles(sheet.parent)
        self.places: list[_Place] = []
        self.widths: list[float] = []  # sheet column widths, 0-based
        self._lay_out_columns()
        self.by_key = {place.column.key: place for place in self.places}
        self.width = len(self.widths)
        has_quarters = any(column.kind == Kind.QUARTERS for column in table.columns)
        self.rows_per_row = len(QUARTERS) if has_quarters else 1
        # Merged ranges are collected and handed to openpyxl once at the end: its merge_cells
        # checks each new range against every range already there, which is quadratic
        # (about 10,000 ranges for 2,000 rows).
        self.merges: list[CellRange] = []
        self.heights: dict[int, float] = {}
        # Cells by (row, column), appended to the sheet row by row at the end.
        self.cells: dict[tuple[int, int], Cell] = {}

    def _lay_out_columns(self) -> None:
        total = sum(column.width for column in self.table.columns) or 1.0
        first = 1
        for column in self.table.columns:
            units = column.width / total * TOTAL_WIDTH
            if column.kind == Kind.QUARTERS:
                self.widths += [
                    QUARTER_LABEL_WIDTH,
                    max(units - QUARTER_LABEL_WIDTH, MIN_VALUE_WIDTH),
                ]
                span = 2
            else:
                self.widths.append(max(units, MIN_WIDTH, self._figure_width(column)))
                span = 1
            self.places.append(_Place(column, first, span))
            first += span

    def _figure_width(self, column: Column) -> float:
        """Room for the longest figure of a NUMBER column: Excel shows "####" for a number
        wider than its cell (a rupiah amount in a narrow column). Fit-to-width then scales
        the printed page."""
        if column.kind != Kind.NUMBER:
            return 0.0
        longest = max(
            (
                len(cell.display)
                for row in self.table.rows
                for cell in row.cells
                if cell.column == column.key and cell.number is not None and cell.colspan == 1
            ),
            default=0,
        )
        return longest * 1.1 + 1.5 if longest else 0.0

    # -- the page, top to bottom ---------------------------------------------------------------

    def write(self) -> None:
        row = self._write_title(1)
        header_top = row
        row = self._write_header(row)
        body_top = row
        row = self._write_body(row)
        row = self._write_footer(row)
        last_row = self._write_signature(row + 1) if self.table.signature else row - 1
        self._finish(header_top, body_top, max(last_row, body_top - 1))

    def _write_title(self, row: int) -> int:
        if not self.table.title_lines:
            return row
        style = self.style(
            horizontal="center", bold=True, size=TITLE_FONT_SIZE, border=False, wrap=True
        )
        for line in self.table.title_lines:
            self._text(row, 1, line, style, rows=1, columns=self.width, line=LINE_HEIGHT + 2)
            row += 1
        return row + 1  # a blank row, as the margin under the title on the page

    def _write_header(self, top: int) -> int:
        header = self.table.header_rows
        style = self.style(horizontal="center", vertical="center", bold=True, fill=HEADER_FILL)
        # Place header cells as HTML does: skip the columns a row span from above still holds.
        busy_until = [0] * len(self.places)
        for index, cells in enumerate(header):
            position = 0
            for header_cell in cells:
                while busy_until[position] > index:
                    position += 1
                first = self.places[position].first
                last = self.places[position + header_cell.colspan - 1].last
                columns = last - first + 1
                self._text(
                    top + index, first, header_cell.text, style, header_cell.rowspan, columns
                )
                for covered in range(position, position + header_cell.colspan):
                    busy_until[covered] = index + header_cell.rowspan
                position += header_cell.colspan
        numbers_row = top + len(header)
        number_style = self.style(
            horizontal="center", size=NUMBER_ROW_FONT_SIZE, fill=NUMBER_ROW_FILL
        )
        position = 0
        for number in self.table.number_cells:
            first = self.places[position].first
            last = self.places[position + number.colspan - 1].last
            # "1", "2", … as numbers (as before); a form's "12 = 8+9+10+11" as text.
            if number.text.isdigit():
                self._put(numbers_row, first, int(number.text), number_style, 1, last - first + 1)
            else:
                self._text(numbers_row, first, number.text, number_style, 1, last - first + 1)
            position += number.colspan
        self._fill_grid(top, numbers_row, style)
        return numbers_row + 1

    def _write_body(self, top: int) -> int:
        rows = self.table.rows
        per_row = self.rows_per_row
        busy_until = dict.fromkeys(self.by_key, 0)
        position_of = {place.column.key: index for index, place in enumerate(self.places)}
        for index, layout_row in enumerate(rows):
            for cell in layout_row.cells:
                place = self.by_key.get(cell.column)
                if place is None:
                    raise ValueError(f"Row {index + 1}: no column {cell.column!r}.")
                start = position_of[cell.column]
                if cell.colspan < 1 or start + cell.colspan > len(self.places):
                    raise ValueError(f"Row {index + 1}: {cell.column!r} spans past the columns.")
                covered = [p.column.key for p in self.places[start : start + cell.colspan]]
                # An overlap or a span past the end would make Excel "repair" the file.
                if any(busy_until[key] > index for key in covered):
                    raise ValueError(f"Row {index + 1}: {cell.column!r} overlaps a span above.")
                if cell.rowspan < 1 or index + cell.rowspan > len(rows):
                    raise ValueError(f"Row {index + 1}: {cell.column!r} spans past the table.")
                for key in covered:
                    busy_until[key] = index + cell.rowspan
                if cell.colspan > 1:
                    last = self.places[start + cell.colspan - 1]
                    place = _Place(place.column, place.first, last.last - place.first + 1)
                self._write_cell(top + index * per_row, place, cell, layout_row.css)
        bottom = top + len(rows) * per_row
        self._fill_grid(top, bottom - 1, self.style())
        return bottom

    def _write_cell(self, row: int, place: _Place, cell: LayoutCell, row_css: str) -> None:
        column = place.column
        rows = cell.rowspan * self.rows_per_row
        bold = any(ROW_CSS.get(name, ("", False))[1] for name in row_css.split())
        # The cell's own colour (a predicate) before the row's: it is the more specific fact.
        fill = _first(CSS_FILLS.get(name, "") for name in cell.css.split()) or _first(
            ROW_CSS.get(name, ("", False))[0] for name in row_css.split()
        )
        if column.kind == Kind.QUARTERS and (cell.quarters or not cell.text):
            self._write_quarters(row, place, cell, fill, bold)
        elif column.kind == Kind.NUMBER and cell.number is not None:
            # Centred like the figures on the page, and like the "-" of a missing one; amounts
            # on the right.
            style = self.style(
                horizontal="right" if column.right else "center",
                fill=fill,
                bold=bold,
                number_format=number_format(cell.number, percent=cell.percent, suffix=" %"),
            )
            self._put(row, place.first, sheet_number(cell.number), style, rows, place.span)
        elif column.kind == Kind.NUMBER and cell.text in ("", "-"):
            # No figure (no target, not reported): an empty cell, as in the plan's XLSX, never
            # the page's "-" as text in a column of numbers.
            style = self.style(horizontal="center", fill=fill, bold=bold)
            self._put(row, place.first, None, style, rows, place.span)
        else:
            style = self.style(
                horizontal="center" if column.center else "left", fill=fill, bold=bold
            )
            self._text(row, place.first, cell.text, style, rows, place.span)

    def _write_quarters(
        self, row: int, place: _Place, cell: LayoutCell, fill: str, bold: bool
    ) -> None:
        # A QUARTERS cell spanning n layout rows gives each quarter n sheet rows, so the four
        # quarters still fill the cell's height.
        by_quarter = {quarter.triwulan: quarter for quarter in cell.quarters}
        if not by_quarter.keys() <= set(QUARTERS):
            raise ValueError(f"{cell.column!r}: a triwulan outside 1-4.")
        block = cell.rowspan
        label_style = self.style(wrap=False, fill=fill, bold=bold)
        for triwulan in QUARTERS:
            top = row + (triwulan - 1) * block
            self._text(top, place.first, quarter_name(triwulan), label_style, rows=block)
            quarter = by_quarter.get(triwulan)
            if quarter is None or quarter.value is None:
                value, style = None, self.style(horizontal="right", fill=fill, bold=bold)
            else:
                value = sheet_number(quarter.value)
                style = self.style(
                    horizontal="right",
                    fill=fill,
                    bold=bold,
                    number_format=(
                        number_format(quarter.value, percent=True, suffix=f" {quarter.unit}")
                        if quarter.unit and not quarter.percent
                        else number_format(quarter.value, percent=quarter.percent)
                    ),
                )
            self._put(top, place.first + 1, value, style, rows=block)

    def _write_footer(self, row: int) -> int:
        lines = self.table.footer_lines
        style = self.style(size=NUMBER_ROW_FONT_SIZE, border=False)
        # A blank row under the table first, as the margin above the notes on the page.
        for offset, line in enumerate(lines, start=1):
            self._text(row + offset, 1, line, style, rows=1, columns=self.width)
        return row + len(lines) + 1 if lines else row

    def _write_signature(self, row: int) -> int:
        signature = self.table.signature
        first = self._signature_column()
        columns = self.width - first + 1
        plain = self.style(horizontal="center", border=False)
        bold = self.style(horizontal="center", border=False, bold=True)
        name = self.style(horizontal="center", border=False, bold=True, underline=True)
        lines = [(signature.place_date, plain), (signature.jabatan, bold)]
        lines += [(None, None)] * SIGNATURE_SPACE_ROWS
        lines += [
            (signature.nama, name),
            (signature.pangkat, plain),
            (f"NIP. {signature.nip}", plain),
        ]
        for text, style in lines:
            if text is not None:
                self._text(row, first, text, style, rows=1, columns=columns)
            row += 1
        return row - 1

    def _signature_column(self) -> int:
        start = SIGNATURE_START * sum(self.widths)
        left = 0.0
        for index, width in enumerate(self.widths):
            if left >= start:
                return index + 1
            left += width
        return self.width

    # -- cells ----------------------------------------------------------------------------------

    def _text(
        self,
        row: int,
        column: int,
        text: str,
        style: StyleArray,
        rows: int = 1,
        columns: int = 1,
        line: float = LINE_HEIGHT,
    ) -> None:
        cell = self._put(row, column, None, style, rows, columns)
        if text:
            write_text(cell, text)
            width = sum(self.widths[column - 1 : column - 1 + columns])
            self._need(row, rows, _line_count(cell.value, width) * line + CELL_PADDING)

    def _put(
        self, row: int, column: int, value, style: StyleArray, rows: int = 1, columns: int = 1
    ) -> Cell:
        cell = Cell(self.sheet, row=row, column=column, value=value, style_array=style)
        self.cells[row, column] = cell
        if rows > 1 or columns > 1:
            self.merges.append(
                CellRange(
                    min_row=row,
                    min_col=column,
                    max_row=row + rows - 1,
                    max_col=column + columns - 1,
                )
            )
        return cell

    def _fill_grid(self, top: int, bottom: int, style: StyleArray) -> None:
        # Excel draws the border of a merged range from the cells along its edges, so every
        # cell the range covers is written too (style only, no value), as Excel itself does.
        for row in range(top, bottom + 1):
            for column in range(1, self.width + 1):
                if (row, column) not in self.cells:
                    self.cells[row, column] = Cell(
                        self.sheet, row=row, column=column, style_array=style
                    )

    def _need(self, row: int, rows: int, height: float) -> None:
        """Make rows row .. row+rows-1 together at least ``height`` points high."""
        have = sum(self.heights.get(r, ROW_HEIGHT) for r in range(row, row + rows))
        if height > have:
            extra = (height - have) / rows
            for r in range(row, row + rows):
                self.heights[r] = self.heights.get(r, ROW_HEIGHT) + extra

    # -- sheet settings -------------------------------------------------------------------------

    def _finish(self, header_top: int, body_top: int, last_row: int) -> None:
        sheet = self.sheet
        sheet.title = _sheet_title(self.table.filename_stem)
        # Rows in order through the public append, which takes ready-made (styled) cells.
        for row in range(1, last_row + 1):
            sheet.append([self.cells.get((row, column)) for column in range(1, self.width + 1)])
        # One assignment instead of merge_cells per range keeps this linear; openpyxl's reader
        # sets merged_cells the same way. The covered positions hold styled empty cells rather
        # than openpyxl's MergedCell placeholders: the file is the same, the sheet is not edited
        # further.
        sheet.merged_cells = MultiCellRange(self.merges)
        # Rows that need no more room keep this height instead of Excel's 15 pt for Calibri 11.
        sheet.sheet_format.defaultRowHeight = ROW_HEIGHT
        sheet.sheet_format.customHeight = True
        for index, width in enumerate(self.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = round(width, 2)
        for row, height in self.heights.items():
            sheet.row_dimensions[row].height = round(height, 2)

        setup = sheet.page_setup
        setup.orientation = "landscape"
        setup.paperSize = sheet.PAPERSIZE_A4
        setup.fitToWidth = 1
        setup.fitToHeight = 0  # as many pages down as the rows need
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_margins = PageMargins(  # inches: about 10 mm, as the PDF
            left=0.4, right=0.4, top=0.4, bottom=0.6, header=0.2, footer=0.25
        )
        sheet.print_options.horizontalCentered = True
        sheet.oddFooter.center.text = "&P / &N"
        # The header and column-number rows on every printed page, as <thead> in the PDF.
        sheet.print_title_rows = f"{header_top}:{body_top - 1}"
        sheet.print_area = f"A1:{get_column_letter(self.width)}{last_row}"
        sheet.freeze_panes = f"A{body_top}"


def _first(values) -> str:
    return next((value for value in values if value), "")


def _line_count(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a cell ``width`` units wide (greedy, by words)."""
    per_line = max(1, int((width - 1) * CHARS_PER_UNIT))
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        length = 0
        for word in paragraph.split():
            if length and length + 1 + len(word) <= per_line:
                length += 1 + len(word)
                continue
            if length:
                lines += 1
            # A word longer than the line breaks anywhere (overflow-wrap: anywhere on the page).
            extra, length = divmod(len(word), per_line)
            if length == 0 and extra:
                extra, length = extra - 1, per_line
            lines += extra
    return lines


def _sheet_title(stem: str) -> str:
    title = SHEET_TITLE_FORBIDDEN.sub("-", clean_text(stem)).strip("'")[:31]
    return title or "Tabel"
