"""End to end in Chromium: the kepala's downloads, and the 404 page for what a user may not see."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from renaksi.services import RealisasiInput, bukti_add, realisasi_save_many
from tests.factories import PASSWORD, make_instansi, make_plan, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def login(page, base_url: str, username: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    assert "/accounts/login/" not in page.url, f"login as {username} failed"


def download(page, click) -> tuple[str, bytes]:
    """Run ``click`` and return the suggested filename and content of the download it starts."""
    with page.expect_download() as info:
        click()
    result = info.value
    assert result.failure() is None, result.failure()
    return result.suggested_filename, result.path().read_bytes()


def test_kepala_downloads_plan_and_quarter_report(
    live_server, page, artifacts_dir, users, rencana, subs
):
    keuangan = subs["Penyusunan Laporan Keuangan Uji"]
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(key=keuangan.row_key, nilai=Decimal("26"))],
    )
    kode = rencana.instansi.kode
    login(page, live_server.url, users["kepala"].username)
    page.goto(live_server.url + "/rencana-aksi/2023/")
    page.screenshot(path=artifacts_dir / "kepala-rencana-aksi.png", full_page=True)

    name, content = download(page, page.get_by_role("button", name="Cetak PDF").click)
    assert name == f"rencana-aksi-{kode}-2023.pdf"
    assert content.startswith(b"%PDF")

    name, content = download(page, page.get_by_role("link", name="Unduh Excel").click)
    assert name == f"rencana-aksi-{kode}-2023.xlsx"
    workbook = load_workbook(io.BytesIO(content))
    texts = {
        cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }
    assert "Penyusunan Laporan Keuangan Uji" in texts
    assert page.url == live_server.url + "/rencana-aksi/2023/"  # the downloads left the page

    with page.expect_navigation():
        page.get_by_role("link", name="Laporan capaian TW 1").click()
    assert page.url == live_server.url + "/rencana-aksi/2023/tw/1/laporan/"
    page.screenshot(path=artifacts_dir / "kepala-laporan-tw1.png", full_page=True)
    # The quarter switcher in the page (the top bar marks "Laporan" as its current page).
    assert page.locator("main nav [aria-current=page]").inner_text() == "TW 1"
    assert (
        page.locator("table td, table th")
        .filter(has_text="Penyusunan Laporan Keuangan Uji")
        .count()
        >= 1
    )

    name, content = download(page, page.get_by_role("button", name="Cetak PDF").click)
    assert name == f"laporan-capaian-{kode}-2023-tw1.pdf"
    assert content.startswith(b"%PDF")


@pytest.fixture
def bukti_politik(users, rencana, subs):
    """An evidence file of the Bidang Politik row, TW 1."""
    politik = subs["Pemantauan Situasi Politik Uji"]
    (bukti,) = bukti_add(
        user=users["staf_politik"],
        rencana=rencana,
        triwulan=1,
        uploads={politik.row_key: [SimpleUploadedFile("notulen.pdf", PDF, "application/pdf")]},
    )
    return bukti


def test_staf_gets_indonesian_404_for_other_bidang_evidence_and_other_agency_plan(
    live_server, page, artifacts_dir, users, bukti_politik
):
    lain = make_instansi(kode="instansi-lain", nama="Badan Lain")
    make_plan(lain, tahun=2024)
    make_user("kepala-lain", lain, "kepala")

    # The owner's colleague in the same bidang may download it (the URL itself is right).
    login(page, live_server.url, users["staf_politik"].username)
    with page.expect_download() as info:
        page.evaluate("url => { location.href = url; }", f"/bukti/{bukti_politik.pk}/")
    assert info.value.suggested_filename == "notulen.pdf"
    page.context.clear_cookies()

    login(page, live_server.url, users["staf_sekretariat"].username)
    response = page.goto(live_server.url + f"/bukti/{bukti_politik.pk}/")
    page.screenshot(path=artifacts_dir / "404-bukti-bidang-lain.png", full_page=True)
    assert response.status == 404
    assert page.title() == "Tidak ditemukan · Renaksi"
    main = page.locator("main").inner_text()
    assert "Halaman tidak ditemukan" in main
    assert "Berkas bukti tidak ditemukan." in main
    assert "Kembali ke beranda" in main
    assert "notulen" not in page.content()

    # Only the other agency has a 2024 plan: the staff member's 2024 is "no plan", not theirs.
    for path in ("/rencana-aksi/2024/", "/rencana-aksi/2024/pdf/", "/rencana-aksi/2024/tw/1/"):
        response = page.goto(live_server.url + path)
        assert response.status == 404, path
        main = page.locator("main").inner_text()
        assert "Halaman tidak ditemukan" in main, path
        assert "Belum ada rencana aksi tahun 2024 untuk instansi Anda." in main, path
        assert "Badan Lain" not in page.content(), path
    page.screenshot(path=artifacts_dir / "404-rencana-instansi-lain.png", full_page=True)
