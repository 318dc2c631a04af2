"""Signed documents: the approved quarter's report and the signed plan, stored and verifiable."""

import hashlib
import subprocess
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renaksi.models import DokumenTertanda, JenisDokumen
from renaksi.services import triwulan_ajukan, triwulan_kembalikan

pytestmark = pytest.mark.django_db


def submit(users, rencana, triwulan=1):
    triwulan_ajukan(user=users["admin"], rencana=rencana, triwulan=triwulan)


def approve(client, users, triwulan=1, **signature):
    client.force_login(users["kepala"])
    return client.post(reverse("triwulan_setujui", args=[2023, triwulan]), signature)


def download(client, triwulan=1) -> bytes:
    response = client.get(reverse("laporan_capaian_pdf", args=[2023, triwulan]))
    assert response.status_code == 200
    return response.content


def pdf_text(content: bytes) -> str:
    result = subprocess.run(["pdftotext", "-raw", "-", "-"], input=content, capture_output=True)
    return " ".join(result.stdout.decode().split())


def verify(client, kode, content=None):
    client.logout()
    url = reverse("verifikasi", args=[kode])
    if content is None:
        return client.get(url)
    return client.post(url, {"berkas": SimpleUploadedFile("laporan.pdf", content)})


def test_it_stores_the_approved_report_and_serves_exactly_that_file(
    client, users, rencana, artifacts_dir
):
    submit(users, rencana)
    response = approve(
        client,
        users,
        tempat="Masohi",
        tanggal="2023-04-10",
        sebagai="Plt.",
        jabatan="KEPALA BADAN UJI",
        nama="MARIA PLT, S.H.",
        pangkat="Pembina",
        nip="197001012000032001",
    )
    assert response.status_code == 302
    dokumen = DokumenTertanda.objects.get()
    assert (dokumen.jenis, dokumen.triwulan, dokumen.berlaku) == (JenisDokumen.LAPORAN, 1, True)
    assert dokumen.ditandatangani_oleh == users["kepala"]
    stored = dokumen.berkas.read()
    assert hashlib.sha256(stored).hexdigest() == dokumen.sha256 == dokumen.sha256.lower()
    assert dokumen.ukuran == len(stored)

    content = download(client)
    assert content == stored
    (artifacts_dir / "laporan-tertanda-tw1.pdf").write_bytes(content)  # to look at
    text = pdf_text(content)
    assert "Masohi, 10 April 2023" in text
    assert "Plt. KEPALA BADAN UJI" in text
    assert "MARIA PLT, S.H." in text and "NIP. 19700101 200003 2 001" in text
    assert dokumen.kode in text
    # Reporting staff get their own rows, not the signed file of every row.
    client.force_login(users["staf_sekretariat"])
    assert download(client) != stored

    page = verify(client, dokumen.kode, content)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Cocok" in html and "Tidak cocok" not in html
    assert "Badan Kesbangpol Uji" in html and "TW 1" in html and "Berlaku" in html


def test_it_defaults_to_the_kepala_today_and_the_agency_city(client, users, rencana):
    kepala = users["kepala"]
    kepala.first_name, kepala.last_name = "Yohanis", "Kepala"
    kepala.save()
    kepala.profile.jabatan, kepala.profile.pangkat = "KEPALA BADAN", "Pembina Tk. I"
    kepala.profile.nip = "197203152000121003"
    kepala.profile.save()
    submit(users, rencana)
    approve(client, users)
    dokumen = DokumenTertanda.objects.get()
    assert dokumen.nama == "Yohanis Kepala"
    assert (dokumen.jabatan, dokumen.pangkat, dokumen.nip, dokumen.sebagai) == (
        "KEPALA BADAN",
        "Pembina Tk. I",
        "197203152000121003",
        "",
    )
    assert dokumen.tempat_tanggal.startswith("Ambon, ")
    assert str(date.today().year) in dokumen.tempat_tanggal


def test_it_refuses_an_invalid_nip_and_approves_nothing(client, users, rencana):
    submit(users, rencana)
    response = approve(client, users, nip="123")
    assert response.status_code == 200
    assert not DokumenTertanda.objects.exists()
    assert rencana.status_triwulan.get(triwulan=1).status == "diajukan"


def test_a_changed_byte_does_not_match(client, users, rencana):
    submit(users, rencana)
    approve(client, users)
    dokumen = DokumenTertanda.objects.get()
    content = bytearray(download(client))
    content[len(content) // 2] ^= 1
    html = verify(client, dokumen.kode, bytes(content)).content.decode()
    assert "Tidak cocok" in html


def test_reopen_supersedes_and_a_second_approval_stores_a_new_code(client, users, rencana):
    submit(users, rencana)
    approve(client, users)
    first = DokumenTertanda.objects.get()
    first_bytes = first.berkas.read()
    triwulan_kembalikan(
        user=users["kepala"],
        rencana=rencana,
        triwulan=1,
        catatan="Perbaiki setelah audit.",
        status_dilihat="disetujui",
    )
    first.refresh_from_db()
    assert not first.berlaku
    assert "Sudah diganti" in verify(client, first.kode).content.decode()

    submit(users, rencana)
    approve(client, users)
    second = DokumenTertanda.objects.get(diganti_pada__isnull=True)
    assert second.kode != first.kode
    assert DokumenTertanda.objects.count() == 2
    assert download(client) == second.berkas.read() != first_bytes
    old = verify(client, first.kode, first_bytes).content.decode()
    assert "Cocok" in old and "Sudah diganti" in old


def test_the_kepala_signs_the_plan_and_downloads_serve_that_file(client, users, rencana):
    client.force_login(users["admin"])
    assert client.post(reverse("rencana_tandatangani", args=[2023])).status_code == 403
    client.force_login(users["kepala"])
    response = client.post(reverse("rencana_tandatangani", args=[2023]))
    assert response.status_code == 302
    dokumen = DokumenTertanda.objects.get(jenis=JenisDokumen.RENCANA_AKSI)
    client.force_login(users["pemeriksa"])
    content = client.get(reverse("rencana_aksi_pdf", args=[2023])).content
    assert content == dokumen.berkas.read()
    assert hashlib.sha256(content).hexdigest() == dokumen.sha256
    html = verify(client, dokumen.kode, content).content.decode()
    assert "Tabel Rencana Aksi" in html and "Cocok" in html

    client.force_login(users["kepala"])
    client.post(reverse("rencana_tandatangani", args=[2023]))
    dokumen.refresh_from_db()
    assert not dokumen.berlaku
    assert DokumenTertanda.objects.filter(diganti_pada__isnull=True).count() == 1


def test_the_verification_page_says_plainly_when_a_code_is_unknown(client):
    response = verify(client, "ZZZZZZZZZZZZ")
    assert response.status_code == 404
    assert "Kode verifikasi ini tidak dikenal" in response.content.decode()
    assert verify(client, "abc%00def").status_code == 404


def test_the_verification_page_shows_nothing_else_of_the_plan(client, users, rencana):
    submit(users, rencana)
    approve(client, users)
    dokumen = DokumenTertanda.objects.get()
    html = verify(client, dokumen.kode).content.decode()
    assert "Penyusunan Laporan Keuangan Uji" not in html  # no row of the plan
    assert dokumen.sha256 not in html


def test_the_verification_page_is_throttled_per_address(client, settings):
    settings.VERIFIKASI_PER_JAM = 3
    for _ in range(3):
        assert verify(client, "ZZZZZZZZZZZZ").status_code == 404
    assert verify(client, "ZZZZZZZZZZZZ").status_code == 429
    other = client.get(reverse("verifikasi", args=["ZZZZZZZZZZZZ"]), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 404


def test_behind_the_proxy_the_verification_page_counts_each_client_not_the_proxy(client, settings):
    settings.VERIFIKASI_PER_JAM = 2
    settings.BEHIND_HTTPS_PROXY = True
    url = reverse("verifikasi", args=["ZZZZZZZZZZZZ"])

    def via_proxy(client_address):
        # The proxy appends the address it saw; an earlier entry is the client's own claim.
        forwarded = f"203.0.113.66, {client_address}"
        return client.get(url, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert [via_proxy("198.51.100.7").status_code for _ in range(3)] == [404, 404, 429]
    assert via_proxy("198.51.100.8").status_code == 404  # another visitor, same proxy


def test_a_report_not_approved_does_not_print_the_plans_signing_date(users, rencana):
    from renaksi.documents import laporan_table

    signature = laporan_table(rencana=rencana, triwulan=4).signature
    assert signature.place_date.startswith("Ambon, ....")
    assert rencana.tempat_tanggal_ttd not in signature.place_date  # "Ambon, Maret 2023"
