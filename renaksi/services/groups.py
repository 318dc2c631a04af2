"""The "Admin instansi" group: what an agency admin may do in ``/admin/``.

The admin screens narrow these model permissions to the member's own agency
(``renaksi/admin/scoping.py``). ``load_demo`` and ``ensure_groups`` call this after ``migrate``.
"""

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction

from renaksi import models

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
    # Signed documents are stored once, by the signing services, and never edited.
    models.DokumenTertanda: ("view",),
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
