"""End to end: the kepala logs in and sees the demo plan for 2023 in a real Chromium."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "renaksi-demo-2023"


def test_kepala_sees_rencana_aksi_2023(live_server, browser_page, artifacts_dir):
    call_command("load_demo")
    page = browser_page

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "kepala")
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    assert "/accounts/login/" not in page.url, "login as kepala failed"

    response = page.goto(live_server.url + "/rencana-aksi/2023/")
    page.screenshot(path=artifacts_dir / "rencana-aksi-2023.png", full_page=True)
    assert response is not None and response.status == 200, response and response.status

    body = page.locator("body")
    assert page.get_by_text("TABEL RENCANA AKSI").first.is_visible()
    assert "DANIEL EDUARD INDEY, S.Sos, M.Si" in body.inner_text()
    cell = page.locator("table td, table th").filter(
        has_text="Koordinasi dan Penyusunan Laporan Keuangan Akhir Tahun SKPD"
    )
    assert cell.count() >= 1
