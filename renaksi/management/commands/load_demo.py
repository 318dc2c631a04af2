"""Load the 2023 Kesbangpol Maluku plan and the demo accounts; safe to run again."""

from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from renaksi.models import Bidang, Instansi, Peran, Profile

DEMO_PASSWORD = "renaksi-demo-2023"
INSTANSI_KODE = "kesbangpol-maluku"

# (username, full name, role, bidang urutan)
DEMO_ACCOUNTS = [
    ("admin", "Admin Renaksi", Peran.ADMIN, None),
    ("kepala", "Kepala Badan", Peran.KEPALA, None),
    ("pemeriksa", "Pemeriksa Inspektorat", Peran.PEMERIKSA, None),
    ("staf-sekretariat", "Staf Sekretariat", Peran.STAF, 1),
    ("staf-ideologi", "Staf Bidang Ideologi", Peran.STAF, 2),
    ("staf-politik", "Staf Bidang Politik", Peran.STAF, 3),
    ("staf-ormas", "Staf Bidang Ormas", Peran.STAF, 4),
    ("staf-ekonomi", "Staf Bidang Ekonomi", Peran.STAF, 5),
    ("staf-kewaspadaan", "Staf Bidang Kewaspadaan", Peran.STAF, 6),
]


class Command(BaseCommand):
    help = "Memuat rencana aksi 2023 Kesbangpol Maluku dan akun demo (aman dijalankan ulang)."

    @transaction.atomic
    def handle(self, *args, **options):
        # Natural keys in the fixture make loaddata update rows in place on a second run.
        call_command("loaddata", "rencana_aksi_2023", verbosity=0)
        instansi = Instansi.objects.get(kode=INSTANSI_KODE)
        bidang = {b.urutan: b for b in Bidang.objects.filter(instansi=instansi)}
        created = 0
        for username, full_name, peran, bidang_urutan in DEMO_ACCOUNTS:
            first, _, last = full_name.partition(" ")
            user, was_created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "is_staff": peran == Peran.ADMIN,
                    "is_superuser": peran == Peran.ADMIN,
                },
            )
            if was_created:
                # Only new accounts get the demo password: a password changed since stays.
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
                created += 1
            Profile.objects.update_or_create(
                user=user,
                defaults={
                    "instansi": instansi,
                    "peran": peran,
                    "bidang": bidang.get(bidang_urutan),
                },
            )
        self.stdout.write(
            f"Rencana aksi 2023 dimuat; {created} akun baru, "
            f"{len(DEMO_ACCOUNTS) - created} akun sudah ada."
        )
