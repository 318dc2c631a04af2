"""Read-only screens of what the services write: realisations, evidence, review status.

They change only through the entry page, the spreadsheet form and the review pages, whose
services check versions, roles and the review lock.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from renaksi import models
from renaksi.admin.scoping import OwnValuesFieldListFilter, ScopedModelAdmin, ScopedTabularInline


class ReadOnlyMixin:
    """Shown, never added, changed or deleted here: the services write these rows."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class JoinedRowsMixin:
    """Read-only history inlines show a user and a title per row: join them instead of a
    query per row."""

    joined: tuple[str, ...] = ()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.joined)


class RiwayatStatusTriwulanInline(JoinedRowsMixin, ReadOnlyMixin, ScopedTabularInline):
    joined = ("oleh", "status_triwulan__rencana__instansi")
    model = models.RiwayatStatusTriwulan
    fields = ("pada", "status_sebelumnya", "status", "catatan", "oleh")
    readonly_fields = fields
    extra = 0


@admin.register(models.StatusTriwulan)
class StatusTriwulanAdmin(ReadOnlyMixin, ScopedModelAdmin):
    list_display = ("rencana", "triwulan", "status", "diubah_oleh", "diubah_pada")
    list_filter = (("rencana__tahun", OwnValuesFieldListFilter), "triwulan", "status")
    list_select_related = ("rencana__instansi", "diubah_oleh")
    fields = ("rencana", "triwulan", "status", "catatan", "diubah_oleh", "diubah_pada")
    readonly_fields = fields
    inlines = [RiwayatStatusTriwulanInline]


@admin.register(models.RiwayatStatusTriwulan)
class RiwayatStatusTriwulanAdmin(ReadOnlyMixin, ScopedModelAdmin):
    list_display = ("status_triwulan", "status_sebelumnya", "status", "oleh", "pada")
    list_filter = (("status_triwulan__rencana__tahun", OwnValuesFieldListFilter), "status")
    list_select_related = ("status_triwulan__rencana__instansi", "oleh")
    fields = ("status_triwulan", "status_sebelumnya", "status", "catatan", "oleh", "pada")
    readonly_fields = fields


class RealisasiRiwayatInline(JoinedRowsMixin, ReadOnlyMixin, admin.TabularInline):
    joined = ("diubah_oleh", "realisasi__sub_kegiatan", "realisasi__indikator_sasaran")
    model = models.RealisasiRiwayat
    fields = (
        "versi",
        "nilai",
        "keuangan",
        "ket",
        "faktor_pendorong",
        "kendala",
        "tindak_lanjut",
        "sumber",
        "diubah_oleh",
        "diubah_pada",
    )
    readonly_fields = fields
    extra = 0


class BuktiInline(JoinedRowsMixin, ReadOnlyMixin, admin.TabularInline):
    joined = ("diunggah_oleh",)
    model = models.Bukti
    fields = ("berkas_unduh", "jenis", "ukuran", "diunggah_oleh", "diunggah_pada")
    readonly_fields = fields
    extra = 0

    @admin.display(description=_("berkas"))
    def berkas_unduh(self, bukti):
        # Through the access-checked download, never a MEDIA_URL link (evidence is not public).
        return format_html(
            '<a href="{}">{}</a>', reverse("bukti_download", args=[bukti.pk]), bukti.nama_asli
        )


@admin.register(models.Realisasi)
class RealisasiAdmin(ReadOnlyMixin, ScopedModelAdmin):
    """Realisations to look at and audit; they change only through the entry page or the
    spreadsheet form, whose services check versions, roles and the quarter's review lock."""

    list_display = ("__str__", "triwulan", "nilai", "versi", "diubah_oleh", "diubah_pada")
    list_filter = ("triwulan",)
    list_select_related = ("sub_kegiatan", "indikator_sasaran", "diubah_oleh")
    search_fields = ("sub_kegiatan__uraian", "indikator_sasaran__indikator", "ket")
    fields = (
        "sub_kegiatan",
        "indikator_sasaran",
        "triwulan",
        "nilai",
        "keuangan",
        "ket",
        "faktor_pendorong",
        "kendala",
        "tindak_lanjut",
        "versi",
        "diubah_oleh",
        "diubah_pada",
    )
    readonly_fields = fields
    inlines = [RealisasiRiwayatInline, BuktiInline]


@admin.register(models.DokumenTertanda)
class DokumenTertandaAdmin(ReadOnlyMixin, ScopedModelAdmin):
    """Every signed document, in force or superseded, for audits. The file itself is served
    by the plan and report pages (the one in force) and compared by the verification page."""

    list_display = (
        "jenis",
        "rencana",
        "triwulan",
        "kode_verifikasi",
        "nama",
        "ditandatangani_pada",
        "berlaku",
    )
    list_filter = (("rencana__tahun", OwnValuesFieldListFilter), "jenis", "triwulan")
    list_select_related = ("rencana__instansi", "ditandatangani_oleh")
    search_fields = ("kode", "nama", "sha256")
    fields = (
        "rencana",
        "jenis",
        "triwulan",
        "kode_verifikasi",
        "sha256",
        "ukuran",
        "tempat_tanggal",
        "sebagai",
        "jabatan",
        "nama",
        "pangkat",
        "nip",
        "ditandatangani_oleh",
        "ditandatangani_pada",
        "diganti_pada",
    )
    readonly_fields = fields

    @admin.display(description=_("kode verifikasi"), ordering="kode")
    def kode_verifikasi(self, dokumen):
        return format_html(
            '<a href="{}">{}</a>', reverse("verifikasi", args=[dokumen.kode]), dokumen.kode
        )

    @admin.display(description=_("berlaku"), boolean=True, ordering="diganti_pada")
    def berlaku(self, dokumen):
        return dokumen.diganti_pada is None
