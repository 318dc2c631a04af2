"""Load the 2023 Kesbangpol Maluku plan and the demo accounts; running it again changes nothing.

The fixture is loaded only while the agency has no 2023 plan: once it exists, corrections made
since (in /admin/ or elsewhere) stay. Accounts and profiles are created when missing and never
updated, so a changed role, bidang or password stays too.
"""

from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from renaksi.models import Bidang, Instansi, Peran, Profile, RencanaAksi
from renaksi.services import ADMIN_INSTANSI_GROUP, ensure_admin_instansi_group

DEMO_PASSWORD = "renaksi-demo-2023"
INSTANSI_KODE = "kesbangpol-maluku"
TAHUN = 2023
FIXTURE = "rencana_aksi_2023"

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
        plan_exists = RencanaAksi.objects.filter(instansi__kode=INSTANSI_KODE, tahun=TAHUN).exists()
        if not plan_exists:
            call_command("loaddata", FIXTURE, verbosity=0)
        group = ensure_admin_instansi_group()
        instansi = Instansi.objects.get(kode=INSTANSI_KODE)
        bidang = {b.urutan: b for b in Bidang.objects.filter(instansi=instansi)}

        users_created = profiles_created = 0
        for username, full_name, peran, bidang_urutan in DEMO_ACCOUNTS:
            first, _, last = full_name.partition(" ")
            is_admin = peran == Peran.ADMIN
            # The agency admin works in /admin/ inside its own agency: staff, never superuser.
            user, user_created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "is_staff": is_admin},
            )
            if user_created:
                # Only new accounts get the demo password: a password changed since stays.
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
                if is_admin:
                    user.groups.add(group)
                users_created += 1
            elif is_admin and user.is_superuser:
                self.stderr.write(
                    self.style.WARNING(
                        f"Peringatan: akun {username!r} adalah superuser (dibuat oleh load_demo "
                        "versi lama) dan melihat semua instansi. Cabut status superuser di "
                        f"/admin/ dan jadikan anggota grup {ADMIN_INSTANSI_GROUP!r}."
                    )
                )
            _profile, profile_created = Profile.objects.get_or_create(
                user=user,
                defaults={
                    "instansi": instansi,
                    "peran": peran,
                    "bidang": bidang.get(bidang_urutan),
                },
            )
            profiles_created += profile_created

        plan = (
            f"Rencana aksi {TAHUN} sudah ada, tidak dimuat ulang"
            if plan_exists
            else f"Rencana aksi {TAHUN} dimuat"
        )
        self.stdout.write(
            f"{plan}; {users_created} akun baru, {len(DEMO_ACCOUNTS) - users_created} akun "
            f"sudah ada (tidak diubah), {profiles_created} profil baru."
        )
