"""Admin screens through which an agency admin corrects its plans and manages its accounts.

Two kinds of people use ``/admin/``:

- the platform operator, a Django superuser made with ``manage.py createsuperuser``: sees and
  changes everything, of every agency;
- an agency admin (``Profile.peran`` admin, ``is_staff``, member of the "Admin instansi" group,
  never a superuser): sees and changes only the objects of its own agency. Every changelist,
  change page, dropdown and save goes through :class:`InstansiScopedMixin`; another agency's
  object answers 404, exactly like one that does not exist.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from renaksi import models
from renaksi.nip import NipField

TARGET_FIELDS = ("target_tw1", "target_tw2", "target_tw3", "target_tw4")

# --------------------------------------------------------------------------------------------
# One agency per admin
# --------------------------------------------------------------------------------------------

# The ORM path from each model an agency admin may touch to its Instansi.
INSTANSI_PATH = {
    models.Instansi: "pk",
    models.Bidang: "instansi",
    models.RencanaAksi: "instansi",
    models.Sasaran: "rencana__instansi",
    models.IndikatorSasaran: "sasaran__rencana__instansi",
    models.Program: "rencana__instansi",
    models.Kegiatan: "program__rencana__instansi",
    models.SubKegiatan: "kegiatan__program__rencana__instansi",
    models.Profile: "instansi",
    User: "profile__instansi",
    models.StatusTriwulan: "rencana__instansi",
    models.RiwayatStatusTriwulan: "status_triwulan__rencana__instansi",
    # A realisation hangs on a sub kegiatan or on an indikator sasaran: either path.
    models.Realisasi: (
        "sub_kegiatan__kegiatan__program__rencana__instansi",
        "indikator_sasaran__sasaran__rencana__instansi",
    ),
}

# Joins that keep the options of a dropdown from querying once per option (``__str__``).
CHOICE_SELECT_RELATED = {models.RencanaAksi: ("instansi",)}

ADMIN_INSTANSI_GROUP = "Admin instansi"

# What the "Admin instansi" group may do; the admin screens narrow it to the member's agency.
ADMIN_INSTANSI_PERMISSIONS = {
    models.Instansi: ("view", "change"),
    models.Bidang: ("view", "add", "change", "delete"),
    models.RencanaAksi: ("view", "add", "change", "delete"),
    models.Sasaran: ("view", "add", "change", "delete"),
    models.IndikatorSasaran: ("view", "add", "change", "delete"),
    models.Program: ("view", "add", "change", "delete"),
    models.Kegiatan: ("view", "add", "change", "delete"),
    models.SubKegiatan: ("view", "add", "change", "delete"),
    models.Profile: ("view", "add", "change", "delete"),
    # No delete: an account that submitted or approved a quarter stays on record; an agency
    # admin deactivates accounts instead (is_active).
    User: ("view", "add", "change"),
    # Read only: a quarter's status changes through the kepala's review pages, which check the
    # role and write the history (an admin must not approve its own quarter here).
    models.StatusTriwulan: ("view",),
    models.RiwayatStatusTriwulan: ("view",),
    models.Realisasi: ("view",),
    models.RealisasiRiwayat: ("view",),
    models.Bukti: ("view",),
}


@transaction.atomic
def ensure_admin_instansi_group() -> Group:
    """The "Admin instansi" group with its model permissions; adds what is missing, removes
    nothing (permissions an operator added by hand stay)."""
    group, _created = Group.objects.get_or_create(name=ADMIN_INSTANSI_GROUP)
    wanted = {
        (model._meta.app_label, f"{action}_{model._meta.model_name}")
        for model, actions in ADMIN_INSTANSI_PERMISSIONS.items()
        for action in actions
    }
    permissions = [
        p
        for p in Permission.objects.filter(
            content_type__app_label__in={app for app, _codename in wanted},
            codename__in={codename for _app, codename in wanted},
        ).select_related("content_type")
        if (p.content_type.app_label, p.codename) in wanted
    ]
    if len(permissions) != len(wanted):
        missing = wanted - {(p.content_type.app_label, p.codename) for p in permissions}
        raise RuntimeError(f"Izin belum dibuat (jalankan migrate dahulu): {sorted(missing)}")
    group.permissions.add(*permissions)
    return group


def is_platform_admin(request) -> bool:
    return request.user.is_active and request.user.is_superuser


def instansi_id_for(request) -> int | None:
    """The agency of a non-superuser admin; None when the account belongs to no agency."""
    profile = getattr(request.user, "profile", None)
    return profile.instansi_id if profile is not None else None


def scope_to_instansi(queryset, instansi_id):
    """``queryset`` narrowed to one agency (nothing at all for an account without one)."""
    paths = INSTANSI_PATH[queryset.model]
    if instansi_id is None:
        return queryset.none()
    if isinstance(paths, tuple):
        either = Q()
        for path in paths:
            either |= Q(**{path: instansi_id})
        return queryset.filter(either)
    return queryset.filter(**{paths: instansi_id})


def instansi_id_of(obj) -> int | None:
    """The agency an object (saved or not) belongs to, following INSTANSI_PATH."""
    paths = INSTANSI_PATH[type(obj)]
    if isinstance(paths, tuple):
        found = (_instansi_id_along(obj, path) for path in paths)
        return next((value for value in found if value is not None), None)
    return _instansi_id_along(obj, paths)


def _instansi_id_along(obj, path: str) -> int | None:
    if path == "pk":
        return obj.pk
    *parents, last = path.split("__")
    for name in parents:
        try:
            obj = getattr(obj, name)
        except ObjectDoesNotExist:
            return None
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


# How to reach the plan (its id) from each object of a plan, for the review lock below.
RENCANA_OF = {
    models.RencanaAksi: lambda obj: obj.pk,
    models.Sasaran: lambda obj: obj.rencana_id,
    models.Program: lambda obj: obj.rencana_id,
    models.IndikatorSasaran: lambda obj: obj.sasaran.rencana_id,
    models.Kegiatan: lambda obj: obj.program.rencana_id,
    models.SubKegiatan: lambda obj: obj.kegiatan.program.rencana_id,
}


def plan_locked(request, obj) -> bool:
    """Whether ``obj`` belongs to a plan with a quarter submitted to or approved by the kepala.

    Such a plan is read-only for agency admins: a changed target would silently change an
    approved report. The kepala returns the quarter first. Cached per request.
    """
    if obj is None or obj.pk is None or type(obj) not in RENCANA_OF:
        return False
    if is_platform_admin(request):
        return False  # before following foreign keys to the plan: that costs queries
    return rencana_locked(request, RENCANA_OF[type(obj)](obj))


def rencana_locked(request, rencana_id: int | None) -> bool:
    """Whether the plan ``rencana_id`` is read-only to this admin (see ``plan_locked``)."""
    if rencana_id is None or is_platform_admin(request):
        return False
    cache = request.__dict__.setdefault("_renaksi_rencana_terkunci", {})
    if rencana_id not in cache:
        cache[rencana_id] = models.StatusTriwulan.objects.filter(
            rencana_id=rencana_id, status__in=models.STATUS_TERKUNCI
        ).exists()
    return cache[rencana_id]


class InstansiScopedMixin:
    """For every ModelAdmin and inline: a non-superuser works inside its own agency only.

    - changelists, change/delete/history pages and the password page list and open only objects
      of the agency (another agency's object is a 404);
    - every dropdown of a model with a path to Instansi offers only the agency's objects, so a
      form cannot point at (or move an object into) another agency;
    - saving checks the agency again, in case a form field slipped through.

    Inlines also compute each dropdown's options once per request instead of once per row.
    """

    cache_choices = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_platform_admin(request) or queryset.model not in INSTANSI_PATH:
            return queryset
        return scope_to_instansi(queryset, instansi_id_for(request))

    def get_field_queryset(self, db, db_field, request):
        related = db_field.remote_field.model
        if related not in INSTANSI_PATH:
            return super().get_field_queryset(db, db_field, request)
        queryset = super().get_field_queryset(db, db_field, request)
        if queryset is None:
            queryset = related._default_manager.using(db).all()
        if related in CHOICE_SELECT_RELATED:
            queryset = queryset.select_related(*CHOICE_SELECT_RELATED[related])
        if is_platform_admin(request):
            return queryset
        return scope_to_instansi(queryset, instansi_id_for(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if (
            db_field.remote_field.model is models.Instansi
            and not is_platform_admin(request)
            and instansi_id_for(request) is not None
        ):
            kwargs.setdefault("initial", instansi_id_for(request))
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if self.cache_choices and field is not None and hasattr(field, "queryset"):
            # Evaluated here, once per request: every row of the inline shares the list, where
            # each row's own copy of the queryset would otherwise run its own query.
            # Validation still goes through the (scoped) queryset.
            field.choices = [
                (getattr(value, "value", value), label) for value, label in field.choices
            ]
        return field

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not plan_locked(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not plan_locked(request, obj)

    def has_add_permission(self, request, *args):
        # ModelAdmin passes (request); an inline passes (request, parent object).
        parent = args[0] if args else None
        return super().has_add_permission(request, *args) and not plan_locked(request, parent)

    def check_instansi(self, request, obj):
        """Refuse a save that would leave an object outside the admin's agency, or put it
        into a plan under review.

        The permission checks only see where an object is now; a new row, or a row moved to
        another kegiatan, lands in the plan its form names, which is checked here.
        """
        if is_platform_admin(request) or type(obj) not in INSTANSI_PATH:
            return
        own = instansi_id_for(request)
        if own is None or instansi_id_of(obj) != own:
            raise PermissionDenied(_("Objek ini bukan milik instansi Anda."))
        if type(obj) in RENCANA_OF and rencana_locked(request, RENCANA_OF[type(obj)](obj)):
            raise PermissionDenied(
                _(
                    "Rencana aksi ini hanya dapat dilihat: ada triwulan yang sedang diperiksa "
                    "atau sudah disetujui kepala. Minta kepala mengembalikannya dahulu."
                )
            )


class ScopedModelAdmin(InstansiScopedMixin, admin.ModelAdmin):
    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if plan_locked(request, obj):
            messages.warning(
                request,
                _(
                    "Rencana aksi ini hanya dapat dilihat: ada triwulan yang sedang diperiksa "
                    "atau sudah disetujui kepala. Minta kepala mengembalikannya dahulu."
                ),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and not is_platform_admin(request):
            # Django would redirect with "does not exist"; an agency admin gets a plain 404.
            raise Http404(_("Tidak ditemukan."))
        return obj

    def save_model(self, request, obj, form, change):
        self.check_instansi(request, obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            self.check_instansi(request, inline_form.instance)
        super().save_formset(request, form, formset, change)


class OwnValuesFieldListFilter(admin.AllValuesFieldListFilter):
    """Like Django's, but offers only values found in the admin's own (scoped) objects.

    Django's takes the values of a related model from all of its rows: the years of every
    agency's plans.
    """

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.lookup_choices = (
            model_admin.get_queryset(request)
            .distinct()
            .order_by(field_path)
            .values_list(field_path, flat=True)
        )


class ScopedTabularInline(InstansiScopedMixin, admin.TabularInline):
    cache_choices = True


class ScopedStackedInline(InstansiScopedMixin, admin.StackedInline):
    cache_choices = True


# --------------------------------------------------------------------------------------------
# Agency and plan
# --------------------------------------------------------------------------------------------


class BidangInline(ScopedTabularInline):
    model = models.Bidang
    fields = ("urutan", "nama")
    extra = 0


@admin.register(models.Instansi)
class InstansiAdmin(ScopedModelAdmin):
    list_display = ("nama", "kode", "kota")
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
    list_display = ("instansi", "tahun", "nama_penandatangan", "diperbarui")
    list_filter = (("instansi", admin.RelatedOnlyFieldListFilter), "tahun")
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


class IndikatorSasaranInline(ScopedStackedInline):
    model = models.IndikatorSasaran
    fields = ("urutan", *INDIKATOR_FIELDS)
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
    fields = ("sasaran", "urutan", *INDIKATOR_FIELDS)


class KegiatanInline(ScopedTabularInline):
    model = models.Kegiatan
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


class SubKegiatanInline(ScopedStackedInline):
    model = models.SubKegiatan
    fields = ("urutan", "uraian", "bidang", *INDIKATOR_FIELDS, "ket")
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
    fields = ("kegiatan", "urutan", "uraian", "bidang", *INDIKATOR_FIELDS, "ket")


# --------------------------------------------------------------------------------------------
# The kepala's review of a quarter: read only, for everyone
# --------------------------------------------------------------------------------------------


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
        "ket",
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
        "ket",
        "kendala",
        "tindak_lanjut",
        "versi",
        "diubah_oleh",
        "diubah_pada",
    )
    readonly_fields = fields
    inlines = [RealisasiRiwayatInline, BuktiInline]


# --------------------------------------------------------------------------------------------
# Accounts
# --------------------------------------------------------------------------------------------


class ProfileForm(forms.ModelForm):
    nip = NipField(label=_("NIP"), required=False)

    class Meta:
        model = models.Profile
        fields = ("instansi", "peran", "bidang", "nip")


class ProfileInline(ScopedStackedInline):
    model = models.Profile
    form = ProfileForm
    fields = ("instansi", "peran", "bidang", "nip")
    can_delete = False

    def get_min_num(self, request, obj=None, **kwargs):
        # An account an agency admin makes must belong to its agency, or the admin could not
        # even open it again.
        return None if is_platform_admin(request) else 1

    def get_formset(self, request, obj=None, **kwargs):
        if not is_platform_admin(request):
            kwargs.setdefault("validate_min", True)
        return super().get_formset(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # An agency admin's own role and agency are not its to change: otherwise it could make
        # itself kepala and approve the quarters it submitted.
        if not is_platform_admin(request) and obj is not None and obj.pk == request.user.pk:
            return ("instansi", "peran")
        return super().get_readonly_fields(request, obj)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        field = super().formfield_for_choice_field(db_field, request, **kwargs)
        if db_field.name == "peran" and not is_platform_admin(request):
            # The kepala signs and approves: only the platform operator appoints one.
            field.choices = [
                (value, label) for value, label in field.choices if value != models.Peran.KEPALA
            ]
        return field


admin.site.unregister(User)

AGENCY_ADMIN_USER_FIELDSETS = (
    (None, {"fields": ("username", "password")}),
    # Django's own titles, so they come translated from its catalog.
    (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
    (_("Permissions"), {"fields": ("is_active",)}),
    (_("Important dates"), {"fields": ("last_login", "date_joined")}),
)


@admin.register(User)
class RenaksiUserAdmin(ScopedModelAdmin, UserAdmin):
    inlines = [ProfileInline]
    list_display = ("username", "first_name", "last_name", "is_active", "peran")
    list_select_related = ("profile",)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_platform_admin(request):
            return queryset
        # Superusers are the platform operator's, even when they carry an agency profile; so are
        # kepala accounts: an agency admin who could reset the kepala's password could approve
        # its own submissions.
        return queryset.filter(is_superuser=False).exclude(profile__peran=models.Peran.KEPALA)

    def get_fieldsets(self, request, obj=None):
        if obj is None or is_platform_admin(request):
            return super().get_fieldsets(request, obj)
        # No is_staff, is_superuser, groups or permissions: an agency admin cannot hand out
        # access to /admin/ or beyond its agency, its own account included.
        return AGENCY_ADMIN_USER_FIELDSETS

    def get_readonly_fields(self, request, obj=None):
        if is_platform_admin(request):
            return super().get_readonly_fields(request, obj)
        return ("last_login", "date_joined")

    def get_list_filter(self, request):
        if is_platform_admin(request):
            return super().get_list_filter(request)
        return ("is_active",)

    def save_model(self, request, obj, form, change):
        # A new user has no profile yet: its agency is checked on the profile (save_formset).
        if change:
            self.check_instansi(request, obj)
        admin.ModelAdmin.save_model(self, request, obj, form, change)

    @admin.display(description="Peran")
    def peran(self, user):
        profile = getattr(user, "profile", None)
        return profile.get_peran_display() if profile else "-"
