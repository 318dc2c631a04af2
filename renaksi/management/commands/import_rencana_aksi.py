from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from renaksi.models import Bidang, Instansi
from renaksi.rencana_import.preview import pratinjau
from renaksi.rencana_import.read import rencana_read
from renaksi.services.rencana import rencana_import
from renaksi.spreadsheets import FileRefused


class Command(BaseCommand):
    help = (
        "Mengimpor rencana aksi dari XLSX (ekspor Renaksi, templat yang diisi, atau tabel "
        "tercetak) sebagai draf tahun itu."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--instansi", required=True, help="kode instansi")
        parser.add_argument("--tahun", type=int, required=True)
        parser.add_argument("--dry-run", action="store_true", help="periksa saja, tanpa menyimpan")
        parser.add_argument(
            "--replace-targets",
            action="store_true",
            help="tahun yang sudah berencana: ganti target dan teks, realisasi tetap",
        )

    def handle(self, *args, file, instansi, tahun, dry_run, replace_targets, **options):
        found = Instansi.objects.filter(kode=instansi).first()
        if found is None:
            raise CommandError(f"Instansi dengan kode {instansi!r} tidak ada.")
        if not 2000 <= tahun <= 2100:
            raise CommandError("Tahun harus 2000 sampai 2100.")
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file} tidak dapat dibaca: {exc.strerror or exc}.") from None
        bidang = list(
            Bidang.objects.filter(instansi=found).order_by("urutan").values_list("nama", flat=True)
        )
        arguments = {
            "instansi": found,
            "tahun": tahun,
            "user": None,
            "nama_berkas": file.name,
            "replace_targets": replace_targets,
        }
        try:
            hasil = rencana_read(content, bidang=bidang)
            if dry_run:
                pratinjau(data=hasil.data, **arguments)
            else:
                rencana_import(data=hasil.data, **arguments)
        except (FileRefused, ValidationError) as exc:
            raise CommandError("\n".join(exc.messages)) from None
        for warning in hasil.warnings:
            self.stderr.write(f"Peringatan: {warning}")
        if hasil.printed:
            self.stderr.write(
                "Berkas berupa tabel tercetak: arah, metode dan bidang diisi nilai bawaan; "
                "periksa di halaman admin sebelum diterbitkan."
            )
        counts = hasil.data.counts
        summary = (
            f"{counts['sasaran']} sasaran, {counts['indikator']} indikator sasaran, "
            f"{counts['program']} program, {counts['kegiatan']} kegiatan, "
            f"{counts['sub_kegiatan']} sub kegiatan"
        )
        if dry_run:
            self.stdout.write(f"Uji coba: {summary}; tidak ada yang disimpan.")
        else:
            self.stdout.write(f"Rencana aksi {found.kode} {tahun} diimpor sebagai draf: {summary}.")
