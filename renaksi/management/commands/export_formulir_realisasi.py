"""Write the realisation form of one quarter, as the "Unduh formulir" page gives it."""

from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import timezone

from renaksi import permissions, selectors
from renaksi.formulir import render_formulir
from renaksi.management.commands._plan import active_user, check_output, write_bytes
from renaksi.models import QUARTERS, Peran, Profile

DEFAULT_INSTANSI = "kesbangpol-maluku"


class Command(BaseCommand):
    help = (
        "Menulis formulir realisasi (XLSX) satu triwulan: baris yang boleh diisi --user "
        "(bawaan: admin instansi)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tahun", type=int, required=True)
        parser.add_argument("--triwulan", type=int, choices=QUARTERS, required=True)
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--user", help="nama pengguna (bawaan: admin instansi)")
        parser.add_argument(
            "--instansi", help=f"kode instansi (bawaan: instansi --user, atau {DEFAULT_INSTANSI})"
        )

    def handle(self, *args, tahun, triwulan, output, user, instansi, **options):
        account = _account(user, instansi)
        try:
            rencana, profile = permissions.rencana_for_entry(account, tahun)
        except (Http404, PermissionDenied) as exc:
            raise CommandError(str(exc)) from None
        check_output(output)
        rows = selectors.entry_rows(rencana=rencana, profile=profile, with_bukti=False)
        content = render_formulir(
            rencana=rencana, triwulan=triwulan, profile=profile, rows=rows, now=timezone.now()
        )
        write_bytes(output, content)
        count = sum(1 for row in rows if row.can_edit)
        self.stdout.write(
            f"{output}: {count} baris untuk {account.username} ({len(content):,} byte)"
        )


def _account(username: str | None, instansi: str | None) -> User:
    """The --user, or the first admin of --instansi; refuses a --user of another agency."""
    if username:
        account = active_user(username)
        kode = getattr(getattr(account, "profile", None), "instansi", None)
        if instansi and (kode is None or kode.kode != instansi):
            raise CommandError(f"Pengguna {username!r} bukan anggota instansi {instansi!r}.")
        return account
    kode = instansi or DEFAULT_INSTANSI
    admin = (
        Profile.objects.filter(instansi__kode=kode, peran=Peran.ADMIN, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
        .first()
    )
    if admin is None:
        raise CommandError(f"Instansi {kode!r} tidak ada atau tidak memiliki admin; pakai --user.")
    return admin.user
