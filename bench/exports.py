"""Benchmark of the Rencana Aksi exports: prints figures, asserts nothing.

    .venv/bin/python bench/exports.py [--rows 2000] [--repeat 3]

Builds a throwaway SQLite database with the 2023 plan and a generated plan of ``--rows`` sub
kegiatan, then for each plan measures (median of ``--repeat`` runs, after one warm-up render):
PDF seconds with an empty cache and from the cache, pages, queries, WeasyPrint alone on the same
HTML and our overhead over it, XLSX seconds and queries.
"""

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from io import BytesIO, StringIO
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

    import weasyprint
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from pypdf import PdfReader

    from renaksi import documents, selectors
    from renaksi.exports.download import export_table
    from renaksi.exports.pdf import PAPERS, STATIC_DIR, table_html
    from renaksi.models import Instansi

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    instansi = Instansi.objects.get(kode="kesbangpol-maluku")
    call_command(
        "generate_plan",
        tahun=2099,
        sub_kegiatan=args.rows,
        stdout=StringIO(),
    )

    def timed(func):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            result = func()
            elapsed = time.perf_counter() - start
        return result, elapsed, len(queries)

    def export(tahun, fmt):
        rencana = selectors.rencana_get(instansi_id=instansi.pk, tahun=tahun)
        return export_table(documents.rencana_aksi_table(rencana=rencana), fmt=fmt)

    def clear_cache():
        for path in Path(settings.EXPORT_CACHE_DIR).glob("*.pdf"):
            path.unlink()

    export(2023, "pdf")  # warm-up: fonts, template and WeasyPrint's first-use costs
    print(f"{'plan':<22}{'measure':<34}{'value':>12}")
    for tahun, label in ((2023, "2023 (27 rows)"), (2099, f"generated ({args.rows} rows)")):
        cold, cached, alone, xlsx = [], [], [], []
        # XLSX first: after a large WeasyPrint render the heap holds millions of objects and
        # the garbage collector slows whatever runs next, which a web worker serving only the
        # XLSX would not see.
        for _ in range(args.repeat):
            gc.collect()
            _file, seconds, xlsx_queries = timed(lambda t=tahun: export(t, "xlsx"))
            xlsx.append(seconds)
        for _ in range(args.repeat):
            gc.collect()
            clear_cache()
            pdf, seconds, pdf_queries = timed(lambda t=tahun: export(t, "pdf"))
            assert not pdf.cached
            cold.append(seconds)
            again, seconds, _queries = timed(lambda t=tahun: export(t, "pdf"))
            assert again.cached
            cached.append(seconds)
            rencana = selectors.rencana_get(instansi_id=instansi.pk, tahun=tahun)
            html = table_html(documents.rencana_aksi_table(rencana=rencana), paper=PAPERS["a4"])
            start = time.perf_counter()
            # WeasyPrint alone: what the whole export (layout, cache, lock) is compared with.
            weasyprint.HTML(string=html, base_url=f"{STATIC_DIR}/").write_pdf()
            alone.append(time.perf_counter() - start)
        pages = len(PdfReader(BytesIO(pdf.content)).pages)
        ratio = statistics.median(cold) / statistics.median(alone)
        for measure, value in (
            ("PDF s, empty cache", f"{statistics.median(cold):.3f}"),
            ("PDF s, cached", f"{statistics.median(cached):.4f}"),
            ("PDF pages", pages),
            ("PDF queries", pdf_queries),
            ("WeasyPrint alone s (same HTML)", f"{statistics.median(alone):.3f}"),
            ("PDF overhead (ours / WeasyPrint)", f"{ratio:.2f}x"),
            ("XLSX s", f"{statistics.median(xlsx):.3f}"),
            ("XLSX queries", xlsx_queries),
        ):
            print(f"{label:<22}{measure:<34}{value!s:>12}")


if __name__ == "__main__":
    main()
