import getpass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from renaksi.services.instansi import instansi_create


class Command(BaseCommand):
    help = "Membuat instansi baru dengan bidangnya dan admin instansi pertamanya."

    def add_arguments(self, parser):
        parser.add_argument("--kode", required=True)
        parser.add_argument("--nama", required=True)
        parser.add_argument("--kota", required=True, help="kota penandatanganan")
        parser.add_argument(
            "--bidang", action="append", required=True, help="nama bidang (ulangi, berurutan)"
        )
        parser.add_argument("--admin", required=True, help="nama pengguna admin instansi")
        parser.add_argument(
            "--password", help="kata sandi admin (tanpa ini: ditanyakan, tidak tampil)"
        )

    def handle(self, *args, kode, nama, kota, bidang, admin, password, **options):
        if password is None:
            password = getpass.getpass(f"Kata sandi untuk {admin}: ")
        try:
            validate_password(password)
            instansi = instansi_create(
                kode=kode,
                nama=nama,
                kota=kota,
                bidang=bidang,
                admin_username=admin,
                admin_password=password,
            )
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        self.stdout.write(
            f"Instansi {instansi.kode} dibuat dengan {len(bidang)} bidang dan admin {admin}."
        )
