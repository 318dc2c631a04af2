"""In Chromium at a laptop's 1366×768 and a phone's 390×844: the dashboard of each role, the
quarter waiting for the kepala after the admin submits, and no page wider than the screen."""

import pytest

from tests.helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": (1366, 768), "phone": (390, 844)}
PAGES = (
    "/dasbor/2023/1/",
    "/rencana-aksi/2023/",
    "/rencana-aksi/2023/tw/1/",
    "/rencana-aksi/2023/tw/1/laporan/",
    "/rencana-aksi/2023/tw/1/formulir/",
)


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("size", SIZES)
def test_the_kepala_sees_the_submitted_quarter_and_no_page_is_wider_than_the_screen(
    live_server, new_browser_context, artifacts_dir, users, rencana, size
):
    width, height = SIZES[size]
    admin = new_browser_context().new_page()
    kepala = new_browser_context().new_page()
    for tab in (admin, kepala):
        tab.set_viewport_size({"width": width, "height": height})
    login(admin, live_server.url, users["admin"].username)
    login(kepala, live_server.url, users["kepala"].username)

    kepala.goto(live_server.url + "/")
    assert kepala.locator("h1").count() == 1
    assert "Menunggu keputusan Anda" not in kepala.content()

    admin.goto(live_server.url + "/rencana-aksi/2023/tw/1/")
    admin.once("dialog", lambda dialog: dialog.accept())
    with admin.expect_navigation():
        admin.get_by_role("button", name="Ajukan TW 1 ke kepala").click()

    kepala.goto(live_server.url + "/dasbor/2023/1/")
    waiting = kepala.locator("section.menunggu")
    assert "TW 1 diajukan oleh" in waiting.inner_text()
    kepala.screenshot(path=artifacts_dir / f"dasbor-kepala-{size}.png", full_page=True)
    with kepala.expect_navigation():
        waiting.get_by_role("link", name="Periksa TW 1").click()
    assert kepala.url.endswith("/rencana-aksi/2023/tw/1/laporan/#status-triwulan")

    for path in PAGES[:4]:
        kepala.goto(live_server.url + path)
        assert page_width(kepala) <= width, f"{path} is {page_width(kepala)} px wide at {width}"
    admin.goto(live_server.url + "/dasbor/2023/1/")
    admin.screenshot(path=artifacts_dir / f"dasbor-admin-{size}.png", full_page=True)
    for path in PAGES:
        admin.goto(live_server.url + path)
        assert page_width(admin) <= width, f"{path} is {page_width(admin)} px wide at {width}"


def test_staff_see_what_they_still_owe(live_server, browser_page, artifacts_dir, users, rencana):
    browser_page.set_viewport_size({"width": 390, "height": 844})
    login(browser_page, live_server.url, users["staf_politik"].username)
    browser_page.goto(live_server.url + "/dasbor/2023/1/")
    owed = browser_page.locator("#owed-judul").locator("xpath=..")
    assert "Pemantauan Situasi Politik Uji" in owed.inner_text()
    assert "Penyusunan Laporan Keuangan Uji" not in browser_page.content()
    assert page_width(browser_page) <= 390
    browser_page.screenshot(path=artifacts_dir / "dasbor-staf-phone.png", full_page=True)


@pytest.mark.parametrize("size", SIZES)
def test_the_kepala_sees_serapan_on_the_dashboard_and_money_in_the_report(
    live_server, browser_page, artifacts_dir, users, rencana, size
):
    from decimal import Decimal

    from renaksi.models import Realisasi, SubKegiatan
    from renaksi.services import RealisasiInput, realisasi_save_many

    subs = list(SubKegiatan.objects.filter(kegiatan__rencana=rencana).order_by("pk"))
    for sub, pagu in zip(subs, (150_000_000, 1_250_000_000, 420_500_000), strict=True):
        SubKegiatan.objects.filter(pk=sub.pk).update(pagu=pagu)
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=1,
        inputs=[
            RealisasiInput(sub.row_key, Decimal(20), kendala="Pencairan anggaran terlambat")
            for sub in subs
        ],
    )
    for sub, rupiah in zip(subs, (45_000_000, 250_000_000, 210_250_000), strict=True):
        Realisasi.objects.filter(sub_kegiatan=sub, triwulan=1).update(
            keuangan=rupiah, faktor_pendorong="Dukungan pimpinan"
        )
    width, height = SIZES[size]
    browser_page.set_viewport_size({"width": width, "height": height})
    login(browser_page, live_server.url, users["kepala"].username)
    browser_page.goto(live_server.url + "/dasbor/2023/1/")
    card = browser_page.locator("#serapan-judul").locator("xpath=..")
    assert "1.820.500.000" in card.inner_text()  # the agency's pagu
    assert card.locator("svg[role=img]").count() == 1
    assert page_width(browser_page) <= width
    browser_page.screenshot(path=artifacts_dir / f"dasbor-serapan-{size}.png", full_page=True)
    card.screenshot(path=artifacts_dir / f"dasbor-serapan-kartu-{size}.png")
    browser_page.goto(live_server.url + "/rencana-aksi/2023/tw/1/laporan/")
    lampiran = browser_page.locator("table.tabel-lampiran")
    assert "Dukungan pimpinan" in lampiran.inner_text()
    assert "JUMLAH" in lampiran.inner_text()
    assert page_width(browser_page) <= width
    browser_page.screenshot(path=artifacts_dir / f"laporan-keuangan-{size}.png", full_page=True)
    frame = browser_page.locator(".bingkai-lampiran")
    frame.screenshot(path=artifacts_dir / f"laporan-keuangan-tabel-{size}.png")
