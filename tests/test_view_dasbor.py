"""The dashboard: what each role sees of where the agency stands in a quarter."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from renaksi.models import Peran, Realisasi, SubKegiatan
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


# --- Serapan beside capaian (issue 12) ---------------------------------------------------------


@pytest.fixture
def spent(users, rencana, subs):
    """Sekretariat: pagu 1.000.000 + 9.000.000, spent 900.000 each (90 % and 10 %: 18 %
    summed, 50 % averaged); Politik: pagu 2.000.000, spent 1.000.000 (50 %)."""
    laporan = subs["Penyusunan Laporan Keuangan Uji"]
    peralatan = subs["Penyediaan Peralatan Kantor Uji"]
    politik = subs["Pemantauan Situasi Politik Uji"]
    for sub, pagu in ((laporan, 1_000_000), (peralatan, 9_000_000), (politik, 2_000_000)):
        SubKegiatan.objects.filter(pk=sub.pk).update(pagu=pagu)
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=1,
        inputs=[
            RealisasiInput(laporan.row_key, Decimal(26)),
            RealisasiInput(peralatan.row_key, Decimal(1)),
            RealisasiInput(politik.row_key, Decimal(57)),
        ],
    )
    for sub, rupiah in ((laporan, 900_000), (peralatan, 900_000), (politik, 1_000_000)):
        Realisasi.objects.filter(sub_kegiatan=sub, triwulan=1).update(keuangan=rupiah)


def test_it_shows_serapan_beside_capaian_per_bidang_from_the_sums(client, users, spent):
    client.force_login(users["kepala"])
    response = client.get(url())
    by_name = {item.nama: item for item, _band in response.context["serapan"]}
    assert by_name["Sekretariat"].serapan == 18  # 1.800.000 of 10.000.000, not (90 + 10) / 2
    assert by_name["Sekretariat"].capaian == 100
    assert by_name["Sekretariat"].efisiensi == 82
    assert by_name["Bidang Politik"].serapan == 50
    agency = by_name["Instansi"]
    assert agency.anggaran.pagu == 12_000_000 and agency.realisasi_sd == 2_800_000
    assert round(agency.serapan, 2) == Decimal("23.33")  # not the bidang mean (34)
    html = response.content.decode()
    assert "Serapan anggaran dan capaian per bidang, s.d. TW 1" in html
    assert "12.000.000" in html and "2.800.000" in html
    assert html.count("<svg") == 5
    assert 'id="grafik-serapan-angka"' in html  # the chart's numbers for screen readers
    assert "Serapan anggaran s.d. TW 1" in html


def test_it_shows_no_serapan_for_a_plan_without_pagu(client, users, rencana):
    client.force_login(users["kepala"])
    response = client.get(url())
    assert "serapan" not in response.context
    assert "grafik-serapan" not in response.content.decode()


def test_it_shows_staff_no_serapan_of_the_agency(client, users, spent):
    client.force_login(users["staf_politik"])
    assert "grafik-serapan" not in client.get(url()).content.decode()


@pytest.mark.parametrize("size", [27, 270])
def test_it_runs_the_same_queries_with_pagu_and_spending(
    client, instansi, size, django_assert_num_queries
):
    rencana = plan_generate(instansi=instansi, tahun=2099, sub_kegiatan=size)
    subs = SubKegiatan.objects.filter(kegiatan__rencana=rencana)
    subs.update(pagu=1_000_000)
    admin = make_user("u-admin", instansi, Peran.ADMIN)
    inputs = [RealisasiInput(sub.row_key, Decimal(10)) for sub in subs]
    realisasi_save_many(user=admin, rencana=rencana, triwulan=1, inputs=inputs)
    Realisasi.objects.filter(sub_kegiatan__in=subs).update(keuangan=250_000)
    client.force_login(make_user("u-kepala", instansi, Peran.KEPALA))
    # As without money: the rupiah come with the rows the dashboard reads anyway.
    with django_assert_num_queries(12):
        response = client.get(url(tahun=2099))
    assert response.context["serapan"][-1][0].serapan == 25
