from django.urls import path

from renaksi import views, views_formulir, views_realisasi, views_status

urlpatterns = [
    path("", views.home, name="home"),
    path("rencana-aksi/<int:tahun>/", views.rencana_aksi, name="rencana_aksi"),
    path(
        "rencana-aksi/<int:tahun>/pdf/",
        views.rencana_aksi_download,
        {"fmt": "pdf"},
        name="rencana_aksi_pdf",
    ),
    path(
        "rencana-aksi/<int:tahun>/xlsx/",
        views.rencana_aksi_download,
        {"fmt": "xlsx"},
        name="rencana_aksi_xlsx",
    ),
    path(
        "rencana-aksi/<int:tahun>/tw/<int:triwulan>/laporan/",
        views.laporan_capaian,
        name="laporan_capaian",
    ),
    path(
        "rencana-aksi/<int:tahun>/tw/<int:triwulan>/laporan/pdf/",
        views.laporan_capaian_download,
        {"fmt": "pdf"},
        name="laporan_capaian_pdf",
    ),
    path(
        "rencana-aksi/<int:tahun>/tw/<int:triwulan>/laporan/xlsx/",
        views.laporan_capaian_download,
        {"fmt": "xlsx"},
        name="laporan_capaian_xlsx",
    ),
    path(
        "rencana-aksi/<int:tahun>/tw/<int:triwulan>/formulir.xlsx",
        views_formulir.formulir_unduh,
        name="formulir_unduh",
    ),
    path(
        "rencana-aksi/<int:tahun>/tw/<int:triwulan>/formulir/",
        views_formulir.formulir_unggah,
        name="formulir_unggah",
    ),
    path(
        "rencana-aksi/<int:tahun>/tw/<int:n>/",
        views_realisasi.realisasi_form,
        name="realisasi_form",
    ),
    path(
        "rencana-aksi/<int:tahun>/tw/<int:triwulan>/status/ajukan/",
        views_status.triwulan_ajukan,
        name="triwulan_ajukan",
    ),
    path(
        "rencana-aksi/<int:tahun>/tw/<int:triwulan>/status/setujui/",
        views_status.triwulan_setujui,
        name="triwulan_setujui",
    ),
    path(
        "rencana-aksi/<int:tahun>/tw/<int:triwulan>/status/kembalikan/",
        views_status.triwulan_kembalikan,
        name="triwulan_kembalikan",
    ),
    path("bukti/<int:pk>/", views_realisasi.bukti_download, name="bukti_download"),
    path("bukti/<int:pk>/hapus/", views_realisasi.bukti_hapus, name="bukti_hapus"),
]
