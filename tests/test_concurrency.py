"""Two people saving the same row (or reviewing the same quarter) at the same moment, in real
threads on a real database."""

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from renaksi.models import Realisasi, RealisasiRiwayat, RiwayatStatusTriwulan, StatusTriwulan
from renaksi.services import (
    RealisasiConflict,
    RealisasiInput,
    TriwulanTerkunci,
    realisasi_save_many,
    triwulan_ajukan,
    triwulan_kembalikan,
    triwulan_setujui,
)


@pytest.mark.django_db(transaction=True)
def test_it_lets_exactly_one_of_two_simultaneous_saves_win(users, rencana, subs):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite shares one connection cache; see the PostgreSQL run")
    sub = subs["Penyusunan Laporan Keuangan Uji"]
    key = sub.row_key
    realisasi_save_many(
        user=users["admin"], rencana=rencana, triwulan=1, inputs=[RealisasiInput(key, Decimal(1))]
    )
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(name: str, value: int) -> None:
        try:
            start.wait()
            realisasi_save_many(
                user=users[name],
                rencana=rencana,
                triwulan=1,
                inputs=[RealisasiInput(key, Decimal(value), versi=1)],
            )
            outcomes[name] = "saved"
        except RealisasiConflict:
            outcomes[name] = "conflict"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=("admin", 20)),
        threading.Thread(target=save, args=("staf_sekretariat", 30)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    stored = Realisasi.objects.get(sub_kegiatan=sub, triwulan=1)
    assert stored.versi == 2
    assert stored.nilai == {"admin": 20, "staf_sekretariat": 30}[winner]
    assert RealisasiRiwayat.objects.filter(realisasi=stored).count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("second", ["setujui", "kembalikan"])
def test_it_lets_exactly_one_of_two_simultaneous_reviews_win(users, rencana, second):
    """The kepala double-clicks Setujui (or clicks Setujui in one tab, Kembalikan in another)."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite shares one connection cache; see the PostgreSQL run")
    triwulan_ajukan(user=users["admin"], rencana=rencana, triwulan=1)
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def review(name: str, action: str) -> None:
        try:
            start.wait()
            if action == "setujui":
                triwulan_setujui(user=users["kepala"], rencana=rencana, triwulan=1)
            else:
                # Both tabs showed the quarter as submitted.
                triwulan_kembalikan(
                    user=users["kepala"],
                    rencana=rencana,
                    triwulan=1,
                    catatan="Perbaiki NO 2",
                    status_dilihat="diajukan",
                )
            outcomes[name] = action
        except ValidationError:
            outcomes[name] = "refused"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=review, args=("first", "setujui")),
        threading.Thread(target=review, args=("second", second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes.values()).count("refused") == 1, outcomes
    winner = next(action for action in outcomes.values() if action != "refused")
    status = StatusTriwulan.objects.get(rencana=rencana, triwulan=1)
    assert status.status == {"setujui": "disetujui", "kembalikan": "dikembalikan"}[winner]
    assert list(
        RiwayatStatusTriwulan.objects.filter(status_triwulan=status).values_list(
            "status", flat=True
        )
    ) == ["diajukan", status.status]


@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_save_that_races_the_submission(users, rencana, subs):
    """A save that starts while the submission is being committed waits for it and is refused.

    It does not read the status from before the submission and slip its values in afterwards.
    """
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite shares one connection cache; see the PostgreSQL run")
    sub = subs["Penyusunan Laporan Keuangan Uji"]
    submitted, saving = threading.Event(), threading.Event()
    outcomes: dict[str, str] = {}

    def submit() -> None:
        try:
            with transaction.atomic():
                triwulan_ajukan(user=users["admin"], rencana=rencana, triwulan=1)
                submitted.set()
                saving.wait(timeout=10)
                time.sleep(0.5)  # the save is now waiting for this transaction
            outcomes["submit"] = "done"
        finally:
            connections.close_all()

    def save() -> None:
        try:
            submitted.wait(timeout=10)
            saving.set()
            realisasi_save_many(
                user=users["staf_sekretariat"],
                rencana=rencana,
                triwulan=1,
                inputs=[RealisasiInput(sub.row_key, Decimal(40))],
            )
            outcomes["save"] = "saved"
        except TriwulanTerkunci:
            outcomes["save"] = "refused"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit), threading.Thread(target=save)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes == {"submit": "done", "save": "refused"}
    assert not Realisasi.objects.exists()
