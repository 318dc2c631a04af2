"""The realisation form as an Excel workbook: ``render_formulir(...) -> bytes``.

A user downloads the form for one quarter, fills it in Excel or LibreOffice, and uploads it
again (``formulir.read``). The layout is ``formulir.spec``.

* The columns to fill (realisasi and the notes of ``CATATAN``) are pre-filled with
  what is stored now, shaded and unlocked; every other cell is locked by sheet protection (no
  password: it guards against slips, the server checks everything again on upload). The
  realisasi column carries data validation: a decimal ≥ 0, and ≤ 100 where the target is in
  percent, the rule ``numbers.nilai_check`` enforces.
* Text is always written as a literal string, never as a formula (``exports.cells.write_text``).
"""

import io
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from renaksi.capaian import target_to_date
from renaksi.exports.cells import (
    RUPIAH_FORMAT,
    clean_text,
    number_format,
    sheet_number,
    write_text,
)
from renaksi.formulir.spec import (
    COLUMN,
    FORM_COLUMNS,
    FORM_FORMAT,
    FORM_KIND,
    HEADER_ROW,
    META_FORMAT,
    META_HEADER_ROW,
    META_INSTANSI,
    META_KIND,
    META_TAHUN,
    META_TITLE,
    META_TRIWULAN,
    NOTE_COLUMNS,
    SHEET_TITLE,
    column_titles,
)
from renaksi.models import Bulan, Peran, Profile, RencanaAksi
from renaksi.presentation import user_display
from renaksi.selectors import EntryRow

FONT_NAME = "Arial"
FONT_SIZE = 10
HEADER_FILL = "E9EDF2"
LOCKED_FILL = "EEEEEE"  # the key columns: grey, "do not touch"
FILL_FILL = "FFF8D6"  # the columns to fill: light yellow
THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def render_formulir(
    *,
    rencana: RencanaAksi,
    triwulan: int,
    profile: Profile,
    rows: list[EntryRow],
    now: datetime | None = None,
) -> bytes:
    """The form for ``triwulan`` as the bytes of an .xlsx file.

    ``rows`` come from ``selectors.entry_rows(rencana=..., profile=profile)``; only those the
    profile may edit are written. ``rencana.instansi`` must be loaded. No query is made here
    beyond ``profile.bidang`` and ``profile.user``.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    styles = _Styles(workbook)
    editable = [row for row in rows if row.can_edit]
    _write_title(sheet, styles, rencana, triwulan, profile, now or timezone.now())
    _write_header(sheet, styles, triwulan)
    _write_rows(sheet, styles, editable, triwulan)
    _write_meta(workbook, rencana, triwulan)
    _protect(sheet, workbook)
    _page_setup(sheet, last_row=HEADER_ROW + len(editable))
    workbook.properties.title = clean_text(
        _("Formulir realisasi TW %(n)d %(tahun)s") % {"n": triwulan, "tahun": rencana.tahun}
    )
    # Without it openpyxl signs every file "openpyxl".
    workbook.properties.creator = clean_text(rencana.instansi.nama) or None
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- cells --------------------------------------------------------------------------------------


class _Styles:
    """Named styles made on first use: one assignment per cell instead of five (fast on big
    plans), and the protection flag travels with the style."""

    def __init__(self, workbook: Workbook):
        self._workbook = workbook
        self._names: dict[tuple, str] = {}

    def __call__(
        self,
        *,
        fill: str = "",
        bold: bool = False,
        size: float = FONT_SIZE,
        horizontal: str = "left",
        number_format: str = "General",
        border: bool = True,
        locked: bool = True,
        wrap: bool = True,
    ) -> str:
        key = (fill, bold, size, horizontal, number_format, border, locked, wrap)
        name = self._names.get(key)
        if name is None:
            name = f"Formulir {len(self._names) + 1}"
            self._workbook.add_named_style(
                NamedStyle(
                    name=name,
                    font=Font(name=FONT_NAME, size=size, bold=bold),
                    fill=PatternFill("solid", fgColor=fill) if fill else PatternFill(),
                    border=GRID if border else Border(),
                    alignment=Alignment(horizontal=horizontal, vertical="top", wrap_text=wrap),
                    number_format=number_format,
                    protection=Protection(locked=locked),
                )
            )
            self._names[key] = name
        return name


# -- the sheet, top to bottom -------------------------------------------------------------------


def _write_title(
    sheet: Worksheet,
    styles: _Styles,
    rencana: RencanaAksi,
    triwulan: int,
    profile: Profile,
    now: datetime,
) -> None:
    local = timezone.localtime(now)
    user = profile.user
    who = user_display(user)
    role = profile.get_peran_display()
    if profile.peran == Peran.STAF and profile.bidang_id:
        role = f"{role} – {profile.bidang.nama}"
    lines = [
        (_("FORMULIR REALISASI RENCANA AKSI"), 13, True),
        (
            _("%(instansi)s — TAHUN %(tahun)s — TRIWULAN %(n)d (TW %(n)d)")
            % {"instansi": rencana.instansi.nama.upper(), "tahun": rencana.tahun, "n": triwulan},
            11,
            True,
        ),
        (
            _("Diunduh oleh %(who)s (%(username)s, %(role)s) pada %(date)s pukul %(time)s")
            % {
                "who": who,
                "username": user.username,
                "role": role,
                "date": f"{local.day} {Bulan(local.month).label} {local.year}",
                "time": local.strftime("%H.%M"),
            },
            FONT_SIZE,
            False,
        ),
        (
            _(
                "Isi hanya kolom berwarna kuning: REALISASI, REALISASI KEUANGAN, KETERANGAN, "
                "FAKTOR PENDORONG, KENDALA, TINDAK LANJUT. Jangan mengubah KUNCI dan VERSI. "
                "Realisasi ditulis sebagai angka (26,5 atau 26.5), tanpa tanda %; realisasi "
                "keuangan dalam rupiah tanpa sen (1250000); kosongkan bila belum dilaporkan."
            ),
            FONT_SIZE,
            False,
        ),
        (
            _(
                "Setelah diisi, unggah berkas ini di halaman Unggah formulir TW %(n)d. Perubahan "
                "ditampilkan dulu untuk diperiksa sebelum disimpan."
            )
            % {"n": triwulan},
            FONT_SIZE,
            False,
        ),
    ]
    last = len(FORM_COLUMNS)
    merges = []
    for row, (text, size, bold) in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1)
        cell.style = styles(size=size, bold=bold, border=False)
        write_text(cell, text)
        merges.append(CellRange(min_row=row, min_col=1, max_row=row, max_col=last))
    sheet.merged_cells = MultiCellRange(merges)
    sheet.row_dimensions[1].height = 18
    sheet.row_dimensions[2].height = 16


def _write_header(sheet: Worksheet, styles: _Styles, triwulan: int) -> None:
    titles = column_titles(triwulan)
    for index, column in enumerate(FORM_COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index)
        cell.style = styles(
            fill=FILL_FILL if column.fill else HEADER_FILL, bold=True, horizontal="center"
        )
        write_text(cell, titles[column.key])
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.row_dimensions[HEADER_ROW].height = 27


def _write_rows(sheet: Worksheet, styles: _Styles, rows: list[EntryRow], triwulan: int) -> None:
    percent_rows: list[int] = []
    other_rows: list[int] = []
    whole_rows: list[int] = []
    money_rows: list[int] = []
    for sheet_row, row in enumerate(rows, start=HEADER_ROW + 1):
        indikator = row.indikator
        current = row.current(triwulan)
        percent = indikator.target_persen
        if indikator.bilangan_bulat and not percent:
            whole_rows.append(sheet_row)
        else:
            (percent_rows if percent else other_rows).append(sheet_row)
        bold = row.is_sasaran  # a sasaran row stands out above its sub kegiatan
        if not row.is_sasaran:
            money_rows.append(sheet_row)
        texts = {
            "kunci": row.key,
            "jenis": _("Indikator sasaran") if row.is_sasaran else _("Sub kegiatan"),
            "bidang": row.bidang.nama if row.bidang else "",
            "uraian": row.uraian,
            "indikator": indikator.indikator,
            "satuan": indikator.satuan,
            **{name: getattr(current, name) if current else "" for name in NOTE_COLUMNS},
        }
        numbers = {
            "versi": Decimal(current.versi if current else 0),
            "no": Decimal(row.nomor) if row.nomor is not None else None,
            "target": indikator.target(triwulan),
            "target_kumulatif": target_to_date(
                indikator.targets(), triwulan, indikator.metode_capaian
            ),
            "realisasi": current.nilai if current else None,
        }
        # Whole rupiah, as numbers; an indikator sasaran has no money (those cells stay empty).
        rupiah = {
            "pagu": None if row.is_sasaran else indikator.pagu,
            "kas": None if row.is_sasaran else indikator.kas(triwulan),
            "keuangan": current.keuangan if current else None,
        }
        for index, column in enumerate(FORM_COLUMNS, start=1):
            cell = sheet.cell(row=sheet_row, column=index)
            key = column.key
            if key in texts:
                cell.style = styles(
                    fill=FILL_FILL if column.fill else (LOCKED_FILL if key == "kunci" else ""),
                    bold=bold and not column.fill,
                    locked=not column.fill,
                )
                if texts[key]:
                    write_text(cell, texts[key])
                continue
            if key in rupiah:
                fill = column.fill and not row.is_sasaran
                cell.style = styles(
                    fill=FILL_FILL if fill else "",
                    horizontal="right",
                    number_format=RUPIAH_FORMAT,
                    locked=not fill,
                    wrap=False,
                )
                if rupiah[key] is not None:
                    cell.value = rupiah[key]
                continue
            value = numbers[key]
            is_target = key in ("target", "target_kumulatif")
            cell.style = styles(
                fill=FILL_FILL if column.fill else (LOCKED_FILL if key == "versi" else ""),
                horizontal="right",
                number_format=(
                    number_format(value, percent=percent)
                    if is_target and value is not None
                    else "General"
                ),
                locked=not column.fill,
                wrap=False,
            )
            if value is not None:
                cell.value = sheet_number(value)
    _add_validation(sheet, percent_rows, percent=True)
    _add_validation(sheet, other_rows, percent=False)
    _add_validation(sheet, whole_rows, percent=False, whole=True)
    _add_money_validation(sheet, money_rows)


def _ranges(column: str, rows: list[int]) -> str:
    """Consecutive rows as ranges ("K8:K10 K12"): openpyxl's own ``add`` is quadratic."""
    parts: list[str] = []
    start = previous = None
    for row in [*rows, None]:
        if start is not None and row == previous + 1:
            previous = row
            continue
        if start is not None:
            parts.append(
                f"{column}{start}" if start == previous else f"{column}{start}:{column}{previous}"
            )
        start = previous = row
    return " ".join(parts)


def _add_validation(
    sheet: Worksheet, rows: list[int], *, percent: bool, whole: bool = False
) -> None:
    # Excel's own check is a courtesy while typing; the upload is judged by nilai_check.
    if not rows:
        return
    if whole:
        validation = DataValidation(
            type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True
        )
        validation.error = _("Realisasi: bilangan bulat 0 atau lebih, tanpa koma.")
    elif percent:
        validation = DataValidation(
            type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True
        )
        validation.error = _("Realisasi dalam persen: angka 0 sampai 100, tanpa tanda %.")
    else:
        validation = DataValidation(
            type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True
        )
        validation.error = _("Realisasi: angka 0 atau lebih.")
    validation.errorTitle = _("Realisasi tidak valid")
    validation.showErrorMessage = True
    validation.sqref = MultiCellRange(_ranges(COLUMN["realisasi"].letter, rows))
    sheet.add_data_validation(validation)


def _add_money_validation(sheet: Worksheet, rows: list[int]) -> None:
    # A courtesy while typing, as for the value; the upload is judged by keuangan.rupiah_*.
    if not rows:
        return
    validation = DataValidation(
        type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True
    )
    validation.error = _("Realisasi keuangan: rupiah bulat 0 atau lebih, tanpa sen.")
    validation.errorTitle = _("Realisasi keuangan tidak valid")
    validation.showErrorMessage = True
    validation.sqref = MultiCellRange(_ranges(COLUMN["keuangan"].letter, rows))
    sheet.add_data_validation(validation)


def _write_meta(workbook: Workbook, rencana: RencanaAksi, triwulan: int) -> None:
    meta = workbook.create_sheet(META_TITLE)
    values = [
        (META_KIND, FORM_KIND),
        (META_FORMAT, str(FORM_FORMAT)),
        (META_INSTANSI, rencana.instansi.kode),
        (META_TAHUN, str(rencana.tahun)),
        (META_TRIWULAN, str(triwulan)),
        (META_HEADER_ROW, str(HEADER_ROW)),
    ]
    for row, (key, value) in enumerate(values, start=1):
        write_text(meta.cell(row=row, column=1), key)
        write_text(meta.cell(row=row, column=2), value)
    meta.sheet_state = "hidden"
    meta.protection.sheet = True


def _protect(sheet: Worksheet, workbook: Workbook) -> None:
    protection = sheet.protection
    protection.sheet = True
    # Let users widen columns and rows to read long texts; everything else stays locked.
    protection.formatColumns = False
    protection.formatRows = False
    # Keeps the hidden Info sheet from being deleted, renamed or shown by accident.
    workbook.security = WorkbookProtection(lockStructure=True)


def _page_setup(sheet: Worksheet, last_row: int) -> None:
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_area = f"A1:{get_column_letter(len(FORM_COLUMNS))}{max(last_row, HEADER_ROW)}"
