"""Issue 10, item 9: the signature block is never split and never alone on a page.

The PDFs of a report and of a plan long enough to fill several pages are read page by page
(pypdf): the page with the name and NIP also has the place and date, the title, the notes and
the table's last row. The same for the browser's own print of the plan page (Chromium). The
images were looked at with ``pdftoppm -png`` while writing this.
"""

from io import BytesIO

import pytest
from pypdf import PdfReader

from renaksi.documents import laporan_table, rencana_aksi_table
from renaksi.exports.pdf import render_pdf_fresh
from renaksi.models import RencanaAksi, SubKegiatan
from renaksi.synthetic import plan_generate
from tests.factories import PASSWORD, make_instansi, make_users

SIZES = (6, 12, 14, 20)  # 14 put the signature alone on the report's last page before


def pages_of(content: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(content)).pages]


def assert_signature_whole_with_last_row(pages: list[str], rencana, *, footnote: str):
    with_nip = [i for i, text in enumerate(pages) if "NIP." in text]
    assert len(with_nip) == 1, with_nip
    page = pages[with_nip[0]]
    assert rencana.jabatan_penandatangan in page
    assert rencana.nama_penandatangan in page
    assert f"{rencana.instansi.kota}," in page
    assert footnote in page
    last = SubKegiatan.objects.filter(kegiatan__rencana=rencana).order_by(
        "-kegiatan__nomor", "-urutan"
    )[0]
    # The last row's first words (a wrapped cell breaks lines, never inside these).
    assert " ".join(last.uraian.split()[:2]) in page


@pytest.mark.django_db
@pytest.mark.parametrize("size", SIZES)
def test_the_report_pdf_keeps_the_signature_with_the_last_rows_and_notes(size):
    instansi = make_instansi()
    rencana = plan_generate(instansi=instansi, tahun=2099, sub_kegiatan=size)
    rencana = RencanaAksi.objects.select_related("instansi").get(pk=rencana.pk)
    pages = pages_of(render_pdf_fresh(laporan_table(rencana=rencana, triwulan=1)))
    assert_signature_whole_with_last_row(pages, rencana, footnote="Status: belum disetujui")


@pytest.mark.django_db
@pytest.mark.parametrize("size", SIZES)
def test_the_plan_pdf_keeps_the_signature_with_the_last_rows(size):
    instansi = make_instansi()
    rencana = plan_generate(instansi=instansi, tahun=2099, sub_kegiatan=size)
    rencana = RencanaAksi.objects.select_related("instansi").get(pk=rencana.pk)
    pages = pages_of(render_pdf_fresh(rencana_aksi_table(rencana=rencana)))
    assert_signature_whole_with_last_row(pages, rencana, footnote="")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_browser_print_of_the_plan_never_splits_the_signature(
    live_server, browser_page, artifacts_dir
):
    instansi = make_instansi()
    users = make_users(instansi)
    page = browser_page
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", users["kepala"].username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    for size in SIZES:
        rencana = plan_generate(instansi=instansi, tahun=2080 + size, sub_kegiatan=size)
        rencana = RencanaAksi.objects.select_related("instansi").get(pk=rencana.pk)
        page.goto(f"{live_server.url}/rencana-aksi/{rencana.tahun}/")
        page.emulate_media(media="print")
        content = page.pdf(format="A4", landscape=True)
        (artifacts_dir / f"rencana-aksi-print-{size}.pdf").write_bytes(content)
        assert_signature_whole_with_last_row(pages_of(content), rencana, footnote="")
