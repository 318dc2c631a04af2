"""The XLSX export: reopened with openpyxl, checked cell by cell as a user would see it.

Tables are built by hand (no database). The plan table has the 11 columns of the Rencana Aksi;
with its two TARGET columns taking two sheet columns each, the sheet columns are:
A NO | B-C SASARAN | D-E TARGET | F PROGRAM | G KEGIATAN | H-J SUB KEGIATAN | K-L TARGET | M KET
and, under two title lines and a blank row, the header is on rows 4-5, the numbers on row 6 and
the body from row 7, four sheet rows per sub kegiatan.
"""

import io
import re
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.cell_range import CellRange

from renaksi.exports.xlsx import render_xlsx
from renaksi.layout import Cell, Column, Kind, QuarterValue, Row, Signature, Table

SIGNATURE = Signature(
    place_date="Kota Contoh, 2 Januari 2025",
    jabatan="KEPALA BADAN KESATUAN BANGSA DAN POLITIK",
    nama="Drs. Budi Santoso, M.Si",
    pangkat="Pembina Utama Muda",
    nip="19681210 198902 1 002",
)

PLAN_COLUMNS = [
    Column("no", "NO", width=0.4, center=True),
    Column("sasaran", "URAIAN", group="SASARAN", width=2),
    Column("indikator_sasaran", "INDIKATOR KINERJA", group="SASARAN", width=2),
    Column("target_sasaran", "TARGET", kind=Kind.QUARTERS, width=1.2),
    Column("program", "PROGRAM", width=1.8),
    Column("kegiatan", "KEGIATAN", width=1.8),
    Column("sub", "URAIAN", group="SUB KEGIATAN", width=2),
    Column("indikator_sub", "INDIKATOR KINERJA", group="SUB KEGIATAN", width=2),
    Column("satuan", "SATUAN", group="SUB KEGIATAN", width=0.8, center=True),
    Column("target_sub", "TARGET", kind=Kind.QUARTERS, width=1.2),
    Column("ket", "KET", width=1),
]


def quarters(*values, percent=True) -> tuple[QuarterValue, ...]:
    return tuple(
        QuarterValue(index, None if value is None else Decimal(value), percent)
        for index, value in enumerate(values, start=1)
    )


def plan_table(sub_count: int = 3, per_kegiatan: int = 2, sasaran: str = "") -> Table:
    """``sub_count`` sub kegiatan, a new kegiatan every ``per_kegiatan`` of them."""
    rows = []
    for index in range(sub_count):
        cells = []
        if index % per_kegiatan == 0:
            span = min(per_kegiatan, sub_count - index)
            number = index // per_kegiatan + 1
            cells += [
                Cell("no", str(number), rowspan=span),
                Cell("sasaran", sasaran or f"Meningkatnya kewaspadaan {number}", rowspan=span),
                Cell("indikator_sasaran", "Persentase konflik tertangani", rowspan=span),
                Cell("target_sasaran", quarters=quarters(25, 50, 75, 100), rowspan=span),
                Cell("program", "Program Peningkatan Kewaspadaan Nasional", rowspan=span),
                Cell("kegiatan", f"Kegiatan pembinaan {number}", rowspan=span),
            ]
        cells += [
            Cell("sub", f"Sub kegiatan forum kewaspadaan dini {index + 1}"),
            Cell("indikator_sub", "Jumlah laporan forum"),
            Cell("satuan", "Laporan"),
            Cell("target_sub", quarters=quarters(25, "26.5", None, "33.33")),
            Cell("ket", ""),
        ]
        rows.append(Row(cells, key=f"sub-{index}"))
    return Table(
        title_lines=["RENCANA AKSI PENCAPAIAN PERJANJIAN KINERJA", "TAHUN 2025"],
        columns=PLAN_COLUMNS,
        rows=rows,
        signature=SIGNATURE,
        author="Badan Kesbangpol Kota Contoh",
        filename_stem="rencana-aksi-2025",
    )


def report_table() -> Table:
    """A quarterly report shape: NUMBER columns, no quarters, a predicate colour."""
    columns = [
        Column("no", "NO", width=0.4, center=True),
        Column("indikator", "INDIKATOR", width=3),
        Column("target", "TARGET", kind=Kind.NUMBER, group="TRIWULAN I", width=1),
        Column("realisasi", "REALISASI", kind=Kind.NUMBER, group="TRIWULAN I", width=1),
        Column("capaian", "CAPAIAN", kind=Kind.NUMBER, group="TRIWULAN I", width=1),
    ]
    rows = [
        Row(
            [
                Cell("no", "1"),
                Cell("indikator", "Persentase konflik tertangani"),
                Cell("target", number=Decimal("1234.5")),
                Cell("realisasi", number=Decimal(1000)),
                Cell(
                    "capaian",
                    number=Decimal("83.3333"),
                    percent=True,
                    css="predikat-tinggi",
                ),
            ]
        ),
        Row(
            [Cell("no", "2"), Cell("indikator", "Belum diisi"), Cell("capaian", text="-")],
            css="baris-sasaran",
        ),
    ]
    return Table(
        title_lines=["LAPORAN TRIWULAN I"],
        columns=columns,
        rows=rows,
        signature=None,
        footer_lines=["Capaian = realisasi / target x 100"],
    )


def reopen(table: Table):
    data = render_xlsx(table)
    return load_workbook(io.BytesIO(data)), data


def merged(sheet) -> set[str]:
    return {str(cell_range) for cell_range in sheet.merged_cells.ranges}


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def test_it_writes_titles_headers_and_column_numbers():
    sheet = reopen(plan_table())[0].active

    assert sheet["A1"].value == "RENCANA AKSI PENCAPAIAN PERJANJIAN KINERJA"
    assert sheet["A1"].font.b
    assert sheet["A1"].alignment.horizontal == "center"
    assert sheet["A2"].value == "TAHUN 2025"
    assert [sheet[c].value for c in ("A4", "B4", "B5", "C5", "D4", "F4", "G4", "H4", "K4")] == [
        "NO",
        "SASARAN",
        "URAIAN",
        "INDIKATOR KINERJA",
        "TARGET",
        "PROGRAM",
        "KEGIATAN",
        "SUB KEGIATAN",
        "TARGET",
    ]
    assert sheet["J5"].value == "SATUAN"
    assert sheet["M4"].value == "KET"
    assert {"A1:M1", "A2:M2", "A4:A5", "B4:C4", "D4:E5", "H4:J4", "K4:L5", "M4:M5"} <= merged(sheet)
    # Column numbers 1..11; a TARGET number spans its label and value columns.
    numbers = [sheet.cell(6, column).value for column in range(1, 14)]
    assert numbers == [1, 2, 3, 4, None, 5, 6, 7, 8, 9, 10, None, 11]
    assert {"D6:E6", "K6:L6"} <= merged(sheet)


def test_it_stores_targets_as_numbers_with_a_literal_percent_sign():
    sheet = reopen(plan_table())[0].active

    labels = [sheet.cell(row, 11).value for row in range(7, 11)]
    values = [sheet.cell(row, 12).value for row in range(7, 11)]
    assert labels == ["TW 1", "TW 2", "TW 3", "TW 4"]
    assert values == [25, 26.5, None, 33.33]
    # "%" in quotes is a literal: 25 shows as "25%" and adds up as 25 (Excel's % would show 2500%).
    assert sheet["L7"].number_format == '#,##0"%"'
    assert sheet["L8"].number_format == '#,##0.0"%"'
    assert sheet["L10"].number_format == '#,##0.00"%"'
    assert sheet["L9"].data_type == "n"
    strings = [
        cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)
    ]
    assert not [value for value in strings if value.endswith("%")]


def test_it_merges_each_cell_over_four_sheet_rows_per_layout_row():
    sheet = reopen(plan_table(sub_count=3, per_kegiatan=2))[0].active
    ranges = merged(sheet)

    # The first kegiatan has two sub kegiatan: rows 7-14; the second one sub kegiatan: 15-18.
    assert {"A7:A14", "B7:B14", "C7:C14", "F7:F14", "G7:G14"} <= ranges
    assert {"A15:A18", "G15:G18"} <= ranges
    assert sheet["G7"].value == "Kegiatan pembinaan 1"
    assert sheet["G15"].value == "Kegiatan pembinaan 2"
    # Each sub kegiatan's own cells span its four rows.
    assert {"H7:H10", "I7:I10", "J7:J10", "M7:M10", "H11:H14", "H15:H18"} <= ranges
    assert sheet["H11"].value == "Sub kegiatan forum kewaspadaan dini 2"
    # The sasaran target spans two sub kegiatan: each quarter takes two sheet rows.
    assert {"D7:D8", "E7:E8", "D9:D10", "E13:E14"} <= ranges
    assert [sheet.cell(row, 5).value for row in (7, 9, 11, 13)] == [25, 50, 75, 100]
    # One sub kegiatan's quarters are single rows, not merged.
    assert not any(r.startswith("K7:") or r.startswith("L7:") for r in ranges)


def test_it_borders_every_cell_of_the_table_including_the_merged_ones():
    data = render_xlsx(plan_table(sub_count=3))
    xml = sheet_xml(data)
    sheet = load_workbook(io.BytesIO(data)).active

    # Excel draws a merged range's border from the cells along its edges, so every cell of
    # the grid is in the file with a style, not only the top-left ones.
    written = set(re.findall(r'<c r="([A-Z]+\d+)" s="\d+"', xml))
    grid = {f"{letter}{row}" for letter in "ABCDEFGHIJKLM" for row in range(4, 19)}
    assert grid <= written
    side = sheet["G7"].border
    assert (side.left.style, side.right.style, side.top.style, side.bottom.style) == ("thin",) * 4
    assert not sheet["A1"].border.left  # the title has no frame


def test_it_sets_up_the_page_for_a4_landscape_with_repeated_headers():
    workbook, _ = reopen(plan_table())
    sheet = workbook.active

    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == int(sheet.PAPERSIZE_A4)
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$4:$6"
    assert sheet.freeze_panes == "A7"
    assert sheet.title == "rencana-aksi-2025"
    assert sheet.column_dimensions["D"].width < sheet.column_dimensions["E"].width
    assert 140 <= sum(sheet.column_dimensions[c].width for c in "ABCDEFGHIJKLM") <= 170


def test_it_sets_the_document_title_and_creator():
    workbook, _ = reopen(plan_table())

    assert workbook.properties.title == "RENCANA AKSI PENCAPAIAN PERJANJIAN KINERJA TAHUN 2025"
    assert workbook.properties.creator == "Badan Kesbangpol Kota Contoh"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ('=HYPERLINK("http://x","y")', '=HYPERLINK("http://x","y")'),
        ("+1", "+1"),
        ("-1", "-1"),
        ("@SUM(A1)", "@SUM(A1)"),
        ("\tx", "\tx"),
        # XML reads a carriage return back as a line feed (Excel's in-cell line break), so the
        # export writes "\n" itself; what matters is that it stays a string.
        ("\rx", "\nx"),
    ],
)
def test_it_writes_typed_text_as_a_literal_string_never_a_formula(typed, stored):
    table = plan_table(sub_count=1, sasaran=typed)
    table.title_lines = [typed]
    table.signature = Signature(typed, typed, typed, typed, "1")
    workbook, data = reopen(table)
    sheet = workbook.active

    for coordinate in ("A1", "B6"):  # the title and the sasaran (no blank row: one title line)
        assert sheet[coordinate].value == stored
        assert sheet[coordinate].data_type == "s"
    signature = [cell for row in sheet.iter_rows(min_row=11) for cell in row if cell.value]
    assert [cell.value for cell in signature][:2] == [stored, stored]
    assert "<f>" not in sheet_xml(data) and "<f " not in sheet_xml(data)


def test_it_drops_control_characters_that_excel_refuses():
    sheet = reopen(plan_table(sub_count=1, sasaran="baris satu\x0bbaris\r\ndua"))[0].active

    assert sheet["B7"].value == "baris satubaris\ndua"


def test_it_signs_on_the_right_below_the_table():
    sheet = reopen(plan_table(sub_count=3))[0].active

    # The body ends on row 18; a blank row, then the signature.
    assert all(cell.value is None for cell in sheet[19])
    cells = {cell.value: cell for row in sheet.iter_rows(min_row=20) for cell in row if cell.value}
    place = cells["Kota Contoh, 2 Januari 2025"]
    name = cells["Drs. Budi Santoso, M.Si"]
    assert place.row == 20
    assert place.column > 6  # right of the middle of the 13 columns
    assert cells["KEPALA BADAN KESATUAN BANGSA DAN POLITIK"].font.b
    assert name.font.b and name.font.u == "single"
    assert name.row > place.row + 4  # room to sign
    assert cells["NIP. 19681210 198902 1 002"].row == name.row + 2
    assert f"{place.coordinate}:M20" in merged(sheet)
    assert sheet.print_area.endswith(f"$M${name.row + 2}")


def test_it_writes_number_columns_with_two_decimals_at_most_and_predicate_colours():
    workbook, _ = reopen(report_table())
    sheet = workbook.active

    # One title, blank row, header rows 3-4, numbers on 5, body from 6, one sheet row each.
    assert sheet.freeze_panes == "A6"
    assert sheet["C6"].value == 1234.5
    assert sheet["C6"].number_format == "#,##0.0"
    assert sheet["D6"].value == 1000
    assert sheet["D6"].number_format == "#,##0"
    assert sheet["E6"].value == pytest.approx(83.3333)
    assert sheet["E6"].number_format == '#,##0.00" %"'
    assert sheet["E6"].fill.fgColor.rgb == "00DCEDC8"
    assert sheet["E7"].value is None  # no figure: an empty cell, not the text "-"
    assert sheet["E6"].alignment.horizontal == sheet["E7"].alignment.horizontal == "center"
    # A sasaran row is bold on a light fill, as tr.baris-sasaran on the page.
    assert sheet["B7"].font.b and sheet["B7"].fill.fgColor.rgb == "00F3F6FA"
    assert not sheet["B6"].font.b
    assert sheet["C7"].value is None
    assert "C3:E3" in merged(sheet)
    assert sheet["A9"].value == "Capaian = realisasi / target x 100"


def test_it_rejects_a_cell_overlapping_a_row_span():
    table = plan_table(sub_count=2)
    table.rows[1].cells.append(Cell("kegiatan", "Tumpang tindih"))

    with pytest.raises(ValueError, match="overlaps"):
        render_xlsx(table)


def test_it_keeps_every_merged_range_of_a_2000_row_table():
    # Its speed is measured by bench/xlsx_merge.py and bench/exports.py, not here.
    table = plan_table(sub_count=2000, per_kegiatan=5)
    data = render_xlsx(table)

    # Read from the XML as Excel does: openpyxl's own reader needs ~12 s to re-format 13,000
    # merged ranges (the small tables above check that it reads them back).
    xml = sheet_xml(data)
    refs = re.findall(r'<mergeCell ref="([A-Z]+\d+:[A-Z]+\d+)"', xml)
    # Per kegiatan: NO, SASARAN, INDIKATOR, PROGRAM, KEGIATAN (5), the sasaran target's four
    # quarters spanning 5 rows (8), and per sub kegiatan URAIAN, INDIKATOR, SATUAN, KET (4 x 5).
    body = 400 * (5 + 8 + 4 * 5)
    header = 8 + 2  # 8 header cells spanning rows or columns, 2 TARGET column numbers
    titles, signature_lines = 2, 5
    assert len(refs) == body + header + titles + signature_lines
    assert f'<mergeCells count="{len(refs)}">' in xml
    # No two ranges overlap (Excel would "repair" the file and drop them).
    covered = [cell for ref in refs for cell in CellRange(ref).cells]
    assert len(covered) == len(set(covered))
    assert "G7:G26" in refs and "H8003:H8006" in refs  # the first kegiatan, the last sub
    assert re.search(r'<dimension ref="A1:M8016"\s*/>', xml)
