from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from renaksi.models import Instansi
from renaksi.services.rencana import rencana_copy


class Command(BaseCommand):
    help = "Menyalin rencana aksi ke tahun lain sebagai draf (tanpa realisasi, bukti dan status)."

    def add_arguments(self, parser):
        parser.add_argument("--instansi", required=True, help="kode instansi")
        parser.add_argument("--dari", type=int, required=True)
        parser.add_argument("--ke", type=int, required=True)
        parser.add_argument(
            "--tanpa-target",
            action="store_true",
            help="tanpa target TW 1-4, pagu dan anggaran kas (target dan pagu Renstra tetap)",
        )

    def handle(self, *args, instansi, dari, ke, tanpa_target, **options):
        found = Instansi.objects.filter(kode=instansi).first()
        if found is None:
            raise CommandError(f"Instansi dengan kode {instansi!r} tidak ada.")
        if not 2000 <= ke <= 2100:
            raise CommandError("Tahun tujuan harus 2000 sampai 2100.")
        try:
            copy = rencana_copy(instansi=found, dari=dari, ke=ke, tanpa_target=tanpa_target)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        self.stdout.write(
            f"Rencana aksi {found.kode} {dari} disalin ke {ke} sebagai draf"
            + (" tanpa target" if tanpa_target else "")
            + f" ({copy.tempat_tanggal_ttd}); periksa tanggal penandatanganan, lalu terbitkan."
        )
