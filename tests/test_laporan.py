import subprocess
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from renaksi.documents import laporan_table
from renaksi.models import IndikatorSasaran, RencanaAksi, SubKegiatan
from renaksi.services import RealisasiInput, realisasi_save_many
from renaksi.synthetic import plan_generate
from tests.factories import make_instansi, make_outsider, make_plan, make_users

pytestmark = pytest.mark.django_db


def cells_of(table, key):
    row = next(row for row in table.rows if row.key == key)
    return {cell.column: cell for cell in row.cells}


@pytest.fixture
def plan_2023():
    """The real 2023 plan (this test checks the issue's worked examples on it)."""
    call_command("load_demo", verbosity=0)
    rencana = RencanaAksi.objects.select_related("instansi").get(tahun=2023)
    from django.contrib.auth.models import User

    return rencana, User.objects.get(username="admin")


def test_it_scores_the_2023_examples(plan_2023):
    rencana, admin = plan_2023
    keuangan = SubKegiatan.objects.get(
        uraian="Koordinasi dan Penyusunan Laporan Keuangan Akhir Tahun SKPD"
    )
    kriminalitas = IndikatorSasaran.objects.get(indikator="Menurunnya Tingkat Kriminalitas")
    realisasi_save_many(
        user=admin,
        rencana=rencana,
        triwulan=1,
        inputs=[
            RealisasiInput(keuangan.row_key, Decimal(26), ket="Laporan selesai"),
            RealisasiInput(kriminalitas.row_key, Decimal(30)),
        ],
    )
    table = laporan_table(rencana=rencana, triwulan=1)
    row = cells_of(table, keuangan.row_key)
    assert row["capaian_tw"].number == 100
    assert row["predikat_tw"].text == "Sangat Tinggi"
    assert row["ket"].text == "Laporan selesai"
    row = cells_of(table, kriminalitas.row_key)
    assert row["target_tw"].number == 25
    assert row["capaian_tw"].number == 80
    assert row["predikat_tw"].text == "Tinggi"
    assert row["predikat_tw"].css == "predikat-tinggi"


def test_it_prints_a_dash_without_target_or_realisation():
    instansi = make_instansi()
    rencana = make_plan(instansi)
    peralatan = SubKegiatan.objects.get(uraian="Penyediaan Peralatan Kantor Uji")
    row = cells_of(laporan_table(rencana=rencana, triwulan=1), peralatan.row_key)
    for column in ("target_tw", "realisasi_tw", "capaian_tw", "predikat_tw"):
        assert row[column].number is None
        assert row[column].display == "-"


def test_it_accumulates_to_date():
    instansi = make_instansi()
    users = make_users(instansi)
    rencana = make_plan(instansi)
    sub = SubKegiatan.objects.get(uraian="Penyusunan Laporan Keuangan Uji")  # 26, 26, 25, 23
    for tw, value in ((1, 26), (2, 13)):
        realisasi_save_many(
            user=users["admin"],
            rencana=rencana,
            triwulan=tw,
            inputs=[RealisasiInput(sub.row_key, Decimal(value))],
        )
    row = cells_of(laporan_table(rencana=rencana, triwulan=2), sub.row_key)
    assert row["capaian_tw"].number == 50
    assert row["target_sd"].number == 52
    assert row["realisasi_sd"].number == 39
    assert row["capaian_sd"].number == 75
    assert row["predikat_sd"].text == "Sedang"


def report_everything(rencana, user, triwulan):
    """A realisation on every row, so that no query is skipped for lack of rows."""
    inputs = [
        RealisasiInput(sub.row_key, Decimal(10))
        for sub in SubKegiatan.objects.filter(kegiatan__program__rencana=rencana)
    ]
    realisasi_save_many(user=user, rencana=rencana, triwulan=triwulan, inputs=inputs)


@pytest.mark.parametrize("size", [27, 270])
def test_it_builds_the_report_in_constant_queries(size, django_assert_num_queries):
    instansi = make_instansi()
    users = make_users(instansi)
    rencana = plan_generate(instansi=instansi, tahun=2099, sub_kegiatan=size)
    rencana = RencanaAksi.objects.select_related("instansi").get(pk=rencana.pk)
    report_everything(rencana, users["admin"], 3)
    # the quarter's review status (footer), realisasi, kegiatan, sub kegiatan
    with django_assert_num_queries(4):
        table = laporan_table(rencana=rencana, triwulan=3)
    assert sum(1 for row in table.rows if row.key.startswith("sub-")) == size


class TestViews:
    @pytest.fixture
    def setup(self):
        instansi = make_instansi()
        return make_users(instansi), make_plan(instansi)

    def test_it_shows_the_report_with_signature_and_legend(self, client, setup):
        users, _ = setup
        client.force_login(users["kepala"])
        response = client.get(reverse("laporan_capaian", args=[2023, 2]))
        html = response.content.decode()
        assert response.status_code == 200
        assert "LAPORAN CAPAIAN KINERJA TRIWULAN 2" in html
        assert "S.D. TRIWULAN 2" in html
        assert "NIP. 19681210 198902 1 002" in html
        assert "Sangat Tinggi: 91 ke atas" in html

    @pytest.mark.parametrize("size", [27, 270])
    def test_it_runs_the_same_queries_at_any_size(
        self, client, setup, size, django_assert_num_queries
    ):
        users, _ = setup
        rencana = plan_generate(
            instansi=users["kepala"].profile.instansi, tahun=2099, sub_kegiatan=size
        )
        report_everything(rencana, users["admin"], 1)
        client.force_login(users["kepala"])
        # session, user, profile, plan, review status (banner and footer, read once), realisasi,
        # kegiatan, sub kegiatan, the quarter's evidence files (the rows' links)
        with django_assert_num_queries(9):
            response = client.get(reverse("laporan_capaian", args=[2099, 1]))
        assert response.status_code == 200

    def test_it_refuses_a_fifth_quarter(self, client, setup):
        users, _ = setup
        client.force_login(users["kepala"])
        assert client.get("/rencana-aksi/2023/tw/5/laporan/").status_code == 404

    def test_it_hides_another_agencys_report(self, client, setup):
        client.force_login(make_outsider().admin)
        for name in ("laporan_capaian", "laporan_capaian_pdf", "laporan_capaian_xlsx"):
            assert client.get(reverse(name, args=[2023, 1])).status_code == 404

    def test_it_downloads_the_report_as_pdf(self, client, setup):
        users, _ = setup
        client.force_login(users["staf_politik"])
        response = client.get(reverse("laporan_capaian_pdf", args=[2023, 1]))
        assert response["Content-Type"] == "application/pdf"
        assert "laporan-capaian-kesbangpol-uji-2023-tw1.pdf" in response["Content-Disposition"]
        text = subprocess.run(
            ["pdftotext", "-raw", "-", "-"], input=response.content, capture_output=True
        ).stdout.decode()
        assert "LAPORAN CAPAIAN KINERJA TRIWULAN 1" in text
        assert "PemantauanSituasiPolitikUji" in "".join(text.split())

    def test_it_downloads_the_report_as_xlsx_with_numbers(self, client, setup):
        users, rencana = setup
        sub = SubKegiatan.objects.get(uraian="Penyusunan Laporan Keuangan Uji")
        realisasi_save_many(
            user=users["admin"],
            rencana=rencana,
            triwulan=1,
            inputs=[RealisasiInput(sub.row_key, Decimal(13), ket='=HYPERLINK("http://x","y")')],
        )
        client.force_login(users["kepala"])
        response = client.get(reverse("laporan_capaian_xlsx", args=[2023, 1]))
        sheet = load_workbook(BytesIO(response.content)).active
        values = [cell.value for row in sheet.iter_rows() for cell in row]
        assert 13 in values and 50 in values  # realisation and capaian as numbers
        assert '=HYPERLINK("http://x","y")' in values
        formula_cells = [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
        assert formula_cells == []


class TestCommand:
    def test_it_writes_the_report(self, tmp_path):
        make_plan(make_instansi(kode="kesbangpol-maluku"))
        output = tmp_path / "lap.xlsx"
        call_command(
            "export_laporan",
            "--tahun",
            "2023",
            "--triwulan",
            "1",
            "--format",
            "xlsx",
            "--output",
            output,
        )
        assert load_workbook(output).active["A1"].value.startswith("LAPORAN CAPAIAN")

    def test_it_fails_for_a_year_without_plan(self, tmp_path):
        make_plan(make_instansi(kode="kesbangpol-maluku"))
        output = tmp_path / "lap.pdf"
        with pytest.raises(CommandError, match="tahun 2022"):
            call_command(
                "export_laporan",
                "--tahun",
                "2022",
                "--triwulan",
                "1",
                "--format",
                "pdf",
                "--output",
                output,
            )
        assert not output.exists()


def test_it_shows_staff_only_their_bidangs_rows_and_notes(client, users, rencana, subs):
    keuangan = subs["Penyusunan Laporan Keuangan Uji"]
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(keuangan.row_key, Decimal(20), ket="Catatan Sekretariat")],
    )
    client.force_login(users["staf_politik"])
    html = client.get(reverse("laporan_capaian", args=[2023, 1])).content.decode()
    assert "Pemantauan Situasi Politik Uji" in html
    assert "Hanya baris Bidang Politik." in html
    for hidden in ("Catatan Sekretariat", "Penyusunan Laporan Keuangan Uji", "Indikator Naik"):
        assert hidden not in html
    response = client.get(reverse("laporan_capaian_xlsx", args=[2023, 1]))
    values = {
        cell.value
        for row in load_workbook(BytesIO(response.content)).active.iter_rows()
        for cell in row
    }
    assert "Catatan Sekretariat" not in values
    assert "Pemantauan Situasi Politik Uji" in values


def test_it_shows_the_kepala_every_row(client, users, rencana, subs):
    client.force_login(users["kepala"])
    html = client.get(reverse("laporan_capaian", args=[2023, 1])).content.decode()
    for text in (
        "Pemantauan Situasi Politik Uji",
        "Penyusunan Laporan Keuangan Uji",
        "Indikator Naik",
    ):
        assert text in html
    assert "Hanya baris" not in html


def test_it_letters_sasaran_rows_past_z():
    from renaksi.documents import sasaran_label

    assert [sasaran_label(i) for i in (0, 25, 26, 27, 51, 52, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]
