"""Two people saving the same row at the same moment, in real threads on a real database."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from renaksi.models import Realisasi, RealisasiRiwayat
from renaksi.services import RealisasiConflict, RealisasiInput, realisasi_save_many


@pytest.mark.django_db(transaction=True)
def test_it_lets_exactly_one_of_two_simultaneous_saves_win(users, rencana, subs):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite shares one connection cache; see the PostgreSQL run")
    sub = subs["Penyusunan Laporan Keuangan Uji"]
    key = f"sub-{sub.pk}"
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
