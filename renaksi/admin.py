"""Admin screens through which an admin corrects a plan and manages accounts."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from renaksi import models

TARGET_FIELDS = ("target_tw1", "target_tw2", "target_tw3", "target_tw4")


class BidangInline(admin.TabularInline):
    model = models.Bidang
    fields = ("urutan", "nama")
    extra = 0


@admin.register(models.Instansi)
class InstansiAdmin(admin.ModelAdmin):
    list_display = ("nama", "kode", "kota")
    search_fields = ("nama", "kode")
    inlines = [BidangInline]


@admin.register(models.Bidang)
class BidangAdmin(admin.ModelAdmin):
    list_display = ("nama", "instansi", "urutan")
    list_filter = ("instansi",)
    search_fields = ("nama",)


class SasaranInline(admin.StackedInline):
    model = models.Sasaran
    fields = ("urutan", "uraian")
    extra = 0
    show_change_link = True


class ProgramInline(admin.TabularInline):
    model = models.Program
    fields = ("urutan", "nama")
    extra = 0
    show_change_link = True


@admin.register(models.RencanaAksi)
class RencanaAksiAdmin(admin.ModelAdmin):
    list_display = ("instansi", "tahun", "nama_penandatangan", "diperbarui")
    list_filter = ("instansi", "tahun")
    list_select_related = ("instansi",)
    fieldsets = (
        (None, {"fields": ("instansi", "tahun")}),
        (
            "Penandatangan",
            {
                "fields": (
                    ("tempat_ttd", "bulan_ttd", "tahun_ttd"),
                    "jabatan_penandatangan",
                    "nama_penandatangan",
                    "pangkat_penandatangan",
                    "nip_penandatangan",
                )
            },
        ),
    )
    inlines = [SasaranInline, ProgramInline]


INDIKATOR_FIELDS = (
    "indikator",
    ("satuan", "target_persen", "arah", "metode_capaian"),
    TARGET_FIELDS,
)


class IndikatorSasaranInline(admin.StackedInline):
    model = models.IndikatorSasaran
    fields = ("urutan", *INDIKATOR_FIELDS)
    extra = 0


@admin.register(models.Sasaran)
class SasaranAdmin(admin.ModelAdmin):
    list_display = ("uraian", "rencana", "urutan")
    list_filter = ("rencana__instansi", "rencana__tahun")
    list_select_related = ("rencana__instansi",)
    search_fields = ("uraian",)
    fields = ("rencana", "urutan", "uraian")
    inlines = [IndikatorSasaranInline]


@admin.register(models.IndikatorSasaran)
class IndikatorSasaranAdmin(admin.ModelAdmin):
    list_display = ("indikator", "sasaran", "arah", *TARGET_FIELDS)
    list_select_related = ("sasaran",)
    list_filter = ("sasaran__rencana__tahun", "arah")
    search_fields = ("indikator",)
    fields = ("sasaran", "urutan", *INDIKATOR_FIELDS)


class KegiatanInline(admin.TabularInline):
    model = models.Kegiatan
    fields = ("nomor", "nama", "indikator_sasaran")
    extra = 0
    show_change_link = True


@admin.register(models.Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("nama", "rencana", "urutan")
    list_filter = ("rencana__instansi", "rencana__tahun")
    list_select_related = ("rencana__instansi",)
    search_fields = ("nama",)
    fields = ("rencana", "urutan", "nama")
    inlines = [KegiatanInline]


class SubKegiatanInline(admin.StackedInline):
    model = models.SubKegiatan
    fields = ("urutan", "uraian", "bidang", *INDIKATOR_FIELDS, "ket")
    extra = 0


@admin.register(models.Kegiatan)
class KegiatanAdmin(admin.ModelAdmin):
    list_display = ("nomor", "nama", "program")
    list_filter = ("program__rencana__tahun",)
    list_select_related = ("program",)
    search_fields = ("nama",)
    fields = ("program", "nomor", "nama", "indikator_sasaran")
    inlines = [SubKegiatanInline]


@admin.register(models.SubKegiatan)
class SubKegiatanAdmin(admin.ModelAdmin):
    list_display = ("uraian", "kegiatan", "bidang", *TARGET_FIELDS)
    list_filter = ("kegiatan__program__rencana__tahun", "bidang")
    list_select_related = ("kegiatan", "bidang")
    search_fields = ("uraian", "indikator")
    fields = ("kegiatan", "urutan", "uraian", "bidang", *INDIKATOR_FIELDS, "ket")


class ProfileInline(admin.StackedInline):
    model = models.Profile
    fields = ("instansi", "peran", "bidang", "nip")
    can_delete = False


admin.site.unregister(User)


@admin.register(User)
class RenaksiUserAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ("username", "first_name", "last_name", "is_active", "peran")
    list_select_related = ("profile",)

    @admin.display(description="Peran")
    def peran(self, user):
        profile = getattr(user, "profile", None)
        return profile.get_peran_display() if profile else "-"
