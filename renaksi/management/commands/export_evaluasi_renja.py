"""``export_evaluasi_renja``: the Permendagri 86/2017 evaluation of the Renja as PDF or XLSX."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from renaksi import evaluasi
from renaksi.exports.download import FORMATS, PAPERS, export_table
from renaksi.management.commands._plan import check_output, plan_or_fail, write_export
from renaksi.models import QUARTERS


def _whole(text: str, what: str, low: int, high: int) -> int:
    # Read here rather than by argparse (type=int, choices): argparse ends a bad value with
    # exit status 2 and a usage dump; a bad year or quarter is one line and status 1, as a
    # year without a plan is.
    value = text.strip()
    if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
        raise CommandError(f"{what} harus bilangan {low} sampai {high}, bukan {text!r}.")
    return int(value)


class Command(BaseCommand):
    help = "Menulis tabel evaluasi hasil Renja (Permendagri 86/2017) sebagai PDF atau XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--tahun", required=True)
        parser.add_argument("--triwulan", required=True, help="1 sampai 4")
        parser.add_argument("--format", choices=FORMATS, required=True, dest="fmt")
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--instansi", default="kesbangpol-maluku", help="kode instansi")
        parser.add_argument("--kertas", choices=tuple(PAPERS), default="a4", help="PDF saja")

    def handle(self, *args, tahun, triwulan, fmt, output, instansi, kertas, **options):
        tahun = _whole(str(tahun), "Tahun", 2000, 2100)
        triwulan = _whole(str(triwulan), "Triwulan", QUARTERS[0], QUARTERS[-1])
        check_output(output)
        rencana = plan_or_fail(instansi=instansi, tahun=tahun)
        table = evaluasi.evaluasi_table(rencana=rencana, triwulan=triwulan)
        self.stdout.write(write_export(output, export_table(table, fmt=fmt, paper=kertas)))
