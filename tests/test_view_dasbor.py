"""The dashboard: what each role sees of where the agency stands in a quarter."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from renaksi.models import Peran
from renaksi.services import RealisasiInput, realisasi_save_many, triwulan_ajukan
from renaksi.synthetic import plan_generate
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def url(triwulan=1, tahun=2023):
    return reverse("dasbor", kwargs={"tahun": tahun, "triwulan": triwulan})


def test_home_opens_the_dashboard_of_the_latest_plan(client, users, rencana):
    client.force_login(users["kepala"])
    response = client.get(reverse("home"))
    assert response.status_code == 302
    # 2023 is over (today is later): its dashboard opens on TW 4.
    assert response["Location"] == url(4)


def test_it_shows_the_kepala_the_quarter_waiting_after_the_admin_submits(client, users, rencana):
    client.force_login(users["kepala"])
    assert "Menunggu keputusan Anda" not in client.get(url()).content.decode()
    triwulan_ajukan(user=users["admin"], rencana=rencana, triwulan=1)
    html = client.get(url()).content.decode()
    assert "Menunggu keputusan Anda" in html
    assert "Periksa TW 1" in html
    assert reverse("laporan_capaian", args=[2023, 1]) + "#status-triwulan" in html


def test_it_counts_per_bidang_what_is_reported(client, users, rencana, subs):
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(subs["Penyusunan Laporan Keuangan Uji"].row_key, Decimal(26))],
    )
    client.force_login(users["pemeriksa"])
    response = client.get(url())
    rows = {row.record.nama: row.record for row in response.context["bidang_table"].rows}
    # Sekretariat: two rows, one with a TW 1 target, reported; Politik: one, not reported.
    assert (rows["Sekretariat"].with_target, rows["Sekretariat"].reported) == (1, 1)
    assert (rows["Bidang Politik"].with_target, rows["Bidang Politik"].reported) == (1, 0)
    html = response.content.decode()
    assert "Pelaporan per bidang" in html
    assert html.count("<h1>") == 1


def test_it_tells_the_admin_what_keeps_the_quarter_from_being_ready(client, users, rencana):
    client.force_login(users["admin"])
    html = client.get(url()).content.decode()
    assert "Kesiapan mengajukan TW 1" in html
    assert "3 baris sub kegiatan bertarget belum diisi." not in html  # TW 1: two have a target
    assert "2 baris sub kegiatan bertarget belum diisi." in html
    assert "2 indikator sasaran bertarget belum diisi." in html
    assert "Bidang yang belum melapor: Sekretariat, Bidang Politik" in html


def test_it_shows_staff_only_their_own_rows_owed_and_their_saves(client, users, rencana, subs):
    staf = users["staf_politik"]
    client.force_login(staf)
    html = client.get(url()).content.decode()
    assert "Pemantauan Situasi Politik Uji" in html
    assert "Penyusunan Laporan Keuangan Uji" not in html
    assert "Pelaporan per bidang" not in html
    realisasi_save_many(
        user=staf,
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(subs["Pemantauan Situasi Politik Uji"].row_key, Decimal(57))],
    )
    html = client.get(url()).content.decode()
    assert "Tidak ada: semua baris bertarget sudah diisi." in html
    assert "Simpanan terakhir Anda" in html and "Pemantauan Situasi Politik Uji" in html


def test_it_shows_the_returned_note(client, users, rencana):
    from renaksi.services import triwulan_kembalikan

    triwulan_ajukan(user=users["admin"], rencana=rencana, triwulan=1)
    triwulan_kembalikan(
        user=users["kepala"],
        rencana=rencana,
        triwulan=1,
        catatan="Lengkapi bukti TW 1",
        status_dilihat="diajukan",
    )
    client.force_login(users["staf_sekretariat"])
    html = client.get(url()).content.decode()
    assert "TW 1 dikembalikan kepala" in html and "Lengkapi bukti TW 1" in html


def test_it_draws_the_charts_with_their_numbers(client, users, rencana):
    client.force_login(users["kepala"])
    html = client.get(url()).content.decode()
    assert html.count("<svg") == 4
    assert 'role="img"' in html and 'class="sr-only"' in html


def test_it_exports_the_lists_with_formula_looking_text_as_text(client, users, rencana, subs):
    sub = subs["Pemantauan Situasi Politik Uji"]
    sub.uraian = '=HYPERLINK("http://x","klik")'
    sub.save()
    client.force_login(users["admin"])
    response = client.get(url() + "?_export=owed")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    found = [cell for cell in cells if cell.value == sub.uraian]
    assert found and all(cell.data_type == "s" for cell in found)
    assert response["Content-Disposition"].startswith("attachment")


def test_it_filters_the_rows_owed_by_bidang(client, users, rencana, instansi):
    politik = instansi.bidang.get(nama="Bidang Politik")
    client.force_login(users["admin"])
    html = client.get(url() + f"?bidang={politik.pk}").content.decode()
    assert "Pemantauan Situasi Politik Uji" in html
    owed = client.get(url() + f"?bidang={politik.pk}").context["owed_table"]
    assert [row.record.uraian for row in owed.rows] == ["Pemantauan Situasi Politik Uji"]


def test_it_answers_404_for_another_agencys_year(client, users, rencana):
    from tests.factories import make_outsider

    outsider = make_outsider()
    client.force_login(outsider.admin)
    assert client.get(url()).status_code == 404


@pytest.mark.parametrize("size", [27, 270])
@pytest.mark.parametrize("peran", [Peran.KEPALA, Peran.STAF])
def test_it_runs_the_same_queries_for_any_plan_size(
    client, instansi, size, peran, django_assert_num_queries
):
    plan_generate(instansi=instansi, tahun=2099, sub_kegiatan=size)
    bidang = instansi.bidang.first() if peran == Peran.STAF else None
    user = make_user(f"u-{peran}", instansi, peran, bidang)
    client.force_login(user)
    # Session, user, profile, plan, statuses, years, the rows (kegiatan, sub kegiatan,
    # realisations, evidence), the rows owed and their count, the staff's last saves.
    with django_assert_num_queries(12):
        assert client.get(url(tahun=2099)).status_code == 200
