"""Benchmark of large PDFs: one WeasyPrint render against chunks in parallel; Chromium.

    .venv/bin/python bench/large_pdf.py [--sizes 27,200,2000] [--chromium] [--profile 300]

Builds a throwaway SQLite database with the 2023 plan (27 rows) and generated plans of the
other sizes, then for each prints, side by side in one run:

- single: one bare WeasyPrint render of the whole table's HTML (``exports.pdf.table_html``),
  timed inside a fresh process (import and start-up not counted), and that process's peak RSS;
- chunked: ``exports.pdf.render_chunked`` as the worker runs it (chunks of
  ``RENAKSI_PDF_CHUNK_ROWS`` rows between kegiatan, ``RENAKSI_PDF_PROCESSES`` processes,
  merged and numbered), timed end to end (pool start-up, HTML, merge and stamping included),
  with the peak RSS of every rendering process and of this coordinating process;
- with ``--chromium``: ``chromium --headless --print-to-pdf`` of the plan's page (the HTML
  page a user would print from the browser), wall time and pages.

``--profile N`` instead prints where WeasyPrint spends its time on an N-row table (cProfile,
top functions by own time) and exits. Prints figures, asserts nothing.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from io import BytesIO, StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHROMIUM = os.environ.get("RENAKSI_CHROMIUM", "/usr/bin/chromium")


def single_render(html: str, base_url: str) -> tuple[float, int, float]:
    """In a child process: seconds of one WeasyPrint render, pages, peak RSS (MB)."""
    from renaksi.exports import weasy

    weasy.render("<p>warm-up</p>", base_url)  # fonts and first-use costs, as a worker has them
    start = time.perf_counter()
    rendered = weasy.render(html, base_url)
    return time.perf_counter() - start, rendered.pages, rendered.peak_rss_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="27,200,2000")
    parser.add_argument("--chromium", action="store_true")
    parser.add_argument("--profile", type=int, default=0)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="renaksi-bench-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="kesbangpol.settings",
        DJANGO_DEBUG="1",
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
        RENAKSI_EXPORT_CACHE_DIR=str(workdir / "exports"),
    )
    import django

    django.setup()

    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from pypdf import PdfReader

    from renaksi import documents, selectors
    from renaksi.exports import weasy
    from renaksi.exports.pdf import BASE_URL, PAPERS, render_chunked, table_chunks, table_html
    from renaksi.models import Instansi

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    instansi = Instansi.objects.get(kode="kesbangpol-maluku")
    sizes = [int(size) for size in args.sizes.split(",")]
    if args.profile:
        sizes = [args.profile]
    years = {}
    for index, size in enumerate(sizes):
        if size == 27:
            years[size] = 2023
            continue
        years[size] = 2090 + index
        call_command("generate_plan", tahun=years[size], sub_kegiatan=size, stdout=StringIO())

    paper = PAPERS["a4"]
    if args.profile:
        import cProfile
        import pstats

        rencana = selectors.rencana_get(instansi_id=instansi.pk, tahun=years[args.profile])
        html = table_html(documents.rencana_aksi_table(rencana=rencana), paper=paper)
        weasy.render("<p>warm-up</p>", BASE_URL)
        profiler = cProfile.Profile()
        profiler.enable()
        weasy.render(html, BASE_URL)
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(40)
        return

    print(
        f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
        f"load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}, "
        f"chunk {settings.PDF_CHUNK_ROWS} rows, {settings.PDF_PROCESSES} processes"
    )
    header = (
        f"{'rows':>5} {'single s':>9} {'pages':>6} {'peak MB':>8} | {'chunked s':>9} "
        f"{'ratio':>6} {'pages':>6} {'chunks':>6} {'chunk peak MB':>14} {'coord MB':>9}"
    )
    if args.chromium:
        header += f" | {'chromium s':>10} {'pages':>6}"
    print(header)
    client = Client()
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="kepala"))
    for size in sizes:
        rencana = selectors.rencana_get(instansi_id=instansi.pk, tahun=years[size])
        table = documents.rencana_aksi_table(rencana=rencana)
        html = table_html(table, paper=paper)

        with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
            single_s, single_pages, single_peak = pool.submit(
                single_render, html, BASE_URL
            ).result()

        chunks = table_chunks(table, settings.PDF_CHUNK_ROWS)
        start = time.perf_counter()
        if len(chunks) > 1:
            result = render_chunked(chunks, paper=paper)
            chunked_s = time.perf_counter() - start
            chunked_pages = len(PdfReader(BytesIO(result.content)).pages)
            peaks = "/".join(f"{peak:.0f}" for peak in result.chunk_peaks_mb)
            if len(peaks) > 14:
                peaks = f"max {max(result.chunk_peaks_mb):.0f}"
            chunked = (
                f"{chunked_s:>9.2f} {chunked_s / single_s:>6.2f} {chunked_pages:>6} "
                f"{len(chunks):>6} {peaks:>14} {weasy.peak_rss_mb():>9.0f}"
            )
        else:
            chunked = f"{'(one chunk: rendered as single)':>55}"
        line = f"{size:>5} {single_s:>9.2f} {single_pages:>6} {single_peak:>8.0f} | {chunked}"

        if args.chromium:
            response = client.get(f"/rencana-aksi/{rencana.tahun}/")
            assert response.status_code == 200, response.status_code
            page_html = response.content.decode()
            page_html = page_html.replace('"/static/', f'"file://{ROOT}/static/')
            page_file = workdir / f"page-{size}.html"
            page_file.write_text(page_html)
            out = workdir / f"chromium-{size}.pdf"
            start = time.perf_counter()
            subprocess.run(
                [
                    CHROMIUM,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-pdf-header-footer",
                    f"--print-to-pdf={out}",
                    page_file.as_uri(),
                ],
                check=True,
                capture_output=True,
            )
            chromium_s = time.perf_counter() - start
            line += f" | {chromium_s:>10.2f} {len(PdfReader(str(out)).pages):>6}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
