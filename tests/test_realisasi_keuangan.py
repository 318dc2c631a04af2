"""Realisasi keuangan (rupiah spent in a quarter) and the faktor pendorong note, on every input
path: the entry page, the spreadsheet form and the service. The same typed amounts must read the
same on the page and in the spreadsheet; fractions and negatives are refused on both with nothing
saved; every save is a version with its history; a stale page conflicts on money as on values."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from renaksi.exports.cells import RUPIAH_FORMAT
from renaksi.models import IndikatorSasaran, Realisasi, RealisasiRiwayat, SubKegiatan, Sumber
from renaksi.services import RealisasiInput, realisasi_save_many
from tests.helpers import COLUMNS, fill, form_fields, load, sheet_rows, snapshot

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LAPORAN = "Penyusunan Laporan Keuangan Uji"  # Sekretariat
PERALATAN = "Penyediaan Peralatan Kantor Uji"  # Sekretariat

# What people type for one million two hundred fifty thousand rupiah.
TYPED_AS_1_250_000 = [
    "Rp 1.250.000",
    "Rp1.250.000",
    "rp. 1.250.000",
    "1.250.000",
    "1250000",
    "1 250 000",
    "1.250.000,00",
    " 1250000 ",
    "1,250,000",  # commas used more than once can only group thousands
]
# Refused amounts and (part of) the message each must be answered with.
REFUSED = [
    ("1.250.000,50", "tanpa sen"),
    ("12,5", "tanpa sen"),
    ("-5.000", "tidak boleh negatif"),
    ("-1", "tidak boleh negatif"),
    ("satu juta", "angka rupiah"),
    ("1.250,000", "angka rupiah"),  # zero cents have at most two digits: a slip
    ("9" * 16, "terlalu besar"),
]


def entry_url(n: int = 1) -> str:
    return reverse("realisasi_form", kwargs={"tahun": 2023, "triwulan": n})


def unggah_url(n: int = 1) -> str:
    return reverse("formulir_unggah", args=[2023, n])


def stored(sub, triwulan: int = 1) -> Realisasi | None:
    return Realisasi.objects.filter(sub_kegiatan=sub, triwulan=triwulan).first()


def download(client, user) -> bytes:
    client.force_login(user)
    response = client.get(reverse("formulir_unduh", args=[2023, 1]))
    assert response.status_code == 200
    return response.content


def upload(client, content: bytes):
    return client.post(
        unggah_url(), {"berkas": SimpleUploadedFile("formulir.xlsx", content, content_type=XLSX)}
    )


@pytest.fixture
def laporan(subs):
    return subs[LAPORAN]


# --- One reader: the page and the spreadsheet read the same amounts alike -----------------------


@pytest.mark.parametrize("typed", TYPED_AS_1_250_000)
def test_it_reads_an_amount_on_the_page(client, users, laporan, typed):
    data = load(client, users["staf_sekretariat"])
    data[f"{laporan.row_key}-keuangan"] = typed
    assert client.post(entry_url(), data).status_code == 302
    assert stored(laporan).keuangan == 1_250_000


@pytest.mark.parametrize("typed", [*TYPED_AS_1_250_000, 1_250_000, 1_250_000.0])
def test_it_reads_an_amount_in_the_spreadsheet(client, users, laporan, typed):
    staf = users["staf_sekretariat"]
    filled = fill(download(client, staf), {laporan.row_key: {"keuangan": typed}})
    response = upload(client, filled)
    assert response.status_code == 200
    (change,) = response.context["changes"]
    assert change.new.keuangan == 1_250_000
    assert "Rp 1.250.000" in response.content.decode()  # the preview shows old → new
    client.post(unggah_url(), {"payload": response.context["payload"]})
    assert stored(laporan).keuangan == 1_250_000


@pytest.mark.parametrize(("typed", "message"), REFUSED)
def test_it_refuses_a_bad_amount_on_the_page_saving_nothing(client, users, laporan, typed, message):
    before = snapshot()
    data = load(client, users["staf_sekretariat"])
    data[f"{laporan.row_key}-nilai"] = "20"  # a good value beside it is not saved either
    data[f"{laporan.row_key}-keuangan"] = typed
    response = client.post(entry_url(), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Belum tersimpan" in html
    assert f'id="{laporan.row_key}-keuangan-salah"' in html
    # What the user typed is shown again, to be corrected.
    assert form_fields(response)[f"{laporan.row_key}-keuangan"] == typed
    assert snapshot() == before
    assert stored(laporan) is None


@pytest.mark.parametrize(
    ("typed", "message"), [*REFUSED, (-5000, "tidak boleh negatif"), (12.5, "tanpa sen")]
)
def test_it_refuses_a_bad_amount_in_the_spreadsheet_saving_nothing(
    client, users, laporan, typed, message
):
    before = snapshot()
    staf = users["staf_sekretariat"]
    content = download(client, staf)
    row = sheet_rows(content)[laporan.row_key]
    filled = fill(content, {laporan.row_key: {"realisasi": 20, "keuangan": typed}})
    response = upload(client, filled)
    assert response.status_code == 200
    text = "\n".join(response.context["errors"])
    letter = get_column_letter(COLUMNS["keuangan"])
    assert (
        f'Lembar "Formulir", baris {row}, kolom {letter} (REALISASI KEUANGAN TW 1 (Rp)): ' in text
    )
    assert message in text
    assert not response.context.get("payload")
    assert snapshot() == before


def test_it_refuses_a_formula_for_an_amount(client, users, laporan):
    content = fill(
        download(client, users["staf_sekretariat"]), {laporan.row_key: {"keuangan": "=1+1"}}
    )
    response = upload(client, content)
    assert "berisi rumus" in "\n".join(response.context["errors"])


# --- Versions, history, no-change ----------------------------------------------------------------


def test_it_versions_money_and_keeps_it_in_the_history(client, users, laporan):
    data = load(client, users["staf_sekretariat"])
    data[f"{laporan.row_key}-keuangan"] = "1.000.000"
    data[f"{laporan.row_key}-faktor_pendorong"] = "Dukungan pimpinan"
    assert client.post(entry_url(), data).status_code == 302
    row = stored(laporan)
    assert (row.nilai, row.keuangan, row.faktor_pendorong, row.versi) == (
        None,
        1_000_000,
        "Dukungan pimpinan",
        1,
    )

    data = load(client, users["staf_sekretariat"])
    assert data[f"{laporan.row_key}-keuangan"] == "1.000.000"  # shown grouped, read back alike
    # Posting the page untouched changes nothing: no new version.
    client.post(entry_url(), data)
    assert stored(laporan).versi == 1

    data[f"{laporan.row_key}-keuangan"] = "1500000"
    assert client.post(entry_url(), data).status_code == 302
    history = RealisasiRiwayat.objects.filter(realisasi=row).order_by("versi")
    assert [(h.versi, h.keuangan, h.faktor_pendorong, h.sumber) for h in history] == [
        (1, 1_000_000, "Dukungan pimpinan", Sumber.WEB),
        (2, 1_500_000, "Dukungan pimpinan", Sumber.WEB),
    ]

    # Emptying the amount is a change too (not reported is not 0).
    data = load(client, users["staf_sekretariat"])
    data[f"{laporan.row_key}-keuangan"] = ""
    assert client.post(entry_url(), data).status_code == 302
    assert (stored(laporan).keuangan, stored(laporan).versi) == (None, 3)


def test_it_saves_money_from_the_spreadsheet_as_a_version_of_its_source(client, users, laporan):
    realisasi_save_many(
        user=users["admin"],
        rencana=laporan.kegiatan.rencana,
        triwulan=1,
        inputs=[RealisasiInput(laporan.row_key, Decimal(20), keuangan=100)],
    )
    staf = users["staf_sekretariat"]
    filled = fill(download(client, staf), {laporan.row_key: {"keuangan": 2_500_000}})
    response = upload(client, filled)
    client.post(unggah_url(), {"payload": response.context["payload"]})
    row = stored(laporan)
    assert (row.nilai, row.keuangan, row.versi) == (Decimal(20), 2_500_000, 2)
    assert list(row.riwayat.order_by("versi").values_list("keuangan", "sumber")) == [
        (100, Sumber.WEB),
        (2_500_000, Sumber.FORMULIR),
    ]


# --- Conflicts -----------------------------------------------------------------------------------


def test_it_detects_a_conflict_on_money_alone(users, laporan):
    staff, admin = Client(), Client()
    staff_data = load(staff, users["staf_sekretariat"])
    admin_data = load(admin, users["admin"])
    admin_data[f"{laporan.row_key}-keuangan"] = "2.000.000"
    assert admin.post(entry_url(), admin_data).status_code == 302

    staff_data[f"{laporan.row_key}-keuangan"] = "3.000.000"
    response = staff.post(entry_url(), staff_data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Belum tersimpan: 1 baris sudah diubah orang lain" in html
    assert "Realisasi keuangan tersimpan: Rp 2.000.000." in html
    assert stored(laporan).keuangan == 2_000_000
    fields = form_fields(response)
    assert fields[f"{laporan.row_key}-keuangan"] == "3.000.000"  # the user's input kept
    assert fields[f"initial-{laporan.row_key}-keuangan"] == "2.000.000"  # against what is stored

    assert staff.post(entry_url(), fields).status_code == 302
    assert (stored(laporan).keuangan, stored(laporan).versi) == (3_000_000, 2)


def test_it_refuses_a_stale_spreadsheet_on_money(client, users, laporan):
    staf = users["staf_sekretariat"]
    content = download(client, staf)
    realisasi_save_many(
        user=users["admin"],
        rencana=laporan.kegiatan.rencana,
        triwulan=1,
        inputs=[RealisasiInput(laporan.row_key, None, keuangan=7)],
    )
    response = upload(client, fill(content, {laporan.row_key: {"keuangan": 8}}))
    assert [c.conflict for c in response.context["changes"]] == [True]


# --- Sasaran rows have no money -------------------------------------------------------------------


def test_it_gives_sasaran_rows_no_money_field(client, users, rencana):
    data = load(client, users["admin"])
    indikator = IndikatorSasaran.objects.filter(sasaran__rencana=rencana).first()
    assert f"{indikator.row_key}-keuangan" not in data
    # Posted anyway, it is not read: nothing changes.
    data[f"{indikator.row_key}-keuangan"] = "5000"
    client.post(entry_url(), data)
    assert not Realisasi.objects.filter(indikator_sasaran=indikator).exists()


def test_the_service_refuses_money_on_a_sasaran_row(users, rencana):
    indikator = IndikatorSasaran.objects.filter(sasaran__rencana=rencana).first()
    with pytest.raises(ValidationError, match="sub kegiatannya"):
        realisasi_save_many(
            user=users["admin"],
            rencana=rencana,
            triwulan=1,
            inputs=[RealisasiInput(indikator.row_key, None, keuangan=5)],
        )
    assert not Realisasi.objects.exists()


def test_it_refuses_money_typed_on_a_sasaran_row_of_the_spreadsheet(client, users, rencana):
    indikator = IndikatorSasaran.objects.filter(sasaran__rencana=rencana).first()
    content = fill(download(client, users["admin"]), {indikator.row_key: {"keuangan": 5}})
    response = upload(client, content)
    assert "sub kegiatannya" in "\n".join(response.context["errors"])


# --- What the page and the form show beside the field ---------------------------------------------


def test_it_shows_pagu_and_the_quarters_anggaran_kas_when_set(client, users, subs):
    SubKegiatan.objects.filter(pk=subs[LAPORAN].pk).update(
        pagu=120_000_000, kas_tw1=30_000_000, kas_tw2=40_000_000
    )
    client.force_login(users["staf_sekretariat"])
    html = client.get(entry_url(2)).content.decode()
    assert "Pagu: Rp 120.000.000" in html
    assert "Anggaran kas TW 2: Rp 40.000.000" in html
    assert "30.000.000" not in html  # another quarter's kas
    # A row without pagu shows none.
    assert html.count("Pagu: Rp") == 1


def test_it_writes_money_as_rupiah_numbers_in_the_spreadsheet(client, users, subs):
    laporan = subs[LAPORAN]
    SubKegiatan.objects.filter(pk=laporan.pk).update(pagu=120_000_000, kas_tw1=30_000_000)
    realisasi_save_many(
        user=users["admin"],
        rencana=laporan.kegiatan.rencana,
        triwulan=1,
        inputs=[
            RealisasiInput(laporan.row_key, None, keuangan=29_500_000, faktor_pendorong="=1+1")
        ],
    )
    content = download(client, users["staf_sekretariat"])
    sheet = load_workbook(io.BytesIO(content))["Formulir"]
    row = sheet_rows(content)[laporan.row_key]
    for key, value in (("pagu", 120_000_000), ("kas", 30_000_000), ("keuangan", 29_500_000)):
        cell = sheet.cell(row=row, column=COLUMNS[key])
        assert (cell.value, cell.data_type, cell.number_format) == (value, "n", RUPIAH_FORMAT)
    note = sheet.cell(row=row, column=COLUMNS["faktor_pendorong"])
    assert (note.value, note.data_type) == ("=1+1", "s")  # text, never a formula
    # Uploaded untouched, nothing changes.
    response = upload(client, content)
    assert response.context["changes"] == []


def test_it_carries_the_faktor_pendorong_from_the_spreadsheet(client, users, laporan):
    staf = users["staf_sekretariat"]
    filled = fill(download(client, staf), {laporan.row_key: {"faktor_pendorong": "Rapat rutin"}})
    response = upload(client, filled)
    assert "Rapat rutin" in response.content.decode()
    client.post(unggah_url(), {"payload": response.context["payload"]})
    assert stored(laporan).faktor_pendorong == "Rapat rutin"
    assert stored(laporan).riwayat.get().faktor_pendorong == "Rapat rutin"
