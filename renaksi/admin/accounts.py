"""Accounts: an agency admin makes and manages its own agency's staff, never a kepala."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from renaksi import models
from renaksi.admin.scoping import ScopedModelAdmin, ScopedStackedInline, is_platform_admin
from renaksi.nip import NipField


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

    @admin.display(description=_("Peran"))
    def peran(self, user):
        profile = getattr(user, "profile", None)
        return profile.get_peran_display() if profile else "-"
