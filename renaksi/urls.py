from django.urls import path, register_converter

from renaksi.views import (
    bukti,
    dasbor,
    formulir,
    laporan,
    realisasi,
    rencana,
    rencana_import,
    review,
    verifikasi,
)


class TriwulanConverter:
    """``<tw:triwulan>``: a quarter 1–4 as an int; any other value is no URL of ours (404)."""

    regex = "[1-4]"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(TriwulanConverter, "tw")

TW = "rencana-aksi/<int:tahun>/tw/<tw:triwulan>/"

urlpatterns = [
    path("", dasbor.home, name="home"),
    path("dasbor/<int:tahun>/<tw:triwulan>/", dasbor.dasbor, name="dasbor"),
    path("rencana-aksi/<int:tahun>/", rencana.rencana_aksi, name="rencana_aksi"),
    path(
        "rencana-aksi/<int:tahun>/pdf/",
        rencana.rencana_aksi_download,
        {"fmt": "pdf"},
        name="rencana_aksi_pdf",
    ),
    path(
        "rencana-aksi/<int:tahun>/xlsx/",
        rencana.rencana_aksi_download,
        {"fmt": "xlsx"},
        name="rencana_aksi_xlsx",
    ),
    path("rencana-aksi/impor/", rencana_import.rencana_impor, name="rencana_impor"),
    path("rencana-aksi/impor/templat.xlsx", rencana_import.rencana_templat, name="rencana_templat"),
    path(
        "rencana-aksi/<int:tahun>/terbitkan/",
        rencana_import.rencana_terbitkan,
        name="rencana_terbitkan",
    ),
    path("rencana-aksi/<int:tahun>/salin/", rencana_import.rencana_salin, name="rencana_salin"),
    path(
        "rencana-aksi/<int:tahun>/riwayat/", rencana_import.rencana_riwayat, name="rencana_riwayat"
    ),
    path(
        "rencana-aksi/<int:tahun>/tandatangani/",
        rencana.rencana_tandatangani,
        name="rencana_tandatangani",
    ),
    path(TW, realisasi.realisasi_form, name="realisasi_form"),
    path(TW + "laporan/", laporan.laporan_capaian, name="laporan_capaian"),
    path(
        TW + "laporan/pdf/",
        laporan.laporan_capaian_download,
        {"fmt": "pdf"},
        name="laporan_capaian_pdf",
    ),
    path(
        TW + "laporan/xlsx/",
        laporan.laporan_capaian_download,
        {"fmt": "xlsx"},
        name="laporan_capaian_xlsx",
    ),
    path(TW + "evaluasi-renja/", laporan.evaluasi_renja, name="evaluasi_renja"),
    path(
        TW + "evaluasi-renja/pdf/",
        laporan.evaluasi_renja_download,
        {"fmt": "pdf"},
        name="evaluasi_renja_pdf",
    ),
    path(
        TW + "evaluasi-renja/xlsx/",
        laporan.evaluasi_renja_download,
        {"fmt": "xlsx"},
        name="evaluasi_renja_xlsx",
    ),
    path(TW + "formulir.xlsx", formulir.formulir_unduh, name="formulir_unduh"),
    path(TW + "formulir/", formulir.formulir_unggah, name="formulir_unggah"),
    path(TW + "status/ajukan/", review.triwulan_ajukan, name="triwulan_ajukan"),
    path(TW + "status/setujui/", review.triwulan_setujui, name="triwulan_setujui"),
    path(TW + "status/kembalikan/", review.triwulan_kembalikan, name="triwulan_kembalikan"),
    path("verifikasi/<str:kode>/", verifikasi.verifikasi, name="verifikasi"),
    path("bukti/<int:pk>/", bukti.bukti_download, name="bukti_download"),
    path("bukti/<int:pk>/hapus/", bukti.bukti_hapus, name="bukti_hapus"),
]
