"""Realisation by spreadsheet: the "Unduh formulir" download and the "Unggah formulir" upload."""

import io
import struct
import zipfile
from datetime import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from renaksi import selectors
from renaksi.formulir import FormulirInvalid, formulir_read, render_formulir
from renaksi.formulir.read import MAX_BYTES
from renaksi.formulir.spec import FILL_KEYS, FORM_FORMAT, HEADER_ROW, column_titles
from renaksi.models import (
    CATATAN,
    IndikatorSasaran,
    Peran,
    Realisasi,
    RealisasiRiwayat,
    SubKegiatan,
)
from renaksi.permissions import rencana_for_entry
from renaksi.services import (
    RealisasiInput,
    realisasi_save_many,
    triwulan_ajukan,
    triwulan_kembalikan,
    triwulan_setujui,
)
from renaksi.spreadsheets import CFB_MAGIC
from renaksi.synthetic import plan_generate
from tests.factories import make_instansi, make_outsider, make_plan, make_user
from tests.helpers import (
    COLUMNS,
    DELI_SERDANG,
    LAPORAN,
    PERALATAN,
    POLITIK,
    fill,
    sheet_rows,
    snapshot,
)

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# -- fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def stored(rencana, users, subs):
    """A realisation saved from the page before the form is downloaded."""
    realisasi_save_many(
        user=users["staf_sekretariat"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(subs[LAPORAN].row_key, Decimal(20), ket="Awal")],
    )
    return Realisasi.objects.get(sub_kegiatan=subs[LAPORAN], triwulan=1)


def unduh_url(tahun=2023, triwulan=1):
    return reverse("formulir_unduh", args=[tahun, triwulan])


def unggah_url(tahun=2023, triwulan=1):
    return reverse("formulir_unggah", args=[tahun, triwulan])


def download(client, user, tahun=2023, triwulan=1) -> bytes:
    client.force_login(user)
    response = client.get(unduh_url(tahun, triwulan))
    assert response.status_code == 200, response.content[:500]
    return response.content


def upload(client, content: bytes, tahun=2023, triwulan=1, name="formulir.xlsx"):
    return client.post(
        unggah_url(tahun, triwulan),
        {"berkas": SimpleUploadedFile(name, content, content_type=XLSX)},
    )


# -- download -----------------------------------------------------------------------------------


def test_it_requires_login(client, rencana):
    for url in (unduh_url(), unggah_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_it_gives_staff_the_rows_of_their_bidang(client, users, subs, stored):
    client.force_login(users["staf_sekretariat"])
    response = client.get(unduh_url())
    content = response.content
    assert response["Content-Type"] == XLSX
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="formulir-realisasi-kesbangpol-uji-2023-tw1.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Formulir"]
    title = " ".join(str(sheet.cell(row=r, column=1).value) for r in range(1, HEADER_ROW))
    for text in ("FORMULIR REALISASI", "BADAN KESBANGPOL UJI", "TAHUN 2023", "TW 1"):
        assert text in title
    assert "staf-sekretariat-uji" in title and "Sekretariat" in title
    header = [cell.value for cell in sheet[HEADER_ROW]]
    assert header[:2] == ["KUNCI", "VERSI"]
    assert header[8:11] == ["TARGET TW 1", "TARGET S.D. TW 1", "REALISASI TW 1"]
    assert header[11:] == [
        "PAGU (Rp)",
        "ANGGARAN KAS TW 1 (Rp)",
        "REALISASI KEUANGAN TW 1 (Rp)",
        "KETERANGAN",
        "FAKTOR PENDORONG",
        "KENDALA",
        "TINDAK LANJUT",
    ]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=HEADER_ROW + 1)]
    assert [row[0] for row in rows] == [subs[LAPORAN].row_key, subs[PERALATAN].row_key]
    laporan = rows[0]
    # key, versi, NO, jenis, bidang, uraian, indikator, satuan, target, cumulative, filled in
    assert laporan[:11] == [
        subs[LAPORAN].row_key,
        1,
        1,
        "Sub kegiatan",
        "Sekretariat",
        LAPORAN,
        "Jumlah laporan keuangan",
        "Bulan",
        26,
        26,
        20,
    ]
    # No pagu, anggaran kas or rupiah in this plan: empty money cells, then the notes.
    assert laporan[11:15] == [None, None, None, "Awal"]
    # Nothing stored yet, no target in TW 1: version 0, empty target and realisation.
    assert rows[1][1] == 0 and rows[1][8] is None and rows[1][10] is None


def test_it_gives_admin_every_row_including_sasaran(client, users, rencana, subs):
    content = download(client, users["admin"], triwulan=2)
    keys = list(sheet_rows(content))
    naik, turun = IndikatorSasaran.objects.order_by("sasaran__urutan")
    assert keys == [
        naik.row_key,
        subs[LAPORAN].row_key,
        subs[PERALATAN].row_key,
        turun.row_key,
        subs[POLITIK].row_key,
    ]
    sheet = load_workbook(io.BytesIO(content))["Formulir"]
    politik = sheet_rows(content)[subs[POLITIK].row_key]
    # TW 2 target 43, to date 57 + 43.
    assert sheet.cell(row=politik, column=COLUMNS["target"]).value == 43
    assert sheet.cell(row=politik, column=COLUMNS["target_kumulatif"]).value == 100


def test_it_locks_the_key_columns_and_validates_the_realisation(client, users, rencana):
    content = download(client, users["admin"])
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Formulir"]
    first = HEADER_ROW + 1
    assert sheet.protection.sheet
    assert sheet.cell(row=first, column=1).protection.locked
    assert sheet.cell(row=first, column=2).protection.locked
    # The first row is an indikator sasaran: it has no money to fill; the next is a sub kegiatan.
    for name in FILL_KEYS:
        locked = sheet.cell(row=first, column=COLUMNS[name]).protection.locked
        assert locked == (name == "keuangan"), name
        assert not sheet.cell(row=first + 1, column=COLUMNS[name]).protection.locked
    for name in ("pagu", "kas"):
        assert sheet.cell(row=first + 1, column=COLUMNS[name]).protection.locked
    rules = {
        (dv.type, dv.operator, dv.formula1, dv.formula2): str(dv.sqref)
        for dv in sheet.data_validations.dataValidation
    }
    # Every target of the test plan is in percent: 0 to 100 on all five rows; rupiah are whole
    # and ≥ 0 on the three sub kegiatan rows (N), not on the two sasaran rows.
    assert rules == {
        ("decimal", "between", "0", "100"): f"K{first}:K{first + 4}",
        ("whole", "greaterThanOrEqual", "0", None): f"N{first + 1}:N{first + 2} N{first + 4}",
    }
    meta = workbook["Info"]
    assert meta.sheet_state == "hidden"
    assert {row[0]: row[1] for row in meta.iter_rows(values_only=True)} == {
        "jenis": "renaksi-formulir-realisasi",
        "format": str(FORM_FORMAT),
        "instansi": "kesbangpol-uji",
        "tahun": "2023",
        "triwulan": "1",
        "baris_judul": str(HEADER_ROW),
    }


def test_it_keeps_formula_looking_text_literal(client, users, rencana, subs):
    evil = {
        LAPORAN: '=HYPERLINK("http://contoh.invalid","klik")',
        PERALATAN: "+62 811 0000",
        POLITIK: "@SUM(A1:A9)",
    }
    for name, text in evil.items():
        SubKegiatan.objects.filter(pk=subs[name].pk).update(uraian=text)
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=1,
        inputs=[
            RealisasiInput(subs[POLITIK].row_key, None, ket="-1 dari target", kendala="\t=1+1")
        ],
    )
    content = download(client, users["admin"])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
    sheet = load_workbook(io.BytesIO(content))["Formulir"]
    rows = sheet_rows(content)
    for name, text in evil.items():
        cell = sheet.cell(row=rows[subs[name].row_key], column=6)
        assert (cell.value, cell.data_type) == (text, "s")
    politik = rows[subs[POLITIK].row_key]
    assert sheet.cell(row=politik, column=COLUMNS["ket"]).value == "-1 dari target"
    assert sheet.cell(row=politik, column=COLUMNS["kendala"]).data_type == "s"
    # Uploaded again untouched, the literal texts read back as they were: nothing changes.
    response = upload(client, content)
    assert response.status_code == 200
    assert response.context["changes"] == []
    assert "Tidak ada perubahan" in response.content.decode()


@pytest.mark.parametrize("role", ["kepala", "pemeriksa"])
def test_it_refuses_read_only_roles(client, users, rencana, role):
    client.force_login(users[role])
    assert client.get(unduh_url()).status_code == 403
    assert client.get(unggah_url()).status_code == 403
    response = client.post(unggah_url(), {"berkas": SimpleUploadedFile("f.xlsx", b"x")})
    assert response.status_code == 403


def test_it_hides_another_agencys_plan(client, rencana):
    client.force_login(make_outsider().admin)
    assert client.get(unduh_url()).status_code == 404
    assert client.get(unggah_url()).status_code == 404


def test_it_gives_404_for_a_quarter_outside_1_to_4(client, users, rencana):
    client.force_login(users["admin"])
    assert client.get("/rencana-aksi/2023/tw/5/formulir.xlsx").status_code == 404


# -- upload: the round trip ---------------------------------------------------------------------


def test_it_previews_then_saves_the_filled_form(client, users, subs, stored):
    staf = users["staf_sekretariat"]
    content = download(client, staf)
    filled = fill(
        content,
        {
            subs[LAPORAN].row_key: {"realisasi": "26,5", "ket": "Tepat waktu"},
            subs[PERALATAN].row_key: {"kendala": "Anggaran terlambat"},
        },
    )
    client.force_login(staf)
    response = upload(client, filled)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<span class="lama">20%</span> → <span class="baru">26,5%</span>' in html
    assert '<span class="lama">Awal</span> → <span class="baru">Tepat waktu</span>' in html
    assert "Anggaran terlambat" in html
    assert "Simpan perubahan" in html
    changes = response.context["changes"]
    assert [(c.new.key, c.new.nilai, c.new.versi) for c in changes] == [
        (subs[LAPORAN].row_key, Decimal("26.5"), 1),
        (subs[PERALATAN].row_key, None, 0),
    ]
    # Nothing saved by the preview.
    assert Realisasi.objects.get(pk=stored.pk).nilai == Decimal(20)

    response = client.post(unggah_url(), {"payload": response.context["payload"]}, follow=True)
    assert "2 baris realisasi TW 1 disimpan dari formulir." in response.content.decode()
    laporan = Realisasi.objects.get(pk=stored.pk)
    assert (laporan.nilai, laporan.ket, laporan.versi) == (Decimal("26.5"), "Tepat waktu", 2)
    peralatan = Realisasi.objects.get(sub_kegiatan=subs[PERALATAN], triwulan=1)
    assert (peralatan.nilai, peralatan.kendala) == (None, "Anggaran terlambat")
    latest = RealisasiRiwayat.objects.filter(realisasi__in=[laporan, peralatan], versi__gt=0)
    assert sorted(latest.values_list("realisasi_id", "versi", "sumber")) == sorted(
        [(laporan.pk, 1, "web"), (laporan.pk, 2, "formulir"), (peralatan.pk, 1, "formulir")]
    )


def test_it_reads_numbers_typed_as_numbers_or_text(client, users, subs, rencana):
    admin = users["admin"]
    naik = IndikatorSasaran.objects.get(indikator="Indikator Naik")
    content = download(client, admin)
    filled = fill(
        content,
        {
            naik.row_key: {"realisasi": 24},
            subs[LAPORAN].row_key: {"realisasi": "26.5"},
            subs[PERALATAN].row_key: {"realisasi": 12.25},
            subs[POLITIK].row_key: {"realisasi": " 0 "},
        },
    )
    response = upload(client, filled)
    assert {c.new.key: c.new.nilai for c in response.context["changes"]} == {
        naik.row_key: Decimal(24),
        subs[LAPORAN].row_key: Decimal("26.5"),
        subs[PERALATAN].row_key: Decimal("12.25"),
        subs[POLITIK].row_key: Decimal(0),
    }
    client.post(unggah_url(), {"payload": response.context["payload"]})
    assert Realisasi.objects.get(indikator_sasaran=naik).nilai == Decimal(24)
    assert Realisasi.objects.get(sub_kegiatan=subs[POLITIK]).nilai == Decimal(0)


def test_it_reads_a_number_shown_in_excels_percent_format_as_shown(client, users, subs):
    # Typing "26,5%" makes Excel store 0.265 with the format 0.0%; the user saw and meant 26,5.
    def percent(workbook):
        cell = workbook["Formulir"].cell(row=HEADER_ROW + 1, column=COLUMNS["realisasi"])
        cell.value, cell.number_format = 0.265, "0.0%"

    content = fill(download(client, users["staf_sekretariat"]), {}, edit=percent)
    response = upload(client, content)
    assert [c.new.nilai for c in response.context["changes"]] == [Decimal("26.5")]


def test_it_treats_an_emptied_cell_as_not_reported(client, users, subs, stored):
    staf = users["staf_sekretariat"]
    content = fill(download(client, staf), {subs[LAPORAN].row_key: {"realisasi": None}})
    response = upload(client, content)
    assert "(kosong)" in response.content.decode()
    client.post(unggah_url(), {"payload": response.context["payload"]})
    assert Realisasi.objects.get(pk=stored.pk).nilai is None


def test_it_counts_unchanged_rows_without_listing_them(client, users, subs, stored):
    admin = users["admin"]
    content = fill(download(client, admin), {subs[POLITIK].row_key: {"realisasi": 50}})
    response = upload(client, content)
    assert len(response.context["changes"]) == 1
    assert response.context["pratinjau"].unchanged == 4
    html = response.content.decode()
    assert "4 baris tidak berubah" in html
    assert LAPORAN not in html


# -- upload: refusals, nothing changed ----------------------------------------------------------


def refused(client, user, content, *expected, name="formulir.xlsx"):
    before = snapshot()
    client.force_login(user)
    response = upload(client, content, name=name)
    assert response.status_code == 200
    messages = response.context["errors"]
    text = "\n".join(messages)
    for part in expected:
        assert part in text, (part, messages)
    assert 'name="payload"' not in response.content.decode()
    assert snapshot() == before
    return messages


def test_it_refuses_a_file_that_is_not_xlsx(client, users, stored):
    refused(client, users["admin"], b"NO;URAIAN\n1;Laporan\n", "bukan XLSX", name="data.csv")


def test_it_refuses_a_broken_zip(client, users, stored):
    content = download(client, users["admin"])
    refused(client, users["admin"], content[: len(content) // 2], "rusak")


def test_it_refuses_a_zip_that_is_not_a_workbook(client, users, stored):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("catatan.txt", "bukan buku kerja")
    refused(client, users["admin"], buffer.getvalue(), "rusak atau bukan buku kerja")


def test_it_refuses_a_password_protected_file(client, users, stored):
    # An encrypted .xlsx is an OLE2 container with an "EncryptedPackage" stream.
    content = CFB_MAGIC + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(512)
    refused(client, users["admin"], content, "dilindungi kata sandi")


def test_it_refuses_a_file_larger_than_5_mb(client, users, stored):
    refused(client, users["admin"], b"PK" + bytes(MAX_BYTES), "terlalu besar", "5 MB")


def test_it_refuses_the_deli_serdang_evaluation_spreadsheet(client, users, stored):
    messages = refused(
        client,
        users["admin"],
        DELI_SERDANG.read_bytes(),
        "bukan formulir realisasi Renaksi",
        'tidak ada lembar "Formulir"',
        '"Realisasi TW IV"',
        name=DELI_SERDANG.name,
    )
    assert len(messages) == 1


def test_it_refuses_a_form_of_another_year(client, users, instansi, stored):
    make_plan(instansi, tahun=2024)
    content = download(client, users["admin"], tahun=2024)
    refused(
        client,
        users["admin"],
        content,
        'Lembar "Info", baris 4: formulir ini untuk tahun 2024, bukan tahun 2023.',
    )


def test_it_refuses_a_form_of_another_quarter(client, users, stored):
    content = download(client, users["admin"], triwulan=2)
    refused(client, users["admin"], content, "formulir ini untuk TW 2, bukan TW 1")


def test_it_refuses_a_form_of_another_agency(client, users, stored):
    other = make_instansi(kode="lain", nama="Instansi Lain")
    make_plan(other)
    content = download(client, make_user("admin-lain", other, Peran.ADMIN))
    refused(
        client,
        users["admin"],
        content,
        'formulir ini milik instansi "lain", bukan instansi Anda ("kesbangpol-uji")',
    )


def test_it_refuses_a_row_key_not_in_the_plan(client, users, subs, stored):
    def rename(workbook):
        workbook["Formulir"].cell(row=HEADER_ROW + 2, column=1).value = "sub-999999"

    content = fill(download(client, users["admin"]), {}, edit=rename)
    refused(
        client,
        users["admin"],
        content,
        f'Lembar "Formulir", baris {HEADER_ROW + 2}, kolom A (KUNCI): baris sub-999999 bukan '
        "bagian rencana aksi 2023",
    )


def test_it_refuses_a_row_of_another_bidang_and_names_it(client, users, subs, stored):
    content = fill(
        download(client, users["admin"]),
        {subs[POLITIK].row_key: {"realisasi": 40}, subs[LAPORAN].row_key: {"realisasi": 25}},
    )
    messages = refused(
        client,
        users["staf_sekretariat"],
        content,
        f'baris {subs[POLITIK].row_key} "{POLITIK}" milik Bidang Politik',
        "hanya dapat diisi admin",
    )
    # The two sasaran rows and the Politik row: every refused row, not only the first.
    assert len(messages) == 3


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("dua puluh", '"dua puluh" bukan angka'),
        (-5, "Realisasi tidak boleh negatif."),
        ("-5", "Realisasi tidak boleh negatif."),
        (100.5, "Realisasi dalam persen tidak boleh lebih dari 100."),
        ("=20+6", "berisi rumus"),
        (True, "harus berupa angka"),
        # Excel in some locales turns "26.5" into 26 May.
        (datetime(2023, 5, 26), "terbaca sebagai tanggal"),
    ],
)
def test_it_refuses_a_bad_realisation(client, users, subs, stored, value, message):
    content = fill(
        download(client, users["staf_sekretariat"]),
        {subs[LAPORAN].row_key: {"realisasi": value}},
    )
    refused(
        client,
        users["staf_sekretariat"],
        content,
        f'Lembar "Formulir", baris {HEADER_ROW + 1}, kolom K (REALISASI TW 1): {message}',
    )


def test_it_refuses_duplicate_row_keys(client, users, subs, stored):
    def duplicate(workbook):
        sheet = workbook["Formulir"]
        sheet.cell(row=HEADER_ROW + 2, column=1).value = subs[LAPORAN].row_key

    content = fill(download(client, users["staf_sekretariat"]), {}, edit=duplicate)
    refused(
        client,
        users["staf_sekretariat"],
        content,
        f"baris {HEADER_ROW + 2}, kolom A (KUNCI): KUNCI {subs[LAPORAN].row_key} ganda: sudah "
        f"ada di baris {HEADER_ROW + 1}",
    )


def test_it_refuses_a_changed_column_layout(client, users, stored):
    def swap(workbook):
        workbook["Formulir"].cell(row=HEADER_ROW, column=COLUMNS["realisasi"]).value = "CATATAN"

    content = fill(download(client, users["admin"]), {}, edit=swap)
    refused(
        client, users["admin"], content, 'kolom K (REALISASI TW 1): judul kolom "REALISASI TW 1"'
    )


def test_it_reports_every_error_not_only_the_first(client, users, subs, rencana, stored):
    naik = IndikatorSasaran.objects.get(indikator="Indikator Naik")
    content = fill(
        download(client, users["admin"]),
        {
            naik.row_key: {"realisasi": "banyak"},
            subs[PERALATAN].row_key: {"realisasi": -1},
            subs[POLITIK].row_key: {"realisasi": 101},
        },
    )
    messages = refused(client, users["admin"], content)
    rows = sheet_rows(content)
    assert [message.split(":")[0] for message in messages] == [
        f'Lembar "Formulir", baris {rows[naik.row_key]}, kolom K (REALISASI TW 1)',
        f'Lembar "Formulir", baris {rows[subs[PERALATAN].row_key]}, kolom K (REALISASI TW 1)',
        f'Lembar "Formulir", baris {rows[subs[POLITIK].row_key]}, kolom K (REALISASI TW 1)',
    ]


def test_it_caps_the_list_of_errors(client, users, subs, rencana, stored, monkeypatch):
    monkeypatch.setattr("renaksi.formulir.errors.MAX_ERRORS", 2)
    content = fill(
        download(client, users["admin"]),
        {key: {"realisasi": -1} for key in (s.row_key for s in subs.values())},
    )
    messages = refused(client, users["admin"], content)
    assert len(messages) == 3
    assert messages[-1] == "… dan 1 kesalahan lain yang tidak ditampilkan."


# -- upload: damaged zips and odd cells refused, never a server error ---------------------------


def _zip_flags(data: bytearray, *, bits: int, central_only: bool = False) -> None:
    """Set general-purpose flag ``bits`` on every entry of a zip, in place."""
    headers = [(b"PK\x01\x02", 8)] + ([] if central_only else [(b"PK\x03\x04", 6)])
    for signature, flags_at in headers:
        position = 0
        while (position := data.find(signature, position)) != -1:
            flags = struct.unpack_from("<H", data, position + flags_at)[0]
            struct.pack_into("<H", data, position + flags_at, flags | bits)
            position += 4


def _corrupt_deflate(content: bytes) -> bytes:
    """The largest member's compressed bytes scrambled; sizes and CRCs left as they were."""
    data = bytearray(content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        info = max(archive.infolist(), key=lambda item: item.compress_size)
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    for index in range(start + 5, start + min(60, info.compress_size - 5)):
        data[index] ^= 0xA5
    return bytes(data)


def _encrypted_members(content: bytes) -> bytes:
    data = bytearray(content)
    _zip_flags(data, bits=0x0001)  # "encrypted": reading a member asks for a password
    return bytes(data)


def _bad_utf8_name(content: bytes) -> bytes:
    """A member name flagged as UTF-8 in the central directory that is not valid UTF-8."""
    data = bytearray(content)
    central = data.find(b"PK\x01\x02")
    _zip_flags(data, bits=0x0800, central_only=True)
    name_at = central + 46
    data[name_at] = 0xFF
    return bytes(data)


@pytest.mark.parametrize("damage", [_corrupt_deflate, _encrypted_members, _bad_utf8_name])
def test_it_refuses_a_zip_with_a_damaged_member(client, users, stored, damage):
    # zlib.error, RuntimeError and UnicodeDecodeError inside the zip reader: each one a clear
    # refusal, not a server error.
    content = damage(download(client, users["admin"]))
    refused(client, users["admin"], content, "Berkas XLSX rusak")


@pytest.mark.parametrize(
    "text", ["1000000000000000000000000000000.001", "1" * 40 + ",999", "1" * 40]
)
def test_it_refuses_a_realisation_too_large_to_compute_with(client, users, subs, stored, text):
    # More digits than the decimal context holds: refused before any rounding or comparison.
    def huge(workbook):
        cell = workbook["Formulir"].cell(row=HEADER_ROW + 1, column=COLUMNS["realisasi"])
        cell.value, cell.data_type = text, "s"

    content = fill(download(client, users["staf_sekretariat"]), {}, edit=huge)
    messages = refused(
        client,
        users["staf_sekretariat"],
        content,
        f'Lembar "Formulir", baris {HEADER_ROW + 1}, kolom K (REALISASI TW 1): Realisasi terlalu '
        "besar.",
    )
    assert len(messages) == 1


@pytest.mark.parametrize("key", ["sub-99999999999999999999", "ind-" + "9" * 500, "sub-１２"])
def test_it_refuses_a_row_key_with_too_many_or_non_ascii_digits(client, users, stored, key):
    # An id no database integer holds would overflow the lookup of the plan's rows.
    def rename(workbook):
        workbook["Formulir"].cell(row=HEADER_ROW + 2, column=1).value = key

    content = fill(download(client, users["admin"]), {}, edit=rename)
    messages = refused(
        client,
        users["admin"],
        content,
        f'Lembar "Formulir", baris {HEADER_ROW + 2}, kolom A (KUNCI): KUNCI "{key[:40]}',
        "tidak dikenal",
    )
    assert len(messages) == 1
    assert len(messages[0]) < 300  # a 500-digit key is not quoted in full


@pytest.mark.parametrize("value", ["²", "٧", "", "7.0"])
def test_it_refuses_an_unreadable_header_row_in_the_info_sheet(client, users, stored, value):
    # "²" and "٧" pass str.isdigit but are no header row.
    def header_row(workbook):
        info = workbook["Info"]
        for cells in info.iter_rows(max_col=2):
            if cells[0].value == "baris_judul":
                cells[1].value = value

    content = fill(download(client, users["admin"]), {}, edit=header_row)
    refused(
        client,
        users["admin"],
        content,
        'Lembar "Info", baris 6: letak baris judul kolom tidak terbaca',
    )


# -- upload: the same rules as the page ---------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["1,234", "1.2345", 12.345, "0,001", "1.0000000000000000000000000000001"]
)
def test_it_refuses_more_than_two_decimals_instead_of_rounding(client, users, subs, stored, value):
    content = fill(
        download(client, users["staf_sekretariat"]),
        {subs[LAPORAN].row_key: {"realisasi": value}},
    )
    refused(
        client,
        users["staf_sekretariat"],
        content,
        f'Lembar "Formulir", baris {HEADER_ROW + 1}, kolom K (REALISASI TW 1): Realisasi paling '
        "banyak dua angka di belakang koma.",
    )


def test_it_refuses_a_number_that_reads_as_thousands_or_decimals(client, users, subs, stored):
    content = fill(
        download(client, users["staf_sekretariat"]),
        {subs[LAPORAN].row_key: {"realisasi": "1.500"}},
    )
    refused(
        client,
        users["staf_sekretariat"],
        content,
        f'Lembar "Formulir", baris {HEADER_ROW + 1}, kolom K (REALISASI TW 1): «1.500» bisa '
        "berarti 1500 atau 1,5; tulis salah satunya.",
    )


def test_it_accepts_trailing_zeros_beyond_two_decimals(client, users, subs, stored):
    content = fill(
        download(client, users["staf_sekretariat"]),
        {subs[LAPORAN].row_key: {"realisasi": "26,5000"}},
    )
    response = upload(client, content)
    assert [c.new.nilai for c in response.context["changes"]] == [Decimal("26.5")]


@pytest.mark.parametrize("column", list(CATATAN))
def test_it_refuses_a_note_longer_than_the_page_allows(client, users, subs, stored, column):
    letter, title = get_column_letter(COLUMNS[column]), column_titles(1)[column]
    content = fill(
        download(client, users["staf_sekretariat"]),
        {
            subs[LAPORAN].row_key: {column: "x" * 4001},
            subs[PERALATAN].row_key: {column: "y" * 4000},
        },
    )
    messages = refused(
        client,
        users["staf_sekretariat"],
        content,
        f'Lembar "Formulir", baris {HEADER_ROW + 1}, kolom {letter} ({title}): ',
        "paling banyak 4000 karakter (sekarang 4001)",
    )
    assert len(messages) == 1  # 4000 characters are allowed


# -- upload: in another language than the download ----------------------------------------------


@pytest.mark.parametrize(("unduh", "unggah"), [("id", "en"), ("en", "id")])
def test_it_accepts_a_form_downloaded_in_another_language(
    users, rencana, subs, stored, unduh, unggah
):
    # The column titles are translated; the file does not say in which language it was written.
    with translation.override("id"):
        indonesian = column_titles(1)
    with translation.override("en"):
        english = column_titles(1)
    assert indonesian["kunci"] != english["kunci"]  # else this test would prove nothing
    assert indonesian["realisasi"] != english["realisasi"]

    rencana, profile = rencana_for_entry(users["admin"], 2023)
    with translation.override(unduh):
        content = render_formulir(
            rencana=rencana,
            triwulan=1,
            profile=profile,
            rows=selectors.entry_rows(rencana=rencana, profile=profile),
        )
    filled = fill(content, {subs[LAPORAN].row_key: {"realisasi": "26,5"}})
    with translation.override(unggah):
        pratinjau = formulir_read(filled, rencana=rencana, triwulan=1, profile=profile)
        assert [(c.new.key, c.new.nilai) for c in pratinjau.changes] == [
            (subs[LAPORAN].row_key, Decimal("26.5"))
        ]

        # A changed title is still refused, and named in the language of the upload.
        def swap(workbook):
            workbook["Formulir"].cell(row=HEADER_ROW, column=COLUMNS["realisasi"]).value = "CATATAN"

        with pytest.raises(FormulirInvalid) as refusal:
            formulir_read(
                fill(content, {}, edit=swap), rencana=rencana, triwulan=1, profile=profile
            )
    expected = (english if unggah == "en" else indonesian)["realisasi"]
    assert f'"{expected}"' in refusal.value.messages[0]


# -- the confirmation ---------------------------------------------------------------------------


def test_it_refuses_a_tampered_payload(client, users, subs, stored):
    staf = users["staf_sekretariat"]
    content = fill(download(client, staf), {subs[LAPORAN].row_key: {"realisasi": 26}})
    payload = upload(client, content).context["payload"]
    before = snapshot()
    for forged in (payload[:-3] + ("AAA" if payload[-3:] != "AAA" else "BBB"), "x" + payload):
        response = client.post(unggah_url(), {"payload": forged})
        assert response.status_code == 400
        assert "Data pratinjau tidak sah" in response.content.decode()
    assert snapshot() == before


def test_it_refuses_a_payload_signed_for_another_user(client, users, subs, stored):
    content = fill(download(client, users["admin"]), {subs[LAPORAN].row_key: {"realisasi": 26}})
    payload = upload(client, content).context["payload"]
    before = snapshot()
    client.force_login(users["staf_sekretariat"])
    response = client.post(unggah_url(), {"payload": payload})
    assert response.status_code == 400
    assert snapshot() == before


def test_it_shows_a_conflict_when_a_row_changed_since_the_download(
    client, users, rencana, subs, stored
):
    staf = users["staf_sekretariat"]
    content = fill(download(client, staf), {subs[LAPORAN].row_key: {"realisasi": 26}})
    # The admin saves the same row from the page after the form was downloaded.
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(subs[LAPORAN].row_key, Decimal(22), ket="Awal", versi=1)],
    )
    before = snapshot()
    client.force_login(staf)
    response = upload(client, content)
    html = response.content.decode()
    assert "diubah orang lain" in html
    assert '<span class="lama">22%</span> → <span class="baru">26%</span>' in html
    assert "admin-uji" in html
    assert response.context["payload"] == ""
    assert 'name="payload"' not in html
    assert snapshot() == before


def test_it_saves_nothing_when_a_row_changed_between_preview_and_confirmation(
    client, users, rencana, subs, stored
):
    staf = users["staf_sekretariat"]
    content = fill(
        download(client, staf),
        {
            subs[LAPORAN].row_key: {"realisasi": 26},
            subs[PERALATAN].row_key: {"realisasi": 90},
        },
    )
    payload = upload(client, content).context["payload"]
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(subs[LAPORAN].row_key, Decimal(22), ket="Awal", versi=1)],
    )
    before = snapshot()
    client.force_login(staf)
    response = client.post(unggah_url(), {"payload": payload})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Tidak ada yang disimpan" in html
    assert LAPORAN in html and '<span class="lama">22%</span>' in html
    assert snapshot() == before
    assert not Realisasi.objects.filter(sub_kegiatan=subs[PERALATAN]).exists()


# -- queries ------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [27, 270])
def test_it_downloads_with_the_same_queries_for_any_plan_size(
    client, users, instansi, size, django_assert_num_queries
):
    plan_generate(instansi=instansi, tahun=2099, sub_kegiatan=size)
    client.force_login(users["admin"])
    # session, user, profile, plan, realisasi, kegiatan, sub kegiatan
    with django_assert_num_queries(7):
        response = client.get(unduh_url(tahun=2099))
    rows = sheet_rows(response.content)
    assert sum(key.startswith("sub-") for key in rows) == size


@pytest.mark.parametrize("size", [27, 270])
def test_it_previews_with_the_same_queries_for_any_plan_size(
    client, users, instansi, size, django_assert_num_queries
):
    plan_generate(instansi=instansi, tahun=2099, sub_kegiatan=size)
    content = download(client, users["admin"], tahun=2099)
    keys = [key for key in sheet_rows(content) if key.startswith("sub-")]
    filled = fill(content, {key: {"realisasi": 1, "ket": "diisi"} for key in keys[::2]})
    # session, user, profile, plan, review status, realisasi, kegiatan, sub kegiatan
    with django_assert_num_queries(8):
        response = upload(client, filled, tahun=2099)
    assert len(response.context["changes"]) == len(keys[::2])


# -- a quarter under the kepala's review or approved ---------------------------------------------


def lock(users, rencana, state: str) -> None:
    triwulan_ajukan(user=users["admin"], rencana=rencana, triwulan=1)
    if state == "disetujui":
        triwulan_setujui(user=users["kepala"], rencana=rencana, triwulan=1)


LOCK_MESSAGES = {
    "diajukan": "TW 1 sedang diperiksa kepala (diajukan oleh admin-uji pada",
    "disetujui": "TW 1 sudah disetujui kepala (oleh kepala-uji pada",
}


@pytest.mark.parametrize("state", ["diajukan", "disetujui"])
def test_it_refuses_to_preview_or_save_a_locked_quarter(
    client, users, rencana, subs, stored, state
):
    filled = fill(
        download(client, users["staf_sekretariat"]), {subs[LAPORAN].row_key: {"realisasi": 30}}
    )
    payload = upload(client, filled).context["payload"]
    assert payload
    lock(users, rencana, state)
    before = snapshot()

    page = client.get(unggah_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert LOCK_MESSAGES[state] in html
    assert 'type="file"' not in html

    preview = upload(client, filled)
    assert preview.status_code == 409
    html = preview.content.decode()
    assert "Tidak ada yang disimpan." in html and LOCK_MESSAGES[state] in html
    assert 'name="payload"' not in html

    # A preview shown before the quarter was submitted cannot be confirmed after.
    confirm = client.post(unggah_url(), {"payload": payload})
    assert confirm.status_code == 409
    assert LOCK_MESSAGES[state] in confirm.content.decode()
    assert snapshot() == before


def test_it_saves_nothing_when_locked_between_the_check_and_the_save(
    client, users, rencana, subs, stored, monkeypatch
):
    """The service's own check, inside the saving transaction, is shown the same way."""
    from renaksi import selectors
    from renaksi.models import StatusTriwulan

    filled = fill(
        download(client, users["staf_sekretariat"]), {subs[LAPORAN].row_key: {"realisasi": 30}}
    )
    payload = upload(client, filled).context["payload"]
    lock(users, rencana, "diajukan")
    monkeypatch.setattr(
        selectors,
        "status_triwulan",
        lambda *, rencana, triwulan: StatusTriwulan(rencana=rencana, triwulan=triwulan),
    )
    before = snapshot()
    response = client.post(unggah_url(), {"payload": payload})
    assert response.status_code == 409
    assert LOCK_MESSAGES["diajukan"] in response.content.decode()
    assert snapshot() == before


def test_it_accepts_the_form_again_once_returned(client, users, rencana, subs, stored):
    filled = fill(
        download(client, users["staf_sekretariat"]), {subs[LAPORAN].row_key: {"realisasi": 30}}
    )
    lock(users, rencana, "diajukan")
    triwulan_kembalikan(
        user=users["kepala"],
        rencana=rencana,
        triwulan=1,
        catatan="Perbaiki",
        status_dilihat="diajukan",
    )
    payload = upload(client, filled).context["payload"]
    assert client.post(unggah_url(), {"payload": payload}).status_code == 302
    assert Realisasi.objects.get(sub_kegiatan=subs[LAPORAN], triwulan=1).nilai == 30


def test_evidence_attached_after_the_download_is_no_conflict(client, users, rencana, subs, media):
    """The form was downloaded with the row empty; a file alone was attached to it since."""
    from renaksi.services import bukti_add

    content = download(client, users["staf_sekretariat"])
    bukti_add(
        user=users["admin"],
        rencana=rencana,
        triwulan=1,
        uploads={subs[LAPORAN].row_key: [SimpleUploadedFile("b.pdf", b"%PDF-1.7\n%%EOF\n")]},
    )
    filled = fill(content, {subs[LAPORAN].row_key: {"realisasi": 26}})
    response = upload(client, filled)
    assert [change.conflict for change in response.context["changes"]] == [False]
    assert client.post(unggah_url(), {"payload": response.context["payload"]}).status_code == 302
    stored = Realisasi.objects.get(sub_kegiatan=subs[LAPORAN], triwulan=1)
    assert (stored.nilai, stored.versi) == (Decimal(26), 2)


def test_it_stores_notes_as_the_page_does(client, users, subs, stored):
    """Spaces around a note and Excel's line breaks are dropped, as the page drops them."""
    filled = fill(
        download(client, users["staf_sekretariat"]),
        {subs[LAPORAN].row_key: {"ket": "  Selesai\r\ntepat waktu \n"}},
    )
    payload = upload(client, filled).context["payload"]
    assert client.post(unggah_url(), {"payload": payload}).status_code == 302
    row = Realisasi.objects.get(sub_kegiatan=subs[LAPORAN], triwulan=1)
    assert (row.ket, row.versi) == ("Selesai\ntepat waktu", 2)
    # The same file again: nothing to change, not even the spaces.
    assert upload(client, filled).context["changes"] == []


def test_it_downloads_without_reading_evidence(
    client, users, rencana, subs, media, django_assert_num_queries
):
    """Evidence is not in the form: a plan with realisations and files costs no extra query."""
    from renaksi.services import bukti_add

    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(subs[LAPORAN].row_key, Decimal(20))],
    )
    bukti_add(
        user=users["admin"],
        rencana=rencana,
        triwulan=1,
        uploads={subs[LAPORAN].row_key: [SimpleUploadedFile("b.pdf", b"%PDF-1.7\n%%EOF\n")]},
    )
    client.force_login(users["admin"])
    with django_assert_num_queries(7):
        response = client.get(unduh_url())
    assert response["Content-Length"] == str(len(response.content))
    assert response["X-Content-Type-Options"] == "nosniff"
