"""End to end in Chromium: reporting a quarter's realisation on the entry page.

Keyboard-only entry, invalid input kept on screen, and a conflict between two users.
"""

from decimal import Decimal

import pytest

from renaksi.models import Realisasi
from tests.helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TW1 = "/rencana-aksi/2023/tw/1/"


@pytest.fixture
def keuangan(subs):
    return subs["Penyusunan Laporan Keuangan Uji"]  # Sekretariat; TW 1 target 26 %


@pytest.fixture
def peralatan(subs):
    return subs["Penyediaan Peralatan Kantor Uji"]  # Sekretariat; no TW 1 target


def focused(page) -> str:
    """The name of the focused form field, or the text of a focused button."""
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return e.name || (e.textContent || '').trim() || e.tagName; }"
    )


def stored(sub) -> Realisasi | None:
    return Realisasi.objects.filter(sub_kegiatan=sub, triwulan=1).first()


def test_staf_reports_quarter_with_keyboard_only(
    live_server, page, artifacts_dir, users, keuangan, peralatan
):
    login(page, live_server.url, users["staf_sekretariat"].username)
    page.goto(live_server.url + TW1)
    row1, row2 = keuangan.row_key, peralatan.row_key
    # Staff see only the sub kegiatan of their bidang, in plan order.
    assert page.locator("tr[data-baris]").evaluate_all("rows => rows.map(r => r.id)") == [
        row1,
        row2,
    ]

    page.locator(f"input[name='{row1}-nilai']").focus()
    assert focused(page) == f"{row1}-nilai"
    # Within a row: realisasi → realisasi keuangan → KET → FAKTOR PENDORONG → KENDALA →
    # TINDAK LANJUT → bukti dukung (file), then the next row's realisasi; after the last row,
    # the Simpan button.
    typed = {
        f"{row1}-nilai": "26,5",
        f"{row1}-keuangan": "Rp 1.250.000",
        f"{row1}-ket": "Laporan Januari-Maret selesai",
        f"{row1}-faktor_pendorong": "Dukungan pimpinan",
        f"{row1}-kendala": "Data SKPD terlambat",
        f"{row1}-tindak_lanjut": "Surat pengingat ke SKPD",
        f"{row1}-bukti": None,
        f"{row2}-nilai": "40",
        f"{row2}-keuangan": None,
        f"{row2}-ket": "Pengadaan tahap awal",
        f"{row2}-faktor_pendorong": None,
        f"{row2}-kendala": None,
        f"{row2}-tindak_lanjut": None,
        f"{row2}-bukti": None,
    }
    order = []
    for name, text in typed.items():
        order.append(focused(page))
        assert order[-1] == name, f"Tab order so far: {order}"
        if text is not None:
            page.keyboard.type(text)
        page.keyboard.press("Tab")
    assert focused(page) == "Simpan"
    page.screenshot(path=artifacts_dir / "realisasi-keyboard-diisi.png", full_page=True)

    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.screenshot(path=artifacts_dir / "realisasi-keyboard-tersimpan.png", full_page=True)
    assert page.url == live_server.url + TW1
    success = page.locator(".messages .message.success")
    assert success.inner_text() == "Realisasi TW 1 tersimpan: 2 baris, 0 berkas bukti."

    page.reload()
    assert page.locator(f"input[name='{row1}-nilai']").input_value() == "26,5"
    assert page.locator(f"input[name='{row1}-keuangan']").input_value() == "1.250.000"
    assert page.locator(f"textarea[name='{row1}-kendala']").input_value() == "Data SKPD terlambat"
    assert page.locator(f"input[name='{row2}-nilai']").input_value() == "40"
    assert page.locator(f"textarea[name='{row2}-kendala']").input_value() == ""
    saved_by = page.locator(f"#{row1} td.k-disimpan").inner_text()
    assert users["staf_sekretariat"].username in saved_by

    first, second = stored(keuangan), stored(peralatan)
    assert (first.nilai, first.keuangan, first.faktor_pendorong) == (
        Decimal("26.5"),
        1_250_000,
        "Dukungan pimpinan",
    )
    assert (first.ket, first.kendala, first.tindak_lanjut) == (
        "Laporan Januari-Maret selesai",
        "Data SKPD terlambat",
        "Surat pengingat ke SKPD",
    )
    assert first.diubah_oleh == users["staf_sekretariat"]
    assert first.versi == 1
    assert (second.nilai, second.keuangan) == (Decimal("40"), None)
    assert (second.ket, second.kendala, second.tindak_lanjut) == ("Pengadaan tahap awal", "", "")
    assert Realisasi.objects.count() == 2


def test_invalid_value_is_shown_beside_its_row_and_nothing_is_saved(
    live_server, page, artifacts_dir, users, keuangan, peralatan
):
    login(page, live_server.url, users["staf_sekretariat"].username)
    page.goto(live_server.url + TW1)
    row1, row2 = keuangan.row_key, peralatan.row_key

    page.locator(f"input[name='{row1}-nilai']").fill("2x")
    page.locator(f"textarea[name='{row1}-ket']").fill("Huruf salah ketik")
    page.locator(f"input[name='{row2}-nilai']").fill("40,25")
    with page.expect_navigation():
        page.locator(f"input[name='{row2}-nilai']").press("Enter")
    page.screenshot(path=artifacts_dir / "realisasi-salah.png", full_page=True)

    summary = page.locator("#ringkasan-masalah")
    assert "Belum tersimpan: periksa 1 baris bertanda merah." in summary.inner_text()
    # The summary takes the focus, so a keyboard or screen reader user starts there.
    assert page.evaluate("document.activeElement.id") == "ringkasan-masalah"
    assert summary.get_by_role("link").inner_text() == "Penyusunan Laporan Keuangan Uji"
    bad_row = page.locator(f"tr#{row1}")
    assert "salah" in bad_row.get_attribute("class").split()
    error = page.locator(f"#{row1}-nilai-salah")
    assert error.inner_text() == "Realisasi harus berupa angka, misalnya 26,5."
    assert error.is_visible()
    nilai = page.locator(f"input[name='{row1}-nilai']")
    assert nilai.get_attribute("aria-invalid") == "true"
    # What the user typed is still there, in both rows.
    assert nilai.input_value() == "2x"
    assert page.locator(f"textarea[name='{row1}-ket']").input_value() == "Huruf salah ketik"
    assert page.locator(f"input[name='{row2}-nilai']").input_value() == "40,25"
    assert page.locator(f"#{row2}-nilai-salah").count() == 0
    assert "salah" not in (page.locator(f"tr#{row2}").get_attribute("class") or "").split()

    assert not Realisasi.objects.exists()


def test_conflict_between_two_users_keeps_the_second_input_until_simpan_again(
    live_server, new_browser_context, artifacts_dir, users, keuangan
):
    row = keuangan.row_key
    admin_context, staf_context = new_browser_context(), new_browser_context()
    admin, staf = admin_context.new_page(), staf_context.new_page()
    login(admin, live_server.url, users["admin"].username)
    login(staf, live_server.url, users["staf_sekretariat"].username)
    admin.goto(live_server.url + TW1)
    staf.goto(live_server.url + TW1)

    admin.locator(f"input[name='{row}-nilai']").fill("30")
    admin.locator(f"textarea[name='{row}-ket']").fill("Catatan admin")
    staf.locator(f"input[name='{row}-nilai']").fill("35,5")
    staf.locator(f"textarea[name='{row}-ket']").fill("Catatan staf")

    with admin.expect_navigation():
        admin.get_by_role("button", name="Simpan").click()
    assert "tersimpan: 1 baris" in admin.locator(".messages .message.success").inner_text()
    first = stored(keuangan)
    assert (first.nilai, first.ket, first.diubah_oleh, first.versi) == (
        Decimal("30"),
        "Catatan admin",
        users["admin"],
        1,
    )

    with staf.expect_navigation():
        staf.get_by_role("button", name="Simpan").click()
    staf.screenshot(path=artifacts_dir / "realisasi-konflik.png", full_page=True)
    assert staf.locator(".messages").count() == 0
    summary = staf.locator("#ringkasan-masalah").inner_text()
    assert "Belum tersimpan: 1 baris sudah diubah orang lain" in summary
    assert "konflik" in staf.locator(f"tr#{row}").get_attribute("class").split()
    conflict = staf.locator(f"#{row} .pesan-konflik").inner_text()
    assert f"Sudah diubah oleh {users['admin'].username} pada " in conflict
    assert "nilai tersimpan 30%" in conflict
    assert "Isian Anda belum disimpan; tekan Simpan lagi untuk menimpanya." in conflict
    assert "Keterangan tersimpan: Catatan admin" in conflict
    # The staff member's input stays on screen; nothing of it is stored.
    assert staf.locator(f"input[name='{row}-nilai']").input_value() == "35,5"
    assert staf.locator(f"textarea[name='{row}-ket']").input_value() == "Catatan staf"
    again = stored(keuangan)
    assert (again.nilai, again.ket, again.diubah_oleh, again.versi) == (
        Decimal("30"),
        "Catatan admin",
        users["admin"],
        1,
    )

    with staf.expect_navigation():
        staf.get_by_role("button", name="Simpan").click()
    staf.screenshot(path=artifacts_dir / "realisasi-konflik-ditimpa.png", full_page=True)
    assert staf.locator(".messages .message.success").inner_text() == (
        "Realisasi TW 1 tersimpan: 1 baris, 0 berkas bukti."
    )
    assert staf.locator(f"input[name='{row}-nilai']").input_value() == "35,5"
    last = stored(keuangan)
    assert (last.nilai, last.ket, last.diubah_oleh, last.versi) == (
        Decimal("35.5"),
        "Catatan staf",
        users["staf_sekretariat"],
        2,
    )


COVERED = """() => {
  const field = document.activeElement.getBoundingClientRect();
  const bar = document.querySelector('.aksi-simpan').getBoundingClientRect();
  const row = document.activeElement.closest('tr');
  const title = row ? row.querySelector('.k-uraian').getBoundingClientRect() : null;
  const target = row ? row.querySelector('.k-angka').getBoundingClientRect() : null;
  return {
    underBar: field.bottom > bar.top && field.top < bar.bottom,
    offScreen: field.top < 0 || field.bottom > window.innerHeight,
    underTitle: title !== null && field.left < title.right - 1 && field !== title,
    targetHidden: target !== null && (target.right > window.innerWidth || target.left < 0),
  };
}"""


def test_tabbing_never_puts_a_field_under_the_save_bar(
    live_server, browser_page, artifacts_dir, users, instansi
):
    """At a laptop's 1366×768 a staff member tabs through many rows' fields."""
    from renaksi.synthetic import plan_generate

    plan_generate(instansi=instansi, tahun=2023, sub_kegiatan=30)
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, live_server.url, users["admin"].username)
    page.goto(live_server.url + TW1)
    page.locator("tr[data-baris] input[type=text]").first.focus()
    checked = 0
    for _press in range(80):
        page.keyboard.press("Tab")
        if not page.evaluate("() => !!document.activeElement.closest('tr[data-baris]')"):
            continue
        state = page.evaluate(COVERED)
        name = focused(page)
        assert not state["underBar"], f"{name} lies under the Save bar"
        assert not state["offScreen"], f"{name} is off screen"
        assert not state["underTitle"], f"{name} lies under the sticky NO/URAIAN"
        checked += 1
    assert checked > 40
    page.screenshot(path=artifacts_dir / "realisasi-tab-desktop.png")
