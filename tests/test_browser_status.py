"""End to end in Chromium: the admin submits TW 1, the kepala returns it, staff correct it, the
admin submits it again and the kepala approves it."""

from decimal import Decimal

import pytest

from renaksi.models import Realisasi, StatusTriwulan
from tests.helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TW1 = "/rencana-aksi/2023/tw/1/"
LAPORAN_TW1 = "/rencana-aksi/2023/tw/1/laporan/"


def status() -> str:
    found = StatusTriwulan.objects.filter(triwulan=1).first()
    return found.status if found else "diisi"


def test_quarter_is_submitted_returned_corrected_and_approved(
    live_server, new_browser_context, artifacts_dir, users, subs
):
    keuangan = subs["Penyusunan Laporan Keuangan Uji"]
    row = keuangan.row_key
    admin = new_browser_context().new_page()
    kepala = new_browser_context().new_page()
    staf = new_browser_context().new_page()
    login(admin, live_server.url, users["admin"].username)
    login(kepala, live_server.url, users["kepala"].username)
    login(staf, live_server.url, users["staf_sekretariat"].username)

    # The admin submits; the browser asks first, since unsaved input would be lost.
    admin.goto(live_server.url + TW1)
    assert "Status TW 1: Sedang diisi" in admin.locator("#status-triwulan").inner_text()
    dialogs = []
    admin.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    with admin.expect_navigation():
        admin.get_by_role("button", name="Ajukan TW 1 ke kepala").click()
    assert dialogs and "tidak dapat diubah" in dialogs[0]
    assert status() == "diajukan"
    assert "TW 1 diajukan ke kepala." in admin.locator(".messages .message.success").inner_text()
    assert admin.locator("tr[data-baris]").count() == 0
    assert admin.locator("input[type=text], textarea, input[type=file]").count() == 0
    assert admin.get_by_role("button", name="Simpan").count() == 0
    admin.screenshot(path=artifacts_dir / "status-diajukan-halaman-isian.png", full_page=True)

    # Staff who had the page open cannot save over the submission.
    staf.goto(live_server.url + TW1)
    banner = staf.locator("#status-triwulan").inner_text()
    assert "Status TW 1: Diajukan ke kepala" in banner
    assert "tidak dapat diubah oleh siapa pun" in banner
    assert staf.locator(f"input[name='{row}-nilai']").count() == 0

    # The kepala returns it; an empty note is refused and nothing changes.
    kepala.goto(live_server.url + LAPORAN_TW1)
    with kepala.expect_navigation():
        kepala.get_by_role("button", name="Kembalikan").click()
    error = kepala.locator("#catatan-salah")
    assert error.inner_text() == (
        "Tulis catatan untuk admin: apa yang harus diperbaiki sebelum diajukan lagi."
    )
    catatan = kepala.get_by_label("Catatan untuk admin")
    assert catatan.get_attribute("aria-invalid") == "true"
    assert kepala.evaluate("document.activeElement.name") == "catatan"
    assert status() == "diajukan"
    kepala.screenshot(path=artifacts_dir / "status-kembalikan-tanpa-catatan.png", full_page=True)
    catatan.fill("Realisasi laporan keuangan belum diisi.")
    with kepala.expect_navigation():
        kepala.get_by_role("button", name="Kembalikan").click()
    assert status() == "dikembalikan"
    assert "TW 1 dikembalikan" in kepala.locator(".messages .message.success").inner_text()

    # Staff see the note and can save again.
    staf.goto(live_server.url + TW1)
    banner = staf.locator("#status-triwulan").inner_text()
    assert "Status TW 1: Dikembalikan" in banner
    assert "Catatan kepala: Realisasi laporan keuangan belum diisi." in banner
    staf.screenshot(path=artifacts_dir / "status-dikembalikan-halaman-isian.png", full_page=True)
    staf.locator(f"input[name='{row}-nilai']").fill("26")
    with staf.expect_navigation():
        staf.get_by_role("button", name="Simpan").click()
    assert Realisasi.objects.get(sub_kegiatan=keuangan, triwulan=1).nilai == Decimal(26)

    # Submitted again, then approved; the report says so under the table.
    admin.goto(live_server.url + TW1)
    admin.once("dialog", lambda dialog: dialog.accept())
    with admin.expect_navigation():
        admin.get_by_role("button", name="Ajukan TW 1 ke kepala").click()
    kepala.goto(live_server.url + LAPORAN_TW1)
    kepala.screenshot(path=artifacts_dir / "status-diajukan-laporan-kepala.png", full_page=True)
    with kepala.expect_navigation():
        kepala.get_by_role("button", name="Setujui").click()
    assert status() == "disetujui"
    assert kepala.locator(".messages .message.success").inner_text() == "TW 1 disetujui."
    assert kepala.get_by_role("button", name="Setujui").count() == 0
    footer = kepala.locator(".dokumen .catatan li").first.inner_text()
    assert footer.startswith("Status: Disetujui oleh kepala-uji pada ")
    kepala.screenshot(path=artifacts_dir / "status-disetujui-laporan.png", full_page=True)
