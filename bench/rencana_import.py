"""Benchmark of the plan import: exports a generated plan and imports it back; prints figures.

    .venv/bin/python bench/rencana_import.py [--rows 2000] [--repeat 3]

Builds a throwaway SQLite database with a generated plan of ``--rows`` sub kegiatan
(``renaksi.synthetic.plan_generate``), writes its XLSX (printed sheet and Data sheet) as the
download does, then measures (median of ``--repeat`` runs): reading the file
(``rencana_read``), the preview (the import run in a rolled-back transaction, and the table),
and the import itself into an empty year, with their queries. The target for the import of a
2,000-row plan, read and write together, is under 10 s on the 2-core development machine.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="renaksi-bench-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="kesbangpol.settings",
        DJANGO_DEBUG="1",
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
        RENAKSI_EXPORT_CACHE_DIR=str(workdir / "exports"),
    )
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from renaksi.exports.download import export_rencana_aksi
    from renaksi.models import Bidang, Instansi, RencanaAksi
    from renaksi.rencana_import.preview import pratinjau
    from renaksi.rencana_import.read import rencana_read
    from renaksi.services.rencana import rencana_import
    from renaksi.synthetic import plan_generate

    call_command("migrate", verbosity=0)
    instansi = Instansi.objects.create(kode="bench", nama="Badan Uji Beban", kota="Ambon")
    source = plan_generate(instansi=instansi, tahun=2099, sub_kegiatan=args.rows)
    source = RencanaAksi.objects.select_related("instansi").get(pk=source.pk)
    bidang = list(
        Bidang.objects.filter(instansi=instansi).order_by("urutan").values_list("nama", flat=True)
    )

    started = time.perf_counter()
    content = export_rencana_aksi(source, fmt="xlsx").content
    export_seconds = time.perf_counter() - started

    def timed(run):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = run()
            return time.perf_counter() - started, len(queries), result

    reads, previews, imports, totals = [], [], [], []
    for attempt in range(args.repeat):
        read_s, _q, hasil = timed(lambda: rencana_read(content, bidang=bidang))
        tahun = 2000 + attempt
        preview_s, preview_q, _p = timed(
            lambda tahun=tahun, hasil=hasil: pratinjau(
                instansi=instansi,
                tahun=tahun,
                data=hasil.data,
                user=None,
                nama_berkas="bench.xlsx",
                replace_targets=False,
            )
        )
        import_s, import_q, _r = timed(
            lambda tahun=tahun, hasil=hasil: rencana_import(
                instansi=instansi, tahun=tahun, data=hasil.data, nama_berkas="bench.xlsx"
            )
        )
        reads.append(read_s)
        previews.append(preview_s)
        imports.append(import_s)
        totals.append(read_s + import_s)

    counts = hasil.data.counts
    print(
        f"plan: {counts['sub_kegiatan']} sub kegiatan, {counts['kegiatan']} kegiatan, "
        f"{counts['indikator']} indikator sasaran; XLSX {len(content) / 1024:.0f} KB "
        f"(export {export_seconds:.2f} s)"
    )
    lines = [
        ("read the file (rencana_read)", statistics.median(reads), None),
        ("preview (rolled-back import, table)", statistics.median(previews), preview_q),
        ("import into an empty year", statistics.median(imports), import_q),
    ]
    for label, seconds, queries in lines:
        print(f"{label:<38}{seconds:6.2f} s" + (f", {queries} queries" if queries else ""))
    total = statistics.median(totals)
    verdict = "ok" if total < 10 else "MISSED"
    print(f"{'read + import':<38}{total:6.2f} s (target under 10 s: {verdict})")


if __name__ == "__main__":
    main()
