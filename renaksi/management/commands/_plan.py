"""What the export commands share: finding the plan and writing the file, with one-line errors."""

from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import CommandError

from renaksi import selectors
from renaksi.exports.download import ExportFile
from renaksi.models import Instansi, RencanaAksi


def active_user(username: str) -> User:
    """The account named ``username``; a deactivated one is as good as removed."""
    account = User.objects.filter(username=username, is_active=True).select_related("profile")
    found = account.first()
    if found is None:
        raise CommandError(f"Pengguna {username!r} tidak ada atau sudah dinonaktifkan.")
    return found


def plan_or_fail(*, instansi: str, tahun: int) -> RencanaAksi:
    found = Instansi.objects.filter(kode=instansi).first()
    if found is None:
        raise CommandError(f"Instansi dengan kode {instansi!r} tidak ada.")
    rencana = selectors.rencana_get(instansi_id=found.pk, tahun=tahun)
    if rencana is None:
        raise CommandError(f"{found.kode} tidak memiliki rencana aksi tahun {tahun}.")
    return rencana


def check_output(output: Path) -> None:
    """Fail before any work when the file could not be written."""
    if not output.parent.is_dir():
        raise CommandError(f"Folder {output.parent} tidak ada.")
    if output.is_dir():
        raise CommandError(f"{output} adalah folder; sebutkan nama berkasnya.")


def write_bytes(output: Path, content: bytes) -> None:
    """Write the file, or one line saying why not (permissions, a full disk, ...)."""
    try:
        output.write_bytes(content)
    except OSError as exc:
        raise CommandError(f"{output} tidak dapat ditulis: {exc.strerror or exc}.") from None


def write_export(output: Path, export: ExportFile) -> str:
    write_bytes(output, export.content)
    return f"{output} ({len(export.content):,} byte)"
