import pytest
from django.urls import reverse

from renaksi.models import Peran
from renaksi.synthetic import plan_generate
from tests.factories import make_instansi, make_plan, make_user

pytestmark = pytest.mark.django_db


def test_it_requires_login(client, rencana):
    response = client.get(reverse("rencana_aksi", args=[2023]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_shows_the_signed_document(client, users, rencana):
    client.force_login(users["kepala"])
    response = client.get(reverse("rencana_aksi", args=[2023]))
    assert response.status_code == 200
    for text in (
        "TABEL RENCANA AKSI",
        "PENCAPAIAN PERJANJIAN KINERJA PER TRIWULAN",
        "BADAN KESBANGPOL UJI TAHUN 2023",
        "Meningkatnya Kualitas Uji",
        "Penyusunan Laporan Keuangan Uji",
        "Ambon, Maret 2023",
        "KEPALA BADAN UJI",
        "DANIEL UJI, S.Sos",
        "Pembina Utama Muda",
        "NIP. 19681210 198902 1 002",
    ):
        assert text in response.content.decode(), text
    # The NO block of kegiatan 1 spans its two sub kegiatan rows.
    assert '<td class="k-no" rowspan="2">1</td>' in response.content.decode()


def test_it_prints_quarter_targets_and_dashes(client, users, rencana):
    client.force_login(users["staf_politik"])
    response = client.get(reverse("rencana_aksi", args=[2023]))
    html = response.content.decode()
    assert '<div class="tw">TW 1 : 26%</div>' in html
    assert '<div class="tw">TW 1 : -</div>' in html
    assert '<div class="tw">TW 2 : 100%</div>' in html


def test_it_shows_the_column_header_rows(client, users, rencana):
    client.force_login(users["pemeriksa"])
    response = client.get(reverse("rencana_aksi", args=[2023]))
    html = response.content.decode()
    assert '<th colspan="2" scope="col">SASARAN</th>' in html
    assert '<th colspan="3" scope="col">SUB KEGIATAN</th>' in html
    assert '<th rowspan="2" scope="col">KET</th>' in html
    for n in range(1, 12):
        assert f"<th>{n}</th>" in html


def test_it_gives_a_clear_404_for_a_year_without_plan(client, users, rencana):
    client.force_login(users["kepala"])
    response = client.get(reverse("rencana_aksi", args=[2031]))
    assert response.status_code == 404
    assert "Belum ada rencana aksi tahun 2031" in response.content.decode()


def test_it_hides_another_agencys_plan(client, rencana):
    other = make_instansi(kode="lain", nama="Instansi Lain")
    outsider = make_user("orang-luar", other, Peran.KEPALA)
    client.force_login(outsider)
    response = client.get(reverse("rencana_aksi", args=[2023]))
    assert response.status_code == 404
    assert "Penyusunan Laporan Keuangan Uji" not in response.content.decode()


def test_it_refuses_a_user_without_agency(client, rencana):
    client.force_login(make_user("tanpa-profil", None, ""))
    response = client.get(reverse("rencana_aksi", args=[2023]))
    assert response.status_code == 403


def test_home_opens_the_dashboard_of_the_latest_plan(client, users, instansi, rencana):
    make_plan(instansi, tahun=2024)
    client.force_login(users["kepala"])
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("dasbor", args=[2024, 4])


@pytest.mark.parametrize("size", [27, 270])
def test_it_runs_the_same_queries_for_any_plan_size(
    client, users, instansi, size, django_assert_num_queries
):
    plan_generate(instansi=instansi, tahun=2099, sub_kegiatan=size)
    client.force_login(users["kepala"])
    # session, user, profile, plan, its signed record, kegiatan, sub kegiatan, the years
    with django_assert_num_queries(8):
        response = client.get(reverse("rencana_aksi", args=[2099]))
    assert response.content.decode().count('<tr id="sub-') == size


def test_it_runs_the_same_queries_for_the_2023_plan_and_one_ten_times_larger(
    client, django_assert_num_queries
):
    from django.contrib.auth.models import User
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    kepala = User.objects.get(username="kepala")
    plan_generate(instansi=kepala.profile.instansi, tahun=2099, sub_kegiatan=270)
    client.force_login(kepala)
    for tahun, rows in ((2023, 27), (2099, 270)):
        with django_assert_num_queries(8):
            response = client.get(reverse("rencana_aksi", args=[tahun]))
        assert response.content.decode().count('<tr id="sub-') == rows


def test_home_sends_the_platform_operator_to_the_admin(client, db):
    from django.contrib.auth.models import User

    operator = User.objects.create_superuser("operator", password="x-operator-123")
    client.force_login(operator)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
