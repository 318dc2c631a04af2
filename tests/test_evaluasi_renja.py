"""The Permendagri 86/2017 evaluation of the Renja: the table, its page, PDF, XLSX and command."""

import re
import subprocess
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from renaksi.evaluasi import evaluasi_table, kinerja
from renaksi.models import IndikatorSasaran, Kegiatan, Realisasi, RencanaAksi, SubKegiatan
from renaksi.synthetic import plan_generate
from tests.factories import make_instansi, make_outsider, make_plan, make_users
from tests.helpers import LAPORAN, PERALATAN, POLITIK

pytestmark = pytest.mark.django_db

JUTA = 1_000_000


def cells_of(table, key):
    row = next(row for row in table.rows if row.key == key)
    return {cell.column: cell for cell in row.cells}


def figure(cell):
    """A cell as the test compares it: its number, or its text ("-", "" after the quarter)."""
    return cell.number if cell.number is not None else cell.text


def realisasi(indikator, triwulan, nilai=None, keuangan=None, **notes):
    field = "sub_kegiatan" if isinstance(indikator, SubKegiatan) else "indikator_sasaran"
    return Realisasi.objects.create(
        **{field: indikator},
        triwulan=triwulan,
        nilai=None if nilai is None else Decimal(nilai),
        keuangan=keuangan,
        diubah_pada=timezone.now(),
        **notes,
    )


@pytest.fixture
def plan():
    """The factories' plan with pagu and spending on two sub kegiatan; Politik has no pagu."""
    instansi = make_instansi()
    users = make_users(instansi)
    rencana = RencanaAksi.objects.select_related("instansi").get(pk=make_plan(instansi).pk)
    laporan = SubKegiatan.objects.get(uraian=LAPORAN)  # targets 26, 26, 25, 23 (%)
    SubKegiatan.objects.filter(pk=laporan.pk).update(
        pagu=100 * JUTA,
        pagu_renstra=500 * JUTA,
        realisasi_lalu_rp=200 * JUTA,
        target_renstra=Decimal(100),
        realisasi_lalu=Decimal(60),
    )
    peralatan = SubKegiatan.objects.get(uraian=PERALATAN)  # target 100 in TW 2 only
    SubKegiatan.objects.filter(pk=peralatan.pk).update(pagu=50 * JUTA)
    realisasi(laporan, 1, 26, 20 * JUTA, faktor_pendorong="Catatan TW 1 tidak dipakai")
    realisasi(
        laporan,
        2,
        13,
        30 * JUTA,
        faktor_pendorong="Tim penyusun lengkap",
        tindak_lanjut="Percepat konsolidasi",
        ket="Sesuai jadwal",
    )
    realisasi(laporan, 3, 25, 99 * JUTA)  # after the quarter evaluated: never printed
    realisasi(peralatan, 2, 100, 10 * JUTA, kendala="Pengadaan terlambat")
    politik = SubKegiatan.objects.get(uraian=POLITIK)  # targets 57, 43: TW 2 not reported
    realisasi(politik, 1, 57)
    naik = IndikatorSasaran.objects.get(indikator="Indikator Naik")  # 25 each quarter, %
    realisasi(naik, 1, 25)
    realisasi(naik, 2, 20)
    return {
        "rencana": rencana,
        "users": users,
        "laporan": laporan,
        "peralatan": peralatan,
        "politik": politik,
        "naik": naik,
    }


class TestTable:
    def test_it_computes_columns_12_to_15_as_printed(self, plan):
        table = evaluasi_table(rencana=plan["rencana"], triwulan=2)
        row = cells_of(table, plan["laporan"].row_key)
        got = {key: figure(cell) for key, cell in row.items()}
        # K: 7 = Σ targets, 12 = 8+9, 13 = 12/7, 14 = 6+12, 15 = 14/5.
        assert (got["renstra_k"], got["lalu_k"], got["target_k"]) == (100, 60, 100)
        assert (got["tw1_k"], got["tw2_k"], got["tw3_k"], got["tw4_k"]) == (26, 13, "", "")
        assert (got["tahun_k"], got["capaian_k"], got["sd_k"], got["rc_k"]) == (39, 39, 99, 99)
        # Rp: 12 = 8+9 (TW 3's 99 juta is after the quarter), 13 = serapan, 14 = 6+12.
        assert (got["renstra_rp"], got["lalu_rp"], got["target_rp"]) == (
            500 * JUTA,
            200 * JUTA,
            100 * JUTA,
        )
        assert (got["tw1_rp"], got["tw2_rp"], got["tw3_rp"], got["tw4_rp"]) == (
            20 * JUTA,
            30 * JUTA,
            "",
            "",
        )
        assert got["tahun_rp"] == 50 * JUTA
        assert got["capaian_rp"] == 50
        assert got["sd_rp"] == 250 * JUTA
        assert got["rc_rp"] == 50
        assert row["unit"].text == "Sekretariat"
        assert row["ket"].text == "Sesuai jadwal"

    def test_it_sums_rupiah_in_the_parents_and_computes_serapan_from_the_sums(self, plan):
        table = evaluasi_table(rencana=plan["rencana"], triwulan=2)
        kegiatan = Kegiatan.objects.get(nomor=1)
        for key in (f"keg-{kegiatan.pk}", f"prog-{kegiatan.program_id}-ind-{plan['naik'].pk}"):
            row = cells_of(table, key)
            assert figure(row["target_rp"]) == 150 * JUTA
            assert figure(row["tw2_rp"]) == 40 * JUTA
            assert figure(row["tahun_rp"]) == 60 * JUTA
            # 60 of 150 juta: 40 %, not the mean of 50 % and 20 % (35 %).
            assert figure(row["capaian_rp"]) == 40
            assert figure(row["sd_rp"]) == 260 * JUTA
            assert figure(row["rc_rp"]) == 52
            # No indicator of its own: K is "-", and after the quarter empty.
            assert figure(row["capaian_k"]) == "-"
            assert figure(row["tw3_k"]) == ""
        sasaran = cells_of(table, plan["naik"].row_key)
        assert figure(sasaran["target_rp"]) == 150 * JUTA
        # The sasaran's own indicator: 25 + 20 of 100.
        assert figure(sasaran["tahun_k"]) == 45
        assert figure(sasaran["capaian_k"]) == 45
        assert sasaran["sasaran"].text == "Meningkatnya Kualitas Uji"

    def test_it_leaves_capaian_out_while_a_quarter_with_a_target_is_unreported(self, plan):
        table = evaluasi_table(rencana=plan["rencana"], triwulan=2)
        row = cells_of(table, plan["politik"].row_key)
        assert figure(row["tahun_k"]) == 57
        assert figure(row["capaian_k"]) == "-"
        assert figure(row["target_rp"]) == "-"  # no pagu
        assert figure(row["capaian_rp"]) == "-"
        assert table.warnings == [
            "Capaian belum dihitung karena realisasi triwulan bertarget belum dilaporkan: "
            "B (TW 1, TW 2); 2.1 (TW 2)."
        ]

    def test_it_closes_with_average_predicate_and_notes(self, plan):
        table = evaluasi_table(rencana=plan["rencana"], triwulan=2)
        average = cells_of(table, "rata-rata")
        # K: mean of the sub kegiatan that have a capaian (39 and 100); Rp: 60 of 150 juta.
        assert figure(average["capaian_k"]) == Decimal("69.5")
        assert figure(average["capaian_rp"]) == 40
        grade = cells_of(table, "predikat")
        assert grade["capaian_k"].text == "Sedang"
        assert grade["capaian_rp"].text == "Sangat Rendah"
        texts = {
            key: cells_of(table, key)["renstra_k"].text
            for key in (
                "pendorong",
                "penghambat",
                "tindak-lanjut-triwulan",
                "tindak-lanjut-renja",
            )
        }
        assert texts["pendorong"] == f"1.1 {LAPORAN}: Tim penyusun lengkap"
        assert texts["penghambat"] == f"1.2 {PERALATAN}: Pengadaan terlambat"
        assert texts["tindak-lanjut-triwulan"] == f"1.1 {LAPORAN}: Percepat konsolidasi"
        assert texts["tindak-lanjut-renja"] == "-"
        # At TW 4 the follow-up is for the next Renja.
        realisasi(plan["laporan"], 4, 23, tindak_lanjut="Naikkan target")
        table = evaluasi_table(rencana=plan["rencana"], triwulan=4)
        assert cells_of(table, "tindak-lanjut-renja")["renstra_k"].text.endswith("Naikkan target")
        assert cells_of(table, "tindak-lanjut-triwulan")["renstra_k"].text == "-"

    def test_it_prints_a_dash_in_every_money_column_of_a_plan_without_pagu(self):
        rencana = make_plan(make_instansi())
        table = evaluasi_table(rencana=rencana, triwulan=4)
        money = [
            cell
            for row in table.rows
            if row.key.startswith(("sub-", "keg-", "prog-", "ind-"))
            for cell in row.cells
            if cell.column.endswith("_rp")
        ]
        assert money and all(cell.display == "-" for cell in money)

    def test_it_prints_the_numbered_header_with_its_formulas(self, plan):
        table = evaluasi_table(rencana=plan["rencana"], triwulan=1)
        numbers = [cell.text for cell in table.number_cells]
        assert numbers[:4] == ["1", "2", "3", "4"]
        assert "12 = 8+9+10+11" in numbers and "15 = 14/5 × 100" in numbers
        assert numbers[-2:] == ["16", "17"]
        assert sum(cell.colspan for cell in table.number_cells) == len(table.columns)
        assert [cell.text for cell in table.header_rows[2]] == ["K", "Rp"] * 11


class TestKinerja:
    def test_it_does_not_add_up_a_last_value_indicator(self):
        k = kinerja(
            targets=[None, Decimal(80), None, Decimal("82.75")],
            realisasi=[None, Decimal(81), None, None],
            triwulan=2,
            arah="naik",
            metode="terakhir",
            renstra=Decimal(90),
            lalu=Decimal(78),
        )
        assert k.target == Decimal("82.75")  # the year's latest target, not 162.75
        assert k.tahun == 81
        assert k.sd == 81  # the latest reading, not 78 + 81
        assert round(k.capaian, 2) == Decimal("97.89")
        assert k.capaian_renstra == 90

    def test_it_scores_a_lower_is_better_indicator(self):
        k = kinerja(
            targets=[Decimal(25)] * 4,
            realisasi=[Decimal(30), None, None, None],
            triwulan=1,
            arah="turun",
            metode="kumulatif",
            renstra=None,
            lalu=None,
        )
        assert k.capaian == 170  # (2 × 100 - 30) / 100
        assert k.capaian_renstra is None


@pytest.mark.parametrize("size", [27, 270])
def test_it_builds_the_table_in_constant_queries(size, django_assert_num_queries):
    instansi = make_instansi()
    rencana = plan_generate(instansi=instansi, tahun=2099, sub_kegiatan=size)
    rencana = RencanaAksi.objects.select_related("instansi").get(pk=rencana.pk)
    SubKegiatan.objects.filter(kegiatan__rencana=rencana).update(pagu=10 * JUTA)
    for sub in SubKegiatan.objects.filter(kegiatan__rencana=rencana):
        realisasi(sub, 1, 10, JUTA, kendala="x")
    # review status (footer), realisasi, kegiatan, sub kegiatan
    with django_assert_num_queries(4):
        table = evaluasi_table(rencana=rencana, triwulan=1)
    assert sum(1 for row in table.rows if row.key.startswith("sub-")) == size


NUMBER_AS_TEXT = re.compile(r"^-?[0-9][0-9.,]*\s*%?$")


class TestExports:
    def test_it_writes_an_xlsx_of_numbers_and_no_formula(self, client, plan):
        SubKegiatan.objects.filter(pk=plan["politik"].pk).update(uraian="=HYPERLINK(1)")
        client.force_login(plan["users"]["kepala"])
        response = client.get(reverse("evaluasi_renja_xlsx", args=[2023, 2]))
        assert response.status_code == 200
        assert "evaluasi-renja-kesbangpol-uji-2023-tw2.xlsx" in response["Content-Disposition"]
        sheet = load_workbook(BytesIO(response.content)).active
        cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
        assert [c.coordinate for c in cells if c.data_type == "f"] == []
        assert [c.coordinate for c in cells if str(c.value).startswith("=")] == [
            next(c.coordinate for c in cells if c.value == "=HYPERLINK(1)")
        ]
        assert all(c.data_type == "s" for c in cells if str(c.value).startswith("="))
        # Every figure a number: no text that reads as one, but for the row labels ("1.1") of
        # column A (the column numbers "1" … "17" are ints).
        assert [
            c.coordinate
            for c in cells
            if isinstance(c.value, str) and NUMBER_AS_TEXT.match(c.value) and c.column > 1
        ] == []
        row = next(r for r in sheet.iter_rows() if any(c.value == LAPORAN for c in r))
        values = [c.value for c in row if c.value is not None]
        for expected in (100 * JUTA, 20 * JUTA, 30 * JUTA, 50 * JUTA, 250 * JUTA, 39, 99):
            assert expected in values
        assert 99 * JUTA not in values  # TW 3 is after the quarter evaluated
        amount = next(c for c in row if c.value == 250 * JUTA)
        assert amount.number_format == "#,##0"
        texts = [c.value for c in cells if isinstance(c.value, str)]
        assert "12 = 8+9+10+11" in texts and "13 = 12/7 × 100" in texts
        assert any(t.startswith("Faktor pendorong") for t in texts)

    @pytest.mark.parametrize("kertas", ["a4", "f4"])
    def test_it_repeats_the_header_on_every_pdf_page_and_signs_at_the_end(
        self, client, settings, kertas
    ):
        # Rendered in the request: whether a larger table goes to the worker is test_render's.
        settings.PDF_INLINE_ROWS = 1000
        instansi = make_instansi()
        users = make_users(instansi)
        plan_generate(instansi=instansi, tahun=2099, sub_kegiatan=60)
        client.force_login(users["kepala"])
        response = client.get(reverse("evaluasi_renja_pdf", args=[2099, 3]), {"kertas": kertas})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        text = subprocess.run(
            ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"],
            input=response.content,
            capture_output=True,
            check=True,
        ).stdout.decode()
        pages = [page for page in text.split("\f") if page.strip()]
        assert len(pages) > 1
        for page in pages:
            assert "12=8+9+10+11" in "".join(page.split())
            assert "15=14/5×100" in "".join(page.split())
        assert "NIP." in pages[-1]
        assert "Predikat kinerja" in "".join(pages)

    def test_the_command_writes_both_formats(self, tmp_path, plan):
        for fmt in ("xlsx", "pdf"):
            output = tmp_path / f"evaluasi.{fmt}"
            call_command(
                "export_evaluasi_renja",
                "--tahun=2023",
                "--triwulan=2",
                f"--format={fmt}",
                f"--output={output}",
                "--instansi=kesbangpol-uji",
            )
            assert output.stat().st_size > 1000
        sheet = load_workbook(tmp_path / "evaluasi.xlsx").active
        assert sheet["A1"].value == "TABEL EVALUASI TERHADAP HASIL RENJA PERANGKAT DAERAH"

    @pytest.mark.parametrize(
        ("tahun", "triwulan", "message"),
        [
            ("2023", "5", "Triwulan harus bilangan 1 sampai 4"),
            ("2023", "0", "Triwulan harus bilangan 1 sampai 4"),
            ("2023", "x", "Triwulan harus bilangan 1 sampai 4"),
            ("dua", "1", "Tahun harus bilangan 2000 sampai 2100"),
            ("2022", "1", "tidak memiliki rencana aksi tahun 2022"),
        ],
    )
    def test_the_command_refuses_a_bad_year_or_quarter(
        self, tmp_path, plan, tahun, triwulan, message
    ):
        output = tmp_path / "evaluasi.pdf"
        with pytest.raises(CommandError, match=message):
            call_command(
                "export_evaluasi_renja",
                f"--tahun={tahun}",
                f"--triwulan={triwulan}",
                "--format=pdf",
                f"--output={output}",
                "--instansi=kesbangpol-uji",
            )
        assert not output.exists()

    def test_the_command_exits_with_status_1(self, tmp_path, plan):
        result = subprocess.run(
            [
                ".venv/bin/python",
                "manage.py",
                "export_evaluasi_renja",
                "--tahun=2023",
                "--triwulan=7",
                "--format=xlsx",
                f"--output={tmp_path / 'e.xlsx'}",
            ],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 1
        assert "Triwulan harus bilangan 1 sampai 4, bukan '7'." in result.stderr


class TestViews:
    def test_it_shows_the_form_to_the_agency(self, client, plan):
        for role in ("admin", "kepala", "pemeriksa"):
            client.force_login(plan["users"][role])
            response = client.get(reverse("evaluasi_renja", args=[2023, 2]))
            html = response.content.decode()
            assert response.status_code == 200
            assert "TABEL EVALUASI TERHADAP HASIL RENJA PERANGKAT DAERAH" in html
            assert "12 = 8+9+10+11" in html
            assert "250.<wbr>000.<wbr>000" in html
            assert "NIP. 19681210 198902 1 002" in html

    def test_it_is_linked_from_the_report_and_the_nav(self, client, plan):
        client.force_login(plan["users"]["kepala"])
        html = client.get(reverse("laporan_capaian", args=[2023, 3])).content.decode()
        assert html.count(reverse("evaluasi_renja", args=[2023, 3])) == 2

    def test_it_shows_staff_only_their_bidangs_rows(self, client, plan):
        client.force_login(plan["users"]["staf_politik"])
        for name in ("evaluasi_renja", "evaluasi_renja_xlsx"):
            content = client.get(reverse(name, args=[2023, 2])).content
            if name == "evaluasi_renja_xlsx":
                sheet = load_workbook(BytesIO(content)).active
                text = " ".join(str(c.value) for r in sheet.iter_rows() for c in r)
            else:
                text = content.decode()
            assert POLITIK in text
            assert "Hanya baris Bidang Politik." in text
            for hidden in (LAPORAN, "Tim penyusun lengkap", "Indikator Naik", "Sesuai jadwal"):
                assert hidden not in text

    def test_it_refuses_outsiders(self, client, plan):
        outsider = make_outsider()
        client.force_login(outsider.admin)
        for name in ("evaluasi_renja", "evaluasi_renja_pdf", "evaluasi_renja_xlsx"):
            assert client.get(reverse(name, args=[2023, 1])).status_code == 404
        client.logout()
        response = client.get(reverse("evaluasi_renja", args=[2023, 1]))
        assert (
            response.status_code == 302
            and "/akun/masuk/" in response["Location"]
            or (response.status_code == 302)
        )

    def test_it_refuses_an_unknown_paper(self, client, plan):
        client.force_login(plan["users"]["kepala"])
        response = client.get(reverse("evaluasi_renja_pdf", args=[2023, 1]), {"kertas": "b5"})
        assert response.status_code == 400

    @pytest.mark.parametrize("size", [27, 270])
    def test_the_page_runs_the_same_queries_at_any_size(
        self, client, size, django_assert_num_queries
    ):
        instansi = make_instansi()
        users = make_users(instansi)
        plan_generate(instansi=instansi, tahun=2099, sub_kegiatan=size)
        client.force_login(users["kepala"])
        # session, user, profile, plan, review status, realisasi, kegiatan, sub kegiatan
        with django_assert_num_queries(8):
            response = client.get(reverse("evaluasi_renja", args=[2099, 1]))
        assert response.status_code == 200
