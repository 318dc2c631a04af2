"""Issue 10, items 1–8: capaian and its figures for every kind of indicator.

The plan is built here (not the demo fixture): a count of incidents where lower is better and
only whole numbers count, an index reported by its last value, with targets in TW 2 and TW 4
only, and a percentage.
"""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from renaksi import capaian
from renaksi.documents import laporan_table, rencana_aksi_table
from renaksi.exports.xlsx import render_xlsx
from renaksi.formulir.spec import COLUMN, HEADER_ROW
from renaksi.models import (
    IndikatorSasaran,
    Kegiatan,
    Program,
    Realisasi,
    RencanaAksi,
    Sasaran,
    SubKegiatan,
)
from renaksi.numbers import NilaiRefused, nilai_check
from renaksi.selectors import EntryRow
from renaksi.services import RealisasiInput, realisasi_save_many
from tests.factories import make_instansi, make_users, quarters

D = Decimal
pytestmark = pytest.mark.django_db


def make_mixed_plan(instansi) -> dict:
    sekretariat = instansi.bidang.order_by("urutan").first()
    rencana = RencanaAksi.objects.create(
        instansi=instansi,
        tahun=2024,
        tempat_ttd="Ambon",
        bulan_ttd=1,
        tahun_ttd=2024,
        jabatan_penandatangan="KEPALA BADAN UJI",
        nama_penandatangan="DANIEL UJI, S.Sos",
        pangkat_penandatangan="Pembina Utama Muda",
        nip_penandatangan="196812101989021002",
        diterbitkan=True,
    )
    sasaran = Sasaran.objects.create(rencana=rencana, urutan=1, uraian="Menurunnya Konflik Sosial")
    kejadian_sasaran = IndikatorSasaran.objects.create(
        sasaran=sasaran,
        urutan=1,
        indikator="Jumlah konflik sosial",
        satuan="Kejadian",
        target_persen=False,
        bilangan_bulat=True,
        arah="turun",
        **quarters(5, 4, 3, 2),
    )
    program = Program.objects.create(rencana=rencana, urutan=1, nama="Program Uji")
    kegiatan = Kegiatan.objects.create(
        program=program,
        rencana=rencana,
        indikator_sasaran=kejadian_sasaran,
        nomor=1,
        nama="Kegiatan Uji",
    )

    def sub(urutan, **fields):
        return SubKegiatan.objects.create(
            kegiatan=kegiatan, bidang=sekretariat, urutan=urutan, uraian=f"Sub {urutan}", **fields
        )

    return {
        "rencana": rencana,
        "sasaran": kejadian_sasaran,
        "kejadian": sub(
            1,
            indikator="Jumlah gangguan",
            satuan="Kejadian",
            target_persen=False,
            bilangan_bulat=True,
            arah="turun",
            metode_capaian="terakhir",
            **quarters(5, 4, 3, 2),
        ),
        "indeks": sub(
            2,
            indikator="Indeks kerukunan",
            satuan="Indeks",
            target_persen=False,
            metode_capaian="terakhir",
            **quarters(None, 80, None, "82.75"),
        ),
        "persen": sub(
            3,
            indikator="Persentase laporan",
            satuan="%",
            target_persen=True,
            **quarters(25, 25, 25, 25),
        ),
    }


@pytest.fixture
def world():
    instansi = make_instansi()
    return {"users": make_users(instansi), **make_mixed_plan(instansi)}


def save(world, triwulan, indikator, nilai):
    realisasi_save_many(
        user=world["users"]["admin"],
        rencana=world["rencana"],
        triwulan=triwulan,
        inputs=[RealisasiInput(indikator.row_key, None if nilai is None else D(nilai))],
    )


def report_row(world, triwulan, indikator):
    table = laporan_table(rencana=world["rencana"], triwulan=triwulan)
    row = next(r for r in table.rows if r.key == indikator.row_key)
    return {cell.column: cell for cell in row.cells}, table


# --- 1. "Target s.d. TW n" follows the method --------------------------------------------------


def test_it_takes_the_latest_target_to_date_for_last_value_indicators():
    assert capaian.target_to_date([None, D(80), None, D("82.75")], 4, "terakhir") == D("82.75")
    assert capaian.target_to_date([D(5), D(4), D(3), D(2)], 4, "terakhir") == D(2)
    assert capaian.target_to_date([D(5), D(4), D(3), D(2)], 4, "kumulatif") == D(14)


def entry_cells(client, world, triwulan, indikator) -> str:
    client.force_login(world["users"]["admin"])
    html = client.get(reverse("realisasi_form", args=[2024, triwulan])).content.decode()
    row = html[html.index(f'<tr id="{indikator.row_key}"') :]
    return row[: row.index("</tr>")]


def test_it_shows_the_last_value_target_to_date_on_the_entry_page(client, world):
    cells = entry_cells(client, world, 4, world["indeks"])
    assert '<td class="k-angka" data-label="Target s.d. TW 4">82,75</td>' in cells
    assert "162,75" not in entry_cells(client, world, 4, world["indeks"])
    kejadian = entry_cells(client, world, 4, world["kejadian"])
    # TW 4 and to date, not 14.
    assert '<td class="k-angka" data-label="Target TW 4">2</td>' in kejadian
    assert '<td class="k-angka" data-label="Target s.d. TW 4">2</td>' in kejadian
    assert "14" not in kejadian.replace(world["kejadian"].row_key, "")


def test_it_writes_the_last_value_target_to_date_in_column_j_of_the_form(client, world):
    client.force_login(world["users"]["admin"])
    response = client.get(reverse("formulir_unduh", args=[2024, 4]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Formulir"]
    assert COLUMN["target_kumulatif"].letter == "J"
    by_key = {
        sheet.cell(row=r, column=1).value: r for r in range(HEADER_ROW + 1, sheet.max_row + 1)
    }
    assert sheet[f"J{by_key[world['indeks'].row_key]}"].value == 82.75
    assert sheet[f"J{by_key[world['kejadian'].row_key]}"].value == 2
    assert sheet[f"J{by_key[world['persen'].row_key]}"].value == 100


# --- 2. the sasaran roll-up respects lower-is-better -------------------------------------------


def entry_row(indikator, values, children=()) -> EntryRow:
    return EntryRow(
        key="x",
        indikator=indikator,
        nomor=None,
        uraian="",
        bidang=None,
        realisasi=[None if v is None else Realisasi(nilai=v) for v in values],
        can_edit=True,
        children=list(children),
    )


def test_it_suggests_fewer_incidents_when_the_sub_kegiatan_does_better_than_target():
    sasaran = IndikatorSasaran(arah="turun", **quarters(5, None, None, None))
    child = SubKegiatan(arah="naik", **quarters(10, None, None, None))
    row = entry_row(sasaran, [None] * 4, [entry_row(child, [D(11), None, None, None])])
    assert row.rollup(1) == D("4.5")  # 110 % → 4,5 incidents against 5 (scores 110 %)
    row = entry_row(sasaran, [None] * 4, [entry_row(child, [D(8), None, None, None])])
    assert row.rollup(1) == D("6")  # 80 % → 6 incidents (scores 80 %)


positive = st.decimals(min_value=D("0.5"), max_value=D(1000), places=2)
scores_within = st.decimals(min_value=D(0), max_value=D(200), places=2)


@given(
    target=positive,
    child_target=positive,
    child_score=scores_within,
    arah=st.sampled_from(["naik", "turun"]),
)
def test_the_suggestion_put_back_through_capaian_gives_the_sub_kegiatan_capaian(
    target, child_target, child_score, arah
):
    child_value = child_target * child_score / 100  # a naik child scoring child_score
    child = SubKegiatan(arah="naik", **quarters(child_target, None, None, None))
    sasaran = IndikatorSasaran(arah=arah, **quarters(target, None, None, None))
    row = entry_row(sasaran, [None] * 4, [entry_row(child, [child_value, None, None, None])])
    suggestion = row.rollup(1)
    expected = capaian.capaian(child_value, child_target, "naik")
    assert capaian.capaian(suggestion, target, arah) == pytest.approx(expected, abs=D("1e-9"))


# --- 4. an unreported quarter is not 0 ----------------------------------------------------------


def test_it_shows_no_cumulative_capaian_while_a_quarter_with_target_is_unreported(world):
    # The row: reported in TW 1, 2 and 4, not in TW 3 (47,5 of 75 would be "Rendah").
    save(world, 1, world["persen"], "25")
    save(world, 2, world["persen"], "22.5")
    save(world, 4, world["persen"], "25")
    cells, table = report_row(world, 4, world["persen"])
    assert cells["capaian_tw"].number == 100
    assert cells["capaian_sd"].number is None and cells["capaian_sd"].display == "-"
    assert cells["predikat_sd"].text == "-"
    note = next(line for line in table.footer_lines if "Persentase laporan" in line)
    assert note.endswith("capaian s.d. TW 4 belum dihitung karena realisasi TW 3 belum dilaporkan.")
    assert note in table.warnings


def test_it_warns_the_kepala_on_the_approval_screen(client, world):
    from renaksi.services import triwulan_ajukan

    save(world, 2, world["persen"], "25")  # TW 1 left unreported
    triwulan_ajukan(user=world["users"]["admin"], rencana=world["rencana"], triwulan=2)
    client.force_login(world["users"]["kepala"])
    html = client.get(reverse("laporan_capaian", args=[2024, 2])).content.decode()
    warning = html[html.index('id="peringatan-belum-dilaporkan"') :]
    warning = warning[: warning.index("</div>")]
    assert "Persentase laporan: capaian s.d. TW 2 belum dihitung" in warning
    assert "realisasi TW 1 belum dilaporkan" in warning


# --- 5. last value without a target this quarter ------------------------------------------------


def test_it_uses_the_latest_earlier_quarter_with_target_and_realisation(world):
    save(world, 2, world["indeks"], "84")
    cells, _table = report_row(world, 3, world["indeks"])  # TW 3 has no target
    assert cells["target_sd"].number == 80
    assert cells["realisasi_sd"].number == 84
    assert cells["capaian_sd"].number == 105


# --- 6. whole numbers, and "%" goes with the percent flag ---------------------------------------


def test_it_refuses_a_fraction_for_a_whole_number_indicator():
    with pytest.raises(NilaiRefused) as refused:
        nilai_check(D("3.5"), percent=False, bulat=True, satuan="Kejadian")
    assert refused.value.code == "not_whole"
    assert "bilangan bulat" in refused.value.message
    nilai_check(D(3), percent=False, bulat=True)
    nilai_check(D("3.5"), percent=False, bulat=False)


def test_the_entry_page_refuses_a_fraction_of_incidents(client, world):
    client.force_login(world["users"]["admin"])
    key = world["kejadian"].row_key
    response = client.post(
        reverse("realisasi_form", args=[2024, 1]),
        {f"{key}-nilai": "3,5", f"initial-{key}-nilai": "", f"{key}-versi": "0"},
    )
    assert "harus bilangan bulat" in response.content.decode()
    assert not Realisasi.objects.filter(sub_kegiatan=world["kejadian"]).exists()


def test_the_spreadsheet_refuses_a_fraction_of_incidents(world):
    from renaksi.services import nilai_validate

    with pytest.raises(ValidationError, match="bilangan bulat"):
        nilai_validate(world["kejadian"], D("3.5"))
    nilai_validate(world["indeks"], D("3.5"))


def test_a_percent_unit_cannot_lose_the_percent_flag(world):
    persen = world["persen"]
    persen.target_persen = False
    with pytest.raises(ValidationError):
        persen.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        SubKegiatan.objects.filter(pk=persen.pk).update(target_persen=False)


# --- 7. sasaran targets with their unit ---------------------------------------------------------


def test_the_plan_prints_the_unit_of_a_sasaran_target_that_is_no_percentage(world):
    table = rencana_aksi_table(rencana=RencanaAksi.objects.get(pk=world["rencana"].pk))
    cell = next(c for c in table.rows[0].cells if c.column == "target_sasaran")
    assert [q.label for q in cell.quarters][0] == "TW 1 : 5 Kejadian"
    sub_cell = next(c for c in table.rows[2].cells if c.column == "target_sub_kegiatan")
    assert sub_cell.quarters[0].label == "TW 1 : 25%"


# --- 8. the report XLSX leaves missing figures empty -------------------------------------------


def test_the_report_xlsx_writes_no_dash_into_number_columns(world):
    table = laporan_table(rencana=world["rencana"], triwulan=1)
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(table))).active
    number_columns = [
        index + 1 for index, column in enumerate(table.columns) if column.kind == "number"
    ]
    values = [
        sheet.cell(row=r, column=c).value
        for r in range(1, sheet.max_row + 1)
        for c in number_columns
    ]
    assert "-" not in values
