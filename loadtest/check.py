"""After a load or fault run: is every acknowledged save in the database, did any save silently
replace another, and is the database sound?

    python loadtest/check.py ACKS.json      (with the installation's environment)

ACKS.json lists the saves the server acknowledged: row key, the version the save created, the
value. Prints one JSON object (see common.CheckResult); exit status 0 when all is well, else 1.

- lost: an acknowledged save with no history entry of its version;
- silent overwrite: two acknowledged saves claiming the same version of a row, or the history
  of that version holding another value than the one acknowledged;
- integrity: SQLite's integrity_check and foreign_key_check, and on both databases the
  realisation's own invariant: its version is the number of history entries (1..n, no gap)
  and its value is the last entry's.
"""

import json
import os
import sqlite3
import sys
from collections import Counter
from decimal import Decimal

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesbangpol.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, Max  # noqa: E402

from renaksi.backup import sqlite_integrity_check  # noqa: E402
from renaksi.models import Realisasi, RealisasiRiwayat  # noqa: E402


def realisasi_of(key: str) -> dict:
    kind, pk = key.split("-")
    return {"sub_kegiatan_id" if kind == "sub" else "indikator_sasaran_id": int(pk)}


def main(path: str) -> int:
    with open(path) as handle:
        acks = json.load(handle)
    lost, overwritten = [], []
    claims = Counter((ack["key"], ack["versi"]) for ack in acks)
    for (key, versi), count in claims.items():
        if count > 1:
            overwritten.append(f"{key} version {versi} acknowledged to {count} saves")
    present = 0
    for ack in acks:
        entry = RealisasiRiwayat.objects.filter(
            realisasi__triwulan=1,
            versi=ack["versi"],
            **{f"realisasi__{k}": v for k, v in realisasi_of(ack["key"]).items()},
        ).first()
        if entry is None:
            lost.append(f"{ack['key']} version {ack['versi']} ({ack['who']}): no such entry")
        elif entry.nilai != Decimal(ack["nilai"]):
            overwritten.append(
                f"{ack['key']} version {ack['versi']}: acknowledged {ack['nilai']}, "
                f"stored {entry.nilai}"
            )
        else:
            present += 1

    integrity = []
    if connection.vendor == "sqlite":
        db = sqlite3.connect(connection.settings_dict["NAME"])
        found = sqlite_integrity_check(db)
        if found != ["ok"]:
            integrity += found
        integrity += [f"foreign key: {row}" for row in db.execute("PRAGMA foreign_key_check")]
        db.close()
    rows = Realisasi.objects.annotate(entries=Count("riwayat"), last=Max("riwayat__versi")).values(
        "pk", "versi", "nilai", "entries", "last"
    )
    for row in rows:
        if row["versi"] and (row["entries"] != row["versi"] or row["last"] != row["versi"]):
            integrity.append(
                f"realisasi {row['pk']}: version {row['versi']}, {row['entries']} entries"
            )
            continue
        if row["versi"]:
            last = RealisasiRiwayat.objects.get(realisasi_id=row["pk"], versi=row["versi"])
            if last.nilai != row["nilai"]:
                integrity.append(f"realisasi {row['pk']}: value differs from its last entry")
    result = {
        "acknowledged": len(acks),
        "present": present,
        "lost": lost,
        "overwritten": overwritten,
        "integrity": integrity or ["ok"],
    }
    print(json.dumps(result))
    return 0 if not (lost or overwritten or integrity) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
