"""Rendering PDFs that are not cached: in a worker task with a progress page, once across
servers (a database row), and large tables in chunks merged into one numbered document."""

import json
import os
import subprocess
import sys
import textwrap
from io import BytesIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from renaksi.documents import laporan_table, rencana_aksi_table
from renaksi.exports.pdf import PAPERS, render_table, table_blocks, table_chunks
from renaksi.models import RenderDokumen, StatusRender, SubKegiatan
from renaksi.synthetic import plan_generate
from tests.factories import make_instansi, make_users


def page_texts(content: bytes) -> list[str]:
    """pdftotext of each page, white space folded."""
    pages = len(PdfReader(BytesIO(content)).pages)
    texts = []
    for number in range(1, pages + 1):
        result = subprocess.run(
            ["pdftotext", "-raw", "-enc", "UTF-8", "-f", str(number), "-l", str(number), "-", "-"],
            input=content,
            capture_output=True,
            check=True,
        )
        texts.append(" ".join(result.stdout.decode().split()))
    return texts


def squashed(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def large(settings):
    """A 12-row plan and a 5-row inline limit: "large" at test speed (one chunk: chunks have
    their own test below)."""
    settings.PDF_INLINE_ROWS = 5
    instansi = make_instansi()
    users = make_users(instansi)
    rencana = plan_generate(instansi=instansi, tahun=2023, sub_kegiatan=12)
    return users, rencana


@pytest.mark.django_db(transaction=True)
def test_it_renders_a_large_plan_in_a_task_and_the_page_picks_it_up(client, large):
    users, rencana = large
    client.force_login(users["kepala"])
    url = reverse("rencana_aksi_pdf", args=[2023])

    page = client.get(url)
    assert page.status_code == 202
    body = page.content.decode()
    assert "Dokumen sedang disiapkan" in body
    assert "0 dari 12 baris" in body
    assert 'src="/static/js/dokumen.js"' in body
    assert RenderDokumen.objects.get().status == StatusRender.QUEUED

    progress = client.get(url + "?kertas=a4&progres=1").json()
    assert progress["siap"] is False and progress["status"] == "queued"
    assert progress["baris_total"] == 12
    # Asking again queues nothing more: one task for one document.
    assert client.get(url).status_code == 202

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    progress = client.get(url + "?kertas=a4&progres=1").json()
    assert progress == {
        **progress,
        "siap": True,
        "status": "done",
        "baris": 12,
        "persen": 100,
    }
    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"] == (
        'attachment; filename="rencana-aksi-kesbangpol-uji-2023.pdf"'
    )
    text = " ".join(page_texts(download.content))
    for uraian in SubKegiatan.objects.values_list("uraian", flat=True):
        assert squashed(uraian) in squashed(text)
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_shows_a_failed_rendering_and_tries_again(client, large, monkeypatch):
    users, _rencana = large
    client.force_login(users["kepala"])
    url = reverse("rencana_aksi_pdf", args=[2023])
    client.get(url)

    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint crashed")

    monkeypatch.setattr("renaksi.services.render._render_table", broken)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job = RenderDokumen.objects.get()
    assert job.status == StatusRender.FAILED and "WeasyPrint crashed" in job.pesan_galat
    assert client.get(url + "?progres=1").json()["gagal"] is True

    page = client.get(url)  # the page again: "Coba lagi" queues it anew
    assert page.status_code == 202
    assert 'role="alert">Dokumen gagal' not in page.content.decode()
    assert RenderDokumen.objects.get().status == StatusRender.QUEUED
    monkeypatch.undo()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_it_renders_a_small_plan_in_the_request(client, settings):
    settings.PDF_INLINE_ROWS = 60
    instansi = make_instansi()
    users = make_users(instansi)
    plan_generate(instansi=instansi, tahun=2023, sub_kegiatan=12)
    client.force_login(users["pemeriksa"])
    response = client.get(reverse("rencana_aksi_pdf", args=[2023]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert RenderDokumen.objects.get().status == StatusRender.DONE


def _database_url() -> str:
    """The test database as a DATABASE_URL, for another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    from urllib.parse import quote

    host = quote(db["HOST"] or "", safe="")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{quote(db['USER'] or '')}{password}@{host}{port}/{db['NAME']}"


SERVER = textwrap.dedent(
    """
    import json, os, sys, time
    from pathlib import Path
    import django
    django.setup()
    from renaksi.documents import rencana_aksi_table
    from renaksi.exports.pdf import render_pdf
    from renaksi.models import RencanaAksi

    rencana = RencanaAksi.objects.select_related("instansi").get(pk=int(sys.argv[1]))
    table = rencana_aksi_table(rencana=rencana)
    barrier = Path(sys.argv[2])
    (barrier / sys.argv[3]).touch()
    while len(list(barrier.iterdir())) < 2:  # both "servers" ask at the same moment
        time.sleep(0.01)
    result = render_pdf(table)
    print(json.dumps({"cached": result.cached, "size": len(result.content)}))
    """
)


@pytest.mark.django_db(transaction=True)
def test_it_renders_once_for_two_servers_asking_at_once(tmp_path, settings):
    """Two processes on one database and one storage ask for the same uncached PDF."""
    rencana = plan_generate(instansi=make_instansi(), tahun=2023, sub_kegiatan=12)
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    exports = tmp_path / "shared-exports"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kesbangpol.settings",
        "DATABASE_URL": _database_url(),
        "RENAKSI_EXPORT_CACHE_DIR": str(exports),
        "RENAKSI_PDF_CHUNK_ROWS": "1000",
    }
    servers = [
        subprocess.Popen(
            [sys.executable, "-c", SERVER, str(rencana.pk), str(barrier), name],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    results = []
    for server in servers:
        out, err = server.communicate(timeout=120)
        assert server.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert sorted(r["cached"] for r in results) == [False, True]
    assert results[0]["size"] == results[1]["size"]
    assert len(list(exports.glob("*.pdf"))) == 1
    assert RenderDokumen.objects.get().status == StatusRender.DONE


def test_it_cuts_a_report_only_between_blocks(db):
    instansi = make_instansi()
    rencana = plan_generate(instansi=instansi, tahun=2023, sub_kegiatan=30)
    table = laporan_table(rencana=rencana, triwulan=1)
    blocks = table_blocks(table.rows)
    assert sum(len(block) for block in blocks) == len(table.rows)
    for block in blocks:
        # A sasaran row never ends a block: it stays with the kegiatan it heads.
        assert block[-1].css != "baris-sasaran"
        spans = [cell.rowspan for cell in block[0].cells if cell.rowspan > 1]
        assert spans or block[0].css == "baris-sasaran"
    chunks = table_chunks(table, 8)
    assert [row.key for chunk in chunks for row in chunk.rows] == [row.key for row in table.rows]


@pytest.mark.django_db
@pytest.mark.parametrize(("rows", "chunk_rows"), [(27, 7), (500, 150)])
def test_it_merges_chunks_into_one_numbered_document(settings, rows, chunk_rows):
    """A plan in chunks reads like one document: header on every page, every row once,
    "Halaman X dari Y" across the whole, the signature with the last rows; and it has the
    pages of the single render, give or take the shorter last page of each chunk."""
    settings.PDF_CHUNK_ROWS = chunk_rows
    settings.PDF_PROCESSES = 2
    rencana = plan_generate(instansi=make_instansi(), tahun=2023, sub_kegiatan=rows)
    table = rencana_aksi_table(rencana=rencana)
    chunks = len(table_chunks(table, chunk_rows))
    assert chunks > 2
    content = render_table(table, paper=PAPERS["a4"])
    texts = page_texts(content)
    total = len(texts)
    settings.PDF_CHUNK_ROWS = rows + 1
    single = len(PdfReader(BytesIO(render_table(table, paper=PAPERS["a4"]))).pages)
    assert single <= total <= single + chunks - 1
    for number, text in enumerate(texts, start=1):
        assert f"Halaman {number} dari {total}" in text
        assert "SUB KEGIATAN" in text and "1 2 3 4 5 6 7 8 9 10 11" in text
        assert "TW 1 :" in text  # rows on every page: the signature never stands alone
    whole = squashed(" ".join(texts))
    for sub in SubKegiatan.objects.all():
        assert whole.count(squashed(sub.uraian)) == 1, sub.uraian
    assert whole.count(squashed("TABEL RENCANA AKSI")) == 1
    assert "TABEL RENCANA AKSI" in texts[0]
    assert whole.count(squashed("NIP. 19700101 200003 1 001")) == 1
    assert "NIP. 19700101 200003 1 001" in texts[-1]
    last_sub = SubKegiatan.objects.order_by("kegiatan__nomor", "urutan").last()
    assert squashed(last_sub.uraian) in squashed(texts[-1])
    reader = PdfReader(BytesIO(content))
    assert reader.metadata.title.startswith("TABEL RENCANA AKSI")
    assert {
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages
    } == {(842, 595)}


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [12, 40])
def test_it_answers_the_progress_page_and_json_in_constant_queries(client, settings, rows):
    """The progress page and its JSON read the same number of rows at two plan sizes."""
    from django.test.utils import CaptureQueriesContext

    settings.PDF_INLINE_ROWS = 5
    instansi = make_instansi()
    users = make_users(instansi)
    plan_generate(instansi=instansi, tahun=2023, sub_kegiatan=rows)
    client.force_login(users["kepala"])
    url = reverse("rencana_aksi_pdf", args=[2023])
    client.get(url)  # queues it
    with CaptureQueriesContext(connection) as page:
        assert client.get(url).status_code == 202
    with CaptureQueriesContext(connection) as progress:
        assert client.get(url + "?progres=1").status_code == 200
    assert (len(page), len(progress)) == (13, 8)
