"""The kepala's review of a quarter: transitions, who may make them, history, and the lock."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from renaksi.models import (
    Bukti,
    Peran,
    Realisasi,
    RealisasiRiwayat,
    RiwayatStatusTriwulan,
    StatusPersetujuan,
    StatusTriwulan,
)
from renaksi.selectors import status_triwulan
from renaksi.services import (
    RealisasiInput,
    TriwulanTerkunci,
    bukti_add,
    bukti_remove,
    realisasi_save_many,
    review,
    triwulan_ajukan,
    triwulan_kembalikan,
    triwulan_setujui,
)
from tests.factories import make_instansi, make_plan, make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"
S = StatusPersetujuan


def history(rencana, triwulan: int = 1) -> list[tuple[str, str, str, str]]:
    """(from, to, by, note) of every change of the quarter's status, oldest first."""
    return [
        (h.status_sebelumnya, h.status, h.oleh.username, h.catatan)
        for h in RiwayatStatusTriwulan.objects.filter(
            status_triwulan__rencana=rencana, status_triwulan__triwulan=triwulan
        ).select_related("oleh")
    ]


def submit(users, rencana, triwulan: int = 1):
    return triwulan_ajukan(user=users["admin"], rencana=rencana, triwulan=triwulan)


def approve(users, rencana, triwulan: int = 1):
    return triwulan_setujui(user=users["kepala"], rencana=rencana, triwulan=triwulan)


def send_back(users, rencana, catatan="Lengkapi bukti NO 1", triwulan: int = 1):
    # The kepala decides on the status the page shows now.
    seen = status_triwulan(rencana=rencana, triwulan=triwulan).status
    return triwulan_kembalikan(
        user=users["kepala"],
        rencana=rencana,
        triwulan=triwulan,
        catatan=catatan,
        status_dilihat=seen,
    )


# --- The selector ------------------------------------------------------------------------------


def test_it_reads_a_quarter_never_submitted_as_being_filled(rencana, django_assert_num_queries):
    with django_assert_num_queries(1):
        status = status_triwulan(rencana=rencana, triwulan=2)
    assert status.pk is None
    assert status.status == S.DIISI
    assert status.get_status_display() == "Sedang diisi"
    assert not status.terkunci
    assert not StatusTriwulan.objects.exists()


def test_it_reads_the_status_with_who_changed_it_in_one_query(
    users, rencana, django_assert_num_queries
):
    submit(users, rencana)
    with django_assert_num_queries(1):
        status = status_triwulan(rencana=rencana, triwulan=1)
        assert (status.status, status.diubah_oleh.username) == (S.DIAJUKAN, "admin-uji")
    assert status.terkunci


# --- Allowed transitions -----------------------------------------------------------------------


def test_it_goes_from_filling_to_submitted_to_approved_with_history(users, rencana):
    status = submit(users, rencana)
    assert (status.status, status.diubah_oleh, status.catatan) == (S.DIAJUKAN, users["admin"], "")
    status = approve(users, rencana)
    stored = StatusTriwulan.objects.get(rencana=rencana, triwulan=1)
    assert (stored.status, stored.diubah_oleh, stored.catatan) == (S.DISETUJUI, users["kepala"], "")
    assert stored.diubah_pada == status.diubah_pada
    assert history(rencana) == [
        (S.DIISI, S.DIAJUKAN, "admin-uji", ""),
        (S.DIAJUKAN, S.DISETUJUI, "kepala-uji", ""),
    ]


def test_it_returns_with_a_note_and_can_be_submitted_again(users, rencana):
    submit(users, rencana)
    status = send_back(users, rencana, catatan="  Lengkapi bukti NO 1\r\nTerima kasih  ")
    assert (status.status, status.catatan) == (S.DIKEMBALIKAN, "Lengkapi bukti NO 1\nTerima kasih")
    assert not status_triwulan(rencana=rencana, triwulan=1).terkunci
    submit(users, rencana)
    stored = StatusTriwulan.objects.get(rencana=rencana, triwulan=1)
    # The note belongs to the return; the history keeps it.
    assert (stored.status, stored.catatan) == (S.DIAJUKAN, "")
    assert history(rencana) == [
        (S.DIISI, S.DIAJUKAN, "admin-uji", ""),
        (S.DIAJUKAN, S.DIKEMBALIKAN, "kepala-uji", "Lengkapi bukti NO 1\nTerima kasih"),
        (S.DIKEMBALIKAN, S.DIAJUKAN, "admin-uji", ""),
    ]


def test_it_keeps_each_quarter_apart(users, rencana):
    submit(users, rencana, triwulan=2)
    assert status_triwulan(rencana=rencana, triwulan=2).status == S.DIAJUKAN
    assert status_triwulan(rencana=rencana, triwulan=1).status == S.DIISI


# --- Refused transitions: role and agency ------------------------------------------------------


@pytest.mark.parametrize("role", ["kepala", "pemeriksa", "staf_sekretariat", "staf_politik"])
def test_it_lets_only_the_admin_submit(users, rencana, role):
    with pytest.raises(PermissionDenied, match="Hanya admin instansi"):
        triwulan_ajukan(user=users[role], rencana=rencana, triwulan=1)
    assert not StatusTriwulan.objects.exists()
    assert not RiwayatStatusTriwulan.objects.exists()


@pytest.mark.parametrize("role", ["admin", "pemeriksa", "staf_sekretariat", "staf_politik"])
def test_it_lets_only_the_kepala_approve_or_return(users, rencana, role):
    submit(users, rencana)
    with pytest.raises(PermissionDenied, match="Hanya kepala"):
        triwulan_setujui(user=users[role], rencana=rencana, triwulan=1)
    with pytest.raises(PermissionDenied, match="Hanya kepala"):
        triwulan_kembalikan(
            user=users[role],
            rencana=rencana,
            triwulan=1,
            catatan="Ulang",
            status_dilihat="diajukan",
        )
    assert status_triwulan(rencana=rencana, triwulan=1).status == S.DIAJUKAN
    assert len(history(rencana)) == 1


@pytest.mark.parametrize("peran", [Peran.ADMIN, Peran.KEPALA])
def test_it_refuses_the_admin_and_kepala_of_another_agency(users, rencana, peran):
    other = make_instansi(kode="lain", nama="Instansi Lain")
    make_plan(other)
    outsider = make_user(f"{peran}-lain", other, peran)
    if peran == Peran.KEPALA:
        submit(users, rencana)
    actions = {
        Peran.ADMIN: [lambda: triwulan_ajukan(user=outsider, rencana=rencana, triwulan=1)],
        Peran.KEPALA: [
            lambda: triwulan_setujui(user=outsider, rencana=rencana, triwulan=1),
            lambda: triwulan_kembalikan(
                user=outsider, rencana=rencana, triwulan=1, catatan="x", status_dilihat="diajukan"
            ),
        ],
    }[peran]
    before = list(StatusTriwulan.objects.values_list("status", flat=True))
    for action in actions:
        with pytest.raises(PermissionDenied, match="bukan milik instansi Anda"):
            action()
    assert list(StatusTriwulan.objects.values_list("status", flat=True)) == before


def test_it_refuses_an_account_without_agency(rencana):
    nobody = make_user("tanpa-instansi", None, Peran.ADMIN)
    with pytest.raises(PermissionDenied):
        triwulan_ajukan(user=nobody, rencana=rencana, triwulan=1)


# --- Refused transitions: state ----------------------------------------------------------------


def test_it_refuses_to_submit_a_quarter_under_review_or_approved(users, rencana):
    submit(users, rencana)
    with pytest.raises(ValidationError, match="statusnya Diajukan ke kepala"):
        submit(users, rencana)
    approve(users, rencana)
    with pytest.raises(
        ValidationError, match="tidak dapat diajukan ke kepala: statusnya Disetujui"
    ):
        submit(users, rencana)
    assert len(history(rencana)) == 2


@pytest.mark.parametrize("before", ["diisi", "dikembalikan", "disetujui"])
def test_it_approves_only_a_submitted_quarter(users, rencana, before):
    if before != "diisi":
        submit(users, rencana)
        (send_back if before == "dikembalikan" else approve)(users, rencana)
    label = S(before).label
    with pytest.raises(ValidationError, match=f"tidak dapat disetujui: statusnya {label}"):
        approve(users, rencana)
    assert status_triwulan(rencana=rencana, triwulan=1).status == before
    assert len(history(rencana)) == (0 if before == "diisi" else 2)


@pytest.mark.parametrize("before", ["diisi", "dikembalikan"])
def test_it_returns_only_a_submitted_or_approved_quarter(users, rencana, before):
    if before != "diisi":
        submit(users, rencana)
        send_back(users, rencana)
    label = S(before).label
    with pytest.raises(ValidationError, match=f"tidak dapat dikembalikan: statusnya {label}"):
        send_back(users, rencana)
    assert status_triwulan(rencana=rencana, triwulan=1).status == before


def test_it_reopens_an_approved_quarter_with_a_note(users, rencana):
    submit(users, rencana)
    approve(users, rencana)
    send_back(users, rencana, catatan="Koreksi setelah pemeriksaan Inspektorat")
    status = status_triwulan(rencana=rencana, triwulan=1)
    assert (status.status, status.catatan) == (
        S.DIKEMBALIKAN,
        "Koreksi setelah pemeriksaan Inspektorat",
    )
    assert [row[1] for row in history(rencana)] == [S.DIAJUKAN, S.DISETUJUI, S.DIKEMBALIKAN]


@pytest.mark.parametrize("catatan", ["", "   ", "\r\n"])
def test_it_requires_a_note_to_return(users, rencana, catatan):
    submit(users, rencana)
    with pytest.raises(ValidationError, match="Tulis catatan untuk admin"):
        send_back(users, rencana, catatan=catatan)
    assert status_triwulan(rencana=rencana, triwulan=1).status == S.DIAJUKAN


def test_it_refuses_a_note_longer_than_4000_characters(users, rencana):
    submit(users, rencana)
    with pytest.raises(ValidationError, match="Catatan paling banyak 4000 karakter"):
        send_back(users, rencana, catatan="x" * 4001)
    send_back(users, rencana, catatan="x" * 4000)
    assert len(StatusTriwulan.objects.get().catatan) == 4000


def test_it_refuses_a_fifth_quarter(users, rencana):
    with pytest.raises(ValidationError, match="Triwulan harus 1 sampai 4"):
        triwulan_ajukan(user=users["admin"], rencana=rencana, triwulan=5)


def test_it_checks_the_state_again_inside_the_update(users, rencana, monkeypatch):
    """A second approval that read "diajukan" before the first was stored moves nothing."""
    submit(users, rencana)
    stale = StatusTriwulan.objects.select_related("diubah_oleh").get()
    approve(users, rencana)
    # As if this click had read the status before the other click's approval was committed.
    monkeypatch.setattr(review, "status_for_write", lambda **kwargs: stale)
    with pytest.raises(ValidationError, match="tidak dapat disetujui: statusnya Disetujui"):
        approve(users, rencana)
    with pytest.raises(ValidationError, match="sudah berstatus Disetujui sejak halaman ini"):
        triwulan_kembalikan(
            user=users["kepala"],
            rencana=rencana,
            triwulan=1,
            catatan="Perbaiki NO 2",
            status_dilihat=S.DIAJUKAN,
        )
    assert StatusTriwulan.objects.get().status == S.DISETUJUI
    assert [row[1] for row in history(rencana)] == [S.DIAJUKAN, S.DISETUJUI]


def test_it_refuses_a_first_submission_created_meanwhile(users, rencana, monkeypatch):
    """Two first submissions of a quarter: the unique row lets only one in."""
    monkeypatch.setattr(review, "status_for_write", lambda **kwargs: None)
    submit(users, rencana)
    with pytest.raises(ValidationError, match="statusnya Diajukan ke kepala"):
        submit(users, rencana)
    assert StatusTriwulan.objects.count() == 1
    assert len(history(rencana)) == 1


# --- The lock ----------------------------------------------------------------------------------


@pytest.fixture
def keuangan(subs):
    return subs["Penyusunan Laporan Keuangan Uji"]  # Sekretariat


def save(user, rencana, sub, nilai, versi=0, triwulan=1):
    return realisasi_save_many(
        user=user,
        rencana=rencana,
        triwulan=triwulan,
        inputs=[RealisasiInput(sub.row_key, Decimal(nilai), versi=versi)],
    )


def pdf(name="bukti.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


def snapshot():
    return (
        list(Realisasi.objects.order_by("pk").values_list("pk", "nilai", "versi")),
        RealisasiRiwayat.objects.count(),
        list(Bukti.objects.order_by("pk").values_list("pk", flat=True)),
    )


@pytest.mark.parametrize("locked", ["diajukan", "disetujui"])
def test_it_refuses_every_write_to_a_locked_quarter(users, rencana, keuangan, media, locked):
    save(users["staf_sekretariat"], rencana, keuangan, 10)
    (bukti,) = bukti_add(
        user=users["staf_sekretariat"],
        rencana=rencana,
        triwulan=1,
        uploads={keuangan.row_key: [pdf()]},
    )
    submit(users, rencana)
    if locked == "disetujui":
        approve(users, rencana)
    before = snapshot()
    files = sorted(p.name for p in media.rglob("*") if p.is_file())
    expected = {
        "diajukan": "TW 1 sedang diperiksa kepala \\(diajukan oleh admin-uji pada .*minta kepala "
        "mengembalikan TW 1",
        "disetujui": "TW 1 sudah disetujui kepala \\(oleh kepala-uji pada .*minta kepala "
        "membuka kembali TW 1",
    }[locked]
    for user in (users["admin"], users["staf_sekretariat"]):
        with pytest.raises(TriwulanTerkunci, match=expected) as caught:
            save(user, rencana, keuangan, 20, versi=1)
        assert caught.value.code == "terkunci"
        assert isinstance(caught.value, ValidationError)
        with pytest.raises(TriwulanTerkunci, match=expected):
            bukti_add(
                user=user,
                rencana=rencana,
                triwulan=1,
                uploads={keuangan.row_key: [pdf("baru.pdf")]},
            )
        with pytest.raises(TriwulanTerkunci, match=expected):
            bukti_remove(user=user, pk=bukti.pk)
    assert snapshot() == before
    assert sorted(p.name for p in media.rglob("*") if p.is_file()) == files


def test_it_checks_roles_before_the_lock(users, rencana, keuangan):
    """Someone who may not edit the row hears so, not that the quarter is locked."""
    bukti_add(
        user=users["staf_sekretariat"],
        rencana=rencana,
        triwulan=1,
        uploads={keuangan.row_key: [pdf()]},
    )
    submit(users, rencana)
    with pytest.raises(PermissionDenied):
        save(users["staf_politik"], rencana, keuangan, 20)
    with pytest.raises(Http404):
        bukti_remove(user=users["staf_politik"], pk=Bukti.objects.get().pk)
    with pytest.raises(PermissionDenied):
        bukti_remove(user=users["kepala"], pk=Bukti.objects.get().pk)


def test_it_leaves_other_quarters_open(users, rencana, keuangan):
    submit(users, rencana, triwulan=1)
    approve(users, rencana, triwulan=1)
    save(users["staf_sekretariat"], rencana, keuangan, 30, triwulan=2)
    assert Realisasi.objects.get(triwulan=2).nilai == 30


def test_it_opens_the_quarter_again_once_returned(users, rencana, keuangan):
    save(users["staf_sekretariat"], rencana, keuangan, 10)
    submit(users, rencana)
    with pytest.raises(TriwulanTerkunci):
        save(users["staf_sekretariat"], rencana, keuangan, 20, versi=1)
    send_back(users, rencana)
    save(users["staf_sekretariat"], rencana, keuangan, 20, versi=1)
    bukti_add(
        user=users["staf_sekretariat"],
        rencana=rencana,
        triwulan=1,
        uploads={keuangan.row_key: [pdf()]},
    )
    stored = Realisasi.objects.get(sub_kegiatan=keuangan, triwulan=1)
    assert (stored.nilai, stored.versi, stored.bukti.count()) == (20, 2, 1)
    # Submitted again, it is locked again.
    submit(users, rencana)
    with pytest.raises(TriwulanTerkunci):
        save(users["staf_sekretariat"], rencana, keuangan, 25, versi=2)


def test_it_checks_the_lock_inside_the_saving_transaction(users, rencana, keuangan, monkeypatch):
    """Submitted after the caller looked (the page was loaded before): still refused."""
    from renaksi.services import locks

    real = locks.status_for_write
    calls = []

    def spy(**kwargs):
        from django.db import connection

        calls.append(connection.in_atomic_block)
        return real(**kwargs)

    monkeypatch.setattr(locks, "status_for_write", spy)
    submit(users, rencana)
    calls.clear()
    with pytest.raises(TriwulanTerkunci):
        save(users["staf_sekretariat"], rencana, keuangan, 10)
    with pytest.raises(TriwulanTerkunci):
        bukti_add(
            user=users["staf_sekretariat"],
            rencana=rencana,
            triwulan=1,
            uploads={keuangan.row_key: [pdf()]},
        )
    assert calls == [True, True]
    assert not Realisasi.objects.exists()


def test_it_names_a_deleted_user_in_the_lock_message(users, rencana, keuangan):
    submit(users, rencana)
    users["admin"].delete()
    status = StatusTriwulan.objects.get()
    assert status.diubah_oleh is None
    with pytest.raises(TriwulanTerkunci, match="diajukan oleh pengguna yang sudah dihapus"):
        save(users["staf_sekretariat"], rencana, keuangan, 10)


def test_the_database_refuses_a_return_without_note(rencana):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        StatusTriwulan.objects.create(
            rencana=rencana, triwulan=1, status=S.DIKEMBALIKAN, diubah_pada=timezone.now()
        )


@pytest.mark.parametrize(("field", "value"), [("triwulan", 5), ("status", "dibatalkan")])
def test_the_database_refuses_a_bad_quarter_or_status(rencana, field, value):
    from django.db import IntegrityError

    values = {"triwulan": 1, "status": S.DIAJUKAN, field: value}
    with pytest.raises(IntegrityError):
        StatusTriwulan.objects.create(rencana=rencana, diubah_pada=timezone.now(), **values)


def test_it_does_not_reopen_a_quarter_approved_after_the_kepala_saw_it_submitted(users, rencana):
    submit(users, rencana)
    approve(users, rencana)  # in another tab
    with pytest.raises(ValidationError, match="sudah berstatus Disetujui sejak halaman ini") as e:
        triwulan_kembalikan(
            user=users["kepala"],
            rencana=rencana,
            triwulan=1,
            catatan="Perbaiki NO 2",
            status_dilihat=S.DIAJUKAN,
        )
    assert e.value.code == "status_berubah"
    assert status_triwulan(rencana=rencana, triwulan=1).status == S.DISETUJUI
    assert len(history(rencana)) == 2


@pytest.mark.parametrize(
    ("seen", "code"),
    [("dibuang", "status_tidak_dikenal"), ("", "status_tidak_dikenal"), (S.DIISI, "status_salah")],
)
def test_it_refuses_a_return_from_a_state_that_cannot_be_returned(users, rencana, seen, code):
    submit(users, rencana)
    with pytest.raises(ValidationError) as e:
        triwulan_kembalikan(
            user=users["kepala"], rencana=rencana, triwulan=1, catatan="x", status_dilihat=seen
        )
    assert e.value.code == code
    assert status_triwulan(rencana=rencana, triwulan=1).status == S.DIAJUKAN
    assert len(history(rencana)) == 1
