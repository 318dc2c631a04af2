"""The blank template: the plan's workbook with nothing filled in, and an instruction sheet.

The same workbook as the plan's XLSX export, rendered by the same code: the printed sheet
(title and header as printed, an empty body, placeholders for the signatory) and the Data
sheet (its keys and header), so that a filled template and an export are read alike; then the
"Petunjuk" sheet: what each column means, which values it takes, the agency's bidang, and an
example row. The Data sheet opens first: it is what the admin fills in (a table typed into the
printed sheet instead is read too, when the Data sheet stays empty).
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from renaksi.documents import rencana_aksi_blank_table
from renaksi.exports.cells import write_text
from renaksi.exports.rencana_data import write_data_sheet
from renaksi.exports.xlsx import render_xlsx
from renaksi.models import Arah, Instansi, MetodeCapaian
from renaksi.rencana_import import spec

HEADER_FILL = PatternFill("solid", fgColor="E9EDF2")
WRAP = Alignment(wrap_text=True, vertical="top")


def column_help() -> dict[str, tuple[str, str]]:
    """What each Data column means and which values it takes."""
    number = _("bilangan bulat 1, 2, 3, …")
    target = _('angka ≥ 0 (0–100 bila TARGET PERSEN "ya"); kosong atau "-" = tanpa target')
    renstra = _('angka ≥ 0; boleh kosong atau "-"')
    rupiah = _('rupiah bulat ≥ 0 tanpa sen, misalnya 1250000 atau 1.250.000; boleh kosong atau "-"')
    return {
        "jenis": (
            _("Jenis baris"),
            ", ".join(f'"{j}"' for j in spec.Jenis.ALL)
            + _(' ("kegiatan" hanya untuk kegiatan tanpa sub kegiatan)'),
        ),
        "no": (_("Nomor kegiatan (kolom NO tabel tercetak)"), number),
        "sasaran": (_("Nomor urut sasaran"), number),
        "sasaran_uraian": (_("Uraian sasaran (baris indikator sasaran)"), _("teks, wajib")),
        "indikator_no": (_("Nomor urut indikator dalam sasarannya"), number),
        "program": (_("Nomor urut program"), number),
        "program_nama": (_("Nama program (baris program)"), _("teks, wajib")),
        "kegiatan": (_("Nama kegiatan"), _("teks, wajib; sama untuk setiap baris satu NO")),
        "sub_no": (_("Nomor urut sub kegiatan dalam kegiatannya"), number),
        "uraian": (_("Uraian sub kegiatan"), _("teks, wajib")),
        "indikator": (_("Indikator kinerja"), _("teks, wajib")),
        "satuan": (_("Satuan"), _("teks, paling banyak 50 karakter; boleh kosong")),
        "persen": (_("Target dinyatakan dalam persen"), f'"{spec.YA}" / "{spec.TIDAK}"'),
        "arah": (
            _("Arah indikator"),
            "; ".join(f'"{value}" = {label}' for value, label in Arah.choices),
        ),
        "metode": (
            _("Metode capaian s.d. triwulan"),
            "; ".join(f'"{value}" = {label}' for value, label in MetodeCapaian.choices),
        ),
        "bulat": (
            _("Realisasi hanya bilangan bulat (jumlah dokumen, kegiatan, orang)"),
            f'"{spec.YA}" / "{spec.TIDAK}"' + _(" (kosong = tidak)"),
        ),
        "tw1": (_("Target triwulan 1"), target),
        "tw2": (_("Target triwulan 2"), target),
        "tw3": (_("Target triwulan 3"), target),
        "tw4": (_("Target triwulan 4"), target),
        "bidang": (_("Bidang pelapor sub kegiatan"), _("nama bidang instansi (lihat di bawah)")),
        "ket": (_("Keterangan"), _("teks; boleh kosong")),
        "target_renstra": (
            _("Target Renstra akhir periode, kinerja (K); untuk evaluasi Renja"),
            renstra,
        ),
        "realisasi_lalu": (_("Realisasi kinerja s.d. tahun lalu (K)"), renstra),
        "pagu": (_("Pagu anggaran tahun ini (baris sub kegiatan)"), rupiah),
        "kas1": (_("Anggaran kas triwulan 1"), rupiah),
        "kas2": (_("Anggaran kas triwulan 2"), rupiah),
        "kas3": (_("Anggaran kas triwulan 3"), rupiah),
        "kas4": (_("Anggaran kas triwulan 4"), rupiah),
        "pagu_renstra": (_("Pagu Renstra akhir periode (Rp)"), rupiah),
        "realisasi_lalu_rp": (_("Realisasi anggaran s.d. tahun lalu (Rp)"), rupiah),
    }


def example(bidang: str = "Sekretariat") -> spec.RencanaData:
    """A plan of one row of each kind; ``bidang``: the agency's own, so that it imports."""
    ukuran = spec.Ukuran(
        indikator=_("Persentase laporan keuangan yang disusun tepat waktu"),
        satuan="%",
        persen=True,
        arah=Arah.NAIK,
        metode=MetodeCapaian.KUMULATIF,
        targets=(Decimal(25), Decimal(25), Decimal(25), Decimal(25)),
    )
    return spec.RencanaData(
        penandatangan=spec.Penandatangan("", 0, 0, "", "", "", ""),
        sasaran=(
            spec.SasaranData(
                1,
                _("Meningkatnya akuntabilitas kinerja"),
                (spec.IndikatorSasaranData(1, ukuran),),
            ),
        ),
        program=(spec.ProgramData(1, _("Program Penunjang Urusan Pemerintahan Daerah")),),
        kegiatan=(
            spec.KegiatanData(
                1,
                1,
                1,
                1,
                _("Administrasi Keuangan Perangkat Daerah"),
                (
                    spec.SubKegiatanData(
                        1,
                        _("Penyusunan Laporan Keuangan"),
                        ukuran,
                        bidang,
                        "",
                        spec.Anggaran(
                            pagu=100_000_000,
                            kas=(25_000_000, 25_000_000, 25_000_000, 25_000_000),
                        ),
                    ),
                ),
            ),
        ),
    )


def render_template(*, instansi: Instansi, tahun: int | None, bidang: list[str]) -> bytes:
    """The blank template of ``instansi`` for ``tahun`` as the bytes of an .xlsx file."""

    def data_sheet(workbook: Workbook) -> None:
        write_data_sheet(workbook, None, instansi=instansi.kode, tahun=tahun)

    def petunjuk_sheet(workbook: Workbook) -> None:
        _write_petunjuk(workbook.create_sheet(spec.PETUNJUK_SHEET), bidang)

    def open_on_data(workbook: Workbook) -> None:
        for sheet in workbook.worksheets:
            sheet.sheet_view.tabSelected = False
        workbook.active = workbook.sheetnames.index(spec.DATA_SHEET)
        workbook.active.sheet_view.tabSelected = True

    return render_xlsx(
        rencana_aksi_blank_table(instansi=instansi, tahun=tahun),
        extra_sheets=(data_sheet, petunjuk_sheet, open_on_data),
    )


def _write_petunjuk(sheet, bidang: list[str]) -> None:
    lines = [
        _("Templat Rencana Aksi Renaksi"),
        _(
            'Isi lembar "%(data)s": satu baris per indikator sasaran, per program, dan per sub '
            "kegiatan. Di atas tabel, isi data penandatangan (NIP 18 angka). Jangan mengubah "
            "judul kolom. Ekspor XLSX rencana aksi dari Renaksi memakai susunan yang sama, jadi "
            "rencana tahun lalu dapat diekspor, diubah, lalu diimpor."
        )
        % {"data": spec.DATA_SHEET},
        _(
            "Target kumulatif dalam persen sebaiknya berjumlah 100 untuk TW 1–4; bila tidak, "
            "pratinjau memberi peringatan yang dapat Anda terima."
        ),
        _(
            "Kolom anggaran (pagu, anggaran kas TW 1–4, pagu Renstra, realisasi s.d. tahun "
            "lalu) boleh dikosongkan; rupiah ditulis bulat tanpa sen. Bila anggaran kas TW 1–4 "
            "tidak berjumlah sama dengan pagu, pratinjau memberi peringatan."
        ),
        _(
            "Lembar tabel tercetak (yang pertama) menunjukkan susunan tabel seperti dicetak; bila "
            'rencana aksi diketik di sana dan lembar "%(data)s" dibiarkan kosong, tabel itulah '
            "yang dibaca (bidang, arah dan metode dipilih di pratinjau)."
        )
        % {"data": spec.DATA_SHEET},
        "",
    ]
    row = 1
    for line in lines:
        write_text(sheet.cell(row, 1), line)
        row += 1
    sheet.cell(1, 1).font = Font(bold=True, size=12)
    for index, title in enumerate((_("Kolom"), _("Arti"), _("Nilai yang boleh")), start=1):
        write_text(sheet.cell(row, index), title)
        sheet.cell(row, index).font = Font(bold=True)
        sheet.cell(row, index).fill = HEADER_FILL
    help_texts = column_help()
    for column in spec.COLUMNS:
        row += 1
        meaning, values = help_texts.get(column.key, (column.title, ""))
        for index, text in enumerate((column.title, meaning, values), start=1):
            write_text(sheet.cell(row, index), text)
            sheet.cell(row, index).alignment = WRAP
    row += 2
    write_text(sheet.cell(row, 1), _("Bidang instansi ini"))
    sheet.cell(row, 1).font = Font(bold=True)
    for name in bidang:
        row += 1
        write_text(sheet.cell(row, 1), name)
    row += 2
    write_text(sheet.cell(row, 1), _("Contoh (salin polanya ke lembar Data):"))
    sheet.cell(row, 1).font = Font(bold=True)
    row += 1
    for index, column in enumerate(spec.COLUMNS, start=1):
        write_text(sheet.cell(row, index), column.title)
        sheet.cell(row, index).fill = HEADER_FILL
    for values in spec.flatten(example(bidang[0] if bidang else "Sekretariat")):
        row += 1
        for index, column in enumerate(spec.COLUMNS, start=1):
            value = values.get(column.key)
            if isinstance(value, str):
                write_text(sheet.cell(row, index), value)
            elif value is not None:
                sheet.cell(row, index).value = int(value)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 45
    sheet.column_dimensions["C"].width = 60
