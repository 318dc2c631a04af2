"""What the export commands share: finding the plan and writing the file, with one-line errors."""

from pathlib import Path

from django.core.management.base import CommandError

from renaksi import selectors
from renaksi.exports.download import ExportFile
from renaksi.models import Instansi, RencanaAksi


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


def write_export(output: Path, export: ExportFile) -> str:
    output.write_bytes(export.content)
    return f"{output} ({len(export.content):,} byte)"
