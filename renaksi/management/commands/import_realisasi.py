"""Read a filled realisation form and save it, as the "Unggah formulir" page does."""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from renaksi import permissions, selectors, services
from renaksi.formulir import (
    MAX_BYTES,
    FormulirInvalid,
    Perubahan,
    conflict_changes,
    formulir_read,
)
from renaksi.management.commands._plan import active_user
from renaksi.models import QUARTERS, Sumber
from renaksi.presentation import terkunci_message


class Command(BaseCommand):
    help = (
        "Membaca formulir realisasi (XLSX), menampilkan perubahan (lama → baru), lalu "
        "menyimpannya sebagai --user; dengan --dry-run tidak ada yang disimpan."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--tahun", type=int, required=True)
        parser.add_argument("--triwulan", type=int, choices=QUARTERS, required=True)
        parser.add_argument("--user", required=True, help="nama pengguna yang mengisi")
        parser.add_argument("--dry-run", action="store_true", help="periksa saja, jangan simpan")

    def handle(self, *args, file, tahun, triwulan, user, dry_run, **options):
        account = active_user(user)
        try:
            rencana, profile = permissions.rencana_for_entry(account, tahun)
        except (Http404, PermissionDenied) as exc:
            raise CommandError(str(exc)) from None
        status = selectors.status_triwulan(rencana=rencana, triwulan=triwulan)
        if status.terkunci:
            message = _lines("Tidak ada yang disimpan:", [terkunci_message(status)])
            raise CommandError(message)
        data = _read(file)
        try:
            pratinjau = formulir_read(data, rencana=rencana, triwulan=triwulan, profile=profile)
        except FormulirInvalid as exc:
            message = _lines(f"{file} ditolak; tidak ada yang disimpan:", exc.messages)
            raise CommandError(message) from None
        for change in pratinjau.changes:
            self.stdout.write(_describe(change))
        self.stdout.write(
            f"{len(pratinjau.changes)} baris berubah, {pratinjau.unchanged} baris tidak berubah."
        )
        if pratinjau.conflicts:
            raise CommandError(_conflicts(pratinjau.conflicts))
        if dry_run:
            self.stdout.write("Uji coba (--dry-run): tidak ada yang disimpan.")
            return
        if not pratinjau.changes:
            return
        inputs = pratinjau.inputs
        try:
            changed = services.realisasi_save_many(
                user=account,
                rencana=rencana,
                triwulan=triwulan,
                inputs=inputs,
                sumber=Sumber.FORMULIR,
            )
        except services.RealisasiConflict as exc:
            rows = conflict_changes(exc, inputs=inputs, rencana=rencana, profile=profile)
            raise CommandError(_conflicts(rows)) from None
        except (PermissionDenied, ValidationError) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError(_lines("Tidak ada yang disimpan:", messages)) from None
        self.stdout.write(self.style.SUCCESS(f"{len(changed)} baris disimpan."))


def _read(file: Path) -> bytes:
    if not file.is_file():
        raise CommandError(f"Berkas {file} tidak ada.")
    if file.stat().st_size > MAX_BYTES:
        raise CommandError(f"{file} ditolak: lebih dari {MAX_BYTES >> 20} MB.")
    return file.read_bytes()


def _lines(title: str, messages: list[str]) -> str:
    return "\n".join([title, *(f"- {message}" for message in messages)])


def _describe(change: Perubahan) -> str:
    where = f"Baris {change.baris}" if change.baris else change.new.key
    parts = [
        f"{label}: {old or '(kosong)'} → {new or '(kosong)'}"
        for index, (label, old, new, changed) in enumerate(change.fields())
        if changed or index == 0
    ]
    mark = " [DIUBAH ORANG LAIN]" if change.conflict else ""
    return f"{where} {change.new.key} {change.row.uraian}{mark}\n    " + "; ".join(parts)


def _conflicts(changes: list[Perubahan]) -> str:
    return _lines(
        "Tidak ada yang disimpan: baris berikut diubah orang lain sejak formulir diunduh "
        "(nilai tersimpan sekarang → nilai di berkas). Unduh formulir baru dan isi lagi.",
        [
            f"{change.new.key} {change.row.uraian}: {change.old_nilai_display} → "
            f"{change.new_nilai_display}"
            for change in changes
        ],
    )
