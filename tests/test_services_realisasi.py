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


def test_it_saves_a_new_realisation_with_who_and_when(plan):
    rencana, users, subs = plan
    sub = subs["Penyusunan Laporan Keuangan Uji"]
    saved = realisasi_save_many(
        user=users["staf_sekretariat"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(sub.row_key, Decimal(26), ket="Tepat waktu")],
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
    first = RealisasiInput(sub.row_key, Decimal(20))
    realisasi_save_many(user=users["admin"], rencana=rencana, triwulan=1, inputs=[first])
    # Both users loaded version 1; the admin saves first, the staff member second.
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(sub.row_key, Decimal(24), versi=1)],
    )
    with pytest.raises(RealisasiConflict) as caught:
        realisasi_save_many(
            user=users["staf_sekretariat"],
            rencana=rencana,
            triwulan=1,
            inputs=[RealisasiInput(sub.row_key, Decimal(26), versi=1)],
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
        inputs=[RealisasiInput(a.row_key, Decimal(1))],
    )
    with pytest.raises(RealisasiConflict):
        realisasi_save_many(
            user=users["staf_sekretariat"],
            rencana=rencana,
            triwulan=2,
            inputs=[RealisasiInput(b.row_key, Decimal(50)), RealisasiInput(a.row_key, Decimal(5))],
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
            inputs=[RealisasiInput(sub.row_key, Decimal(10))],
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
            inputs=[RealisasiInput(subs["Penyusunan Laporan Keuangan Uji"].row_key, Decimal(1))],
        )


@pytest.mark.parametrize("nilai", [Decimal(-1), Decimal("100.01")])
def test_it_refuses_values_out_of_range(plan, nilai):
    rencana, users, subs = plan
    with pytest.raises(ValidationError):
        realisasi_save_many(
            user=users["admin"],
            rencana=rencana,
            triwulan=1,
            inputs=[RealisasiInput(subs["Penyusunan Laporan Keuangan Uji"].row_key, nilai)],
        )
    assert not Realisasi.objects.exists()


def test_it_keeps_zero_apart_from_not_reported(plan):
    rencana, users, subs = plan
    sub = subs["Penyusunan Laporan Keuangan Uji"]
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=3,
        inputs=[RealisasiInput(sub.row_key, Decimal(0))],
    )
    assert Realisasi.objects.get(sub_kegiatan=sub, triwulan=3).nilai == 0
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=4,
        inputs=[RealisasiInput(sub.row_key, None)],
    )
    assert not Realisasi.objects.filter(sub_kegiatan=sub, triwulan=4).exists()


def test_it_refuses_notes_longer_than_4000_characters_and_more_than_two_decimals(plan):
    rencana, users, subs = plan
    sub = subs["Penyusunan Laporan Keuangan Uji"]
    with pytest.raises(ValidationError, match="4000"):
        realisasi_save_many(
            user=users["admin"],
            rencana=rencana,
            triwulan=1,
            inputs=[RealisasiInput(sub.row_key, Decimal(1), kendala="x" * 4001)],
        )
    with pytest.raises(ValidationError, match="dua angka"):
        realisasi_save_many(
            user=users["admin"],
            rencana=rencana,
            triwulan=1,
            inputs=[RealisasiInput(sub.row_key, Decimal("1.234"))],
        )
    assert not Realisasi.objects.exists()


def test_it_inserts_new_rows_and_their_history_in_bulk(django_assert_max_num_queries):
    from renaksi.synthetic import plan_generate
    from tests.factories import make_instansi, make_users

    instansi = make_instansi(kode="besar")
    admin = make_users(instansi)["admin"]
    for size in (10, 100):
        rencana = plan_generate(instansi=instansi, tahun=2090 + size // 10, sub_kegiatan=size)
        subs = SubKegiatan.objects.filter(kegiatan__program__rencana=rencana)
        inputs = [RealisasiInput(sub.row_key, Decimal(5)) for sub in subs]
        # profile, sub kegiatan, sasaran indicators, the plan's lock and the quarter's review
        # status, stored rows, savepoints, history, and the inserts in batches (SQLite takes
        # about 90 rows a statement), never one per row
        with django_assert_max_num_queries(13):
            saved = realisasi_save_many(user=admin, rencana=rencana, triwulan=1, inputs=inputs)
        assert len(saved) == size
        assert RealisasiRiwayat.objects.filter(realisasi__in=saved).count() == size


def test_it_reports_every_conflict_with_who_saved_it_in_one_query(
    plan, django_assert_max_num_queries
):
    rencana, users, subs = plan
    rows = [subs["Penyusunan Laporan Keuangan Uji"], subs["Penyediaan Peralatan Kantor Uji"]]
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(sub.row_key, Decimal(3)) for sub in rows],
    )
    stale = [RealisasiInput(sub.row_key, Decimal(9), versi=0) for sub in rows]
    with pytest.raises(RealisasiConflict) as caught:
        realisasi_save_many(
            user=users["staf_sekretariat"], rencana=rencana, triwulan=1, inputs=stale
        )
    with django_assert_max_num_queries(0):
        names = [c.stored.diubah_oleh.username for c in caught.value.conflicts]
    assert names == ["admin-uji", "admin-uji"]


def test_it_turns_a_row_created_meanwhile_into_a_conflict(plan, monkeypatch):
    from renaksi.services import realisasi as services

    rencana, users, subs = plan
    a, b = subs["Penyusunan Laporan Keuangan Uji"], subs["Penyediaan Peralatan Kantor Uji"]
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(a.row_key, Decimal(7))],
    )
    # As if the admin's row had been inserted after this save read what was stored.
    real_stored = services._stored
    monkeypatch.setattr(
        services,
        "_stored",
        lambda ind, tw, with_user=False: real_stored(ind, tw, with_user=True) if with_user else {},
    )
    with pytest.raises(RealisasiConflict) as caught:
        realisasi_save_many(
            user=users["staf_sekretariat"],
            rencana=rencana,
            triwulan=1,
            inputs=[RealisasiInput(b.row_key, Decimal(50)), RealisasiInput(a.row_key, Decimal(9))],
        )
    assert [(c.key, c.stored.nilai) for c in caught.value.conflicts] == [(a.row_key, Decimal(7))]
    assert not Realisasi.objects.filter(sub_kegiatan=b).exists()


def test_it_refuses_a_tiny_fraction_that_rounding_would_hide(plan):
    rencana, users, subs = plan
    with pytest.raises(ValidationError, match="dua angka"):
        realisasi_save_many(
            user=users["admin"],
            rencana=rencana,
            triwulan=1,
            inputs=[
                RealisasiInput(
                    subs["Penyusunan Laporan Keuangan Uji"].row_key,
                    Decimal("1.0000000000000000000000000000001"),
                )
            ],
        )


def test_it_refuses_a_row_key_too_long_for_the_database(plan):
    rencana, users, _subs = plan
    with pytest.raises(PermissionDenied):
        realisasi_save_many(
            user=users["admin"],
            rencana=rencana,
            triwulan=1,
            inputs=[RealisasiInput("sub-99999999999999999999", Decimal(1))],
        )


def attach_pdf(user, rencana, sub) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from renaksi.services import bukti_add

    pdf = SimpleUploadedFile("bukti.pdf", b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n")
    bukti_add(user=user, rencana=rencana, triwulan=1, uploads={sub.row_key: [pdf]})


def test_evidence_alone_does_not_turn_a_later_first_value_into_a_conflict(plan, settings, tmp_path):
    """Staff attach a file to an empty row while the admin's page, opened before, is typed in."""
    settings.MEDIA_ROOT = tmp_path
    rencana, users, subs = plan
    sub = subs["Penyusunan Laporan Keuangan Uji"]
    attach_pdf(users["staf_sekretariat"], rencana, sub)
    assert Realisasi.objects.get(sub_kegiatan=sub, triwulan=1).versi == 1
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(sub.row_key, Decimal(20), versi=0)],  # the page saw no row
    )
    row = Realisasi.objects.get(sub_kegiatan=sub, triwulan=1)
    assert (row.nilai, row.versi, row.bukti.count()) == (Decimal(20), 2, 1)
    assert list(RealisasiRiwayat.objects.filter(realisasi=row).values_list("versi", "nilai")) == [
        (1, None),
        (2, Decimal(20)),
    ]


def test_a_page_that_saw_no_row_still_conflicts_with_a_value_saved_since(plan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rencana, users, subs = plan
    sub = subs["Penyusunan Laporan Keuangan Uji"]
    attach_pdf(users["staf_sekretariat"], rencana, sub)
    realisasi_save_many(
        user=users["staf_sekretariat"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(sub.row_key, None, ket="Menunggu SP2D", versi=1)],
    )
    with pytest.raises(RealisasiConflict):
        realisasi_save_many(
            user=users["admin"],
            rencana=rencana,
            triwulan=1,
            inputs=[RealisasiInput(sub.row_key, Decimal(20), versi=0)],
        )
    assert Realisasi.objects.get(sub_kegiatan=sub, triwulan=1).ket == "Menunggu SP2D"
