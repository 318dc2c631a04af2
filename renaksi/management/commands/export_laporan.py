from pathlib import Path

from django.core.management.base import BaseCommand

from renaksi import documents
from renaksi.exports.download import FORMATS, PAPERS, export_table
from renaksi.management.commands._plan import check_output, plan_or_fail, write_export
from renaksi.models import QUARTERS


class Command(BaseCommand):
    help = "Menulis laporan capaian kinerja triwulan sebagai PDF atau XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--tahun", type=int, required=True)
        parser.add_argument("--triwulan", type=int, choices=QUARTERS, required=True)
        parser.add_argument("--format", choices=FORMATS, required=True, dest="fmt")
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--instansi", default="kesbangpol-maluku", help="kode instansi")
        parser.add_argument("--kertas", choices=tuple(PAPERS), default="a4", help="PDF saja")

    def handle(self, *args, tahun, triwulan, fmt, output, instansi, kertas, **options):
        check_output(output)
        rencana = plan_or_fail(instansi=instansi, tahun=tahun)
        table = documents.laporan_table(rencana=rencana, triwulan=triwulan)
        self.stdout.write(write_export(output, export_table(table, fmt=fmt, paper=kertas)))
