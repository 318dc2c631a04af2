"""The realisation form's layout: the contract between its writer and its reader.

* Sheet ``Formulir``: a title block, the header row at ``HEADER_ROW``, then one row per
  indicator the user may edit, in plan order. ``FORM_COLUMNS`` fixes each column's position.
  KUNCI ("sub-12" / "ind-3") names the row, VERSI the stored version seen at download time;
  together they let an upload be checked against what was saved since.
* A hidden sheet ``Info`` names the form kind, its format, agency kode, year and quarter, so an
  upload of another year, quarter or agency (or of some other spreadsheet) is recognised.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from renaksi.models import CATATAN, RencanaAksi

SHEET_TITLE = "Formulir"
META_TITLE = "Info"
FORM_KIND = "renaksi-formulir-realisasi"
FORM_FORMAT = 2  # raise when the columns change, so an old form is refused, not misread
HEADER_ROW = 7

# Keys of the hidden sheet, one per row: key in column A, value in column B.
META_KIND = "jenis"
META_FORMAT = "format"
META_INSTANSI = "instansi"
META_TAHUN = "tahun"
META_TRIWULAN = "triwulan"
META_HEADER_ROW = "baris_judul"


@dataclass(frozen=True)
class FormColumn:
    key: str
    width: float
    fill: bool = False  # the user types in it

    @property
    def letter(self) -> str:
        return get_column_letter(FORM_COLUMNS.index(self) + 1)


FORM_COLUMNS = (
    FormColumn("kunci", 11),
    FormColumn("versi", 7),
    FormColumn("no", 5),
    FormColumn("jenis", 12),
    FormColumn("bidang", 18),
    FormColumn("uraian", 42),
    FormColumn("indikator", 34),
    FormColumn("satuan", 9),
    FormColumn("target", 10),
    FormColumn("target_kumulatif", 11),
    FormColumn("realisasi", 12, fill=True),
    # The row's money: its pagu and the quarter's anggaran kas to read, the rupiah spent to fill
    # (sub kegiatan rows only; locked on an indikator sasaran row).
    FormColumn("pagu", 15),
    FormColumn("kas", 15),
    FormColumn("keuangan", 16, fill=True),
    FormColumn("ket", 28, fill=True),
    FormColumn("faktor_pendorong", 28, fill=True),
    FormColumn("kendala", 28, fill=True),
    FormColumn("tindak_lanjut", 28, fill=True),
)
COLUMN = {column.key: column for column in FORM_COLUMNS}


def column_titles(triwulan: int) -> dict[str, str]:
    """The header of each column, as written on the form and expected back on upload."""
    n = {"n": triwulan}
    return {
        "kunci": _("KUNCI"),
        "versi": _("VERSI"),
        "no": _("NO"),
        "jenis": _("JENIS"),
        "bidang": _("BIDANG"),
        "uraian": _("URAIAN"),
        "indikator": _("INDIKATOR KINERJA"),
        "satuan": _("SATUAN"),
        "target": _("TARGET TW %(n)d") % n,
        "target_kumulatif": _("TARGET S.D. TW %(n)d") % n,
        "realisasi": _("REALISASI TW %(n)d") % n,
        "pagu": _("PAGU (Rp)"),
        "kas": _("ANGGARAN KAS TW %(n)d (Rp)") % n,
        "keuangan": _("REALISASI KEUANGAN TW %(n)d (Rp)") % n,
        **{name: str(label).upper() for name, label in CATATAN.items()},
    }


def formulir_filename(*, rencana: RencanaAksi, triwulan: int) -> str:
    return f"formulir-realisasi-{rencana.instansi.kode}-{rencana.tahun}-tw{triwulan}.xlsx"


# The columns the user fills: the value, the rupiah spent and the notes.
NOTE_COLUMNS = tuple(CATATAN)
FILL_KEYS = ("realisasi", "keuangan", *NOTE_COLUMNS)
