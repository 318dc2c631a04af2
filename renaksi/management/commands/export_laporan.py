from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from renaksi import laporan, selectors
from renaksi.exports.download import FORMATS, PAPERS, export_table
from renaksi.models import Instansi


class Command(BaseCommand):
    help = "Menulis laporan capaian kinerja triwulan sebagai PDF atau XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--tahun", type=int, required=True)
        parser.add_argument("--triwulan", type=int, choices=(1, 2, 3, 4), required=True)
        parser.add_argument("--format", choices=FORMATS, required=True, dest="fmt")
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--instansi", default="kesbangpol-maluku", help="kode instansi")
        parser.add_argument("--kertas", choices=tuple(PAPERS), default="a4", help="PDF saja")

    def handle(self, *args, tahun, triwulan, fmt, output, instansi, kertas, **options):
        found = Instansi.objects.filter(kode=instansi).first()
        if found is None:
            raise CommandError(f"Instansi dengan kode {instansi!r} tidak ada.")
        rencana = selectors.rencana_get(instansi_id=found.pk, tahun=tahun)
        if rencana is None:
            raise CommandError(f"{found.kode} tidak memiliki rencana aksi tahun {tahun}.")
        if not output.parent.is_dir():
            raise CommandError(f"Folder {output.parent} tidak ada.")
        table = laporan.laporan_table(rencana=rencana, triwulan=triwulan)
        export = export_table(table, fmt=fmt, paper=kertas)
        output.write_bytes(export.content)
        self.stdout.write(f"{output} ({len(export.content):,} byte)")
