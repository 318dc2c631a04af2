from django.core.management.base import BaseCommand, CommandError

from renaksi.models import Instansi, RencanaAksi
from renaksi.synthetic import plan_generate


class Command(BaseCommand):
    help = "Membuat rencana aksi sintetis berukuran tertentu (untuk uji dan benchmark)."

    def add_arguments(self, parser):
        parser.add_argument("--tahun", type=int, required=True)
        parser.add_argument("--sub-kegiatan", type=int, required=True)
        parser.add_argument("--instansi", default="kesbangpol-maluku", help="kode instansi")

    def handle(self, *args, tahun, sub_kegiatan, instansi, **options):
        if not 2000 <= tahun <= 2100:
            raise CommandError("--tahun harus antara 2000 dan 2100.")
        # 50,000 sub kegiatan make about 16,700 kegiatan, well inside the NO column's range
        # (a small integer: 32,767 on PostgreSQL).
        if not 1 <= sub_kegiatan <= 50_000:
            raise CommandError("--sub-kegiatan harus antara 1 dan 50000.")
        target = Instansi.objects.filter(kode=instansi).first()
        if target is None:
            raise CommandError(f"Instansi dengan kode {instansi!r} tidak ada.")
        if RencanaAksi.objects.filter(instansi=target, tahun=tahun).exists():
            raise CommandError(f"{target.kode} sudah memiliki rencana aksi tahun {tahun}.")
        rencana = plan_generate(instansi=target, tahun=tahun, sub_kegiatan=sub_kegiatan)
        self.stdout.write(
            f"Rencana aksi {rencana.tahun} untuk {target.kode}: {sub_kegiatan} sub kegiatan."
        )
