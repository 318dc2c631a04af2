"""End to end: the agency admin brings in next year's plan from the template, in a real Chromium.

Downloads the template, fills it (as an admin would in Excel, here with openpyxl), uploads it,
checks the preview, confirms, publishes; then the kepala sees the new year in the year switcher.
Screenshots of the new pages at desktop (1366 px) and phone (390 px) widths go to test-artifacts/.
"""

import io

import openpyxl
import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "renaksi-demo-2023"
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}


def login(page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    assert "/accounts/login/" not in page.url, f"login as {username} failed"


def shots(page, artifacts_dir, name: str) -> None:
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=artifacts_dir / f"{name}-{label}.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def fill_template(content: bytes) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook["Data"]
    meta = {sheet.cell(r, 1).value: r for r in range(1, 15)}
    for key, value in {
        "TEMPAT TTD": "Ambon",
        "BULAN TTD": 2,
        "TAHUN TTD": 2030,
        "JABATAN PENANDATANGAN": "KEPALA BADAN KESATUAN BANGSA DAN POLITIK PROVINSI MALUKU",
        "NAMA PENANDATANGAN": "DANIEL EDUARD INDEY, S.Sos, M.Si",
        "PANGKAT PENANDATANGAN": "Pembina Utama Muda",
        "NIP PENANDATANGAN": "19681210 198902 1 002",
    }.items():
        sheet.cell(meta[key], 2).value = value
    header = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "JENIS BARIS")
    titles = {sheet.cell(header, c).value: c for c in range(1, 30) if sheet.cell(header, c).value}
    rows = [
        {
            "JENIS BARIS": "indikator sasaran",
            "NO SASARAN": 1,
            "SASARAN": "Meningkatnya Wawasan Kebangsaan 2030",
            "NO INDIKATOR": 1,
            "INDIKATOR KINERJA": "Indeks Wawasan Kebangsaan",
            "SATUAN": "%",
            "TARGET PERSEN": "ya",
            "ARAH": "naik",
            "METODE CAPAIAN": "kumulatif",
            "TARGET TW 1": 25,
            "TARGET TW 2": 25,
            "TARGET TW 3": 25,
            "TARGET TW 4": 25,
        },
        {
            "JENIS BARIS": "program",
            "NO PROGRAM": 1,
            "PROGRAM": "Program Penguatan Ideologi Pancasila",
        },
        {
            "JENIS BARIS": "sub kegiatan",
            "NO": 1,
            "NO SASARAN": 1,
            "NO INDIKATOR": 1,
            "NO PROGRAM": 1,
            "KEGIATAN": "Perumusan Kebijakan Teknis Ideologi",
            "NO SUB KEGIATAN": 1,
            "SUB KEGIATAN": "Sosialisasi Wawasan Kebangsaan 2030",
            "INDIKATOR KINERJA": "Jumlah peserta sosialisasi",
            "SATUAN": "Orang",
            "TARGET PERSEN": "tidak",
            "ARAH": "naik",
            "METODE CAPAIAN": "kumulatif",
            "TARGET TW 1": 100,
            "TARGET TW 2": "-",
            "TARGET TW 3": 150,
            "TARGET TW 4": None,
            "BIDANG": "Bidang Ideologi dan Wawasan Kebangsaan",
        },
    ]
    for offset, values in enumerate(rows, start=1):
        for title, value in values.items():
            sheet.cell(header + offset, titles[title]).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_admin_imports_publishes_and_kepala_sees_the_new_year(
    live_server, new_browser_context, artifacts_dir, tmp_path
):
    call_command("load_demo")
    base = live_server.url
    admin = new_browser_context().new_page()
    login(admin, base, "admin")

    admin.goto(base + "/rencana-aksi/2023/")
    with admin.expect_navigation():
        admin.get_by_role("link", name="Impor rencana aksi").click()
    shots(admin, artifacts_dir, "rencana-impor")
    with admin.expect_download() as download:
        admin.get_by_role("link", name="Unduh templat").click()
    template = tmp_path / "templat.xlsx"
    download.value.save_as(template)
    filled = tmp_path / "rencana-2030.xlsx"
    filled.write_bytes(fill_template(template.read_bytes()))

    admin.fill("input[name=tahun]", "2030")
    admin.set_input_files("input[name=berkas]", str(filled))
    with admin.expect_navigation():
        admin.get_by_role("button", name="Unggah dan periksa").click()
    assert admin.get_by_role("heading", name="Pratinjau impor rencana aksi 2030").is_visible()
    assert admin.get_by_text("1 sub kegiatan").is_visible()
    assert admin.locator("td").filter(has_text="Sosialisasi Wawasan Kebangsaan 2030").count() == 1
    shots(admin, artifacts_dir, "rencana-impor-pratinjau")

    with admin.expect_navigation():
        admin.get_by_role("button", name="Impor", exact=True).click()
    assert admin.url.endswith("/rencana-aksi/2030/")
    assert admin.locator(".draf-banner").is_visible()
    shots(admin, artifacts_dir, "rencana-draf")

    with admin.expect_navigation():
        admin.get_by_role("button", name="Terbitkan rencana aksi").click()
    assert admin.get_by_text("Rencana aksi 2030 diterbitkan.").is_visible()
    assert admin.locator(".draf-banner").count() == 0
    admin.goto(base + "/rencana-aksi/2030/riwayat/")
    assert admin.get_by_text("Diimpor dari rencana-2030.xlsx").first.is_visible()
    shots(admin, artifacts_dir, "rencana-riwayat")

    kepala = new_browser_context().new_page()
    login(kepala, base, "kepala")
    kepala.goto(base + "/rencana-aksi/2023/")
    years = kepala.get_by_role("navigation", name="Tahun rencana aksi")
    assert years.get_by_role("link", name="2030").is_visible()
    with kepala.expect_navigation():
        years.get_by_role("link", name="2030").click()
    assert kepala.get_by_text("Sosialisasi Wawasan Kebangsaan 2030").is_visible()


def test_admin_reviews_the_guessed_defaults_of_a_printed_table(
    live_server, new_browser_context, artifacts_dir, tmp_path
):
    """A table in the printed layout only (the 2023 plan's printed sheet, 30+ rows): the
    preview offers a select per guessed field and row; "apply to all", one row changed,
    "refresh preview", then Impor writes what was chosen."""
    from renaksi.exports.download import export_rencana_aksi
    from renaksi.models import RencanaAksi, SubKegiatan

    call_command("load_demo")
    source = RencanaAksi.objects.select_related("instansi").get(tahun=2023)
    workbook = openpyxl.load_workbook(io.BytesIO(export_rencana_aksi(source, fmt="xlsx").content))
    workbook.remove(workbook["Data"])
    printed = tmp_path / "rencana-tercetak.xlsx"
    workbook.save(printed)

    base = live_server.url
    admin = new_browser_context().new_page()
    login(admin, base, "admin")
    admin.goto(base + "/rencana-aksi/impor/")
    admin.fill("input[name=tahun]", "2030")
    admin.set_input_files("input[name=berkas]", str(printed))
    with admin.expect_navigation():
        admin.get_by_role("button", name="Unggah dan periksa").click()
    rows = admin.locator("table.pilihan-baris tbody tr")
    assert rows.count() >= 30
    shots(admin, artifacts_dir, "rencana-impor-pilihan")

    admin.select_option("select[name=semua-metode]", "terakhir")
    with admin.expect_navigation():
        admin.get_by_role("button", name="Terapkan ke semua baris").click()
    assert admin.locator("select[name='metode-sk-1.1']").input_value() == "terakhir"
    assert admin.locator("select[name='metode-is-1.1']").input_value() == "terakhir"
    admin.select_option("select[name='arah-sk-1.1']", "turun")
    with admin.expect_navigation():
        admin.get_by_role("button", name="Perbarui pratinjau").click()
    assert admin.locator("select[name='arah-sk-1.1']").input_value() == "turun"
    shots(admin, artifacts_dir, "rencana-impor-pilihan-diperbarui")

    terima = admin.locator("input[name=terima]")
    if terima.count():
        terima.check()
    with admin.expect_navigation():
        admin.get_by_role("button", name="Impor", exact=True).click()
    assert admin.url.endswith("/rencana-aksi/2030/")
    subs = SubKegiatan.objects.filter(kegiatan__rencana__tahun=2030)
    assert set(subs.values_list("metode_capaian", flat=True)) == {"terakhir"}
    assert subs.get(kegiatan__nomor=1, urutan=1).arah == "turun"
