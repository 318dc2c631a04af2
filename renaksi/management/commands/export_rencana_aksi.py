from pathlib import Path

from django.core.management.base import BaseCommand

from renaksi.exports.download import FORMATS, PAPERS, export_rencana_aksi
from renaksi.management.commands._plan import check_output, plan_or_fail, write_export


class Command(BaseCommand):
    help = "Menulis tabel rencana aksi sebagai PDF atau XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--tahun", type=int, required=True)
        parser.add_argument("--format", choices=FORMATS, required=True, dest="fmt")
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--instansi", default="kesbangpol-maluku", help="kode instansi")
        parser.add_argument("--kertas", choices=tuple(PAPERS), default="a4", help="PDF saja")

    def handle(self, *args, tahun, fmt, output, instansi, kertas, **options):
        check_output(output)
        rencana = plan_or_fail(instansi=instansi, tahun=tahun)
        self.stdout.write(write_export(output, export_rencana_aksi(rencana, fmt=fmt, paper=kertas)))
