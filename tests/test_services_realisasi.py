from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from renaksi.models import Realisasi, RealisasiRiwayat, SubKegiatan
from renaksi.services import RealisasiConflict, RealisasiInput, realisasi_save_many
from tests.factories import make_instansi, make_plan, make_users

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    instansi = make_instansi()
    users = make_users(instansi)
    rencana = make_plan(instansi)
    subs = {s.uraian: s for s in SubKegiatan.objects.all()}
    return rencana, users, subs


def key(sub):
    return f"sub-{sub.pk}"


def test_it_saves_a_new_realisation_with_who_and_when(plan):
    rencana, users, subs = plan
    sub = subs["Penyusunan Laporan Keuangan Uji"]
    saved = realisasi_save_many(
        user=users["staf_sekretariat"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(key(sub), Decimal(26), ket="Tepat waktu")],
    )
    assert len(saved) == 1
    row = Realisasi.objects.get(sub_kegiatan=sub, triwulan=1)
    assert (row.nilai, row.ket, row.versi, row.diubah_oleh) == (
        Decimal(26),
        "Tepat waktu",
        1,
        users["staf_sekretariat"],
    )
    assert row.diubah_pada is not None
    assert RealisasiRiwayat.objects.filter(realisasi=row, versi=1).count() == 1


def test_it_refuses_the_second_of_two_saves_from_the_same_version(plan):
    rencana, users, subs = plan
    sub = subs["Penyusunan Laporan Keuangan Uji"]
    first = RealisasiInput(key(sub), Decimal(20))
    realisasi_save_many(user=users["admin"], rencana=rencana, triwulan=1, inputs=[first])
    # Both users loaded version 1; the admin saves first, the staff member second.
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(key(sub), Decimal(24), versi=1)],
    )
    with pytest.raises(RealisasiConflict) as caught:
        realisasi_save_many(
            user=users["staf_sekretariat"],
            rencana=rencana,
            triwulan=1,
            inputs=[RealisasiInput(key(sub), Decimal(26), versi=1)],
        )
    assert caught.value.conflicts[0].stored.nilai == Decimal(24)
    assert Realisasi.objects.get(sub_kegiatan=sub, triwulan=1).nilai == Decimal(24)


def test_it_saves_nothing_when_one_row_conflicts(plan):
    rencana, users, subs = plan
    a = subs["Penyusunan Laporan Keuangan Uji"]
    b = subs["Penyediaan Peralatan Kantor Uji"]
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=2,
        inputs=[RealisasiInput(key(a), Decimal(1))],
    )
    with pytest.raises(RealisasiConflict):
        realisasi_save_many(
            user=users["staf_sekretariat"],
            rencana=rencana,
            triwulan=2,
            inputs=[RealisasiInput(key(b), Decimal(50)), RealisasiInput(key(a), Decimal(5))],
        )
    assert not Realisasi.objects.filter(sub_kegiatan=b).exists()


def test_it_refuses_rows_of_another_bidang(plan):
    rencana, users, subs = plan
    sub = subs["Pemantauan Situasi Politik Uji"]
    with pytest.raises(PermissionDenied):
        realisasi_save_many(
            user=users["staf_sekretariat"],
            rencana=rencana,
            triwulan=1,
            inputs=[RealisasiInput(key(sub), Decimal(10))],
        )
    assert not Realisasi.objects.exists()


@pytest.mark.parametrize("role", ["kepala", "pemeriksa"])
def test_it_refuses_read_only_roles(plan, role):
    rencana, users, subs = plan
    with pytest.raises(PermissionDenied):
        realisasi_save_many(
            user=users[role],
            rencana=rencana,
            triwulan=1,
            inputs=[RealisasiInput(key(subs["Penyusunan Laporan Keuangan Uji"]), Decimal(1))],
        )


@pytest.mark.parametrize("nilai", [Decimal(-1), Decimal("100.01")])
def test_it_refuses_values_out_of_range(plan, nilai):
    rencana, users, subs = plan
    with pytest.raises(ValidationError):
        realisasi_save_many(
            user=users["admin"],
            rencana=rencana,
            triwulan=1,
            inputs=[RealisasiInput(key(subs["Penyusunan Laporan Keuangan Uji"]), nilai)],
        )
    assert not Realisasi.objects.exists()


def test_it_keeps_zero_apart_from_not_reported(plan):
    rencana, users, subs = plan
    sub = subs["Penyusunan Laporan Keuangan Uji"]
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=3,
        inputs=[RealisasiInput(key(sub), Decimal(0))],
    )
    assert Realisasi.objects.get(sub_kegiatan=sub, triwulan=3).nilai == 0
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=4,
        inputs=[RealisasiInput(key(sub), None)],
    )
    assert not Realisasi.objects.filter(sub_kegiatan=sub, triwulan=4).exists()
