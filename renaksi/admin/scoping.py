"""One agency per admin: every screen an agency admin opens is narrowed to its own agency.

Two kinds of people use ``/admin/``:

- the platform operator, a Django superuser made with ``manage.py createsuperuser``: sees and
  changes everything, of every agency;
- an agency admin (``Profile.peran`` admin, ``is_staff``, member of the "Admin instansi" group,
  never a superuser): sees and changes only the objects of its own agency. Every changelist,
  change page, dropdown and save goes through :class:`InstansiScopedMixin`; another agency's
  object answers 404, exactly like one that does not exist. Who counts as the operator, and
  whether a plan is under the kepala's review, is ``renaksi.permissions``'s to say.
"""

from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from renaksi import models, permissions

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
    models.DokumenTertanda: "rencana__instansi",
    # A realisation hangs on a sub kegiatan or on an indikator sasaran: either path.
    models.Realisasi: (
        "sub_kegiatan__kegiatan__program__rencana__instansi",
        "indikator_sasaran__sasaran__rencana__instansi",
    ),
}

# Joins that keep the options of a dropdown from querying once per option (``__str__``).
CHOICE_SELECT_RELATED = {models.RencanaAksi: ("instansi",)}


def is_platform_admin(request) -> bool:
    return permissions.is_platform_admin(request.user)


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
        cache[rencana_id] = permissions.rencana_under_review(rencana_id)
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
