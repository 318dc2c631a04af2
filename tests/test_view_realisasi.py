"""The quarterly realisation page: rows per role, saving, validation, conflicts, evidence."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from renaksi import paging
from renaksi.models import Bukti, IndikatorSasaran, Realisasi, SubKegiatan
from renaksi.services import RealisasiInput, realisasi_save_many
from renaksi.synthetic import plan_generate
from tests.factories import make_outsider
from tests.helpers import form_fields, load

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def keuangan(subs):
    return subs["Penyusunan Laporan Keuangan Uji"]  # Sekretariat; targets 26, 26, 25, 23


@pytest.fixture
def peralatan(subs):
    return subs["Penyediaan Peralatan Kantor Uji"]  # Sekretariat; target only in TW 2


@pytest.fixture
def politik(subs):
    return subs["Pemantauan Situasi Politik Uji"]  # Bidang Politik


def url(n: int = 1, tahun: int = 2023) -> str:
    return reverse("realisasi_form", kwargs={"tahun": tahun, "triwulan": n})


def stored(sub, triwulan: int = 1) -> Realisasi | None:
    return Realisasi.objects.filter(sub_kegiatan=sub, triwulan=triwulan).first()


# --- Who sees what -----------------------------------------------------------------------------


def test_it_requires_login(client, rencana):
    response = client.get(url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("n", [0, 5])
def test_it_404s_for_a_quarter_outside_1_to_4(client, users, rencana, n):
    client.force_login(users["admin"])
    assert client.get(f"/rencana-aksi/2023/tw/{n}/").status_code == 404


def test_it_404s_for_another_agencys_plan(client, rencana):
    client.force_login(make_outsider().admin)
    response = client.get(url())
    assert response.status_code == 404
    assert "Penyusunan Laporan Keuangan Uji" not in response.content.decode()


def test_it_shows_the_admin_every_row_with_inputs(client, users, keuangan, peralatan, politik):
    client.force_login(users["admin"])
    html = client.get(url()).content.decode()
    for sub in (keuangan, peralatan, politik):
        assert f'<tr id="{sub.row_key}"' in html
        assert f'name="{sub.row_key}-nilai"' in html
    for indikator in IndikatorSasaran.objects.all():
        assert f'<tr id="{indikator.row_key}"' in html
        assert f'name="{indikator.row_key}-nilai"' in html
    assert 'inputmode="decimal"' in html
    assert ">Simpan</button>" in html


def test_it_shows_staff_only_the_rows_of_their_bidang(client, users, keuangan, politik):
    client.force_login(users["staf_politik"])
    html = client.get(url()).content.decode()
    assert f'<tr id="{politik.row_key}"' in html
    assert f'name="{politik.row_key}-nilai"' in html
    assert "Penyusunan Laporan Keuangan Uji" not in html
    assert '<tr id="ind-' not in html
    assert ">Simpan</button>" in html


@pytest.mark.parametrize("role", ["kepala", "pemeriksa"])
def test_it_shows_kepala_and_pemeriksa_every_row_read_only(client, users, subs, role):
    client.force_login(users[role])
    html = client.get(url()).content.decode()
    for sub in subs.values():
        assert f'<tr id="{sub.row_key}"' in html
    assert html.count('<tr id="ind-') == 2
    assert '<form method="post" enctype' not in html
    assert 'name="sub-' not in html
    assert ">Simpan</button>" not in html
    assert "tetapi tidak mengubahnya" in html


@pytest.mark.parametrize(
    ("role", "text"),
    [
        ("staf_politik", "Isi realisasi TW 3"),
        ("admin", "Isi realisasi TW 3"),
        ("kepala", "Lihat realisasi TW 3"),
    ],
)
def test_the_plan_page_links_to_each_quarter(client, users, rencana, role, text):
    client.force_login(users[role])
    html = client.get(reverse("rencana_aksi", args=[2023])).content.decode()
    assert f'<a href="{url(3)}" aria-label="{text}">TW 3</a>' in html


def test_it_shows_targets_to_date_and_earlier_quarters(client, users, rencana, keuangan):
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(keuangan.row_key, Decimal("20.5"))],
    )
    client.force_login(users["staf_sekretariat"])
    html = client.get(url(2)).content.decode()
    row = html[html.index(f'<tr id="{keuangan.row_key}"') :]
    row = row[: row.index("</tr>")]
    assert '<td class="k-angka" data-label="Target TW 2">26%</td>' in row
    assert '<td class="k-angka" data-label="Target s.d. TW 2">52%</td>' in row  # TW 1 + TW 2
    assert "TW 1: 20,5%" in row


def test_it_shows_a_dash_for_a_quarter_without_target(client, users, peralatan):
    client.force_login(users["staf_sekretariat"])
    html = client.get(url(1)).content.decode()
    row = html[html.index(f'<tr id="{peralatan.row_key}"') :]
    row = row[: row.index("</tr>")]
    # No target in TW 1, none to date.
    assert '<td class="k-angka" data-label="Target TW 1">-</td>' in row
    assert '<td class="k-angka" data-label="Target s.d. TW 1">-</td>' in row


def test_it_suggests_the_sasaran_value_from_its_sub_kegiatan(client, users, rencana, keuangan):
    # Sub kegiatan at 100 % of its target → the sasaran (target 25) is suggested 25.
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(keuangan.row_key, Decimal(26))],
    )
    client.force_login(users["admin"])
    html = client.get(url(1)).content.decode()
    assert "Saran dari sub kegiatan: 25%" in html


def test_it_shows_who_saved_last_and_the_evidence(client, users, rencana, keuangan):
    realisasi_save_many(
        user=users["staf_sekretariat"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(keuangan.row_key, Decimal(26))],
    )
    row = stored(keuangan)
    bukti = Bukti.objects.create(
        realisasi=row,
        berkas="bukti/1/x.pdf",
        nama_asli="laporan keuangan.pdf",
        jenis="application/pdf",
        ukuran=2048,
        diunggah_oleh=users["staf_sekretariat"],
        diunggah_pada=timezone.now(),
    )
    client.force_login(users["kepala"])
    html = client.get(url(1)).content.decode()
    assert "staf-sekretariat-uji" in html
    assert f'href="{reverse("bukti_download", args=[bukti.pk])}"' in html
    assert "laporan keuangan.pdf" in html


# --- Saving ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "expected"), [("26,5", "26.5"), ("26.5", "26.5"), ("7", "7")])
def test_it_saves_a_value(client, users, keuangan, typed, expected):
    data = load(client, users["staf_sekretariat"])
    data[f"{keuangan.row_key}-nilai"] = typed
    data[f"{keuangan.row_key}-kendala"] = "Data terlambat"
    response = client.post(url(), data)
    assert response.status_code == 302
    assert response["Location"] == url()
    row = stored(keuangan)
    assert row.nilai == Decimal(expected)
    assert row.kendala == "Data terlambat"
    assert row.diubah_oleh == users["staf_sekretariat"]
    page = client.get(url()).content.decode()
    assert "Realisasi TW 1 tersimpan: 1 baris" in page
    assert f'value="{typed if typed != "26.5" else "26,5"}"' in page


def test_it_sends_only_the_rows_the_user_changed(client, users, rencana, keuangan, peralatan):
    # The admin loads the page; meanwhile the staff member saves another row. The admin's
    # page still holds the old (empty) value of that row, but as the admin did not touch it,
    # it is not sent and cannot conflict or overwrite.
    admin = Client()
    data = load(admin, users["admin"])
    realisasi_save_many(
        user=users["staf_sekretariat"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(keuangan.row_key, Decimal(26))],
    )
    data[f"{peralatan.row_key}-nilai"] = "10"
    response = admin.post(url(), data)
    assert response.status_code == 302
    assert stored(keuangan).nilai == 26
    assert stored(peralatan).nilai == 10
    assert Realisasi.objects.count() == 2


def test_it_saves_when_only_the_changed_rows_are_posted(client, users, keuangan, peralatan):
    # What the page script sends: the rows left untouched are left out of the POST.
    data = load(client, users["staf_sekretariat"])
    data = {name: value for name, value in data.items() if peralatan.row_key not in name}
    data[f"{keuangan.row_key}-nilai"] = "26"
    assert client.post(url(), data).status_code == 302
    assert stored(keuangan).nilai == 26
    assert stored(peralatan) is None


def test_it_shows_stored_values_in_rows_left_out_of_a_failed_post(
    client, users, rencana, keuangan, peralatan
):
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(peralatan.row_key, Decimal(40), ket="lama")],
    )
    data = load(client, users["staf_sekretariat"])
    data = {name: value for name, value in data.items() if peralatan.row_key not in name}
    data[f"{keuangan.row_key}-nilai"] = "x"
    response = client.post(url(), data)
    assert response.status_code == 200
    fields = form_fields(response)
    row = peralatan.row_key
    assert (fields[f"{row}-nilai"], fields[f"{row}-ket"]) == ("40", "lama")
    assert "Belum tersimpan: periksa 1 baris bertanda merah." in response.content.decode()


def test_it_says_so_when_nothing_changed(client, users, keuangan):
    data = load(client, users["staf_sekretariat"])
    response = client.post(url(), data, follow=True)
    assert "Tidak ada perubahan untuk disimpan." in response.content.decode()
    assert not Realisasi.objects.exists()


def test_it_keeps_zero_apart_from_empty(client, users, rencana, keuangan, peralatan):
    data = load(client, users["staf_sekretariat"])
    data[f"{keuangan.row_key}-nilai"] = "0"
    data[f"{peralatan.row_key}-nilai"] = ""
    assert client.post(url(), data).status_code == 302
    assert stored(keuangan).nilai == Decimal(0)
    assert stored(peralatan) is None  # empty is "not reported", nothing stored
    page = client.get(url())
    fields = form_fields(page)
    assert fields[f"{keuangan.row_key}-nilai"] == "0"
    assert fields[f"{peralatan.row_key}-nilai"] == ""
    # Clearing a stored value makes the row "not reported" again, not 0.
    fields[f"{keuangan.row_key}-nilai"] = ""
    assert client.post(url(), fields).status_code == 302
    assert stored(keuangan).nilai is None


def test_it_saves_a_sasaran_row_for_the_admin(client, users, rencana):
    indikator = IndikatorSasaran.objects.get(indikator="Indikator Naik")
    data = load(client, users["admin"], n=2)
    data[f"{indikator.row_key}-nilai"] = "24,5"
    assert client.post(url(2), data).status_code == 302
    assert Realisasi.objects.get(indikator_sasaran=indikator, triwulan=2).nilai == Decimal("24.5")


# --- Invalid input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("dua puluh", "Realisasi harus berupa angka"),
        ("26a", "Realisasi harus berupa angka"),
        ("-1", "Realisasi tidak boleh negatif."),
        ("100,01", "Realisasi dalam persen tidak boleh lebih dari 100."),
        ("26,555", "paling banyak dua angka di belakang koma"),
        ("1.500", "«1.500» bisa berarti 1500 atau 1,5; tulis salah satunya."),
    ],
)
def test_it_reshows_bad_values_and_saves_nothing(
    client, users, keuangan, peralatan, typed, message
):
    data = load(client, users["staf_sekretariat"])
    data[f"{keuangan.row_key}-nilai"] = typed
    data[f"{keuangan.row_key}-ket"] = "catatan saya"
    data[f"{peralatan.row_key}-nilai"] = "40"  # a valid row on the same page
    response = client.post(url(), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Belum tersimpan: periksa 1 baris bertanda merah." in html
    fields = form_fields(response)
    assert fields[f"{keuangan.row_key}-nilai"] == typed
    assert fields[f"{keuangan.row_key}-ket"] == "catatan saya"
    assert fields[f"{peralatan.row_key}-nilai"] == "40"
    assert 'aria-invalid="true"' in html
    assert not Realisasi.objects.exists()


def test_it_refuses_a_file_that_is_too_large(client, users, keuangan, media):
    data = load(client, users["staf_sekretariat"])
    data[f"{keuangan.row_key}-nilai"] = "26"
    too_large = PNG + b"\x00" * (10 * 1024 * 1024 + 1 - len(PNG))
    data[f"{keuangan.row_key}-bukti"] = SimpleUploadedFile("foto.png", too_large, "image/png")
    response = client.post(url(), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Berkas «foto.png» terlalu besar" in html
    assert "paling besar 10 MB" in html
    assert "pilih lagi: foto.png" in html
    assert form_fields(response)[f"{keuangan.row_key}-nilai"] == "26"
    assert not Realisasi.objects.exists()
    assert not Bukti.objects.exists()
    assert not media.exists() or not any(media.rglob("*.*"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (PNG, "Isi berkas «laporan.pdf» adalah PNG, tidak sesuai dengan ekstensi .pdf"),
        (b"Ini hanya teks biasa.\n", "Isi berkas «laporan.pdf» bukan jenis yang diterima"),
        (b"<html><script>alert(1)</script></html>", "bukan jenis yang diterima"),
    ],
)
def test_it_refuses_a_pdf_that_is_not_a_pdf(client, users, keuangan, media, content, message):
    data = load(client, users["staf_sekretariat"])
    data[f"{keuangan.row_key}-nilai"] = "26"
    good = SimpleUploadedFile("benar.pdf", PDF, "application/pdf")
    data[f"{keuangan.row_key}-bukti"] = [good, SimpleUploadedFile("laporan.pdf", content, "x/y")]
    response = client.post(url(), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert form_fields(response)[f"{keuangan.row_key}-nilai"] == "26"
    # The good file of the same submit is not stored either: all files are checked first.
    assert not Realisasi.objects.exists()
    assert not Bukti.objects.exists()
    assert not media.exists() or not any(media.rglob("*.*"))


def test_it_reshows_a_tampered_version_as_a_row_error(client, users, keuangan):
    data = load(client, users["staf_sekretariat"])
    data[f"{keuangan.row_key}-nilai"] = "26"
    data[f"{keuangan.row_key}-versi"] = "x"
    response = client.post(url(), data)
    assert response.status_code == 200
    assert "muat ulang halaman" in response.content.decode()
    assert not Realisasi.objects.exists()


# --- Conflicts ---------------------------------------------------------------------------------


def test_it_shows_a_conflict_and_overwrites_on_the_second_submit(users, keuangan, peralatan):
    staff, admin = Client(), Client()
    staff_data = load(staff, users["staf_sekretariat"])
    admin_data = load(admin, users["admin"])

    admin_data[f"{keuangan.row_key}-nilai"] = "24"
    admin_data[f"{keuangan.row_key}-kendala"] = "Kendala dari admin"
    assert admin.post(url(), admin_data).status_code == 302

    staff_data[f"{keuangan.row_key}-nilai"] = "26"
    staff_data[f"{keuangan.row_key}-ket"] = "Catatan staf"
    staff_data[f"{peralatan.row_key}-nilai"] = "50"  # a row without conflict on the same page
    response = staff.post(url(), staff_data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sudah diubah oleh admin-uji pada" in html
    assert "nilai tersimpan 24%" in html
    assert "Belum tersimpan: 1 baris sudah diubah orang lain" in html
    # Nothing of the staff member's page is saved, not even the row without conflict.
    row = stored(keuangan)
    assert (row.nilai, row.ket, row.versi) == (Decimal(24), "", 1)
    assert stored(peralatan) is None

    fields = form_fields(response)
    assert fields[f"{keuangan.row_key}-nilai"] == "26"  # the user's own input is kept
    assert fields[f"{keuangan.row_key}-ket"] == "Catatan staf"
    # A field the staff member left alone now shows what the admin stored.
    assert fields[f"{keuangan.row_key}-kendala"] == "Kendala dari admin"
    assert fields[f"{keuangan.row_key}-versi"] == "1"
    assert fields[f"{peralatan.row_key}-nilai"] == "50"

    # The second Simpan overwrites deliberately.
    assert staff.post(url(), fields).status_code == 302
    row = stored(keuangan)
    assert (row.nilai, row.ket, row.kendala, row.versi) == (
        Decimal(26),
        "Catatan staf",
        "Kendala dari admin",
        2,
    )
    assert row.diubah_oleh == users["staf_sekretariat"]
    assert stored(peralatan).nilai == 50


# --- Permissions -------------------------------------------------------------------------------


def test_it_refuses_staff_posting_a_row_of_another_bidang(client, users, keuangan, politik):
    data = load(client, users["staf_politik"])
    data[f"{politik.row_key}-nilai"] = "10"
    data.update(
        {
            f"{keuangan.row_key}-nilai": "26",
            f"initial-{keuangan.row_key}-nilai": "",
            f"{keuangan.row_key}-versi": "0",
        }
    )
    response = client.post(url(), data)
    assert response.status_code == 403
    assert not Realisasi.objects.exists()


def test_it_refuses_staff_posting_a_sasaran_row(client, users, politik):
    indikator = IndikatorSasaran.objects.first()
    data = load(client, users["staf_politik"])
    data.update({f"{indikator.row_key}-nilai": "10", f"{indikator.row_key}-versi": "0"})
    assert client.post(url(), data).status_code == 403
    assert not Realisasi.objects.exists()


def test_it_refuses_staff_posting_a_file_to_another_bidang(client, users, keuangan, politik):
    data = load(client, users["staf_politik"])
    data[f"{keuangan.row_key}-bukti"] = SimpleUploadedFile("a.pdf", PDF, "application/pdf")
    assert client.post(url(), data).status_code == 403
    assert not Bukti.objects.exists()


@pytest.mark.parametrize("role", ["kepala", "pemeriksa"])
def test_it_refuses_read_only_roles_posting(client, users, keuangan, role):
    client.force_login(users[role])
    data = {f"{keuangan.row_key}-nilai": "26", f"{keuangan.row_key}-versi": "0"}
    assert client.post(url(), data).status_code == 403
    assert client.post(url(), {}).status_code == 403
    assert not Realisasi.objects.exists()


def test_it_keeps_csrf_protection(users, keuangan):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["staf_sekretariat"])
    data = {f"{keuangan.row_key}-nilai": "26", f"{keuangan.row_key}-versi": "0"}
    assert client.post(url(), data).status_code == 403
    assert not Realisasi.objects.exists()


# --- Evidence ----------------------------------------------------------------------------------


def test_it_uploads_evidence_and_serves_it_back(client, users, keuangan, media):
    data = load(client, users["staf_sekretariat"])
    # Only files, no value: the realisation is created unreported and the files hang on it.
    data[f"{keuangan.row_key}-bukti"] = [
        SimpleUploadedFile("Laporan TW1.pdf", PDF, "application/pdf"),
        SimpleUploadedFile("foto.PNG", PNG, "image/png"),
    ]
    response = client.post(url(), data)
    assert response.status_code == 302
    row = stored(keuangan)
    assert row.nilai is None
    files = {b.nama_asli: b for b in row.bukti.all()}
    assert set(files) == {"Laporan TW1.pdf", "foto.PNG"}
    pdf = files["Laporan TW1.pdf"]
    assert (pdf.jenis, pdf.ukuran, pdf.diunggah_oleh) == (
        "application/pdf",
        len(PDF),
        users["staf_sekretariat"],
    )
    assert "Laporan" not in pdf.berkas.name  # the stored name is random
    assert pdf.berkas.name.endswith(".pdf")
    assert (media / pdf.berkas.name).read_bytes() == PDF

    page = client.get(url()).content.decode()
    download = reverse("bukti_download", args=[pdf.pk])
    assert f'href="{download}"' in page

    for user in (users["staf_sekretariat"], users["kepala"], users["admin"]):
        client.force_login(user)
        response = client.get(download)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "Laporan%20TW1.pdf" in response["Content-Disposition"] or (
            'filename="Laporan TW1.pdf"' in response["Content-Disposition"]
        )
        assert response["X-Content-Type-Options"] == "nosniff"


def test_it_adds_evidence_to_a_row_that_has_a_value(client, users, rencana, keuangan):
    realisasi_save_many(
        user=users["staf_sekretariat"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(keuangan.row_key, Decimal(26))],
    )
    data = load(client, users["staf_sekretariat"])
    data[f"{keuangan.row_key}-bukti"] = SimpleUploadedFile("a.pdf", PDF, "application/pdf")
    assert client.post(url(), data).status_code == 302
    row = stored(keuangan)
    assert (row.nilai, row.versi, row.bukti.count()) == (Decimal(26), 1, 1)


def _bukti_of(user, sub, rencana) -> Bukti:
    realisasi_save_many(
        user=user, rencana=rencana, triwulan=1, inputs=[RealisasiInput(sub.row_key, Decimal(10))]
    )
    owner = "sub_kegiatan" if isinstance(sub, SubKegiatan) else "indikator_sasaran"
    return Bukti.objects.create(
        realisasi=Realisasi.objects.get(**{owner: sub}, triwulan=1),
        berkas=SimpleUploadedFile("x.pdf", PDF),
        nama_asli="x.pdf",
        jenis="application/pdf",
        ukuran=len(PDF),
        diunggah_oleh=user,
        diunggah_pada=timezone.now(),
    )


def test_it_refuses_evidence_to_staff_of_another_bidang(client, users, rencana, keuangan):
    bukti = _bukti_of(users["staf_sekretariat"], keuangan, rencana)
    client.force_login(users["staf_politik"])
    assert client.get(reverse("bukti_download", args=[bukti.pk])).status_code == 404


def test_it_refuses_evidence_of_a_sasaran_row_to_staff(client, users, rencana):
    indikator = IndikatorSasaran.objects.first()
    bukti = _bukti_of(users["admin"], indikator, rencana)
    client.force_login(users["staf_sekretariat"])
    assert client.get(reverse("bukti_download", args=[bukti.pk])).status_code == 404
    client.force_login(users["pemeriksa"])
    assert client.get(reverse("bukti_download", args=[bukti.pk])).status_code == 200


def test_it_refuses_evidence_to_another_agency(client, users, rencana, keuangan):
    bukti = _bukti_of(users["staf_sekretariat"], keuangan, rencana)
    client.force_login(make_outsider().admin)
    assert client.get(reverse("bukti_download", args=[bukti.pk])).status_code == 404
    client.logout()
    response = client.get(reverse("bukti_download", args=[bukti.pk]))
    assert response.status_code == 302  # to the login page


def test_it_404s_for_evidence_whose_file_is_gone(client, users, rencana, keuangan, media):
    bukti = _bukti_of(users["staf_sekretariat"], keuangan, rencana)
    (media / bukti.berkas.name).unlink()
    client.force_login(users["staf_sekretariat"])
    assert client.get(reverse("bukti_download", args=[bukti.pk])).status_code == 404


# --- Removing evidence -------------------------------------------------------------------------


def hapus(bukti) -> str:
    return reverse("bukti_hapus", args=[bukti.pk])


def test_it_lets_staff_remove_a_file_of_their_bidang(
    client, users, rencana, keuangan, media, django_capture_on_commit_callbacks
):
    bukti = _bukti_of(users["staf_sekretariat"], keuangan, rencana)
    path = media / bukti.berkas.name
    client.force_login(users["staf_sekretariat"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(hapus(bukti))
    assert response.status_code == 302
    assert response["Location"] == url(1)
    assert not Bukti.objects.filter(pk=bukti.pk).exists()
    assert not path.exists()
    page = client.get(url(1))
    assert "Berkas «x.pdf» dihapus." in page.content.decode()
    assert Realisasi.objects.get(sub_kegiatan=keuangan, triwulan=1).nilai == Decimal(10)


def test_it_offers_a_delete_button_outside_the_page_form(client, users, rencana, keuangan):
    bukti = _bukti_of(users["staf_sekretariat"], keuangan, rencana)
    client.force_login(users["staf_sekretariat"])
    html = client.get(url(1)).content.decode()
    form_id = f"hapus-bukti-{bukti.pk}"
    assert f'form="{form_id}"' in html
    assert 'aria-label="Hapus berkas «x.pdf»"' in html
    assert 'onclick="return confirm(this.dataset.konfirmasi)"' in html
    # Forms cannot nest: the delete form comes after the page's form has closed.
    page_form_end = html.index("</form>", html.index('id="form-realisasi"'))
    delete_form = html.index(f'id="{form_id}"')
    assert delete_form > page_form_end
    assert f'action="{hapus(bukti)}"' in html[delete_form - 200 : delete_form]
    assert "csrfmiddlewaretoken" in html[delete_form : html.index("</form>", delete_form)]


@pytest.mark.parametrize("role", ["kepala", "pemeriksa", "staf_politik"])
def test_it_offers_no_delete_button_to_those_who_may_not_remove(
    client, users, rencana, keuangan, role
):
    bukti = _bukti_of(users["staf_sekretariat"], keuangan, rencana)
    client.force_login(users[role])
    html = client.get(url(1)).content.decode()
    assert "hapus-bukti" not in html and hapus(bukti) not in html


def test_it_404s_removal_for_staff_of_another_bidang(client, users, rencana, keuangan, media):
    bukti = _bukti_of(users["staf_sekretariat"], keuangan, rencana)
    client.force_login(users["staf_politik"])
    assert client.post(hapus(bukti)).status_code == 404
    assert Bukti.objects.filter(pk=bukti.pk).exists()
    assert (media / bukti.berkas.name).is_file()


def test_it_404s_removal_for_another_agency(client, users, rencana, keuangan, media):
    bukti = _bukti_of(users["staf_sekretariat"], keuangan, rencana)
    client.force_login(make_outsider().admin)
    assert client.post(hapus(bukti)).status_code == 404
    assert (media / bukti.berkas.name).is_file()


def test_it_refuses_removal_to_kepala(client, users, rencana, keuangan, media):
    bukti = _bukti_of(users["staf_sekretariat"], keuangan, rencana)
    client.force_login(users["kepala"])
    assert client.post(hapus(bukti)).status_code == 403
    assert Bukti.objects.filter(pk=bukti.pk).exists()
    assert (media / bukti.berkas.name).is_file()


def test_it_removes_only_by_post(client, users, rencana, keuangan):
    bukti = _bukti_of(users["staf_sekretariat"], keuangan, rencana)
    client.force_login(users["staf_sekretariat"])
    assert client.get(hapus(bukti)).status_code == 405
    assert Bukti.objects.filter(pk=bukti.pk).exists()


def test_it_keeps_csrf_protection_on_removal(users, rencana, keuangan, media):
    bukti = _bukti_of(users["staf_sekretariat"], keuangan, rencana)
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["staf_sekretariat"])
    assert client.post(hapus(bukti)).status_code == 403
    assert Bukti.objects.filter(pk=bukti.pk).exists()
    assert (media / bukti.berkas.name).is_file()
    # With the token the page's delete form carries, the same request goes through.
    client.get(url(1))
    token = client.cookies["csrftoken"].value
    assert client.post(hapus(bukti), {"csrfmiddlewaretoken": token}).status_code == 302
    assert not Bukti.objects.filter(pk=bukti.pk).exists()


def test_it_requires_login_to_remove(client, users, rencana, keuangan):
    bukti = _bukti_of(users["staf_sekretariat"], keuangan, rencana)
    response = client.post(hapus(bukti))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert Bukti.objects.filter(pk=bukti.pk).exists()


# --- Query budget ------------------------------------------------------------------------------


def _plan_with_evidence(users, instansi, size: int):
    rencana = plan_generate(instansi=instansi, tahun=2099, sub_kegiatan=size)
    subs = list(SubKegiatan.objects.filter(kegiatan__program__rencana=rencana))
    # Some realisations with evidence in earlier quarters and this one, so every prefetch runs.
    for sub in subs[:: max(1, size // 9)]:
        for triwulan in (1, 2):
            realisasi = Realisasi.objects.create(
                sub_kegiatan=sub,
                triwulan=triwulan,
                nilai=Decimal(10),
                diubah_oleh=users["admin"],
                diubah_pada=timezone.now(),
            )
            Bukti.objects.create(
                realisasi=realisasi,
                berkas=f"bukti/{triwulan}/x.pdf",
                nama_asli="x.pdf",
                jenis="application/pdf",
                ukuran=10,
                diunggah_pada=timezone.now(),
            )
    return rencana, subs


# session + user, profile, plan, review status, the filter's bidang and kegiatan choices, the
# pager's outline, kegiatan, sub kegiatan, realisasi, bukti; and the admin's sasaran children.
GET_QUERIES = {"admin": 13, "staf_politik": 12}


@pytest.mark.parametrize("size", [27, 400])
@pytest.mark.parametrize("role", ["admin", "staf_politik"])
def test_it_runs_the_same_queries_for_any_plan_size(
    client, users, instansi, size, role, django_assert_num_queries
):
    _rencana, subs = _plan_with_evidence(users, instansi, size)
    client.force_login(users[role])
    with django_assert_num_queries(GET_QUERIES[role]):
        response = client.get(url(2, tahun=2099))
    html = response.content.decode()
    visible = [s for s in subs if role == "admin" or s.bidang_id == users[role].profile.bidang_id]
    assert 0 < html.count('<tr id="sub-') <= len(visible)
    assert html.count(" data-baris") == html.count('<tr id="sub-') + (
        html.count('<tr id="ind-') if role == "admin" else 0
    )
    with django_assert_num_queries(GET_QUERIES[role]):
        client.get(url(2, tahun=2099) + "?halaman=2")


@pytest.mark.parametrize("size", [27, 2000])
def test_a_one_row_save_runs_the_same_queries_for_any_plan_size(
    client, users, instansi, size, django_assert_num_queries
):
    rencana, subs = _plan_with_evidence(users, instansi, size)
    reported = set(Realisasi.objects.values_list("sub_kegiatan_id", flat=True))
    bidang_id = users["staf_politik"].profile.bidang_id
    sub = next(s for s in subs if s.bidang_id == bidang_id and s.pk not in reported)
    client.force_login(users["staf_politik"])
    key = sub.row_key
    data = {f"{key}-nilai": "7", f"initial-{key}-nilai": "", f"{key}-versi": "0"}
    for name in ("ket", "kendala", "tindak_lanjut"):
        data[f"{key}-{name}"] = data[f"initial-{key}-{name}"] = ""
    # session + user, profile, plan, review status, the posted row, its realisasi; the save:
    # its row, savepoint, lock check (plan, status), stored rows, savepoint, insert, release,
    # history, release. Nothing of the page or the plan.
    with django_assert_num_queries(17):
        response = client.post(url(1, tahun=2099), data)
    assert response.status_code == 302
    assert Realisasi.objects.get(sub_kegiatan=sub, triwulan=1).nilai == 7


def test_it_pages_a_large_plan_at_kegiatan_boundaries(client, users, instansi):
    rencana, subs = _plan_with_evidence(users, instansi, 400)
    client.force_login(users["admin"])
    seen, number, sizes = [], 1, []
    while True:
        response = client.get(url(1, tahun=2099) + f"?halaman={number}")
        html = response.content.decode()
        keys = re.findall(r'<tr id="(sub-\d+)"', html)
        sizes.append(len(re.findall(r'<tr id="(?:sub|ind)-', html)))
        seen += keys
        if f"?halaman={number + 1}" not in html:
            break
        number += 1
    assert number > 3
    assert max(sizes) <= paging.ROWS_PER_PAGE
    # Every sub kegiatan once, in plan order, and each kegiatan's on one page.
    assert seen == [s.row_key for s in sorted(subs, key=lambda s: (s.kegiatan.nomor, s.urutan))]
    by_page = {}
    for number_ in range(1, number + 1):
        html = client.get(url(1, tahun=2099) + f"?halaman={number_}").content.decode()
        for key in re.findall(r'<tr id="(sub-\d+)"', html):
            by_page[key] = number_
    kegiatan_pages = {}
    for sub in subs:
        kegiatan_pages.setdefault(sub.kegiatan_id, set()).add(by_page[sub.row_key])
    assert all(len(pages) == 1 for pages in kegiatan_pages.values())


def test_the_page_has_no_unlabelled_inputs(client, users, keuangan):
    client.force_login(users["staf_sekretariat"])
    html = client.get(url()).content.decode()
    for name in ("nilai", "ket", "kendala", "tindak_lanjut", "bukti"):
        assert f'aria-labelledby="kolom-{name} {keuangan.row_key}-judul"' in html
    assert f'id="{keuangan.row_key}-judul"' in html


def test_it_keeps_a_note_saved_from_the_spreadsheet_when_only_the_value_changes(
    client, users, rencana, keuangan
):
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(keuangan.row_key, Decimal(20), ket="Selesai \n")],
    )
    assert stored(keuangan).ket == "Selesai"
    data = load(client, users["staf_sekretariat"])
    data[f"{keuangan.row_key}-nilai"] = "26"
    assert client.post(url(), data).status_code == 302
    row = stored(keuangan)
    assert (row.nilai, row.ket, row.versi) == (Decimal(26), "Selesai", 2)


# --- Filter and pages --------------------------------------------------------------------------


def test_it_shows_the_filter_bar_and_the_whole_small_plan_on_one_page(client, users, rencana):
    client.force_login(users["admin"])
    html = client.get(url()).content.decode()
    assert 'id="saring"' in html and '<option value="">Semua bidang</option>' in html
    assert html.count('<tr id="sub-') == 3 and html.count('<tr id="ind-') == 2
    assert "halaman-realisasi" not in html  # no pager for one page
    assert "3 baris" not in html and "5 baris indikator, triwulan 1</caption>" in html


def test_it_offers_staff_only_their_own_bidang(client, users, keuangan, politik):
    client.force_login(users["staf_politik"])
    html = client.get(url()).content.decode()
    assert "Semua bidang" not in html
    assert f'<option value="{politik.bidang_id}" selected>' in html
    assert f'value="{keuangan.bidang_id}"' not in html
    # Only the kegiatan with rows of their bidang.
    assert f'<option value="{politik.kegiatan_id}">' in html
    assert f'<option value="{keuangan.kegiatan_id}">' not in html


def test_it_filters_by_bidang_and_by_kegiatan(client, users, keuangan, peralatan, politik):
    client.force_login(users["admin"])
    html = client.get(url() + f"?bidang={politik.bidang_id}").content.decode()
    assert f'<tr id="{politik.row_key}"' in html
    assert f'<tr id="{keuangan.row_key}"' not in html
    assert '<tr id="ind-' not in html  # sasaran rows have no bidang
    html = client.get(url() + f"?kegiatan={keuangan.kegiatan_id}").content.decode()
    assert f'<tr id="{keuangan.row_key}"' in html and f'<tr id="{peralatan.row_key}"' in html
    assert f'<tr id="{politik.row_key}"' not in html
    assert html.count('<tr id="ind-') == 1  # the kegiatan's own sasaran row


def test_a_save_returns_to_the_same_filter_and_page(client, users, instansi):
    rencana, subs = _plan_with_evidence(users, instansi, 400)
    client.force_login(users["admin"])
    query = f"?bidang={subs[0].bidang_id}&halaman=2"
    page = client.get(url(1, tahun=2099) + query)
    fields = form_fields(page)
    key = next(name for name in fields if name.endswith("-nilai") and not name.startswith("ini"))
    response = client.post(url(1, tahun=2099) + query, {**fields, key: "5"})
    assert response.status_code == 302
    assert response["Location"] == url(1, tahun=2099) + query
    # A refusal shows the same page with what was typed, the filter kept in the form's URL.
    response = client.post(url(1, tahun=2099) + query, {**fields, key: "lima"})
    assert response.status_code == 200
    assert form_fields(response)[key] == "lima"
    assert '<strong aria-current="page">2 ' in response.content.decode()


def test_it_shows_a_posted_row_that_is_not_on_the_page_any_more(client, users, keuangan, politik):
    # Loaded unfiltered, posted under a filter that no longer holds the row: still shown.
    data = load(client, users["admin"])
    data[f"{keuangan.row_key}-nilai"] = "salah"
    response = client.post(url() + f"?bidang={politik.bidang_id}", data)
    assert response.status_code == 200
    assert form_fields(response)[f"{keuangan.row_key}-nilai"] == "salah"


def test_it_says_when_a_filter_or_page_is_not_used(client, users, politik):
    client.force_login(users["staf_sekretariat"])
    html = client.get(url() + f"?bidang={politik.bidang_id}&halaman=7").content.decode()
    assert "Saringan Bidang tidak dipakai" in html
    assert "Halaman yang diminta tidak ada; ditampilkan halaman 1 dari 1." in html
    assert "Penyusunan Laporan Keuangan Uji" in html  # their own rows, as by default


def test_staff_filter_by_a_kegiatan_of_their_bidang(client, users, rencana, keuangan, peralatan):
    client.force_login(users["staf_sekretariat"])
    html = client.get(url() + f"?kegiatan={keuangan.kegiatan_id}").content.decode()
    assert "tidak dipakai" not in html
    assert f'<option value="{keuangan.kegiatan_id}" selected>' in html
    assert f'<tr id="{keuangan.row_key}"' in html and f'<tr id="{peralatan.row_key}"' in html


def test_the_admin_choosing_a_bidang_gets_only_its_kegiatan(client, users, keuangan, politik):
    client.force_login(users["admin"])
    html = client.get(url() + f"?bidang={politik.bidang_id}").content.decode()
    assert f'<option value="{politik.kegiatan_id}">2 · Kewaspadaan Uji</option>' in html
    assert "Administrasi Keuangan Uji</option>" not in html
