"""A new agency on the platform: the agency, its bidang and its first admin, in one write."""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from renaksi.models import Bidang, Instansi, Peran, Profile
from renaksi.services.groups import ensure_admin_instansi_group


@transaction.atomic
def instansi_create(
    *, kode: str, nama: str, kota: str, bidang: list[str], admin_username: str, admin_password: str
) -> Instansi:
    """Create the agency with ``bidang`` (in order) and its agency admin.

    The admin is staff in the group "Admin instansi" (the agency's own screens in /admin/),
    never a superuser. Raises ValidationError when the kode or the username is taken, a field
    is empty, or a bidang is named twice.
    """
    names = [" ".join(name.split()) for name in bidang if name.strip()]
    if not kode or not nama or not kota or not names:
        raise ValidationError(_("Kode, nama, kota dan sedikitnya satu bidang wajib diisi."))
    if len({name.casefold() for name in names}) != len(names):
        raise ValidationError(_("Nama bidang tidak boleh ganda."))
    if Instansi.objects.filter(kode=kode).exists():
        raise ValidationError(_("Instansi dengan kode %(kode)s sudah ada.") % {"kode": kode})
    if User.objects.filter(username=admin_username).exists():
        raise ValidationError(_("Nama pengguna %(user)s sudah dipakai.") % {"user": admin_username})
    instansi = Instansi(kode=kode, nama=nama, kota=kota)
    instansi.full_clean()
    instansi.save()
    Bidang.objects.bulk_create(
        Bidang(instansi=instansi, nama=name, urutan=urutan)
        for urutan, name in enumerate(names, start=1)
    )
    admin = User.objects.create_user(
        username=admin_username, password=admin_password, is_staff=True
    )
    admin.groups.add(ensure_admin_instansi_group())
    Profile.objects.create(user=admin, instansi=instansi, peran=Peran.ADMIN)
    return instansi
