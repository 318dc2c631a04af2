"""The commands export_formulir_realisasi and import_realisasi: the form pages, from a shell."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from renaksi.models import Realisasi, RealisasiRiwayat
from renaksi.services import (
    RealisasiInput,
    realisasi_save_many,
    triwulan_ajukan,
    triwulan_kembalikan,
    triwulan_setujui,
)
from tests.factories import make_outsider
from tests.helpers import (
    DELI_SERDANG,
    LAPORAN,
    PERALATAN,
    POLITIK,
    fill,
    sheet_rows,
    snapshot,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(rencana, users, subs):
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(subs[LAPORAN].row_key, Decimal(20))],
    )


def export(path, *args) -> bytes:
    out = io.StringIO()
    call_command(
        "export_formulir_realisasi",
        "--tahun",
        "2023",
        "--triwulan",
        "1",
        "--output",
        str(path),
        *args,
        stdout=out,
    )
    return path.read_bytes()


def import_(path, user, *args) -> str:
    out = io.StringIO()
    call_command(
        "import_realisasi",
        str(path),
        "--tahun",
        "2023",
        "--triwulan",
        "1",
        "--user",
        user.username,
        *args,
        stdout=out,
    )
    return out.getvalue()


def test_it_exports_every_row_for_the_agencys_admin_by_default(tmp_path, users, subs):
    content = export(tmp_path / "formulir.xlsx", "--instansi", "kesbangpol-uji")
    assert len(sheet_rows(content)) == 5
    title = load_workbook(io.BytesIO(content))["Formulir"]["A3"].value
    assert "admin-uji" in title


def test_it_exports_the_rows_of_the_users_bidang(tmp_path, users, subs):
    content = export(tmp_path / "f.xlsx", "--user", users["staf_politik"].username)
    assert list(sheet_rows(content)) == [subs[POLITIK].row_key]


def test_it_refuses_to_export_for_a_user_of_another_agency(tmp_path, users, rencana):
    outsider = make_outsider().admin
    with pytest.raises(CommandError, match="bukan anggota instansi 'kesbangpol-uji'"):
        export(tmp_path / "f.xlsx", "--user", outsider.username, "--instansi", "kesbangpol-uji")
    assert not (tmp_path / "f.xlsx").exists()


def test_it_refuses_to_export_for_a_read_only_role(tmp_path, users, rencana):
    with pytest.raises(CommandError, match="hanya dapat melihat"):
        export(tmp_path / "f.xlsx", "--user", users["kepala"].username)


def test_it_shows_the_changes_and_saves_nothing_on_a_dry_run(tmp_path, users, subs, stored):
    path = tmp_path / "f.xlsx"
    staf = users["staf_sekretariat"]
    export(path, "--user", staf.username)
    path.write_bytes(
        fill(path.read_bytes(), {subs[LAPORAN].row_key: {"realisasi": "26,5", "ket": "Baik"}})
    )
    before = snapshot()
    out = import_(path, staf, "--dry-run")
    assert LAPORAN in out
    assert "Realisasi: 20% → 26,5%" in out
    assert "Keterangan: (kosong) → Baik" in out
    assert "1 baris berubah, 1 baris tidak berubah." in out
    assert "tidak ada yang disimpan" in out
    assert snapshot() == before


def test_it_imports_the_filled_form(tmp_path, users, subs, stored):
    path = tmp_path / "f.xlsx"
    staf = users["staf_sekretariat"]
    export(path, "--user", staf.username)
    path.write_bytes(
        fill(
            path.read_bytes(),
            {subs[LAPORAN].row_key: {"realisasi": 26}, subs[PERALATAN].row_key: {"realisasi": 0}},
        )
    )
    out = import_(path, staf)
    assert "2 baris disimpan." in out
    laporan = Realisasi.objects.get(sub_kegiatan=subs[LAPORAN], triwulan=1)
    assert (laporan.nilai, laporan.versi, laporan.diubah_oleh) == (Decimal(26), 2, staf)
    assert Realisasi.objects.get(sub_kegiatan=subs[PERALATAN], triwulan=1).nilai == 0
    assert RealisasiRiwayat.objects.filter(sumber="formulir").count() == 2


def test_it_exits_with_the_messages_for_a_bad_file_and_changes_nothing(
    tmp_path, users, subs, stored
):
    path = tmp_path / "f.xlsx"
    export(path, "--instansi", "kesbangpol-uji")
    rows = sheet_rows(path.read_bytes())
    path.write_bytes(
        fill(
            path.read_bytes(),
            {subs[LAPORAN].row_key: {"realisasi": -3}, subs[POLITIK].row_key: {"realisasi": "x"}},
        )
    )
    before = snapshot()
    with pytest.raises(CommandError) as caught:
        import_(path, users["admin"])
    message = str(caught.value)
    assert "tidak ada yang disimpan" in message
    assert (
        f'Lembar "Formulir", baris {rows[subs[LAPORAN].row_key]}, kolom K (REALISASI TW 1): '
        "Realisasi tidak boleh negatif." in message
    )
    assert f"baris {rows[subs[POLITIK].row_key]}, kolom K" in message
    assert snapshot() == before


def test_it_refuses_the_deli_serdang_spreadsheet(users, rencana, stored):
    before = snapshot()
    with pytest.raises(CommandError, match="bukan formulir realisasi Renaksi: tidak ada lembar"):
        import_(DELI_SERDANG, users["admin"])
    assert snapshot() == before


def test_it_refuses_rows_of_another_bidang_than_the_users(tmp_path, users, subs, stored):
    path = tmp_path / "f.xlsx"
    export(path, "--user", users["staf_politik"].username)
    path.write_bytes(fill(path.read_bytes(), {subs[POLITIK].row_key: {"realisasi": 40}}))
    before = snapshot()
    with pytest.raises(CommandError) as caught:
        import_(path, users["staf_sekretariat"])
    assert f'{subs[POLITIK].row_key} "{POLITIK}" milik Bidang Politik' in str(caught.value)
    assert snapshot() == before


def test_it_refuses_a_conflicting_import(tmp_path, users, rencana, subs, stored):
    path = tmp_path / "f.xlsx"
    staf = users["staf_sekretariat"]
    export(path, "--user", staf.username)
    path.write_bytes(fill(path.read_bytes(), {subs[LAPORAN].row_key: {"realisasi": 26}}))
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(subs[LAPORAN].row_key, Decimal(22), versi=1)],
    )
    before = snapshot()
    with pytest.raises(CommandError, match="diubah orang lain") as caught:
        import_(path, staf)
    assert "22% → 26%" in str(caught.value)
    assert snapshot() == before


def test_it_refuses_an_unknown_user_or_a_missing_file(tmp_path, users, rencana):
    with pytest.raises(CommandError, match="Pengguna 'siapa' tidak ada"):
        call_command(
            "import_realisasi", "x.xlsx", "--tahun", "2023", "--triwulan", "1", "--user", "siapa"
        )
    with pytest.raises(CommandError, match="tidak ada"):
        import_(tmp_path / "tidak-ada.xlsx", users["admin"])


@pytest.mark.parametrize("state", ["diajukan", "disetujui"])
@pytest.mark.parametrize("dry_run", [False, True])
def test_it_refuses_to_import_into_a_locked_quarter(
    tmp_path, users, rencana, subs, stored, state, dry_run
):
    path = tmp_path / "f.xlsx"
    staf = users["staf_sekretariat"]
    export(path, "--user", staf.username)
    path.write_bytes(fill(path.read_bytes(), {subs[LAPORAN].row_key: {"realisasi": 26}}))
    triwulan_ajukan(user=users["admin"], rencana=rencana, triwulan=1)
    if state == "disetujui":
        triwulan_setujui(user=users["kepala"], rencana=rencana, triwulan=1)
    before = snapshot()
    with pytest.raises(CommandError) as caught:
        import_(path, staf, *(["--dry-run"] if dry_run else []))
    expected = {
        "diajukan": "- TW 1 sedang diperiksa kepala (diajukan oleh admin-uji pada",
        "disetujui": "- TW 1 sudah disetujui kepala (oleh kepala-uji pada",
    }[state]
    assert str(caught.value).startswith("Tidak ada yang disimpan:\n" + expected)
    assert snapshot() == before


def test_it_imports_again_once_the_quarter_is_returned(tmp_path, users, rencana, subs, stored):
    path = tmp_path / "f.xlsx"
    staf = users["staf_sekretariat"]
    export(path, "--user", staf.username)
    path.write_bytes(fill(path.read_bytes(), {subs[LAPORAN].row_key: {"realisasi": 26}}))
    triwulan_ajukan(user=users["admin"], rencana=rencana, triwulan=1)
    triwulan_kembalikan(
        user=users["kepala"],
        rencana=rencana,
        triwulan=1,
        catatan="Perbaiki",
        status_dilihat="diajukan",
    )
    assert "1 baris disimpan." in import_(path, staf)


def test_it_refuses_a_folder_as_output_in_one_line(tmp_path, users, rencana):
    with pytest.raises(CommandError, match="adalah folder; sebutkan nama berkasnya"):
        export(tmp_path, "--instansi", "kesbangpol-uji")
    assert list(tmp_path.iterdir()) == []


def test_it_does_not_act_for_a_deactivated_account(tmp_path, users, rencana, subs):
    path = tmp_path / "f.xlsx"
    export(path, "--user", users["staf_sekretariat"].username)
    path.write_bytes(fill(path.read_bytes(), {subs[LAPORAN].row_key: {"realisasi": 26}}))
    users["staf_sekretariat"].is_active = False
    users["staf_sekretariat"].save()
    before = snapshot()
    with pytest.raises(CommandError, match="tidak ada atau sudah dinonaktifkan"):
        import_(path, users["staf_sekretariat"])
    with pytest.raises(CommandError, match="tidak ada atau sudah dinonaktifkan"):
        export(tmp_path / "g.xlsx", "--user", users["staf_sekretariat"].username)
    assert snapshot() == before
    # The agency's first admin by default: an active one.
    users["admin"].is_active = False
    users["admin"].save()
    with pytest.raises(CommandError, match="tidak memiliki admin"):
        export(tmp_path / "h.xlsx", "--instansi", "kesbangpol-uji")


@pytest.mark.parametrize("count", ["0", "50001"])
def test_generate_plan_refuses_a_size_out_of_range(count):
    with pytest.raises(CommandError, match="antara 1 dan 50000"):
        call_command("generate_plan", "--tahun", "2099", "--sub-kegiatan", count)
