"""A plan's money (pagu, anggaran kas, Renstra K/Rp, realisasi s.d. tahun lalu) in the admin, the
plan import format, the export that is also that format, and the plan copy."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from renaksi import selectors
from renaksi.exports.cells import RUPIAH_FORMAT
from renaksi.models import IndikatorSasaran, Instansi, RencanaAksi, SubKegiatan
from renaksi.rencana_import import spec
from renaksi.rencana_import.payload import data_dump, data_load
from renaksi.rencana_import.read import rencana_read
from renaksi.rencana_import.template import render_template
from renaksi.services.rencana import rencana_copy, rencana_import
from renaksi.spreadsheets import FileRefused
from tests.factories import bidang_names, data_cell, edit_xlsx, plan_xlsx

pytestmark = pytest.mark.django_db

LAPORAN = "Penyusunan Laporan Keuangan Uji"
PERALATAN = "Penyediaan Peralatan Kantor Uji"


@pytest.fixture
def with_money(rencana, subs):
    SubKegiatan.objects.filter(pk=subs[LAPORAN].pk).update(
        pagu=120_000_000,
        kas_tw1=30_000_000,
        kas_tw2=30_000_000,
        kas_tw3=30_000_000,
        kas_tw4=30_000_000,
        pagu_renstra=600_000_000,
        realisasi_lalu_rp=240_000_000,
        target_renstra=Decimal(60),
        realisasi_lalu=Decimal("24.5"),
    )
    SubKegiatan.objects.filter(pk=subs[PERALATAN].pk).update(pagu=0)  # 0 is not "-"
    IndikatorSasaran.objects.filter(sasaran__rencana=rencana).update(
        target_renstra=Decimal(100), realisasi_lalu=Decimal(40)
    )
    return rencana


def anggaran_of(rencana: RencanaAksi) -> dict[str, spec.Anggaran]:
    data = selectors.rencana_data(rencana=rencana)
    return {s.uraian: s.anggaran for k in data.kegiatan for s in k.sub_kegiatan}


def read(content: bytes, instansi):
    return rencana_read(content, bidang=bidang_names(instansi))


# --- Export → import ------------------------------------------------------------------------------


def test_it_exports_money_as_rupiah_numbers(with_money):
    workbook = openpyxl.load_workbook(io.BytesIO(plan_xlsx(with_money)))
    pagu = data_cell(workbook, "sub kegiatan", "PAGU (RP)")
    assert (pagu.value, pagu.data_type, pagu.number_format) == (120_000_000, "n", RUPIAH_FORMAT)
    assert data_cell(workbook, "sub kegiatan", "ANGGARAN KAS TW 4 (RP)").value == 30_000_000
    assert data_cell(workbook, "sub kegiatan", "REALISASI S.D. TAHUN LALU (K)").value == 24.5
    assert data_cell(workbook, "sub kegiatan", "PAGU (RP)", nth=1).value == 0
    assert data_cell(workbook, "sub kegiatan", "PAGU (RP)", nth=2).value is None  # "-"
    assert data_cell(workbook, "indikator sasaran", "TARGET RENSTRA (K)").value == 100
    assert data_cell(workbook, "indikator sasaran", "PAGU (RP)").value is None


def test_it_keeps_the_money_through_export_and_import(with_money, instansi):
    hasil = read(plan_xlsx(with_money), instansi)
    assert hasil.data.uang
    assert hasil.data == selectors.rencana_data(rencana=with_money)
    assert hasil.warnings == []  # kas add up to the pagu
    # And through the preview's signed payload.
    assert data_load(data_dump(hasil.data)) == hasil.data
    imported = rencana_import(instansi=instansi, tahun=2031, data=hasil.data, nama_berkas="x")
    assert selectors.rencana_data(rencana=imported) == selectors.rencana_data(rencana=with_money)
    sub = SubKegiatan.objects.get(kegiatan__rencana=imported, uraian=LAPORAN)
    assert (sub.pagu, sub.kas_tw3, sub.target_renstra) == (120_000_000, 30_000_000, 60)


def test_a_plan_without_money_round_trips_with_none(rencana, instansi):
    hasil = read(plan_xlsx(rencana), instansi)
    assert all(a == spec.Anggaran() for a in anggaran_of(rencana).values())
    assert hasil.data == selectors.rencana_data(rencana=rencana)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (-5, "tidak boleh negatif"),
        ("-5.000", "tidak boleh negatif"),
        (1250.5, "tanpa sen"),
        ("1.250.000,50", "tanpa sen"),
        ("satu juta", "bukan angka rupiah"),
        ("=1+1", "berisi rumus"),
    ],
)
def test_it_refuses_a_bad_amount_naming_sheet_row_and_column(rencana, instansi, typed, message):
    def edit(workbook):
        data_cell(workbook, "sub kegiatan", "ANGGARAN KAS TW 2 (RP)", nth=1).value = typed

    content = edit_xlsx(plan_xlsx(rencana), edit)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    cell = data_cell(workbook, "sub kegiatan", "ANGGARAN KAS TW 2 (RP)", nth=1)
    with pytest.raises(FileRefused) as refused:
        read(content, instansi)
    text = "\n".join(refused.value.messages)
    where = (
        f'Lembar "Data", baris {cell.row}, kolom {cell.column_letter} (ANGGARAN KAS TW 2 (RP)): '
    )
    assert where in text and message in text


def test_it_reads_rupiah_typed_as_text(rencana, instansi):
    def edit(workbook):
        data_cell(workbook, "sub kegiatan", "PAGU (RP)").value = "Rp 1.250.000"
        data_cell(workbook, "sub kegiatan", "ANGGARAN KAS TW 1 (RP)").value = "1250000"

    hasil = read(edit_xlsx(plan_xlsx(rencana), edit), instansi)
    first = hasil.data.kegiatan[0].sub_kegiatan[0].anggaran
    assert (first.pagu, first.kas) == (1_250_000, (1_250_000, None, None, None))


def test_it_warns_when_anggaran_kas_do_not_add_up_to_the_pagu(with_money, instansi):
    def edit(workbook):
        data_cell(workbook, "sub kegiatan", "ANGGARAN KAS TW 4 (RP)").value = 1

    hasil = read(edit_xlsx(plan_xlsx(with_money), edit), instansi)
    (warning,) = hasil.warnings
    assert warning.startswith('Lembar "Data", baris ')
    assert "Rp 90.000.001, tidak sama dengan pagu Rp 120.000.000" in warning


def test_a_file_without_the_money_columns_reads_and_keeps_the_stored_money(with_money, instansi):
    """An export of before the money columns: it imports, and replacing a plan with it leaves
    the money as it is."""

    def drop_money(workbook):
        sheet = workbook["Data"]
        header = next(r for r in range(1, 40) if sheet.cell(r, 1).value == "JENIS BARIS")
        first = next(c for c in range(1, 60) if sheet.cell(header, c).value == "TARGET RENSTRA (K)")
        sheet.delete_cols(first, len(spec.MONEY_KEYS))

    hasil = read(edit_xlsx(plan_xlsx(with_money), drop_money), instansi)
    assert not hasil.data.uang
    before = anggaran_of(with_money)
    rencana_import(
        instansi=instansi, tahun=2023, data=hasil.data, nama_berkas="x", replace_targets=True
    )
    assert anggaran_of(with_money) == before
    assert IndikatorSasaran.objects.filter(target_renstra=100).count() == 2


def test_a_file_with_some_money_columns_only_is_refused(rencana, instansi):
    def drop_one(workbook):
        sheet = workbook["Data"]
        header = next(r for r in range(1, 40) if sheet.cell(r, 1).value == "JENIS BARIS")
        column = next(c for c in range(1, 60) if sheet.cell(header, c).value == "PAGU (RP)")
        sheet.delete_cols(column)

    with pytest.raises(FileRefused, match="PAGU"):
        read(edit_xlsx(plan_xlsx(rencana), drop_one), instansi)


def test_the_template_has_the_money_columns_and_their_help(instansi):
    content = render_template(instansi=instansi, tahun=2031, bidang=bidang_names(instansi))
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    header = [
        c.value
        for c in next(r for r in workbook["Data"].iter_rows() if r[0].value == "JENIS BARIS")
    ]
    for key in spec.MONEY_KEYS:
        assert spec.BY_KEY[key].title in header
    petunjuk = "\n".join(
        str(c.value) for row in workbook["Petunjuk"].iter_rows() for c in row if c.value
    )
    assert "Anggaran kas triwulan 3" in petunjuk and "tanpa sen" in petunjuk


# --- Copy -----------------------------------------------------------------------------------------


def test_the_copy_keeps_pagu_and_renstra_but_not_last_years_realisation(with_money):
    copy = rencana_copy(instansi=with_money.instansi, dari=2023, ke=2024)
    copied = anggaran_of(copy)[LAPORAN]
    assert copied == spec.Anggaran(
        pagu=120_000_000,
        kas=(30_000_000,) * 4,
        pagu_renstra=600_000_000,
        realisasi_lalu_rp=None,
    )
    sub = SubKegiatan.objects.get(kegiatan__rencana=copy, uraian=LAPORAN)
    assert (sub.target_renstra, sub.realisasi_lalu) == (60, None)


def test_the_copy_without_targets_drops_pagu_and_kas_too(with_money):
    copy = rencana_copy(instansi=with_money.instansi, dari=2023, ke=2024, tanpa_target=True)
    copied = anggaran_of(copy)[LAPORAN]
    assert copied == spec.Anggaran(pagu_renstra=600_000_000)
    indikator = IndikatorSasaran.objects.filter(sasaran__rencana=copy).first()
    assert (indikator.target_renstra, indikator.realisasi_lalu) == (100, None)


# --- Admin ----------------------------------------------------------------------------------------


@pytest.fixture
def operator(db):
    return User.objects.create_superuser("operator", password="rahasia-uji-123")


def sub_data(sub, **money) -> dict:
    return {
        "kegiatan": sub.kegiatan_id,
        "urutan": sub.urutan,
        "uraian": sub.uraian,
        "bidang": sub.bidang_id,
        "indikator": sub.indikator,
        "satuan": sub.satuan,
        "arah": "naik",
        "metode_capaian": "kumulatif",
        "target_tw1": "26",
        "ket": "",
        **money,
    }


def test_the_admin_takes_pagu_as_rupiah_is_typed(client, operator, subs):
    sub = subs[LAPORAN]
    client.force_login(operator)
    url = reverse("admin:renaksi_subkegiatan_change", args=[sub.pk])
    page = client.get(url).content.decode()
    assert "Anggaran" in page and 'name="kas_tw4"' in page
    response = client.post(url, sub_data(sub, pagu="Rp 1.250.000", kas_tw1="1250000"))
    assert response.status_code == 302, response.content.decode()[:3000]
    sub.refresh_from_db()
    assert (sub.pagu, sub.kas_tw1) == (1_250_000, 1_250_000)
    assert "1.250.000" in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("typed", "message"), [("-5", "tidak boleh negatif"), ("1.250,5", "tanpa sen")]
)
def test_the_admin_refuses_a_bad_pagu(client, operator, subs, typed, message):
    sub = subs[LAPORAN]
    client.force_login(operator)
    url = reverse("admin:renaksi_subkegiatan_change", args=[sub.pk])
    response = client.post(url, sub_data(sub, pagu=typed))
    assert response.status_code == 200
    assert message in response.content.decode()
    sub.refresh_from_db()
    assert sub.pagu is None


def test_the_admin_says_when_the_efisiensi_bounds_are_out_of_order(client, operator, instansi):
    client.force_login(operator)
    url = reverse("admin:renaksi_instansi_change", args=[instansi.pk])
    data = {
        "nama": instansi.nama,
        "kode": instansi.kode,
        "kota": instansi.kota,
        "efisiensi_batas_atas": "-10",
        "efisiensi_batas_bawah": "-5",
        "bidang-TOTAL_FORMS": "0",
        "bidang-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Batas bawah efisiensi tidak boleh lebih besar dari batas atasnya." in (
        response.content.decode()
    )
    instansi.refresh_from_db()
    assert instansi.efisiensi_batas_atas == 5
    data.update(efisiensi_batas_atas="7.5", efisiensi_batas_bawah="-2.5")
    assert client.post(url, data).status_code == 302
    instansi = Instansi.objects.get(pk=instansi.pk)
    assert (instansi.efisiensi_batas_atas, instansi.efisiensi_batas_bawah) == (
        Decimal("7.5"),
        Decimal("-2.5"),
    )
