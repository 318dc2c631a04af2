from django.core.management.base import BaseCommand

from renaksi.services import ADMIN_INSTANSI_GROUP, ensure_admin_instansi_group


class Command(BaseCommand):
    help = (
        'Membuat grup "Admin instansi" beserta izinnya (aman dijalankan ulang); jalankan '
        "setelah migrate pada setiap instalasi."
    )

    def handle(self, *args, **options):
        group = ensure_admin_instansi_group()
        self.stdout.write(f"Grup {ADMIN_INSTANSI_GROUP!r}: {group.permissions.count()} izin.")
