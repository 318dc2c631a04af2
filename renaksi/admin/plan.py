"""Admin screens of an agency and its plans: an agency admin corrects its own plans here."""

from django import forms
from django.contrib import admin
from django.db.models import PositiveBigIntegerField
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from renaksi import models
from renaksi.admin.scoping import (
    OwnValuesFieldListFilter,
    ScopedModelAdmin,
    ScopedStackedInline,
    ScopedTabularInline,
    is_platform_admin,
)
from renaksi.forms import RupiahField
from renaksi.nip import NipField

TARGET_FIELDS = ("target_tw1", "target_tw2", "target_tw3", "target_tw4")


class BidangInline(ScopedTabularInline):
    model = models.Bidang
    fields = ("urutan", "nama")
    extra = 0


class InstansiForm(forms.ModelForm):
    class Meta:
        model = models.Instansi
        fields = ("nama", "kode", "kota", "efisiensi_batas_atas", "efisiensi_batas_bawah")

    def clean(self):
        cleaned = super().clean()
        atas = cleaned.get("efisiensi_batas_atas")
        bawah = cleaned.get("efisiensi_batas_bawah")
        # Said on the field, before the database's CheckConstraint would refuse the save.
        if atas is not None and bawah is not None and bawah > atas:
            self.add_error(
                "efisiensi_batas_bawah",
                _("Batas bawah efisiensi tidak boleh lebih besar dari batas atasnya."),
            )
        return cleaned


@admin.register(models.Instansi)
class InstansiAdmin(ScopedModelAdmin):
    form = InstansiForm
    list_display = ("nama", "kode", "kota")
    fieldsets = (
        (None, {"fields": ("nama", "kode", "kota")}),
        (
            _("Efisiensi (capaian kinerja − serapan anggaran, poin persen)"),
            {"fields": (("efisiensi_batas_atas", "efisiensi_batas_bawah"),)},
        ),
    )
    search_fields = ("nama", "kode")
    inlines = [BidangInline]

    def get_readonly_fields(self, request, obj=None):
        # The kode names the agency in fixtures and commands (``--instansi``).
        if is_platform_admin(request):
            return super().get_readonly_fields(request, obj)
        return ("kode",)


@admin.register(models.Bidang)
class BidangAdmin(ScopedModelAdmin):
    list_display = ("nama", "instansi", "urutan")
    list_filter = (("instansi", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("instansi",)
    search_fields = ("nama",)


class SasaranInline(ScopedStackedInline):
    model = models.Sasaran
    fields = ("urutan", "uraian")
    extra = 0
    show_change_link = True


class ProgramInline(ScopedTabularInline):
    model = models.Program
    fields = ("urutan", "nama")
    extra = 0
    show_change_link = True


class RencanaAksiForm(forms.ModelForm):
    # A NIP is usually copied as printed ("19681210 198902 1 002"): accept it with its spaces.
    nip_penandatangan = NipField(label=_("NIP penandatangan"))

    class Meta:
        model = models.RencanaAksi
        fields = (
            "instansi",
            "tahun",
            "tempat_ttd",
            "bulan_ttd",
            "tahun_ttd",
            "jabatan_penandatangan",
            "nama_penandatangan",
            "pangkat_penandatangan",
            "nip_penandatangan",
        )


@admin.register(models.RencanaAksi)
class RencanaAksiAdmin(ScopedModelAdmin):
    form = RencanaAksiForm
    # A plan made here starts as a draft (the model default); the admin publishes it on its page.
    list_display = ("instansi", "tahun", "diterbitkan", "nama_penandatangan", "diperbarui")
    list_filter = (("instansi", admin.RelatedOnlyFieldListFilter), "tahun")
    list_select_related = ("instansi",)
    fieldsets = (
        (None, {"fields": ("instansi", "tahun")}),
        (
            _("Penandatangan"),
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
    ("satuan", "target_persen", "bilangan_bulat", "arah", "metode_capaian"),
    TARGET_FIELDS,
)


# For the Permendagri 86/2017 evaluation of the Renja: the Renstra's end-of-period figures and
# what was realised up to last year, beside this year's targets.
RENSTRA_K_FIELDS = (("target_renstra", "realisasi_lalu"),)
RENSTRA_FIELDSET = (_("Renstra (evaluasi Renja)"), {"fields": RENSTRA_K_FIELDS})
# Whole rupiah, typed as on the entry page ("Rp 1.250.000", "1.250.000", "1250000").
RUPIAH_OVERRIDES = {PositiveBigIntegerField: {"form_class": RupiahField}}


class IndikatorSasaranInline(ScopedStackedInline):
    model = models.IndikatorSasaran
    fieldsets = ((None, {"fields": ("urutan", *INDIKATOR_FIELDS)}), RENSTRA_FIELDSET)
    extra = 0


@admin.register(models.Sasaran)
class SasaranAdmin(ScopedModelAdmin):
    list_display = ("uraian", "rencana", "urutan")
    list_filter = (
        ("rencana__instansi", admin.RelatedOnlyFieldListFilter),
        ("rencana__tahun", OwnValuesFieldListFilter),
    )
    list_select_related = ("rencana__instansi",)
    search_fields = ("uraian",)
    fields = ("rencana", "urutan", "uraian")
    inlines = [IndikatorSasaranInline]


@admin.register(models.IndikatorSasaran)
class IndikatorSasaranAdmin(ScopedModelAdmin):
    list_display = ("indikator", "sasaran", "arah", *TARGET_FIELDS)
    list_select_related = ("sasaran",)
    list_filter = (("sasaran__rencana__tahun", OwnValuesFieldListFilter), "arah")
    search_fields = ("indikator",)
    fieldsets = ((None, {"fields": ("sasaran", "urutan", *INDIKATOR_FIELDS)}), RENSTRA_FIELDSET)


class KegiatanFormSet(BaseInlineFormSet):
    """Kegiatan under a program: each takes the program's plan, each NO once per plan.

    Checked here, before saving, because a program added together with its kegiatan has no id
    yet when each row's own ``clean()`` runs.
    """

    def clean(self):
        super().clean()
        rencana_id = self.instance.rencana_id
        if rencana_id is None:
            return
        shown = [form.instance.pk for form in self.forms if form.instance.pk]
        taken = set(
            models.Kegiatan.objects.filter(rencana_id=rencana_id)
            .exclude(pk__in=shown)
            .values_list("nomor", flat=True)
        )
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            nomor = form.cleaned_data.get("nomor")
            if nomor is None:
                continue
            if nomor in taken:
                form.add_error("nomor", _("Nomor ini sudah dipakai di rencana aksi ini."))
            taken.add(nomor)

    def save_new(self, form, commit=True):
        form.instance.rencana_id = self.instance.rencana_id
        return super().save_new(form, commit)


class KegiatanInline(ScopedTabularInline):
    model = models.Kegiatan
    formset = KegiatanFormSet
    fields = ("nomor", "nama", "indikator_sasaran")
    extra = 0
    show_change_link = True


@admin.register(models.Program)
class ProgramAdmin(ScopedModelAdmin):
    list_display = ("nama", "rencana", "urutan")
    list_filter = (
        ("rencana__instansi", admin.RelatedOnlyFieldListFilter),
        ("rencana__tahun", OwnValuesFieldListFilter),
    )
    list_select_related = ("rencana__instansi",)
    search_fields = ("nama",)
    fields = ("rencana", "urutan", "nama")
    inlines = [KegiatanInline]

    def get_readonly_fields(self, request, obj=None):
        # Its kegiatan keep the plan they were numbered in (``Kegiatan.rencana``).
        return ("rencana",) if obj is not None else ()


ANGGARAN_FIELDSET = (
    _("Anggaran"),
    {
        "fields": (
            "pagu",
            ("kas_tw1", "kas_tw2", "kas_tw3", "kas_tw4"),
            ("pagu_renstra", "realisasi_lalu_rp"),
            *RENSTRA_K_FIELDS,
        ),
        "description": _(
            "Rupiah bulat tanpa sen, misalnya 1.250.000. Kosongkan bila tidak ada; "
            "K = kinerja, Rp = anggaran."
        ),
    },
)


class SubKegiatanInline(ScopedStackedInline):
    model = models.SubKegiatan
    fieldsets = (
        (None, {"fields": ("urutan", "uraian", "bidang", *INDIKATOR_FIELDS, "ket")}),
        ANGGARAN_FIELDSET,
    )
    formfield_overrides = RUPIAH_OVERRIDES
    extra = 0


@admin.register(models.Kegiatan)
class KegiatanAdmin(ScopedModelAdmin):
    list_display = ("nomor", "nama", "program")
    list_filter = (("program__rencana__tahun", OwnValuesFieldListFilter),)
    list_select_related = ("program",)
    search_fields = ("nama",)
    fields = ("program", "nomor", "nama", "indikator_sasaran")
    inlines = [SubKegiatanInline]


@admin.register(models.SubKegiatan)
class SubKegiatanAdmin(ScopedModelAdmin):
    list_display = ("uraian", "kegiatan", "bidang", *TARGET_FIELDS)
    list_filter = (
        ("kegiatan__program__rencana__tahun", OwnValuesFieldListFilter),
        ("bidang", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("kegiatan", "bidang")
    search_fields = ("uraian", "indikator")
    fieldsets = (
        (None, {"fields": ("kegiatan", "urutan", "uraian", "bidang", *INDIKATOR_FIELDS, "ket")}),
        ANGGARAN_FIELDSET,
    )
    formfield_overrides = RUPIAH_OVERRIDES
